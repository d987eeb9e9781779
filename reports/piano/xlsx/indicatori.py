"""The Indicatori sheet: each indicator of the plan with its baseline and yearly targets as columns, formatted by
the indicator's unit of measure (`unit_format`)."""

from __future__ import annotations

import re
from decimal import Decimal

from openpyxl import Workbook

from planning.models import PianoDiZona
from planning.piano.selectors import indicatori_ordinati

from .cells import area_label
from .sheet import DECIMAL, EURO, INTEGER, PERCENT_POINTS, Col, Sheet

# Units of a count: the value is a number of people, families, accesses… (Italian, singular and plural).
_COUNT_WORDS = """
    n n. nr nr. n° num numero numeri persona persone utente utenti famiglia famiglie nucleo nuclei minore minori
    anziano anziani giovane giovani adulto adulti disabile disabili beneficiario beneficiari destinatario
    destinatari caso casi accesso accessi abitante abitanti domanda domande richiesta richieste pratica pratiche
    progetto progetti intervento interventi incontro incontri operatore operatori partecipante partecipanti iscritto
    iscritti posto posti servizio servizi comune comuni ente enti soggetto soggetti contatto contatti colloquio
    colloqui segnalazione segnalazioni evento eventi corso corsi sportello sportelli alloggio alloggi volontario
    volontari studente studenti alunno alunni bambino bambini ragazzo ragazzi donna donne uomini prese presa
    attivazioni attivazione percorsi percorso tirocini tirocinio voucher buoni buono giornate giorni unità"""
COUNT_UNITS = frozenset(_COUNT_WORDS.split())
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


def sheet_indicatori(wb: Workbook, piano: PianoDiZona) -> None:
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
    measured = [5, *range(8, 8 + len(anni))]  # the baseline and the yearly targets: the unit's format
    for ind in indicatori_ordinati(piano):
        target = {t.anno: t.valore for t in ind.target.all()}
        values = [ind.baseline, *[target.get(a) for a in anni]]
        fmt = unit_format(ind.unita, values)
        sheet.append(
            [
                area_label(ind.intervento),
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
