"""Navigation shared by every page: the main menu and the breadcrumb trail.

Menu: `menu(request)` (exposed to templates as `nav_menu` by core.context_processors.portal) lists the sections
the user can use, decided from the assignments by accounts.scoping (`reads_ambiti`, `reads_comuni`), and marks
as active the section of the current URL, read from SECTION_OF_VIEW: one table keyed by URL name.

Breadcrumbs: a view puts a `Trail` (Home › … › current page) in its context as `breadcrumbs`; base.html renders
it with templates/core/_breadcrumbs.html. The trails of each part of the portal are built here, following the
real hierarchy (e.g. Home › Piano di Zona › <piano> › Interventi › <scheda> › Modifica), and link only pages the
user can use: the Operatore comunale, who has no Territorio, reads «Home › Magenta» on the page of its Comune.
Pages without a view of their own (errors, the login-related pages, the report progress page) use the tag
`{% page_trail "Titolo" as breadcrumbs %}` (core/templatetags/navigation.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.urls import reverse

from accounts.scoping import VIEW, can_on_ambito, reads_ambiti, reads_comuni

# --- Sections of the main menu ------------------------------------------------------------------------------

HOME = "home"
TERRITORIO = "territorio"
PIANI = "piani"
PERFORMANCE = "performance"
MONITORAGGIO = "monitoraggio"
REPORT = "report"
ADMIN = "admin"


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str

    def usable_by(self, user) -> bool:
        """Whether the section has something for `user` (otherwise it is neither in the menu nor linked)."""
        if not user.is_authenticated:
            return False
        if self.key == HOME:
            return True
        if self.key == ADMIN:
            return user.is_staff
        if self.key == MONITORAGGIO:
            return reads_ambiti(user) or reads_comuni(user)
        return reads_ambiti(user)  # Territorio, Piano di Zona, Performance, Report: pages of an Ambito

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS = {
    s.key: s
    for s in (
        Section(HOME, "Home", "core:home"),
        Section(TERRITORIO, "Territorio", "planning:ambito_list"),
        Section(PIANI, "Piano di Zona", "planning:piano_index"),
        Section(PERFORMANCE, "Performance", "planning:performance_list"),
        Section(MONITORAGGIO, "Monitoraggio", "monitoring:index"),
        Section(REPORT, "Report", "reports:index"),
        Section(ADMIN, "Amministrazione", "admin:index"),
    )
}

# The section of every named URL (None: no entry of the menu is active, e.g. the legal pages of the footer).
# tests/test_navigation.py checks that every URL of the portal is listed here.
_VIEWS_OF_SECTION: dict[str | None, tuple[str, ...]] = {
    HOME: ("core:home",),
    None: (
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "core:privacy",
        "core:note_legali",
        "core:accessibilita",
        "core:healthz",
        "reports:job_status",
    ),
    TERRITORIO: (
        "planning:ambito_list",
        "planning:ambito_detail",
        "planning:popolazione_import",
        "planning:comune_detail",
        "planning:contesto",
        "planning:spesa_list",
        "planning:spesa_create",
        "planning:spesa_update",
        "planning:valore_stampato_list",
        "planning:valore_stampato_create",
        "planning:valore_stampato_update",
        "planning:tabella_spesa",
    ),
    PIANI: (
        "planning:piano_index",
        "planning:piano_create",
        "planning:cataloghi",
        "planning:markdown_anteprima",
        "planning:piano_detail",
        "planning:piano_update",
        "planning:piano_stato",
        "planning:variazione_apri",
        "planning:variazione_chiudi",
        "planning:capitolo_create",
        "planning:capitolo_detail",
        "planning:capitolo_update",
        "planning:area_create",
        "planning:area_update",
        "planning:obiettivo_create",
        "planning:obiettivo_update",
        "planning:intervento_list",
        "planning:intervento_create",
        "planning:intervento_detail",
        "planning:intervento_update",
        "planning:indicatore_target",
        "planning:azione_list",
        "planning:risorsa_list",
        "planning:piano_progetti",
        "planning:piano_pnrr",
        "planning:piano_gestione",
        "planning:piano_governance",
        "planning:valutazione",
        "planning:valutazione_impostazioni",
        "planning:scheda_valutazione_create",
        "planning:scheda_valutazione",
        "planning:scheda_valutazione_update",
        "planning:scheda_valutazione_riproponi",
        "planning:continuita",
        "planning:continuita_riprendi",
        # The quarterly monitoring is a tab of the plan.
        "monitoring:rilevazione_list",
        "monitoring:rilevazione_create",
        "monitoring:avanzamento",
        "monitoring:rilevazione_detail",
        "monitoring:rilevazione_indicatori",
        "monitoring:rilevazione_compila",
        "monitoring:rilevazione_chiudi",
        "reports:piano_pdf",
        "reports:piano_xlsx",
    ),
    PERFORMANCE: (
        "planning:performance_list",
        "planning:performance_detail",
        "planning:obiettivo_strategico_create",
        "planning:obiettivo_strategico_update",
        "planning:obiettivo_operativo",
        "planning:obiettivo_operativo_create",
        "planning:obiettivo_operativo_update",
        "planning:obiettivo_operativo_report",
        "reports:performance_pdf",
        "reports:performance_xlsx",
    ),
    MONITORAGGIO: (
        "monitoring:index",
        "monitoring:scheda_create",
        "monitoring:overview",
        "monitoring:scheda_detail",
        "monitoring:quadro",
        "monitoring:compute",
        "monitoring:transition",
        "monitoring:scheda_invio",
        "monitoring:justify",
        "monitoring:storico",
        "monitoring:xlsx",
        "monitoring:xlsx_upload",
        "monitoring:pdf",
    ),
    REPORT: ("reports:index", "reports:dashboard", "reports:monitoring_pdf"),
}
SECTION_OF_VIEW: dict[str, str | None] = {
    view: section for section, views in _VIEWS_OF_SECTION.items() for view in views
}


def section_of(request) -> str | None:
    """The menu section of the current page, from its URL name (the admin is one section)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.namespace == "admin" or match.namespace.startswith("admin:"):
        return ADMIN
    return SECTION_OF_VIEW.get(match.view_name)


class MenuEntry(NamedTuple):
    key: str
    label: str
    url: str
    active: bool


def menu(request) -> list[MenuEntry]:
    """The entries of the main menu for the user of `request`, the current section marked active."""
    user = request.user
    current = section_of(request)
    return [MenuEntry(s.key, s.label, s.url, s.key == current) for s in SECTIONS.values() if s.usable_by(user)]


# --- Breadcrumbs --------------------------------------------------------------------------------------------


class Crumb(NamedTuple):
    label: str
    url: str = ""


class Trail(tuple):
    """Home › … › current page: a tuple of Crumb; the last one is the current page (rendered without link)."""

    def then(self, label, url: str = "") -> Trail:
        return Trail((*self, Crumb(str(label), url)))


def home_trail() -> Trail:
    return Trail((Crumb(SECTIONS[HOME].label, reverse("core:home")),))


def section_trail(user, key: str | None) -> Trail:
    """Home › <section>, the section left out when `user` cannot use it."""
    trail = home_trail()
    section = SECTIONS.get(key) if key else None
    if section is not None and key != HOME and section.usable_by(user):
        trail = trail.then(section.label, section.url)
    return trail


def section_page_trail(key: str) -> Trail:
    """Home › <section>: the trail of the section's own page (e.g. the list of the Piani di Zona)."""
    section = SECTIONS[key]
    return home_trail().then(section.label, section.url)


def page_trail(request, label) -> Trail:
    """Home › <section of the current URL> › label: for pages that are a leaf of their section."""
    user = getattr(request, "user", None)
    key = section_of(request) if user is not None else None
    return (section_trail(user, key) if key else home_trail()).then(label)


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


def capitolo_trail(user, capitolo) -> Trail:
    return piano_trail(user, capitolo.piano).then(capitolo.titolo, capitolo.get_absolute_url())


def valutazione_trail(user, piano) -> Trail:
    """Home › Piano di Zona › <piano> › Valutazione precedente."""
    return piano_trail(user, piano).then("Valutazione precedente", reverse("planning:valutazione", args=[piano.slug]))


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


# Performance


def performance_trail(user, piano) -> Trail:
    """Home › Performance › <piano della performance>."""
    return section_trail(user, PERFORMANCE).then(piano.titolo, piano.get_absolute_url())


def operativo_trail(user, obiettivo) -> Trail:
    """Home › Performance › <piano> › Obiettivo operativo <codice>."""
    return performance_trail(user, obiettivo.strategico.piano).then(
        f"Obiettivo operativo {obiettivo.codice}", obiettivo.get_absolute_url()
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


# Report


def dashboard_trail(user, ambito) -> Trail:
    """Home › Report › <Ambito> (its dashboard)."""
    return section_trail(user, REPORT).then(ambito.nome, reverse("reports:dashboard", args=[ambito.slug]))
