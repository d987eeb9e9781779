"""Writes of the performance plan: the strategic objective's missione/programma decoded from its code, the
operational objective saved by the Ufficio di Piano, the dirigente's report (report text and achieved values only).
Each function is atomic and keyword-only; the total score is never stored (ObiettivoOperativo.totale)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ObiettivoOperativo, ObiettivoStrategico, ProgrammaBilancio
from ..models.performance import codice_missione_programma


def programma_da_codice(codice: str) -> ProgrammaBilancio | None:
    """`2_1201_0` → Missione 12, Programma 01 of the catalogue (None if the code is not in it)."""
    parts = codice_missione_programma(codice)
    if parts is None:
        return None
    return ProgrammaBilancio.objects.filter(missione=parts[0], programma=parts[1]).first()


@transaction.atomic
def strategico_salva(*, obiettivo: ObiettivoStrategico) -> ObiettivoStrategico:
    obiettivo.full_clean()
    obiettivo.programma = programma_da_codice(obiettivo.codice)
    obiettivo.save()
    return obiettivo


def _save_rows(formset, parent) -> None:
    for sub in formset.forms:
        if formset.can_delete and formset._should_delete_form(sub):
            if sub.instance.pk:
                sub.instance.delete()
            continue
        if not sub.has_changed():
            continue
        row = sub.save(commit=False)
        setattr(row, formset.fk.name, parent)
        row.save()


@transaction.atomic
def operativo_salva(*, form, indicatori_formset) -> ObiettivoOperativo:
    """Save an operational objective and its indicators (Ufficio di Piano)."""
    obiettivo = form.save(commit=False)
    obiettivo.full_clean()
    obiettivo.save()
    indicatori_formset.instance = obiettivo
    _save_rows(indicatori_formset, obiettivo)
    return obiettivo


@transaction.atomic
def report_salva(*, obiettivo: ObiettivoOperativo, user, form, indicatori_formset) -> ObiettivoOperativo:
    """The dirigente named on the objective writes the report and the achieved values, nothing else."""
    if not user.is_superuser and obiettivo.dirigente_utente_id != user.pk:
        raise ValidationError(_("Solo il dirigente indicato sull'obiettivo scrive il report."))
    obiettivo = form.save(commit=False)
    obiettivo.save(update_fields=["report"])
    for sub in indicatori_formset.forms:
        if sub.has_changed():
            row = sub.save(commit=False)
            row.save(update_fields=["raggiunto"])
    return obiettivo
