"""One entry point for load_demo: the demo data of the evaluation of the previous plans, the context facts
(spending, printed figures), the performance plan and the quarterly monitoring snapshots. Idempotent."""

from __future__ import annotations


def demo_risultati_load() -> str:
    """Load everything and return a one-line summary for the command's output."""
    from monitoring.snapshots.demo import demo_rilevazioni_load

    from .contesto.demo import demo_contesto_load
    from .performance.demo import demo_performance_load
    from .valutazione.demo import demo_valutazione_load

    schede = demo_valutazione_load()
    contesto = demo_contesto_load()
    operativi = demo_performance_load()
    rilevazioni = demo_rilevazioni_load()
    return (
        f"Valutazione, contesto, performance e monitoraggio trimestrale demo: {schede} nuove schede di valutazione, "
        f"{contesto['fatti']} nuovi fatti di spesa, {operativi} nuovi obiettivi operativi, "
        f"{rilevazioni} nuove rilevazioni."
    )
