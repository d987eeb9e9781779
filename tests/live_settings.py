"""Settings of the servers and workers that tests start (tests/live_gunicorn.py, tests/jobs/worker.py):
config.settings plus the same overrides as the autouse `test_settings` fixture of tests/conftest.py, so that users
created by a test (MD5 password hashes) can log in through the real login form. The database is DATABASE_URL (the
test database).

Jobs run in the request (ImmediateBackend) unless LIVE_TASKS_BACKEND is «db» or «rq» (a real worker: the test
starts it); LIVE_JOBS_STEP_DELAY slows each progress step of a job by that many seconds (so that a test can kill
a worker in the middle of a job), LIVE_JOBS_HEARTBEAT_* shorten the heartbeat."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
if os.environ.get("LIVE_MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["LIVE_MEDIA_ROOT"])

_backend = os.environ.get("LIVE_TASKS_BACKEND", "immediate")
if _backend == "rq":
    INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in ("django_rq", "django_tasks_rq")]
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    RQ_QUEUES = {"default": {"URL": os.environ.get("LIVE_REDIS_URL", REDIS_URL), "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif _backend == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JOBS_STEP_DELAY = float(os.environ.get("LIVE_JOBS_STEP_DELAY") or 0)
JOBS_HEARTBEAT_INTERVAL = float(os.environ.get("LIVE_JOBS_HEARTBEAT_INTERVAL") or 10)
JOBS_HEARTBEAT_TIMEOUT = float(os.environ.get("LIVE_JOBS_HEARTBEAT_TIMEOUT") or 45)
