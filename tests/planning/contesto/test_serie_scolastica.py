"""The Casalasco SAAP series by school year (seed 003, cap. 4.1): stored as facts keyed by the school year's first
year, shown on the context pages (table and chart) and in the Piano di Zona's spending section, its printed totals
compared with the sum of the school levels."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from planning.contesto.demo import demo_contesto_load
from planning.contesto.selectors import school_series
from planning.models import DatoScolastico, SerieScolastica, ValoreStampato, anno_scolastico
from reports.piano.chapters.spesa import spesa_context
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def saap():
    return SerieScolastica.objects.get(ambito__slug="casalasco", codice="SAAP")


def _facts(serie, misura, ordine=""):
    return dict(
        DatoScolastico.objects.filter(serie=serie, misura=misura, ordine_scuola=ordine).values_list(
            "anno_inizio", "valore"
        )
    )


def test_school_year_is_its_own_key():
    assert anno_scolastico(2018) == "2018/2019"


def test_loaded_values_equal_the_seed(saap):
    assert _facts(saap, "utenti") == {2017: 60, 2018: 74, 2019: 67, 2020: 66}
    assert {o: _facts(saap, "utenti", o) for o in ("infanzia", "primaria", "secondaria_1", "secondaria_2")} == {
        "infanzia": {2021: 9},
        "primaria": {2021: 38},
        "secondaria_1": {2021: 21},
        "secondaria_2": {2021: 17},
    }
    assert _facts(saap, "spesa") == {
        2017: Decimal("354593.38"),
        2018: Decimal("407602.58"),
        2019: Decimal("298782.13"),
        2020: Decimal("373297.74"),
    }
    printed = ValoreStampato.objects.filter(serie=saap).order_by("etichetta")
    assert [(p.etichetta, p.anno, p.valore) for p in printed] == [
        ("TOTALE 2021/2022 (per ordine di scuola)", 2021, Decimal("85")),
        ("n. minori assistiti 2021/2022", 2021, Decimal("85")),
    ]


def test_the_series_computes_the_2021_total_from_the_levels(saap):
    (s,) = [s for s in school_series(saap.ambito) if s.serie == saap]
    assert s.etichette_anni == ["2017/2018", "2018/2019", "2019/2020", "2020/2021", "2021/2022"]
    righe = {r.etichetta: r.valori for r in s.righe}
    assert righe["Minori assistiti"] == [60, 74, 67, 66, 85]
    assert righe["di cui primaria"] == [None, None, None, None, 38]
    assert righe["Spesa per minore assistito (€)"][:2] == [Decimal("5909.89"), Decimal("5508.14")]
    assert righe["Spesa per minore assistito (€)"][4] is None  # 2021/2022: no spending printed
    assert [c.difforme for c in s.controlli] == [False, False]


def test_a_total_that_disagrees_is_flagged(client_for, udp_oglio, saap):
    DatoScolastico.objects.filter(serie=saap, ordine_scuola="primaria").update(valore=37)
    page = client_for(udp_oglio).get(reverse("planning:contesto", args=["casalasco"])).content.decode()
    assert "stampato 85, calcolato 84 <strong" in page
    assert "≠ differenza -1" in page
    assert 'data-testid="discrepanze"' in page


def test_loading_twice_adds_nothing(saap):
    before = (DatoScolastico.objects.count(), ValoreStampato.objects.count(), SerieScolastica.objects.count())
    demo_contesto_load()
    after = (DatoScolastico.objects.count(), ValoreStampato.objects.count(), SerieScolastica.objects.count())
    assert after == before


@pytest.mark.parametrize("slug", ["casalasco", "oglio-po"])
def test_context_page_shows_the_series_and_its_chart(client_for, udp_oglio, slug):
    page = client_for(udp_oglio).get(reverse("planning:contesto", args=[slug])).content.decode()
    assert 'data-testid="serie-scolastica-saap"' in page
    assert '<th scope="col" class="text-end">2018/2019</th>' in page
    assert "354.593,38" in page
    assert "373.297,74" in page
    assert "«n. minori assistiti 2021/2022»: stampato 85, calcolato 85 ✓" in page
    assert 'data-testid="grafico-serie-scolastica-' in page
    assert "7 interventi (a.s. 21/22)" in page


def test_a_dirigente_of_oglio_po_reads_the_series(client_for, oglio_po):
    user = user_with_role("dirigente-oglio", Ruolo.DIRIGENTE, ambito=oglio_po)
    response = client_for(user).get(reverse("planning:contesto", args=["casalasco"]))
    assert response.status_code == 200
    assert "354.593,38" in response.content.decode()


def test_magentino_users_do_not_see_it(client_for, udp_user, dirigente_user, operatore_user):
    for user in (udp_user, dirigente_user, operatore_user):
        for slug in ("casalasco", "oglio-po"):
            assert client_for(user).get(reverse("planning:contesto", args=[slug])).status_code in (403, 404)


def test_page_queries_do_not_grow_with_the_series(client_for, udp_oglio, saap, django_assert_max_num_queries):
    client = client_for(udp_oglio)
    url = reverse("planning:contesto", args=["oglio-po"])
    client.get(url)
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    other = SerieScolastica.objects.create(ambito=saap.ambito, codice="ALTRA", titolo="Altra serie", ordine=2)
    DatoScolastico.objects.bulk_create(
        DatoScolastico(serie=other, anno_inizio=a, misura="utenti", valore=a - 2000) for a in range(2010, 2020)
    )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200


def test_piano_di_zona_spending_section_prints_the_series(piano_oglio):
    blocchi = spesa_context(piano_oglio)["blocchi"]
    tabelle = [b for kind, b in blocchi if kind == "tabella" and "assistenza ad personam" in b.titolo]
    assert len(tabelle) == 1
    t = tabelle[0]
    assert t.intestazioni == ["Anno scolastico", "2017/2018", "2018/2019", "2019/2020", "2020/2021", "2021/2022"]
    righe = {r.etichetta: r.celle for r in t.righe}
    assert righe["Minori assistiti"] == ["60", "74", "67", "66", "85"]
    assert righe["Spesa complessiva (€)"] == ["354.593,38", "407.602,58", "298.782,13", "373.297,74", "—"]
    figure = [b for kind, b in blocchi if kind == "figura" and b.chart.chart_id.startswith("serie-scolastica-")]
    assert figure
    assert figure[0].chart.points() == [60, 74, 67, 66, 85]
