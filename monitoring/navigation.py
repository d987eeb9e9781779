"""Breadcrumb trails of the monitoring pages: the quarterly monitoring of a plan (a tab of the plan) and the
schede SOSE (Home › Monitoraggio › <Ambito> › <modello — Comune>, the Ambito only for who sees its overview)."""

from __future__ import annotations

from django.urls import reverse

from accounts.scoping import VIEW, can_on_ambito
from accounts.sections import MONITORAGGIO, section_trail
from core.breadcrumbs import Trail
from planning.navigation import piano_trail


def avanzamento_trail(user, piano) -> Trail:
    """Home › Piano di Zona › <piano> › Monitoraggio trimestrale (progress by area)."""
    return piano_trail(user, piano).then(
        "Monitoraggio trimestrale", reverse("monitoring:avanzamento", args=[piano.slug])
    )


def rilevazioni_trail(user, piano) -> Trail:
    return avanzamento_trail(user, piano).then("Rilevazioni", reverse("monitoring:rilevazione_list", args=[piano.slug]))


def rilevazione_trail(user, rilevazione) -> Trail:
    """Home › Piano di Zona › <piano> › Monitoraggio trimestrale › Rilevazioni › <rilevazione>."""
    return rilevazioni_trail(user, rilevazione.piano).then(
        f"Rilevazione {rilevazione.codice}", rilevazione.get_absolute_url()
    )


# Monitoraggio (schede SOSE)


def schede_ambito_trail(user, ambito) -> Trail:
    """Home › Monitoraggio › <Ambito> (the schede overview of the Ambito)."""
    return section_trail(user, MONITORAGGIO).then(ambito.nome, reverse("monitoring:overview", args=[ambito.slug]))


def scheda_trail(user, scheda) -> Trail:
    """Home › Monitoraggio › <Ambito> › <modello — Comune>; the Ambito only for who sees its overview."""
    ambito = scheda.comune.ambito
    if ambito is not None and can_on_ambito(user, VIEW, ambito):
        trail = schede_ambito_trail(user, ambito)
    else:
        trail = section_trail(user, MONITORAGGIO)
    return trail.then(f"{scheda.modello.codice} — {scheda.comune.nome}", scheda.get_absolute_url())
