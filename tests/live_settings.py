"""Settings of the gunicorn server that tests start (tests/live_gunicorn.py): config.settings plus the same
overrides as the autouse `test_settings` fixture of tests/conftest.py, so that users created by a test (MD5
password hashes) can log in through the real login form. The database is DATABASE_URL (the test database)."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
REPORTS_SYNC = True
if os.environ.get("LIVE_MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["LIVE_MEDIA_ROOT"])
