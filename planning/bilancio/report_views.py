"""Fund reporting (issue 14, point 5): «Rendiconti dei fondi», the plan's allocations with their reporting deadline
and days left; the XLSX report of one allocation, in the layout an Ufficio di Piano files (the allocation, its
lines with programmato / impegnato / liquidato / da impegnare and their totals, the movements); the plan's budget
deadlines (spending and reporting of each allocation) as an iCalendar file.

Who reads the plan's budget reads these (Ufficio di Piano, Dirigente); the Operatore comunale and another Ambito's
users get 404.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.exports import XLSX_CONTENT_TYPE
from core.ics import Event, calendar
from core.xlsx_rows import keep_text
from planning.navigation import bilancio_trail

from ..models import Assegnazione, Movimento, Obiettivo, PianoDiZona, TipoMovimento
from ..piano.views.mixins import PianoMixin
from . import selectors
from .scadenze import scadenze_piano

ZERO = Decimal(0)
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"
LINE_HEADERS = ("Area", "Intervento", "Anno", "Programmato (€)", "Impegnato (€)", "Liquidato (€)", "Da impegnare (€)")
MOVE_HEADERS = ("Data", "Intervento", "Anno", "Tipo", "Natura", "Atto", "Importo (€)")


# --- The list of reports ---------------------------------------------------------------------------------------


def giorni_mancanti(scadenza: datetime.date | None, oggi: datetime.date) -> int | None:
    return None if scadenza is None else (scadenza - oggi).days


class RendicontiView(PianoMixin, TemplateView):
    """The plan's allocations with their deadlines, the days left to report and the XLSX report of each."""

    template_name = "planning/bilancio_files/rendiconti.html"

    def trail(self, piano):
        return bilancio_trail(self.request.user, piano).then(_("Rendiconti dei fondi"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        oggi = timezone.localdate()
        rows = selectors.assegnazioni_con_movimenti(self.piano)
        for a in rows:
            a.giorni = giorni_mancanti(a.scadenza_rendicontazione, oggi)  # type: ignore[attr-defined]
            a.giorni_assoluti = abs(a.giorni) if a.giorni is not None else None  # type: ignore[attr-defined]
        rows.sort(
            key=lambda a: (a.scadenza_rendicontazione or datetime.date.max, a.fondo.ordine, a.fondo.codice, a.anno)
        )
        context.update(assegnazioni=rows, oggi=oggi)
        return context


# --- The XLSX report of one allocation -------------------------------------------------------------------------


def _cell(ws, value, *, bold: bool = False, number_format: str | None = None) -> WriteOnlyCell:
    cell = keep_text(WriteOnlyCell(ws, value=value))
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


def _amount(ws, value: Decimal, bold: bool = False) -> WriteOnlyCell:
    return _cell(ws, value, bold=bold, number_format=AMOUNT_FORMAT)


def _date(ws, value: datetime.date | None) -> WriteOnlyCell | str:
    return _cell(ws, value, number_format=DATE_FORMAT) if value else "—"


def rendiconto_xlsx(assegnazione: Assegnazione) -> bytes:
    """The allocation's report: header, one row per budget line with totals, then the movements (3 queries)."""
    piano = assegnazione.piano
    righe = list(
        selectors.righe(piano)
        .filter(assegnazione=assegnazione)
        .order_by(*Obiettivo.ordine_per_area("intervento__obiettivo"), "intervento__ordine", "anno", "pk")
    )
    movimenti = list(
        Movimento.objects.filter(riga__assegnazione=assegnazione)
        .select_related("riga__intervento")
        .order_by("data", "pk")
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Rendiconto"))
    for column, width in zip("ABCDEFG", (34, 60, 10, 18, 18, 18, 18), strict=True):
        ws.column_dimensions[column].width = width
    fondo = assegnazione.fondo
    ws.append([_cell(ws, f"Rendiconto del fondo {fondo.nome} — annualità {assegnazione.anno}", bold=True)])
    ws.append([_cell(ws, "Piano di Zona", bold=True), _cell(ws, piano.titolo)])
    ws.append([_cell(ws, "Ambito", bold=True), _cell(ws, piano.ambito.nome)])
    ws.append([_cell(ws, "Fondo", bold=True), _cell(ws, f"{fondo.nome} ({fondo.codice})")])
    ws.append([_cell(ws, "Annualità", bold=True), assegnazione.anno])
    ws.append([_cell(ws, "Atto di assegnazione", bold=True), _cell(ws, assegnazione.atto or "—")])
    ws.append([_cell(ws, "Data dell'atto", bold=True), _date(ws, assegnazione.data_atto)])
    ws.append([_cell(ws, "Importo assegnato (€)", bold=True), _amount(ws, assegnazione.importo)])
    ws.append([_cell(ws, "Termine per la spesa", bold=True), _date(ws, assegnazione.scadenza_spesa)])
    ws.append(
        [_cell(ws, "Termine per la rendicontazione", bold=True), _date(ws, assegnazione.scadenza_rendicontazione)]
    )
    ws.append([])
    ws.append([_cell(ws, "Righe del bilancio", bold=True)])
    ws.append([_cell(ws, h, bold=True) for h in LINE_HEADERS])
    totals = [ZERO, ZERO, ZERO, ZERO]
    for r in righe:
        figures = [r.importo, r.impegnato, r.liquidato, r.importo - r.impegnato]  # type: ignore[attr-defined]
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        area = r.intervento.obiettivo.area_effettiva
        labels = [_cell(ws, str(area) if area else "—"), _cell(ws, r.intervento.titolo)]
        ws.append([*labels, r.anno, *(_amount(ws, f) for f in figures)])
    ws.append([_cell(ws, "Totale", bold=True), "", "", *(_amount(ws, t, bold=True) for t in totals)])
    ws.append([])
    ws.append([_cell(ws, "Impegni e liquidazioni", bold=True)])
    ws.append([_cell(ws, h, bold=True) for h in MOVE_HEADERS])
    for m in movimenti:
        ws.append(
            [
                _date(ws, m.data),
                _cell(ws, m.riga.intervento.titolo),
                m.riga.anno,
                m.get_tipo_display(),
                m.get_natura_display(),
                _cell(ws, m.atto),
                _amount(ws, m.importo),
            ]
        )
    if not movimenti:
        ws.append(["Nessun impegno o liquidazione registrato."])
    else:
        impegnato = sum((m.importo for m in movimenti if m.tipo == TipoMovimento.IMPEGNO), ZERO)
        liquidato = sum((m.importo for m in movimenti if m.tipo == TipoMovimento.LIQUIDAZIONE), ZERO)
        ws.append([_cell(ws, "Totale impegnato", bold=True), "", "", "", "", "", _amount(ws, impegnato, bold=True)])
        ws.append([_cell(ws, "Totale liquidato", bold=True), "", "", "", "", "", _amount(ws, liquidato, bold=True)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class RendicontoFondoView(PianoMixin, View):
    """The XLSX report of one allocation of the plan (URL: the plan's slug and the allocation's pk)."""

    def get(self, request, *args, **kwargs):
        assegnazione = (
            Assegnazione.objects.filter(piano=self.piano, pk=kwargs["pk"])
            .select_related("fondo", "piano__ambito")
            .first()
        )
        if assegnazione is None:
            raise Http404(_("Assegnazione inesistente in questo piano."))
        response = HttpResponse(rendiconto_xlsx(assegnazione), content_type=XLSX_CONTENT_TYPE)
        name = f"rendiconto-{assegnazione.fondo.codice}-{assegnazione.anno}-{self.piano.slug}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- The budget deadlines as iCalendar -------------------------------------------------------------------------


def bilancio_ics(piano: PianoDiZona) -> str:
    events = [Event(s.uid, s.data, f"{s.nome} ({piano.ambito.nome})") for s in scadenze_piano(piano)]
    return calendar(f"Scadenze dei fondi — {piano.titolo}", "Scadenze del bilancio", events)


class BilancioIcsView(PianoMixin, View):
    """The plan's budget deadlines (spending and reporting of each allocation) as an .ics file."""

    def get(self, request, *args, **kwargs):
        piano = self.piano
        response = HttpResponse(bilancio_ics(piano), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="scadenze-bilancio-{piano.slug}.ics"'
        return response
