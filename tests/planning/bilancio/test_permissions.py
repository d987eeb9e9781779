"""Who reaches the budget pages: the Ufficio di Piano reads and changes, the Dirigente reads and gets 403 on every
change, the Operatore comunale gets 404 on the budget but reads its own Comune's shares, another Ambito's office
gets 404 everywhere."""

from decimal import Decimal

import pytest
from django.urls import reverse

from planning.bilancio import services
from planning.models import Assegnazione, Movimento, QuotaComune, RegolaQuote, RigaBilancio, VersamentoComune

from .conftest import assegna

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_budget")]


@pytest.fixture
def quote(piano):
    RegolaQuote.objects.create(piano=piano, metodo="quota_fissa", importo_annuo=Decimal("13000.00"))
    services.quote_ricalcola(piano=piano)


def urls(piano, fnps, riga):
    s = piano.slug
    read = [
        reverse("planning:bilancio", args=[s]),
        reverse("planning:riga_bilancio", args=[riga.pk]),
        reverse("planning:quote_comuni", args=[s]),
        reverse("planning:quota_comune", args=[s, "015130"]),
        reverse("planning:bilancio_rischio", args=[s]),
    ]
    edit = [
        reverse("planning:assegnazione_create", args=[s]),
        reverse("planning:assegnazione_update", args=[fnps.pk]),
        reverse("planning:riga_bilancio_create", args=[s]),
        reverse("planning:riga_bilancio_update", args=[riga.pk]),
    ]
    return read, edit


def magenta_2025(piano) -> QuotaComune:
    """Magenta's share of 2025 (the `quote` fixture computes the shares)."""
    return piano.quote_comuni.get(comune_id="015130", anno=2025)


def posts(piano, fnps, riga):
    """Every POST of the budget pages, with valid data."""
    s = piano.slug
    return [
        (
            reverse("planning:assegnazione_create", args=[s]),
            {"fondo": _fondo("FNA"), "anno": "2025", "importo": "1.000,00"},
        ),
        (
            reverse("planning:assegnazione_update", args=[fnps.pk]),
            {"fondo": fnps.fondo_id, "anno": "2025", "importo": "200.000,00"},
        ),
        (
            reverse("planning:riga_bilancio_create", args=[s]),
            {"intervento": riga.intervento_id, "assegnazione": fnps.pk, "anno": "2026", "importo": "10,00"},
        ),
        (
            reverse("planning:riga_bilancio_update", args=[riga.pk]),
            {"intervento": riga.intervento_id, "assegnazione": fnps.pk, "anno": "2025", "importo": "20.000,00"},
        ),
        (
            reverse("planning:riga_bilancio", args=[riga.pk]),
            {"tipo": "impegno", "natura": "nuovo", "data": "15/03/2025", "atto": "Det. 1/2025", "importo": "1.234,56"},
        ),
        (
            reverse("planning:quote_comuni", args=[s]),
            {"metodo": "quota_fissa", "anno_popolazione": "", "importo_annuo": "26.000,00"},
        ),
        (
            reverse("planning:quota_comune", args=[s, "015130"]),
            {"quota": magenta_2025(piano).pk, "data": "01/02/2025", "importo": "100,00", "atto": "Reversale 3"},
        ),
    ]


def _fondo(codice):
    from planning.models import Fondo  # noqa: PLC0415

    return Fondo.objects.get(codice=codice).pk


def state():
    """What the budget's POSTs may change: counts and amounts."""
    return (
        Assegnazione.objects.count(),
        list(Assegnazione.objects.values_list("importo", flat=True).order_by("pk")),
        RigaBilancio.objects.count(),
        list(RigaBilancio.objects.values_list("importo", flat=True).order_by("pk")),
        Movimento.objects.count(),
        RegolaQuote.objects.values_list("importo_annuo", flat=True).first(),
        VersamentoComune.objects.count(),
    )


def assert_every_post_refused(client, requests, status: int) -> None:
    """Each of `requests` (url, data) gets `status` and the budget stays as it was."""
    before = state()
    for url, data in requests:
        assert client.post(url, data).status_code == status, url
    assert state() == before


def test_ufficio_di_piano_reads_and_posts_everywhere(client_for, udp_user, piano, fnps, riga_fnps, quote):
    client = client_for(udp_user)
    read, edit = urls(piano, fnps, riga_fnps)
    for url in read + edit:
        assert client.get(url).status_code == 200, url
    for url, data in posts(piano, fnps, riga_fnps):
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[-3000:])
    assert Assegnazione.objects.filter(piano=piano).count() == 2
    fnps.refresh_from_db()
    assert fnps.importo == 200000
    riga_fnps.refresh_from_db()
    assert riga_fnps.importo == 20000
    assert RigaBilancio.objects.filter(piano=piano, anno=2026).count() == 1
    assert Movimento.objects.get(riga=riga_fnps).importo == Decimal("1234.56")
    assert RegolaQuote.objects.get(piano=piano).importo_annuo == 26000
    assert VersamentoComune.objects.get(quota=magenta_2025(piano)).importo == 100


def test_dirigente_reads_but_gets_403_on_every_change(client_for, dirigente_user, piano, fnps, riga_fnps, quote):
    client = client_for(dirigente_user)
    read, edit = urls(piano, fnps, riga_fnps)
    for url in read:
        assert client.get(url).status_code == 200, url
    for url in edit:
        assert client.get(url).status_code == 403, url
    assert_every_post_refused(client, posts(piano, fnps, riga_fnps), 403)


def test_dirigente_sees_no_form_nor_button(client_for, dirigente_user, piano, fnps, riga_fnps, quote):
    client = client_for(dirigente_user)
    read, _ = urls(piano, fnps, riga_fnps)
    for url in read:
        page = client.get(url).content.decode()
        for form_id in ("movimento-form", "regola-form", "versamento-form"):
            assert form_id not in page, url
        assert "/nuova/" not in page, url
        assert "/modifica/" not in page, url


def test_operatore_gets_404_on_the_budget_but_reads_its_own_quota(
    client_for, operatore_user, piano, fnps, riga_fnps, quote
):
    client = client_for(operatore_user)
    read, edit = urls(piano, fnps, riga_fnps)
    own = reverse("planning:quota_comune", args=[piano.slug, "015130"])
    for url in read + edit:
        if url != own:
            assert client.get(url).status_code == 404, url
    page = client.get(own)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Quote di Magenta" in text
    assert "versamento-form" not in text
    arluno = piano.quote_comuni.exclude(comune_id="015130").first().comune_id
    assert client.get(reverse("planning:quota_comune", args=[piano.slug, arluno])).status_code == 404
    data = {"quota": magenta_2025(piano).pk, "data": "01/02/2025", "importo": "100,00"}
    assert client.post(own, data).status_code == 403
    assert not VersamentoComune.objects.exists()


def test_other_ambito_office_gets_404_everywhere(client_for, udp_oglio, piano, fnps, riga_fnps, quote):
    client = client_for(udp_oglio)
    read, edit = urls(piano, fnps, riga_fnps)
    for url in read + edit:
        assert client.get(url).status_code == 404, url
    assert_every_post_refused(client, posts(piano, fnps, riga_fnps), 404)


def test_a_comune_outside_the_plan_is_404(client_for, udp_user, piano, reggio):
    assert client_for(udp_user).get(reverse("planning:quota_comune", args=[piano.slug, reggio.pk])).status_code == 404


def test_locked_plan_refuses_changes_with_403(client_for, udp_user, piano, fnps, riga_fnps):
    from tests.planning.piano.conftest import approva  # noqa: PLC0415

    approva(piano)
    client = client_for(udp_user)
    assert client.get(reverse("planning:bilancio", args=[piano.slug])).status_code == 200
    assert client.get(reverse("planning:assegnazione_create", args=[piano.slug])).status_code == 403
    data = {"tipo": "impegno", "natura": "nuovo", "data": "15/03/2025", "atto": "Det. 1", "importo": "10"}
    assert client.post(reverse("planning:riga_bilancio", args=[riga_fnps.pk]), data).status_code == 403
    assert not Movimento.objects.exists()
    assert assegna  # the helper stays importable for the other modules


def test_the_comune_page_links_the_operatore_to_its_shares(client_for, operatore_user, piano, quote):
    page = client_for(operatore_user).get(reverse("planning:comune_detail", args=["015130"])).content.decode()
    assert reverse("planning:quota_comune", args=[piano.slug, "015130"]) in page


def _crumbs(client, url):
    from tests.page_crawl import page_nav  # noqa: PLC0415

    nav = page_nav(client.get(url).content.decode())
    return [item.label for item in nav.breadcrumbs[0]], nav


def test_breadcrumbs_of_the_budget_pages(client_for, udp_user, operatore_user, piano, fnps, riga_fnps, quote):
    client = client_for(udp_user)
    base = ["Home", "Piano di Zona", piano.titolo]
    assert _crumbs(client, reverse("planning:bilancio", args=[piano.slug]))[0] == [*base, "Bilancio"]
    labels, nav = _crumbs(client, reverse("planning:riga_bilancio", args=[riga_fnps.pk]))
    assert labels[:4] == [*base, "Bilancio"]
    assert labels[4].startswith(f"FNPS 2025 → {riga_fnps.intervento.titolo[:20]}")
    assert [i.label for i in nav.menu if i.active or i.current] == ["Piano di Zona"]
    assert _crumbs(client, reverse("planning:bilancio_rischio", args=[piano.slug]))[0] == [
        *base, "Bilancio", "Quote a rischio",
    ]  # fmt: skip
    assert _crumbs(client, reverse("planning:quota_comune", args=[piano.slug, "015130"]))[0] == [
        *base, "Quote dei Comuni", "Magenta",
    ]  # fmt: skip
    operatore = client_for(operatore_user)
    labels, _ = _crumbs(operatore, reverse("planning:quota_comune", args=[piano.slug, "015130"]))
    assert labels == ["Home", "Magenta", f"Quote di Magenta · {piano.titolo}"]
