"""Schede di monitoraggio: templates (data, from fixtures/schede), one scheda per Comune and template, cell values.

The template's JSON definition is the single source of truth for its structure (quadri, rows, columns,
cells, formulas, rules, sentences); `monitoring.engine` compiles it. A scheda stores the typed values one
row per cell (with history), and caches the engine's results (computed values, counts) for the overviews.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import HistoryUser, Labelled, ParentScoped, WithDetailPage
from monitoring.engine import CompiledTemplate

from .compiled import compiled_template, indicator_definition
from .indicators import SUMS_KEY


class ModelloScheda(Labelled):
    """A scheda template such as NID26 or SOC26 (reference year 2025)."""

    codice = models.CharField(_("codice"), max_length=20, unique=True)
    titolo = models.CharField(_("titolo"), max_length=300)
    servizio = models.CharField(_("servizio"), max_length=100)
    anno_riferimento = models.PositiveSmallIntegerField(_("anno di riferimento"))
    scadenza = models.DateField(_("scadenza di invio"))
    versione = models.PositiveIntegerField(_("versione"), default=1)
    definizione = models.JSONField(
        _("definizione (JSON)"), help_text=_("Quadri, righe, colonne, celle, formule, regole")
    )
    attivo = models.BooleanField(_("attivo"), default=True)
    aggiornato_il = models.DateTimeField(_("aggiornato il"), auto_now=True)

    history = HistoricalRecords()

    label_format = "{self.codice} — {self.servizio} {self.anno_riferimento}"

    class Meta:
        verbose_name = _("modello di scheda")
        verbose_name_plural = _("modelli di scheda")
        ordering = ["-anno_riferimento", "codice"]

    @property
    def famiglia(self) -> str:
        """The template family without the year suffix (NID26 → NID), to find the previous year's scheda."""
        return self.codice.rstrip("0123456789")

    def compiled(self) -> CompiledTemplate:
        """The template compiled by the engine (cached per process until the template changes)."""
        return compiled_template(self)

    def indicator_definition(self) -> dict[str, list]:
        """The indicator specs of the definition ({"indicatori": [...]}), cached with the compiled template."""
        return indicator_definition(self)


class Stato(models.TextChoices):
    BOZZA = "bozza", _("Bozza")
    INVIATA = "inviata", _("Inviata")
    VALIDATA = "validata", _("Validata")
    RIMANDATA = "rimandata", _("Rimandata")
    RIAPERTA = "riaperta", _("Riaperta")


EDITABLE_STATES = {Stato.BOZZA, Stato.RIMANDATA, Stato.RIAPERTA}


class Scheda(Labelled, WithDetailPage, HistoryUser, ParentScoped):
    """One Comune's scheda for one template (and so one reference year)."""

    modello = models.ForeignKey(
        ModelloScheda, verbose_name=_("modello"), on_delete=models.PROTECT, related_name="schede"
    )
    comune = models.ForeignKey(
        "territory.Comune", verbose_name=_("comune"), on_delete=models.PROTECT, related_name="schede"
    )
    stato = models.CharField(_("stato"), max_length=12, choices=Stato.choices, default=Stato.BOZZA)
    motivo = models.TextField(_("motivazione dell'ultimo cambio di stato"), blank=True)
    versione = models.PositiveIntegerField(_("versione"), default=1, help_text=_("Per il blocco ottimistico"))
    copiata_da = models.ForeignKey(
        "self", verbose_name=_("copiata da"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Engine results, refreshed on every save (used by the overviews without recomputing).
    risultati = models.JSONField(_("valori (inseriti e calcolati)"), default=dict, blank=True)
    indicatori = models.JSONField(_("fatti degli indicatori"), default=dict, blank=True)
    n_errori = models.PositiveIntegerField(_("errori"), default=0)
    n_avvisi = models.PositiveIntegerField(_("avvisi"), default=0)
    completezza = models.DecimalField(_("completezza %"), max_digits=5, decimal_places=1, default=0)
    creata_il = models.DateTimeField(_("creata il"), default=timezone.now)
    inviata_il = models.DateTimeField(
        _("inviata il"), null=True, blank=True, help_text=_("L'ultimo invio: decide se la scheda è in tempo")
    )
    validata_il = models.DateTimeField(_("validata il"), null=True, blank=True)
    modificata_il = models.DateTimeField(_("ultima modifica"), default=timezone.now)
    modificata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modificata da"), null=True, blank=True, on_delete=models.SET_NULL
    )

    history = HistoricalRecords(excluded_fields=["risultati", "indicatori", "n_errori", "n_avvisi", "completezza"])

    scope_parent = "comune"

    label_format = "{self.modello.codice} — {self.comune.nome}"
    detail_url = "monitoring:scheda_detail"

    class Meta:
        verbose_name = _("scheda di monitoraggio")
        verbose_name_plural = _("schede di monitoraggio")
        ordering = ["comune__nome", "modello__codice"]
        constraints = [models.UniqueConstraint(fields=["modello", "comune"], name="scheda_unica_modello_comune")]
        indexes = [
            # Covers the overviews (state, completeness, counts and last change of each Comune's schede): they are
            # read from the index, never from the rows with the large JSON results. Queries name the templates
            # (modello__in) so that the index applies.
            models.Index(
                fields=["modello", "comune", "stato", "completezza", "n_errori", "n_avvisi", "modificata_il"],
                name="scheda_panoramica",
            ),
            # Covers the indicators of an Ambito (charts, indicator tables): the small facts are read from the
            # index, not from rows that also hold the large results (SQLite stores those in overflow pages).
            models.Index(fields=["modello", "comune", "indicatori"], name="scheda_indicatori"),
        ]

    @property
    def modificabile(self) -> bool:
        return self.stato in EDITABLE_STATES

    def giorni_alla_scadenza(self, oggi=None) -> int:
        oggi = oggi or timezone.localdate()
        return (self.modello.scadenza - oggi).days


class ValoreCella(Labelled, HistoryUser, ParentScoped):
    """A value typed (or copied, or precompiled) into one cell of a scheda, kept as the normalised text."""

    scheda = models.ForeignKey(Scheda, verbose_name=_("scheda"), on_delete=models.CASCADE, related_name="valori")
    riga = models.CharField(_("riga"), max_length=20)
    colonna = models.CharField(_("colonna"), max_length=20)
    valore = models.TextField(_("valore"), blank=True)
    commento = models.TextField(_("commento"), blank=True)
    precompilato = models.BooleanField(
        _("copiato dall'anno precedente"), default=False, help_text=_("Resta segnato finché non viene modificato")
    )
    modificato_il = models.DateTimeField(_("modificato il"), default=timezone.now)

    history = HistoricalRecords()

    scope_parent = "scheda"

    label_format = "{self.riga}/{self.colonna} = {self.valore}"

    class Meta:
        verbose_name = _("valore di cella")
        verbose_name_plural = _("valori di cella")
        ordering = ["scheda_id", "riga", "colonna"]
        constraints = [models.UniqueConstraint(fields=["scheda", "riga", "colonna"], name="valore_unico_cella")]


# Schede with facts but without their exact addends (SUMS_KEY): computed before the addends were stored, or with
# values that are not whole millionths. Their totals and their order are computed in Python from the facts.
WITHOUT_ADDENDS = ~models.Q(indicatori__has_key=SUMS_KEY) & ~models.Q(indicatori={})


class RiepilogoSchede(models.Model):
    """The schede of the Comuni of one Ambito (its own Comuni, not its sub-ambiti's) added up: per template and
    state how many, and the integer sums of the addends of the indicator totals; kept in step by every write of
    the services and valid for the Ambito's data version it records (monitoring.rollup). Derived data: it moves
    no version."""

    ambito = models.OneToOneField(
        "territory.Ambito", on_delete=models.CASCADE, primary_key=True, related_name="riepilogo_schede"
    )
    versione = models.PositiveBigIntegerField(_("versione dei dati dell'Ambito"))
    dati = models.JSONField(_("dati"), default=dict)

    class Meta:
        verbose_name = _("riepilogo delle schede")
        verbose_name_plural = _("riepiloghi delle schede")

    def __str__(self) -> str:
        return f"Riepilogo delle schede dell'Ambito {self.ambito_id} (versione {self.versione})"


# Campaigns live in their own module (monitoring/campaigns/models.py), as the quarterly snapshots of the Piano
# di Zona (monitoring/snapshots/models.py).
from .campaigns.models import Campagna, Promemoria, Scadenza, StatoCampagna, TipoPromemoria, TipoScadenza  # noqa: E402
from .snapshots.models import (  # noqa: E402
    Rilevazione,
    StatoAzioneRilevato,
    StatoRilevazione,
    ValoreIndicatoreRilevato,
)

__all__ = [
    "Campagna",
    "ModelloScheda",
    "Promemoria",
    "RiepilogoSchede",
    "Rilevazione",
    "Scadenza",
    "Scheda",
    "Stato",
    "StatoAzioneRilevato",
    "StatoCampagna",
    "StatoRilevazione",
    "TipoPromemoria",
    "TipoScadenza",
    "ValoreCella",
    "ValoreIndicatoreRilevato",
]
