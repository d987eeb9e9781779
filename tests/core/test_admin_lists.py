"""The admin as the Amministratore reads it: years as 2025 (not 2.025) in every list, lists that fit the screen
(foreign keys and long texts cut), django-axes' pages in Italian."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib import admin
from django.urls import reverse

from planning.models import Fondo, Intervento, Risorsa

pytestmark = pytest.mark.django_db

CHANGELISTS = sorted(
    reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
)
# Lists whose demo rows have a year column (the test fails if one of them shows none).
WITH_YEARS = {
    reverse("admin:territory_popolazione_changelist"),
    reverse("admin:planning_pianodizona_changelist"),
    reverse("admin:planning_risorsa_changelist"),
    reverse("admin:planning_targetindicatore_changelist"),
    reverse("admin:planning_valorestampato_changelist"),
    reverse("admin:planning_pianoperformance_changelist"),
    reverse("admin:monitoring_rilevazione_changelist"),
    reverse("admin:monitoring_modelloscheda_changelist"),
}
CELL = re.compile(r'<t[dh] class="field-([\w]+)( nowrap)?"[^>]*>(.*?)</t[dh]>', re.S)


def cells(html: str) -> list[tuple[str, bool, str]]:
    """(field name, printed without wrapping, text) of every cell of the change list."""
    table = html.split('id="result_list"', 1)[1] if 'id="result_list"' in html else ""
    return [
        (name, bool(nowrap), unescape(re.sub(r"<[^>]+>", "", body)).strip())
        for name, nowrap, body in CELL.findall(table)
    ]


@pytest.fixture
def admin_client_with_data(client, admin_user):
    intervento = Intervento.objects.order_by("pk").first()
    Risorsa.objects.create(intervento=intervento, fondo=Fondo.objects.first(), anno=2025, previsto=Decimal("1234.5"))
    client.force_login(admin_user)
    return client


def test_every_admin_list_is_found():
    assert len(CHANGELISTS) >= 40
    assert set(CHANGELISTS) >= WITH_YEARS


@pytest.mark.parametrize("url", CHANGELISTS)
def test_admin_list_shows_years_without_separator_and_short_unwrapped_cells(admin_client_with_data, url):
    response = admin_client_with_data.get(url)
    assert response.status_code == 200
    found = cells(response.content.decode())
    years = [text for name, _, text in found if name == "anno" or name.startswith("anno_")]
    assert all(re.fullmatch(r"\d{4}|-", text) for text in years), years
    assert not any(re.fullmatch(r"\d\.\d{3}", text) for text in years)
    if url in WITH_YEARS:
        assert any(re.fullmatch(r"(19|20)\d\d", text) for text in years), f"{url}: no year shown"
    too_long = [(name, text) for name, nowrap, text in found if nowrap and len(text) > 50]
    assert not too_long, too_long  # a cell printed on one line widens the whole list


def test_long_foreign_keys_are_cut_with_the_whole_text_as_tooltip(admin_client_with_data):
    html = admin_client_with_data.get(reverse("admin:planning_intervento_changelist")).content.decode()
    obiettivi = [text for name, _, text in cells(html) if name == "obiettivo"]
    assert obiettivi
    assert max(len(t) for t in obiettivi) <= 50
    assert any(t.endswith("…") for t in obiettivi)
    assert re.search(r'<td class="field-obiettivo"><span title="[^"]{51,}">', html)


def test_axes_pages_are_in_italian(client, admin_user):
    client.post(reverse("login"), {"username": "amministratore", "password": "sbagliata"}, REMOTE_ADDR="10.9.9.9")
    client.force_login(admin_user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Sicurezza degli accessi" in index
    assert "Tentativi di accesso" in index
    assert "Registri degli accessi" in index
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    italian = [
        "Scegli tentativo di accesso da modificare", "Data e ora del tentativo", "Indirizzo IP",
        "Per data e ora del tentativo", "Accessi falliti", "tentativi rimasti", "Elimina i tentativi scaduti",
    ]  # fmt: skip
    for label in italian:
        assert label in page, label
    for english in ("Access attempt", "Attempt Time", "IP Address", "Failed Logins", "Attempt Remaining", "Status"):
        assert english not in page, english
    for url in (reverse("admin:axes_accesslog_changelist"), reverse("admin:axes_accessfailurelog_changelist")):
        page = client.get(url).content.decode()
        assert "Scegli registr" in page or "Scegli access" in page
        assert "Attempt Time" not in page
        assert "Path" not in page
