"""The sheets of the plan's structure: Obiettivi, Interventi (every field of the card templates as a column) and
Azioni."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from planning.models import Intervento, PianoDiZona, TipoCampo
from planning.piano.selectors import azioni_ordinate, obiettivi_ordinati

from .cells import area_label, base_value, card_columns, field_value, md_text
from .sheet import DATE, EURO, INTEGER, Col, Sheet


def sheet_obiettivi(wb: Workbook, piano: PianoDiZona, counts: dict[int, int]) -> None:
    sheet = Sheet(
        wb,
        "Obiettivi",
        [
            Col("Area", 34, wrap=True), Col("Livello", 18), Col("Codice", 9), Col("Obiettivo", 60, wrap=True),
            Col("Obiettivo strategico", 40, wrap=True), Col("Sub-ambito", 18), Col("Interventi", 11, INTEGER),
            Col("Descrizione", 60, wrap=True),
        ],
    )  # fmt: skip
    for o in obiettivi_ordinati(piano):
        area = o.area_effettiva
        sheet.append(
            [
                str(area) if area else "",
                o.get_livello_display(),
                o.codice,
                o.titolo,
                str(o.parent) if o.parent_id else "",
                o.sub_ambito.nome if o.sub_ambito_id else "",
                counts.get(o.pk, 0),
                md_text(o.descrizione),
            ]
        )
    sheet.add_table()


def _card_cells(intervento: Intervento, campi: list) -> list:
    """The intervention's answer to each column's question (None where its template does not ask it)."""
    valori = {v.campo_id: v for v in intervento.valori.all()}
    by_key = {c.chiave: c for c in intervento.modello.campi.all()}
    row = []
    for c in campi:
        own = by_key.get(c.chiave)
        if own is None:
            row.append(None)
        elif own.tipo == TipoCampo.BASE:
            row.append(base_value(intervento, own.attributo))
        else:
            row.append(field_value(own, valori.get(own.pk)))
    return row


def _summary_cells(intervento: Intervento) -> list:
    risorse = list(intervento.risorse.all())
    return [
        intervento.modello.nome,
        intervento.codice,
        intervento.get_stato_display(),
        ", ".join(f.nome for f in intervento.fondi.all()),
        ", ".join(x.nome for x in intervento.leps.all()),
        ", ".join(p.nome for p in intervento.partner.all()),
        len(intervento.azioni.all()),
        sum((r.previsto for r in risorse), start=Decimal("0")),
        sum((r.impegnato for r in risorse), start=Decimal("0")),
        sum((r.liquidato for r in risorse), start=Decimal("0")),
    ]


def sheet_interventi(wb: Workbook, interventi: list[Intervento]) -> None:
    campi = card_columns(interventi)
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
        sheet.append([n, area_label(i), *_card_cells(i, campi), *_summary_cells(i)])
    sheet.add_table()


def sheet_azioni(wb: Workbook, piano: PianoDiZona) -> None:
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
    for a in azioni_ordinate(piano):
        sheet.append(
            [
                area_label(a.intervento),
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
