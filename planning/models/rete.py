"""Network sections of the plan: projects of the network, PNRR lines with amounts, services in gestione
associata, governance bodies."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogues import Fondo
from .piano import Area, PianoDiZona


class Progetto(models.Model):
    """A project of the network (seed 001, chapter 4): progetto, fonte, stato, aree di lavoro, capofila, partner."""

    piano = models.ForeignKey(PianoDiZona, verbose_name=_("piano"), on_delete=models.CASCADE, related_name="progetti")
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="progetti"
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    titolo = models.CharField(_("progetto"), max_length=300)
    fonte_finanziamento = models.TextField(_("fonte di finanziamento"), blank=True)
    stato_realizzazione = models.TextField(_("stato di realizzazione"), blank=True)
    aree_lavoro = models.TextField(_("aree di lavoro (Markdown)"), blank=True)
    capofila = models.CharField(_("capofila"), max_length=300, blank=True)
    partenariato = models.TextField(_("partenariato e rete"), blank=True)
    fondi = models.ManyToManyField(Fondo, verbose_name=_("fondi"), blank=True, related_name="progetti")
    history = HistoricalRecords(verbose_name=_("storico progetto"))

    scope_ambito_path = "piano__ambito"
    scope_comune_path = None

    class Meta:
        verbose_name = _("progetto della rete")
        verbose_name_plural = _("progetti della rete")
        ordering = ["piano", "area__ordine", "ordine", "pk"]

    def __str__(self) -> str:
        return self.titolo


class LineaPNRR(models.Model):
    """A PNRR M5C2 line acquired by the Ambito, with one or more amount items."""

    piano = models.ForeignKey(PianoDiZona, verbose_name=_("piano"), on_delete=models.CASCADE, related_name="linee_pnrr")
    fondo = models.ForeignKey(
        Fondo, verbose_name=_("fondo"), null=True, blank=True, on_delete=models.PROTECT, related_name="linee_pnrr"
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    codice = models.CharField(_("linea"), max_length=20)
    titolo = models.CharField(_("titolo della linea"), max_length=300)
    intervento = models.TextField(_("intervento"), blank=True)
    totale_stampato = models.DecimalField(
        _("totale indicato nel documento"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Il totale come scritto nella fonte: il portale lo confronta con la somma delle voci."),
    )
    history = HistoricalRecords(verbose_name=_("storico linea PNRR"))

    scope_ambito_path = "piano__ambito"
    scope_comune_path = None

    class Meta:
        verbose_name = _("linea PNRR")
        verbose_name_plural = _("linee PNRR")
        ordering = ["piano", "ordine", "codice"]

    def __str__(self) -> str:
        return f"{self.codice} {self.titolo}"


class VocePNRR(models.Model):
    """An amount item of a PNRR line: investment plus yearly management for a number of years."""

    linea = models.ForeignKey(LineaPNRR, verbose_name=_("linea"), on_delete=models.CASCADE, related_name="voci")
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    nome = models.CharField(_("voce"), max_length=200, blank=True)
    investimento = models.DecimalField(_("investimento"), max_digits=14, decimal_places=2, default=Decimal("0"))
    gestione_annua = models.DecimalField(_("gestione annua"), max_digits=14, decimal_places=2, default=Decimal("0"))
    anni_gestione = models.PositiveSmallIntegerField(_("anni di gestione"), default=0)
    totale_stampato = models.DecimalField(
        _("totale indicato nel documento"), max_digits=14, decimal_places=2, null=True, blank=True
    )
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


class ServizioAssociato(models.Model):
    """A service in gestione associata (seed 001, chapter 7)."""

    piano = models.ForeignKey(
        PianoDiZona, verbose_name=_("piano"), on_delete=models.CASCADE, related_name="servizi_associati"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="servizi_associati"
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    nome = models.CharField(_("azioni e interventi in gestione associata"), max_length=300)
    attivita_target = models.TextField(_("attività e target"), blank=True)
    canali_finanziamento = models.TextField(_("canali di finanziamento"), blank=True)
    strumenti = models.TextField(_("strumenti utilizzati"), blank=True)
    tempistica = models.CharField(_("tempistica"), max_length=200, blank=True)
    fondi = models.ManyToManyField(Fondo, verbose_name=_("fondi"), blank=True, related_name="servizi_associati")
    history = HistoricalRecords(verbose_name=_("storico servizio in gestione associata"))

    scope_ambito_path = "piano__ambito"
    scope_comune_path = None

    class Meta:
        verbose_name = _("servizio in gestione associata")
        verbose_name_plural = _("servizi in gestione associata")
        ordering = ["piano", "area__ordine", "ordine", "pk"]

    def __str__(self) -> str:
        return self.nome


class OrganismoGovernance(models.Model):
    """A governance body or instrument of the Ambito, with its level and functions (seed 001, chapter 8)."""

    class Livello(models.TextChoices):
        ISTITUZIONALE = "istituzionale", _("Strumenti ed ente capofila")
        POLITICO = "politico", _("Indirizzo e amministrazione politica")
        TECNICO = "tecnico", _("Tecnico-amministrativo di programmazione e gestione")
        CONSULTIVO = "consultivo", _("Consultazione e collaborazione con il territorio")
        SOCIOSANITARIO = "sociosanitario", _("Integrazione sociosanitaria")

    piano = models.ForeignKey(PianoDiZona, verbose_name=_("piano"), on_delete=models.CASCADE, related_name="governance")
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    nome = models.CharField(_("organismo"), max_length=250)
    livello = models.CharField(_("livello"), max_length=20, choices=Livello.choices)
    composizione = models.TextField(_("composizione"), blank=True)
    funzioni = models.TextField(_("funzioni (Markdown)"), blank=True)
    history = HistoricalRecords(verbose_name=_("storico organismo di governance"))

    scope_ambito_path = "piano__ambito"
    scope_comune_path = None

    class Meta:
        verbose_name = _("organismo di governance")
        verbose_name_plural = _("organismi di governance")
        ordering = ["piano", "ordine", "pk"]

    def __str__(self) -> str:
        return self.nome
