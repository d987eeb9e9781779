"""The shared start of the Django benchmarks (piano, reports, schede, territory) and their percentile.

``start()`` is the common start of the piano and territory benchmarks' main(): --runs, the database named and migrated.

Each script calls ``setup_django()`` before importing Django or the project: the project goes on sys.path, the
database is a throw-away SQLite file unless DATABASE_URL is set, and Django is set up.
"""

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> bool:
    """Configure and set up Django for a benchmark; True when it runs on a fresh throw-away SQLite database."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    fresh = "DATABASE_URL" not in os.environ
    if fresh:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django  # Django reads the settings module named above

    django.setup()
    return fresh


def percentile(values: Sequence[float], pct: float) -> float:
    """The value below which `pct` per cent of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def start(runs: int = 30) -> argparse.Namespace:
    """Parse --runs (default `runs`), print which database is used and migrate it (after ``setup_django()``)."""
    from django.core.management import call_command
    from django.db import connection

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=runs)
    args = parser.parse_args()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    return args
