"""The shared start of the Django benchmarks (api, piano, regione, reports, scale, schede, territory) and their
percentile.

``start()`` is the common start of a benchmark's main(): --runs and its other integer options, the database named and
migrated; ``load_demo_unless()`` loads the demo data when the benchmark does not find what it needs.

Each script calls ``setup_django()`` before importing Django or the project: the project goes on sys.path, the
database is a throw-away SQLite file unless DATABASE_URL is set, and Django is set up.
"""

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

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


def start(runs: int = 30, **options: int) -> argparse.Namespace:
    """Parse --runs (default `runs`) and an integer option --name per keyword of `options` (its value the default),
    print which database is used and when, and migrate it (after ``setup_django()``)."""
    from django.core.management import call_command
    from django.db import connection

    parser = argparse.ArgumentParser()
    for name, default in {"runs": runs, **options}.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}), {datetime.now():%d/%m/%Y %H:%M}")
    call_command("migrate", verbosity=0)
    return args


def load_demo_unless(present: Any) -> bool:
    """Load the demo data without its users (load_demo --no-users) unless the queryset `present` finds a row; True
    when it loaded them."""
    from django.core.management import call_command

    if present.exists():
        return False
    call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())
    return True
