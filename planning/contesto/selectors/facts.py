"""The facts of an Ambito read once per Ambito instance, and the pieces every computed figure shares: the
comparison of a printed figure with the computed one (`Controllo`), rounding, percentage changes, the spending of
each entity and the population by year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Sum

from territory.models import Ambito, Comune, Popolazione

from ...models import Dimensione, Ente, Misura, SpesaSociale, TabellaSpesa, ValoreStampato

ZERO = Decimal("0")
CENTO = Decimal("100")
CAMPI_POPOLAZIONE = ("totale", "maschi", "femmine", "stranieri", "eta_0_17", "eta_65_oltre")


def quantize(value: Decimal | None, decimals: int = 2) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def half_unit(decimals: int) -> Decimal:
    """Half a unit of the last printed decimal: the rounding a printed figure allows."""
    return Decimal(5).scaleb(-(decimals + 1))


def divide(a, b) -> Decimal | None:
    if a is None or not b:
        return None
    return Decimal(a) / Decimal(b)


def variazione(first: Decimal | None, last: Decimal | None) -> Decimal | None:
    """Percentage change from `first` to `last` (None when not computable)."""
    if first is None or last is None or not first:
        return None
    return (Decimal(last) - Decimal(first)) * 100 / Decimal(first)


@dataclass
class Controllo:
    """A figure the document prints (or a reference total) compared with the value computed from the facts."""

    etichetta: str
    anno: int
    atteso: Decimal
    calcolato: Decimal | None
    tolleranza: Decimal
    decimali: int = 0
    riferimento: str = ""
    documento: str = ""
    spiegazione: str = ""
    stampato: bool = True
    oggetto: ValoreStampato | None = None

    @property
    def differenza(self) -> Decimal | None:
        return None if self.calcolato is None else self.calcolato - self.atteso

    @property
    def ricalcolabile(self) -> bool:
        return self.calcolato is not None

    @property
    def difforme(self) -> bool:
        if self.calcolato is None:
            return False
        return abs(self.calcolato - self.atteso) > max(self.tolleranza, half_unit(self.decimali))


def printed_check(
    p: ValoreStampato, calcolato: Decimal | None, tolleranza: Decimal, spiegazione: str = ""
) -> Controllo:
    """The printed figure `p` compared with `calcolato`."""
    return Controllo(
        etichetta=p.etichetta,
        anno=p.anno,
        atteso=p.valore,
        calcolato=calcolato,
        tolleranza=tolleranza,
        decimali=p.decimali,
        riferimento=p.riferimento,
        documento=p.documento,
        spiegazione=spiegazione,
        oggetto=p,
    )


def cached(ambito: Ambito, key: str, load: Callable[[], Any]) -> Any:
    """Facts read once per Ambito instance (a page calls several of these functions on the same instance)."""
    cache = ambito.__dict__.setdefault("_contesto_cache", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def ambito_ids(ambito: Ambito) -> list[int]:
    """The Ambito and its sub-ambiti."""
    return cached(ambito, "ids", ambito.with_sub_ambiti_ids)


def printed_all(ambito: Ambito) -> list[ValoreStampato]:
    """Every printed figure of the Ambito and of its sub-ambiti."""
    return cached(
        ambito,
        "printed",
        lambda: list(
            ValoreStampato.objects.filter(ambito_id__in=ambito_ids(ambito))
            .select_related("ambito", "tabella", "voce", "comune")
            .order_by("ambito__nome", "riferimento", "anno", "pk")
        ),
    )


def _facts(ids: list[int]) -> list[SpesaSociale]:
    return list(
        SpesaSociale.objects.filter(tabella__ambito_id__in=ids, comune__isnull=True)
        .select_related("voce")
        .order_by("voce__ordine", "anno")
    )


def tables_and_facts(ambito: Ambito) -> tuple[list[int], dict[int, TabellaSpesa], list[SpesaSociale]]:
    """The Ambito's ids, its spending tables by id and the facts of the whole Ambito (not of single Comuni)."""

    def load():
        ids = ambito_ids(ambito)
        tabelle = {t.pk: t for t in TabellaSpesa.objects.filter(ambito_id__in=ids).select_related("ambito", "area")}
        return ids, tabelle, _facts(ids)

    return cached(ambito, "facts", load)


def ente_totals(facts: list[SpesaSociale], tabelle: dict[int, TabellaSpesa]) -> dict[tuple[int, str, int], Decimal]:
    """(ambito_id, ente, anno) → spending, from the «ente» tables (Comuni, Ufficio di Piano, and both)."""
    out: dict[tuple[int, str, int], Decimal] = {}
    seen: dict[tuple[int, int], set[str]] = defaultdict(set)
    for f in facts:
        t = tabelle[f.tabella_id]
        if (
            t.dimensione != Dimensione.ENTE
            or t.misura != Misura.IMPORTO
            or f.voce.codice not in (Ente.COMUNI, Ente.UDP)
        ):
            continue
        out[(t.ambito_id, f.voce.codice, f.anno)] = f.valore or ZERO
        seen[(t.ambito_id, f.anno)].add(f.voce.codice)
    for (ambito_id, anno), enti in seen.items():
        if enti == {Ente.COMUNI, Ente.UDP}:
            out[(ambito_id, Ente.AMBITO, anno)] = out[(ambito_id, Ente.COMUNI, anno)] + out[(ambito_id, Ente.UDP, anno)]
    return out


def area_totals(facts: list[SpesaSociale], tabelle: dict[int, TabellaSpesa]) -> dict:
    """(ambito_id, ente, area id, anno) → spending, from the amount tables by area."""
    out = {}
    for f in facts:
        t = tabelle[f.tabella_id]
        if t.dimensione == Dimensione.AREA and t.misura == Misura.IMPORTO:
            out[(t.ambito_id, t.ente, f.voce_id, f.anno)] = f.valore or ZERO
    return out


def population_by_year(ambito: Ambito) -> dict[int, dict[str, int | None]]:
    """Year → sums of the population fields over the Comuni of the Ambito (None when a Comune misses the figure)."""
    return cached(ambito, "population", lambda: _population_by_year(ambito))


def _population_by_year(ambito: Ambito) -> dict[int, dict[str, int | None]]:
    ids = ambito_ids(ambito)
    n_comuni = Comune.objects.filter(ambito_id__in=ids).count()
    rows = (
        Popolazione.objects.filter(comune__ambito_id__in=ids)
        .values("anno")
        .annotate(
            n=Count("pk"),
            **{f"s_{c}": Sum(c) for c in CAMPI_POPOLAZIONE},
            **{f"n_{c}": Count(c) for c in CAMPI_POPOLAZIONE},
        )
        .order_by("anno")
    )
    out = {}
    for r in rows:
        out[r["anno"]] = {c: (r[f"s_{c}"] if r[f"n_{c}"] == n_comuni else None) for c in CAMPI_POPOLAZIONE}
    return out
