"""The overview's indicator tables for a page of Comuni, each Comune's row written once per content.

A row is cached (core.fragments.cached_pieces) by what it is made of: its scheda's stored facts as the database
keeps them (read as text, not decoded), the template's version and the Comune's name. After a save anywhere in the
Ambito the page decodes, computes and writes again only the rows whose facts changed (none, when the save was on
another page), and a recompute that changes the facts without a new scheda version is never served stale. Two
queries, whatever the number of Comuni: the page of Comuni, their schede's facts as text."""

from __future__ import annotations

import json

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.safestring import mark_safe

from core.fragments import cached_pieces

from .indicator_html import NO_ROWS, indicator_row, scheda_url
from .indicators import scheda_indicators
from .models import ModelloScheda, Scheda
from .overview import IndicatorTable


def page_tables(
    comuni: QuerySet, modelli: list[ModelloScheda], totals: dict, *, offset: int, limit: int
) -> list[IndicatorTable]:
    """Per template with indicators: the table of the Comuni offset..offset+limit by name (`body`, its rows as
    HTML, in that order) with the Ambito `totals` (monitoring.overview.indicator_totals, by template pk)."""
    with_indicators = [m for m in modelli if m.indicator_definition()["indicatori"]]
    page = list(comuni.order_by("nome", "codice_istat").values_list("codice_istat", "nome")[offset : offset + limit])
    names = dict(page)
    schede = Scheda.objects.filter(modello__in=with_indicators, comune_id__in=names).order_by()
    found = {
        (modello_id, comune_id): (pk, text)
        for pk, modello_id, comune_id, text in schede.values_list(
            "pk", "modello_id", "comune_id", Cast("indicatori", TextField())
        )
    }
    by_pk = {m.pk: m for m in with_indicators}
    parts = {
        pk: [m, by_pk[m].versione, str(by_pk[m].aggiornato_il), pk, names[c], text]
        for (m, c), (pk, text) in found.items()
    }
    rows = cached_pieces("riga-indicatori", parts, lambda missing: _rows(missing, by_pk, parts))
    tables = []
    for modello in with_indicators:
        table = IndicatorTable(modello)
        table.totals, table.count = totals[modello.pk]
        body = "".join(rows[found[modello.pk, codice][0]] for codice, _nome in page if (modello.pk, codice) in found)
        table.body = mark_safe(body or NO_ROWS)  # written by indicator_html, every text escaped
        tables.append(table)
    return tables


def _rows(missing: list, modelli: dict[int, ModelloScheda], parts: dict) -> dict[int, str]:
    """The rows of the schede `missing` (ids), from their facts as stored (decoded here, once each)."""
    url = scheda_url()
    out = {}
    for pk in missing:
        modello_id, _v, _u, _pk, nome, text = parts[pk]
        facts = json.loads(text) if text else {}
        out[pk] = indicator_row(nome, pk, scheda_indicators(modelli[modello_id].indicator_definition(), facts), url)
    return out
