"""Demo evaluations from fixtures/valutazione/: the 8 «schede monografiche» 2021-2023 of the Magentino (seed 001),
the three E1 cards of the Oglio Po Ambito and its 37 E2 cards of the sub-ambiti (seed 003, chapter 1.2: 16 of the
Casalasco with their actions, 21 of the Viadanese without actions). An evaluation already present is left alone;
the E2 cards are added to the Oglio Po evaluation once (none is added while any E2 card is there), so loading twice
adds nothing and a database loaded before the E2 cards existed receives them.

Readings of the E2 cards (fixtures/valutazione/README.md): each card belongs to its sub-ambito (`sub_ambito`);
the Casalasco areas are those printed as headings, cards without one keep the area empty; an action «in fase di
realizzazione / sperimentazione» is «in corso», one «in fase di programmazione» is «non realizzata»; a Sì/No
answer the document does not print stays empty, the printed text is the note."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from territory.models import Ambito

from ..models import AzioneValutata, PianoDiZona, SchedaValutazione, Valutazione

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "valutazione"
FILES = ("magentino_2021_2023.json", "oglio_po_e1_2019_2020.json")
SUB_AMBITI_FILES = ("oglio_po_e2_2019_2020.json",)
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
    return _cards_load(valutazione, doc["schede"], start=1)


def _cards_load(valutazione: Valutazione, cards: list[dict], *, start: int) -> int:
    sub_ambiti = {a.slug: a for a in Ambito.objects.filter(parent_id=valutazione.piano.ambito_id)}
    for i, card in enumerate(cards, start=start):
        printed = card.get("d1_percentuale_stampata")
        scheda = SchedaValutazione.objects.create(
            valutazione=valutazione,
            ordine=i,
            d1_percentuale_stampata=Decimal(str(printed)) if printed is not None else None,
            sub_ambito=sub_ambiti.get(card["sub_ambito"]) if card.get("sub_ambito") else None,
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
    return len(cards)


def sub_ambiti_load(name: str) -> int:
    """Add the sub-ambito cards of `name` after the cards of the plan's evaluation, once."""
    doc = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    valutazione = Valutazione.objects.select_related("piano").filter(piano__slug=doc["piano"]).first()
    if valutazione is None:
        return 0
    modelli = {card["modello"] for card in doc["schede"]}
    if valutazione.schede.filter(modello__in=modelli).exists():
        return 0
    last = valutazione.schede.aggregate(n=Max("ordine"))["n"] or 0
    return _cards_load(valutazione, doc["schede"], start=last + 1)


@transaction.atomic
def demo_valutazione_load() -> int:
    return sum(valutazione_load(name) for name in FILES) + sum(sub_ambiti_load(name) for name in SUB_AMBITI_FILES)
