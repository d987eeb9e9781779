"""Read-side queries of the schede: the Ambito overview (Comune × template) and indicator tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from .indicators import IndicatorValue, ambito_indicators, scheda_indicators
from .models import ModelloScheda, Scheda, Stato


@dataclass
class OverviewRow:
    comune_codice: str
    comune_nome: str
    modello: str
    modello_id: int
    scheda_id: int | None
    stato: str
    stato_label: str
    completezza: float | None
    errori: int | None
    avvisi: int | None
    modificata_il: object
    giorni: int  # days to the due date (negative = overdue)

    @property
    def scadenza_label(self) -> str:
        if self.stato == Stato.VALIDATA or self.stato == Stato.INVIATA:
            return "inviata"
        if self.giorni < 0:
            return f"scaduta da {-self.giorni} giorni"
        return f"{self.giorni} giorni"


def overview_rows(comuni: QuerySet, modelli: list[ModelloScheda], today: date | None = None) -> list[OverviewRow]:
    """One row per Comune × template (a missing scheda is a row "Non iniziata"). Two queries."""
    today = today or timezone.localdate()
    comuni = list(comuni.values_list("codice_istat", "nome"))
    schede = Scheda.objects.filter(comune__in=[c[0] for c in comuni], modello__in=modelli).values_list(
        "comune_id", "modello_id", "pk", "stato", "completezza", "n_errori", "n_avvisi", "modificata_il"
    )
    by_key = {(s[0], s[1]): s for s in schede}
    labels = {value: str(label) for value, label in Stato.choices}
    rows = []
    for codice, nome in comuni:
        for modello in modelli:
            s = by_key.get((codice, modello.pk))
            days = (modello.scadenza - today).days
            if s is None:
                rows.append(
                    OverviewRow(
                        codice,
                        nome,
                        modello.codice,
                        modello.pk,
                        None,
                        "non_iniziata",
                        "Non iniziata",
                        None,
                        None,
                        None,
                        None,
                        days,
                    )
                )
            else:
                _c, _m, pk, stato, completezza, errori, avvisi, modificata = s
                rows.append(
                    OverviewRow(
                        codice,
                        nome,
                        modello.codice,
                        modello.pk,
                        pk,
                        stato,
                        labels[stato],
                        float(completezza),
                        errori,
                        avvisi,
                        modificata,
                        days,
                    )
                )
    return rows


@dataclass
class IndicatorTable:
    modello: ModelloScheda
    rows: list[tuple[str, str, int, list[IndicatorValue]]] = field(default_factory=list)  # comune, code, scheda
    totals: list[IndicatorValue] = field(default_factory=list)
    count: int = 0  # schede in the Ambito (rows holds one page of them)

    @property
    def headers(self) -> list[IndicatorValue]:
        return self.totals


def indicator_tables(
    comuni: QuerySet, modelli: list[ModelloScheda], *, offset: int = 0, limit: int | None = None
) -> list[IndicatorTable]:
    """Per template: the Comuni's indicators (rows offset..offset+limit, by name) and the Ambito totals over all
    schede, from sums of numerators and denominators. One query per template."""
    tables = []
    for modello in modelli:
        if not modello.definizione.get("indicatori"):
            continue
        table = IndicatorTable(modello)
        schede = list(
            Scheda.objects.filter(modello=modello, comune__in=comuni.values("pk"))
            .values_list("pk", "indicatori", "comune__nome", "comune_id")
            .order_by("comune__nome")
        )
        table.count = len(schede)
        end = None if limit is None else offset + limit
        for pk, facts, nome, codice in schede[offset:end]:
            table.rows.append((nome, codice, pk, scheda_indicators(modello.definizione, facts)))
        table.totals = ambito_indicators(modello.definizione, [r[1] for r in schede])
        tables.append(table)
    return tables
