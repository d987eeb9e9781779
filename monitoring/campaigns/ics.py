"""The milestones of an Ambito's campaigns as an iCalendar file (RFC 5545), for the office's calendar."""

from __future__ import annotations

from django.utils import timezone


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded with CRLF + space (RFC 5545 §3.1), never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def calendar_ics(ambito, items, fondi=()) -> str:
    """One all-day event per milestone, with a stable UID so that a re-import updates instead of duplicating;
    `fondi`: the budget deadlines of the Ambito's plans (planning.bilancio.scadenze), with their own UIDs."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Portale Ambiti Sociali//Scadenze SOSE//IT",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape('Scadenze SOSE — ' + ambito.nome)}",
    ]
    for item in items:
        scadenza, campagna = item.scadenza, item.campagna
        day = scadenza.data.strftime("%Y%m%d")
        summary = f"{campagna.sigla}: {scadenza.nome} ({campagna.ambito.nome})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:scadenza-{scadenza.pk}@portale-ambiti",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day}",
            f"SUMMARY:{_escape(summary)}",
            "END:VEVENT",
        ]
    for fondo in fondi:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{fondo.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{fondo.data.strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(f'{fondo.nome} ({fondo.piano.ambito.nome})')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
