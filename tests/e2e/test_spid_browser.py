"""In Chromium: «Entra con SPID / CIE» through a real OpenID Connect provider on loopback (oidc-provider-mock), and
out again through the provider's end of session; the login page with the button and the refusal page pass axe-core
and fit a phone."""

from __future__ import annotations

import pytest
import requests
from django.urls import reverse
from oidc_provider_mock import run_server_in_thread

from accounts.models import Profilo
from tests.factories import user_with_role

from . import test_main_pages_browser as main_pages_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe_path = main_pages_browser.axe_path  # the fixture: axe-core from node_modules (skipped or failed without it)
CF_ADMIN = "MMNPRT80A01F205F"


@pytest.fixture
def spid(settings):
    with run_server_in_thread() as server:
        url = f"http://localhost:{server.server_port}"
        settings.OIDC_ISSUER = url
        settings.OIDC_CLIENT_ID = "portale-browser"
        settings.OIDC_CLIENT_SECRET = "segreto-di-prova"
        yield url


def set_claims(provider: str, sub: str, claims: dict) -> None:
    assert requests.put(f"{provider}/users/{sub}", json=claims, timeout=10).status_code == 204


def consent(page, sub: str) -> None:
    """On the provider's page (the part iam-proxy-italia and the IdP play in production): log in as `sub`."""
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def axe_violations(page, axe_path) -> list[str]:
    page.add_script_tag(path=str(axe_path))
    found = page.evaluate(main_pages_browser._AXE_JS, [main_pages_browser.AXE_TAGS, main_pages_browser.AXE_EXTRA_RULES])
    return [f"{v['id']}: {v['help']} {v['targets']}" for v in found]


def test_spid_login_and_logout_through_the_provider(live_server, page, spid):
    user = user_with_role("spid.amministratore", None)
    Profilo.objects.create(user=user, codice_fiscale=CF_ADMIN)
    set_claims(spid, "amministratore", {"fiscalNumber": f"TINIT-{CF_ADMIN}"})

    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_role("link", name="Entra con SPID / CIE").click()
    page.wait_for_url(f"{spid}/oauth2/authorize**")
    consent(page, "amministratore")
    page.wait_for_url(f"{live_server.url}{reverse('portal:home')}")
    assert page.get_by_role("button", name="Esci").is_visible()

    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(f"{spid}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{live_server.url}{reverse('login')}")
    page.goto(f"{live_server.url}{reverse('portal:home')}")
    assert reverse("login") in page.url  # logged out of the portal too


def test_login_page_and_refusal_page_are_accessible(live_server, page, spid, axe_path):
    set_claims(spid, "sconosciuto", {"fiscalNumber": "TINIT-RSSMRA85T10A562S"})
    problems = []
    page.goto(f"{live_server.url}{reverse('login')}")
    problems += axe_violations(page, axe_path)
    page.set_viewport_size(main_pages_browser.PHONE)
    page.goto(f"{live_server.url}{reverse('login')}")
    assert page.evaluate("document.documentElement.scrollWidth") <= main_pages_browser.PHONE["width"]
    problems += axe_violations(page, axe_path)

    page.get_by_role("link", name="Entra con SPID / CIE").click()
    consent(page, "sconosciuto")
    page.wait_for_url(f"{live_server.url}{reverse('oidc_callback')}**")
    assert page.get_by_role("heading", level=1).inner_text() == "Accesso non consentito"
    assert page.get_by_test_id("codice-fiscale").inner_text() == "RSSMRA85T10A562S"
    problems += axe_violations(page, axe_path)
    assert not problems, "violazioni axe-core:\n  " + "\n  ".join(problems)
