"""Demo evaluations from fixtures/valutazione/: the 8 «schede monografiche» 2021-2023 of the Magentino (seed 001)
and the three E1 cards of the Oglio Po Ambito (seed 003). An evaluation already present is left alone."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ..models import AzioneValutata, PianoDiZona, SchedaValutazione, Valutazione

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "valutazione"
FILES = ("magentino_2021_2023.json", "oglio_po_e1_2019_2020.json")
CARD_FIELDS = (
    "modello", "area", "obiettivo", "descrizione", "d1_esito", "d1_note", "d2_utenti", "d3_adeguatezza", "d3_note",
    "d4_esito", "d5_criticita", "d6_risposta", "d6_note", "d7_risposta", "d7_note", "d8_risposta", "d8_note",
)  # fmt: skip


def valutazione_load(name: str) -> int:
    doc = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    piano = PianoDiZona.objects.filter(slug=doc["piano"]).first()
    if piano is None:
        return 0
    valutazione, created = Valutazione.objects.get_or_create(
        piano=piano,
        defaults={k: doc[k] for k in ("periodo_valutato", "periodo_precedente", "regola_parziali", "note")},
    )
    if not created:
        return 0
    for i, card in enumerate(doc["schede"], start=1):
        printed = card.get("d1_percentuale_stampata")
        scheda = SchedaValutazione.objects.create(
            valutazione=valutazione,
            ordine=i,
            d1_percentuale_stampata=Decimal(str(printed)) if printed is not None else None,
            **{k: card.get(k, "") for k in CARD_FIELDS},
        )
        bulk_create_with_history(
            [
                AzioneValutata(
                    scheda=scheda,
                    ordine=j,
                    titolo=a["titolo"],
                    gruppo=a.get("gruppo", ""),
                    stato=a["stato"],
                    desunto=a.get("desunto", False),
                    nota=a.get("nota", ""),
                )
                for j, a in enumerate(card["azioni"], start=1)
            ],
            AzioneValutata,
        )
    return len(doc["schede"])


@transaction.atomic
def demo_valutazione_load() -> int:
    return sum(valutazione_load(name) for name in FILES)
