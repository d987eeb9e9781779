"""The PNRR table of the Piano di Zona's chapter «Analisi dei soggetti e delle reti»: every line is printed (a line
without items too), and a printed total that differs from the sum of the items is shown with the computed one and
flagged with the words of the plan's PNRR page. The chapter's HTML is checked row by row; one test reads the PDF."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from planning.models import LineaPNRR, PianoDiZona, TipoCapitolo, VocePNRR
from reports.piano.chapters.reti import reti_context
from reports.piano.pdf import build_piano_pdf
from tests.documents import pdf_text

from .conftest import only_chapters

pytestmark = pytest.mark.django_db

FLAG = "diverso dal calcolato"  # the badge of the PNRR page (planning.piano.tables.DIFFORME)


class _Rows(HTMLParser):
    """The rows of each `<tbody>` of the PNRR table, as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tbodies: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.tbodies.append([])
        elif tag == "tr" and self.tbodies:
            self.tbodies[-1].append([])
        elif tag in ("th", "td") and self.tbodies:
            self._cell = []
        elif tag == "span" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            self.tbodies[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def line_rows(piano: PianoDiZona, codice: str) -> list[list[str]]:
    """The rows of the PNRR line `codice` in the chapter's HTML (its `<tbody>`)."""
    html = render_to_string("reports/pdf/piano/reti.html", {"s": reti_context(piano)})
    parser = _Rows()
    parser.feed(html[html.index('<table class="dati numerata pnrr">') :])
    (tbody,) = [rows for rows in parser.tbodies if rows and rows[0][0].startswith(codice + " ")]
    return tbody


def linea(piano: PianoDiZona, codice: str, titolo: str, stampato: str | None, *voci: dict) -> LineaPNRR:
    obj = LineaPNRR.objects.create(
        piano=piano,
        ordine=90,
        codice=codice,
        titolo=titolo,
        intervento="Intervento di prova",
        totale_stampato=None if stampato is None else Decimal(stampato),
    )
    for i, voce in enumerate(voci, start=1):
        VocePNRR.objects.create(linea=obj, ordine=i, **voce)
    return obj


def test_a_pnrr_line_without_items_gets_one_row_with_its_printed_total(piano):
    linea(piano, "9.9.9", "Linea senza voci", "500000.00")
    rows = line_rows(piano, "9.9.9")
    assert rows == [["9.9.9 Linea senza voci", "Intervento di prova", "—", "—", "—", "—", "0,00", f"500.000,00 {FLAG}"]]


def test_a_pnrr_line_without_items_or_printed_total_is_printed_too(piano):
    linea(piano, "9.9.7", "Linea vuota", None)
    assert line_rows(piano, "9.9.7") == [["9.9.7 Linea vuota", "Intervento di prova", "—", "—", "—", "—", "0,00", "—"]]


def test_a_one_item_line_shows_its_printed_total_against_the_sum_of_the_items(piano):
    linea(piano, "9.9.8", "Linea una voce", "999.00", {"nome": "Unica", "investimento": Decimal("100.00")})
    assert line_rows(piano, "9.9.8") == [
        ["9.9.8 Linea una voce", "Intervento di prova", "Unica", "100,00", "0,00", "0", "100,00", "—"],
        ["Totale linea 9.9.8", "100,00", f"999,00 {FLAG}"],
    ]
    # without a printed total of its own (the demo's 1.1.x), the item's row is the line's total: no total row
    (row,) = line_rows(piano, "1.1.1")
    assert row[2:] == ["Gestione", "0,00", "70.500,00", "3", "211.500,00", "211.500,00"]


def test_a_one_item_line_whose_printed_total_matches_is_not_flagged(piano):
    voce = {"nome": "Unica", "investimento": Decimal("100.00"), "gestione_annua": Decimal("50.00"), "anni_gestione": 2}
    linea(piano, "9.9.6", "Linea che torna", "200.00", voce)
    assert line_rows(piano, "9.9.6")[-1] == ["Totale linea 9.9.6", "200,00", "200,00"]


def test_pdf_and_pnrr_page_show_the_same_lines_amounts_and_flags(piano, client_for, udp_user):
    linea(piano, "9.9.9", "Linea senza voci", "500000.00")
    linea(piano, "9.9.8", "Linea una voce", "999.00", {"nome": "Unica", "investimento": Decimal("100.00")})
    page = client_for(udp_user).get(reverse("planning:piano_pnrr", args=[piano.slug]), {"codice": "9.9.9"})
    assert "Linea senza voci" in page.content.decode()
    assert "500.000,00" in page.content.decode()
    assert FLAG in page.content.decode()
    with only_chapters(piano, TipoCapitolo.RETI):
        text = pdf_text(build_piano_pdf(piano))
    assert f"9.9.9 Linea senza voci Intervento di prova — — — — 0,00 500.000,00 {FLAG}" in text
    assert f"Totale linea 9.9.8 100,00 999,00 {FLAG}" in text
