"""Catalogues of the Piano di Zona: funds, Lombardy policy macro-areas and their punti chiave, LEPS, network actors."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, Storicizzato

from .base import DellAmbito, ambito_fk


class Catalogo(Labelled):
    """A row of a shared catalogue, listed in its printed order and then by code."""

    class Meta:
        abstract = True
        ordering = ["ordine", "codice"]


class Fondo(Catalogo):
    """A funding channel (FNPS, FNA, Fondo Povertà, a PNRR M5C2 line, municipal budgets…)."""

    class Tipo(models.TextChoices):
        NAZIONALE = "nazionale", _("Fondo nazionale")
        REGIONALE = "regionale", _("Fondo regionale")
        PNRR = "pnrr", _("PNRR Missione 5 Componente 2")
        EUROPEO = "europeo", _("Fondo europeo")
        LOCALE = "locale", _("Risorse locali")
        PRIVATO = "privato", _("Risorse private")

    codice = fields.codice()
    nome = models.CharField(_("nome"), max_length=250)
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    descrizione = fields.text(_("descrizione"))
    ordine = fields.ordine()

    class Meta(Catalogo.Meta):
        verbose_name = _("fondo")
        verbose_name_plural = _("fondi")


class MacroArea(Labelled):
    """One of the 10 Lombardy policy macro-areas (DGR XI/4563 of 19/04/2021)."""

    codice = fields.codice()
    nome = models.CharField(_("nome"), max_length=200)
    fonte = models.CharField(_("fonte"), max_length=200, blank=True)
    ordine = fields.ordine()

    class Meta:
        verbose_name = _("macro-area di policy")
        verbose_name_plural = _("macro-aree di policy")
        ordering = ["ordine"]


class PuntoChiave(models.Model):
    """A "punto chiave" of an intervention; those of the DGR belong to a macro-area, others stand alone."""

    macro_area = fields.optional_fk(MacroArea, _("macro-area"), "punti_chiave")
    testo = models.CharField(_("punto chiave"), max_length=300)
    ordine = fields.ordine()

    class Meta:
        verbose_name = _("punto chiave")
        verbose_name_plural = _("punti chiave")
        ordering = ["macro_area__ordine", "ordine", "testo"]
        constraints = [models.UniqueConstraint(fields=["macro_area", "testo"], name="punto_chiave_unico")]

    def __str__(self) -> str:
        return f"{self.testo} ({self.macro_area})" if self.macro_area_id else self.testo


class Leps(Catalogo):
    """A livello essenziale delle prestazioni sociali (Piano nazionale degli interventi e dei servizi sociali)."""

    codice = fields.codice()
    nome = models.CharField(_("nome"), max_length=250)
    riferimento = models.CharField(_("riferimento normativo"), max_length=300, blank=True)
    ordine = fields.ordine()

    class Meta(Catalogo.Meta):
        verbose_name = _("LEPS")
        verbose_name_plural = _("LEPS")


class AttoreRete(Labelled, Storicizzato, DellAmbito):
    """An actor of an Ambito's network: ETS, ASST, ATS, schools, consortia, courts, other Ambiti…"""

    class Tipo(models.TextChoices):
        ETS = "ets", _("Ente del Terzo Settore")
        ASST = "asst", _("ASST / Azienda sanitaria")
        ATS = "ats", _("ATS")
        OSPEDALE = "ospedale", _("Azienda ospedaliera")
        SCUOLA = "scuola", _("Istituzione scolastica")
        AZIENDA_SPECIALE = "azienda_speciale", _("Azienda speciale / consorzio / ASP")
        COMUNE = "comune", _("Comune / Ambito")
        ENTE_TERRITORIALE = "ente_territoriale", _("Provincia / Città metropolitana / Regione")
        TRIBUNALE = "tribunale", _("Autorità giudiziaria")
        LAVORO = "lavoro", _("Servizi per il lavoro")
        FORZE_ORDINE = "forze_ordine", _("Forze dell'ordine")
        FONDAZIONE = "fondazione", _("Fondazione")
        ALTRO = "altro", _("Altro")

    ambito = ambito_fk("attori_rete")
    nome = models.CharField(_("nome"), max_length=250)
    tipo = models.CharField(_("tipo"), max_length=30, choices=Tipo.choices)
    note = fields.text(_("note"))

    class Meta:
        verbose_name = _("attore della rete")
        verbose_name_plural = _("attori della rete")
        ordering = ["ambito__nome", "tipo", "nome"]
        constraints = [models.UniqueConstraint(fields=["ambito", "nome"], name="attore_rete_unico_per_ambito")]
