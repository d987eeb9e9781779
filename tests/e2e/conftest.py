"""Shared steps of the browser tests: the demo data committed for the live server, and logging in through the
real login form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from territory.models import Ambito
from tests import demo_snapshot
from tests.factories import TEST_PASSWORD, user_with_role


@pytest.fixture
def demo_magentino(db) -> Ambito:
    """The demo data (committed: the browser talks to a live server) and the Magentino Ambito."""
    demo_snapshot.load_demo()
    return Ambito.objects.get(slug="magentino")


def log_in(page, live_server, username: str, path: str | None = None) -> None:
    """Open `path` (the login page when None), check that it asks for the login, log in through the form and wait
    to be back on `path` (the home page when None)."""
    page.goto(f"{live_server.url}{path or reverse('login')}")
    assert reverse("login") in page.url  # the page asks for the login first
    page.get_by_label("Nome utente").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.wait_for_url(f"{live_server.url}{path or reverse('portal:home')}")


def log_in_new_user(page, live_server, username: str, ruolo: str, path: str | None = None, **where) -> None:
    """Make the user (tests.factories.user_with_role: `ruolo` on `where`, e.g. ambito=...) and log in as them."""
    user_with_role(username, ruolo, **where)
    log_in(page, live_server, username, path)
