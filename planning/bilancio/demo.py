"""Demo budget of the Magentino's Piano di Zona 2025-2027 (issue 14), built from seed 001.

- Allocations: the funds of the seed's Tab. 14 («Fonte di finanziamento spesa Ufficio di Piano») for 2025, 2026 and
  2027, each at its 2022 amount (FNPS 347.728, FNA 412.689, Fondo Dopo di Noi 190.945, Fondo Povertà 1.045.646):
  the seed gives no allocation for the plan's years, so these are marked «importo dimostrativo». The PNRR lines the
  cards name (seed 001's intervention cards) get one allocation of 2025 at the line's standard project amount,
  Fondazioni a demo amount; a residual of Fondo Povertà 2024 (the previous cycle) is carried as its own allocation.
- Lines: each card draws on the funds its «Risorse economiche preventivate» names (the card's funds), a fund's
  yearly amount split evenly among its cards, cut to the hundred euro below (what is left stays available); the
  residual goes to the first card that names the Fondo Povertà. A year's allocation must be spent by the end of
  the second year after it.
- Commitments and payments on the 2025 lines of the first three cards; the Fondo Povertà 2024 residual must be
  spent within 60 days of the day the demo is loaded and is not fully committed: one quota at risk.
- The Comuni's shares: per inhabitant on the 2024 population, 28.397,00 € a year (Tab. 14, «Da Comune per la
  gestione associata del Piano di Zona», 2022); eight Comuni have paid the first year's share.
Idempotent: a plan that has allocations is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone

from ..models import (
    Assegnazione,
    Fondo,
    MetodoQuote,
    NaturaMovimento,
    PianoDiZona,
    RegolaQuote,
    RigaBilancio,
    TipoMovimento,
)
from .services import assegnazione_save, movimento_add, quote_ricalcola, riga_save, versamento_add

PIANO_SLUG = "magentino-2025-2027"
TAB14_2022 = {"FNPS": "347728", "FNA": "412689", "FDN": "190945", "FP": "1045646"}
ONE_OFF_2025 = {  # PNRR M5C2 standard project amounts; Fondazioni: demo
    "PNRR-1.1.1": "211500",
    "PNRR-1.1.3": "330000",
    "PNRR-1.1.4": "210000",
    "PNRR-1.2": "715000",
    "PNRR-1.3.1": "710000",
    "FONDAZIONI": "50000",
}
RESIDUO = ("FP", 2024, "250000")
QUOTA_COMUNI = Decimal("28397.00")
DEMO_NOTE = "Importo dimostrativo: il piano non riporta l'assegnazione di questa annualità."
CENT = Decimal("0.01")
MOVEMENTS = (  # on the first year's lines of the first three cards: type, month and day of that year, act
    (TipoMovimento.IMPEGNO, 4, 10, "Determina n. 101/2025 (dimostrativa)"),
    (TipoMovimento.LIQUIDAZIONE, 10, 15, "Mandato n. 2045/2025 (dimostrativo)"),
)


def _allocations(piano: PianoDiZona, funds: dict[str, Fondo], today: datetime.date) -> None:
    years = range(piano.anno_inizio, piano.anno_fine + 1)
    rows = [(code, year, amount) for code, amount in TAB14_2022.items() for year in years]
    rows += [(code, piano.anno_inizio, amount) for code, amount in ONE_OFF_2025.items()]
    rows.append(RESIDUO)
    for code, year, amount in rows:
        deadline = datetime.date(year + 2, 12, 31)  # two years to spend a year's allocation
        if (code, year) == RESIDUO[:2]:
            deadline = today + datetime.timedelta(days=60)
        assegnazione_save(
            assegnazione=Assegnazione(
                piano=piano,
                fondo=funds[code],
                anno=year,
                importo=Decimal(amount),
                atto=f"Decreto di riparto {code} {year} (dimostrativo)",
                data_atto=datetime.date(year, 3, 15) if year >= piano.anno_inizio else datetime.date(year, 5, 20),
                scadenza_spesa=deadline,
                scadenza_rendicontazione=datetime.date(deadline.year + 1, 2, 28),
                dimostrativa=True,
                note=DEMO_NOTE,
            )
        )


def _lines(piano: PianoDiZona) -> list:
    allocations = {(a.fondo.codice, a.anno): a for a in piano.assegnazioni.select_related("fondo")}
    cards = list(piano.interventi.prefetch_related("fondi").select_related("obiettivo__area").order_by("pk"))
    users: dict[str, list] = {}
    for card in cards:
        for fondo in card.fondi.all():
            users.setdefault(fondo.codice, []).append(card)
    users.setdefault(RESIDUO[0], [])
    created = []
    for (code, year), allocation in sorted(allocations.items()):
        cards_of_fund = users.get(code, [])
        if (code, year) == RESIDUO[:2]:
            cards_of_fund = cards_of_fund[:1]  # the residual goes to one card: one quota at risk
        if not cards_of_fund:
            continue
        share = (allocation.importo / len(cards_of_fund) / 100).to_integral_value(ROUND_FLOOR) * 100
        target_year = max(year, piano.anno_inizio)
        for card in cards_of_fund:
            riga = riga_save(
                riga=RigaBilancio(
                    piano=piano, intervento=card, assegnazione=allocation, anno=target_year, importo=share
                )
            )
            created.append(riga)
    return created


def _movements(piano: PianoDiZona, lines: list) -> None:
    first_cards = list(piano.interventi.order_by("pk").values_list("pk", flat=True)[:3])
    for riga in lines:
        if riga.anno != piano.anno_inizio or riga.intervento_id not in first_cards:
            continue
        committed = (riga.importo * Decimal("0.8")).quantize(CENT)
        amounts = (committed, (committed / 2).quantize(CENT))  # 80 % committed, half of it paid
        for (tipo, month, day, atto), importo in zip(MOVEMENTS, amounts, strict=True):
            movimento_add(
                riga=riga,
                tipo=tipo,
                natura=NaturaMovimento.NUOVO,
                data=datetime.date(piano.anno_inizio, month, day),
                atto=atto,
                importo=importo,
            )


@transaction.atomic
def demo_bilancio_load() -> int:
    """Load the Magentino's demo budget if missing; returns how many budget lines were created."""
    piano = PianoDiZona.objects.filter(slug=PIANO_SLUG).select_related("ambito").first()
    if piano is None or piano.assegnazioni.exists():
        return 0
    funds = {f.codice: f for f in Fondo.objects.all()}
    _allocations(piano, funds, timezone.localdate())
    lines = _lines(piano)
    _movements(piano, lines)
    RegolaQuote.objects.update_or_create(
        piano=piano,
        defaults={"metodo": MetodoQuote.PER_ABITANTE, "anno_popolazione": 2024, "importo_annuo": QUOTA_COMUNI},
    )
    piano.refresh_from_db()
    quote_ricalcola(piano=piano)
    _payments(piano)
    return len(lines)


def _payments(piano: PianoDiZona) -> None:
    """Eight Comuni (alphabetical) have paid their share of the plan's first year, the others not yet."""
    first_year = piano.quote_comuni.filter(anno=piano.anno_inizio).select_related("comune").order_by("comune__nome")
    for quota in first_year[:8]:
        versamento_add(
            quota=quota,
            data=datetime.date(piano.anno_inizio, 6, 30),
            importo=quota.dovuto,
            atto="Reversale (dimostrativa)",
        )
