"""Read side of the performance plan: the plans a user sees, the operational objectives of a plan (the table) and
of one page, the figures of the plan's page and the changes shown on the pages."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from accounts.scoping import scope

from ..models import IndicatorePerformance, ObiettivoOperativo, ObiettivoStrategico, PianoPerformance
from ..piano.history import Modifica, modifiche


def _indicatori_prefetch() -> Prefetch:
    return Prefetch("indicatori", queryset=IndicatorePerformance.objects.order_by("ordine", "pk"))


def piani_performance_lista(user) -> QuerySet:
    """The performance plans the user sees, with the number of strategic and operational objectives."""
    return scope(PianoPerformance.objects.select_related("ambito"), user).annotate(
        n_strategici=Count("obiettivi_strategici", distinct=True),
        n_operativi=Count("obiettivi_strategici__operativi", distinct=True),
    )


def operativi_lista(piano: PianoPerformance) -> QuerySet:
    """The operational objectives of the plan with their programme, dirigente and indicators (the table)."""
    return (
        ObiettivoOperativo.objects.filter(strategico__piano=piano)
        .select_related("strategico__programma", "dirigente_utente")
        .prefetch_related(_indicatori_prefetch())
        .order_by("ordine", "codice")
    )


def operativo_queryset() -> QuerySet:
    """What the page of one operational objective needs: its plan, programme, dirigente and indicators."""
    return ObiettivoOperativo.objects.select_related(
        "strategico__piano__ambito", "strategico__programma", "dirigente_utente"
    ).prefetch_related(_indicatori_prefetch())


def strategici_del_piano(piano: PianoPerformance) -> list[ObiettivoStrategico]:
    """The strategic objectives of the plan with their programme and operational objectives in order."""
    return list(
        piano.obiettivi_strategici.select_related("programma").prefetch_related(
            Prefetch("operativi", queryset=ObiettivoOperativo.objects.order_by("ordine", "codice"))
        )
    )


def operativi_sintesi(operativi: list[ObiettivoOperativo], user) -> dict:
    """Of the shown objectives: those of the user as dirigente, those whose printed total differs from the computed
    one, and the mean of the computed totals (None when none is scored)."""
    valutati = [o.totale for o in operativi if o.totale is not None]
    return {
        "miei": [o for o in operativi if o.dirigente_utente_id == user.pk],
        "difformi": [o for o in operativi if o.totale_difforme],
        "media_totale": sum(valutati) / len(valutati) if valutati else None,
    }


def performance_storia(piano: PianoPerformance) -> list[Modifica]:
    """The latest changes of the plan and of its strategic and operational objectives."""
    return modifiche(
        [
            ("Piano", piano.history.all(), lambda r: r.titolo),
            ("Obiettivo strategico", ObiettivoStrategico.history.filter(piano_id=piano.pk), lambda r: r.codice),
            ("Obiettivo operativo", ObiettivoOperativo.history.filter(strategico__piano=piano), lambda r: r.codice),
        ],
        limit=20,
    )


def operativo_storia(obiettivo: ObiettivoOperativo) -> list[Modifica]:
    """The changes of an operational objective and of its indicators."""
    return modifiche(
        [
            ("", obiettivo.history.all()),
            ("Indicatore", IndicatorePerformance.history.filter(obiettivo_id=obiettivo.pk), lambda r: r.descrizione),
        ]
    )
