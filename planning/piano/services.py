"""Work on the Piano di Zona that touches several objects: creation, status workflow, the approved-plan lock,
variazioni, saving an intervention card with its inline rows and an indicator's targets, the rows of the
plan's registries (projects, PNRR lines with their items, gestione associata, governance). Each write is atomic and
keyword-only, and takes plain data: model objects, ids, cleaned values, inline rows (planning.inline_rows)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.queries import next_number
from territory.models import Ambito

from ..inline_rows import Row
from ..models import (
    STATI_CON_VARIAZIONE,
    TRANSIZIONI,
    Azione,
    CampoModello,
    Capitolo,
    Indicatore,
    Intervento,
    LineaPNRR,
    OrganismoGovernance,
    PianoDiZona,
    Progetto,
    Risorsa,
    ServizioAssociato,
    StatoPiano,
    TargetIndicatore,
    TipoCampo,
    TipoCapitolo,
    ValoreCampo,
    ValorePuntoChiave,
    Variazione,
    VocePNRR,
)
from ..versions import bump_piani

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
    """The plan's open variazione, if any (read once per plan instance)."""
    if "_variazione_aperta" not in piano.__dict__:
        piano.__dict__["_variazione_aperta"] = piano.variazioni.filter(chiusa_il__isnull=True).first()
    return piano.__dict__["_variazione_aperta"]


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


def motivo_set(obj: Model, motivo: str) -> None:
    """The change reason django-simple-history writes in the next history row of `obj`."""
    obj._change_reason = motivo  # type: ignore[attr-defined]


def parte_save(*, parte: Model, piano: PianoDiZona) -> None:
    """Save the plan or one of its parts (chapter, area, objective) with the change reason of the open variazione."""
    motivo_set(parte, motivo_modifica(piano))
    parte.save()


@transaction.atomic
def piano_create(*, ambito: Ambito, titolo: str, anno_inizio: int, anno_fine: int, **extra: Any) -> PianoDiZona:
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
    bump_piani([piano.pk])  # bulk_create sends no signal (planning.versions)
    return piano


@transaction.atomic
def piano_transition(*, piano: PianoDiZona, stato: str, da_stato: str = "", **approvazione: Any) -> PianoDiZona:
    """Move the plan along the workflow; approving requires the act and the date of approval.

    `da_stato` is the state the user saw (when given): if the plan has left it meanwhile, nothing is changed.
    `approvazione` holds the details to write (empty values are ignored): pass only those the user changed.
    """
    piano = PianoDiZona.objects.select_for_update().get(pk=piano.pk)
    if da_stato and da_stato != piano.stato:
        raise ValidationError(
            _(
                "Mentre lei lavorava lo stato del piano è cambiato da «%(da)s» a «%(ora)s»: nulla è stato salvato. "
                "Ricontrolli i dati e scelga di nuovo lo stato."
            )
            % {"da": StatoPiano(da_stato).label, "ora": piano.get_stato_display()}
        )
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
    motivo_set(piano, _("Cambio di stato: %(stato)s") % {"stato": piano.get_stato_display()})
    piano.save()
    return piano


@transaction.atomic
def variazione_open(*, piano: PianoDiZona, user: User, motivazione: str, atto: str = "") -> Variazione:
    piano = PianoDiZona.objects.select_for_update().get(pk=piano.pk)
    if piano.stato not in STATI_CON_VARIAZIONE:
        raise ValidationError(_("Una variazione si apre solo su un piano approvato o vigente."))
    if piano.variazioni.filter(chiusa_il__isnull=True).exists():
        raise ValidationError(_("C'è già una variazione aperta su questo piano."))
    if not motivazione.strip():
        raise ValidationError({"motivazione": _("Indicare la motivazione della variazione.")})
    numero = next_number(piano.variazioni, "numero")
    return Variazione.objects.create(piano=piano, numero=numero, motivazione=motivazione, atto=atto, aperta_da=user)


@transaction.atomic
def variazione_close(*, variazione: Variazione, user: User) -> Variazione:
    if not variazione.aperta:
        raise ValidationError(_("La variazione è già chiusa."))
    variazione.chiusa_il = timezone.now()
    variazione.chiusa_da = user
    variazione.save(update_fields=["chiusa_il", "chiusa_da"])
    return variazione


def row_delete(row: Row[Any], reason: str) -> bool:
    """Give the row's object the change reason and delete it if the row is ticked (and stored); True if ticked."""
    motivo_set(row.obj, reason)
    if row.delete and row.obj.pk:
        row.obj.delete()
    return row.delete


def rows_save_in_order(rows: Iterable[Row[Any]], *, parent_field: str, parent: Model, reason: str) -> None:
    """Inline rows in the order given: ticked rows deleted, the others saved under `parent` (in `parent_field`)
    with their position renumbered 1, 2, …; every row with the change reason."""
    position = 0
    for row in rows:
        if row_delete(row, reason):
            continue
        position += 1
        setattr(row.obj, parent_field, parent)
        row.obj.ordine = position
        row.obj.save()


def _rows_save(
    righe: Sequence[Row[Azione] | Row[Indicatore] | Row[Risorsa]], intervento: Intervento, reason: str
) -> None:
    """Inline rows of the card: deleted, or saved renumbered in the submitted order (rows without a position,
    as without JavaScript, go to the end in page order)."""
    ordered = sorted(righe, key=lambda row: row.ordine if row.ordine is not None else 10**6)  # stable: page order
    rows_save_in_order(ordered, parent_field="intervento", parent=intervento, reason=reason)


def _punti_chiave_save(valore: ValoreCampo, punti: list) -> None:
    """The chosen key points of an answer, keeping the order of those already chosen and adding the new ones."""
    chosen = {p.pk for p in punti}
    voci = list(valore.voci_punti_chiave.order_by("ordine"))
    valore.voci_punti_chiave.exclude(punto_id__in=chosen).delete()
    kept = [v.punto_id for v in voci if v.punto_id in chosen]
    nuovi = [p.pk for p in punti if p.pk not in kept]
    ValorePuntoChiave.objects.bulk_create(
        ValorePuntoChiave(valore=valore, punto_id=p, ordine=len(kept) + i) for i, p in enumerate(nuovi, start=1)
    )
    if nuovi:  # bulk_create sends no signal (planning.versions)
        bump_piani([valore.intervento.piano_id])


def _valore_fill(valore: ValoreCampo, campo: CampoModello, value: Any, nota: str) -> None:
    """Put one answer of the card's template into its ValoreCampo (the stored fields of its type)."""
    valore.testo = value if campo.tipo == TipoCampo.TESTO else (nota or "")
    valore.si_no = {"si": True, "no": False}.get(value) if campo.tipo == TipoCampo.SI_NO else None
    if campo.tipo == TipoCampo.SCELTA:
        valore.scelte = [value] if value else []
    elif campo.tipo == TipoCampo.SCELTA_MULTIPLA:
        valore.scelte = list(value or [])
    valore.importo = value if campo.tipo == TipoCampo.IMPORTO else None


def valori_save(*, intervento: Intervento, campi: list[CampoModello], valori: dict, reason: str = "") -> None:
    """The answers to the template's questions: `valori` maps each field's key (and `<key>__nota`) to its value."""
    existing = {v.campo_id: v for v in intervento.valori.all()}
    for campo in campi:
        value = valori.get(campo.chiave)
        valore = existing.get(campo.pk) or ValoreCampo(intervento=intervento, campo=campo)
        _valore_fill(valore, campo, value, valori.get(f"{campo.chiave}__nota", ""))
        motivo_set(valore, reason)
        valore.save()
        if campo.tipo == TipoCampo.MACRO_AREE:
            valore.macro_aree.set(value or [])
        elif campo.tipo == TipoCampo.PUNTI_CHIAVE:
            _punti_chiave_save(valore, list(value or []))


INTERVENTO_M2M = ("fondi", "leps", "partner")


@transaction.atomic
def intervento_save(
    *,
    piano: PianoDiZona,
    intervento: Intervento,
    dati: dict,
    campi: list[CampoModello],
    valori: dict,
    righe: list[Sequence[Row[Azione] | Row[Indicatore] | Row[Risorsa]]],
) -> Intervento:
    """Save the card: core fields, template answers and the inline rows (renumbered in the submitted order).

    `intervento` carries the submitted core fields; `dati` holds its many-to-many choices (funds, LEPS, partners);
    `campi` and `valori` the template's questions and their answers; `righe` the actions, indicators and resources.
    """
    piano_assert_modificabile(piano)
    reason = motivo_modifica(piano)
    intervento.piano = piano
    motivo_set(intervento, reason)
    intervento.save()
    for name in INTERVENTO_M2M:
        if name in dati:
            getattr(intervento, name).set(dati[name])
    valori_save(intervento=intervento, campi=campi, valori=valori, reason=reason)
    for rows in righe:
        _rows_save(rows, intervento, reason)
    return intervento


@transaction.atomic
def target_save(*, piano: PianoDiZona, indicatore: Indicatore, righe: Sequence[Row[TargetIndicatore]]) -> Indicatore:
    """The yearly targets of an indicator: changed rows saved, ticked rows deleted (with the change reason)."""
    piano_assert_modificabile(piano)
    reason = motivo_modifica(piano)
    for row in righe:
        if not row_delete(row, reason) and row.changed:
            row.obj.indicatore = indicatore
            row.obj.save()
    return indicatore


# --- The plan's registries: projects of the network, PNRR lines, gestione associata, governance ---------------

RegistroRow = Progetto | LineaPNRR | ServizioAssociato | OrganismoGovernance


@transaction.atomic
def registro_save(
    *,
    piano: PianoDiZona,
    riga: RegistroRow,
    dati: dict | None = None,
    voci: Sequence[Row[VocePNRR]] | None = None,
) -> RegistroRow:
    """Save a row of one of the plan's registries (a new row with no position goes last), with its funds (`dati`
    holds the chosen `fondi`, if the row has any) and, for a PNRR line, its amount items (`voci`, renumbered in the
    submitted order); every history record carries the change reason of the open variazione."""
    piano_assert_modificabile(piano)
    reason = motivo_modifica(piano)
    riga.piano = piano
    if not riga.ordine:
        riga.ordine = next_number(type(riga).objects.filter(piano=piano).exclude(pk=riga.pk))
    motivo_set(riga, reason)
    riga.save()
    if dati is not None and "fondi" in dati:
        riga.fondi.set(dati["fondi"])  # type: ignore[union-attr]
    if voci is not None:
        ordered = sorted(voci, key=lambda row: row.ordine if row.ordine is not None else 10**6)
        rows_save_in_order(ordered, parent_field="linea", parent=riga, reason=reason)
    return riga


@transaction.atomic
def registro_delete(*, piano: PianoDiZona, riga: RegistroRow) -> None:
    """Delete a row of one of the plan's registries (a PNRR line with its items), recorded in the history."""
    piano_assert_modificabile(piano)
    reason = motivo_modifica(piano)
    if isinstance(riga, LineaPNRR):
        for voce in riga.voci.all():
            motivo_set(voce, reason)
            voce.delete()
    motivo_set(riga, reason)
    riga.delete()
