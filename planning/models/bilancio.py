"""The plan's money (issue 14): what each fund gives the Ambito, how the plan spends it, what the Comuni owe.

- ``Assegnazione``: one yearly allocation of a fund to the plan's Ambito (the act that assigns it, its amount, the
  areas it may pay for, its spending and reporting deadlines). An allocation of a year before the plan's first year
  holds the residuals of the previous cycle: its budget lines are the plan's «residui».
- ``RigaBilancio``: the amount of one allocation planned for one intervention in one year of the plan. An
  intervention can draw on several funds, a fund pays for several interventions; the lines of an allocation never
  exceed its amount (planning.bilancio.services).
- ``Movimento``: a commitment (impegno) or a payment (liquidazione) on a budget line, with date and act. A change
  of an earlier figure is a new signed row whose nature says what Multifondo asks: a correction of an error or a
  de-commitment (economia). Never edited in place: the rows are the history. They protect their line: a line
  with movements is never deleted, not even with its intervention or its plan.
- ``QuotaComune``: what a Comune owes for the gestione associata in one year (computed by the plan's co-financing
  rule, planning.bilancio.shares) and what it has paid (``VersamentoComune``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, ParentScoped, Storicizzato
from territory.models import Comune

from .base import RigaDelPiano, piano_fk
from .catalogues import Fondo

ZERO = 0


class Assegnazione(Labelled, Storicizzato, RigaDelPiano):
    """A fund's allocation to the plan's Ambito for one year (riparto), with its act and its deadlines."""

    piano = piano_fk("assegnazioni")
    fondo = models.ForeignKey(Fondo, verbose_name=_("fondo"), on_delete=models.PROTECT, related_name="assegnazioni")
    anno = fields.anno(_("annualità del fondo"))
    importo = fields.amount(_("importo assegnato"), validators=[MinValueValidator(ZERO)])
    atto = models.CharField(_("atto di assegnazione"), max_length=300, blank=True, help_text=_("Es. «DGR XII/1234»"))
    data_atto = models.DateField(_("data dell'atto"), null=True, blank=True)
    aree = models.ManyToManyField(
        "planning.Area",
        verbose_name=_("aree ammissibili"),
        blank=True,
        related_name="assegnazioni",
        help_text=_("Vuoto: il fondo può finanziare tutte le aree del piano."),
    )
    scadenza_spesa = models.DateField(_("termine per la spesa"), null=True, blank=True)
    scadenza_rendicontazione = models.DateField(_("termine per la rendicontazione"), null=True, blank=True)
    dimostrativa = models.BooleanField(_("importo dimostrativo"), default=False)
    note = fields.text(_("note"))
    ordine = fields.ordine()

    label_format = "{self.fondo.codice} {self.anno}"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("assegnazione di un fondo")
        verbose_name_plural = _("assegnazioni dei fondi")
        ordering = ["piano", "fondo__ordine", "fondo__codice", "anno"]
        constraints = [models.UniqueConstraint(fields=["piano", "fondo", "anno"], name="assegnazione_fondo_anno_unica")]

    @property
    def residuo(self) -> bool:
        """An allocation of a year before the plan: the residuals carried from the previous cycle."""
        return self.anno < self.piano.anno_inizio


class RigaBilancio(Labelled, Storicizzato, RigaDelPiano):
    """The amount of one allocation planned for one intervention in one year of the plan."""

    piano = piano_fk("righe_bilancio")
    intervento = models.ForeignKey(
        "planning.Intervento", verbose_name=_("intervento"), on_delete=models.CASCADE, related_name="righe_bilancio"
    )
    assegnazione = models.ForeignKey(
        Assegnazione, verbose_name=_("fondo e annualità"), on_delete=models.PROTECT, related_name="righe"
    )
    anno = fields.anno(_("anno del piano"))
    importo = fields.amount(_("importo programmato"), validators=[MinValueValidator(ZERO)])
    nota = models.CharField(_("nota"), max_length=300, blank=True)

    label_format = "{self.assegnazione} → {self.intervento.titolo} ({self.anno})"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("riga del bilancio")
        verbose_name_plural = _("righe del bilancio")
        ordering = ["piano", "anno", "intervento__ordine", "assegnazione__fondo__ordine", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intervento", "assegnazione", "anno"], name="riga_bilancio_unica")
        ]

    @property
    def residuo(self) -> bool:
        return self.assegnazione.anno < self.piano.anno_inizio


class TipoMovimento(models.TextChoices):
    IMPEGNO = "impegno", _("Impegno")
    LIQUIDAZIONE = "liquidazione", _("Liquidazione")


class NaturaMovimento(models.TextChoices):
    """What a change is, as the Ministry's Multifondo platform asks."""

    NUOVO = "nuovo", _("Nuovo importo")
    CORREZIONE = "correzione", _("Correzione di un errore")
    DISIMPEGNO = "disimpegno", _("Disimpegno (economia)")


class Movimento(Labelled, Storicizzato, ParentScoped):
    """A commitment or a payment on a budget line (signed: a correction or a de-commitment is negative)."""

    scope_parent = "riga"

    # PROTECT: a line with commitments or payments is never deleted, not even with its intervention (admin)
    riga = models.ForeignKey(
        RigaBilancio, verbose_name=_("riga del bilancio"), on_delete=models.PROTECT, related_name="movimenti"
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoMovimento.choices)
    natura = models.CharField(_("natura"), max_length=20, choices=NaturaMovimento.choices, default="nuovo")
    data = models.DateField(_("data"))
    atto = models.CharField(_("atto"), max_length=200, help_text=_("Es. «Determina n. 123/2025»"))
    importo = fields.amount(_("importo"))
    nota = models.CharField(_("nota"), max_length=300, blank=True)
    creato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrato da"), on_delete=models.SET_NULL, null=True, blank=True
    )
    creato_il = models.DateTimeField(_("registrato il"), auto_now_add=True)

    label_format = "{self.tipo} {self.importo} ({self.atto})"

    class Meta:
        verbose_name = _("impegno o liquidazione")
        verbose_name_plural = _("impegni e liquidazioni")
        ordering = ["riga", "data", "pk"]


class MetodoQuote(models.TextChoices):
    PER_ABITANTE = "per_abitante", _("Per abitante")
    QUOTA_FISSA = "quota_fissa", _("Quota fissa uguale per ogni Comune")
    IMPORTI = "importi", _("Importi indicati Comune per Comune")


class RegolaQuote(Labelled, Storicizzato, ParentScoped):
    """The plan's co-financing rule: how the Comuni share the gestione associata's cost each year."""

    scope_parent = "piano"

    piano = models.OneToOneField(
        "planning.PianoDiZona", verbose_name=_("piano"), on_delete=models.CASCADE, related_name="regola_quote"
    )
    metodo = models.CharField(_("criterio di riparto"), max_length=20, choices=MetodoQuote.choices)
    anno_popolazione = fields.anno(_("anno della popolazione"), null=True, blank=True)
    importo_annuo = fields.amount(_("importo annuo da ripartire"), validators=[MinValueValidator(ZERO)])

    label_format = "{self.metodo}"

    class Meta:
        verbose_name = _("regola di compartecipazione dei Comuni")
        verbose_name_plural = _("regole di compartecipazione dei Comuni")


class QuotaComune(Labelled, Storicizzato, RigaDelPiano):
    """What a Comune owes for the gestione associata in one year of the plan."""

    piano = piano_fk("quote_comuni")
    comune = models.ForeignKey(Comune, verbose_name=_("comune"), on_delete=models.PROTECT, related_name="quote")
    anno = fields.anno(_("anno"))
    dovuto = fields.amount(_("quota dovuta"), validators=[MinValueValidator(ZERO)])

    label_format = "{self.comune} {self.anno}"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("quota di un Comune")
        verbose_name_plural = _("quote dei Comuni")
        ordering = ["piano", "anno", "comune__nome"]
        constraints = [models.UniqueConstraint(fields=["piano", "comune", "anno"], name="quota_comune_unica")]


class VersamentoComune(Labelled, Storicizzato, ParentScoped):
    """A payment of a Comune towards its yearly share."""

    scope_parent = "quota"

    quota = fields.parent_fk(QuotaComune, _("quota"), "versamenti")
    data = models.DateField(_("data"))
    importo = fields.amount(_("importo versato"), validators=[MinValueValidator(ZERO)])
    atto = models.CharField(_("riferimento"), max_length=200, blank=True)

    label_format = "{self.quota} {self.importo}"

    class Meta:
        verbose_name = _("versamento di un Comune")
        verbose_name_plural = _("versamenti dei Comuni")
        ordering = ["quota", "data", "pk"]
