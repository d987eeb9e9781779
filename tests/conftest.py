"""Shared fixtures: the demo territory (loaded once per session), users per role, browser settings."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import Ruolo
from planning.models import Ambito, Comune

from .factories import user_with_role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the ISTAT Comuni and the demo territory once; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_demo", "--no-users", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.MEDIA_ROOT = tmp_path / "media"  # generated reports of a test stay in its own folder
    settings.REPORTS_SYNC = True  # reports are generated in the request (the background path has its own test)


@pytest.fixture
def magentino(db):
    return Ambito.objects.get(slug="magentino")


@pytest.fixture
def oglio_po(db):
    return Ambito.objects.get(slug="oglio-po")


@pytest.fixture
def magenta(db):
    return Comune.objects.get(codice_istat="015130")


@pytest.fixture
def arluno(db):
    return Comune.objects.get(nome="Arluno", sigla_provincia="MI")


@pytest.fixture
def reggio(db):
    return Comune.objects.get(codice_istat="035033")


@pytest.fixture
def admin_user(db):
    return user_with_role("amministratore", None)


@pytest.fixture
def udp_user(magentino):
    return user_with_role("udp", Ruolo.UFFICIO_PIANO, ambito=magentino)


@pytest.fixture
def dirigente_user(magentino):
    return user_with_role("dirigente", Ruolo.DIRIGENTE, ambito=magentino)


@pytest.fixture
def operatore_user(magenta):
    return user_with_role("operatore", Ruolo.OPERATORE, comune=magenta)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as user."""

    def make(user):
        client.force_login(user)
        return client

    return make


# --- Browser tests (pytest-playwright with Debian's Chromium) -----------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def pytest_runtest_setup(item):
    """Browser tests need Debian's Chromium: skipped with a reason without it, failed when REQUIRE_BROWSER=1."""
    if "browser" not in item.keywords or CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 ma Chromium non è installato in {CHROMIUM}", pytrace=False)
    pytest.skip(f"Chromium non trovato in {CHROMIUM}: test nel browser saltati (apt-get install chromium)")
