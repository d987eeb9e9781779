"""Context facts: per-capita spending computed from the facts (162,12 «con UdP» in 2022, as seed 001 Tab. 9) and
every printed total that disagrees with the facts flagged (Tab. 1 2023, Tab. 12 2020 and 2021, Tab. 13, Tab. 14)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from planning.contesto.selectors import per_capita, printed_checks, spending_tables
from planning.models import SpesaSociale, TabellaSpesa, ValoreStampato, VoceSpesa
from territory.models import Comune

pytestmark = pytest.mark.django_db


def _q(value, places="0.01"):
    return value.quantize(Decimal(places))


def _table(ambito, codice):
    return next(t for t in spending_tables(ambito) if t.codice == codice)


def test_per_capita_con_udp_2022_is_162_12(magentino):
    anni = {a.anno: a for a in per_capita(magentino).anni}
    a = anni[2022]
    assert a.spesa_totale == Decimal("21109118.12")
    assert a.popolazione == 130209
    assert _q(a.pro_capite_totale) == Decimal("162.12")
    assert a.stampato_totale.atteso == Decimal("162.12")
    assert not a.stampato_totale.difforme
    assert [_q(anni[y].pro_capite_totale) for y in (2019, 2020, 2021)] == [
        Decimal("144.63"), Decimal("146.67"), Decimal("166.16")
    ]  # fmt: skip


def test_printed_senza_udp_average_is_flagged_and_explained(magentino):
    a = {x.anno: x for x in per_capita(magentino).anni}[2022]
    assert _q(a.pro_capite_comuni) == Decimal("141.02")
    assert a.stampato_comuni.atteso == Decimal("138.97")
    assert a.stampato_comuni.difforme
    assert _q(a.media_stampati_comuni) == Decimal("138.97")
    assert "media semplice" in a.stampato_comuni.spiegazione


def test_tab1_2023_printed_total_disagrees_with_the_comuni(magentino):
    checks = [c for c in printed_checks(magentino) if c.riferimento == "Tab. 1"]
    assert len(checks) == 10
    flagged = [c for c in checks if c.difforme]
    assert [(c.anno, c.atteso, c.calcolato) for c in flagged] == [(2023, Decimal("130711"), Decimal("130719"))]


def test_tab12_2020_and_2021_do_not_add_up_to_tab8(magentino):
    t = _table(magentino, "Tab. 12")
    assert [c.anno for c in t.discrepanze] == [2020, 2021]
    by_year = {c.anno: c for c in t.discrepanze}
    assert by_year[2020].calcolato == Decimal("19996132")
    assert by_year[2020].atteso == Decimal("18949254.92")
    assert by_year[2021].calcolato == Decimal("17478685")
    assert by_year[2021].atteso == Decimal("21418611.60")
    assert not _table(magentino, "Tab. 10").discrepanze  # the areas add up (rounding to the euro tolerated)


def test_tab13_shares_and_tab14_against_tab8(magentino):
    assert [c.anno for c in _table(magentino, "Tab. 13").discrepanze] == [2019, 2020, 2021, 2022]
    tab14 = _table(magentino, "Tab. 14")
    assert [(c.anno, c.stampato) for c in tab14.discrepanze] == [(2019, False), (2020, False), (2022, False)]
    stampati = [c for r in tab14.controlli if r.stampato for c in r.celle]
    assert [c.difforme for c in stampati] == [False] * 4  # the printed «Totale spesa» matches its rows (± rounding)


def test_tab11_printed_variations_match(magentino):
    t = _table(magentino, "Tab. 11")
    assert len([r for r in t.righe if r.variazione_stampata]) == 17
    assert not t.discrepanze


def test_text_variation_of_12_5_is_flagged(magentino):
    check = next(
        c for c in printed_checks(magentino) if c.oggetto.grandezza == "variazione" and c.oggetto.ente == "ambito"
    )
    assert check.atteso == Decimal("12.5")
    assert _q(check.calcolato, "0.1") == Decimal("12.9")
    assert check.difforme


def test_oglio_po_population_and_casalasco_tables(oglio_po):
    flagged = [c for c in printed_checks(oglio_po) if c.difforme]
    assert [(c.etichetta, c.atteso, c.calcolato) for c in flagged] == [
        ("TOTALE 2020 Femmine", Decimal("41316"), Decimal("41709"))
    ]
    tables = {t.codice: t for t in spending_tables(oglio_po)}
    assert tables["Anziani 2017-2019"].totali == [Decimal("547673"), Decimal("460333"), Decimal("292884")]
    assert tables["Disabili 2017-2019"].totali == [Decimal("428660"), Decimal("605232"), Decimal("684524")]
    assert all(not t.discrepanze for t in tables.values())


def test_a_changed_fact_changes_the_computed_figures(magentino):
    fact = SpesaSociale.objects.get(tabella__ambito=magentino, tabella__codice="Tab. 8", voce__codice="udp", anno=2022)
    fact.valore += Decimal("10000")
    fact.save()
    a = {x.anno: x for x in per_capita(magentino).anni}[2022]
    assert a.stampato_totale.difforme  # 21.119.118,12 / 130.209 = 162,20


def test_load_demo_twice_does_not_duplicate(magentino):
    counts = (TabellaSpesa.objects.count(), SpesaSociale.objects.count(), ValoreStampato.objects.count())
    call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())
    assert (TabellaSpesa.objects.count(), SpesaSociale.objects.count(), ValoreStampato.objects.count()) == counts


def test_a_comune_spending_fact_makes_its_printed_per_capita_verifiable(magentino):
    magenta = Comune.objects.get(codice_istat="015130")
    tab8 = TabellaSpesa.objects.get(ambito=magentino, codice="Tab. 8")
    voce = VoceSpesa.objects.get(dimensione="ente", codice="comuni")
    check = next(c for c in printed_checks(magentino) if c.oggetto.comune_id == magenta.pk and c.anno == 2022)
    assert check.calcolato is None
    assert "Non ricalcolabile" in check.spiegazione
    # 138,41 € × 24.130 residents (2022) = 3.339.833,30 €
    SpesaSociale.objects.create(tabella=tab8, anno=2022, voce=voce, comune=magenta, valore=Decimal("3339833.30"))
    magentino.__dict__.pop("_contesto_cache", None)
    check = next(c for c in printed_checks(magentino) if c.oggetto.comune_id == magenta.pk and c.anno == 2022)
    assert _q(check.calcolato) == Decimal("138.41")
    assert not check.difforme
    assert per_capita(magentino).anni[-1].spesa_comuni == Decimal("18362507.73")  # Comune facts stay apart
