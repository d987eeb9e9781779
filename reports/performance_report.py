"""The performance plan report in the layout of seed 004 (one row per operational objective: strategic objective,
codes, linked objectives, dirigente, notes, indicators, ratings, peso, the dirigente's report, risultato +
qualitativa = total), as PDF (reports.pdf, A4 landscape) and XLSX (openpyxl, real numbers). Both are served
through reports.generation.serve_report (their specs from `reports.specs.report_spec`), cached by the data
versions they read (`performance_fingerprint`)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.formatting import it_number
from core.pdf import render_pdf
from core.xlsx_rows import keep_text
from planning.models import IndicatorePerformance, ObiettivoOperativo, PianoPerformance
from territory.versions import ambito_versions

HEADERS = [
    "Codice ob. strategico",
    "Obiettivi strategici",
    "Missione / programma",
    "Codice ob. operativo",
    "Obiettivi operativi «rivisti» o accorpati",
    "Obiettivi operativi collegati",
    "Dirigente",
    "Note",
    "Indicatori proposti",
    "Strategicità",
    "Complessità",
    "Impatto e/o innovatività",
    "Economicità",
    "Peso dell'obiettivo",
    "Report del dirigente",
    "Valutazione di risultato (max 80)",
    "Valutazione qualitativa (max 20)",
    "Totale (calcolato)",
]


@dataclass
class Riga:
    o: ObiettivoOperativo
    indicatori: list[IndicatorePerformance]

    @property
    def programma(self) -> str:
        p = self.o.strategico.programma
        return f"{p.missione} {p.programma} — {p.etichetta}" if p else ""

    @property
    def indicatori_testo(self) -> str:
        """The printed indicators, then the structured ones with target and achieved value."""
        parts = [self.o.indicatori_testo] if self.o.indicatori_testo else []
        for i in self.indicatori:
            target = it_number(i.target, 0) if i.target is not None else "—"
            raggiunto = it_number(i.raggiunto, 0) if i.raggiunto is not None else "n.d."
            parts.append(f"• {i.descrizione}: target {target} {i.unita}, raggiunto {raggiunto} {i.unita}".strip())
        return "\n".join(parts)


def performance_rows(piano: PianoPerformance) -> list[Riga]:
    operativi = (
        ObiettivoOperativo.objects.filter(strategico__piano=piano)
        .select_related("strategico__programma")
        .prefetch_related(Prefetch("indicatori", queryset=IndicatorePerformance.objects.order_by("ordine", "pk")))
        .order_by("strategico__ordine", "ordine", "codice")
    )
    return [Riga(o, list(o.indicatori.all())) for o in operativi]


def performance_fingerprint(piano: PianoPerformance) -> dict:
    """The data versions of the plan's Ambito (the performance plan, its objectives and indicators, the budget
    programmes: planning.versions), read with no query (the plan comes with `ambito__parent`)."""
    return {"piano": piano.pk, "ambito": ambito_versions(piano.ambito)}


def _values(r: Riga) -> list:
    o = r.o
    return [
        o.strategico.codice, o.strategico.testo, r.programma, o.codice, o.testo, o.obiettivi_collegati,
        o.dirigente_nome, o.note, r.indicatori_testo, o.strategicita, o.complessita, o.impatto, o.economicita,
        o.peso, o.report, o.valutazione_risultato, o.valutazione_qualitativa, o.totale,
    ]  # fmt: skip


def performance_xlsx(piano: PianoPerformance, rows: list[Riga]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Piano della performance"[:31]
    thin = Side(style="thin", color="9AA5B1")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([piano.titolo])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"{piano.ambito.nome} · {piano.ente} · anno {piano.anno}".strip(" ·")])
    keep_text(ws["A1"])  # the plan's title and its Ambito and ente, as typed
    keep_text(ws["A2"])
    ws.append(HEADERS)
    header_row = 3
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EDF2")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = border
    for r in rows:
        values = [float(v) if isinstance(v, Decimal) else v for v in _values(r)]
        ws.append(values)
        for i, cell in enumerate(ws[ws.max_row], start=1):
            keep_text(cell)  # an objective's text typed as «=…» is no formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
            if i >= 16 and cell.value is not None:
                cell.number_format = "0"
            if i == 18:
                cell.font = Font(bold=True)
    widths = [12, 40, 26, 14, 30, 40, 12, 20, 45, 8, 8, 8, 8, 8, 60, 10, 10, 10]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(HEADERS))}{max(ws.max_row, header_row)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def performance_pdf(piano: PianoPerformance, rows: list[Riga]) -> bytes:
    valutati = [r.o.totale for r in rows if r.o.totale is not None]
    return render_pdf(
        "reports/pdf/performance.html",
        {
            "piano": piano,
            "righe": rows,
            "generated": timezone.localtime(),
            "media": sum(valutati) / len(valutati) if valutati else None,
        },
        title=piano.titolo,
        author=piano.ente or piano.ambito.nome,
    )
