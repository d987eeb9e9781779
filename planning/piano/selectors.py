"""Read-side queries of the Piano di Zona: the plans a user sees, the template of a new card, the catalogues, the
changes of a chapter or a card, and the plan's lists as annotated querysets with a bounded number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.scoping import scope

from ..models import (
    AttoreRete,
    Azione,
    Capitolo,
    Fondo,
    Indicatore,
    Intervento,
    Leps,
    MacroArea,
    ModelloIntervento,
    PianoDiZona,
    PuntoChiave,
    Risorsa,
    ValoreCampo,
)
from .history import Modifica, modifiche


def piani_lista(user) -> QuerySet:
    """The plans the user sees, with their Ambito and the number of interventions."""
    return scope(PianoDiZona.objects.select_related("ambito", "ambito__parent"), user).annotate(
        n_interventi=Count("interventi")
    )


def piano_usa_codici(piano: PianoDiZona) -> bool:
    """Whether the plan's interventions carry codes (the Magentino cards have none)."""
    return piano.interventi.exclude(codice="").exists()


def modello_per_intervento(piano: PianoDiZona, codice: str | None) -> ModelloIntervento | None:
    """The template of a new card: the one of `codice`, else the one the plan already uses, else the first."""
    modelli = ModelloIntervento.objects.all()
    modello = modelli.filter(codice=codice).first() if codice else None
    if modello is None:
        used = piano.interventi.values_list("modello", flat=True).first()
        modello = modelli.filter(pk=used).first() or modelli.first()
    return modello


def capitolo_storia(capitolo: Capitolo) -> list[Modifica]:
    """The changes of a chapter (who, when, what)."""
    return modifiche([("", capitolo.history.all())])


def intervento_storia(intervento: Intervento) -> list[Modifica]:
    """The changes of a card: core fields, actions, indicators, resources and template answers."""
    campi = {c.pk: c.etichetta for c in intervento.modello.campi.all()}
    return modifiche(
        [
            ("", intervento.history.all()),
            (_("Azione"), Azione.history.filter(intervento_id=intervento.pk), lambda r: r.titolo),
            (_("Indicatore"), Indicatore.history.filter(intervento_id=intervento.pk), lambda r: r.descrizione),
            (_("Risorsa"), Risorsa.history.filter(intervento_id=intervento.pk), lambda r: f"anno {r.anno}"),
            (_("Campo"), ValoreCampo.history.filter(intervento_id=intervento.pk), lambda r: campi.get(r.campo_id, "")),
        ],
        creato_il=intervento.history.filter(history_type="+").values_list("history_date", flat=True).first(),
    )


def cataloghi(user) -> dict:
    """The catalogues the cards choose from: funds, policy macro-areas with their key points, LEPS, card templates
    and the network actors of the user's Ambiti."""
    return {
        "fondi": Fondo.objects.all(),
        "macro_aree": MacroArea.objects.prefetch_related(
            Prefetch("punti_chiave", queryset=PuntoChiave.objects.order_by("ordine"))
        ),
        "altri_punti": PuntoChiave.objects.filter(macro_area__isnull=True).order_by("testo"),
        "leps": Leps.objects.all(),
        "modelli": ModelloIntervento.objects.prefetch_related("campi"),
        "attori": scope(AttoreRete.objects.select_related("ambito"), user),
    }


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
