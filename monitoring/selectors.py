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
    comuni = list(comuni.only("codice_istat", "nome"))
    schede = Scheda.objects.filter(comune__in=[c.pk for c in comuni], modello__in=modelli).only(
        "pk", "comune_id", "modello_id", "stato", "completezza", "n_errori", "n_avvisi", "modificata_il"
    )
    by_key = {(s.comune_id, s.modello_id): s for s in schede}
    labels = dict(Stato.choices)
    rows = []
    for comune in comuni:
        for modello in modelli:
            s = by_key.get((comune.pk, modello.pk))
            rows.append(
                OverviewRow(
                    comune.pk,
                    comune.nome,
                    modello.codice,
                    modello.pk,
                    s.pk if s else None,
                    s.stato if s else "non_iniziata",
                    labels[s.stato] if s else "Non iniziata",
                    float(s.completezza) if s else None,
                    s.n_errori if s else None,
                    s.n_avvisi if s else None,
                    s.modificata_il if s else None,
                    (modello.scadenza - today).days,
                )
            )
    return rows


@dataclass
class IndicatorTable:
    modello: ModelloScheda
    rows: list[tuple[str, str, int, list[IndicatorValue]]] = field(default_factory=list)  # comune, code, scheda
    totals: list[IndicatorValue] = field(default_factory=list)
    headers: list[IndicatorValue] = field(default_factory=list)


def indicator_tables(comuni: QuerySet, modelli: list[ModelloScheda]) -> list[IndicatorTable]:
    """Per template: each Comune's indicators and the Ambito totals from sums (one query per template)."""
    tables = []
    codes = list(comuni.values_list("pk", flat=True))
    for modello in modelli:
        if not modello.definizione.get("indicatori"):
            continue
        table = IndicatorTable(modello)
        values = []
        for s in (
            Scheda.objects.filter(modello=modello, comune__in=codes)
            .select_related("comune")
            .only("pk", "risultati", "comune__nome", "comune__codice_istat")
            .order_by("comune__nome")
        ):
            table.rows.append((s.comune.nome, s.comune.pk, s.pk, scheda_indicators(modello.definizione, s.risultati)))
            values.append(s.risultati)
        table.totals = ambito_indicators(modello.definizione, values)
        table.headers = table.totals
        tables.append(table)
    return tables
