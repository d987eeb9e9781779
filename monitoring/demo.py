"""Demo schede: Reggio nell'Emilia NID26 and SOC26 2025 (seed 000, Validata) and a Magentino draft.

Values are written directly (the demo loader acts as the ministry and the Comune at once), then the engine
recomputes every scheda. Idempotent.
"""

from __future__ import annotations

import json

from django.db import transaction

from territory.models import Comune

from .models import ModelloScheda, Scheda, Stato, ValoreCella
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
    scheda_recompute(scheda=scheda)
    return count + 1
