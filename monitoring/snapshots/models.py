"""Quarterly snapshots of a Piano di Zona: `Rilevazione` (plan × quarter, e.g. 2025-T1) with one
`StatoAzioneRilevato` per action and one `ValoreIndicatoreRilevato` per indicator, each with a comment.

A closed snapshot is read-only (monitoring.snapshots.services refuses every change) and keeps its history
(django-simple-history on every row). Imported by monitoring/models.py so that Django registers the models.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import HistoryUser, Labelled, ParentScoped, Storicizzato, Storico, WithDetailPage
from planning.models import StatoAzione


class StatoRilevazione(models.TextChoices):
    APERTA = "aperta", _("Aperta")
    CHIUSA = "chiusa", _("Chiusa")


class Rilevazione(Labelled, WithDetailPage, HistoryUser, ParentScoped):
    """The snapshot of one plan in one quarter."""

    piano = fields.parent_fk("planning.PianoDiZona", _("piano"), "rilevazioni")
    anno = fields.anno()
    trimestre = models.PositiveSmallIntegerField(
        _("trimestre"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    stato = models.CharField(
        _("stato"), max_length=10, choices=StatoRilevazione.choices, default=StatoRilevazione.APERTA
    )
    note = fields.text(_("note"))
    dimostrativa = models.BooleanField(
        _("dati dimostrativi"), default=False, help_text=_("Valori plausibili caricati dai dati demo, non reali")
    )
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)
    creata_da = fields.user_fk(_("creata da"), null=True, blank=True, related_name="+")
    chiusa_il = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    chiusa_da = fields.user_fk(_("chiusa da"), null=True, blank=True, related_name="+")
    history = Storico(verbose_name=_("storico rilevazione"))

    scope_parent = "piano"

    label_format = "{self.codice} — {self.piano}"
    detail_url = "monitoring:rilevazione_detail"

    class Meta:
        verbose_name = _("rilevazione trimestrale")
        verbose_name_plural = _("rilevazioni trimestrali")
        ordering = ["piano", "anno", "trimestre"]
        constraints = [
            models.UniqueConstraint(fields=["piano", "anno", "trimestre"], name="rilevazione_unica_per_trimestre"),
            models.UniqueConstraint(
                fields=["piano"], condition=models.Q(stato="aperta"), name="una_rilevazione_aperta_per_piano"
            ),
            models.CheckConstraint(condition=models.Q(trimestre__gte=1, trimestre__lte=4), name="trimestre_1_4"),
        ]

    def clean(self) -> None:
        if self.piano_id and self.anno and (error := self.piano.errore_anno(self.anno)):
            raise ValidationError({"anno": error})

    @property
    def codice(self) -> str:
        """«2025-T1»."""
        return f"{self.anno}-T{self.trimestre}"

    @property
    def chiusa(self) -> bool:
        return self.stato == StatoRilevazione.CHIUSA

    @property
    def fine_trimestre(self) -> datetime.date:
        """The quarter's last day (31/03, 30/06, 30/09, 31/12): the date of the snapshot's money."""
        month = 3 * self.trimestre
        return datetime.date(self.anno, month, calendar.monthrange(self.anno, month)[1])


class RigaDellaRilevazione(Labelled, HistoryUser, ParentScoped):
    """What a snapshot records about one item of the plan (an action, an indicator), with a comment."""

    scope_parent = "rilevazione"

    class Meta:
        abstract = True


class StatoAzioneRilevato(Storicizzato, RigaDellaRilevazione):
    """The state of one action of the plan at the snapshot, with a comment."""

    rilevazione = fields.parent_fk(Rilevazione, _("rilevazione"), "stati_azioni")
    azione = fields.parent_fk("planning.Azione", _("azione"), "stati_rilevati")
    stato = models.CharField(_("stato"), max_length=30, choices=StatoAzione.choices, default=StatoAzione.PROGRAMMATA)
    commento = fields.text(_("commento"))

    label_format = "{self.rilevazione.codice} {self.azione}"

    class Meta:
        verbose_name = _("stato dell'azione rilevato")
        verbose_name_plural = _("stati delle azioni rilevati")
        ordering = ["rilevazione", "azione__intervento__ordine", "azione__ordine", "pk"]
        constraints = [models.UniqueConstraint(fields=["rilevazione", "azione"], name="stato_azione_unico")]


class ValoreIndicatoreRilevato(Storicizzato, RigaDellaRilevazione):
    """The measured value of one indicator at the snapshot (cumulated since the start of the year), with a comment."""

    rilevazione = fields.parent_fk(Rilevazione, _("rilevazione"), "valori_indicatori")
    indicatore = fields.parent_fk("planning.Indicatore", _("indicatore"), "valori_rilevati")
    valore = fields.optional_amount(_("valore rilevato"))
    commento = fields.text(_("commento"))

    label_format = "{self.rilevazione.codice} {self.indicatore}"

    class Meta:
        verbose_name = _("valore dell'indicatore rilevato")
        verbose_name_plural = _("valori degli indicatori rilevati")
        ordering = ["rilevazione", "indicatore__intervento__ordine", "indicatore__ordine", "pk"]
        constraints = [models.UniqueConstraint(fields=["rilevazione", "indicatore"], name="valore_indicatore_unico")]
