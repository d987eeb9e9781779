"""URLs of the territory pages and of the Piano di Zona.

Every route takes at most one keyword argument, always named `slug`: a plan is reached by its slug
(e.g. `magentino-2025-2027`), its sub-objects by their numeric id.
"""

from django.urls import path

from . import views
from .contesto import views as ctx
from .performance import views as perf
from .piano import views as pz
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
    path("piani-di-zona/", pz.PianoListView.as_view(), name="piano_index"),
    path("piani-di-zona/nuovo/", pz.PianoCreateView.as_view(), name="piano_create"),
    path("piani-di-zona/cataloghi/", pz.CataloghiView.as_view(), name="cataloghi"),
    path("piani-di-zona/anteprima-markdown/", pz.MarkdownAnteprimaView.as_view(), name="markdown_anteprima"),
    path("piani-di-zona/<slug:slug>/", pz.PianoDetailView.as_view(), name="piano_detail"),
    path("piani-di-zona/<slug:slug>/modifica/", pz.PianoUpdateView.as_view(), name="piano_update"),
    path("piani-di-zona/<slug:slug>/stato/", pz.PianoStatoView.as_view(), name="piano_stato"),
    path("piani-di-zona/<slug:slug>/variazioni/apri/", pz.VariazioneApriView.as_view(), name="variazione_apri"),
    path("piani-di-zona/<slug:slug>/variazioni/chiudi/", pz.VariazioneChiudiView.as_view(), name="variazione_chiudi"),
    path("piani-di-zona/<slug:slug>/capitoli/nuovo/", pz.CapitoloCreateView.as_view(), name="capitolo_create"),
    path("piani-di-zona/<slug:slug>/aree/nuova/", pz.AreaFormView.as_view(), name="area_create"),
    path("piani-di-zona/<slug:slug>/obiettivi/nuovo/", pz.ObiettivoFormView.as_view(), name="obiettivo_create"),
    path("piani-di-zona/<slug:slug>/interventi/", pz.InterventoListView.as_view(), name="intervento_list"),
    path("piani-di-zona/<slug:slug>/interventi/nuovo/", pz.InterventoFormView.as_view(), name="intervento_create"),
    path("piani-di-zona/<slug:slug>/azioni/", pz.AzioneListView.as_view(), name="azione_list"),
    path("piani-di-zona/<slug:slug>/risorse/", pz.RisorsaListView.as_view(), name="risorsa_list"),
    path("piani-di-zona/<slug:slug>/progetti/", pz.PianoSezioneView.as_view(sezione="progetti"), name="piano_progetti"),
    path("piani-di-zona/<slug:slug>/pnrr/", pz.PianoSezioneView.as_view(sezione="pnrr"), name="piano_pnrr"),
    path(
        "piani-di-zona/<slug:slug>/gestione-associata/",
        pz.PianoSezioneView.as_view(sezione="gestione"),
        name="piano_gestione",
    ),
    path(
        "piani-di-zona/<slug:slug>/governance/",
        pz.PianoSezioneView.as_view(sezione="governance"),
        name="piano_governance",
    ),
    path("capitoli/<slug:slug>/", pz.CapitoloDetailView.as_view(), name="capitolo_detail"),
    path("capitoli/<slug:slug>/modifica/", pz.CapitoloUpdateView.as_view(), name="capitolo_update"),
    path("aree/<slug:slug>/modifica/", pz.AreaFormView.as_view(creating=False), name="area_update"),
    path("obiettivi/<slug:slug>/modifica/", pz.ObiettivoFormView.as_view(creating=False), name="obiettivo_update"),
    path("interventi/<slug:slug>/", pz.InterventoDetailView.as_view(), name="intervento_detail"),
    path("interventi/<slug:slug>/modifica/", pz.InterventoFormView.as_view(creating=False), name="intervento_update"),
    path("indicatori/<slug:slug>/target/", pz.TargetIndicatoreView.as_view(), name="indicatore_target"),
    # Evaluation of the previous plan and carry forward
    path("piani-di-zona/<slug:slug>/valutazione/", val.ValutazioneView.as_view(), name="valutazione"),
    path(
        "piani-di-zona/<slug:slug>/valutazione/impostazioni/",
        val.ValutazioneImpostazioniView.as_view(),
        name="valutazione_impostazioni",
    ),
    path(
        "piani-di-zona/<slug:slug>/valutazione/nuova-scheda/",
        val.SchedaValutazioneFormView.as_view(),
        name="scheda_valutazione_create",
    ),
    path("piani-di-zona/<slug:slug>/continuita/", val.ContinuitaView.as_view(), name="continuita"),
    path(
        "piani-di-zona/<slug:slug>/continuita/riprendi/",
        val.ContinuitaRiprendiView.as_view(),
        name="continuita_riprendi",
    ),
    path("valutazioni/<slug:slug>/", val.SchedaValutazioneDetailView.as_view(), name="scheda_valutazione"),
    path(
        "valutazioni/<slug:slug>/modifica/",
        val.SchedaValutazioneFormView.as_view(creating=False),
        name="scheda_valutazione_update",
    ),
    path("valutazioni/<slug:slug>/riproponi/", val.SchedaRiproponiView.as_view(), name="scheda_valutazione_riproponi"),
    # Context facts: social spending and printed figures
    path("ambiti/<slug:slug>/spesa-sociale/", ctx.ContestoView.as_view(), name="contesto"),
    path("ambiti/<slug:slug>/spesa-sociale/dati/", ctx.SpesaListView.as_view(), name="spesa_list"),
    path("ambiti/<slug:slug>/spesa-sociale/nuovo-dato/", ctx.SpesaFormView.as_view(), name="spesa_create"),
    path(
        "ambiti/<slug:slug>/spesa-sociale/valori-stampati/",
        ctx.ValoreStampatoListView.as_view(),
        name="valore_stampato_list",
    ),
    path(
        "ambiti/<slug:slug>/spesa-sociale/valori-stampati/nuovo/",
        ctx.ValoreStampatoFormView.as_view(),
        name="valore_stampato_create",
    ),
    path("tabelle-spesa/<slug:slug>/", ctx.TabellaSpesaDetailView.as_view(), name="tabella_spesa"),
    path("spesa-sociale/<slug:slug>/modifica/", ctx.SpesaFormView.as_view(creating=False), name="spesa_update"),
    path(
        "valori-stampati/<slug:slug>/modifica/",
        ctx.ValoreStampatoFormView.as_view(creating=False),
        name="valore_stampato_update",
    ),
    # Performance plan
    path("piani-performance/", perf.PianoPerformanceListView.as_view(), name="performance_list"),
    path("piani-performance/<slug:slug>/", perf.PianoPerformanceDetailView.as_view(), name="performance_detail"),
    path(
        "piani-performance/<slug:slug>/obiettivi-strategici/nuovo/",
        perf.StrategicoFormView.as_view(),
        name="obiettivo_strategico_create",
    ),
    path(
        "piani-performance/<slug:slug>/obiettivi-operativi/nuovo/",
        perf.OperativoFormView.as_view(),
        name="obiettivo_operativo_create",
    ),
    path(
        "obiettivi-strategici/<slug:slug>/modifica/",
        perf.StrategicoFormView.as_view(creating=False),
        name="obiettivo_strategico_update",
    ),
    path("obiettivi-operativi/<slug:slug>/", perf.OperativoDetailView.as_view(), name="obiettivo_operativo"),
    path(
        "obiettivi-operativi/<slug:slug>/modifica/",
        perf.OperativoFormView.as_view(creating=False),
        name="obiettivo_operativo_update",
    ),
    path(
        "obiettivi-operativi/<slug:slug>/report/", perf.ReportDirigenteView.as_view(), name="obiettivo_operativo_report"
    ),
]
