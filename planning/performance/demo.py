"""Demo performance plan from fixtures/performance/: the 8 operational objectives of seed 004 (TSV as printed)
with their strategic objectives, structured indicators, and the catalogue of budget programmes. A plan already
present is left alone (idempotent); the catalogue is created or updated."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from territory.models import Ambito

from ..contesto.demo import read_tsv
from ..models import IndicatorePerformance, ObiettivoOperativo, ObiettivoStrategico, PianoPerformance, ProgrammaBilancio
from .services import programma_da_codice

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "performance"
COLUMNS = [
    "codice_strategico", "strategico", "codice", "testo", "obiettivi_collegati", "dirigente_nome", "note",
    "indicatori_testo", "strategicita", "complessita", "impatto", "economicita", "peso", "report",
    "valutazione_risultato", "valutazione_qualitativa", "totale_stampato",
]  # fmt: skip


def programmi_load() -> int:
    spec = json.loads((FIXTURES / "programmi_bilancio.json").read_text(encoding="utf-8"))
    n = 0
    for m in spec["missioni"]:
        for codice, nome in m["programmi"]:
            ProgrammaBilancio.objects.update_or_create(
                missione=m["missione"], programma=codice, defaults={"missione_nome": m["nome"], "programma_nome": nome}
            )
            n += 1
    return n


def _dec(text: str) -> Decimal | None:
    text = text.strip()
    return Decimal(text.replace(".", "").replace(",", ".")) if text else None


@transaction.atomic
def demo_performance_load() -> int:
    """Returns the number of operational objectives created (0 when the demo plan already exists)."""
    programmi_load()
    spec = json.loads((FIXTURES / "seed004_indicatori.json").read_text(encoding="utf-8"))
    meta = spec["piano"]
    ambito = Ambito.objects.filter(slug=meta["ambito"]).first()
    if ambito is None:
        return 0
    piano, created = PianoPerformance.objects.get_or_create(
        slug=meta["slug"],
        defaults={k: meta[k] for k in ("titolo", "ente", "anno", "note")} | {"ambito": ambito},
    )
    if not created:
        return 0
    strategici: dict[str, ObiettivoStrategico] = {}
    n = 0
    for row in read_tsv(FIXTURES / "seed004_piano_performance.tsv"):
        values = dict(zip(COLUMNS, row + [""] * (len(COLUMNS) - len(row)), strict=False))
        if "_" not in values["codice"]:
            continue  # the two header rows
        code = values["codice_strategico"]
        if code not in strategici:
            strategici[code] = ObiettivoStrategico.objects.create(
                piano=piano, codice=code, testo=values["strategico"], programma=programma_da_codice(code),
                ordine=len(strategici) + 1,
            )  # fmt: skip
        n += 1
        obiettivo = ObiettivoOperativo.objects.create(
            strategico=strategici[code],
            ordine=n,
            codice=values["codice"],
            testo=values["testo"],
            obiettivi_collegati=values["obiettivi_collegati"],
            dirigente_nome=values["dirigente_nome"],
            note=values["note"],
            indicatori_testo=values["indicatori_testo"],
            strategicita=values["strategicita"],
            complessita=values["complessita"],
            impatto=values["impatto"],
            economicita=values["economicita"],
            peso=int(values["peso"]) if values["peso"] else None,
            report=values["report"],
            valutazione_risultato=_dec(values["valutazione_risultato"]),
            valutazione_qualitativa=_dec(values["valutazione_qualitativa"]),
            totale_stampato=_dec(values["totale_stampato"]),
        )
        for i, (descrizione, target, unita, raggiunto) in enumerate(spec["indicatori"].get(obiettivo.codice, []), 1):
            IndicatorePerformance.objects.create(
                obiettivo=obiettivo, ordine=i, descrizione=descrizione, target=Decimal(target), unita=unita,
                raggiunto=Decimal(raggiunto) if raggiunto is not None else None,
            )  # fmt: skip
    return n
