"""The page list of the browser checks (tests/e2e/main_pages.py) follows the permissions: each role's pages answer
200 to it, and the main pages left out of a role's list answer 403 or 404 (or, anonymous, lead to the login). The
accessibility statement lists the same pages, roles and counts."""

import re

import pytest
from django.urls import reverse

from .main_pages import PAGES, ROLE_PAGES, ROLES, make_user, resolve

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonimo"])
def test_each_role_opens_its_pages_and_only_them(client, role):
    client.force_login(make_user(role))
    statuses = {key: client.get(resolve(key)).status_code for key in PAGES if key != "login"}
    listed = {key: status for key, status in statuses.items() if key in ROLE_PAGES[role] and status != 200}
    assert not listed, f"pagine elencate per {role} che non rispondono 200: {listed}"
    unlisted = {key: status for key, status in statuses.items() if key not in ROLE_PAGES[role]}
    assert all(status in (403, 404) for status in unlisted.values()), (
        f"pagine non elencate per {role} ma aperte (aggiungerle a ROLE_PAGES): {unlisted}"
    )


def test_anonymous_opens_only_the_login_and_public_pages(client):
    for key in ROLE_PAGES["anonimo"]:
        assert client.get(resolve(key)).status_code == 200, key
    for key in PAGES:
        if key not in (*ROLE_PAGES["anonimo"], "accessibilita"):
            response = client.get(resolve(key))
            assert response.status_code == 302, key
            assert reverse("login") in response["Location"], key


# How the statement names the roles: in the table of pages, and in the list of counts per role.
ABBREVIATIONS = {
    "utente non autenticato": "anonimo",
    "UdP": "udp",
    "Dir.": "dirigente",
    "Op.": "operatore",
    "Reg.": "regione",
    "Amm.": "admin",
}
COUNT_LABELS = {
    "anonimo": "utente non autenticato",
    "udp": "Ufficio di Piano",
    "dirigente": "Dirigente",
    "operatore": "Operatore comunale",
    "regione": "Regione",
    "admin": "Amministratore",
}


def test_the_accessibility_statement_lists_the_checked_pages_and_roles(client):
    """templates/portal/accessibilita.html lists what the browser checks cover: the same pages, roles and counts."""
    client.force_login(make_user("udp"))
    html = client.get(resolve("accessibilita")).content.decode()
    table = html.split('data-testid="pagine-controllate"')[1].split("</table>")[0]
    listed = {
        title.replace("&#x27;", "'"): {ABBREVIATIONS[r.strip()] for r in roles.split(",")}
        for title, roles in re.findall(r'<th scope="row"[^>]*>([^<]+)</th><td>([^<]+)</td>', table)
    }
    expected = {page.title: {role for role, keys in ROLE_PAGES.items() if page.key in keys} for page in PAGES.values()}
    assert listed == expected
    counts = html.split('data-testid="ruoli-controllati"')[1].split("</ul>")[0]
    for role, label in COUNT_LABELS.items():
        found = re.search(rf"<li>{label}[^:<]*: (\d+) pagin[ae]", counts)
        assert found, role
        assert int(found[1]) == len(ROLE_PAGES[role]), (role, len(ROLE_PAGES[role]))
