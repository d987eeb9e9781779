"""Evaluation of the previous plan: the "scheda monografica" of seed 001 and the E1/E2 cards of seed 003.

A `Valutazione` belongs to the new plan (the chapter «Gli esiti della programmazione precedente») and states the
rule used for dimension 1. Each `SchedaValutazione` evaluates one objective of the previous plan: its planned
actions with their final state (`AzioneValutata`) and dimensions 1, 3-8 (2 for the E cards). Dimension 1 is never
typed: it is computed from the action states (planning.valutazione.rules); the printed percentage is kept to
compare. `Continuita` links an objective or intervention of the new plan to what it carries forward, so the
continuity answers are known instead of typed.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, ParentScoped, Storicizzato, Storico, WithDetailPage

from .base import RigaDelPiano, piano_fk
from .piano import Obiettivo, PianoDiZona
from .schede import Intervento, StatoAzione


class RegolaParziali(models.TextChoices):
    COME_REALIZZATE = "come_realizzate", _("le azioni parzialmente realizzate contano come realizzate")
    ESCLUSE = "escluse", _("contano solo le azioni realizzate pienamente")


class ModelloValutazione(models.TextChoices):
    MONOGRAFICA = "monografica", _("Scheda monografica (linee di indirizzo regionali)")
    E1 = "e1", _("Scheda E1 – obiettivo di Ambito")
    E2 = "e2", _("Scheda E2 – obiettivo di sub-ambito")


# The final state of a planned action (choices): the states of an intervention's actions but «programmata», with
# the actions still «in corso» listed last.
ESITI_AZIONE = [
    (stato.value, stato.label)
    for stato in sorted(StatoAzione, key=lambda stato: stato == StatoAzione.IN_CORSO)
    if stato != StatoAzione.PROGRAMMATA
]


class Risposta(models.TextChoices):
    SI = "si", _("Sì")
    PARZIALMENTE = "parzialmente", _("Parzialmente")
    NO = "no", _("No")


class Adeguatezza(models.TextChoices):
    ADEGUATO = "adeguato", _("Adeguato")
    SUFFICIENTE = "sufficiente", _("Sufficientemente adeguato")
    NON_ADEGUATO = "non_adeguato", _("Non adeguato")


class Valutazione(Labelled, RigaDelPiano):
    """The evaluation of the previous programming, written in the new plan."""

    piano = models.OneToOneField(
        PianoDiZona, verbose_name=_("piano che contiene la valutazione"), on_delete=models.CASCADE,
        related_name="valutazione",
    )  # fmt: skip
    periodo_valutato = models.CharField(_("periodo valutato"), max_length=30, help_text=_("Es. 2021-2023"))
    periodo_precedente = models.CharField(
        _("programmazione ancora precedente"),
        max_length=30,
        blank=True,
        help_text=_("Per la dimensione 7 (continuità), es. 2018-2020"),
    )
    piano_valutato = fields.optional_fk(
        PianoDiZona, _("piano valutato (se presente nel portale)"), "valutazioni_ricevute", on_delete=models.SET_NULL
    )
    regola_parziali = models.CharField(
        _("regola della dimensione 1"),
        max_length=20,
        choices=RegolaParziali.choices,
        default=RegolaParziali.COME_REALIZZATE,
        help_text=_("Come il piano conta le azioni parzialmente realizzate nel grado di raggiungimento"),
    )
    note = fields.text(_("note"))
    history = Storico(verbose_name=_("storico valutazione"))

    label_format = "Valutazione {self.periodo_valutato} — {self.piano}"

    class Meta:  # one per plan: no ordering
        verbose_name = _("valutazione della programmazione precedente")
        verbose_name_plural = _("valutazioni della programmazione precedente")

    def get_absolute_url(self) -> str:
        return reverse("planning:valutazione", kwargs={"slug": self.piano.slug})

    def clean(self) -> None:
        if self.piano_valutato_id and self.piano_id:
            if self.piano_valutato_id == self.piano_id:
                raise ValidationError({"piano_valutato": _("Un piano non valuta sé stesso.")})
            if self.piano_valutato.ambito_id != self.piano.ambito_id:
                raise ValidationError({"piano_valutato": _("Il piano valutato è di un altro Ambito.")})

    @property
    def parziali_come_realizzate(self) -> bool:
        return self.regola_parziali == RegolaParziali.COME_REALIZZATE


PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def risposta_field(label) -> models.CharField:
    """A yes / partly / no answer of an evaluation card (may stay unanswered)."""
    return models.CharField(label, max_length=20, choices=Risposta.choices, blank=True)


class SchedaValutazione(WithDetailPage, Storicizzato, ParentScoped):
    """One evaluation card: an objective of the previous plan, its actions and dimensions 1-8."""

    valutazione = fields.parent_fk(Valutazione, _("valutazione"), "schede")
    ordine = fields.ordine()
    modello = models.CharField(
        _("modello di scheda"),
        max_length=20,
        choices=ModelloValutazione.choices,
        default=ModelloValutazione.MONOGRAFICA,
    )
    area = models.CharField(_("area"), max_length=200, blank=True, help_text=_("Area del piano valutato"))
    sub_ambito = fields.optional_fk("territory.Ambito", _("sub-ambito"), "+")
    obiettivo = models.TextField(_("obiettivo valutato"))
    descrizione = fields.text(_("descrizione dell'obiettivo"))
    obiettivo_precedente = fields.optional_fk(
        Obiettivo,
        _("obiettivo del piano valutato"),
        "schede_valutazione",
        on_delete=models.SET_NULL,
        help_text=_("Solo se il piano valutato è nel portale"),
    )
    d1_esito = fields.text(_("1. esito come riportato"), help_text=_("Es. «Buon grado di raggiungimento»"))
    d1_percentuale_stampata = models.DecimalField(
        _("1. percentuale indicata nel documento"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=PERCENT,
        help_text=_("Solo per confronto: il grado di raggiungimento si calcola dalle azioni"),
    )  # fmt: skip
    d1_note = fields.text(_("1. note"))
    d2_utenti = fields.text(_("2. valutazione da parte degli utenti"))
    d3_adeguatezza = models.CharField(
        _("3. adeguatezza delle risorse umane e strumentali"), max_length=20, choices=Adeguatezza.choices, blank=True
    )
    d3_note = fields.text(_("3. note"))
    d4_esito = fields.text(_("4. risorse stanziate e impegnate/liquidate"))
    d4_stanziato = fields.optional_amount(_("4. stanziato (€)"))
    d4_impegnato = fields.optional_amount(_("4. impegnato (€)"))
    d4_liquidato = fields.optional_amount(_("4. liquidato (€)"))
    d5_criticita = fields.text(_("5. criticità rilevate"))
    d6_risposta = risposta_field(_("6. l'obiettivo ha risposto al bisogno"))
    d6_note = fields.text(_("6. motivazione"))
    d7_risposta = risposta_field(_("7. in continuità con la programmazione precedente"))
    d7_note = fields.text(_("7. note"))
    d8_risposta = risposta_field(_("8. riproposto nella nuova programmazione"))
    d8_note = fields.text(_("8. motivazione"))

    scope_parent = "valutazione"

    detail_url = "planning:scheda_valutazione"

    class Meta:
        verbose_name = _("scheda di valutazione")
        verbose_name_plural = _("schede di valutazione")
        ordering = ["valutazione", "ordine", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(d4_stanziato__isnull=True) | models.Q(d4_stanziato__gte=0))
                & (models.Q(d4_impegnato__isnull=True) | models.Q(d4_impegnato__gte=0))
                & (models.Q(d4_liquidato__isnull=True) | models.Q(d4_liquidato__gte=0)),
                name="scheda_valutazione_importi_non_negativi",
            ),
        ]

    def __str__(self) -> str:
        return self.obiettivo if len(self.obiettivo) <= 120 else self.obiettivo[:117] + "…"

    def clean(self) -> None:
        errors = {}
        for name in ("d4_stanziato", "d4_impegnato", "d4_liquidato"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("L'importo non può essere negativo.")
        if (
            self.d4_impegnato is not None
            and self.d4_liquidato is not None
            and "d4_liquidato" not in errors
            and self.d4_liquidato > self.d4_impegnato
        ):
            errors["d4_liquidato"] = _("Il liquidato non può superare l'impegnato.")
        if errors:
            raise ValidationError(errors)

    @property
    def d4_coincidenza(self) -> Decimal | None:
        """Committed over allocated resources, in percent (dimension 4), when the amounts are known."""
        if self.d4_stanziato and self.d4_impegnato is not None:
            return (self.d4_impegnato * 100 / self.d4_stanziato).quantize(Decimal("0.1"))
        return None


class AzioneValutata(Labelled, Storicizzato, ParentScoped):
    """A planned action of the previous plan with its final state."""

    scheda = fields.parent_fk(SchedaValutazione, _("scheda"), "azioni")
    ordine = fields.ordine()
    gruppo = models.CharField(_("gruppo"), max_length=200, blank=True, help_text=_("Es. «Per famiglie fragili»"))
    titolo = models.TextField(_("azione programmata"))
    stato = models.CharField(_("stato finale"), max_length=30, choices=ESITI_AZIONE)
    desunto = models.BooleanField(
        _("stato desunto"),
        default=False,
        help_text=_("Il documento non indica lo stato di questa azione: è attribuito in coerenza con i conteggi"),
    )
    nota = fields.text(_("nota"))

    scope_parent = "scheda"
    label_format = "{self.titolo}"

    class Meta:
        verbose_name = _("azione valutata")
        verbose_name_plural = _("azioni valutate")
        ordering = ["scheda", "ordine", "pk"]


class Continuita(Labelled, RigaDelPiano):
    """Carry-forward link: an objective or an intervention of `piano`, copied from the previous programming.

    Exactly one of `obiettivo` / `intervento` (the new object) and one origin (an evaluation card, an objective
    or an intervention of an earlier plan) are set.
    """

    piano = piano_fk("riprese")
    obiettivo = models.OneToOneField(
        Obiettivo, verbose_name=_("obiettivo del nuovo piano"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="continuita",
    )  # fmt: skip
    intervento = models.OneToOneField(
        Intervento, verbose_name=_("intervento del nuovo piano"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="continuita",
    )  # fmt: skip
    da_scheda = fields.optional_fk(SchedaValutazione, _("dalla scheda di valutazione"), "riprese")
    da_obiettivo = fields.optional_fk(Obiettivo, _("dall'obiettivo"), "riprese")
    da_intervento = fields.optional_fk(Intervento, _("dall'intervento"), "riprese")
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)
    creato_da = fields.user_fk(_("creato da"), null=True, related_name="+")
    history = Storico(verbose_name=_("storico continuità"))

    label_format = "{self.nuovo} ← {self.origine}"

    class Meta(RigaDelPiano.Meta):
        verbose_name = _("continuità con la programmazione precedente")
        verbose_name_plural = _("continuità con la programmazione precedente")
        ordering = ["piano", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(obiettivo__isnull=False, intervento__isnull=True)
                    | models.Q(obiettivo__isnull=True, intervento__isnull=False)
                ),
                name="continuita_un_solo_oggetto_nuovo",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(da_scheda__isnull=False) | models.Q(da_obiettivo__isnull=False)
                    | models.Q(da_intervento__isnull=False)
                ),
                name="continuita_con_origine",
            ),
        ]  # fmt: skip

    @property
    def nuovo(self):
        return self.obiettivo or self.intervento

    @property
    def origine(self):
        return self.da_scheda or self.da_obiettivo or self.da_intervento

    @property
    def origine_descrizione(self) -> str:
        """«obiettivo … (valutazione 2021-2023)» as shown next to a continuity answer."""
        if self.da_scheda_id:
            return f"«{self.da_scheda}» (valutazione {self.da_scheda.valutazione.periodo_valutato})"
        if self.da_obiettivo_id:
            return f"«{self.da_obiettivo}» ({self.da_obiettivo.piano})"
        return f"«{self.da_intervento}» ({self.da_intervento.piano})"
