"""Demo quarterly monitoring of the Magentino Piano di Zona 2025-2027: one closed snapshot (2025-T1) and one open
(2025-T2), marked «dimostrativa», with plausible (invented) action states and indicator values.

Seed 001 gives no indicator figures: the indicators are the expected results printed on each card («QUALI
RISULTATI VUOLE RAGGIUNGERE?», first item) and their 2025 targets are invented; both are marked as demo in the
indicator's source. Nothing is loaded when the plan already has snapshots (idempotent).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import transaction

from core.queries import next_number
from planning.models import Indicatore, Intervento, PianoDiZona, StatoAzione, TargetIndicatore, ValoreCampo

from .models import Rilevazione
from .services import rilevazione_close, rilevazione_create

PIANO = "magentino-2025-2027"
FONTE_DEMO = "Dato dimostrativo: risultato atteso della scheda del Piano di Zona 2025-2027, target 2025 ipotetico"
# The source written by earlier versions (it named the copy of the document), replaced on the next load_demo.
OLD_FONTE_DEMO = "Dato dimostrativo: risultato atteso della scheda (seed 001), target 2025 ipotetico"
TARGETS = [120, 80, 60, 150, 90, 40, 200, 70, 110, 12, 50, 6, 30, 250, 180, 100, 5, 140]
# Plausible states by quarter: (index of the action modulo 20) → state.
T1 = {0: StatoAzione.REALIZZATA, 1: StatoAzione.REALIZZATA, 2: StatoAzione.REALIZZATA}
T2 = {**T1, 3: StatoAzione.REALIZZATA, 4: StatoAzione.REALIZZATA, 5: StatoAzione.PARZIALMENTE_REALIZZATA}


def _first_result(testo: str) -> str:
    first = next((line for line in testo.splitlines() if line.strip()), "")
    return re.sub(r"^[-*]\s*", "", first).strip().rstrip(";.")[:400]


def demo_indicators(piano: PianoDiZona) -> list[Indicatore]:
    """One result indicator per intervention card, from its expected results, with a 2025 target (demo)."""
    existing = list(Indicatore.objects.filter(intervento__piano=piano, fonte=FONTE_DEMO))
    if existing:
        return existing
    results = dict(
        ValoreCampo.objects.filter(intervento__piano=piano, campo__chiave="risultati").values_list(
            "intervento_id", "testo"
        )
    )
    created = []
    for i, intervento in enumerate(Intervento.objects.filter(piano=piano).order_by("ordine", "pk")):
        descrizione = _first_result(results.get(intervento.pk, "")) or "Numero di utenti raggiunti"
        ordine = next_number(intervento.indicatori)
        indicatore = Indicatore.objects.create(
            intervento=intervento, ordine=ordine, tipo="risultato", descrizione=descrizione, unita="numero",
            fonte=FONTE_DEMO,
        )  # fmt: skip
        TargetIndicatore.objects.create(indicatore=indicatore, anno=2025, valore=TARGETS[i % len(TARGETS)])
        created.append(indicatore)
    return created


def _fill(rilevazione: Rilevazione, states: dict, share: float, skip_every: int) -> None:
    targets = dict(
        TargetIndicatore.objects.filter(indicatore__intervento__piano=rilevazione.piano, anno=2025).values_list(
            "indicatore_id", "valore"
        )
    )
    azioni = list(rilevazione.stati_azioni.select_related("azione").order_by("azione__intervento__ordine", "pk"))
    for i, voce in enumerate(azioni):
        voce.stato = states.get(i % 20, StatoAzione.IN_CORSO if i % 3 else StatoAzione.PROGRAMMATA)
        if voce.stato == StatoAzione.REALIZZATA:
            voce.commento = "Dato dimostrativo"
        voce.save()
    for i, voce in enumerate(rilevazione.valori_indicatori.order_by("indicatore__intervento__ordine", "pk")):
        target = targets.get(voce.indicatore_id)
        if target is None or (skip_every and i % skip_every == skip_every - 1):
            continue
        factor = Decimal(str(share)) * (Decimal("0.8") + Decimal(i % 5) / 10)
        voce.valore = (target * factor).quantize(Decimal(1))
        voce.commento = "Dato dimostrativo"
        voce.save()


@transaction.atomic
def demo_rilevazioni_load() -> int:
    piano = PianoDiZona.objects.filter(slug=PIANO).first()
    Indicatore.objects.filter(intervento__piano=piano, fonte=OLD_FONTE_DEMO).update(fonte=FONTE_DEMO)
    if piano is None or piano.rilevazioni.exists():
        return 0
    demo_indicators(piano)
    note = "Rilevazione dimostrativa: stati e valori plausibili, non reali."
    t1 = rilevazione_create(piano=piano, anno=2025, trimestre=1, note=note, dimostrativa=True)
    _fill(t1, T1, 0.22, 0)
    rilevazione_close(rilevazione=t1, user=None)
    t2 = rilevazione_create(piano=piano, anno=2025, trimestre=2, note=note, dimostrativa=True)
    _fill(t2, T2, 0.48, 4)
    return 2
