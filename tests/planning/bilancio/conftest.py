"""Fixtures of the budget pages' tests: allocations and lines built with the services (planning.bilancio.services),
on the Magentino's plan 2025-2027 of the demo (the demo budget is not assumed)."""

import datetime
from decimal import Decimal

import pytest

from planning.bilancio import services
from planning.models import Assegnazione, Fondo, Intervento, Movimento, QuotaComune, RegolaQuote, RigaBilancio


def assegna(piano, codice="FNPS", anno=2025, importo="100000.00", **extra) -> Assegnazione:
    """A fund's allocation to the plan, saved by the service."""
    return services.assegnazione_save(
        assegnazione=Assegnazione(
            piano=piano, fondo=Fondo.objects.get(codice=codice), anno=anno, importo=Decimal(importo), **extra
        )
    )


def riga(piano, assegnazione, intervento, importo="1000.00", anno=2025) -> RigaBilancio:
    return services.riga_save(
        riga=RigaBilancio(
            piano=piano, assegnazione=assegnazione, intervento=intervento, anno=anno, importo=Decimal(importo)
        )
    )


def movimento(riga, tipo, natura, data, atto, importo) -> Movimento:
    """A commitment or payment (or their reduction: natura "disimpegno", negative amount) on a line, by the service."""
    return services.movimento_add(riga=riga, tipo=tipo, natura=natura, data=data, atto=atto, importo=Decimal(importo))


def righe(piano, assegnazione, n: int) -> list[RigaBilancio]:
    """`n` lines of 1.000,00 € on `n` interventions × the plan's years."""
    interventi = list(Intervento.objects.filter(piano=piano).order_by("pk"))
    out = []
    for i in range(n):
        out.append(riga(piano, assegnazione, interventi[i % len(interventi)], anno=2025 + i // len(interventi)))
    return out


@pytest.fixture
def fnps(piano):
    return assegna(piano, "FNPS", 2025, "100000.00", atto="DGR XII/1234", scadenza_spesa=datetime.date(2026, 12, 31))


@pytest.fixture
def intervento(piano):
    return Intervento.objects.filter(piano=piano).order_by("pk").first()


@pytest.fixture
def riga_fnps(piano, fnps, intervento):
    return riga(piano, fnps, intervento, "30000.00")


def remove_demo_budget(piano) -> None:
    """The plan without the demo budget of planning/bilancio/demo.py (tests that build their own figures)."""
    Movimento.objects.filter(riga__piano=piano).delete()
    RigaBilancio.objects.filter(piano=piano).delete()
    Assegnazione.objects.filter(piano=piano).delete()
    QuotaComune.objects.filter(piano=piano).delete()
    RegolaQuote.objects.filter(piano=piano).delete()


@pytest.fixture
def without_demo_budget(piano):
    remove_demo_budget(piano)
