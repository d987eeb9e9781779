"""Read API of the Piano di Zona: the plans a user sees, the template of a new card, the catalogues, the changes of
a chapter or a card; the lists as annotated querysets (bounded number of queries); the structure of the plan
(`objective_tree`: groups, objectives, interventions, budgets), the PNRR lines with computed totals (`pnrr_totals`),
the intervention cards with their answers, the network and governance registries and the ordered rows of the
plan's workbook. The plan's pages and the plan's documents (reports.piano) read the plan through these."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.scoping import scope
from territory.models import Ambito

from ..models import (
    Area,
    AttoreRete,
    Azione,
    Capitolo,
    Fondo,
    Indicatore,
    Intervento,
    Leps,
    LineaPNRR,
    MacroArea,
    ModelloIntervento,
    Obiettivo,
    OrganismoGovernance,
    PianoDiZona,
    Progetto,
    PuntoChiave,
    Risorsa,
    ServizioAssociato,
    ValoreCampo,
    VocePNRR,
)
from .cards import intervento_scheda_queryset
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


def _per_intervento(model: type[Azione] | type[Risorsa], aggregate: Count | Sum) -> QuerySet:
    """`aggregate` over the rows of `model` of the outer intervention (a subquery of one value)."""
    rows = model.objects.filter(intervento=OuterRef("pk")).order_by()
    return rows.values("intervento").annotate(v=aggregate).values("v")


def interventi_lista(piano: PianoDiZona) -> QuerySet:
    """Interventions of the plan with area, objective, funds, LEPS, flags, action count and planned total."""
    n_azioni = _per_intervento(Azione, Count("pk"))
    previsto = _per_intervento(Risorsa, Sum("previsto"))
    return (
        Intervento.objects.filter(piano=piano)
        .select_related("obiettivo__area", "obiettivo__parent__area")
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


# --- Structure of the plan -------------------------------------------------------------------------------


@dataclass
class Gruppo:
    """A group of the plan's structure: an area (A-D), or the objectives without an area, of a sub-ambito or of the
    Ambito (`area` and `sub_ambito` both None). `obiettivi`: the group's root objectives and every objective with
    interventions, in the plan's order; `interventi`: the interventions of those objectives."""

    area: Area | None = None
    sub_ambito: Ambito | None = None
    obiettivi: list[Obiettivo] = field(default_factory=list)
    interventi: list[Intervento] = field(default_factory=list)

    @property
    def radici(self) -> list[Obiettivo]:
        """The objectives at the top of the tree (general or strategic), in the plan's order."""
        return [o for o in self.obiettivi if not o.parent_id]


def _budgets(piano: PianoDiZona) -> dict[int, Decimal]:
    """The sum of the cards' «budget» answers by objective (objectives without one are missing)."""
    return dict(
        ValoreCampo.objects.filter(intervento__piano=piano, campo__chiave="budget", importo__isnull=False)
        .values_list("intervento__obiettivo_id")
        .annotate(s=Sum("importo"))
    )


def _annotate(obiettivi: list[Obiettivo], interventi: list[Intervento], budgets: dict[int, Decimal]) -> None:
    """Each objective with its interventions, its specific objectives, its budget and the budget of its specifics."""
    by_obiettivo: dict[int, list[Intervento]] = {}
    for i in interventi:
        by_obiettivo.setdefault(i.obiettivo_id, []).append(i)
    specifici: dict[int, list[Obiettivo]] = {}
    for o in obiettivi:
        o.lista_interventi = by_obiettivo.get(o.pk, [])
        o.budget = budgets.get(o.pk)
        if o.parent_id:
            specifici.setdefault(o.parent_id, []).append(o)
    for o in obiettivi:
        o.lista_specifici = specifici.get(o.pk, [])
        values = [s.budget for s in o.lista_specifici if s.budget is not None]
        o.budget_specifici = sum(values) if values else None


def _group_of(groups: dict, obiettivo: Obiettivo) -> Gruppo:
    """The group of an objective: its own area or its root's, else the root's sub-ambito (or the Ambito)."""
    root = obiettivo.parent if obiettivo.parent_id else obiettivo
    area_id = obiettivo.area_id or root.area_id
    if area_id in groups:
        return groups[area_id]
    key = ("sub", root.sub_ambito_id)
    if key not in groups:
        groups[key] = Gruppo(sub_ambito=root.sub_ambito if root.sub_ambito_id else None)
    return groups[key]


def objective_tree(piano: PianoDiZona, interventi: list[Intervento]) -> list[Gruppo]:
    """The plan's structure: every area (in order, also when empty), then the groups of the objectives without an
    area in the order they first appear. Each objective carries `lista_interventi` (from `interventi`, in their
    order), `lista_specifici`, `budget` and `budget_specifici` (sums of the cards' «budget» answers)."""
    groups: dict = {a.pk: Gruppo(area=a) for a in piano.aree.all()}
    obiettivi = list(
        piano.obiettivi.select_related("area", "parent", "sub_ambito", "parent__sub_ambito").order_by("ordine", "pk")
    )
    _annotate(obiettivi, interventi, _budgets(piano))
    for o in obiettivi:
        group = _group_of(groups, o)
        if o.lista_interventi or not o.parent_id:
            group.obiettivi.append(o)
        group.interventi.extend(o.lista_interventi)
    return list(groups.values())


# --- PNRR, network and governance ------------------------------------------------------------------------


@dataclass
class TotaliPNRR:
    """The PNRR lines, each with its items in `lista_voci` (the computed total and the comparison with the printed
    one are the line's properties `totale`, `totale_difforme`, `difforme`), and the total of all lines."""

    linee: list[LineaPNRR]
    totale: Decimal


def pnrr_totals(piano: PianoDiZona) -> TotaliPNRR:
    linee = list(piano.linee_pnrr.prefetch_related(Prefetch("voci", queryset=VocePNRR.objects.order_by("ordine"))))
    for linea in linee:
        linea.lista_voci = list(linea.voci.all())
    return TotaliPNRR(linee, sum((x.totale for x in linee), start=Decimal("0")))


def progetti_rete(piano: PianoDiZona) -> list[Progetto]:
    """The projects of the network, by area (those without area last)."""
    return list(piano.progetti.select_related("area").order_by("area__ordine", "ordine", "pk"))


def servizi_associati(piano: PianoDiZona) -> list[ServizioAssociato]:
    """The services in gestione associata, by area (the system actions, without area, last)."""
    return list(piano.servizi_associati.select_related("area").order_by("area__ordine", "ordine", "pk"))


def governance_per_livello(piano: PianoDiZona) -> list[tuple[str, list[OrganismoGovernance]]]:
    """The governance bodies grouped by level (label, bodies), levels in the order of their choices."""
    order = {value: i for i, value in enumerate(OrganismoGovernance.Livello.values)}
    livelli: dict[str, list[OrganismoGovernance]] = {}
    for o in sorted(piano.governance.all(), key=lambda x: (order.get(x.livello, 99), x.ordine, x.pk)):
        livelli.setdefault(o.get_livello_display(), []).append(o)
    return list(livelli.items())


# --- Cards and the rows of the plan's workbook -----------------------------------------------------------


def interventi_schede(piano: PianoDiZona) -> list[Intervento]:
    """The plan's interventions with everything their cards show (answers, actions, indicators, resources)."""
    return list(
        intervento_scheda_queryset()
        .filter(piano=piano)
        .select_related("obiettivo__parent__sub_ambito", "obiettivo__parent__area")
    )


def valori_per_chiave(intervento: Intervento) -> dict[str, ValoreCampo]:
    """The card's answers by question key (from the prefetched template fields and answers)."""
    campi = {c.pk: c.chiave for c in intervento.modello.campi.all()}
    return {campi[v.campo_id]: v for v in intervento.valori.all() if v.campo_id in campi}


def obiettivi_ordinati(piano: PianoDiZona) -> QuerySet:
    return piano.obiettivi.select_related("area", "parent__area", "sub_ambito").order_by("ordine", "pk")


_AREA = (
    "intervento__obiettivo__area",
    "intervento__obiettivo__parent__area",
    "intervento__obiettivo__sub_ambito",
    "intervento__obiettivo__parent__sub_ambito",
)

# by the area that names the rows (Obiettivo.area_effettiva), those without one last
_BY_AREA = Obiettivo.area_effettiva_in("intervento__obiettivo", "__ordine").asc(nulls_last=True)


def _rows_by_area(model: type[Azione] | type[Indicatore], piano: PianoDiZona, *then: str) -> QuerySet:
    """The rows of `model` under the plan's interventions, with what names their area, by area, `then`,
    intervention and position."""
    return (
        model.objects.filter(intervento__piano=piano)
        .select_related(*_AREA)
        .order_by(_BY_AREA, *then, "intervento__ordine", "intervento__pk", "ordine", "pk")
    )


def azioni_ordinate(piano: PianoDiZona) -> QuerySet:
    """The plan's actions by area, objective and intervention, with what names their area."""
    return _rows_by_area(Azione, piano, "intervento__obiettivo__ordine")


def indicatori_ordinati(piano: PianoDiZona) -> QuerySet:
    """The plan's indicators with their yearly targets, by area and intervention."""
    return _rows_by_area(Indicatore, piano).prefetch_related("target")


def risorse_ordinate(piano: PianoDiZona) -> QuerySet:
    """The plan's resources (intervention, fund, year), by area, intervention and year."""
    return (
        Risorsa.objects.filter(intervento__piano=piano)
        .select_related("fondo", *_AREA)
        .order_by(_BY_AREA, "intervento__ordine", "intervento__pk", "anno", "ordine")
    )


def ultima_modifica(piano: PianoDiZona):
    """The latest change recorded in the plan's history (plan, chapters, structure, cards, network), or None."""
    by_piano = (Capitolo, Obiettivo, Intervento, Progetto, ServizioAssociato, OrganismoGovernance)
    dates = [piano.history.aggregate(m=Max("history_date"))["m"]]
    dates += [m.history.filter(piano_id=piano.pk).aggregate(m=Max("history_date"))["m"] for m in by_piano]
    interventi = list(Intervento.objects.filter(piano=piano).values_list("pk", flat=True))
    for model in (ValoreCampo, Azione, Indicatore, Risorsa):
        dates.append(model.history.filter(intervento_id__in=interventi).aggregate(m=Max("history_date"))["m"])
    dates = [d for d in dates if d]
    return max(dates) if dates else None


# --- The plan's registries: the rows of their list pages and the changes of a row ---------------------------


def progetti_lista(piano: PianoDiZona) -> QuerySet:
    """The projects of the network of the plan's list page, by area (those without area last), with their funds."""
    return piano.progetti.select_related("area").prefetch_related("fondi").order_by("area__ordine", "ordine", "pk")


def linee_pnrr_lista(piano: PianoDiZona) -> QuerySet:
    """The PNRR lines of the plan's list page, with their fund and their items (the totals are computed from them)."""
    return piano.linee_pnrr.select_related("fondo").prefetch_related(
        Prefetch("voci", queryset=VocePNRR.objects.order_by("ordine", "pk"))
    )


def linee_pnrr_totale(linee: QuerySet) -> Decimal:
    """The computed total of the items of `linee` (investment + yearly management × years), in one query."""
    voci = VocePNRR.objects.filter(linea__in=linee.order_by().values("pk"))
    return sum((v.totale for v in voci.only("investimento", "gestione_annua", "anni_gestione")), start=Decimal("0"))


def servizi_associati_lista(piano: PianoDiZona) -> QuerySet:
    """The services in gestione associata of the plan's list page, by area (the system actions last)."""
    return (
        piano.servizi_associati.select_related("area")
        .prefetch_related("fondi")
        .order_by("area__ordine", "ordine", "pk")
    )


def governance_lista(piano: PianoDiZona) -> QuerySet:
    """The governance bodies of the plan's list page, in the plan's order."""
    return piano.governance.all()


def registro_storia(riga: Progetto | LineaPNRR | ServizioAssociato | OrganismoGovernance) -> list[Modifica]:
    """The changes of a registry row (who, when, what); for a PNRR line also those of its amount items."""
    sources: list[tuple] = [("", riga.history.all())]
    if isinstance(riga, LineaPNRR):
        sources.append((_("Voce"), VocePNRR.history.filter(linea_id=riga.pk), lambda r: r.nome or "—"))
    return modifiche(
        sources,
        limit=20,
        creato_il=riga.history.filter(history_type="+").values_list("history_date", flat=True).first(),
    )
