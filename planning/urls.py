"""URLs of the territory pages and of the Piano di Zona.

Every route takes at most one keyword argument, named after what it carries: `slug` for an Ambito or a plan
(e.g. `magentino-2025-2027`), `pk` for the numeric id of any other object, `codice_istat` for a Comune.
"""

from django.urls import path

from . import views
from .contesto import views as ctx
from .performance import views as perf
from .piano.views import interventions, lists, plans, sections, structure
from .valutazione import views as val

app_name = "planning"

urlpatterns = [
    path("", views.AmbitoListView.as_view(), name="ambito_list"),
    path("ambiti/<slug:slug>/", views.AmbitoDetailView.as_view(), name="ambito_detail"),
    path(
        "ambiti/<slug:slug>/importa-popolazione/",
        views.PopolazioneImportView.as_view(),
        name="popolazione_import",
    ),
    path("comuni/<str:codice_istat>/", views.ComuneDetailView.as_view(), name="comune_detail"),
    # Piano di Zona
    path("piani-di-zona/", plans.PianoListView.as_view(), name="piano_index"),
    path("piani-di-zona/nuovo/", plans.PianoCreateView.as_view(), name="piano_create"),
    path("piani-di-zona/cataloghi/", sections.CataloghiView.as_view(), name="cataloghi"),
    path("piani-di-zona/anteprima-markdown/", structure.MarkdownAnteprimaView.as_view(), name="markdown_anteprima"),
    path("piani-di-zona/<slug:slug>/", plans.PianoDetailView.as_view(), name="piano_detail"),
    path("piani-di-zona/<slug:slug>/modifica/", plans.PianoUpdateView.as_view(), name="piano_update"),
    path("piani-di-zona/<slug:slug>/stato/", plans.PianoStatoView.as_view(), name="piano_stato"),
    path("piani-di-zona/<slug:slug>/variazioni/apri/", plans.VariazioneApriView.as_view(), name="variazione_apri"),
    path(
        "piani-di-zona/<slug:slug>/variazioni/chiudi/", plans.VariazioneChiudiView.as_view(), name="variazione_chiudi"
    ),
    path("piani-di-zona/<slug:slug>/capitoli/nuovo/", structure.CapitoloCreateView.as_view(), name="capitolo_create"),
    path("piani-di-zona/<slug:slug>/aree/nuova/", structure.AreaCreateView.as_view(), name="area_create"),
    path(
        "piani-di-zona/<slug:slug>/obiettivi/nuovo/", structure.ObiettivoCreateView.as_view(), name="obiettivo_create"
    ),
    path("piani-di-zona/<slug:slug>/interventi/", lists.InterventoListView.as_view(), name="intervento_list"),
    path(
        "piani-di-zona/<slug:slug>/interventi/nuovo/",
        interventions.InterventoCreateView.as_view(),
        name="intervento_create",
    ),
    path("piani-di-zona/<slug:slug>/azioni/", lists.AzioneListView.as_view(), name="azione_list"),
    path("piani-di-zona/<slug:slug>/risorse/", lists.RisorsaListView.as_view(), name="risorsa_list"),
    path(
        "piani-di-zona/<slug:slug>/progetti/",
        sections.PianoSezioneView.as_view(sezione="progetti"),
        name="piano_progetti",
    ),
    path("piani-di-zona/<slug:slug>/pnrr/", sections.PianoSezioneView.as_view(sezione="pnrr"), name="piano_pnrr"),
    path(
        "piani-di-zona/<slug:slug>/gestione-associata/",
        sections.PianoSezioneView.as_view(sezione="gestione"),
        name="piano_gestione",
    ),
    path(
        "piani-di-zona/<slug:slug>/governance/",
        sections.PianoSezioneView.as_view(sezione="governance"),
        name="piano_governance",
    ),
    path("capitoli/<int:pk>/", structure.CapitoloDetailView.as_view(), name="capitolo_detail"),
    path("capitoli/<int:pk>/modifica/", structure.CapitoloUpdateView.as_view(), name="capitolo_update"),
    path("aree/<int:pk>/modifica/", structure.AreaUpdateView.as_view(), name="area_update"),
    path("obiettivi/<int:pk>/modifica/", structure.ObiettivoUpdateView.as_view(), name="obiettivo_update"),
    path("interventi/<int:pk>/", interventions.InterventoDetailView.as_view(), name="intervento_detail"),
    path("interventi/<int:pk>/modifica/", interventions.InterventoUpdateView.as_view(), name="intervento_update"),
    path("indicatori/<int:pk>/target/", interventions.TargetIndicatoreView.as_view(), name="indicatore_target"),
    # Evaluation of the previous plan and carry forward
    path("piani-di-zona/<slug:slug>/valutazione/", val.ValutazioneView.as_view(), name="valutazione"),
    path(
        "piani-di-zona/<slug:slug>/valutazione/impostazioni/",
        val.ValutazioneImpostazioniView.as_view(),
        name="valutazione_impostazioni",
    ),
    path(
        "piani-di-zona/<slug:slug>/valutazione/nuova-scheda/",
        val.SchedaValutazioneCreateView.as_view(),
        name="scheda_valutazione_create",
    ),
    path("piani-di-zona/<slug:slug>/continuita/", val.ContinuitaView.as_view(), name="continuita"),
    path(
        "piani-di-zona/<slug:slug>/continuita/riprendi/",
        val.ContinuitaRiprendiView.as_view(),
        name="continuita_riprendi",
    ),
    path("valutazioni/<int:pk>/", val.SchedaValutazioneDetailView.as_view(), name="scheda_valutazione"),
    path(
        "valutazioni/<int:pk>/modifica/",
        val.SchedaValutazioneUpdateView.as_view(),
        name="scheda_valutazione_update",
    ),
    path("valutazioni/<int:pk>/riproponi/", val.SchedaRiproponiView.as_view(), name="scheda_valutazione_riproponi"),
    # Context facts: social spending and printed figures
    path("ambiti/<slug:slug>/spesa-sociale/", ctx.ContestoView.as_view(), name="contesto"),
    path("ambiti/<slug:slug>/spesa-sociale/dati/", ctx.SpesaListView.as_view(), name="spesa_list"),
    path("ambiti/<slug:slug>/spesa-sociale/nuovo-dato/", ctx.SpesaCreateView.as_view(), name="spesa_create"),
    path(
        "ambiti/<slug:slug>/spesa-sociale/valori-stampati/",
        ctx.ValoreStampatoListView.as_view(),
        name="valore_stampato_list",
    ),
    path(
        "ambiti/<slug:slug>/spesa-sociale/valori-stampati/nuovo/",
        ctx.ValoreStampatoCreateView.as_view(),
        name="valore_stampato_create",
    ),
    path("tabelle-spesa/<int:pk>/", ctx.TabellaSpesaDetailView.as_view(), name="tabella_spesa"),
    path("spesa-sociale/<int:pk>/modifica/", ctx.SpesaUpdateView.as_view(), name="spesa_update"),
    path(
        "valori-stampati/<int:pk>/modifica/",
        ctx.ValoreStampatoUpdateView.as_view(),
        name="valore_stampato_update",
    ),
    # Performance plan
    path("piani-performance/", perf.PianoPerformanceListView.as_view(), name="performance_list"),
    path("piani-performance/<slug:slug>/", perf.PianoPerformanceDetailView.as_view(), name="performance_detail"),
    path(
        "piani-performance/<slug:slug>/obiettivi-strategici/nuovo/",
        perf.StrategicoCreateView.as_view(),
        name="obiettivo_strategico_create",
    ),
    path(
        "piani-performance/<slug:slug>/obiettivi-operativi/nuovo/",
        perf.OperativoCreateView.as_view(),
        name="obiettivo_operativo_create",
    ),
    path(
        "obiettivi-strategici/<int:pk>/modifica/",
        perf.StrategicoUpdateView.as_view(),
        name="obiettivo_strategico_update",
    ),
    path("obiettivi-operativi/<int:pk>/", perf.OperativoDetailView.as_view(), name="obiettivo_operativo"),
    path(
        "obiettivi-operativi/<int:pk>/modifica/",
        perf.OperativoUpdateView.as_view(),
        name="obiettivo_operativo_update",
    ),
    path("obiettivi-operativi/<int:pk>/report/", perf.ReportDirigenteView.as_view(), name="obiettivo_operativo_report"),
]
