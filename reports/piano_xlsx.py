"""The Excel workbook of a Piano di Zona (openpyxl, write-only): one sheet per kind of data, ready to filter.

Sheets: Obiettivi, Interventi (every field of the card templates as a column), Azioni, Indicatori (yearly targets
as columns), Risorse (rows per fund and year, then the totals by fund and year as SUMIFS formulas), Popolazione
(facts per Comune and year, shares as formulas, each year marked complete or partial for the Ambito) and Spesa
(the spending facts, when they exist). Numbers are real numbers with a number format, dates are dates; every
sheet has a frozen, filtered header row and set column widths. `build_piano_xlsx(piano)` is shared by the
download button and `manage.py piano_xlsx`.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.exports import XLSX_CONTENT_TYPE
from planning.models import (
    Azione,
    CampoModello,
    Fondo,
    Indicatore,
    PianoDiZona,
    Popolazione,
    Risorsa,
    TipoCampo,
)
from planning.piano.cards import intervento_scheda_queryset
from planning.selectors import PopulationYear, ambito_comuni, population_years

from .generation import ReportSpec
from .piano_context import piano_fingerprint, sub_ambito_label
from .piano_pdf import piano_filename

EURO = '#,##0.00 "€"'
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = "0.0%"
DATE = "DD/MM/YYYY"
TEXT = "@"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="17324D")
TITLE_FONT = Font(bold=True, color="17324D", size=12)
TOTAL_FONT = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="DBE5F1")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
THIN = Border(top=Side(style="thin", color="17324D"))


@dataclass
class Col:
    """A column: header, width (characters), number format, wrapped text."""

    header: str
    width: int = 14
    fmt: str | None = None
    wrap: bool = False


class Sheet:
    """A write-only sheet with a styled header row, frozen panes, autofilter on the data and column widths."""

    def __init__(self, wb: Workbook, title: str, cols: list[Col], freeze: str = "A2"):
        self.ws = wb.create_sheet(title=title[:31])
        self.cols = cols
        self.rows = 0
        for i, col in enumerate(cols, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = col.width
        self.ws.freeze_panes = freeze
        self.append_cells([self.cell(c.header, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN) for c in cols])

    def cell(self, value, *, fmt=None, font=None, fill=None, align=None, border=None) -> WriteOnlyCell:
        if isinstance(value, Decimal):
            value = float(value)
        cell = WriteOnlyCell(self.ws, value=value)
        if fmt:
            cell.number_format = fmt
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if align:
            cell.alignment = align
        if border:
            cell.border = border
        return cell

    def append_cells(self, cells: list) -> int:
        self.ws.append(cells)
        self.rows += 1
        return self.rows

    def append(self, values: list) -> int:
        """A data row: each value with its column's format (numbers stay numbers, dates stay dates)."""
        cells = []
        for value, col in zip(values, self.cols, strict=False):
            fmt = col.fmt
            if fmt is None and isinstance(value, datetime.date):
                fmt = DATE
            cells.append(self.cell(value, fmt=fmt if value is not None else None, align=WRAP if col.wrap else TOP))
        return self.append_cells(cells)

    def filter_data(self, last_row: int | None = None) -> None:
        last = max(last_row or self.rows, 1)
        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.cols))}{last}"


def _md_text(text: str) -> str:
    """Markdown as readable plain text: list markers become bullets, emphasis marks go."""
    lines = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            stripped = "• " + stripped[2:]
        lines.append(stripped.replace("**", "").replace("__", ""))
    return "\n".join(lines).strip()


def _join(items) -> str:
    return "\n".join(f"• {i}" for i in items if i)


def _base_value(intervento, attributo: str):
    o = intervento.obiettivo
    values = {
        "titolo": lambda: intervento.titolo,
        "obiettivo": lambda: str(o),
        "obiettivo_strategico": lambda: str(o.parent) if o.parent_id else "",
        "descrizione": lambda: _md_text(intervento.descrizione),
        "azioni": lambda: _join(a.titolo for a in intervento.azioni.all()),
        "target": lambda: _md_text(intervento.target),
        "risorse": lambda: _md_text(intervento.risorse_descrizione),
        "personale": lambda: _md_text(intervento.personale),
        "indicatori": lambda: _join(i.descrizione for i in intervento.indicatori.all()),
        "partner": lambda: _join(p.nome for p in intervento.partner.all()),
    }
    return values.get(attributo, lambda: "")()


def _field_value(campo: CampoModello, valore):
    """A card answer as a cell value: text for text and choices, «Sì/No, nota», a number for amounts."""
    if valore is None:
        return None
    nota = _md_text(valore.testo)
    if campo.tipo == TipoCampo.SI_NO:
        risposta = {True: "Sì", False: "No", None: ""}[valore.si_no]
        return f"{risposta}, {nota}" if risposta and nota else (risposta or nota)
    if campo.tipo in (TipoCampo.SCELTA, TipoCampo.SCELTA_MULTIPLA):
        labels = ", ".join(campo.opzioni_dict.get(s, s) for s in valore.scelte)
        return f"{labels} – {nota}" if labels and nota and campo.tipo == TipoCampo.SCELTA else (nota or labels)
    if campo.tipo == TipoCampo.MACRO_AREE:
        names = ", ".join(m.nome for m in valore.macro_aree.all())
        return f"{nota}\nMacro-aree: {names}" if names and nota else (nota or names)
    if campo.tipo == TipoCampo.PUNTI_CHIAVE:
        return "\n".join(filter(None, [_join(str(v) for v in valore.voci_punti_chiave.all()), nota]))
    if campo.tipo == TipoCampo.IMPORTO:
        return valore.importo if valore.importo is not None else (nota or None)
    return nota


def _card_columns(interventi) -> list[CampoModello]:
    """Every field of the templates used by the plan, once per key (the same question shares a column)."""
    seen, out = set(), []
    for i in interventi:
        for campo in i.modello.campi.all():
            if campo.chiave not in seen:
                seen.add(campo.chiave)
                out.append(campo)
    return out


def _area(intervento) -> str:
    o = intervento.obiettivo
    area = o.area or (o.parent.area if o.parent_id else None)
    if area:
        return f"{area.codice}. {area.titolo}"
    root = o.parent if o.parent_id else o
    return sub_ambito_label(root.sub_ambito) if root.sub_ambito_id else "Ambito"


def _sheet_obiettivi(wb, piano, counts) -> None:
    sheet = Sheet(
        wb,
        "Obiettivi",
        [
            Col("Area", 34, wrap=True), Col("Livello", 18), Col("Codice", 9), Col("Obiettivo", 60, wrap=True),
            Col("Obiettivo strategico", 40, wrap=True), Col("Sub-ambito", 18), Col("Interventi", 11, INTEGER),
            Col("Descrizione", 60, wrap=True),
        ],
    )  # fmt: skip
    for o in piano.obiettivi.select_related("area", "parent__area", "sub_ambito").order_by("ordine", "pk"):
        area = o.area or (o.parent.area if o.parent_id else None)
        sheet.append(
            [
                f"{area.codice}. {area.titolo}" if area else "",
                o.get_livello_display(),
                o.codice,
                o.titolo,
                str(o.parent) if o.parent_id else "",
                o.sub_ambito.nome if o.sub_ambito_id else "",
                counts.get(o.pk, 0),
                _md_text(o.descrizione),
            ]
        )
    sheet.filter_data()


def _sheet_interventi(wb, interventi) -> None:
    campi = _card_columns(interventi)
    importo = {c.chiave for c in campi if c.tipo == TipoCampo.IMPORTO}
    cols = [Col("N.", 6, INTEGER), Col("Area", 30, wrap=True)]
    for c in campi:
        if c.chiave in importo:
            cols.append(Col(c.etichetta, 16, EURO))
        else:
            cols.append(Col(c.etichetta, 45 if c.chiave == "titolo" else 38, wrap=True))
    cols += [
        Col("Modello di scheda", 22, wrap=True), Col("Codice", 9), Col("Stato", 16), Col("Fondi", 30, wrap=True),
        Col("LEPS", 30, wrap=True), Col("Partner della rete", 30, wrap=True), Col("Azioni", 9, INTEGER),
        Col("Risorse previste (€)", 16, EURO), Col("Risorse impegnate (€)", 16, EURO),
        Col("Risorse liquidate (€)", 16, EURO),
    ]  # fmt: skip
    sheet = Sheet(wb, "Interventi", cols, freeze="D2")
    for n, i in enumerate(interventi, start=1):
        valori = {v.campo_id: v for v in i.valori.all()}
        by_key = {c.chiave: c for c in i.modello.campi.all()}
        row = [n, _area(i)]
        for c in campi:
            own = by_key.get(c.chiave)
            if own is None:
                row.append(None)
            elif own.tipo == TipoCampo.BASE:
                row.append(_base_value(i, own.attributo))
            else:
                row.append(_field_value(own, valori.get(own.pk)))
        risorse = list(i.risorse.all())
        row += [
            i.modello.nome,
            i.codice,
            i.get_stato_display(),
            ", ".join(f.nome for f in i.fondi.all()),
            ", ".join(x.nome for x in i.leps.all()),
            ", ".join(p.nome for p in i.partner.all()),
            len(i.azioni.all()),
            sum((r.previsto for r in risorse), start=Decimal("0")),
            sum((r.impegnato for r in risorse), start=Decimal("0")),
            sum((r.liquidato for r in risorse), start=Decimal("0")),
        ]
        sheet.append(row)
    sheet.filter_data()


def _sheet_azioni(wb, piano) -> None:
    sheet = Sheet(
        wb,
        "Azioni",
        [
            Col("Area", 30, wrap=True), Col("Intervento", 45, wrap=True), Col("N.", 6, INTEGER),
            Col("Azione", 55, wrap=True), Col("Stato", 20), Col("Responsabile", 24, wrap=True), Col("Inizio", 12, DATE),
            Col("Fine", 12, DATE), Col("Note", 40, wrap=True),
        ],
        freeze="C2",
    )  # fmt: skip
    azioni = Azione.objects.filter(intervento__piano=piano).select_related(
        "intervento__obiettivo__area", "intervento__obiettivo__parent__area", "intervento__obiettivo__sub_ambito",
        "intervento__obiettivo__parent__sub_ambito",
    ).order_by("intervento__obiettivo__area__ordine", "intervento__obiettivo__ordine", "intervento__ordine",
               "intervento__pk", "ordine", "pk")  # fmt: skip
    for a in azioni:
        sheet.append(
            [
                _area(a.intervento),
                a.intervento.titolo,
                a.ordine,
                a.titolo,
                a.get_stato_display(),
                a.responsabile,
                a.data_inizio,
                a.data_fine,
                a.note,
            ]
        )
    sheet.filter_data()


def _sheet_indicatori(wb, piano) -> None:
    anni = piano.anni
    sheet = Sheet(
        wb,
        "Indicatori",
        [
            Col("Area", 30, wrap=True), Col("Intervento", 45, wrap=True), Col("Tipo", 12),
            Col("Indicatore", 50, wrap=True), Col("Unità di misura", 16), Col("Valore di partenza", 14, DECIMAL),
            Col("Anno di partenza", 11), Col("Fonte del dato", 30, wrap=True),
            *[Col(f"Target {a}", 12, DECIMAL) for a in anni],
        ],
        freeze="C2",
    )  # fmt: skip
    indicatori = (
        Indicatore.objects.filter(intervento__piano=piano)
        .select_related("intervento__obiettivo__area", "intervento__obiettivo__parent__area")
        .select_related("intervento__obiettivo__sub_ambito", "intervento__obiettivo__parent__sub_ambito")
        .prefetch_related("target")
        .order_by("intervento__obiettivo__area__ordine", "intervento__ordine", "intervento__pk", "ordine", "pk")
    )
    for ind in indicatori:
        target = {t.anno: t.valore for t in ind.target.all()}
        sheet.append(
            [
                _area(ind.intervento),
                ind.intervento.titolo,
                ind.get_tipo_display(),
                ind.descrizione,
                ind.unita,
                ind.baseline,
                ind.anno_baseline,
                ind.fonte,
                *[target.get(a) for a in anni],
            ]
        )
    sheet.filter_data()


def _sheet_risorse(wb, piano, interventi) -> None:
    """Rows per intervention, fund and year; below them the totals by fund and year as SUMIFS formulas."""
    sheet = Sheet(
        wb,
        "Risorse",
        [
            Col("Area", 30, wrap=True), Col("Intervento", 45, wrap=True), Col("Fondo", 36, wrap=True),
            Col("Tipo di fondo", 22), Col("Anno", 8), Col("Previsto (€)", 17, EURO), Col("Impegnato (€)", 17, EURO),
            Col("Liquidato (€)", 17, EURO), Col("Note", 30, wrap=True),
        ],
        freeze="C2",
    )  # fmt: skip
    risorse = (
        Risorsa.objects.filter(intervento__piano=piano)
        .select_related("fondo", "intervento__obiettivo__area", "intervento__obiettivo__parent__area")
        .select_related("intervento__obiettivo__sub_ambito", "intervento__obiettivo__parent__sub_ambito")
        .order_by("intervento__obiettivo__area__ordine", "intervento__ordine", "intervento__pk", "anno", "ordine")
    )
    fondi: dict[int, Fondo] = {}
    for r in risorse:
        fondi[r.fondo_id] = r.fondo
        sheet.append(
            [
                _area(r.intervento),
                r.intervento.titolo,
                r.fondo.nome,
                r.fondo.get_tipo_display(),
                r.anno,
                r.previsto,
                r.impegnato,
                r.liquidato,
                r.note,
            ]
        )
    last = sheet.rows
    sheet.filter_data(last)
    for i in interventi:  # the funds named on the cards, even without amounts yet
        for f in i.fondi.all():
            fondi.setdefault(f.pk, f)
    first_data, last_data = 2, max(last, 2)

    def rng(col: str) -> str:
        return f"${col}${first_data}:${col}${last_data}"

    sheet.append_cells([])
    sheet.append_cells([sheet.cell("Totali per fondo e anno (formule sulle righe sopra)", font=TITLE_FONT)])
    headers = ["Fondo", *[f"Previsto {a} (€)" for a in piano.anni], "Previsto totale (€)", "Impegnato totale (€)"]
    headers.append("Liquidato totale (€)")
    header_row = sheet.append_cells(
        [sheet.cell(h, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN) for h in headers]
    )
    n_years = len(piano.anni)
    first_fund = header_row + 1
    for f in sorted(fondi.values(), key=lambda x: (x.ordine, x.codice)):
        r = sheet.rows + 1
        cells = [sheet.cell(f.nome, align=WRAP)]
        for anno in piano.anni:
            formula = f"=SUMIFS({rng('F')},{rng('C')},$A{r},{rng('E')},{anno})"
            cells.append(sheet.cell(formula, fmt=EURO))
        last_year_col = get_column_letter(1 + n_years)
        cells.append(sheet.cell(f"=SUM(B{r}:{last_year_col}{r})", fmt=EURO))
        cells.append(sheet.cell(f"=SUMIFS({rng('G')},{rng('C')},$A{r})", fmt=EURO))
        cells.append(sheet.cell(f"=SUMIFS({rng('H')},{rng('C')},$A{r})", fmt=EURO))
        sheet.append_cells(cells)
    last_fund = sheet.rows
    total = [sheet.cell("Totale", font=TOTAL_FONT, fill=TOTAL_FILL, border=THIN)]
    for k in range(2, len(headers) + 1):
        col = get_column_letter(k)
        formula = f"=SUM({col}{first_fund}:{col}{last_fund})" if last_fund >= first_fund else 0
        total.append(sheet.cell(formula, fmt=EURO, font=TOTAL_FONT, fill=TOTAL_FILL, border=THIN))
    sheet.append_cells(total)
    if not fondi:
        sheet.append_cells([sheet.cell("Nessuna risorsa registrata per gli interventi del piano.")])


def _sheet_popolazione(wb, piano) -> None:
    sheet = Sheet(
        wb,
        "Popolazione",
        [
            Col("Codice ISTAT", 12, TEXT), Col("Comune", 26), Col("Anno", 8), Col("Totale residenti", 14, INTEGER),
            Col("Maschi", 11, INTEGER), Col("Femmine", 11, INTEGER), Col("Stranieri", 11, INTEGER),
            Col("% stranieri", 11, PERCENT), Col("0-14 anni", 11, INTEGER), Col("0-17 anni", 11, INTEGER),
            Col("65 anni e oltre", 13, INTEGER), Col("% 65 anni e oltre", 13, PERCENT), Col("Fonte", 40),
            Col("Dati dell'anno nell'Ambito", 28),
        ],
        freeze="C2",
    )  # fmt: skip
    anni = population_years(piano.ambito)  # a partial year is labelled on each of its rows: its sum is no total
    facts = (
        Popolazione.objects.filter(comune__in=ambito_comuni(piano.ambito).values("pk"))
        .select_related("comune")
        .order_by("comune__nome", "anno")
    )
    for p in facts:
        r = sheet.rows + 1
        sheet.append(
            [
                p.comune_id,
                p.comune.nome,
                p.anno,
                p.totale,
                p.maschi,
                p.femmine,
                p.stranieri,
                f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(G{r}),D{r}>0),G{r}/D{r},"")',
                p.eta_0_14,
                p.eta_0_17,
                p.eta_65_oltre,
                f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(K{r}),D{r}>0),K{r}/D{r},"")',
                p.fonte,
                _year_status(anni.get(p.anno)),
            ]
        )
    sheet.filter_data()


def _year_status(year: PopulationYear | None) -> str:
    """«completi (13 Comuni su 13)» or «parziali (2 Comuni su 13)»: whether the year's sum is an Ambito total."""
    if year is None:
        return "senza totale dei residenti"
    return f"{'completi' if year.complete else 'parziali'} ({year.copertura})"


def spesa_rows(piano: PianoDiZona) -> list[list] | None:
    """Spending facts of the plan's Ambito and sub-ambiti (table, dimension, entity, item, Comune, year, value,
    unit), or None when the spending facts are not part of this installation or not recorded yet."""
    try:
        from planning.models import SpesaSociale
    except ImportError:
        return None
    facts = (
        SpesaSociale.objects.filter(tabella__ambito_id__in=piano.ambito.with_sub_ambiti_ids())
        .select_related("tabella__ambito", "voce", "comune")
        .order_by("tabella__ambito__nome", "tabella__ordine", "tabella__pk", "voce__ordine", "voce__nome", "anno")
    )
    rows = []
    for f in facts:
        t = f.tabella
        rows.append(
            [
                f"{t.codice} — {t.titolo}" + (f" ({t.ambito.nome})" if t.ambito_id != piano.ambito_id else ""),
                t.get_dimensione_display(),
                t.get_ente_display(),
                f.voce.nome,
                f.comune.nome if f.comune_id else "",
                f.anno,
                f.valore,
                t.get_misura_display(),
            ]
        )
    return rows or None


def _sheet_spesa(wb, piano) -> None:
    sheet = Sheet(
        wb,
        "Spesa",
        [
            Col("Tabella", 34, wrap=True), Col("Dimensione", 20), Col("Spesa di", 22), Col("Voce", 40, wrap=True),
            Col("Comune", 22), Col("Anno", 8), Col("Valore", 17, DECIMAL), Col("Misura", 16),
        ],
    )  # fmt: skip
    rows = spesa_rows(piano)
    if not rows:
        sheet.append_cells(
            [sheet.cell("I dati della spesa sociale dell'Ambito non sono ancora registrati nel portale.", align=TOP)]
        )
        sheet.filter_data(1)
        return
    for row in rows:
        sheet.append(row)
    sheet.filter_data()


def build_piano_xlsx(piano: PianoDiZona) -> bytes:
    interventi = list(
        intervento_scheda_queryset()
        .filter(piano=piano)
        .select_related("obiettivo__parent__area", "obiettivo__parent__sub_ambito")
    )
    counts: dict[int, int] = {}
    for i in interventi:
        counts[i.obiettivo_id] = counts.get(i.obiettivo_id, 0) + 1
    wb = Workbook(write_only=True)
    wb.properties.title = piano.titolo
    wb.properties.creator = piano.ambito.ente_capofila or piano.ambito.nome
    wb.properties.subject = f"Piano di Zona {piano.periodo} – {piano.ambito.nome}"
    wb.calculation.fullCalcOnLoad = True  # the totals are formulas: computed when the file is opened
    _sheet_obiettivi(wb, piano, counts)
    _sheet_interventi(wb, interventi)
    _sheet_azioni(wb, piano)
    _sheet_indicatori(wb, piano)
    _sheet_risorse(wb, piano, interventi)
    _sheet_popolazione(wb, piano)
    _sheet_spesa(wb, piano)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def piano_xlsx_spec(piano: PianoDiZona, back_url: str = "") -> ReportSpec:
    return ReportSpec(
        kind="piano-di-zona-xlsx",
        title=f"{piano.titolo} (Excel)",
        filename=piano_filename(piano, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
        fingerprint={"piano": piano.pk, "dati": piano_fingerprint(piano)},
        build=lambda: build_piano_xlsx(piano),
        back_url=back_url or piano.get_absolute_url(),
    )
