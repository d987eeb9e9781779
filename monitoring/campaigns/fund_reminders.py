"""Reminders of the plan's budget deadlines (issue 14): the spending and reporting deadlines of each fund's
allocation (planning.bilancio.scadenze), e-mailed to the Ufficio di Piano of the plan's Ambito with the same steps
as the campaign reminders (monitoring.campaigns.reminders.due_step): one step per lead time of
``settings.PROMEMORIA_FONDI_GIORNI`` («60,30,7,0»: days before the deadline), a missed day caught up until the next
step (the last step for CATCH_UP_DAYS days), never twice (a `Promemoria` row of type «fondo» per recipient,
allocation and step, under a unique constraint).

- Spending deadline («spesa»): only while part of the allocation is not committed; the mail lists the quotas at
  risk (the lines with a part planned and not committed) and what of the fund is not even distributed.
- Reporting deadline («rendiconto»): the figures to report (committed, paid) and the link to the fund reports.

Not for concluded plans, nor for demo amounts (`dimostrativa`: as the demo campaigns, their data are not
real). A fixed number of queries whatever the number of allocations.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Ruolo
from planning.bilancio.scadenze import ScadenzaFondo, scadenze_assegnazioni
from planning.bilancio.selectors import righe_per_assegnazione
from planning.models import Assegnazione, StatoPiano

from .models import TipoPromemoria

ZERO = Decimal(0)
PASSO = {"spesa": "spesa", "rendicontazione": "rendiconto"}
PAGINA = {"spesa": "planning:bilancio_rischio", "rendicontazione": "planning:rendiconti"}


def lead_times() -> list[int]:
    """The lead times of the funds' reminders, in days before the deadline (settings.PROMEMORIA_FONDI_GIORNI)."""
    text = str(getattr(settings, "PROMEMORIA_FONDI_GIORNI", "60,30,7,0"))
    return sorted({int(p) for p in text.replace(" ", "").split(",") if p.strip().lstrip("-").isdigit()}, reverse=True)


def _due(today: datetime.date) -> list[tuple[ScadenzaFondo, str]]:
    from .reminders import due_step  # noqa: PLC0415 - reminders imports this module

    offsets = lead_times()
    latest = max(offsets, default=0)
    window = (today - datetime.timedelta(days=30), today + datetime.timedelta(days=latest))
    assegnazioni = (
        Assegnazione.objects.exclude(piano__stato=StatoPiano.CONCLUSO)
        .exclude(dimostrativa=True)
        .filter(
            Q(scadenza_spesa__range=window) | Q(scadenza_rendicontazione__range=window),
        )
        .select_related("fondo", "piano__ambito")
    )
    out = []
    for s in scadenze_assegnazioni(assegnazioni, today):
        step = due_step(today, s.data, offsets, weekly=False)
        if step:
            out.append((s, f"{PASSO[s.tipo]}{step}"))
    return out


def _subject(s: ScadenzaFondo) -> str:
    from .reminders import SUBJECT_PREFIX  # noqa: PLC0415 - as above

    a = s.assegnazione
    what = "termine per la spesa" if s.tipo == "spesa" else "termine di rendicontazione"
    if s.giorni > 0:
        when = f"tra {s.giorni} giorn{'o' if s.giorni == 1 else 'i'}"
    elif s.giorni == 0:
        when = "oggi"
    else:
        when = f"scaduto da {-s.giorni} giorn{'o' if s.giorni == -1 else 'i'}"
    return f"{SUBJECT_PREFIX} {a.fondo.codice} {a.anno} ({a.piano.ambito.nome}): {what} {when}"


def plan_fund_reminders(today: datetime.date) -> list:
    """The mails of the funds' deadlines due today: one per Ufficio di Piano member, deadline and step."""
    from .reminders import Mail, _users_by, absolute  # noqa: PLC0415 - as above

    due = _due(today)
    if not due:
        return []
    lines = righe_per_assegnazione([s.assegnazione.pk for s, _passo in due])
    members = _users_by("ambito", Ruolo.UFFICIO_PIANO, {s.assegnazione.piano.ambito_id for s, _passo in due})
    url_promemoria = absolute(reverse("monitoring:promemoria"))
    mails = []
    for s, passo in due:
        a = s.assegnazione
        righe = lines.get(a.pk, [])
        ripartito = sum((r.importo for r in righe), ZERO)
        impegnato = sum((r.impegnato for r in righe), ZERO)  # type: ignore[attr-defined]
        if s.tipo == "spesa" and a.importo - impegnato <= 0:
            continue  # all committed: nothing at risk
        context = {
            "scadenza": s,
            "ritardo": -s.giorni,
            "assegnazione": a,
            "ripartito": ripartito,
            "non_ripartito": a.importo - ripartito,
            "impegnato": impegnato,
            "liquidato": sum((r.liquidato for r in righe), ZERO),  # type: ignore[attr-defined]
            "a_rischio": [r for r in righe if r.da_impegnare > 0],  # type: ignore[attr-defined]
            "url": absolute(
                reverse(
                    "planning:bilancio_rischio" if s.tipo == "spesa" else "planning:rendiconti", args=[a.piano.slug]
                )
            ),
            "url_promemoria": url_promemoria,
        }
        for user in members.get(a.piano.ambito_id, []):
            text = render_to_string(
                "monitoring/campaigns/email/fondo.txt", {**context, "nome": user.get_full_name() or user.username}
            )
            mails.append(
                Mail(user=user, tipo=TipoPromemoria.FONDO, passo=passo, oggetto=_subject(s), testo=text, assegnazione=a)
            )
    return mails
