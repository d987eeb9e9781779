"""Work on the Piano di Zona that touches several objects: creation, status workflow, the approved-plan lock,
variazioni, saving an intervention card with its inline rows. Each function is atomic and keyword-only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from territory.models import Ambito

from ..models import (
    STATI_CON_VARIAZIONE,
    TRANSIZIONI,
    Capitolo,
    PianoDiZona,
    StatoPiano,
    TipoCapitolo,
    Variazione,
)

# Chapters of a new plan, in the order of seed 001's Sommario: (type, title).
CAPITOLI_SOMMARIO = [
    (TipoCapitolo.INTRODUZIONE, "Introduzione"),
    (TipoCapitolo.ESITI, "Gli esiti della programmazione zonale precedente"),
    (TipoCapitolo.CONTESTO, "Dati di contesto e quadro della conoscenza"),
    (TipoCapitolo.RETI, "Analisi dei soggetti e delle reti presenti sul territorio"),
    (TipoCapitolo.BISOGNI, "Analisi dei bisogni per macroaree di intervento"),
    (TipoCapitolo.OBIETTIVI, "Gli obiettivi della programmazione zonale"),
    (TipoCapitolo.GESTIONE, "I servizi in gestione associata"),
    (TipoCapitolo.GOVERNANCE, "Strumenti e processi di governance dell'Ambito Territoriale sociale"),
    (TipoCapitolo.MONITORAGGIO, "Monitoraggio e valutazione"),
]


class PianoBloccato(PermissionDenied):
    """Raised when someone tries to change an approved plan without an open variazione."""


def variazione_aperta(piano: PianoDiZona) -> Variazione | None:
    cached = getattr(piano, "_variazione_aperta", "unset")
    if cached == "unset":
        cached = piano.variazioni.filter(chiusa_il__isnull=True).first()
        piano._variazione_aperta = cached
    return cached


def piano_modificabile(piano: PianoDiZona) -> bool:
    return not piano.bloccato or variazione_aperta(piano) is not None


def piano_assert_modificabile(piano: PianoDiZona) -> None:
    if not piano_modificabile(piano):
        raise PianoBloccato(
            _("Il piano è %(stato)s: per modificarlo occorre aprire una variazione.")
            % {"stato": piano.get_stato_display().lower()}
        )


def motivo_modifica(piano: PianoDiZona) -> str:
    """The change reason for history records: the open variazione, if any."""
    variazione = variazione_aperta(piano) if piano.bloccato else None
    return variazione.motivo_storico if variazione else ""


def salva_con_motivo(obj, piano: PianoDiZona) -> None:
    obj._change_reason = motivo_modifica(piano)
    obj.save()


@transaction.atomic
def piano_crea(*, ambito: Ambito, titolo: str, anno_inizio: int, anno_fine: int, **extra) -> PianoDiZona:
    """A new plan in Bozza with the chapters of the Sommario (typed, empty bodies)."""
    slug = slugify(f"{ambito.slug}-{anno_inizio}-{anno_fine}")
    base, n = slug, 2
    while PianoDiZona.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    piano = PianoDiZona(ambito=ambito, slug=slug, titolo=titolo, anno_inizio=anno_inizio, anno_fine=anno_fine, **extra)
    piano.full_clean()
    piano.save()
    Capitolo.objects.bulk_create(
        Capitolo(piano=piano, ordine=i, tipo=tipo, titolo=titolo)
        for i, (tipo, titolo) in enumerate(CAPITOLI_SOMMARIO, start=1)
    )
    return piano


@transaction.atomic
def piano_cambia_stato(*, piano: PianoDiZona, stato: str, **approvazione) -> PianoDiZona:
    """Move the plan along the workflow; approving requires the act and the date of approval."""
    piano = PianoDiZona.objects.select_for_update().get(pk=piano.pk)
    if stato not in TRANSIZIONI[StatoPiano(piano.stato)]:
        raise ValidationError(
            _("Da «%(da)s» non si può passare a «%(a)s».")
            % {"da": piano.get_stato_display(), "a": StatoPiano(stato).label}
        )
    if variazione_aperta(piano):
        raise ValidationError(_("Chiudere la variazione aperta prima di cambiare lo stato del piano."))
    for field, value in approvazione.items():
        if value not in (None, ""):
            setattr(piano, field, value)
    piano.stato = stato
    piano.full_clean()
    piano._change_reason = _("Cambio di stato: %(stato)s") % {"stato": piano.get_stato_display()}
    piano.save()
    return piano


@transaction.atomic
def variazione_apri(*, piano: PianoDiZona, user, motivazione: str, atto: str = "") -> Variazione:
    piano = PianoDiZona.objects.select_for_update().get(pk=piano.pk)
    if piano.stato not in STATI_CON_VARIAZIONE:
        raise ValidationError(_("Una variazione si apre solo su un piano approvato o vigente."))
    if piano.variazioni.filter(chiusa_il__isnull=True).exists():
        raise ValidationError(_("C'è già una variazione aperta su questo piano."))
    if not motivazione.strip():
        raise ValidationError({"motivazione": _("Indicare la motivazione della variazione.")})
    numero = (piano.variazioni.order_by("-numero").values_list("numero", flat=True).first() or 0) + 1
    return Variazione.objects.create(piano=piano, numero=numero, motivazione=motivazione, atto=atto, aperta_da=user)


@transaction.atomic
def variazione_chiudi(*, variazione: Variazione, user) -> Variazione:
    if not variazione.aperta:
        raise ValidationError(_("La variazione è già chiusa."))
    variazione.chiusa_il = timezone.now()
    variazione.chiusa_da = user
    variazione.save(update_fields=["chiusa_il", "chiusa_da"])
    return variazione


@transaction.atomic
def intervento_salva(*, piano: PianoDiZona, form, valori_form, formsets: list) -> object:
    """Save the card: core fields, template answers and the inline rows (renumbered in the submitted order)."""
    piano_assert_modificabile(piano)
    reason = motivo_modifica(piano)
    intervento = form.save(commit=False)
    intervento.piano = piano
    intervento._change_reason = reason
    intervento.save()
    form.save_m2m()
    valori_form.save(intervento=intervento, reason=reason)
    for formset in formsets:
        formset.instance = intervento
        # Rows keep the submitted position; rows without one (no JavaScript) go to the end in page order.
        candidates = [f for f in formset.forms if f.has_changed() or f.instance.pk]
        ordered = sorted(
            enumerate(candidates),
            key=lambda item: (
                ordine if (ordine := getattr(item[1], "cleaned_data", {}).get("ordine")) is not None else 10**6,
                item[0],
            ),
        )
        ordered = [row for _, row in ordered]
        position = 0
        for sub in ordered:
            if formset.can_delete and formset._should_delete_form(sub):
                if sub.instance.pk:
                    sub.instance._change_reason = reason
                    sub.instance.delete()
                continue
            if not sub.has_changed() and not sub.instance.pk:
                continue
            position += 1
            obj = sub.save(commit=False)
            setattr(obj, formset.fk.name, intervento)
            obj.ordine = position
            obj._change_reason = reason
            obj.save()
    return intervento
