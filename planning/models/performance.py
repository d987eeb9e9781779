"""The performance plan of the social sector (seed 004): strategic objectives coded on the budget classification
(`2_1201_0`: Missione 12, Programma 01), operational objectives with their dirigente, indicators (target and
achieved value), ratings A/M/B, peso, the dirigente's report and the evaluation: risultato (0-80) + qualitativa
(0-20) = total (0-100), always computed.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, ParentScoped, Storicizzato, WithDetailPage

from .base import DellAmbito, ambito_fk

MAX_RISULTATO = 80
MAX_QUALITATIVA = 20
CODICE_STRATEGICO_RE = re.compile(r"^\d+_(?P<missione>\d{2})(?P<programma>\d{2})(?:_\d+)?$")


class ProgrammaBilancio(Labelled):
    """A programme of the budget classification (D.Lgs. 118/2011): Missione 12 «Diritti sociali…» → Programma 01."""

    missione = models.CharField(_("missione"), max_length=2)
    missione_nome = models.CharField(_("denominazione della missione"), max_length=200)
    programma = models.CharField(_("programma"), max_length=2)
    programma_nome = models.CharField(_("denominazione del programma"), max_length=250)

    label_format = "{self.missione} {self.programma} — {self.missione_nome} / {self.programma_nome}"

    class Meta:
        verbose_name = _("programma di bilancio")
        verbose_name_plural = _("missioni e programmi di bilancio")
        ordering = ["missione", "programma"]
        constraints = [models.UniqueConstraint(fields=["missione", "programma"], name="programma_bilancio_unico")]

    @property
    def etichetta(self) -> str:
        return f"{self.missione_nome} / {self.programma_nome}"


def codice_missione_programma(codice: str) -> tuple[str, str] | None:
    """`2_1201_0` → ("12", "01"); `8_0401` → ("04", "01"); None when the code does not follow the pattern."""
    match = CODICE_STRATEGICO_RE.match(codice.strip())
    return (match["missione"], match["programma"]) if match else None


class Valutazione3(models.TextChoices):
    ALTA = "A", _("A – alta")
    MEDIA = "M", _("M – media")
    BASSA = "B", _("B – bassa")


def valutazione3_field(label) -> models.CharField:
    """A rating A/M/B of an operational objective (may stay empty)."""
    return models.CharField(label, max_length=1, choices=Valutazione3.choices, blank=True)


def punti_field(label, massimo: int) -> models.DecimalField:
    """Points of an evaluation, from 0 to `massimo` (may stay empty until the evaluation is written)."""
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal(0), format_lazy(_("La {} non può essere negativa."), label)),
            MaxValueValidator(Decimal(massimo), format_lazy(_("La {} va da 0 a {} punti."), label, massimo)),
        ],
    )


class PianoPerformance(WithDetailPage, Labelled, Storicizzato, DellAmbito):
    """The performance plan of one year for the social sector of an ente of the Ambito."""

    ambito = ambito_fk("piani_performance", on_delete=models.PROTECT)
    slug = models.SlugField(_("identificativo"), max_length=100, unique=True)
    titolo = models.CharField(_("titolo"), max_length=250)
    ente = models.CharField(_("ente e settore"), max_length=250, blank=True)
    anno = fields.anno()
    note = fields.text(_("note"))

    label_format = "{self.titolo}"

    detail_url = "planning:performance_detail"
    detail_url_field = "slug"

    class Meta:
        verbose_name = _("piano della performance")
        verbose_name_plural = _("piani della performance")
        ordering = ["ambito__nome", "-anno", "titolo"]


class ObiettivoStrategico(Storicizzato, ParentScoped):
    piano = fields.parent_fk(PianoPerformance, _("piano"), "obiettivi_strategici")
    codice = models.CharField(_("codice"), max_length=30, help_text=_("Es. 2_1201_0: missione 12, programma 01"))
    testo = models.TextField(_("obiettivo strategico"))
    programma = fields.optional_fk(
        ProgrammaBilancio, _("missione e programma"), "+", help_text=_("Ricavati dal codice")
    )
    ordine = fields.ordine()

    scope_parent = "piano"

    class Meta:
        verbose_name = _("obiettivo strategico")
        verbose_name_plural = _("obiettivi strategici")
        ordering = ["piano", "ordine", "codice"]
        constraints = [models.UniqueConstraint(fields=["piano", "codice"], name="obiettivo_strategico_codice_unico")]

    def __str__(self) -> str:
        return f"{self.codice} {self.testo[:80]}"

    def clean(self) -> None:
        if self.codice and codice_missione_programma(self.codice) is None:
            raise ValidationError(
                {"codice": _("Il codice deve avere la forma N_MMPP (es. 2_1201_0): MM missione, PP programma.")}
            )


class ObiettivoOperativo(WithDetailPage, Labelled, Storicizzato, ParentScoped):
    strategico = fields.parent_fk(ObiettivoStrategico, _("obiettivo strategico"), "operativi")
    codice = models.CharField(_("codice"), max_length=30, help_text=_("Es. 2_1201_0401"))
    testo = fields.text(_("obiettivo operativo («rivisto» o accorpato)"))
    obiettivi_collegati = fields.text(_("obiettivi operativi collegati"))
    dirigente_nome = models.CharField(_("dirigente"), max_length=200)
    dirigente_utente = fields.user_fk(
        _("utente del dirigente"),
        null=True,
        blank=True,
        related_name="obiettivi_performance",
        help_text=_("L'utente che scrive il report del dirigente"),
    )
    note = fields.text(_("note"))
    indicatori_testo = fields.text(_("indicatori proposti (come nel documento)"))
    strategicita = valutazione3_field(_("strategicità"))
    complessita = valutazione3_field(_("complessità"))
    impatto = valutazione3_field(_("impatto e/o innovatività"))
    economicita = valutazione3_field(_("economicità"))
    peso = models.PositiveSmallIntegerField(
        _("peso dell'obiettivo"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    report = fields.text(_("report del dirigente"))
    valutazione_risultato = punti_field(_("valutazione di risultato"), MAX_RISULTATO)
    valutazione_qualitativa = punti_field(_("valutazione qualitativa"), MAX_QUALITATIVA)
    totale_stampato = models.DecimalField(
        _("totale indicato nel documento"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Solo per confronto: il totale è sempre calcolato"),
    )
    ordine = fields.ordine()

    scope_parent = "strategico"
    label_format = "{self.codice}"

    detail_url = "planning:obiettivo_operativo"

    class Meta:
        verbose_name = _("obiettivo operativo")
        verbose_name_plural = _("obiettivi operativi")
        ordering = ["strategico__piano", "ordine", "codice"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valutazione_risultato__isnull=True)
                | models.Q(valutazione_risultato__gte=0, valutazione_risultato__lte=MAX_RISULTATO),
                name="performance_risultato_0_80",
            ),
            models.CheckConstraint(
                condition=models.Q(valutazione_qualitativa__isnull=True)
                | models.Q(valutazione_qualitativa__gte=0, valutazione_qualitativa__lte=MAX_QUALITATIVA),
                name="performance_qualitativa_0_20",
            ),
        ]

    def clean(self) -> None:
        errors = {}
        if self.valutazione_risultato is not None and not (0 <= self.valutazione_risultato <= MAX_RISULTATO):
            errors["valutazione_risultato"] = _("La valutazione di risultato va da 0 a 80 punti.")
        if self.valutazione_qualitativa is not None and not (0 <= self.valutazione_qualitativa <= MAX_QUALITATIVA):
            errors["valutazione_qualitativa"] = _("La valutazione qualitativa va da 0 a 20 punti.")
        if errors:
            raise ValidationError(errors)

    @property
    def totale(self) -> Decimal | None:
        """Risultato + qualitativa (0-100): computed, never typed; None until one of the two is given."""
        parts = [v for v in (self.valutazione_risultato, self.valutazione_qualitativa) if v is not None]
        return sum(parts, Decimal(0)) if parts else None

    @property
    def totale_difforme(self) -> bool:
        return self.totale_stampato is not None and self.totale is not None and self.totale != self.totale_stampato


class IndicatorePerformance(Labelled, Storicizzato, ParentScoped):
    """An indicator of an operational objective: the target (number and wording) and the achieved value."""

    obiettivo = fields.parent_fk(ObiettivoOperativo, _("obiettivo operativo"), "indicatori")
    ordine = fields.ordine()
    descrizione = models.CharField(_("indicatore"), max_length=400)
    target = fields.optional_amount(_("target"))
    unita = models.CharField(_("unità di misura"), max_length=60, blank=True)
    raggiunto = fields.optional_amount(_("valore raggiunto"))

    scope_parent = "obiettivo"
    label_format = "{self.descrizione}"

    class Meta:
        verbose_name = _("indicatore di performance")
        verbose_name_plural = _("indicatori di performance")
        ordering = ["obiettivo", "ordine", "pk"]

    @property
    def percentuale(self) -> Decimal | None:
        if self.target and self.raggiunto is not None:
            return (self.raggiunto * 100 / self.target).quantize(Decimal("0.1"))
        return None
