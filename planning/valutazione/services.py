"""Writes of the evaluation: saving a card with its actions, and «carry forward» — copying an evaluated objective,
an objective or an intervention of an earlier plan into the new plan while keeping the link (`Continuita`), so the
continuity answers (dimension 8 of the card, «in continuità» of the intervention card) are known, not typed.
Each write is atomic and keyword-only and takes plain data (model objects carrying the submitted values, inline rows
of planning.inline_rows); the new plan must be modifiable (planning.piano.services)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queries import next_number

from ..inline_rows import Row
from ..models import (
    Area,
    Azione,
    AzioneValutata,
    Continuita,
    Indicatore,
    Intervento,
    Obiettivo,
    PianoDiZona,
    SchedaValutazione,
    ValoreCampo,
    ValorePuntoChiave,
    Valutazione,
)
from ..piano.services import motivo_modifica, motivo_set, piano_assert_modificabile, rows_save_in_order
from ..versions import bump_piani

CHIAVE_CONTINUITA = "continuita"


@transaction.atomic
def valutazione_save(*, valutazione: Valutazione, piano: PianoDiZona) -> Valutazione:
    """The evaluation of `piano` (period, rule of dimension 1), carrying the submitted values."""
    piano_assert_modificabile(piano)
    valutazione.piano = piano
    motivo_set(valutazione, motivo_modifica(piano))
    valutazione.full_clean()
    valutazione.save()
    return valutazione


@transaction.atomic
def scheda_valutazione_save(
    *, valutazione: Valutazione, scheda: SchedaValutazione, azioni: Sequence[Row[AzioneValutata]]
) -> SchedaValutazione:
    """Save a card (carrying the submitted values) and its actions; rows keep the submitted order (1…n)."""
    piano = valutazione.piano
    piano_assert_modificabile(piano)
    reason = motivo_modifica(piano)
    scheda.valutazione = valutazione
    if not scheda.ordine:
        scheda.ordine = next_number(valutazione.schede)
    motivo_set(scheda, reason)
    scheda.save()
    ordered = sorted(azioni, key=lambda row: row.ordine or 10**6)
    rows_save_in_order(ordered, parent_field="scheda", parent=scheda, reason=reason)
    return scheda


def _fields(source: Model, *names: str) -> dict[str, Any]:
    """The values of the fields `names` of `source`, to copy them into a new object."""
    return {name: getattr(source, name) for name in names}


def _validated_save(obj: Model, reason: str) -> None:
    """Validate and save a copied object, with the reason its history records."""
    obj.full_clean()
    motivo_set(obj, reason)
    obj.save()


def _check_new_plan(piano: PianoDiZona, origine_piano: PianoDiZona) -> None:
    piano_assert_modificabile(piano)
    if origine_piano.ambito_id != piano.ambito_id:
        raise ValidationError(_("Si riprende solo dalla programmazione dello stesso Ambito."))
    if origine_piano.anno_inizio >= piano.anno_inizio:
        raise ValidationError(_("Si riprende solo da un piano precedente."))


@transaction.atomic
def scheda_valutazione_carry_forward(
    *, scheda: SchedaValutazione, area: Area | None, user: User, titolo: str = ""
) -> Obiettivo:
    """The evaluated objective becomes an objective of the plan that contains the evaluation, linked to the card."""
    piano = scheda.valutazione.piano
    piano_assert_modificabile(piano)
    if scheda.riprese.exists():
        raise ValidationError(_("L'obiettivo di questa scheda è già stato riproposto nel piano."))
    if area is not None and area.piano_id != piano.pk:
        raise ValidationError({"area": _("L'area appartiene a un altro piano.")})
    ordine = next_number(piano.obiettivi)
    sub = (
        scheda.sub_ambito if scheda.sub_ambito is not None and scheda.sub_ambito.parent_id == piano.ambito_id else None
    )
    obiettivo = Obiettivo(
        piano=piano,
        area=area,
        titolo=(titolo or scheda.obiettivo).strip(),
        descrizione=scheda.descrizione,
        ordine=ordine,
        sub_ambito=sub,
    )
    reason = _("Riproposto dalla valutazione %(periodo)s") % {"periodo": scheda.valutazione.periodo_valutato}
    _validated_save(obiettivo, reason)
    Continuita.objects.create(piano=piano, obiettivo=obiettivo, da_scheda=scheda, creato_da=user)
    return obiettivo


@transaction.atomic
def obiettivo_copy(*, obiettivo: Obiettivo, piano: PianoDiZona, area: Area | None, user: User) -> Obiettivo:
    """Copy an objective of an earlier plan of the same Ambito into `piano`, keeping the link."""
    _check_new_plan(piano, obiettivo.piano)
    if Continuita.objects.filter(piano=piano, da_obiettivo=obiettivo).exists():
        raise ValidationError(_("Questo obiettivo è già stato ripreso nel piano."))
    if area is not None and area.piano_id != piano.pk:
        raise ValidationError({"area": _("L'area appartiene a un altro piano.")})
    nuovo = Obiettivo(
        piano=piano,
        area=area,
        livello=Obiettivo.Livello.GENERALE if obiettivo.parent_id else obiettivo.livello,
        **_fields(obiettivo, "codice", "titolo", "descrizione", "sub_ambito"),
        ordine=next_number(piano.obiettivi),
    )
    _validated_save(nuovo, _("Ripreso da %(piano)s") % {"piano": obiettivo.piano})
    Continuita.objects.create(piano=piano, obiettivo=nuovo, da_obiettivo=obiettivo, creato_da=user)
    return nuovo


def nota_continuita(origine: Intervento) -> str:
    return _("In continuità con «%(titolo)s» (%(piano)s): ripreso con il portale il %(data)s.") % {
        "titolo": origine.titolo,
        "piano": origine.piano.titolo,
        "data": timezone.localdate().strftime("%d/%m/%Y"),
    }


@transaction.atomic
def intervento_copy(*, intervento: Intervento, obiettivo: Obiettivo, user: User) -> Intervento:
    """Copy an intervention card of an earlier plan under `obiettivo` of the new plan, keeping the link.

    Copied: core fields, funds, LEPS, partners, the template answers, actions (back to «programmata») and
    indicators (without the yearly targets, which belong to the old period). Resources are not copied (other years).
    The card's «in continuità con la programmazione precedente» answer is set to Sì from the link.
    """
    piano = obiettivo.piano
    _check_new_plan(piano, intervento.piano)
    if Continuita.objects.filter(piano=piano, da_intervento=intervento).exists():
        raise ValidationError(_("Questo intervento è già stato ripreso nel piano."))
    reason = _("Ripreso da %(piano)s") % {"piano": intervento.piano}
    nuovo = Intervento(
        piano=piano,
        obiettivo=obiettivo,
        **_fields(
            intervento, "modello", "codice", "titolo", "descrizione", "target", "risorse_descrizione", "personale"
        ),
        ordine=next_number(piano.interventi),
    )
    _validated_save(nuovo, reason)
    nuovo.fondi.set(intervento.fondi.all())
    nuovo.leps.set(intervento.leps.all())
    nuovo.partner.set(intervento.partner.all())
    for azione in intervento.azioni.all():
        Azione.objects.create(intervento=nuovo, **_fields(azione, "ordine", "titolo", "responsabile"))
    for ind in intervento.indicatori.all():
        Indicatore.objects.create(
            intervento=nuovo,
            **_fields(ind, "ordine", "tipo", "descrizione", "unita", "baseline", "anno_baseline", "fonte"),
        )
    for valore in intervento.valori.select_related("campo").prefetch_related("macro_aree", "voci_punti_chiave"):
        copia = ValoreCampo.objects.create(
            intervento=nuovo, **_fields(valore, "campo", "testo", "si_no", "scelte", "importo")
        )
        copia.macro_aree.set(valore.macro_aree.all())
        ValorePuntoChiave.objects.bulk_create(
            ValorePuntoChiave(valore=copia, punto_id=v.punto_id, ordine=v.ordine, testo=v.testo)
            for v in valore.voci_punti_chiave.all()
        )
        bump_piani([nuovo.piano_id])  # bulk_create sends no signal (planning.versions)
    campo = nuovo.modello.campi.filter(chiave=CHIAVE_CONTINUITA).first()
    if campo is not None:
        valore, _created = ValoreCampo.objects.get_or_create(intervento=nuovo, campo=campo)
        valore.si_no = True
        valore.testo = nota_continuita(intervento)
        motivo_set(valore, reason)
        valore.save()
    Continuita.objects.create(piano=piano, intervento=nuovo, da_intervento=intervento, creato_da=user)
    return nuovo
