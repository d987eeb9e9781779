"""Writes of the performance plan: the strategic objective's missione/programma decoded from its code, the
operational objective saved by the Ufficio di Piano, the dirigente's report (report text and achieved values only).
Each write is atomic and keyword-only and takes plain data (model objects carrying the submitted values, inline rows
of planning.inline_rows); the total score is never stored (ObiettivoOperativo.totale)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..inline_rows import Row
from ..models import IndicatorePerformance, ObiettivoOperativo, ObiettivoStrategico, ProgrammaBilancio
from ..models.performance import codice_missione_programma


def programma_da_codice(codice: str) -> ProgrammaBilancio | None:
    """`2_1201_0` → Missione 12, Programma 01 of the catalogue (None if the code is not in it)."""
    parts = codice_missione_programma(codice)
    if parts is None:
        return None
    return ProgrammaBilancio.objects.filter(missione=parts[0], programma=parts[1]).first()


@transaction.atomic
def obiettivo_strategico_save(*, obiettivo: ObiettivoStrategico) -> ObiettivoStrategico:
    """Save a strategic objective (carrying the submitted values) with its missione/programma decoded."""
    obiettivo.full_clean()
    obiettivo.programma = programma_da_codice(obiettivo.codice)
    obiettivo.save()
    return obiettivo


@transaction.atomic
def obiettivo_operativo_save(
    *, obiettivo: ObiettivoOperativo, indicatori: Sequence[Row[IndicatorePerformance]]
) -> ObiettivoOperativo:
    """Save an operational objective (carrying the submitted values) and its indicators (Ufficio di Piano)."""
    obiettivo.full_clean()
    obiettivo.save()
    for row in indicatori:
        if row.delete:
            if row.obj.pk:
                row.obj.delete()
        elif row.changed:
            row.obj.obiettivo = obiettivo
            row.obj.save()
    return obiettivo


@transaction.atomic
def report_dirigente_save(
    *, obiettivo: ObiettivoOperativo, user: User, report: str, indicatori: Sequence[Row[IndicatorePerformance]]
) -> ObiettivoOperativo:
    """The dirigente named on the objective writes the report and the achieved values, nothing else."""
    if not user.is_superuser and obiettivo.dirigente_utente_id != user.pk:
        raise ValidationError(_("Solo il dirigente indicato sull'obiettivo scrive il report."))
    obiettivo.report = report
    obiettivo.save(update_fields=["report"])
    for row in indicatori:
        if row.changed:
            row.obj.save(update_fields=["raggiunto"])
    return obiettivo
