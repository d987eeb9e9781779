"""Sessions are read from the cache only when the cache is shared by every process (Redis, CACHE_REDIS_URL): with
each process's own memory, a session ended in one process would still be served by another."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT = "from django.conf import settings; print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"


def production_settings(**extra: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="localhost", **extra)
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup(); {PRINT}"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.split()


@pytest.mark.parametrize(
    ("extra", "engine", "cache"),
    [
        ({}, "django.contrib.sessions.backends.db", "django.core.cache.backends.locmem.LocMemCache"),
        (
            {"CACHE_REDIS_URL": "redis://127.0.0.1:6379/13"},
            "django.contrib.sessions.backends.cached_db",
            "core.cache.RedisCache",
        ),
    ],
)
def test_sessions_are_cached_only_in_a_shared_cache(extra, engine, cache):
    assert production_settings(**extra) == [engine, cache]
