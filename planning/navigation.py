"""Breadcrumb trails of the planning pages, following the real hierarchy (Home › Territorio › Ambito › Comune;
Home › Piano di Zona › <piano> › Interventi › <scheda>; Home › Performance › <piano> › <obiettivo>). They link only
pages the user can use: the Operatore comunale, who has no Territorio, reads «Home › Magenta» on its Comune."""

from __future__ import annotations

from django.urls import reverse

from accounts.scoping import VIEW, can_on_ambito
from accounts.sections import PERFORMANCE, PIANI, TERRITORIO, section_trail
from core.breadcrumbs import Trail

# Territorio


def ambito_trail(user, ambito) -> Trail:
    """Home › Territorio › [Ambito padre] › Ambito."""
    trail = section_trail(user, TERRITORIO)
    if ambito.parent_id and can_on_ambito(user, VIEW, ambito.parent):
        trail = trail.then(ambito.parent.nome, ambito.parent.get_absolute_url())
    return trail.then(ambito.nome, ambito.get_absolute_url())


def comune_trail(user, comune) -> Trail:
    """Home › Territorio › Ambito › Comune; Home › Comune for the Operatore (it has no Territorio)."""
    if comune.ambito_id and can_on_ambito(user, VIEW, comune.ambito):
        trail = ambito_trail(user, comune.ambito)
    else:
        trail = section_trail(user, TERRITORIO)
    return trail.then(comune.nome, comune.get_absolute_url())


def contesto_trail(user, ambito) -> Trail:
    """Home › Territorio › Ambito › Spesa sociale."""
    return ambito_trail(user, ambito).then("Spesa sociale", reverse("planning:contesto", args=[ambito.slug]))


# Piano di Zona


def piano_trail(user, piano) -> Trail:
    """Home › Piano di Zona › <piano>."""
    return section_trail(user, PIANI).then(piano.titolo, piano.get_absolute_url())


def interventi_trail(user, piano) -> Trail:
    """Home › Piano di Zona › <piano> › Interventi."""
    return piano_trail(user, piano).then("Interventi", reverse("planning:intervento_list", args=[piano.slug]))


def intervento_trail(user, intervento) -> Trail:
    """Home › Piano di Zona › <piano> › Interventi › <scheda dell'intervento>."""
    return interventi_trail(user, intervento.piano).then(str(intervento), intervento.get_absolute_url())


def bilancio_trail(user, piano) -> Trail:
    """Home › Piano di Zona › <piano> › Bilancio."""
    return piano_trail(user, piano).then("Bilancio", reverse("planning:bilancio", args=[piano.slug]))


def quote_trail(user, piano) -> Trail:
    """Home › Piano di Zona › <piano> › Quote dei Comuni."""
    return piano_trail(user, piano).then("Quote dei Comuni", reverse("planning:quote_comuni", args=[piano.slug]))


def capitolo_trail(user, capitolo) -> Trail:
    return piano_trail(user, capitolo.piano).then(capitolo.titolo, capitolo.get_absolute_url())


def valutazione_trail(user, piano) -> Trail:
    """Home › Piano di Zona › <piano> › Valutazione precedente."""
    return piano_trail(user, piano).then("Valutazione precedente", reverse("planning:valutazione", args=[piano.slug]))


# Performance


def performance_trail(user, piano) -> Trail:
    """Home › Performance › <piano della performance>."""
    return section_trail(user, PERFORMANCE).then(piano.titolo, piano.get_absolute_url())


def operativo_trail(user, obiettivo) -> Trail:
    """Home › Performance › <piano> › Obiettivo operativo <codice>."""
    return performance_trail(user, obiettivo.strategico.piano).then(
        f"Obiettivo operativo {obiettivo.codice}", obiettivo.get_absolute_url()
    )
