"""The milestones of an Ambito's campaigns as an iCalendar file (RFC 5545, core.ics), for the office's calendar."""

from __future__ import annotations

from core.ics import Event, calendar


def calendar_ics(ambito, items, fondi=()) -> str:
    """One all-day event per milestone, with a stable UID so that a re-import updates instead of duplicating;
    `fondi`: the budget deadlines of the Ambito's plans (planning.bilancio.scadenze), with their own UIDs."""
    events = [
        Event(
            f"scadenza-{item.scadenza.pk}@portale-ambiti",
            item.scadenza.data,
            f"{item.campagna.sigla}: {item.scadenza.nome} ({item.campagna.ambito.nome})",
        )
        for item in items
    ]
    events += [Event(f.uid, f.data, f"{f.nome} ({f.piano.ambito.nome})") for f in fondi]
    return calendar(f"Scadenze SOSE — {ambito.nome}", "Scadenze SOSE", events)
