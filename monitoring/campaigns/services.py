"""Writes of the campaigns: opening one (the expected Comuni's schede are created), its milestones, and the
approval by level: the Ufficio di Piano presents the Ambito's validated set to the Regione, which approves it
or sends it back; an approval is revoked only explicitly. Every change is kept in the history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import APPROVE, MANAGE, can_on_ambito
from territory.models import Ambito, Comune
from territory.selectors import ambito_comuni

from ..models import ModelloScheda, Scheda, Stato
from ..services.create import scheda_create
from ..services.errors import SchedaError
from .models import Campagna, Scadenza, StatoCampagna, TipoScadenza, default_milestones


class CampagnaError(SchedaError):
    """A change of a campaign refused, with the Italian reason."""


def _offsets_text(text: str) -> str:
    parts = [p for p in text.replace(" ", "").split(",") if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise CampagnaError(
            _("Promemoria: indicare i giorni prima della scadenza come numeri interi separati da virgola (es. 30,7,0).")
        )
    return ",".join(str(n) for n in sorted({int(p) for p in parts}, reverse=True))


@transaction.atomic
def campagna_open(
    *,
    ambito: Ambito,
    modello: ModelloScheda,
    user,
    comuni: Iterable[Comune] | None = None,
    copia_anno_precedente: bool = True,
    promemoria_giorni: str = "30,7,0",
    scadenze: dict[str, datetime.date] | None = None,
    dimostrativa: bool = False,
    crea_schede_fino_a: int | None = None,
) -> tuple[Campagna, int]:
    """Open the Ambito's campaign of `modello` for `comuni` (default: every Comune of the Ambito and its
    sub-ambiti) and create their schede (copying last year's inputs with `copia_anno_precedente`); a Comune that
    already has its scheda keeps it. Returns the campaign and how many schede were created.

    With `crea_schede_fino_a`, the schede are created here only when at most that many are missing: for more,
    none is, and the caller has them created by a job of the queue (`campagna_crea_schede`, monitoring.jobs)."""
    if not can_on_ambito(user, MANAGE, ambito):
        raise PermissionDenied(_("Solo l'Ufficio di Piano dell'Ambito apre le campagne."))
    if Campagna.objects.filter(ambito=ambito, modello=modello).exists():
        raise CampagnaError(
            _("La campagna %(m)s %(a)s dell'Ambito è già aperta.")
            % {"m": modello.codice, "a": modello.anno_riferimento}
        )
    allowed = {c.pk: c for c in ambito_comuni(ambito)}
    chosen = list(allowed.values()) if comuni is None else list(comuni)
    foreign = sorted(c.nome for c in chosen if c.pk not in allowed)
    if foreign:
        raise CampagnaError(_("Comuni non dell'Ambito: %(c)s.") % {"c": ", ".join(foreign)})
    if not chosen:
        raise CampagnaError(_("Indicare almeno un Comune atteso."))
    taken = (
        Campagna.comuni.through.objects.filter(campagna__modello=modello, comune__in=[c.pk for c in chosen])
        .select_related("comune", "campagna__ambito")
        .order_by("comune__nome")
    )
    if taken:
        raise CampagnaError(
            _("Questi Comuni sono già attesi in un'altra campagna %(m)s: %(c)s.")
            % {"m": modello.codice, "c": ", ".join(f"{t.comune.nome} ({t.campagna.ambito.nome})" for t in taken)}
        )
    campagna = Campagna(
        ambito=ambito,
        modello=modello,
        copia_anno_precedente=copia_anno_precedente,
        promemoria_giorni=_offsets_text(promemoria_giorni),
        aperta_da=user,
        dimostrativa=dimostrativa,
    )
    campagna._history_user = user
    campagna.save()
    campagna.comuni.set(chosen)
    dates = dict(default_milestones(modello.anno_riferimento, modello.scadenza))
    dates.update(scadenze or {})
    for tipo, data in dates.items():
        scadenza = Scadenza(campagna=campagna, tipo=tipo, data=data)
        scadenza._history_user = user
        scadenza.save()
    missing = comuni_senza_scheda(campagna)
    if crea_schede_fino_a is not None and len(missing) > crea_schede_fino_a:
        return campagna, 0
    for comune in missing:
        scheda_create(modello=modello, comune=comune, user=user, copy_previous=copia_anno_precedente)
    return campagna, len(missing)


def comuni_senza_scheda(campagna: Campagna) -> list[Comune]:
    """The campaign's expected Comuni that have no scheda of its template yet, by name."""
    with_scheda = Scheda.objects.filter(modello_id=campagna.modello_id).values("comune")
    return list(campagna.comuni.exclude(pk__in=with_scheda).order_by("nome"))


def campagna_crea_schede(*, campagna: Campagna, user, progress=None, every: int = 25) -> int:
    """Create the missing schede of the campaign's expected Comuni, one transaction each (a job stopped midway
    and run again goes on from where it stopped); `progress(done, total, label)` every `every` schede.
    Returns how many were created."""
    missing = comuni_senza_scheda(campagna)
    modello = ModelloScheda.objects.get(pk=campagna.modello_id)
    for done, comune in enumerate(missing, start=1):
        with transaction.atomic():
            scheda_create(modello=modello, comune=comune, user=user, copy_previous=campagna.copia_anno_precedente)
        if progress is not None and (done % every == 0 or done == len(missing)):
            progress(done, len(missing), f"Create {done} schede su {len(missing)}")
    return len(missing)


def _locked_campagna(campagna: Campagna, user, permission: str, refusal: str) -> Campagna:
    """The campaign locked for a change by `user`, who needs `permission` on its Ambito (PermissionDenied(refusal)
    otherwise)."""
    locked = Campagna.objects.select_for_update().select_related("ambito", "modello").get(pk=campagna.pk)
    if not can_on_ambito(user, permission, locked.ambito):
        raise PermissionDenied(refusal)
    return locked


def _check_version(locked: Campagna, expected_version: int | None) -> None:
    if expected_version is not None and locked.versione != expected_version:
        raise CampagnaError(
            _("La campagna è stata modificata da un altro utente mentre la guardava: ricarichi la pagina e riprovi.")
        )


def _save(locked: Campagna, user) -> None:
    locked.versione += 1
    locked._history_user = user
    locked.save()


@transaction.atomic
def campagna_settings(
    *, campagna: Campagna, user, promemoria_giorni: str, promemoria_settimanali: bool, expected_version: int | None
) -> Campagna:
    """Change the reminder offsets of the campaign (Ufficio di Piano)."""
    locked = _locked_campagna(campagna, user, MANAGE, _("Solo l'Ufficio di Piano dell'Ambito modifica la campagna."))
    _check_version(locked, expected_version)
    locked.promemoria_giorni = _offsets_text(promemoria_giorni)
    locked.promemoria_settimanali = promemoria_settimanali
    _save(locked, user)
    return locked


@transaction.atomic
def scadenza_save(
    *,
    campagna: Campagna,
    user,
    tipo: str,
    data: datetime.date,
    titolo: str = "",
    scadenza: Scadenza | None = None,
    data_mostrata: datetime.date | None = None,
) -> Scadenza:
    """Add or change a milestone of the campaign (Ufficio di Piano); one approval and one sending date.

    With `data_mostrata` (the date the page showed), a change of the date by someone else meanwhile is kept when
    this user left the date alone, and refused with the current date when this user set another one."""
    locked = _locked_campagna(campagna, user, MANAGE, _("Solo l'Ufficio di Piano dell'Ambito modifica le scadenze."))
    if scadenza is not None:
        try:  # as stored now (the campaign's lock serialises the changes of its milestones)
            scadenza.refresh_from_db()
        except Scadenza.DoesNotExist:
            raise CampagnaError(_("La scadenza è stata eliminata da un altro utente mentre lei lavorava.")) from None
        if data_mostrata is not None and scadenza.data != data_mostrata:
            if data == data_mostrata:
                data = scadenza.data  # this user did not change the date: the colleague's stays
            elif data != scadenza.data:
                raise CampagnaError(
                    _(
                        "La scadenza «%(s)s» è stata modificata da un altro utente mentre lei lavorava: ora è il "
                        "%(d)s. Nulla è stato salvato: se la data deve cambiare, la indichi di nuovo."
                    )
                    % {"s": scadenza.nome, "d": scadenza.data.strftime("%d/%m/%Y")}
                )
    if tipo == TipoScadenza.ALTRA and not titolo.strip():
        raise CampagnaError(_("Scadenza: indicare il titolo di un'altra scadenza."))
    clash = locked.scadenze.filter(tipo=tipo).exclude(pk=scadenza.pk if scadenza else None)
    if tipo != TipoScadenza.ALTRA and clash.exists():
        raise CampagnaError(
            _("La campagna ha già la scadenza «%(t)s»: la modifichi invece di aggiungerne un'altra.")
            % {"t": TipoScadenza(tipo).label}
        )
    obj = scadenza or Scadenza(campagna=locked)
    if obj.campagna_id != locked.pk:
        raise CampagnaError(_("La scadenza non è di questa campagna."))
    obj.tipo, obj.data, obj.titolo = tipo, data, titolo.strip()
    obj._history_user = user
    obj.save()
    _save(locked, user)
    return obj


@transaction.atomic
def scadenza_delete(*, scadenza: Scadenza, user) -> None:
    locked = _locked_campagna(
        scadenza.campagna, user, MANAGE, _("Solo l'Ufficio di Piano dell'Ambito modifica le scadenze.")
    )
    if scadenza.tipo != TipoScadenza.ALTRA:
        raise CampagnaError(_("Le scadenze di approvazione e di invio si modificano, non si eliminano."))
    scadenza._history_user = user
    scadenza.delete()
    _save(locked, user)


# name: (states it starts from, state it leads to, permission on the Ambito, reason required)
TRANSITIONS = {
    "presenta": ({StatoCampagna.APERTA, StatoCampagna.RESTITUITA}, StatoCampagna.PRESENTATA, MANAGE, False),
    "ritira": ({StatoCampagna.PRESENTATA}, StatoCampagna.APERTA, MANAGE, True),
    "approva": ({StatoCampagna.PRESENTATA}, StatoCampagna.APPROVATA, APPROVE, False),
    "restituisci": ({StatoCampagna.PRESENTATA}, StatoCampagna.RESTITUITA, APPROVE, True),
    "revoca": ({StatoCampagna.APPROVATA}, StatoCampagna.PRESENTATA, APPROVE, True),
}
LABELS = {
    "presenta": _("Presenta alla Regione"),
    "ritira": _("Ritira dalla Regione"),
    "approva": _("Approva"),
    "restituisci": _("Restituisci all'Ambito"),
    "revoca": _("Revoca l'approvazione"),
}


def allowed_transitions(campagna: Campagna, user) -> list[str]:
    return [
        name
        for name, (sources, _target, permission, _reason) in TRANSITIONS.items()
        if campagna.stato in sources and can_on_ambito(user, permission, campagna.ambito)
    ]


def not_validated(campagna: Campagna) -> list[str]:
    """The expected Comuni whose scheda of the campaign is missing or not validated, by name."""
    validated = set(
        Scheda.objects.filter(
            modello=campagna.modello, stato=Stato.VALIDATA, comune__in=campagna.comuni.all()
        ).values_list("comune", flat=True)
    )
    return [c.nome for c in campagna.comuni.order_by("nome") if c.pk not in validated]


@transaction.atomic
def campagna_transition(
    *, campagna: Campagna, user, action: str, reason: str = "", expected_version: int | None = None
) -> Campagna:
    """Move the Ambito's set through Aperta → Presentata → Approvata / Restituita (and back, see TRANSITIONS)."""
    if action not in TRANSITIONS:
        raise CampagnaError(_("Operazione sconosciuta."))
    sources, target, permission, needs_reason = TRANSITIONS[action]
    locked = _locked_campagna(
        campagna, user, permission, _("Il suo ruolo non consente questa operazione sulla campagna.")
    )
    _check_version(locked, expected_version)
    if locked.stato not in sources:
        raise CampagnaError(
            _("Dallo stato «%(s)s» non si può eseguire «%(a)s».")
            % {"s": locked.get_stato_display(), "a": LABELS[action]}
        )
    if needs_reason and not reason.strip():
        raise CampagnaError(_("Indicare la motivazione."))
    if action == "presenta":
        # the schede are locked with the campaign: none may change while the check runs
        list(Scheda.objects.select_for_update().filter(modello=locked.modello, comune__in=locked.comuni.all()))
        missing = not_validated(locked)
        if missing:
            raise CampagnaError(
                _("Si presenta alla Regione solo quando tutte le schede sono validate. Mancano %(n)s Comuni: %(c)s.")
                % {"n": len(missing), "c": ", ".join(missing)}
            )
    now = timezone.now()
    locked.stato, locked.motivo = target, reason.strip()
    if action == "presenta":
        locked.presentata_il = now
    if action == "approva":
        locked.approvata_il, locked.approvata_da = now, user
    if action == "revoca":
        locked.approvata_il, locked.approvata_da = None, None
    _save(locked, user)
    return locked
