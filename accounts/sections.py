"""The sections of the portal (the entries of the main menu) and who may use them, decided from the user's
assignments (accounts.scoping: `reads_ambiti`, `reads_comuni`); the section of every named URL (one table keyed by
URL name: tests/portal/test_navigation.py checks that every URL is listed); and the trails that start every breadcrumb
(Home › <section> › …), leaving out a section the user cannot use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from core.breadcrumbs import Crumb, Trail

from .scoping import reads_ambiti, reads_comuni, reads_regioni

# --- Sections of the main menu ------------------------------------------------------------------------------

HOME = "home"
TERRITORIO = "territorio"
PIANI = "piani"
PERFORMANCE = "performance"
MONITORAGGIO = "monitoraggio"
REGIONE = "regione"
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
        if self.key == REGIONE:
            return reads_regioni(user)  # the regional page: role Regione and the Amministratore
        return reads_ambiti(user)  # Territorio, Piano di Zona, Performance, Report: pages of an Ambito

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS = {
    s.key: s
    for s in (
        Section(HOME, "Home", "portal:home"),
        Section(TERRITORIO, "Territorio", "planning:ambito_list"),
        Section(PIANI, "Piano di Zona", "planning:piano_index"),
        Section(PERFORMANCE, "Performance", "planning:performance_list"),
        Section(MONITORAGGIO, "Monitoraggio", "monitoring:index"),
        Section(REPORT, "Report", "reports:index"),
        Section(REGIONE, "Regione", "monitoring:regione"),
        Section(ADMIN, "Amministrazione", "admin:index"),
    )
}

# The section of every named URL (None: no entry of the menu is active, e.g. the legal pages of the footer).
# tests/portal/test_navigation.py checks that every URL of the portal is listed here.
_VIEWS_OF_SECTION: dict[str | None, tuple[str, ...]] = {
    HOME: ("portal:home",),
    None: (
        "login",
        "oidc_login",
        "oidc_callback",
        "logout",
        "password_change",
        "password_change_done",
        "portal:privacy",
        "portal:note_legali",
        "portal:accessibilita",
        "portal:healthz",
        "jobs:list",
        "jobs:detail",
        "jobs:status",
        "jobs:download",
        "jobs:retry",
        "monitoring:promemoria",
        "api:token_list",
        "api:token_revoke",
        # The REST API (/api/v1/): JSON for programs, and ninja's documentation page, outside the menu.
        *(
            f"api_v1:{name}"
            for name in (
                "api-root",
                "openapi-json",
                "openapi-view",
                "ambiti",
                "ambito",
                "comuni",
                "comune",
                "popolazione",
                "modelli",
                "schede",
                "scheda",
                "scrivi",
                "modifica",
                "piani",
                "piano",
                "aree",
                "obiettivi",
                "interventi",
                "intervento",
                "azioni",
                "indicatori",
                "risorse",
                "campagne",
                "campagna",
            )
        ),
        # Open data: public pages (no login), outside the menu; linked from the footer.
        "opendata:index",
        "opendata:catalogo",
        "opendata:ambito",
        "opendata:catalogo_ambito",
        "opendata:dataset_csv",
        "opendata:dataset_json",
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
        "opendata:impostazioni",  # what the Ambito publishes as open data (Ufficio di Piano)
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
        "planning:progetto_create",
        "planning:progetto_update",
        "planning:progetto_delete",
        "planning:linea_pnrr_create",
        "planning:linea_pnrr_update",
        "planning:linea_pnrr_delete",
        "planning:servizio_associato_create",
        "planning:servizio_associato_update",
        "planning:servizio_associato_delete",
        "planning:organismo_governance_create",
        "planning:organismo_governance_update",
        "planning:organismo_governance_delete",
        "planning:valutazione",
        "planning:bilancio",
        "planning:bilancio_rischio",
        "planning:movimenti_import",
        "planning:rendiconti",
        "planning:rendiconto_fondo",
        "planning:bilancio_ics",
        "planning:assegnazione_create",
        "planning:assegnazione_update",
        "planning:riga_bilancio_create",
        "planning:riga_bilancio",
        "planning:riga_bilancio_update",
        "planning:riga_bilancio_delete",
        "planning:quote_comuni",
        "planning:quote_importi",
        "planning:quota_comune",
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
        "monitoring:rilevazione_risorse",
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
        "monitoring:recompute_all",
        "monitoring:outliers",
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
        "monitoring:campagne",
        "monitoring:campagna_open",
        "monitoring:calendario",
        "monitoring:campagna_detail",
        "monitoring:campagna_transition",
        "monitoring:campagna_settings",
        "monitoring:scadenza_save",
        "monitoring:scadenza_delete",
        "monitoring:comparison",
        "monitoring:schede_import",
        "monitoring:campagna_comuni_export",
    ),
    REGIONE: ("monitoring:regione", "monitoring:regione_confronto"),
    REPORT: (
        "reports:index",
        "reports:dashboard",
        "reports:monitoring_pdf",
        "reports:comparison_pdf",
        "reports:regione_comparison_pdf",
    ),
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


# --- The start of every trail --------------------------------------------------------------------------------


def home_trail() -> Trail:
    return Trail((Crumb(SECTIONS[HOME].label, reverse("portal:home")),))


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
