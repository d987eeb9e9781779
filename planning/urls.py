"""URLs of the territory pages and of the Piano di Zona.

Every route takes at most one keyword argument, named after what it carries: `slug` for an Ambito or a plan
(e.g. `magentino-2025-2027`), `pk` for the numeric id of any other object, `codice_istat` for a Comune. The routes
of one object are written under its prefix (core.routes.prefixed).
"""

from django.urls import path

from core.routes import prefixed

from . import views
from .bilancio import urls as bilancio_files
from .bilancio import views as bil
from .bilancio.importi import QuoteImportiView
from .contesto import views as ctx
from .performance import views as perf
from .piano.views import interventions, lists, plans, registries, sections, structure
from .piano.views.registries import VIEWS as REGISTRI
from .valutazione import views as val

app_name = "planning"

urlpatterns = [
    path("", views.AmbitoListView.as_view(), name="ambito_list"),
    path("comuni/<str:codice_istat>/", views.ComuneDetailView.as_view(), name="comune_detail"),
    *prefixed(
        "ambiti/<slug:slug>/",
        [
            ("", views.AmbitoDetailView.as_view(), "ambito_detail"),
            ("importa-popolazione/", views.PopolazioneImportView.as_view(), "popolazione_import"),
            # Context facts: social spending and printed figures
            ("spesa-sociale/", ctx.ContestoView.as_view(), "contesto"),
            ("spesa-sociale/dati/", ctx.SpesaListView.as_view(), "spesa_list"),
            ("spesa-sociale/nuovo-dato/", ctx.SpesaCreateView.as_view(), "spesa_create"),
            ("spesa-sociale/valori-stampati/", ctx.ValoreStampatoListView.as_view(), "valore_stampato_list"),
            ("spesa-sociale/valori-stampati/nuovo/", ctx.ValoreStampatoCreateView.as_view(), "valore_stampato_create"),
        ],
    ),
    path("tabelle-spesa/<int:pk>/", ctx.TabellaSpesaDetailView.as_view(), name="tabella_spesa"),
    path("spesa-sociale/<int:pk>/modifica/", ctx.SpesaUpdateView.as_view(), name="spesa_update"),
    path("valori-stampati/<int:pk>/modifica/", ctx.ValoreStampatoUpdateView.as_view(), name="valore_stampato_update"),
    # Piano di Zona
    *prefixed(
        "piani-di-zona/",
        [
            ("", plans.PianoListView.as_view(), "piano_index"),
            ("nuovo/", plans.PianoCreateView.as_view(), "piano_create"),
            ("cataloghi/", sections.CataloghiView.as_view(), "cataloghi"),
            ("anteprima-markdown/", structure.MarkdownAnteprimaView.as_view(), "markdown_anteprima"),
        ],
    ),
    *prefixed(
        "piani-di-zona/<slug:slug>/",
        [
            ("", plans.PianoDetailView.as_view(), "piano_detail"),
            ("modifica/", plans.PianoUpdateView.as_view(), "piano_update"),
            ("stato/", plans.PianoStatoView.as_view(), "piano_stato"),
            ("variazioni/apri/", plans.VariazioneApriView.as_view(), "variazione_apri"),
            ("variazioni/chiudi/", plans.VariazioneChiudiView.as_view(), "variazione_chiudi"),
            ("capitoli/nuovo/", structure.CapitoloCreateView.as_view(), "capitolo_create"),
            ("aree/nuova/", structure.AreaCreateView.as_view(), "area_create"),
            ("obiettivi/nuovo/", structure.ObiettivoCreateView.as_view(), "obiettivo_create"),
            ("interventi/", lists.InterventoListView.as_view(), "intervento_list"),
            ("interventi/nuovo/", interventions.InterventoCreateView.as_view(), "intervento_create"),
            ("azioni/", lists.AzioneListView.as_view(), "azione_list"),
            ("risorse/", lists.RisorsaListView.as_view(), "risorsa_list"),
            # The plan's registries: list pages (filters, exports) and their new rows
            ("progetti/", registries.ProgettoListView.as_view(), "piano_progetti"),
            ("progetti/nuovo/", REGISTRI["progetto"]["create"], "progetto_create"),
            ("pnrr/", registries.LineaPNRRListView.as_view(), "piano_pnrr"),
            ("pnrr/nuova-linea/", REGISTRI["linea_pnrr"]["create"], "linea_pnrr_create"),
            ("gestione-associata/", registries.ServizioAssociatoListView.as_view(), "piano_gestione"),
            ("gestione-associata/nuovo/", REGISTRI["servizio_associato"]["create"], "servizio_associato_create"),
            ("governance/", registries.OrganismoGovernanceListView.as_view(), "piano_governance"),
            ("governance/nuovo/", REGISTRI["organismo_governance"]["create"], "organismo_governance_create"),
            # Evaluation of the previous plan and carry forward
            ("valutazione/", val.ValutazioneView.as_view(), "valutazione"),
            ("valutazione/impostazioni/", val.ValutazioneImpostazioniView.as_view(), "valutazione_impostazioni"),
            ("valutazione/nuova-scheda/", val.SchedaValutazioneCreateView.as_view(), "scheda_valutazione_create"),
            ("continuita/", val.ContinuitaView.as_view(), "continuita"),
            ("continuita/riprendi/", val.ContinuitaRiprendiView.as_view(), "continuita_riprendi"),
            # The plan's budget: allocations, lines, the Comuni's shares, the quotas at risk
            ("bilancio/", bil.BilancioView.as_view(), "bilancio"),
            ("bilancio/quote-a-rischio/", bil.BilancioRischioView.as_view(), "bilancio_rischio"),
            ("bilancio/assegnazioni/nuova/", bil.AssegnazioneCreateView.as_view(), "assegnazione_create"),
            ("bilancio/righe/nuova/", bil.RigaBilancioCreateView.as_view(), "riga_bilancio_create"),
            ("quote-comuni/", bil.QuoteComuniView.as_view(), "quote_comuni"),
            ("quote-comuni/importi/", QuoteImportiView.as_view(), "quote_importi"),
            ("quote-comuni/<str:codice_istat>/", bil.QuotaComuneView.as_view(), "quota_comune"),
        ],
    ),
    path("assegnazioni/<int:pk>/modifica/", bil.AssegnazioneUpdateView.as_view(), name="assegnazione_update"),
    *prefixed(
        "righe-bilancio/<int:pk>/",
        [
            ("", bil.RigaBilancioDetailView.as_view(), "riga_bilancio"),
            ("modifica/", bil.RigaBilancioUpdateView.as_view(), "riga_bilancio_update"),
            ("elimina/", bil.RigaBilancioDeleteView.as_view(), "riga_bilancio_delete"),
        ],
    ),
    path("capitoli/<int:pk>/", structure.CapitoloDetailView.as_view(), name="capitolo_detail"),
    path("capitoli/<int:pk>/modifica/", structure.CapitoloUpdateView.as_view(), name="capitolo_update"),
    path("aree/<int:pk>/modifica/", structure.AreaUpdateView.as_view(), name="area_update"),
    path("obiettivi/<int:pk>/modifica/", structure.ObiettivoUpdateView.as_view(), name="obiettivo_update"),
    path("interventi/<int:pk>/", interventions.InterventoDetailView.as_view(), name="intervento_detail"),
    path("interventi/<int:pk>/modifica/", interventions.InterventoUpdateView.as_view(), name="intervento_update"),
    *(
        path(f"{prefix}/<int:pk>/{suffix}/", REGISTRI[name][action], name=f"{name}_{action}")
        for name, prefix in (
            ("progetto", "progetti-rete"),
            ("linea_pnrr", "linee-pnrr"),
            ("servizio_associato", "servizi-associati"),
            ("organismo_governance", "organismi-governance"),
        )
        for action, suffix in (("update", "modifica"), ("delete", "elimina"))
    ),
    path("indicatori/<int:pk>/target/", interventions.TargetIndicatoreView.as_view(), name="indicatore_target"),
    *prefixed(
        "valutazioni/<int:pk>/",
        [
            ("", val.SchedaValutazioneDetailView.as_view(), "scheda_valutazione"),
            ("modifica/", val.SchedaValutazioneUpdateView.as_view(), "scheda_valutazione_update"),
            ("riproponi/", val.SchedaRiproponiView.as_view(), "scheda_valutazione_riproponi"),
        ],
    ),
    # Performance plan
    *prefixed(
        "piani-performance/",
        [
            ("", perf.PianoPerformanceListView.as_view(), "performance_list"),
            ("<slug:slug>/", perf.PianoPerformanceDetailView.as_view(), "performance_detail"),
            (
                "<slug:slug>/obiettivi-strategici/nuovo/",
                perf.StrategicoCreateView.as_view(),
                "obiettivo_strategico_create",
            ),
            (
                "<slug:slug>/obiettivi-operativi/nuovo/",
                perf.OperativoCreateView.as_view(),
                "obiettivo_operativo_create",
            ),
        ],
    ),
    path(
        "obiettivi-strategici/<int:pk>/modifica/",
        perf.StrategicoUpdateView.as_view(),
        name="obiettivo_strategico_update",
    ),
    *prefixed(
        "obiettivi-operativi/<int:pk>/",
        [
            ("", perf.OperativoDetailView.as_view(), "obiettivo_operativo"),
            ("modifica/", perf.OperativoUpdateView.as_view(), "obiettivo_operativo_update"),
            ("report/", perf.ReportDirigenteView.as_view(), "obiettivo_operativo_report"),
        ],
    ),
    *bilancio_files.urlpatterns_bilancio_files,
]
