"""The plan's money (issue 14): totals are sums of the lines, a fund is never allocated beyond its amount, the
Comuni's shares add up to the cent, the quotas at risk are exactly those past the threshold, commitments and
payments keep 0 ≤ liquidato ≤ impegnato ≤ programmato, two people allocating at once never overspend a fund."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from planning.bilancio import selectors
from planning.bilancio.demo import QUOTA_COMUNI, demo_bilancio_load
from planning.bilancio.services import assegnazione_save, movimento_add, quote_ricalcola, riga_save
from planning.bilancio.shares import largest_remainder
from planning.models import Assegnazione, Fondo, Movimento, QuotaComune, RigaBilancio
from planning.piano.services import PianoBloccato
from tests import demo_snapshot
from tests.concurrency import at_once, raised

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def allocation(piano, code="FNA", year=2025, amount="1000.00", **extra) -> Assegnazione:
    fondo = Fondo.objects.get(codice=code)
    existing = Assegnazione.objects.filter(piano=piano, fondo=fondo, anno=year).first()
    if existing:
        existing.righe.all().delete()
        existing.importo = Decimal(amount)
        for name, value in extra.items():
            setattr(existing, name, value)
        return assegnazione_save(assegnazione=existing)
    return assegnazione_save(
        assegnazione=Assegnazione(piano=piano, fondo=fondo, anno=year, importo=Decimal(amount), **extra)
    )


def line(piano, assegnazione, amount, year=2025, card=0) -> RigaBilancio:
    intervento = piano.interventi.order_by("pk")[card]
    return riga_save(
        riga=RigaBilancio(piano=piano, intervento=intervento, assegnazione=assegnazione, anno=year, importo=amount)
    )


def test_demo_budget_totals_by_area_fund_and_year_are_sums_of_the_lines(piano):
    lines = list(RigaBilancio.objects.filter(piano=piano).select_related("intervento__obiettivo__area"))
    assert len(lines) == 61
    by_area, by_year = defaultdict(Decimal), defaultdict(Decimal)
    for r in lines:
        by_area[(r.intervento.obiettivo.area.codice, r.anno)] += r.importo
        by_year[r.anno] += r.importo
    grid = selectors.totale_per_area(piano)
    for label, per_year, total in grid.rows:
        code = label.split(".")[0]
        assert per_year == [by_area[(code, y)] for y in grid.years]
        assert total == sum(per_year)
    assert grid.column_totals == [by_year[y] for y in (2025, 2026, 2027)]
    # the demo budget of the Magentino (closing note of issue 14)
    assert grid.column_totals == [Decimal("4281500"), Decimal("1805200"), Decimal("1805200")]
    funds = selectors.totale_per_fondo(piano)
    assert funds.column_totals == grid.column_totals
    assert funds.total == grid.total == sum(r.importo for r in lines)
    fnps = next(r for r in funds.rows if r[0] == "Fondo Nazionale Politiche Sociali")
    assert fnps[1] == [Decimal("347100")] * 3  # 347.728 split by 13 cards, cut to the hundred: 26.700 each


def test_allocation_over_the_funds_amount_is_refused_with_the_figures(piano):
    fondo = allocation(piano, "FDN", 2026, "190945.00")
    line(piano, fondo, Decimal("150000"), year=2026, card=0)
    with pytest.raises(ValidationError) as refused:
        line(piano, fondo, Decimal("50000"), year=2026, card=1)
    message = refused.value.message_dict["importo"][0]
    assert "Fondo Dopo di Noi 2026" in message
    assert "assegnati 190.945,00 €" in message
    assert "già ripartiti 150.000,00 €" in message
    assert "supera la disponibilità di 9.055,00 €" in message
    assert fondo.righe.count() == 1
    line(piano, fondo, Decimal("40945"), year=2026, card=1)  # exactly what is left: accepted


def test_an_allocation_cannot_drop_below_its_lines_nor_fund_an_earlier_year_or_another_area(piano):
    fondo = allocation(piano, "FDN", 2026, "1000.00")
    line(piano, fondo, Decimal("800"), year=2026)
    fondo.importo = Decimal("700")
    with pytest.raises(ValidationError, match="ripartiscono già 800,00 €"):
        assegnazione_save(assegnazione=fondo)
    with pytest.raises(ValidationError, match="non può finanziare spese del 2025"):
        line(piano, fondo, Decimal("100"), year=2025, card=1)
    other_area = piano.aree.exclude(pk=piano.interventi.order_by("pk")[0].obiettivo.area_id).first()
    fondo.refresh_from_db()
    fondo.aree.set([other_area])
    with pytest.raises(ValidationError, match="aree ammissibili"):
        line(piano, fondo, Decimal("100"), year=2027, card=0)


def test_commitments_and_payments_keep_their_order(piano, udp_user):
    fondo = allocation(piano, "FDN", 2027, "5000.00")
    riga = line(piano, fondo, Decimal("1000"), year=2027)
    day = datetime.date(2027, 3, 1)
    movimento_add(
        riga=riga, tipo="impegno", natura="nuovo", data=day, atto="Det. 1", importo=Decimal("900"), user=udp_user
    )
    with pytest.raises(ValidationError, match=r"l'impegnato salirebbe a 1\.100,00 €, oltre il programmato"):
        movimento_add(riga=riga, tipo="impegno", natura="nuovo", data=day, atto="Det. 2", importo=Decimal("200"))
    with pytest.raises(ValidationError, match=r"il liquidato salirebbe a 950,00 €, oltre l'impegnato"):
        movimento_add(riga=riga, tipo="liquidazione", natura="nuovo", data=day, atto="M. 1", importo=Decimal("950"))
    with pytest.raises(ValidationError, match="Solo un impegno"):
        movimento_add(riga=riga, tipo="liquidazione", natura="disimpegno", data=day, atto="M", importo=Decimal("-1"))
    movimento_add(riga=riga, tipo="impegno", natura="disimpegno", data=day, atto="Det. 3", importo=Decimal("-150"))
    movimento_add(riga=riga, tipo="liquidazione", natura="nuovo", data=day, atto="M. 2", importo=Decimal("750"))
    row = selectors.righe(piano).get(pk=riga.pk)
    assert (row.impegnato, row.liquidato) == (Decimal("750"), Decimal("750"))
    assert Movimento.history.filter(riga_id=riga.pk).count() == 3
    assert Movimento.objects.filter(riga=riga).first().creato_da == udp_user


def test_shares_of_the_13_comuni_sum_to_the_total_to_the_cent(piano):
    table = selectors.quote_table(piano)
    assert len(table.rows) == 13
    assert table.column_totals == [QUOTA_COMUNI] * 3
    dues = [row[1][0] for row in table.rows]
    assert sum(dues) == QUOTA_COMUNI
    assert all(d == d.quantize(Decimal("0.01")) for d in dues)
    magenta = next(row for row in table.rows if row[0].nome == "Magenta")
    assert magenta[1][0] == Decimal("5305.08")


def test_largest_remainder_gives_the_left_cents_to_the_largest_remainders():
    # 100,00 € among three equal Comuni: 33,33 each and one cent to the first by code (equal remainders and weights)
    assert largest_remainder(Decimal("100.00"), {"B": 1, "A": 1, "C": 1}) == {
        "A": Decimal("33.34"),
        "B": Decimal("33.33"),
        "C": Decimal("33.33"),
    }
    # 10,00 € by population 1, 2, 3: exact 1,666…, 3,333…, 5,00 → 1,67 / 3,33 / 5,00
    assert largest_remainder(Decimal("10.00"), {"x": 1, "y": 2, "z": 3}) == {
        "x": Decimal("1.67"),
        "y": Decimal("3.33"),
        "z": Decimal("5.00"),
    }


def test_quotas_at_risk_are_exactly_the_lines_past_the_threshold(piano):
    Movimento.objects.filter(riga__piano=piano).delete()  # they protect their lines
    RigaBilancio.objects.filter(piano=piano).delete()
    cards = {}
    for days, code in ((-1, "FDN"), (0, "FNA"), (90, "FP"), (91, "FNPS")):
        fondo = allocation(piano, code, 2025, "1000.00", scadenza_spesa=TODAY + datetime.timedelta(days=days))
        cards[days] = line(piano, fondo, Decimal("1000"))
    committed = line(piano, allocation(piano, "FONDAZIONI", 2025, "500.00", scadenza_spesa=TODAY), Decimal("500"))
    movimento_add(riga=committed, tipo="impegno", natura="nuovo", data=TODAY, atto="Det.", importo=Decimal("500"))
    movimento_add(riga=cards[90], tipo="impegno", natura="nuovo", data=TODAY, atto="Det.", importo=Decimal("400"))
    at_risk = selectors.a_rischio(piano, TODAY)
    assert [r.pk for r in at_risk] == [cards[0].pk, cards[90].pk]
    assert [r.da_impegnare for r in at_risk] == [Decimal("1000"), Decimal("600")]
    assert [r.giorni for r in at_risk] == [0, 90]


def test_the_demo_has_one_quota_at_risk_and_loads_once(piano):
    from django.utils import timezone  # noqa: PLC0415 - the demo's own today

    assert len(selectors.a_rischio(piano, timezone.localdate())) == 1
    assert demo_bilancio_load() == 0


def test_a_locked_plan_refuses_budget_changes(piano):
    piano.stato = "approvato"
    piano.save()
    piano.refresh_from_db()
    fondo = Assegnazione.objects.filter(piano=piano).first()
    fondo.piano = piano
    with pytest.raises(PianoBloccato):
        assegnazione_save(assegnazione=fondo)
    with pytest.raises(PianoBloccato):
        quote_ricalcola(piano=piano)


@pytest.mark.django_db(transaction=True)
def test_two_people_allocating_the_same_fund_at_once_never_overspend_it():
    """Two sessions (two database connections, two threads) each add a line that fits alone but not together:
    exactly one is saved, the other is refused with the figures."""
    demo_snapshot.load_demo()
    from planning.models import PianoDiZona  # noqa: PLC0415

    piano = PianoDiZona.objects.get(slug="magentino-2025-2027")
    fondo = allocation(piano, "FDN", 2027, "1000.00")
    results = at_once(lambda card: line(piano, fondo, Decimal("600"), year=2027, card=card), (0, 1))
    saved, refused = [result for result in results if isinstance(result, RigaBilancio)], raised(results)
    assert len(saved) == 1, results
    assert [type(error) for error in refused] == [ValidationError], results  # the other one, with the figures
    assert "già ripartiti 600,00 €" in refused[0].message_dict["importo"][0]
    assert RigaBilancio.objects.filter(assegnazione=fondo).count() == 1
    assert QuotaComune.objects.filter(piano=piano).count() == 39
