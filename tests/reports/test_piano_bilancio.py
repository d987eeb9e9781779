"""The plan's budget in its documents (issue 14, point 6): the «Quadro economico» chapter of the Piano di Zona PDF
(rendered once for the module) and the budget sheets of the workbook, on the demo budget of Magentino 2025-2027."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from planning.bilancio import selectors as bilancio_selectors
from planning.models import Assegnazione, Capitolo, Movimento, RigaBilancio, TipoCapitolo
from reports.piano.chapters.bilancio import bilancio_context, euro
from reports.piano.document import piano_document, piano_queryset
from reports.piano.fingerprint import READ_AND_DRAW, piano_fingerprint
from reports.piano.xlsx.sheet import DECIMAL
from reports.piano.xlsx.workbook import build_piano_xlsx
from tests.documents import pdf_pages, read_xlsx
from tests.planning.bilancio.conftest import remove_demo_budget, righe

pytestmark = pytest.mark.django_db

HEADING = "7. Quadro economico"  # after «6. Gli obiettivi della programmazione zonale 2025-2027»
YEARLY = ["4.281.500,00 €", "1.805.200,00 €", "1.805.200,00 €"]
TOTAL = "7.891.900,00 €"


def one_line(text: str) -> str:
    """Page text with the no-break spaces of the amounts («1.234,56 €») as plain spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.fixture(scope="module")
def pages(demo_plan_pdf):
    return [one_line(p) for p in pdf_pages(demo_plan_pdf.data)]


def chapter(pages: list[str]) -> str:
    """The text of the Quadro economico chapter: from its heading to the next chapter's."""
    start = next(i for i, p in enumerate(pages) if i > 1 and p.find(HEADING) >= 0)
    end = next(i for i, p in enumerate(pages) if i > start and "8. I servizi in gestione associata" in p)
    return " ".join(pages[start:end])


def test_the_chapter_prints_the_budget_by_area_and_by_fund_with_the_yearly_totals(pages):
    text = chapter(pages)
    assert "Programmato per area e anno 2025-2027 (€)" in text
    assert "Programmato per fondo e anno 2025-2027 (€)" in text
    totale = f"Totale {' '.join(YEARLY)} {TOTAL}"
    assert text.count(totale) == 2  # the totals row of both tables
    assert "D. Governance e rete 343.500,00 € 133.500,00 € 133.500,00 € 610.500,00 €" in text
    assert "Fondo Non Autosufficienze 412.600,00 € 412.600,00 € 412.600,00 € 1.237.800,00 €" in text
    assert f"Il piano programma {TOTAL} nel periodo 2025-2027" in text


def test_the_chapter_has_allocations_commitments_shares_and_the_fund_chart(pages):
    text = chapter(pages)
    # FNPS 2025: assigned, distributed, committed, paid, available, deadlines dd/mm/yyyy
    assert "2025 * 347.728,00 € 347.100,00 € 42.720,00 € 21.360,00 € 628,00 € 31/12/2027 28/02/2028" in text
    assert "Fondo Nazionale Politiche Sociali (FNPS)" in text
    assert "2024 (residui) * 250.000,00 €" in text
    assert "Impegni e liquidazioni per anno del piano" in text
    assert re.search(r"2025 4\.281\.500,00 € 211\.840,00 € 105\.920,00 € 4\.069\.660,00 € 4,9%", text)
    assert "Arluno 2.685,54 € 2.685,54 € 2.685,54 € 8.056,62 € 2.685,54 € 5.371,08 €" in text
    assert "Totale 28.397,00 € 28.397,00 € 28.397,00 € 85.191,00 € 20.153,18 € 65.037,82 €" in text
    assert re.search(r"Figura \d+\. Composizione per fondo del programmato annuo 2025-2027", text)


def test_the_sommario_points_at_the_page_where_the_chapter_starts(pages):
    sommario = pages[1]
    match = re.search(re.escape(HEADING) + r"[\s.]*?(\d+)(?=\s|$)", sommario)
    assert match, sommario
    page = int(match.group(1))
    assert pages[page - 1].find(HEADING) >= 0
    assert all(pages[i].find(HEADING) < 0 for i in range(2, page - 1))
    for section in ("Le assegnazioni dei fondi", "Le quote dei Comuni"):
        numbers = [int(n) for n in re.findall(re.escape(section) + r"[\s.]*?(\d+)(?=\s|$)", sommario)]
        assert numbers, section
        assert all(section in pages[n - 1] for n in numbers)


# --- Where the section goes (no rendering) ------------------------------------------------------------------


def test_a_chapter_of_type_bilancio_holds_the_section_and_none_is_added(piano):
    Capitolo.objects.create(piano=piano, ordine=99, titolo="Le risorse del piano", tipo=TipoCapitolo.BILANCIO)
    capitoli = piano_document(piano)["capitoli"]
    budget = [c for c in capitoli if c.kind == "bilancio"]
    assert len(budget) == 1
    assert budget[0].titolo == "Le risorse del piano"
    assert budget[0] is capitoli[-1]  # the plan's own place for it
    assert budget[0].sezione["per_fondo"].righe[-1].celle[-1] == euro(Decimal("7891900"))


def test_the_section_comes_after_the_objectives_when_no_chapter_has_the_type(piano):
    kinds = [c.kind for c in piano_document(piano)["capitoli"]]
    assert kinds[kinds.index("obiettivi") + 1] == "bilancio"


def test_a_plan_without_budget_has_no_quadro_economico(piano):
    remove_demo_budget(piano)
    assert bilancio_context(piano) == {}
    assert "bilancio" not in [c.kind for c in piano_document(piano)["capitoli"]]


def test_amounts_are_printed_the_italian_way():
    assert euro(Decimal("1234.5")) == "1.234,50\u00a0€"
    assert euro(Decimal("20153.180000000000")) == "20.153,18\u00a0€"  # SQLite sums with long decimals
    assert euro(None) == "0,00\u00a0€"


def test_the_section_queries_do_not_grow_with_the_budget_lines(piano):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            bilancio_context(piano)
        return len(ctx)

    before = queries()
    fdn = Assegnazione.objects.get(piano=piano, fondo__codice="FDN", anno=2025)
    added = righe(piano, fdn, 18)
    for r in added:
        Movimento.objects.create(
            riga=r, tipo="impegno", data=datetime.date(2025, 6, 1), atto="Determina 1/2025", importo=Decimal("500")
        )
    assert RigaBilancio.objects.filter(piano=piano).count() >= 61 + 18
    assert queries() == before
    assert before <= 12


def test_a_budget_change_gives_the_documents_a_new_fingerprint(piano):
    """The cached PDF and workbook are rebuilt after a budget change (the budget services bump the plan's version),
    and after a change of the read API they print from."""
    before = piano_fingerprint(piano_queryset().get(pk=piano.pk))
    righe(piano, Assegnazione.objects.get(piano=piano, fondo__codice="FDN", anno=2025), 1)
    assert piano_fingerprint(piano_queryset().get(pk=piano.pk)) != before
    assert bilancio_selectors in READ_AND_DRAW


# --- The workbook -------------------------------------------------------------------------------------------


def _rows(ws) -> list[tuple]:
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def _totale(ws) -> tuple:
    return next(r for r in _rows(ws) if r[0] == "Totale")


def test_the_workbook_has_the_budget_sheets_with_the_same_totals(piano):
    wb = read_xlsx(build_piano_xlsx(piano))
    for title in ("Bilancio per area", "Bilancio per fondo"):
        ws = wb[title]
        assert [c.value for c in ws[1]] == [
            title.split()[-1].capitalize(),
            "2025 (€)",
            "2026 (€)",
            "2027 (€)",
            "Totale (€)",
        ]
        assert _totale(ws)[1:] == (4281500, 1805200, 1805200, 7891900)
        assert ws["B2"].number_format == DECIMAL == "#,##0.00"
    assert len(_rows(wb["Bilancio per area"])) == 1 + 4 + 1 + 1  # header, areas A-D, Totale, note


def test_the_assegnazioni_sheet_has_one_row_per_allocation_with_numbers_and_dates(piano):
    ws = read_xlsx(build_piano_xlsx(piano))["Assegnazioni"]
    rows = _rows(ws)
    header, data = rows[0], rows[1:]
    assert len(data) == Assegnazione.objects.filter(piano=piano).count() == 19
    fnps = next(r for r in data if r[0] == "FNPS" and r[2] == 2025)
    values = dict(zip(header, fnps, strict=True))
    assert values["Assegnato (€)"] == 347728
    assert values["Impegnato (€)"] == 42720
    assert values["Liquidato (€)"] == 21360
    assert values["Disponibile (€)"] == 628
    assert values["Termine per la spesa"] == datetime.datetime(2027, 12, 31)
    assert next(r for r in data if r[0] == "FP" and r[2] == 2024)[3] == "Sì"  # residuals of the previous cycle
    assert ws["H2"].number_format == "#,##0.00"
    assert ws["M2"].number_format == "DD/MM/YYYY"
    assert list(ws.tables) == ["Assegnazioni"]


def test_the_quote_sheet_has_every_comune_and_the_totals(piano):
    ws = read_xlsx(build_piano_xlsx(piano))["Quote dei Comuni"]
    rows = _rows(ws)
    assert len(rows) == 1 + 13 + 1
    arluno = next(r for r in rows if r[1] == "Arluno")
    assert arluno[0] == "015010"
    assert arluno[2:] == (2685.54, 2685.54, 2685.54, 8056.62, 2685.54, 5371.08)
    assert _totale(ws)[2:] == (28397, 28397, 28397, 85191, 20153.18, 65037.82)
    assert ws["C2"].number_format == "#,##0.00"


# --- The quotas at risk at the document's date ----------------------------------------------------------------


def test_the_chapter_lists_the_quotas_at_risk_at_the_documents_date(pages, piano):
    """The demo's residuals FP 2024 must be spent within 60 days of the demo's loading: one quota at risk."""
    text = chapter(pages)
    oggi = datetime.date.today()
    lines = bilancio_selectors.a_rischio(piano, oggi)
    assert len(lines) == 1
    r = lines[0]
    assert f"Quote a rischio al {oggi:%d/%m/%Y} (termine per la spesa entro 90 giorni)" in text
    figures = " ".join(euro(v).replace("\u00a0", " ") for v in (r.importo, r.impegnato, r.da_impegnare))
    assert f"FP 2024 {r.anno} {r.assegnazione.scadenza_spesa:%d/%m/%Y} {r.giorni} {figures}" in text
    sommario = pages[1]
    assert "Le quote a rischio" in sommario


def test_no_quota_at_risk_is_said_with_the_date(piano):
    Assegnazione.objects.filter(piano=piano, fondo__codice="FP", anno=2024).update(
        scadenza_spesa=datetime.date.today() + datetime.timedelta(days=91)
    )
    context = bilancio_context(piano)
    assert context["rischio"] is None
    html = render_to_string("reports/pdf/piano/bilancio.html", {"s": context})
    oggi = f"{datetime.date.today():%d/%m/%Y}"
    assert f"Al {oggi}, data del documento, nessuna quota programmata e non impegnata" in html
    assert "entro 90 giorni" in html


def test_the_fingerprint_changes_every_day(piano):
    """The chapter lists the quotas at risk at the document's date: a cached document is one day's."""
    p = piano_queryset().get(pk=piano.pk)
    today = datetime.date(2026, 3, 1)
    assert piano_fingerprint(p, today) == piano_fingerprint(p, today)
    assert piano_fingerprint(p, today) != piano_fingerprint(p, today + datetime.timedelta(days=1))
    assert piano_fingerprint(p) == piano_fingerprint(p, datetime.date.today())


def test_the_workbook_has_the_quotas_at_risk_sheet(piano):
    ws = read_xlsx(build_piano_xlsx(piano))["Quote a rischio"]
    rows = _rows(ws)
    lines = bilancio_selectors.a_rischio(piano, datetime.date.today())
    assert rows[0][:3] == ("Fondo", "Annualità", "Intervento")
    assert rows[1][0] == "FP"
    assert rows[1][1] == 2024
    assert float(rows[1][8]) == float(lines[0].da_impegnare)
    assert _totale(ws)[-1] == float(lines[0].da_impegnare)
    assert rows[-1][0].startswith(f"Quote a rischio al {datetime.date.today():%d/%m/%Y}")
