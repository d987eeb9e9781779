"""Writes of the plan's budget, each in one transaction with the row it counts against locked (SELECT … FOR UPDATE),
so two people saving at once never allocate a fund twice or commit a line beyond its amount.

Every refusal is a ValidationError in Italian that gives the figures: the fund, its amount, what is already
allocated or committed, and by how much the new amount goes over.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.formatting import format_amount
from territory.models import Comune, Popolazione
from territory.selectors import ambito_comuni

from ..models import (
    Area,
    Assegnazione,
    MetodoQuote,
    Movimento,
    NaturaMovimento,
    PianoDiZona,
    QuotaComune,
    RegolaQuote,
    RigaBilancio,
    TipoMovimento,
    VersamentoComune,
)
from ..piano.services import motivo_modifica, motivo_set, piano_assert_modificabile
from ..versions import bump_piani
from .shares import QuoteError, largest_remainder

ZERO = Decimal(0)


def euro(value: Decimal) -> str:
    return f"{format_amount(value)} €"


def _sum(queryset, field: str = "importo") -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


# --- Allocations -----------------------------------------------------------------------------------------------


@transaction.atomic
def assegnazione_save(*, assegnazione: Assegnazione, aree: Iterable[Area] | None = None, user=None) -> Assegnazione:
    """Save a fund's allocation and, when given, its admissible areas (`aree`; None keeps the stored ones).

    Refused, with nothing saved, when its amount goes below what its lines already take, or when its year or its
    areas would leave a line no longer admissible (the rules of `_check_line`, naming each line)."""
    piano = assegnazione.piano
    piano_assert_modificabile(piano)
    chosen = None if aree is None else list(aree)
    if assegnazione.pk:
        Assegnazione.objects.select_for_update().filter(pk=assegnazione.pk).first()
        _check_allocation_lines(assegnazione, chosen)
    assegnazione._history_user = user  # type: ignore[attr-defined]
    motivo_set(assegnazione, motivo_modifica(piano))
    assegnazione.full_clean(exclude=["aree"])
    assegnazione.save()
    if chosen is not None:
        assegnazione.aree.set(chosen)
    return assegnazione


def _check_allocation_lines(assegnazione: Assegnazione, aree: list[Area] | None) -> None:
    """The stored allocation's lines still fit it as changed: its amount, its year and its areas (None: the
    stored ones)."""
    lines = list(
        RigaBilancio.objects.filter(assegnazione=assegnazione).select_related(
            "assegnazione__fondo", "intervento__obiettivo__area", "intervento__obiettivo__parent__area"
        )
    )
    errors: dict[str, list[str]] = {}
    allocated = sum((line.importo for line in lines), ZERO)
    if assegnazione.importo < allocated:
        errors["importo"] = [
            _(
                "%(fondo)s %(anno)s: le righe del bilancio ne ripartiscono già %(ripartito)s; l'importo "
                "assegnato non può scendere a %(importo)s."
            )
            % {
                "fondo": assegnazione.fondo.nome,
                "anno": assegnazione.anno,
                "ripartito": euro(allocated),
                "importo": euro(assegnazione.importo),
            }
        ]
    if aree is None:
        aree = list(assegnazione.aree.all())
    for line in lines:
        for rule, reason in _fund_rules(line, assegnazione, aree).items():
            message = _("La riga «%(riga)s» non sarebbe più ammissibile. %(motivo)s") % {
                "riga": line,
                "motivo": reason,
            }
            errors.setdefault(rule, []).append(message)
    if errors:
        raise ValidationError(errors)


# --- Budget lines ----------------------------------------------------------------------------------------------


def _fund_rules(riga: RigaBilancio, assegnazione: Assegnazione, aree: list[Area]) -> dict[str, str]:
    """What an allocation allows a line: a year's fund pays that year's spending or a later year's, and only in
    its admissible areas (none listed: every area). Keyed by the allocation's field that refuses, "anno" or
    "aree"."""
    errors: dict[str, str] = {}
    if riga.anno < assegnazione.anno:
        errors["anno"] = _("Il fondo %(fondo)s dell'annualità %(a)s non può finanziare spese del %(anno)s.") % {
            "fondo": assegnazione.fondo.codice,
            "a": assegnazione.anno,
            "anno": riga.anno,
        }
    area = riga.intervento.obiettivo.area_effettiva
    if aree and area not in aree:
        errors["aree"] = _("%(fondo)s %(anno)s non può finanziare l'area «%(area)s» (aree ammissibili: %(aree)s).") % {
            "fondo": assegnazione.fondo.codice,
            "anno": assegnazione.anno,
            "area": area if area is not None else _("senza area"),
            "aree": ", ".join(a.codice for a in aree),
        }
    return errors


def _check_line(riga: RigaBilancio) -> None:
    piano, assegnazione = riga.piano, riga.assegnazione
    errors: dict[str, str] = {}
    if riga.intervento.piano_id != piano.pk:
        errors["intervento"] = _("L'intervento non appartiene a questo piano.")
    if assegnazione.piano_id != piano.pk:
        errors["assegnazione"] = _("Il fondo non è assegnato a questo piano.")
    if not piano.anno_inizio <= riga.anno <= piano.anno_fine:
        errors["anno"] = _("L'anno %(anno)s è fuori dal piano (%(inizio)s-%(fine)s).") % {
            "anno": riga.anno,
            "inizio": piano.anno_inizio,
            "fine": piano.anno_fine,
        }
    fund = _fund_rules(riga, assegnazione, list(assegnazione.aree.all()))
    if "anno" in fund and "anno" not in errors:
        errors["anno"] = fund["anno"]
    if "aree" in fund:
        errors["intervento"] = fund["aree"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def riga_save(*, riga: RigaBilancio, user=None) -> RigaBilancio:
    """Save a budget line; refused when the fund's allocation would be exceeded (with the figures)."""
    piano_assert_modificabile(riga.piano)
    assegnazione = Assegnazione.objects.select_for_update().select_related("fondo").get(pk=riga.assegnazione_id)
    riga.assegnazione = assegnazione
    _check_line(riga)
    others = RigaBilancio.objects.filter(assegnazione=assegnazione).exclude(pk=riga.pk)
    allocated = _sum(others)
    if allocated + riga.importo > assegnazione.importo:
        raise ValidationError(
            {
                "importo": _(
                    "%(fondo)s %(anno)s: assegnati %(assegnato)s, già ripartiti %(ripartito)s su altre righe, "
                    "disponibili %(disponibile)s; %(importo)s supera la disponibilità di %(oltre)s."
                )
                % {
                    "fondo": assegnazione.fondo.nome,
                    "anno": assegnazione.anno,
                    "assegnato": euro(assegnazione.importo),
                    "ripartito": euro(allocated),
                    "disponibile": euro(assegnazione.importo - allocated),
                    "importo": euro(riga.importo),
                    "oltre": euro(allocated + riga.importo - assegnazione.importo),
                }
            }
        )
    if riga.pk:
        committed = _sum(Movimento.objects.filter(riga=riga, tipo=TipoMovimento.IMPEGNO))
        if riga.importo < committed:
            raise ValidationError(
                {
                    "importo": _(
                        "Sulla riga sono già impegnati %(impegnato)s: il programmato non può essere %(importo)s."
                    )
                    % {"impegnato": euro(committed), "importo": euro(riga.importo)}
                }
            )
    riga._history_user = user  # type: ignore[attr-defined]
    motivo_set(riga, motivo_modifica(riga.piano))
    riga.save()
    return riga


def riga_delete_refusal(riga: RigaBilancio) -> str:
    """Why the line cannot be deleted («» when it can): it has commitments or payments."""
    n = riga.movimenti.count()
    if not n:
        return ""
    return _(
        "La riga «%(riga)s» ha %(n)s tra impegni e liquidazioni: non si può eliminare. Per liberare il "
        "programmato registrare un disimpegno, poi ridurre l'importo della riga."
    ) % {"riga": riga, "n": n}


@transaction.atomic
def riga_delete(*, riga: RigaBilancio, user=None) -> None:
    """Delete a budget line without movements (the deletion stays in its history)."""
    piano_assert_modificabile(riga.piano)
    riga = RigaBilancio.objects.select_for_update().select_related("assegnazione__fondo", "intervento").get(pk=riga.pk)
    refusal = riga_delete_refusal(riga)
    if refusal:
        raise ValidationError(refusal)
    riga._history_user = user  # type: ignore[attr-defined]
    motivo_set(riga, motivo_modifica(riga.piano))
    riga.delete()


# --- Commitments and payments ----------------------------------------------------------------------------------


def _check_nature(tipo: str, natura: str, importo: Decimal) -> None:
    if natura == NaturaMovimento.NUOVO and importo <= 0:
        raise ValidationError({"importo": _("Un nuovo impegno o una nuova liquidazione ha un importo positivo.")})
    if natura == NaturaMovimento.CORREZIONE and importo == 0:
        raise ValidationError({"importo": _("Una correzione ha un importo diverso da zero (negativo per ridurre).")})
    if natura == NaturaMovimento.DISIMPEGNO:
        if tipo != TipoMovimento.IMPEGNO:
            raise ValidationError({"natura": _("Solo un impegno si può disimpegnare.")})
        if importo >= 0:
            raise ValidationError({"importo": _("Un disimpegno riduce l'impegno: l'importo è negativo.")})


@transaction.atomic
def movimento_add(
    *,
    riga: RigaBilancio,
    tipo: str,
    natura: str,
    data: datetime.date,
    atto: str,
    importo: Decimal,
    nota: str = "",
    user=None,
) -> Movimento:
    """Record a commitment or a payment on a line. After it, 0 ≤ liquidato ≤ impegnato ≤ programmato."""
    riga = RigaBilancio.objects.select_for_update().select_related("assegnazione__fondo").get(pk=riga.pk)
    _check_nature(tipo, natura, importo)
    sums = Movimento.objects.filter(riga=riga).aggregate(
        impegnato=Sum("importo", filter=Q(tipo=TipoMovimento.IMPEGNO)),
        liquidato=Sum("importo", filter=Q(tipo=TipoMovimento.LIQUIDAZIONE)),
    )
    impegnato = (sums["impegnato"] or ZERO) + (importo if tipo == TipoMovimento.IMPEGNO else ZERO)
    liquidato = (sums["liquidato"] or ZERO) + (importo if tipo == TipoMovimento.LIQUIDAZIONE else ZERO)
    figures = {
        "programmato": euro(riga.importo),
        "impegnato": euro(impegnato),
        "liquidato": euro(liquidato),
        "riga": str(riga.assegnazione),
    }
    if impegnato < 0 or liquidato < 0:
        raise ValidationError(
            {"importo": _("%(riga)s: impegnato e liquidato non possono diventare negativi.") % figures}
        )
    if impegnato > riga.importo:
        raise ValidationError(
            {
                "importo": _("%(riga)s: l'impegnato salirebbe a %(impegnato)s, oltre il programmato (%(programmato)s).")
                % figures
            }
        )
    if liquidato > impegnato:
        raise ValidationError(
            {
                "importo": _("%(riga)s: il liquidato salirebbe a %(liquidato)s, oltre l'impegnato (%(impegnato)s).")
                % figures
            }
        )
    movimento = Movimento(
        riga=riga, tipo=tipo, natura=natura, data=data, atto=atto, importo=importo, nota=nota, creato_da=user
    )
    movimento._history_user = user  # type: ignore[attr-defined]
    movimento.full_clean(exclude=["riga", "creato_da"])
    movimento.save()
    return movimento


# --- The Comuni's shares ---------------------------------------------------------------------------------------


def quote_calcola(regola: RegolaQuote, comuni: list[Comune]) -> dict[str, Decimal]:
    """One year's share of each Comune (ISTAT code -> euro) under `regola`, adding up to its amount to the cent."""
    if regola.metodo == MetodoQuote.QUOTA_FISSA:
        return largest_remainder(regola.importo_annuo, {c.pk: 1 for c in comuni})
    populations = dict(
        Popolazione.objects.filter(comune__in=comuni, anno=regola.anno_popolazione).values_list("comune", "totale")
    )
    missing = [c.nome for c in comuni if not populations.get(c.pk)]
    if missing:
        raise QuoteError(
            _("Manca la popolazione %(anno)s di: %(comuni)s.")
            % {"anno": regola.anno_popolazione, "comuni": ", ".join(missing)}
        )
    return largest_remainder(regola.importo_annuo, populations)


@transaction.atomic
def regola_save(*, piano: PianoDiZona, regola: RegolaQuote, user=None) -> int:
    """Save the plan's co-financing rule and write the shares it gives (quote_ricalcola); a rule that cannot be
    applied (a Comune without population, a share below what its Comune already paid) is refused as a
    ValidationError and nothing is saved."""
    piano_assert_modificabile(piano)
    regola._history_user = user  # type: ignore[attr-defined]
    regola.save()
    piano.regola_quote = regola
    try:
        return quote_ricalcola(piano=piano, user=user)
    except QuoteError as error:
        raise ValidationError(str(error)) from error


def _below_paid(shares: dict[str, Decimal], years: range, comuni: list[Comune], existing: dict) -> list[str]:
    """The new yearly shares (ISTAT code -> euro) that would go below what the Comune already paid that year, as
    messages by year and Comune."""
    paid = dict(
        VersamentoComune.objects.filter(quota__in=[q.pk for q in existing.values()])
        .values_list("quota")
        .annotate(total=Sum("importo"))
    )
    messages = []
    for anno in years:
        for comune in sorted(comuni, key=lambda c: c.nome):
            quota = existing.get((comune.pk, anno))
            versato = paid.get(quota.pk, ZERO) if quota else ZERO
            if shares[comune.pk] < versato:
                messages.append(
                    _("%(comune)s %(anno)s: la nuova quota %(quota)s è inferiore a quanto già versato, %(versato)s.")
                    % {"comune": comune.nome, "anno": anno, "quota": euro(shares[comune.pk]), "versato": euro(versato)}
                )
    return messages


@transaction.atomic
def quote_ricalcola(*, piano: PianoDiZona, user=None) -> int:
    """Write the shares of every Comune of the Ambito for every year of the plan (rule per abitante or quota fissa;
    with «importi» the amounts are typed Comune by Comune and left as they are). Returns how many were written.
    All or nothing: refused (ValidationError naming Comune and year) when a share would go below what its Comune
    already paid. New shares are created in one batch (with their history), changed ones saved one by one
    (history with the user), unchanged ones left alone."""
    piano_assert_modificabile(piano)
    regola = piano.regola_quote
    if regola.metodo == MetodoQuote.IMPORTI:
        return 0
    comuni = list(ambito_comuni(piano.ambito))
    shares = quote_calcola(regola, comuni)
    years = range(piano.anno_inizio, piano.anno_fine + 1)
    # locked: a payment (versamento_add locks its share) waits, then checks against the new amount due
    existing = {(q.comune_id, q.anno): q for q in QuotaComune.objects.select_for_update().filter(piano=piano)}
    below = _below_paid(shares, years, comuni, existing)
    if below:
        lead = _("Criterio non salvato: alcune quote scenderebbero sotto quanto il Comune ha già versato.")
        raise ValidationError([lead, *below])
    new = []
    for anno in years:
        for comune in comuni:
            quota = existing.get((comune.pk, anno))
            if quota is None:
                new.append(QuotaComune(piano=piano, comune=comune, anno=anno, dovuto=shares[comune.pk]))
            elif quota.dovuto != shares[comune.pk]:
                quota.dovuto = shares[comune.pk]
                quota._history_user = user  # type: ignore[attr-defined]
                quota.save()
    bulk_create_with_history(new, QuotaComune, default_user=user)
    bump_piani([piano.pk])  # bulk_create sends no signal (planning.versions)
    return len(comuni) * len(years)


def cella(comune_id: str, anno: int) -> str:
    """The name of one Comune's share of one year in the «importi» grid (and the key of its errors)."""
    return f"q_{comune_id}_{anno}"


def _importo_errors(piano: PianoDiZona, importi, comuni: dict, existing: dict) -> dict[str, str]:
    years = range(piano.anno_inizio, piano.anno_fine + 1)
    errors: dict[str, str] = {}
    for (code, anno), amount in importi.items():
        key = cella(code, anno)
        comune = comuni.get(code)
        if comune is None or anno not in years:
            errors[key] = _("%(c)s, anno %(a)s: non è un Comune dell'Ambito in un anno del piano.") % {
                "c": code,
                "a": anno,
            }
            continue
        where = {"comune": comune.nome, "anno": anno, "importo": euro(amount)}
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            errors[key] = (
                _("%(comune)s, anno %(anno)s: %(importo)s non è un importo valido (positivo, al centesimo).") % where
            )
            continue
        quota = existing.get((code, anno))
        paid = (getattr(quota, "versato", None) or ZERO) if quota else ZERO
        if amount < paid:
            errors[key] = _(
                "%(comune)s, anno %(anno)s: il Comune ha già versato %(versato)s, la quota non può scendere a "
                "%(importo)s."
            ) % {**where, "versato": euro(paid)}
    return errors


@transaction.atomic
def quote_importi_save(*, piano: PianoDiZona, importi: dict[tuple[str, int], Decimal], user=None) -> int:
    """Write the shares typed Comune by Comune and year (rule «importi»), all or nothing: `importi` maps
    (ISTAT code, year) to the amount due. Refused (ValidationError on the cell, naming Comune and year) for a
    Comune outside the Ambito, a year outside the plan, a negative amount or one below what the Comune already
    paid. Returns how many shares changed."""
    piano_assert_modificabile(piano)
    regola = RegolaQuote.objects.select_for_update().filter(piano=piano).first()
    if regola is None or regola.metodo != MetodoQuote.IMPORTI:
        raise ValidationError(
            _("Il criterio di riparto del piano non è «importi indicati Comune per Comune»: sceglierlo prima.")
        )
    comuni = {c.pk: c for c in ambito_comuni(piano.ambito)}
    existing = {
        (q.comune_id, q.anno): q
        for q in QuotaComune.objects.filter(piano=piano).annotate(versato=Sum("versamenti__importo"))
    }
    errors = _importo_errors(piano, importi, comuni, existing)
    if errors:
        raise ValidationError(errors)
    new, changed = [], 0
    for (code, anno), amount in sorted(importi.items()):
        quota = existing.get((code, anno))
        if quota is None:
            if amount > 0:
                new.append(QuotaComune(piano=piano, comune=comuni[code], anno=anno, dovuto=amount))
        elif quota.dovuto != amount:
            quota.dovuto = amount
            quota._history_user = user  # type: ignore[attr-defined]
            motivo_set(quota, motivo_modifica(piano))
            quota.save(update_fields=["dovuto"])
            changed += 1
    bulk_create_with_history(new, QuotaComune, default_user=user)
    bump_piani([piano.pk])
    return changed + len(new)


@transaction.atomic
def versamento_add(
    *, quota: QuotaComune, data: datetime.date, importo: Decimal, atto: str = "", user=None
) -> VersamentoComune:
    """Record a Comune's payment towards its share; refused beyond what it owes."""
    quota = QuotaComune.objects.select_for_update().select_related("comune").get(pk=quota.pk)
    paid = _sum(quota.versamenti.all())
    if importo <= 0:
        raise ValidationError({"importo": _("L'importo versato è positivo.")})
    if paid + importo > quota.dovuto:
        raise ValidationError(
            {
                "importo": _("%(comune)s %(anno)s: dovuti %(dovuto)s, già versati %(versato)s; %(importo)s è troppo.")
                % {
                    "comune": quota.comune.nome,
                    "anno": quota.anno,
                    "dovuto": euro(quota.dovuto),
                    "versato": euro(paid),
                    "importo": euro(importo),
                }
            }
        )
    versamento = VersamentoComune(quota=quota, data=data, importo=importo, atto=atto)
    versamento._history_user = user  # type: ignore[attr-defined]
    versamento.save()
    return versamento
