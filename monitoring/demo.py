"""Demo schede: Reggio nell'Emilia NID26 and SOC26 2025 (seed 000, Validata), a Magentino draft and three years of
invented history for three Comuni of the Magentino, so that the analysis of outliers has something to show.

Values are written directly (the demo loader acts as the ministry and the Comune at once), then the engine
recomputes every scheda. Idempotent.

**History (dati dimostrativi).** The templates of the three years before NID26 and SOC26 (NID25/NID24/NID23,
SOC25/SOC24/SOC23, reference years 2024-2022) are derived from the current ones by `derive_template_for_year`
(code, reference year, due date, year-coded columns shifted as monitoring.outliers matches them); they are
inactive (out of the overviews) and say in their title and source that they are demo data. Magenta, Corbetta and
Bareggio get a Validata scheda of each, with values a few per cent below the current level (Magenta's current
NID26 draft, scaled for the other two; SOC from Reggio's values, scaled to the Comune), marked as demo in the
scheda's «motivazione». Two values of Magenta's NID26 draft are outside their history: R01/N25 (420 posti against
300-320, justified by a demo comment) and R11/N25 (400 lattanti against 320-340, to justify, like the engine's
warning on the same cell).
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from territory.models import Comune

from .models import ModelloScheda, Scheda, Stato, ValoreCella
from .outliers import past_column
from .services import SCHEDE_DIR, modello_load, normalise, scheda_recompute, template_files

REGGIO = "035033"
MAGENTA = "015130"

# A partly filled NID26 for Magenta: R11 (lattanti) above R10 gives a warning, Quadro 2 is still empty.
MAGENTA_NID26_COLUMNS = {
    "N25": {
        "R01": "420", "R02": "96", "R05": "180", "R06": "150", "R09": "36", "R11": "400", "R12": "330", "R13": "36",
    },
    "IST": {"R19_0": "168", "R19_1": "181", "R19_2": "192", "R19A": "24598"},
}  # fmt: skip
MAGENTA_NID26 = {(row, col): value for col, rows in MAGENTA_NID26_COLUMNS.items() for row, value in rows.items()}
# R01/N25 (420) is outside Magenta's history (see MAGENTA_OUTLIER_HISTORY): justified by this demo comment.
MAGENTA_NID26_COMMENTS = {("R01", "N25"): "Dato dimostrativo: a settembre 2025 ha aperto il nuovo nido comunale."}

# --- Demo history (see the module docstring) -----------------------------------------------------------------

DEMO_TITLE = " (dati dimostrativi)"
DEMO_SOURCE = "Dati dimostrativi: modello derivato da {code} per lo storico dell'analisi delle anomalie, non ufficiale"
DEMO_REASON = "Dati dimostrativi: storico inventato per l'analisi delle anomalie rispetto agli anni precedenti"
HISTORY_YEARS = 3
# Comuni of the Magentino with a history: the scale of their values against Magenta (NID) and Reggio (SOC).
HISTORY_COMUNI = {MAGENTA: (Decimal(1), Decimal("0.14")), "015085": (Decimal("0.8"), Decimal("0.11")),
                  "015012": (Decimal("0.7"), Decimal("0.08"))}  # fmt: skip
YEAR_FACTORS = [Decimal("0.98"), Decimal("0.96"), Decimal("0.95")]  # 1, 2 and 3 years before
# Magenta's NID history of R01/N25 and R11/N25, far below the current 420 and 400: two outliers (1, 2, 3 years before).
MAGENTA_OUTLIER_HISTORY = {("R01", "N25"): ["320", "310", "300"], ("R11", "N25"): ["340", "330", "320"]}

_YEAR_TEXT = re.compile(r"\b(?:19|20)\d{2}\b")


def derive_template_for_year(definition: dict, year: int) -> dict:
    """The definition of the same template for reference year `year` (an earlier one, for a demo history).

    Code (NID26 → NID25 for 2024), reference year, due date and title go back by the difference; every column code
    ending with the reference year (N25, UF25, Y2025) ends with `year` instead, wherever the definition names it
    (formulas, rules, required cells, sentences, indicators): monitoring.outliers.past_column, the matching the
    outlier check uses. The years printed in titles and labels go back too when they are the reference year or the
    year before (the population «al 31/12/2024»); other years (2018, 2026…) and codes are kept."""
    ref = definition["reference_year"]
    shift = ref - year
    code = definition["code"]
    digits = code[len(code.rstrip("0123456789")) :]
    new_code = code[: len(code) - len(digits)] + str(int(digits) - shift).zfill(len(digits))
    renamed = {c["code"]: past_column(c["code"], ref, year) for c in definition["columns"]}
    renamed = {old: new for old, new in renamed.items() if old != new}
    renamed[code] = new_code
    text = json.dumps(definition, ensure_ascii=False)
    if renamed:
        tokens = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, renamed)) + r")(?![A-Za-z0-9_])")
        text = tokens.sub(lambda m: renamed[m.group(1)], text)
    text = _YEAR_TEXT.sub(lambda m: str(int(m[0]) - shift) if ref - 1 <= int(m[0]) <= ref else m[0], text)
    derived = json.loads(text)
    due = datetime.date.fromisoformat(definition["due_date"])
    derived.update(reference_year=year, due_date=due.replace(year=due.year - shift).isoformat())
    return derived


def _scaled(value: str, factor: Decimal) -> str:
    return str((Decimal(value.replace(",", ".")) * factor).quantize(Decimal(1), ROUND_HALF_UP))


def _history_values(code: str, base: dict[tuple[str, str], str], ref: int, year: int, factor: Decimal) -> dict:
    """The values of a past scheda: `base` (current codes) × factor, under the columns of the template of `year`."""
    return {(row, past_column(col, ref, year)): _scaled(v, factor) for (row, col), v in base.items()}


def demo_history_load(modelli: dict[str, ModelloScheda]) -> int:
    """The derived templates of the three years before NID26 and SOC26 and the Validata schede of the Comuni of
    HISTORY_COMUNI (see the module docstring). Returns how many past schede there are."""
    reggio_soc = json.loads((SCHEDE_DIR / "reggio_2025_values.json").read_text(encoding="utf-8"))["SOC26"]
    current = modelli["SOC26"].compiled()
    soc_base = {
        (row, col): value
        for row, cols in reggio_soc.items()
        for col, value in cols.items()
        if (cell := current.cells.get((row, col))) and cell.kind == "input" and cell.quadro == 1 and row.startswith("M")
    }
    comuni = Comune.objects.in_bulk(list(HISTORY_COMUNI))
    count = 0
    for family, base_index in (("NID26", 0), ("SOC26", 1)):
        modello = modelli[family]
        ref = modello.anno_riferimento
        for back in range(1, HISTORY_YEARS + 1):
            past = _derived_modello(modello, ref - back)
            for codice, scales in HISTORY_COMUNI.items():
                base = MAGENTA_NID26 if family == "NID26" else soc_base
                values = _history_values(family, base, ref, ref - back, scales[base_index] * YEAR_FACTORS[back - 1])
                if family == "NID26" and codice == MAGENTA:
                    for (row, col), series in MAGENTA_OUTLIER_HISTORY.items():
                        values[(row, past_column(col, ref, ref - back))] = series[back - 1]
                scheda, _ = Scheda.objects.get_or_create(modello=past, comune=comuni[codice])
                _fill(scheda, values)
                if scheda.stato != Stato.VALIDATA or scheda.motivo != DEMO_REASON:
                    scheda.stato, scheda.motivo = Stato.VALIDATA, DEMO_REASON
                    scheda.save()
                scheda_recompute(scheda=scheda)
                count += 1
    return count


def _derived_modello(modello: ModelloScheda, year: int) -> ModelloScheda:
    definition = derive_template_for_year(modello.definizione, year)
    definition["title"] += DEMO_TITLE
    definition["source"] = DEMO_SOURCE.format(code=modello.codice)
    past, _ = modello_load(definition=definition)
    if past.attivo:
        past.attivo = False
        past.save()
    return past


def demo_modelli_load() -> list[ModelloScheda]:
    return [modello_load(definition=json.loads(p.read_text(encoding="utf-8")))[0] for p in template_files()]


def _fill(scheda: Scheda, values: dict[tuple[str, str], str]) -> None:
    compiled = scheda.modello.compiled()
    result = compiled.compute(values)
    existing = {(v.riga, v.colonna): v for v in scheda.valori.all()}
    for key in values:
        text = normalise(result.values.get(key))
        if key in existing:
            if existing[key].valore != text:
                existing[key].valore = text
                existing[key].save()
        elif text:
            ValoreCella.objects.create(scheda=scheda, riga=key[0], colonna=key[1], valore=text)


@transaction.atomic
def demo_schede_load() -> int:
    modelli = {m.codice: m for m in demo_modelli_load()}
    reggio_values = json.loads((SCHEDE_DIR / "reggio_2025_values.json").read_text(encoding="utf-8"))
    reggio = Comune.objects.get(codice_istat=REGGIO)
    count = 0
    for code, nested in reggio_values.items():
        scheda, _ = Scheda.objects.get_or_create(modello=modelli[code], comune=reggio)
        _fill(scheda, {(r, c): v for r, cols in nested.items() for c, v in cols.items()})
        if scheda.stato != Stato.VALIDATA:
            scheda.stato = Stato.VALIDATA
            scheda.save()
        scheda_recompute(scheda=scheda)
        count += 1
    magenta = Comune.objects.get(codice_istat=MAGENTA)
    scheda, created = Scheda.objects.get_or_create(modello=modelli["NID26"], comune=magenta)
    if created or not scheda.valori.exists():
        _fill(scheda, MAGENTA_NID26)
    for (row, col), comment in MAGENTA_NID26_COMMENTS.items():  # while the demo value is there and has no comment
        cell = scheda.valori.filter(riga=row, colonna=col, valore=MAGENTA_NID26[(row, col)], commento="")
        cell.update(commento=comment)  # no history record of its own: the demo wrote it with the value
    scheda_recompute(scheda=scheda)
    demo_history_load(modelli)
    return count + 1
