"""The Excel workbook of a Piano di Zona (openpyxl, write-only): one sheet per kind of data, ready to filter.

Sheets: Obiettivi, Interventi (every field of the card templates as a column), Azioni, Indicatori (yearly targets
as columns), Risorse (rows per intervention, fund and year), Totali (the totals by fund and year as SUMIFS formulas
on the Risorse table), Popolazione (facts per Comune and year, shares as formulas, each year marked complete or
partial for the Ambito) and Spesa (the spending facts, when they exist).

Each data sheet is an Excel table named as its sheet (Obiettivi, Interventi, Azioni, Indicatori, Risorse,
Popolazione, Spesa): header row, banded rows, its own filter buttons (no sheet autofilter on the same range: Excel
reports such a file as corrupt), frozen header. The totals use structured references to whole table columns
(`SUMIFS(Risorse[Previsto],Risorse[Fondo],$A2,Risorse[Anno],2025)`), so the rows a user adds to the Risorse table
are counted; a row with a fund not listed falls in «Altri fondi», and the Totale row sums the whole table.

Numbers are real numbers with a number format that follows their unit: counts #,##0, amounts in euro two decimals,
percentages (stored as points, 45.5 = 45,5%) one decimal; dates are dates. `build_piano_xlsx(piano)` is shared by
the download button and `manage.py piano_xlsx`.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from core.exports import XLSX_CONTENT_TYPE
from planning.models import Azione, CampoModello, Fondo, Indicatore, PianoDiZona, Risorsa, TipoCampo
from planning.piano.cards import intervento_scheda_queryset
from territory.models import Popolazione
from territory.selectors import PopulationYear, ambito_comuni, population_years

from .generation import ReportSpec
from .piano_context import piano_fingerprint, sub_ambito_label
from .piano_pdf import piano_filename

EURO = '#,##0.00 "€"'
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = "0.0%"  # a share computed as a fraction (G2/D2)
PERCENT_POINTS = "#,##0.0"  # a percentage stored as points (45.5 = 45,5%), as typed in the portal
DATE = "DD/MM/YYYY"
TEXT = "@"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="17324D")
TOTAL_FONT = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="DBE5F1")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
THIN = Border(top=Side(style="thin", color="17324D"))
TABLE_STYLE = "TableStyleLight9"


@dataclass
class Col:
    """A column: header, width (characters), number format, wrapped text."""

    header: str
    width: int = 14
    fmt: str | None = None
    wrap: bool = False


def table_headers(headers: list[str]) -> list[str]:
    """Header texts an Excel table accepts as column names: one line, not empty, at most 255 characters, unique
    regardless of case (a repeated label gets « (2)»); the header cells show the same text."""
    out: list[str] = []
    seen: set[str] = set()
    for n, header in enumerate(headers, start=1):
        text = " ".join(str(header or "").split())[:250] or f"Colonna {n}"
        name, k = text, 1
        while name.casefold() in seen:
            k += 1
            name = f"{text} ({k})"
        seen.add(name.casefold())
        out.append(name)
    return out


class Sheet:
    """A write-only sheet: styled header row, frozen panes, column widths; `add_table()` at the end makes the header
    and data rows an Excel table named as the sheet (with its own filter buttons)."""

    def __init__(self, wb: Workbook, title: str, cols: list[Col], freeze: str = "A2"):
        self.ws = wb.create_sheet(title=title[:31])
        self.headers = table_headers([c.header for c in cols])
        self.cols = cols
        self.rows = 0
        for i, col in enumerate(cols, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = col.width
        self.ws.freeze_panes = freeze
        self.append_cells([self.cell(h, font=HEADER_FONT, fill=HEADER_FILL, align=HEADER_ALIGN) for h in self.headers])

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

    def append(self, values: list, formats: dict[int, str] | None = None) -> int:
        """A data row: each value with its column's format (numbers stay numbers, dates stay dates); `formats`
        ({column index: format}) sets the format of this row's cells, empty ones included (a unit per row)."""
        cells = []
        for k, (value, col) in enumerate(zip(values, self.cols, strict=False)):
            fmt = col.fmt if value is not None else None
            if fmt is None and isinstance(value, datetime.date):
                fmt = DATE
            if formats and k in formats:
                fmt = formats[k]
            cells.append(self.cell(value, fmt=fmt, align=WRAP if col.wrap else TOP))
        return self.append_cells(cells)

    def add_table(self, name: str | None = None) -> Table:
        """The header and data rows as an Excel table (at least one data row, empty if there is no data)."""
        if self.rows < 2:
            self.append_cells([])
        ref = f"A1:{get_column_letter(len(self.cols))}{self.rows}"
        table = Table(
            displayName=name or self.ws.title,
            ref=ref,
            autoFilter=AutoFilter(ref=ref),
            tableColumns=[TableColumn(id=i, name=h) for i, h in enumerate(self.headers, start=1)],
            tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True),
        )
        with warnings.catch_warnings():  # the columns are named above, as write-only mode asks
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
            self.ws.add_table(table)
        return table


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
    sheet.add_table()


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
    sheet.add_table()


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
    sheet.add_table()


# Units of a count: the value is a number of people, families, accesses… (Italian, singular and plural).
COUNT_UNITS = frozenset(
    """n n. nr nr. n° num numero numeri persona persone utente utenti famiglia famiglie nucleo nuclei minore minori
    anziano anziani giovane giovani adulto adulti disabile disabili beneficiario beneficiari destinatario destinatari
    caso casi accesso accessi abitante abitanti domanda domande richiesta richieste pratica pratiche progetto progetti
    intervento interventi incontro incontri operatore operatori partecipante partecipanti iscritto iscritti posto posti
    servizio servizi comune comuni ente enti soggetto soggetti contatto contatti colloquio colloqui segnalazione
    segnalazioni evento eventi corso corsi sportello sportelli alloggio alloggi volontario volontari studente studenti
    alunno alunni bambino bambini ragazzo ragazzi donna donne uomini prese presa attivazioni attivazione percorsi
    percorso tirocini tirocinio voucher buoni buono giornate giorni unità""".split()
)
EURO_UNITS = frozenset({"€", "euro", "eur"})


def unit_format(unita: str, values) -> str:
    """The number format of an indicator's values, from its unit: amounts in euro two decimals (#,##0.00 €),
    percentages one decimal (stored as points: 45.5 is 45,5%), counts (numero, persone, famiglie… or no unit) an
    integer; other measures (ore, km, indice…) two decimals. A count with a fractional value keeps two decimals, so
    the format never hides what was typed."""
    unit = " ".join((unita or "").lower().split())
    words = re.findall(r"[\w°€%.]+", unit)
    first = words[0] if words else ""
    if "%" in unit or first.startswith(("percentual", "percento", "perc.")):
        return PERCENT_POINTS
    if "€" in unit or EURO_UNITS.intersection(words):
        return EURO
    if not unit or first in COUNT_UNITS or first.rstrip(".") in COUNT_UNITS:
        whole = all(v is None or Decimal(v) == Decimal(v).to_integral_value() for v in values)
        return INTEGER if whole else DECIMAL
    return DECIMAL


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
    measured = [5, *range(8, 8 + len(anni))]  # the baseline and the yearly targets: the unit's format
    for ind in indicatori:
        target = {t.anno: t.valore for t in ind.target.all()}
        values = [ind.baseline, *[target.get(a) for a in anni]]
        fmt = unit_format(ind.unita, values)
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
            ],
            formats=dict.fromkeys(measured, fmt),
        )
    sheet.add_table()


RISORSE = "Risorse"  # the name of the resources table, in the totals' structured references


def _col(column: str, table: str = RISORSE) -> str:
    """A whole column of a table (its data rows, however many), as a structured reference: Risorse[Previsto]."""
    return f"{table}[{column}]"


def _sheet_risorse(wb, piano, interventi) -> list[Fondo]:
    """Rows per intervention, fund and year, as the table Risorse; returns the funds for the totals (the funds with
    rows, then those named on the cards, even without amounts yet)."""
    sheet = Sheet(
        wb,
        "Risorse",
        [
            Col("Area", 30, wrap=True), Col("Intervento", 45, wrap=True), Col("Fondo", 36, wrap=True),
            Col("Tipo di fondo", 22), Col("Anno", 8), Col("Previsto", 17, EURO), Col("Impegnato", 17, EURO),
            Col("Liquidato", 17, EURO), Col("Note", 30, wrap=True),
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
    sheet.add_table(RISORSE)
    for i in interventi:
        for f in i.fondi.all():
            fondi.setdefault(f.pk, f)
    return sorted(fondi.values(), key=lambda x: (x.ordine, x.codice))


def _sheet_totali(wb, piano, fondi: list[Fondo]) -> None:
    """The totals by fund and year: SUMIFS on whole columns of the Risorse table, so rows added to the table are
    counted; «Altri fondi» holds the rows of a fund not listed (the table's total less the listed funds), and the
    Totale row is the total of the whole table."""
    anni = piano.anni
    cols = [
        Col("Fondo", 40, wrap=True), *[Col(f"Previsto {a} (€)", 16, EURO) for a in anni],
        Col("Previsto totale (€)", 17, EURO), Col("Impegnato totale (€)", 17, EURO),
        Col("Liquidato totale (€)", 17, EURO),
    ]  # fmt: skip
    sheet = Sheet(wb, "Totali", cols, freeze="B2")
    last_year = get_column_letter(1 + len(anni))
    others = {len(anni) + 3: "Impegnato", len(anni) + 4: "Liquidato"}  # column index: table column
    for f in fondi:
        r = sheet.rows + 1
        cells = [sheet.cell(f.nome, align=WRAP)]
        for anno in anni:
            formula = f"=SUMIFS({_col('Previsto')},{_col('Fondo')},$A{r},{_col('Anno')},{anno})"
            cells.append(sheet.cell(formula, fmt=EURO))
        cells.append(sheet.cell(f"=SUM(B{r}:{last_year}{r})", fmt=EURO))
        cells += [sheet.cell(f"=SUMIFS({_col(c)},{_col('Fondo')},$A{r})", fmt=EURO) for c in others.values()]
        sheet.append_cells(cells)
    first, last_fund = 2, sheet.rows

    def rest(whole: str, k: int) -> str:
        """The table's total less the funds listed above, in column k."""
        col = get_column_letter(k)
        return f"={whole}-SUM({col}{first}:{col}{last_fund})" if last_fund >= first else f"={whole}"

    r = sheet.rows + 1
    cells = [sheet.cell("Altri fondi (non elencati sopra)", align=WRAP)]
    for k, anno in enumerate(anni, start=2):
        cells.append(sheet.cell(rest(f"SUMIFS({_col('Previsto')},{_col('Anno')},{anno})", k), fmt=EURO))
    cells.append(sheet.cell(f"=SUM(B{r}:{last_year}{r})", fmt=EURO))
    cells += [sheet.cell(rest(f"SUM({_col(c)})", k), fmt=EURO) for k, c in others.items()]
    sheet.append_cells(cells)
    bold = {"font": TOTAL_FONT, "fill": TOTAL_FILL, "border": THIN}
    total = [sheet.cell("Totale", **bold)]
    for k in range(2, len(cols) + 1):
        col = get_column_letter(k)
        total.append(sheet.cell(f"=SUM({col}{first}:{col}{r})", fmt=EURO, **bold))
    sheet.append_cells(total)
    sheet.append_cells([])
    note = "Totali calcolati sulla tabella del foglio Risorse: comprendono anche le righe aggiunte alla tabella."
    sheet.append_cells([sheet.cell(note)])
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
    sheet.add_table()


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
        sheet.add_table()
        return
    from planning.models import Misura  # the spending facts exist: so does their unit

    quota = str(Misura.QUOTA.label)
    for row in rows:  # amounts in euro two decimals, shares (points: 82.3 is 82,3%) one decimal
        sheet.append(row, formats={6: PERCENT_POINTS} if row[7] == quota else None)
    sheet.add_table()


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
    _sheet_totali(wb, piano, _sheet_risorse(wb, piano, interventi))
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
