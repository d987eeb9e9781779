"""The area of an objective is its own or, for a specific objective left without one, its strategic objective's
(Obiettivo.area_effettiva): the budget by area, the fund's admissible areas, the interventions' filter and table,
the resources at a date and the open data all read it so, and a line of an objective without any area is counted
in a «Senza area» row instead of vanishing from the totals."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opendata.datasets import INTERVENTI, OBIETTIVI
from planning.bilancio import selectors
from planning.bilancio.services import riga_save
from planning.models import Assegnazione, Fondo, Intervento, Obiettivo, RigaBilancio

pytestmark = pytest.mark.django_db


def _card_of_area(piano, codice: str) -> Intervento:
    """An intervention with budget lines whose objective has area `codice` of its own."""
    return (
        Intervento.objects.filter(piano=piano, obiettivo__area__codice=codice, righe_bilancio__isnull=False)
        .order_by("pk")
        .first()
    )


def _under_a_strategic_objective(card: Intervento) -> Obiettivo:
    """Moves `card` to a new specific objective without area, under a new strategic objective of the card's area."""
    piano, area = card.piano, card.obiettivo.area
    strategico = Obiettivo.objects.create(
        piano=piano, area=area, livello=Obiettivo.Livello.STRATEGICO, codice="9", titolo="Strategico di prova"
    )
    specifico = Obiettivo.objects.create(
        piano=piano, parent=strategico, livello=Obiettivo.Livello.SPECIFICO, codice="9.a", titolo="Specifico di prova"
    )
    Intervento.objects.filter(pk=card.pk).update(obiettivo=specifico)
    return specifico


def _rows(grid) -> dict[str, list[Decimal]]:
    return {label: per_year for label, per_year, _total in grid.rows}


def test_budget_by_area_counts_a_specific_objective_in_its_strategic_objectives_area(piano):
    before = selectors.totale_per_area(piano)
    _under_a_strategic_objective(_card_of_area(piano, "B"))
    after = selectors.totale_per_area(piano)
    assert _rows(after) == _rows(before)
    assert after.total == before.total == selectors.totale_per_fondo(piano).total == Decimal("7891900")


def test_lines_of_an_objective_without_any_area_are_a_last_row_not_dropped(piano):
    card = _card_of_area(piano, "C")
    lines = {y: sum(r.importo for r in card.righe_bilancio.filter(anno=y)) for y in (2025, 2026, 2027)}
    before = _rows(selectors.totale_per_area(piano))
    senza = Obiettivo.objects.create(piano=piano, codice="99", titolo="Obiettivo senza area")
    Intervento.objects.filter(pk=card.pk).update(obiettivo=senza)
    grid = selectors.totale_per_area(piano)
    rows = _rows(grid)
    assert list(rows)[-1] == selectors.SENZA_AREA
    assert rows[selectors.SENZA_AREA] == [lines[y] for y in grid.years]
    area_c = next(label for label in rows if label.startswith("C. "))
    assert rows[area_c] == [b - lines[y] for b, y in zip(before[area_c], grid.years, strict=True)]
    assert grid.total == selectors.totale_per_fondo(piano).total == Decimal("7891900")


def test_a_fund_of_one_area_finances_the_specific_objectives_that_take_that_area(piano):
    card = _card_of_area(piano, "A")
    area_a = card.obiettivo.area
    free = Fondo.objects.exclude(assegnazioni__piano=piano, assegnazioni__anno=2027).order_by("pk").first()
    fondo = Assegnazione.objects.create(piano=piano, fondo=free, anno=2027, importo=Decimal("1000.00"))
    fondo.aree.set([area_a])
    _under_a_strategic_objective(card)
    card.refresh_from_db()
    line = riga_save(
        riga=RigaBilancio(piano=piano, assegnazione=fondo, intervento=card, anno=2027, importo=Decimal("100.00"))
    )
    assert line.pk
    other = piano.interventi.exclude(obiettivo__area=area_a).exclude(obiettivo__area__isnull=True).first()
    with pytest.raises(ValidationError, match="aree ammissibili: A"):
        riga_save(riga=RigaBilancio(piano=piano, assegnazione=fondo, intervento=other, anno=2027, importo=Decimal("1")))


def test_interventions_filtered_by_area_include_and_show_the_inherited_area(client_for, udp_user, piano):
    card = _card_of_area(piano, "D")
    area_d = card.obiettivo.area
    _under_a_strategic_objective(card)
    url = reverse("planning:intervento_list", args=[piano.slug])
    page = client_for(udp_user).get(url, {"area": area_d.pk}).content.decode()
    link = page.index(card.get_absolute_url())
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page[page.rindex("<tr", 0, link) : page.index("</tr>", link)], re.S)
    assert card.titolo in cells[0]
    assert cells[1:3] == ["D", "9.a Specifico di prova"]  # the area column, then the objective
    by_area = client_for(udp_user).get(url, {"sort": "area"}).content.decode()
    body = by_area[by_area.index('data-testid="tabella-interventi"') :]
    body = body[body.index("<tbody") : body.index("</tbody>")]
    codes = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1] for row in body.split("</tr>")[:-1]]
    assert codes == sorted(codes, key=lambda c: (c == "—", c))  # by the area shown, those without one last
    assert codes.count("D") == piano.interventi.filter(Obiettivo.in_area("obiettivo", area_d)).count()
    detail = client_for(udp_user).get(card.get_absolute_url()).content.decode()
    assert f"Area D · {area_d.titolo}" in detail


def test_resources_at_a_date_and_open_data_name_the_inherited_area(piano):
    card = _card_of_area(piano, "A")
    area_a = card.obiettivo.area
    specifico = _under_a_strategic_objective(card)
    risorse = selectors.risorse_alla_data(piano, datetime.date(2027, 12, 31))
    riga = next(r for r in risorse.righe if r.intervento.pk == card.pk)
    assert (riga.area, riga.area_codice) == (str(area_a), "A")
    interventi = INTERVENTI.listed(Intervento.objects.filter(pk=card.pk))
    assert INTERVENTI.rows_of(interventi[0])[0]["area"] == str(area_a)
    obiettivi = OBIETTIVI.listed(Obiettivo.objects.filter(pk=specifico.pk))
    row = OBIETTIVI.rows_of(obiettivi[0])[0]
    assert (row["area_codice"], row["area"]) == ("A", area_a.titolo)


def test_area_filter_on_objectives_without_any_area(piano):
    senza = Obiettivo.objects.create(piano=piano, codice="99", titolo="Obiettivo senza area")
    found = set(piano.obiettivi.filter(Obiettivo.in_area("", None)).values_list("pk", flat=True))
    assert senza.pk in found
    assert not piano.obiettivi.filter(pk__in=found, area__isnull=False).exists()
    assert not piano.obiettivi.filter(pk__in=found, parent__area__isnull=False).exists()
