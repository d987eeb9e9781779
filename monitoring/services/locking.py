"""The scheda locked for a change (select_for_update) and the new version the change makes."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.scoping import EDIT, can

from ..campaigns.selectors import locking_campagna
from ..models import Scheda
from .errors import SchedaLocked


def refuse_if_campaign_locked(scheda: Scheda) -> None:
    """Refuse any change of a scheda whose campaign is at the Regione or approved (read-only until unlocked)."""
    campagna = locking_campagna(scheda.modello_id, scheda.comune_id)
    if campagna is not None:
        raise SchedaLocked(
            _("La campagna %(c)s è «%(s)s»: le sue schede sono in sola lettura.")
            % {"c": campagna, "s": campagna.get_stato_display()}
        )


def lock_editable(scheda: Scheda, user) -> Scheda:
    """The scheda locked until the end of the transaction; refused if the user or its status forbid changes."""
    locked = Scheda.objects.select_for_update().select_related("modello", "comune").get(pk=scheda.pk)
    if not can(user, EDIT, locked):
        raise PermissionDenied(_("Non può modificare questa scheda."))
    if not locked.modificabile:
        raise SchedaLocked(_("La scheda è «%(stato)s»: non è modificabile.") % {"stato": locked.get_stato_display()})
    refuse_if_campaign_locked(locked)
    return locked


def record_change(locked: Scheda, user, now: datetime) -> None:
    """Save the scheda as a new version changed by `user` at `now` (its history records the user)."""
    locked.versione += 1
    locked.modificata_il, locked.modificata_da = now, user
    locked._history_user = user
    locked.save()
