"""Writes of the quarterly snapshots: create (one open snapshot per plan; entries start from the previous
snapshot), keep in step with the plan's actions and indicators, save entries, close. A closed snapshot refuses
every change (`RilevazioneChiusa`); each change is recorded by django-simple-history with its user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from planning.models import Azione, Indicatore, PianoDiZona
from planning.versions import bump_piani

from .models import Rilevazione, StatoAzioneRilevato, StatoRilevazione, ValoreIndicatoreRilevato
from .selectors import rilevazione_precedente


class RilevazioneChiusa(PermissionDenied):
    """Raised on any change to a closed snapshot."""


def assert_aperta(rilevazione: Rilevazione) -> None:
    if rilevazione.chiusa:
        raise RilevazioneChiusa(
            _("La rilevazione %(codice)s è chiusa: è in sola lettura.") % {"codice": rilevazione.codice}
        )


def rilevazione_sincronizza(rilevazione: Rilevazione) -> int:
    """Add the entries of actions and indicators created in the plan after the snapshot (open snapshots only).

    New actions start from their state in the previous snapshot, or from the state in the plan.
    """
    if rilevazione.chiusa:
        return 0
    previous = rilevazione_precedente(rilevazione)
    prev_states = dict(previous.stati_azioni.values_list("azione_id", "stato")) if previous is not None else {}
    have_a = set(rilevazione.stati_azioni.values_list("azione_id", flat=True))
    have_i = set(rilevazione.valori_indicatori.values_list("indicatore_id", flat=True))
    azioni = [
        StatoAzioneRilevato(rilevazione=rilevazione, azione=a, stato=prev_states.get(a.pk, a.stato))
        for a in Azione.objects.filter(intervento__piano=rilevazione.piano).exclude(pk__in=have_a)
    ]
    indicatori = [
        ValoreIndicatoreRilevato(rilevazione=rilevazione, indicatore=i)
        for i in Indicatore.objects.filter(intervento__piano=rilevazione.piano).exclude(pk__in=have_i)
    ]
    bulk_create_with_history(azioni, StatoAzioneRilevato)
    bulk_create_with_history(indicatori, ValoreIndicatoreRilevato)
    if azioni or indicatori:  # bulk writes send no signal (planning.versions)
        bump_piani([rilevazione.piano_id])
    return len(azioni) + len(indicatori)


@transaction.atomic
def rilevazione_create(
    *, piano: PianoDiZona, anno: int, trimestre: int, user=None, note: str = "", dimostrativa: bool = False
) -> Rilevazione:
    """Open the snapshot of a quarter; refused while another one is open or if the quarter exists."""
    piano = PianoDiZona.objects.select_for_update().get(pk=piano.pk)
    if piano.rilevazioni.filter(stato=StatoRilevazione.APERTA).exists():
        raise ValidationError(_("C'è già una rilevazione aperta: chiuderla prima di aprirne un'altra."))
    if piano.rilevazioni.filter(anno=anno, trimestre=trimestre).exists():
        raise ValidationError(_("La rilevazione %(a)s-T%(t)s esiste già.") % {"a": anno, "t": trimestre})
    rilevazione = Rilevazione(
        piano=piano, anno=anno, trimestre=trimestre, note=note, dimostrativa=dimostrativa, creata_da=user
    )
    rilevazione.full_clean()
    rilevazione.save()
    rilevazione_sincronizza(rilevazione)
    return rilevazione


@transaction.atomic
def rilevazione_save(
    *, rilevazione: Rilevazione, righe: list[StatoAzioneRilevato | ValoreIndicatoreRilevato], user=None
) -> int:
    """Save the changed entries (action states, indicator values) of an open snapshot; returns how many."""
    rilevazione = Rilevazione.objects.select_for_update().get(pk=rilevazione.pk)
    assert_aperta(rilevazione)
    for row in righe:
        if row.rilevazione_id != rilevazione.pk:
            raise ValidationError(_("Riga di un'altra rilevazione."))
        row._history_user = user
        row.save()
    return len(righe)


@transaction.atomic
def rilevazione_close(*, rilevazione: Rilevazione, user) -> Rilevazione:
    rilevazione = Rilevazione.objects.select_for_update().get(pk=rilevazione.pk)
    assert_aperta(rilevazione)
    rilevazione.stato = StatoRilevazione.CHIUSA
    rilevazione.chiusa_il = timezone.now()
    rilevazione.chiusa_da = user
    rilevazione._history_user = user
    rilevazione.save()
    return rilevazione
