"""The computed total of a PNRR line and its comparison with the printed totals live on the line
(`LineaPNRR.totale`, `totale_difforme`, `difforme`): the plan's PNRR page and the PDF read the same values."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import LineaPNRR, VocePNRR
from planning.piano.selectors import linee_pnrr_lista, pnrr_totals

pytestmark = pytest.mark.django_db


def _linea(piano, codice, stampato=None, *voci):
    obj = LineaPNRR.objects.create(
        piano=piano, ordine=90, codice=codice, titolo=f"Linea {codice}", totale_stampato=stampato and Decimal(stampato)
    )
    for voce in voci:
        VocePNRR.objects.create(linea=obj, **voce)
    return obj


def test_a_line_without_items_sums_to_zero_and_differs_from_its_printed_total(piano):
    linea = _linea(piano, "9.9.9", "500000.00")
    assert (linea.totale, linea.totale_difforme, linea.difforme) == (Decimal("0"), True, True)


def test_an_item_printed_total_flags_the_line_but_not_the_line_total(piano):
    linea = _linea(piano, "9.9.5", None, {"investimento": Decimal("100"), "totale_stampato": Decimal("90")})
    assert (linea.totale, linea.totale_difforme, linea.difforme) == (Decimal("100"), False, True)


def test_a_matching_printed_total_is_not_flagged(piano):
    linea = _linea(piano, "9.9.6", "300.00", {"investimento": Decimal("100"), "gestione_annua": Decimal("100"),
                                               "anni_gestione": 2})  # fmt: skip
    assert (linea.totale, linea.totale_difforme, linea.difforme) == (Decimal("300"), False, False)


def test_pnrr_page_and_pdf_selector_flag_the_same_lines(client_for, udp_user, piano):
    _linea(piano, "9.9.9", "500000.00")
    _linea(piano, "9.9.8", "999.00", {"investimento": Decimal("100")})
    linee = pnrr_totals(piano).linee
    flagged = sorted(x.codice for x in linee if x.difforme)
    assert flagged == ["1.1.4", "9.9.8", "9.9.9"]  # 1.1.4: its item's printed total differs (demo data)
    assert flagged == sorted(x.codice for x in linee_pnrr_lista(piano) if x.difforme)
    page = client_for(udp_user).get(reverse("planning:piano_pnrr", args=[piano.slug])).content.decode()
    assert page.count('data-testid="totale-difforme"') == len(flagged)


def test_the_export_writes_the_printed_total_the_page_shows(client_for, udp_user, piano):
    """A line without a printed total of its own shows, and exports, the sum of its items' printed totals."""
    _linea(
        piano, "9.9.7", None,
        {"investimento": Decimal("100"), "totale_stampato": Decimal("90")},
        {"investimento": Decimal("50"), "totale_stampato": Decimal("60")},
    )  # fmt: skip
    assert LineaPNRR.objects.get(codice="9.9.7", piano=piano).totale_documento == Decimal("150")
    client = client_for(udp_user)
    url = reverse("planning:piano_pnrr", args=[piano.slug])
    row = next(r for r in client.get(url).content.decode().split("<tr") if "Linea 9.9.7" in r)
    assert "150,00" in row
    text = b"".join(client.get(url, {"_export": "csv"}).streaming_content).decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text), delimiter=";") if "Linea 9.9.7" in r)
    assert row[-1] == "150,00"
