"""Network sections of the plan: projects of the network, PNRR lines with amounts, services in gestione
associata, governance bodies."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import amount_field, optional_amount_field, optional_fk, ordine_field, parent_fk, text_field

from .base import RigaDelPiano, piano_fk
from .catalogues import Fondo
from .piano import Area


class Progetto(RigaDelPiano):
    """A project of the network (seed 001, chapter 4): progetto, fonte, stato, aree di lavoro, capofila, partner."""

    piano = piano_fk("progetti")
    area = optional_fk(Area, _("area"), "progetti", on_delete=models.SET_NULL)
    ordine = ordine_field()
    titolo = models.CharField(_("progetto"), max_length=300)
    fonte_finanziamento = text_field(_("fonte di finanziamento"))
    stato_realizzazione = text_field(_("stato di realizzazione"))
    aree_lavoro = text_field(_("aree di lavoro (Markdown)"))
    capofila = models.CharField(_("capofila"), max_length=300, blank=True)
    partenariato = text_field(_("partenariato e rete"))
    fondi = models.ManyToManyField(Fondo, verbose_name=_("fondi"), blank=True, related_name="progetti")
    history = HistoricalRecords(verbose_name=_("storico progetto"))

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("progetto della rete")
        verbose_name_plural = _("progetti della rete")
        ordering = ["piano", "area__ordine", "ordine", "pk"]

    def __str__(self) -> str:
        return self.titolo


class LineaPNRR(RigaDelPiano):
    """A PNRR M5C2 line acquired by the Ambito, with one or more amount items."""

    piano = piano_fk("linee_pnrr")
    fondo = optional_fk(Fondo, _("fondo"), "linee_pnrr")
    ordine = ordine_field()
    codice = models.CharField(_("linea"), max_length=20)
    titolo = models.CharField(_("titolo della linea"), max_length=300)
    intervento = text_field(_("intervento"))
    totale_stampato = optional_amount_field(
        _("totale indicato nel documento"),
        help_text=_("Il totale come scritto nella fonte: il portale lo confronta con la somma delle voci."),
    )
    history = HistoricalRecords(verbose_name=_("storico linea PNRR"))

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("linea PNRR")
        verbose_name_plural = _("linee PNRR")
        ordering = ["piano", "ordine", "codice"]

    def __str__(self) -> str:
        return f"{self.codice} {self.titolo}"


class VocePNRR(models.Model):
    """An amount item of a PNRR line: investment plus yearly management for a number of years."""

    linea = parent_fk(LineaPNRR, _("linea"), "voci")
    ordine = ordine_field()
    nome = models.CharField(_("voce"), max_length=200, blank=True)
    investimento = amount_field(_("investimento"), default=Decimal("0"))
    gestione_annua = amount_field(_("gestione annua"), default=Decimal("0"))
    anni_gestione = models.PositiveSmallIntegerField(_("anni di gestione"), default=0)
    totale_stampato = optional_amount_field(_("totale indicato nel documento"))
    history = HistoricalRecords(verbose_name=_("storico voce PNRR"))

    scope_ambito_path = "linea__piano__ambito"
    scope_comune_path = None

    class Meta:
        verbose_name = _("voce PNRR")
        verbose_name_plural = _("voci PNRR")
        ordering = ["linea", "ordine", "pk"]

    def __str__(self) -> str:
        return self.nome or str(self.linea)

    @property
    def totale(self) -> Decimal:
        return self.investimento + self.gestione_annua * self.anni_gestione

    @property
    def totale_difforme(self) -> bool:
        return self.totale_stampato is not None and self.totale_stampato != self.totale


class ServizioAssociato(RigaDelPiano):
    """A service in gestione associata (seed 001, chapter 7)."""

    piano = piano_fk("servizi_associati")
    area = optional_fk(Area, _("area"), "servizi_associati", on_delete=models.SET_NULL)
    ordine = ordine_field()
    nome = models.CharField(_("azioni e interventi in gestione associata"), max_length=300)
    attivita_target = text_field(_("attività e target"))
    canali_finanziamento = text_field(_("canali di finanziamento"))
    strumenti = text_field(_("strumenti utilizzati"))
    tempistica = models.CharField(_("tempistica"), max_length=200, blank=True)
    fondi = models.ManyToManyField(Fondo, verbose_name=_("fondi"), blank=True, related_name="servizi_associati")
    history = HistoricalRecords(verbose_name=_("storico servizio in gestione associata"))

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("servizio in gestione associata")
        verbose_name_plural = _("servizi in gestione associata")
        ordering = ["piano", "area__ordine", "ordine", "pk"]

    def __str__(self) -> str:
        return self.nome


class OrganismoGovernance(RigaDelPiano):
    """A governance body or instrument of the Ambito, with its level and functions (seed 001, chapter 8)."""

    class Livello(models.TextChoices):
        ISTITUZIONALE = "istituzionale", _("Strumenti ed ente capofila")
        POLITICO = "politico", _("Indirizzo e amministrazione politica")
        TECNICO = "tecnico", _("Tecnico-amministrativo di programmazione e gestione")
        CONSULTIVO = "consultivo", _("Consultazione e collaborazione con il territorio")
        SOCIOSANITARIO = "sociosanitario", _("Integrazione sociosanitaria")

    piano = piano_fk("governance")
    ordine = ordine_field()
    nome = models.CharField(_("organismo"), max_length=250)
    livello = models.CharField(_("livello"), max_length=20, choices=Livello.choices)
    composizione = text_field(_("composizione"))
    funzioni = text_field(_("funzioni (Markdown)"))
    history = HistoricalRecords(verbose_name=_("storico organismo di governance"))

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("organismo di governance")
        verbose_name_plural = _("organismi di governance")

    def __str__(self) -> str:
        return self.nome
