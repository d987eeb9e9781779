"""The budget deadlines (issue 14, point 5): each allocation's spending and reporting deadlines, as the calendars
show them (the campaign calendar of an Ambito, monitoring:calendario, and the plan's own .ics,
planning:bilancio_ics). A read API: one query whatever the number of allocations."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts.scoping import scope

from ..models import Assegnazione, PianoDiZona


@dataclass(frozen=True)
class ScadenzaFondo:
    """One deadline of an allocation: `tipo` is «spesa» or «rendicontazione»."""

    data: datetime.date
    tipo: str
    assegnazione: Assegnazione
    oggi: datetime.date

    @property
    def nome(self) -> str:
        a = self.assegnazione
        what = "Termine per la spesa" if self.tipo == "spesa" else "Termine di rendicontazione"
        return f"{what}: {a.fondo.codice} {a.anno}"

    @property
    def scadenza(self) -> ScadenzaFondo:
        """The item itself: the campaign calendar reads `item.scadenza.data` and `item.scadenza.nome`."""
        return self

    @property
    def piano(self) -> PianoDiZona:
        return self.assegnazione.piano

    @property
    def uid(self) -> str:
        return f"assegnazione-{self.assegnazione.pk}-{self.tipo}@portale-ambiti"

    @property
    def url(self) -> str:
        return reverse("planning:rendiconti", args=[self.piano.slug])

    @property
    def giorni(self) -> int:
        return (self.data - self.oggi).days

    @property
    def passata(self) -> bool:
        return self.giorni < 0


def scadenze_assegnazioni(
    assegnazioni: Iterable[Assegnazione], oggi: datetime.date | None = None
) -> list[ScadenzaFondo]:
    oggi = oggi or timezone.localdate()
    items = []
    for a in assegnazioni:
        if a.scadenza_spesa:
            items.append(ScadenzaFondo(a.scadenza_spesa, "spesa", a, oggi))
        if a.scadenza_rendicontazione:
            items.append(ScadenzaFondo(a.scadenza_rendicontazione, "rendicontazione", a, oggi))
    return sorted(items, key=lambda s: (s.data, s.assegnazione.piano.titolo, s.nome))


def scadenze_piano(piano: PianoDiZona, oggi: datetime.date | None = None) -> list[ScadenzaFondo]:
    """Every budget deadline of one plan, by date."""
    return scadenze_assegnazioni(
        Assegnazione.objects.filter(piano=piano).select_related("fondo", "piano__ambito"), oggi
    )


def scadenze_ambito(ambito_ids: Iterable[int], user, oggi: datetime.date | None = None) -> list[ScadenzaFondo]:
    """Every budget deadline of the plans of these Ambiti that `user` may read (none for who cannot), by date."""
    piani = scope(PianoDiZona.objects.filter(ambito_id__in=list(ambito_ids)), user)
    assegnazioni = Assegnazione.objects.filter(piano__in=piani).select_related("fondo", "piano__ambito")
    return scadenze_assegnazioni(assegnazioni, oggi)
