"""The extremes kept in an Ambito's rollup (monitoring.rollup_extremes): in a large Ambito the dashboard's indicator
charts show the 10 Comuni with the highest and the 10 with the lowest value from the rollup, in the exact order of
the values (ties by scheda), the same bars the database selects over every scheda; a maintained write selects
them again, and a rollup stored before the extremes were kept is rebuilt."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Ruolo
from monitoring import rollup_extremes
from monitoring.indicators import SUMS_KEY, sum_addends
from monitoring.models import ModelloScheda, RiepilogoSchede, Scheda
from monitoring.rollup import build, maintained, riepilogo, settle_extremes
from monitoring.services import compute, schede_recompute_all
from reports import ambito_charts
from territory.models import Ambito, Comune
from tests.factories import user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_campaigns")]

SIZE = 45  # above ambito_charts.CHART_COMUNI_MAX: the charts show the top and bottom TOP_N
DEN = 3475  # Reggio's children aged 3-36 months (seed NID26): R21 = places / children × 100


TIES = {18: 17, 1: 0}  # Comune 18 has the places of Comune 17 (the highest), Comune 01 those of Comune 00 (the lowest)


def places(i: int) -> int:
    """Comune i's places: distinct values (37 and 45 are coprime) but for the two ties of TIES."""
    return 1000 + TIES.get(i, i) * 37 % SIZE * 40


def with_r21(scheda: Scheda, definition: dict, num: int) -> dict:
    facts = {k: v for k, v in scheda.indicatori.items() if k != SUMS_KEY}
    facts["R21"] = {**facts["R21"], "num": str(num), "den": str(DEN)}
    return {**facts, SUMS_KEY: sum_addends(definition, facts)}


@pytest.fixture
def large():
    """(Ambito of SIZE Comuni, their NID26 schede by Comune index): Reggio's scheda with a different R21 each."""
    ambito = Ambito.objects.create(nome="Ambito grande", slug="grande", codice="GRANDE")
    comuni = Comune.objects.bulk_create(
        Comune(codice_istat=f"97{i:04d}", nome=f"Comune {i:02d}", sigla_provincia="ZZ", ambito=ambito)
        for i in range(SIZE)
    )
    nid = ModelloScheda.objects.get(codice="NID26")
    reggio = Scheda.objects.get(comune_id="035033", modello=nid)
    definition = nid.indicator_definition()
    schede = Scheda.objects.bulk_create(
        Scheda(modello=nid, comune=c, stato=reggio.stato, risultati=reggio.risultati,
               indicatori=with_r21(reggio, definition, places(i)))
        for i, c in enumerate(comuni)
    )  # fmt: skip
    return ambito, schede


def expected_bars(schede: list[Scheda]) -> list[tuple[str, Decimal]]:
    """The top and bottom 10 computed here, exactly: by value, highest first, ties by scheda id."""
    ordered = sorted(schede, key=lambda s: (-Fraction(int(s.indicatori["R21"]["num"]), DEN), s.pk))
    shown = ordered[:10] + ordered[-10:]
    value = lambda s: (Decimal(s.indicatori["R21"]["num"]) * 100 / DEN).quantize(Decimal("0.01"))  # noqa: E731
    return [(s.comune.nome, value(s)) for s in shown]


def dashboard_chart(client, ambito: Ambito, chart_id: str):
    charts = client.get(reverse("reports:dashboard", args=[ambito.slug])).context["charts"]
    return next(c for c in charts if c.chart_id == chart_id)


def test_the_dashboard_shows_the_exact_top_and_bottom_ten_from_the_rollup(client, settings, large):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ambito, schede = large
    client.force_login(user_with_role("udp.grande", Ruolo.UFFICIO_PIANO, ambito=ambito))
    chart = dashboard_chart(client, ambito, "nid-grande")
    stored = RiepilogoSchede.objects.get(ambito=ambito).dati["estremi"]
    assert len(stored[str(schede[0].modello_id)]["R21"]["alti"]) == rollup_extremes.KEPT  # kept in the rollup
    expected = expected_bars(Scheda.objects.filter(pk__in=[s.pk for s in schede]).select_related("comune"))
    assert [(row[0], row[1]) for row in chart.rows] == expected
    assert expected[0][1] > expected[9][1] > expected[10][1] > expected[-1][1]
    names = [name for name, _value in expected]
    assert names[:2] == ["Comune 17", "Comune 18"]  # ties by scheda
    assert names[-2:] == ["Comune 00", "Comune 01"]
    assert f"su {SIZE} con il dato" in chart.description
    # the same bars as the database selects over every scheda (a reader without the rollup)
    comuni = Comune.objects.filter(ambito=ambito)
    bars, count = ambito_charts._indicator_extremes(comuni, "NID", "R21", ambito_charts.TOP_N, rollup=None)
    assert ([(n, v) for n, v in bars], count) == (expected, SIZE)


def test_a_maintained_write_selects_the_extremes_again(large):
    ambito, schede = large
    riepilogo(ambito)  # stored
    nid = ModelloScheda.objects.get(codice="NID26")
    last = schede[-1]
    top = rollup_extremes.order_key
    with transaction.atomic(), maintained(Scheda.objects.filter(pk=last.pk), [ambito.pk]):
        Scheda.objects.filter(pk=last.pk).update(indicatori=with_r21(last, nid.indicator_definition(), 9000))
    stored = RiepilogoSchede.objects.get(ambito=ambito)
    assert stored.versione == Ambito.objects.get(pk=ambito.pk).versione_dati  # kept, not left to be rebuilt
    alti = stored.dati["estremi"][str(nid.pk)]["R21"]["alti"]
    assert alti[0][2:] == ["Comune 44", last.pk]  # now the highest
    assert alti == sorted(alti, key=top)
    assert stored.dati == build(ambito.pk)


def test_a_write_in_chunks_leaves_the_extremes_pending_until_settled(client, settings, large):
    """recompute-all's chunks (`pending=`): the stored extremes are marked pending, never left stale; a reader
    meanwhile gets the bars the database selects over every scheda; `settle_extremes` selects them once."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ambito, schede = large
    riepilogo(ambito)  # stored
    nid = ModelloScheda.objects.get(codice="NID26")
    last = schede[-1]
    pending = set()
    with transaction.atomic(), maintained(Scheda.objects.filter(pk=last.pk), [ambito.pk], pending=pending):
        Scheda.objects.filter(pk=last.pk).update(indicatori=with_r21(last, nid.indicator_definition(), 9000))
    assert pending == {ambito.pk}
    stored = RiepilogoSchede.objects.get(ambito=ambito)
    assert stored.versione == Ambito.objects.get(pk=ambito.pk).versione_dati  # the counts and sums kept by delta
    assert stored.dati["estremi"][str(nid.pk)] is None  # pending, not the extremes before the write
    assert riepilogo(ambito).extremes(nid.pk, "R21") is None
    client.force_login(user_with_role("udp.grande", Ruolo.UFFICIO_PIANO, ambito=ambito))
    expected = expected_bars(Scheda.objects.filter(pk__in=[s.pk for s in schede]).select_related("comune"))
    assert expected[0][0] == "Comune 44"  # the write moved the highest
    assert [(row[0], row[1]) for row in dashboard_chart(client, ambito, "nid-grande").rows] == expected
    settle_extremes(pending)
    assert RiepilogoSchede.objects.get(ambito=ambito).dati == build(ambito.pk)
    assert riepilogo(ambito).extremes(nid.pk, "R21")[0][0][2:] == ["Comune 44", last.pk]


def test_recompute_all_selects_the_extremes_once_not_after_every_chunk(monkeypatch, large):
    ambito, _schede = large
    riepilogo(ambito)  # stored
    calls = []
    selected = rollup_extremes.of_ambito
    monkeypatch.setattr(rollup_extremes, "of_ambito", lambda *args: calls.append(args) or selected(*args))
    monkeypatch.setattr(compute, "RECOMPUTE_CHUNK", 10)  # 45 schede: five chunks
    assert schede_recompute_all(Scheda.objects.filter(comune__ambito=ambito)) == SIZE
    assert [pk for pk, _definitions in calls] == [ambito.pk]
    assert RiepilogoSchede.objects.get(ambito=ambito).dati == build(ambito.pk)


def test_a_failed_recompute_settles_the_extremes_of_the_chunks_before_it(monkeypatch, large):
    ambito, _schede = large
    riepilogo(ambito)  # stored
    calls = []
    recompute = compute._recompute_batch

    def third_fails(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("chunk 3")
        return recompute(*args)

    monkeypatch.setattr(compute, "_recompute_batch", third_fails)
    monkeypatch.setattr(compute, "RECOMPUTE_CHUNK", 10)
    with pytest.raises(RuntimeError, match="chunk 3"):
        schede_recompute_all(Scheda.objects.filter(comune__ambito=ambito))
    stored = RiepilogoSchede.objects.get(ambito=ambito)
    assert stored.versione == Ambito.objects.get(pk=ambito.pk).versione_dati  # two chunks kept by delta
    assert stored.dati == build(ambito.pk)  # their extremes selected, none left pending


def test_extremes_pending_in_one_part_are_pending_in_the_merge():
    ends = {"alti": [[3, 1, "A", 1]], "bassi": [[3, 1, "A", 1]]}
    merged = rollup_extremes.merge([{"7": {"R21": ends}, "8": {"R1": ends}}, {"7": None, "8": {"R1": ends}}])
    assert merged["7"] is None
    assert merged["8"]["R1"]["alti"] == [[3, 1, "A", 1], [3, 1, "A", 1]]
    assert rollup_extremes.merge([{"7": None}, {"7": {"R21": ends}}]) == {"7": None}


def test_a_rollup_stored_before_the_extremes_is_rebuilt(large):
    ambito, _schede = large
    riepilogo(ambito)
    stored = RiepilogoSchede.objects.get(ambito=ambito)
    del stored.dati["estremi"]
    stored.save()
    assert riepilogo(ambito).estremi is not None
    assert "estremi" in RiepilogoSchede.objects.get(ambito=ambito).dati


def test_a_scheda_without_exact_addends_is_ordered_by_its_facts(client, settings, large):
    """A scheda saved before the exact addends were stored keeps its place in the chart: the order then comes from
    every scheda's facts, not from the stored extremes."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ambito, schede = large
    nid = ModelloScheda.objects.get(codice="NID26")
    last = schede[-1]
    facts = with_r21(last, nid.indicator_definition(), 9000)
    del facts[SUMS_KEY]
    Scheda.objects.filter(pk=last.pk).update(indicatori=facts)
    client.force_login(user_with_role("udp.grande", Ruolo.UFFICIO_PIANO, ambito=ambito))
    chart = dashboard_chart(client, ambito, "nid-grande")
    assert chart.rows[0][:2] == ["Comune 44", Decimal("258.99")]  # 9.000 / 3.475 × 100
    assert len(chart.rows) == 2 * ambito_charts.TOP_N
    assert f"su {SIZE} con il dato" in chart.description


def test_the_number_of_comuni_with_the_value_is_written_the_italian_way(large):
    ambito, _schede = large
    stored = riepilogo(ambito)

    class National:  # the rollup of an Ambito of 7.896 Comuni with the value: the ends are those of the 45 here
        def extremes(self, modello, code):
            alti, bassi, _count = stored.extremes(modello, code)
            return alti, bassi, 7896

    comuni = Comune.objects.filter(ambito=ambito)
    _bars, which = ambito_charts._indicator_chart_bars(comuni, "NID", "R21", 7896, National())
    assert which.endswith("su 7.896 con il dato")
