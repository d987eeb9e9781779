"""Series by school year (e.g. the Casalasco SAAP of seed 003) computed from their `DatoScolastico` facts: per school
year the pupils assisted (the fact for all levels, or the sum of the levels where the document breaks the year
down), the levels, the spending and the spending per pupil (computed), with the printed totals compared. Two
queries for an Ambito and its sub-ambiti whatever the number of series and years."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from territory.models import Ambito

from ...models import DatoScolastico, MisuraScolastica, OrdineScuola, SerieScolastica, anno_scolastico
from .facts import ZERO, Controllo, ambito_ids, cached, half_unit, printed_all, printed_check

CENT = Decimal("0.01")
ORDINI = list(OrdineScuola)


@dataclass
class RigaScolastica:
    etichetta: str
    valori: list[Decimal | None]
    decimali: int = 0
    livello: int = 0  # 1: a school level, printed under the pupils' row
    calcolata: bool = False


@dataclass
class SerieAnni:
    """A series as a table: one column per school year, rows per measure (and per school level)."""

    serie: SerieScolastica
    anni: list[int]
    righe: list[RigaScolastica]
    controlli: list[Controllo] = field(default_factory=list)

    @property
    def etichette_anni(self) -> list[str]:
        return [anno_scolastico(a) for a in self.anni]

    @property
    def discrepanze(self) -> list[Controllo]:
        return [c for c in self.controlli if c.difforme]

    def valori(self, misura: str) -> list[Decimal | None]:
        return self._totali[misura]

    _totali: dict = field(default_factory=dict, repr=False)


def series_totals(facts: list[DatoScolastico]) -> dict[tuple[int, int, str], Decimal]:
    """(series id, first year, measure) → the year's total: the fact for all levels, else the sum of the levels."""
    whole: dict[tuple[int, int, str], Decimal] = {}
    levels: dict[tuple[int, int, str], Decimal] = defaultdict(lambda: ZERO)
    for f in facts:
        key = (f.serie_id, f.anno_inizio, f.misura)
        if f.ordine_scuola:
            levels[key] += f.valore
        else:
            whole[key] = f.valore
    return {**levels, **whole}


def _facts(ambito: Ambito) -> tuple[list[SerieScolastica], list[DatoScolastico]]:
    def load():
        series = list(
            SerieScolastica.objects.filter(ambito_id__in=ambito_ids(ambito))
            .select_related("ambito")
            .order_by("ambito__nome", "ordine", "pk")
        )
        facts = list(DatoScolastico.objects.filter(serie__in=series).order_by("anno_inizio")) if series else []
        return series, facts

    return cached(ambito, "scolastiche", load)


def scolastiche_totals(ambito: Ambito) -> dict[tuple[int, int, str], Decimal]:
    return series_totals(_facts(ambito)[1])


def _per_pupil(spesa: Decimal | None, utenti: Decimal | None) -> Decimal | None:
    if spesa is None or not utenti:
        return None
    return (spesa / utenti).quantize(CENT, rounding=ROUND_HALF_UP)


def school_series(ambito: Ambito) -> list[SerieAnni]:
    """Every series by school year of the Ambito and of its sub-ambiti, as tables with their printed totals."""
    series, facts = _facts(ambito)
    totals = series_totals(facts)
    printed = [p for p in printed_all(ambito) if p.serie_id]
    out = []
    for s in series:
        own = [f for f in facts if f.serie_id == s.pk]
        anni = sorted({f.anno_inizio for f in own})
        by_level = {(f.anno_inizio, f.misura, f.ordine_scuola): f.valore for f in own if f.ordine_scuola}
        utenti = [totals.get((s.pk, a, MisuraScolastica.UTENTI)) for a in anni]
        spesa = [totals.get((s.pk, a, MisuraScolastica.SPESA)) for a in anni]
        righe = [RigaScolastica(str(MisuraScolastica.UTENTI.label), utenti)]
        for ordine in ORDINI:
            values = [by_level.get((a, MisuraScolastica.UTENTI, ordine.value)) for a in anni]
            if any(v is not None for v in values):
                righe.append(RigaScolastica(f"di cui {str(ordine.label).lower()}", values, livello=1))
        if any(v is not None for v in spesa):
            righe.append(RigaScolastica(str(MisuraScolastica.SPESA.label), spesa, decimali=2))
            righe.append(
                RigaScolastica(
                    "Spesa per minore assistito (€)",
                    [_per_pupil(sp, ut) for sp, ut in zip(spesa, utenti, strict=True)],
                    decimali=2,
                    calcolata=True,
                )
            )
        controlli = [
            printed_check(p, totals.get((s.pk, p.anno, p.misura_scolastica)), half_unit(p.decimali))
            for p in printed
            if p.serie_id == s.pk
        ]
        out.append(
            SerieAnni(
                serie=s,
                anni=anni,
                righe=righe,
                controlli=controlli,
                _totali={MisuraScolastica.UTENTI: utenti, MisuraScolastica.SPESA: spesa},
            )
        )
    return out
