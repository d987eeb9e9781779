"""Network sections of the plan: projects of the network, PNRR lines with amounts, services in gestione
associata, governance bodies."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, ParentScoped, Storicizzato, Storico

from .base import RigaDelPiano, fondi_m2m, piano_fk
from .catalogues import Fondo
from .piano import Area


class RigaDiArea(Labelled, RigaDelPiano):
    """A row of a plan section grouped by the plan's areas (listed area by area) and paid by some funds."""

    class Meta(RigaDelPiano.Meta):
        abstract = True
        ordering = ["piano", "area__ordine", "ordine", "pk"]


class Progetto(RigaDiArea):
    """A project of the network (seed 001, chapter 4): progetto, fonte, stato, aree di lavoro, capofila, partner."""

    piano = piano_fk("progetti")
    area = fields.optional_fk(Area, _("area"), "progetti", on_delete=models.SET_NULL)
    ordine = fields.ordine()
    titolo = models.CharField(_("progetto"), max_length=300)
    fonte_finanziamento = fields.text(_("fonte di finanziamento"))
    stato_realizzazione = fields.text(_("stato di realizzazione"))
    aree_lavoro = fields.text(_("aree di lavoro (Markdown)"))
    capofila = models.CharField(_("capofila"), max_length=300, blank=True)
    partenariato = fields.text(_("partenariato e rete"))
    fondi = fondi_m2m("progetti")
    history = Storico(verbose_name=_("storico progetto"))

    label_format = "{self.titolo}"

    class Meta(RigaDiArea.Meta):
        verbose_name = _("progetto della rete")
        verbose_name_plural = _("progetti della rete")


class LineaPNRR(Labelled, Storicizzato, RigaDelPiano):
    """A PNRR M5C2 line acquired by the Ambito, with one or more amount items."""

    piano = piano_fk("linee_pnrr")
    fondo = fields.optional_fk(Fondo, _("fondo"), "linee_pnrr")
    ordine = fields.ordine()
    codice = models.CharField(_("linea"), max_length=20)
    titolo = models.CharField(_("titolo della linea"), max_length=300)
    intervento = fields.text(_("intervento"))
    totale_stampato = fields.optional_amount(
        _("totale indicato nel documento"),
        help_text=_("Il totale come scritto nella fonte: il portale lo confronta con la somma delle voci."),
    )

    label_format = "{self.codice} {self.titolo}"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("linea PNRR")
        verbose_name_plural = _("linee PNRR")
        ordering = ["piano", "ordine", "codice"]

    # Read from `voci.all()`: prefetch the items when listing lines (planning.piano.selectors).
    @property
    def totale(self) -> Decimal:
        """The total computed from the items (investment plus yearly management × years)."""
        return sum((v.totale for v in self.voci.all()), start=Decimal("0"))

    @property
    def totale_documento(self) -> Decimal | None:
        """The total the document prints for the line: its own, else the sum of its items' printed totals (None when
        nothing is printed): what the page shows and its export writes."""
        if self.totale_stampato is not None:
            return self.totale_stampato
        stampati = [v.totale_stampato for v in self.voci.all() if v.totale_stampato is not None]
        return sum(stampati, start=Decimal("0")) if stampati else None

    @property
    def totale_difforme(self) -> bool:
        """The line's printed total differs from the sum of its items (a line without items sums to zero)."""
        return self.totale_stampato is not None and self.totale_stampato != self.totale

    @property
    def difforme(self) -> bool:
        """The printed total of the line or of one of its items differs from the computed one."""
        return self.totale_difforme or any(v.totale_difforme for v in self.voci.all())


class VocePNRR(Storicizzato, ParentScoped):
    """An amount item of a PNRR line: investment plus yearly management for a number of years."""

    linea = fields.parent_fk(LineaPNRR, _("linea"), "voci")
    ordine = fields.ordine()
    nome = models.CharField(_("voce"), max_length=200, blank=True)
    investimento = fields.amount(_("investimento"), default=Decimal("0"))
    gestione_annua = fields.amount(_("gestione annua"), default=Decimal("0"))
    anni_gestione = models.PositiveSmallIntegerField(_("anni di gestione"), default=0)
    totale_stampato = fields.optional_amount(_("totale indicato nel documento"))

    scope_parent = "linea"

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


class ServizioAssociato(Storicizzato, RigaDiArea):
    """A service in gestione associata (seed 001, chapter 7)."""

    piano = piano_fk("servizi_associati")
    area = fields.optional_fk(Area, _("area"), "servizi_associati", on_delete=models.SET_NULL)
    ordine = fields.ordine()
    nome = models.CharField(_("azioni e interventi in gestione associata"), max_length=300)
    attivita_target = fields.text(_("attività e target"))
    canali_finanziamento = fields.text(_("canali di finanziamento"))
    strumenti = fields.text(_("strumenti utilizzati"))
    tempistica = models.CharField(_("tempistica"), max_length=200, blank=True)
    fondi = fondi_m2m("servizi_associati")

    class Meta(RigaDiArea.Meta):
        verbose_name = _("servizio in gestione associata")
        verbose_name_plural = _("servizi in gestione associata")


class OrganismoGovernance(Labelled, Storicizzato, RigaDelPiano):
    """A governance body or instrument of the Ambito, with its level and functions (seed 001, chapter 8)."""

    class Livello(models.TextChoices):
        ISTITUZIONALE = "istituzionale", _("Strumenti ed ente capofila")
        POLITICO = "politico", _("Indirizzo e amministrazione politica")
        TECNICO = "tecnico", _("Tecnico-amministrativo di programmazione e gestione")
        CONSULTIVO = "consultivo", _("Consultazione e collaborazione con il territorio")
        SOCIOSANITARIO = "sociosanitario", _("Integrazione sociosanitaria")

    piano = piano_fk("governance")
    ordine = fields.ordine()
    nome = models.CharField(_("organismo"), max_length=250)
    livello = models.CharField(_("livello"), max_length=20, choices=Livello.choices)
    composizione = fields.text(_("composizione"))
    funzioni = fields.text(_("funzioni (Markdown)"))

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("organismo di governance")
        verbose_name_plural = _("organismi di governance")
