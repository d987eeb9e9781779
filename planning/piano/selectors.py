"""Read-side queries of the Piano di Zona lists: annotated querysets with a bounded number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ..models import Azione, Intervento, PianoDiZona, Risorsa, ValoreCampo


def _flag(chiave: str) -> Subquery:
    return Subquery(ValoreCampo.objects.filter(intervento=OuterRef("pk"), campo__chiave=chiave).values("si_no")[:1])


def interventi_lista(piano: PianoDiZona) -> QuerySet:
    """Interventions of the plan with area, objective, funds, LEPS, flags, action count and planned total."""
    n_azioni = (
        Azione.objects.filter(intervento=OuterRef("pk"))
        .order_by()
        .values("intervento")
        .annotate(n=Count("pk"))
        .values("n")
    )
    previsto = (
        Risorsa.objects.filter(intervento=OuterRef("pk"))
        .order_by()
        .values("intervento")
        .annotate(s=Sum("previsto"))
        .values("s")
    )
    return (
        Intervento.objects.filter(piano=piano)
        .select_related("obiettivo__area", "obiettivo__parent")
        .prefetch_related("fondi", "leps")
        .annotate(
            coprogrammato=_flag("coprogrammato"),
            coprogettato=_flag("coprogettato"),
            n_azioni=Coalesce(Subquery(n_azioni, output_field=IntegerField()), Value(0)),
            previsto=Coalesce(
                Subquery(previsto, output_field=DecimalField(max_digits=16, decimal_places=2)),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            ),
        )
    )


def azioni_lista(piano: PianoDiZona) -> QuerySet:
    return Azione.objects.filter(intervento__piano=piano).select_related("intervento__obiettivo__area")


def risorse_lista(piano: PianoDiZona) -> QuerySet:
    return Risorsa.objects.filter(intervento__piano=piano).select_related("intervento", "fondo")


def risorse_totali(risorse: QuerySet) -> dict:
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=16, decimal_places=2))
    return risorse.aggregate(
        previsto=Coalesce(Sum("previsto"), zero),
        impegnato=Coalesce(Sum("impegnato"), zero),
        liquidato=Coalesce(Sum("liquidato"), zero),
    )


def risorse_per_fondo_anno(risorse: QuerySet, anni: list[int]) -> list[dict]:
    """Planned amounts by fund (rows) and year (columns), with row totals, from one grouped query."""
    rows: dict[int, dict] = {}
    for item in (
        risorse.order_by().values("fondo_id", "fondo__nome", "fondo__ordine", "anno").annotate(previsto=Sum("previsto"))
    ):
        row = rows.setdefault(
            item["fondo_id"],
            {"fondo": item["fondo__nome"], "ordine": item["fondo__ordine"], "anni": {}, "totale": Decimal("0")},
        )
        row["anni"][item["anno"]] = item["previsto"]
        row["totale"] += item["previsto"]
    result = sorted(rows.values(), key=lambda r: (r["ordine"], r["fondo"]))
    for row in result:
        row["valori"] = [row["anni"].get(a) for a in anni]
    return result
