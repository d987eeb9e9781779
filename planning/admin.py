"""Admin of the Piano di Zona catalogues: editable by the Amministratore (superuser) only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_lists import SuperuserEditMixin

from . import models

# --- Piano di Zona --------------------------------------------------------------------------------
# Catalogues and card templates are edited here by the Amministratore; plans are edited in the portal's pages
# (the admin keeps history through django-simple-history's SimpleHistoryAdmin).


@admin.register(models.Fondo)
class FondoAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["codice", "nome", "tipo", "ordine"]
    list_filter = ["tipo"]
    search_fields = ["codice", "nome"]


class PuntoChiaveInline(admin.TabularInline):
    model = models.PuntoChiave
    extra = 0
    fields = ["ordine", "testo"]


@admin.register(models.MacroArea)
class MacroAreaAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["ordine", "nome", "codice", "fonte"]
    search_fields = ["nome", "codice"]
    inlines = [PuntoChiaveInline]


@admin.register(models.PuntoChiave)
class PuntoChiaveAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["testo", "macro_area", "ordine"]
    list_filter = ["macro_area"]
    search_fields = ["testo"]
    list_select_related = ["macro_area"]


@admin.register(models.Leps)
class LepsAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["codice", "nome", "riferimento"]
    search_fields = ["codice", "nome"]


@admin.register(models.AttoreRete)
class AttoreReteAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["nome", "tipo", "ambito"]
    list_filter = ["tipo", "ambito"]
    search_fields = ["nome"]
    list_select_related = ["ambito"]


class CampoModelloInline(admin.TabularInline):
    model = models.CampoModello
    extra = 0
    fields = ["ordine", "chiave", "etichetta", "tipo", "attributo", "opzioni", "raggruppa", "aiuto"]


@admin.register(models.ModelloIntervento)
class ModelloInterventoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["codice", "nome", "livelli_obiettivo"]
    search_fields = ["codice", "nome"]
    inlines = [CampoModelloInline]


@admin.register(models.CampoModello)
class CampoModelloAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["modello", "ordine", "chiave", "etichetta"]  # the type is a filter
    list_filter = ["modello", "tipo"]
    search_fields = ["chiave", "etichetta"]
    list_select_related = ["modello"]


class CapitoloInline(admin.StackedInline):
    model = models.Capitolo
    extra = 0
    fields = ["ordine", "titolo", "tipo", "corpo"]


@admin.register(models.PianoDiZona)
class PianoDiZonaAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "ambito", "anno_inizio", "anno_fine", "stato", "data_approvazione"]
    list_filter = ["stato", "ambito"]
    search_fields = ["titolo", "slug", "ambito__nome"]
    list_select_related = ["ambito"]
    inlines = [CapitoloInline]


@admin.register(models.Variazione)
class VariazioneAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["piano", "numero", "aperta_il", "aperta_da", "chiusa_il"]
    list_filter = ["piano"]
    search_fields = ["motivazione", "atto"]
    list_select_related = ["piano", "aperta_da"]


@admin.register(models.Capitolo)
class CapitoloAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "tipo", "piano", "ordine"]
    list_filter = ["piano", "tipo"]
    search_fields = ["titolo", "corpo"]
    list_select_related = ["piano"]


@admin.register(models.Area)
class AreaAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["codice", "titolo", "piano", "ordine"]
    list_filter = ["piano"]
    search_fields = ["titolo"]
    list_select_related = ["piano"]


@admin.register(models.Obiettivo)
class ObiettivoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "livello", "area", "sub_ambito", "piano"]
    list_filter = ["piano", "livello", "sub_ambito"]
    search_fields = ["titolo", "codice"]
    list_select_related = ["piano", "area", "sub_ambito"]


class AzioneInline(admin.TabularInline):
    model = models.Azione
    extra = 0
    fields = ["ordine", "titolo", "stato", "responsabile", "data_inizio", "data_fine"]


class IndicatoreInline(admin.TabularInline):
    model = models.Indicatore
    extra = 0
    fields = ["ordine", "tipo", "descrizione", "unita", "baseline", "anno_baseline", "fonte"]


class RisorsaInline(admin.TabularInline):
    model = models.Risorsa
    extra = 0
    fields = ["ordine", "fondo", "anno", "previsto", "impegnato", "liquidato", "note"]


@admin.register(models.Intervento)
class InterventoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "codice", "piano", "obiettivo", "modello", "stato"]
    list_filter = ["piano", "modello", "stato", "leps", "fondi"]
    search_fields = ["titolo", "codice", "target"]
    list_select_related = ["piano", "obiettivo", "modello"]
    filter_horizontal = ["fondi", "leps", "partner"]
    inlines = [AzioneInline, IndicatoreInline, RisorsaInline]


@admin.register(models.ValoreCampo)
class ValoreCampoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["intervento", "campo", "si_no", "importo"]
    list_filter = ["campo__modello", "campo__chiave"]
    search_fields = ["intervento__titolo", "testo"]
    list_select_related = ["intervento", "campo"]


@admin.register(models.Azione)
class AzioneAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "intervento", "stato", "responsabile", "data_inizio", "data_fine"]
    list_filter = ["stato", "intervento__piano"]
    search_fields = ["titolo", "responsabile"]
    list_select_related = ["intervento"]


@admin.register(models.Indicatore)
class IndicatoreAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["descrizione", "tipo", "intervento", "unita", "baseline"]
    list_filter = ["tipo"]
    search_fields = ["descrizione"]
    list_select_related = ["intervento"]


@admin.register(models.TargetIndicatore)
class TargetIndicatoreAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["indicatore", "anno", "valore"]
    list_filter = ["anno"]
    search_fields = ["indicatore__descrizione"]
    list_select_related = ["indicatore"]


@admin.register(models.Risorsa)
class RisorsaAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["intervento", "fondo", "anno", "previsto", "impegnato", "liquidato"]
    list_filter = ["fondo", "anno"]
    search_fields = ["intervento__titolo"]
    list_select_related = ["intervento", "fondo"]


@admin.register(models.Progetto)
class ProgettoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "piano", "area", "capofila"]
    list_filter = ["piano", "area"]
    search_fields = ["titolo", "capofila", "partenariato"]
    list_select_related = ["piano", "area"]


class VocePNRRInline(admin.TabularInline):
    model = models.VocePNRR
    extra = 0
    fields = ["ordine", "nome", "investimento", "gestione_annua", "anni_gestione", "totale_stampato"]


@admin.register(models.LineaPNRR)
class LineaPNRRAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["codice", "titolo", "piano", "totale_stampato"]
    list_filter = ["piano"]
    search_fields = ["codice", "titolo"]
    list_select_related = ["piano"]
    inlines = [VocePNRRInline]


@admin.register(models.ServizioAssociato)
class ServizioAssociatoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["nome", "piano", "area", "tempistica"]
    list_filter = ["piano", "area"]
    search_fields = ["nome", "attivita_target"]
    list_select_related = ["piano", "area"]


@admin.register(models.OrganismoGovernance)
class OrganismoGovernanceAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["nome", "livello", "piano"]
    list_filter = ["livello", "piano"]
    search_fields = ["nome", "funzioni"]
    list_select_related = ["piano"]


# --- Evaluation, context facts, performance plan -------------------------------------------------
# Edited in the portal's pages by the Ufficio di Piano; the admin lets the Amministratore correct data, with history.


class AzioneValutataInline(admin.TabularInline):
    model = models.AzioneValutata
    extra = 0
    fields = ["ordine", "gruppo", "titolo", "stato", "desunto", "nota"]


@admin.register(models.Valutazione)
class ValutazioneAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["piano", "periodo_valutato", "regola_parziali"]
    list_select_related = ["piano"]


@admin.register(models.SchedaValutazione)
class SchedaValutazioneAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["obiettivo", "valutazione", "modello", "area", "d1_percentuale_stampata", "d6_risposta"]
    list_filter = ["modello", "valutazione"]
    search_fields = ["obiettivo", "area"]
    list_select_related = ["valutazione__piano"]
    inlines = [AzioneValutataInline]


@admin.register(models.Continuita)
class ContinuitaAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["piano", "obiettivo", "intervento", "da_scheda", "da_obiettivo", "da_intervento", "creato_il"]
    list_select_related = ["piano", "obiettivo", "intervento", "da_scheda", "da_obiettivo", "da_intervento"]
    raw_id_fields = ["obiettivo", "intervento", "da_scheda", "da_obiettivo", "da_intervento"]


@admin.register(models.VoceSpesa)
class VoceSpesaAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["nome", "codice", "dimensione", "area"]
    list_filter = ["dimensione"]
    search_fields = ["nome", "codice"]
    list_select_related = ["area", "fondo"]


class SpesaSocialeInline(admin.TabularInline):
    model = models.SpesaSociale
    extra = 0
    fields = ["anno", "voce", "comune", "valore", "nota"]
    raw_id_fields = ["comune"]


@admin.register(models.TabellaSpesa)
class TabellaSpesaAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["codice", "titolo", "ambito", "dimensione", "ente", "misura"]
    list_filter = ["ambito", "dimensione", "misura"]
    search_fields = ["codice", "titolo"]
    list_select_related = ["ambito"]
    inlines = [SpesaSocialeInline]


@admin.register(models.ValoreStampato)
class ValoreStampatoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["riferimento", "etichetta", "anno", "grandezza", "valore", "ambito"]
    list_filter = ["ambito", "grandezza", "riferimento"]
    search_fields = ["etichetta", "riferimento"]
    list_select_related = ["ambito"]
    raw_id_fields = ["comune"]


@admin.register(models.ProgrammaBilancio)
class ProgrammaBilancioAdmin(SuperuserEditMixin, admin.ModelAdmin):
    list_display = ["missione", "programma", "missione_nome", "programma_nome"]
    list_filter = ["missione"]


@admin.register(models.PianoPerformance)
class PianoPerformanceAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "ambito", "anno", "ente"]
    list_filter = ["ambito", "anno"]
    prepopulated_fields = {"slug": ["titolo"]}


@admin.register(models.ObiettivoStrategico)
class ObiettivoStrategicoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["codice", "piano", "programma"]
    list_filter = ["piano"]
    list_select_related = ["piano", "programma"]


class IndicatorePerformanceInline(admin.TabularInline):
    model = models.IndicatorePerformance
    extra = 0
    fields = ["ordine", "descrizione", "target", "unita", "raggiunto"]


@admin.register(models.ObiettivoOperativo)
class ObiettivoOperativoAdmin(SuperuserEditMixin, SimpleHistoryAdmin):
    list_display = ["codice", "strategico", "dirigente_nome", "dirigente_utente", "peso", "valutazione_risultato",
                    "valutazione_qualitativa"]  # fmt: skip
    list_filter = ["strategico__piano"]
    search_fields = ["codice", "dirigente_nome"]
    list_select_related = ["strategico", "dirigente_utente"]
    raw_id_fields = ["dirigente_utente"]
    inlines = [IndicatorePerformanceInline]
