"""The scheda's workflow: Bozza → Inviata → Validata / Rimandata → Riaperta, and the notes justifying warnings."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import EDIT, MANAGE, can
from core.merge import FieldConflict, three_way

from ..campaigns.selectors import locking_campagna
from ..models import Scheda, Stato, ValoreCella
from ..rollup import maintained_scheda
from .compute import CellKey
from .errors import SchedaError
from .locking import lock_editable, record_change, refuse_if_campaign_locked
from .submit import WHOLE, SubmitRefused, submit_check

TRANSITIONS = {
    "invia": ({Stato.BOZZA, Stato.RIMANDATA, Stato.RIAPERTA}, Stato.INVIATA, EDIT),
    "valida": ({Stato.INVIATA}, Stato.VALIDATA, MANAGE),
    "rimanda": ({Stato.INVIATA}, Stato.RIMANDATA, MANAGE),
    "riapri": ({Stato.VALIDATA, Stato.INVIATA}, Stato.RIAPERTA, MANAGE),
}
LABELS = {"invia": _("Invia"), "valida": _("Valida"), "rimanda": _("Rimanda"), "riapri": _("Riapri")}


def allowed_transitions(scheda: Scheda, user) -> list[str]:
    names = [
        name
        for name, (sources, _target, action) in TRANSITIONS.items()
        if scheda.stato in sources and can(user, action, scheda)
    ]
    if names and locking_campagna(scheda.modello_id, scheda.comune_id) is not None:
        return []  # the campaign is at the Regione or approved: read-only (scheda_transition would refuse)
    return names


def _note_text(text: str | None) -> str:
    """A note as compared: browsers post textarea line ends as CRLF; surrounding blanks do not count."""
    return (text or "").replace("\r\n", "\n").strip()


def _same_note(_key: object, a: str | None, b: str | None) -> bool:
    return _note_text(a) == _note_text(b)


class NotesConflict(SchedaError):
    """Notes that this user and a colleague both changed, to different texts, since the page was loaded: nothing
    was saved. `conflicts` are keyed by the note (ROW, "*") or ("*", "*")."""

    def __init__(self, conflicts: list[FieldConflict], where: dict[CellKey, str]) -> None:
        self.conflicts = conflicts

        def shown(text: str | None) -> str:
            return _note_text(text) or _("(vuoto)")

        items = " ".join(
            _("%(where)s: testo salvato ora «%(theirs)s», il suo testo «%(mine)s».")
            % {"where": where[cast(CellKey, c.key)], "theirs": shown(c.theirs), "mine": shown(c.mine)}
            for c in conflicts
        )
        super().__init__(
            _(
                "Un altro utente ha cambiato le stesse giustificazioni mentre lei lavorava: nulla è stato salvato. "
                "%(items)s La pagina mostra ora i testi salvati: riporti le sue modifiche e salvi di nuovo."
            )
            % {"items": items}
        )


@transaction.atomic
def scheda_justify(
    *, scheda: Scheda, user, notes: dict[CellKey, str], base_notes: dict[CellKey, str] | None = None
) -> int:
    """Save the notes justifying warnings not attached to a cell: (ROW, "*") for a row, ("*", "*") the scheda.

    Warnings on a cell are justified by the cell's comment (scheda_save). With `base_notes` (the notes as the page
    showed them) only the notes this user changed are written, merged with what others saved meanwhile
    (core.merge); a note both changed to different texts raises NotesConflict and nothing is saved. Without it,
    every posted note that differs from the stored one is written. Returns how many notes changed.
    """
    locked = lock_editable(scheda, user)
    compiled = locked.modello.compiled()
    for key in notes:
        if key[1] != WHOLE or (key[0] != WHOLE and key[0] not in compiled.rows):
            raise SchedaError(_("La giustificazione %(k)s non è di una riga del modello.") % {"k": "/".join(key)})
    stored = {(v.riga, v.colonna): v for v in locked.valori.filter(colonna=WHOLE)}
    theirs = {key: note.commento for key, note in stored.items()}
    merge = three_way(base_notes or {}, notes, theirs, same=_same_note)
    if merge.conflicts:
        where = {
            key: _("Riga %(r)s (Quadro %(q)s)") % {"r": key[0], "q": compiled.rows[key[0]].quadro}
            if key[0] != WHOLE
            else _("Scheda")
            for key in (cast(CellKey, c.key) for c in merge.conflicts)
        }
        raise NotesConflict(merge.conflicts, where)
    changes = {}
    for key, text in merge.changes.items():
        note = stored.get(key)
        changes[key] = (note or ValoreCella(scheda=locked, riga=key[0], colonna=key[1]), text.strip())
    if not changes:
        return 0
    now = timezone.now()
    with maintained_scheda(locked):  # the Ambito's rollup of the schede (monitoring.rollup)
        for note, text in changes.values():
            note.commento, note.modificato_il = text, now
            note._history_user = user
            note.save()
        record_change(locked, user, now)
    scheda.refresh_from_db()
    return len(changes)


@transaction.atomic
def scheda_transition(
    *, scheda: Scheda, user, action: str, reason: str = "", expected_version: int | None = None
) -> Scheda:
    """Move a scheda through Bozza → Inviata → Validata / Rimandata → Riaperta, checking role and content.

    «invia» needs no errors, every required cell filled and a comment on every warning (SubmitRefused
    otherwise); with `expected_version` (the confirmation page) it is also refused if the scheda changed.
    """
    if action not in TRANSITIONS:
        raise SchedaError(_("Operazione sconosciuta."))
    sources, target, permission = TRANSITIONS[action]
    locked = Scheda.objects.select_for_update().select_related("modello", "comune").get(pk=scheda.pk)
    if not can(user, permission, locked):
        raise PermissionDenied(_("Il suo ruolo non consente questa operazione sulla scheda."))
    if locked.stato not in sources:
        raise SchedaError(
            _("Dallo stato «%(s)s» non si può eseguire «%(a)s».") % {"s": locked.get_stato_display(), "a": action}
        )
    refuse_if_campaign_locked(locked)
    if action in ("rimanda", "riapri") and not reason.strip():
        raise SchedaError(_("Indicare la motivazione."))
    if action == "invia":
        if expected_version is not None and locked.versione != expected_version:
            raise SchedaError(_("La scheda è cambiata dopo il controllo: verifichi di nuovo e confermi l'invio."))
        check = submit_check(scheda=locked)
        if not check.ok:
            raise SubmitRefused(check)
    now = timezone.now()
    locked.stato = target
    locked.motivo = reason.strip()
    if action == "invia":
        locked.inviata_il = now  # the last sending decides whether the scheda is on time
    locked.validata_il = now if action == "valida" else None
    with maintained_scheda(locked):  # the Ambito's rollup of the schede (monitoring.rollup)
        record_change(locked, user, now)
    return locked
