"""Campaigns: `Campagna` (an Ambito's yearly collection of one SOSE template, e.g. NID26 for 2025) with its
milestones (`Scadenza`), the Comuni it expects and the state of the Ambito's set at the Regione.

The schede themselves stay `monitoring.Scheda` (one per template and Comune); a campaign groups those of its
expected Comuni. Imported by monitoring/models.py so that Django registers the models.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import fields
from core.constraints import links_by_kind
from core.models import HistoryUser, Labelled, Storico, WithDetailPage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class StatoCampagna(models.TextChoices):
    APERTA = "aperta", _("Aperta")
    PRESENTATA = "presentata", _("Presentata alla Regione")
    APPROVATA = "approvata", _("Approvata dalla Regione")
    RESTITUITA = "restituita", _("Restituita dalla Regione")


# States in which the Ambito's set is at the Regione or approved: the schede of the campaign are read-only.
LOCKED_STATES = {StatoCampagna.PRESENTATA, StatoCampagna.APPROVATA}


class Campagna(Labelled, WithDetailPage, HistoryUser):
    """One Ambito's yearly campaign of one template (NID26 2025, SOC26 2025…)."""

    ambito = fields.parent_fk("territory.Ambito", _("ambito"), "campagne")
    modello = models.ForeignKey(
        "monitoring.ModelloScheda", verbose_name=_("modello"), on_delete=models.PROTECT, related_name="campagne"
    )
    comuni = models.ManyToManyField(
        "territory.Comune",
        verbose_name=_("Comuni attesi"),
        related_name="campagne",
        help_text=_("I Comuni che devono inviare la scheda in questa campagna"),
    )
    copia_anno_precedente = models.BooleanField(
        _("copia i valori dell'anno precedente"),
        default=True,
        help_text=_("All'apertura ogni scheda nuova riprende gli input della scheda dell'anno prima, da verificare"),
    )
    promemoria_giorni = models.CharField(
        _("promemoria (giorni prima dell'invio)"),
        max_length=60,
        default="30,7,0",
        help_text=_("Giorni prima della scadenza di invio in cui scrivere agli Operatori, separati da virgola"),
    )
    promemoria_settimanali = models.BooleanField(_("promemoria settimanali dopo la scadenza"), default=True)
    stato = models.CharField(_("stato"), max_length=12, choices=StatoCampagna.choices, default=StatoCampagna.APERTA)
    motivo = fields.text(_("motivazione dell'ultimo cambio di stato"))
    versione = models.PositiveIntegerField(_("versione"), default=1, help_text=_("Per il blocco ottimistico"))
    dimostrativa = models.BooleanField(
        _("dati dimostrativi"), default=False, help_text=_("Campagna caricata dai dati demo, non reale")
    )
    aperta_il = models.DateTimeField(_("aperta il"), auto_now_add=True)
    aperta_da = fields.user_fk(_("aperta da"), null=True, blank=True, related_name="+")
    presentata_il = models.DateTimeField(_("presentata alla Regione il"), null=True, blank=True)
    approvata_il = models.DateTimeField(_("approvata il"), null=True, blank=True)
    approvata_da = fields.user_fk(_("approvata da"), null=True, blank=True, related_name="+")

    history = Storico(excluded_fields=["versione"])

    scope_ambito_path = "ambito"
    scope_comune_path = None

    label_format = "{self.sigla} — {self.ambito.nome}"
    detail_url = "monitoring:campagna_detail"

    class Meta:
        verbose_name = _("campagna SOSE")
        verbose_name_plural = _("campagne SOSE")
        ordering = ["-modello__anno_riferimento", "modello__codice", "ambito__nome"]
        constraints = [models.UniqueConstraint(fields=["ambito", "modello"], name="campagna_unica_ambito_modello")]

    @property
    def sigla(self) -> str:
        """«NID26 2025»: the template and its reference year (a string, so pages never print the year as 2.025)."""
        return f"{self.modello.codice} {self.modello.anno_riferimento}"

    @property
    def bloccata(self) -> bool:
        """Whether the Ambito's set is at the Regione or approved: its schede are read-only."""
        return self.stato in LOCKED_STATES

    def offsets(self) -> list[int]:
        """The reminder offsets in days before the sending deadline, largest first (validated by the form)."""
        return sorted({int(p) for p in self.promemoria_giorni.replace(" ", "").split(",") if p}, reverse=True)


class TipoScadenza(models.TextChoices):
    APPROVAZIONE = "approvazione", _("Approvazione con il rendiconto (Giunta/Consiglio)")
    INVIO = "invio", _("Invio a SOSE")
    ALTRA = "altra", _("Altra scadenza")


def default_milestones(anno_riferimento: int, scadenza_invio: datetime.date) -> list[tuple[str, datetime.date]]:
    """SOSE's procedure: approval with the rendiconto by 30 April of the next year, sending by the template's
    due date (31 May)."""
    return [
        (TipoScadenza.APPROVAZIONE, datetime.date(anno_riferimento + 1, 4, 30)),
        (TipoScadenza.INVIO, scadenza_invio),
    ]


class Scadenza(Labelled, HistoryUser):
    """A milestone of a campaign: approval with the rendiconto, sending to SOSE, or a date the Ufficio sets."""

    campagna = fields.parent_fk(Campagna, _("campagna"), "scadenze")
    tipo = models.CharField(_("tipo"), max_length=14, choices=TipoScadenza.choices)
    titolo = models.CharField(_("titolo"), max_length=200, blank=True, help_text=_("Solo per «Altra scadenza»"))
    data = models.DateField(_("data"))

    history = Storico()

    scope_ambito_path = "campagna__ambito"
    scope_comune_path = None

    label_format = "{self.nome} — {self.data:%d/%m/%Y}"

    class Meta:
        verbose_name = _("scadenza della campagna")
        verbose_name_plural = _("scadenze della campagna")
        ordering = ["data", "tipo"]
        constraints = [
            models.UniqueConstraint(
                fields=["campagna", "tipo"],
                condition=~models.Q(tipo="altra"),
                name="scadenza_unica_per_tipo",
            )
        ]

    @property
    def nome(self) -> str:
        return self.titolo if self.tipo == TipoScadenza.ALTRA and self.titolo else str(self.get_tipo_display())


class TipoPromemoria(models.TextChoices):
    PROMEMORIA = "promemoria", _("Promemoria di invio della scheda")
    RIEPILOGO = "riepilogo", _("Riepilogo settimanale all'Ufficio di Piano")
    FONDO = "fondo", _("Scadenza di un fondo del piano")


# What each kind of e-mail is about: the links it sets (the others stay empty), which with the recipient and the
# step make it sent once, and the name of the constraint that says so.
LINKS_OF_TIPO = {
    TipoPromemoria.PROMEMORIA: ("campagna", "scheda"),
    TipoPromemoria.RIEPILOGO: (),
    TipoPromemoria.FONDO: ("assegnazione",),
}
ONCE_PER_STEP = {
    TipoPromemoria.PROMEMORIA: "promemoria_unico_per_passo",
    TipoPromemoria.RIEPILOGO: "riepilogo_unico_per_settimana",
    TipoPromemoria.FONDO: "promemoria_fondo_unico_per_passo",
}


def link_of_promemoria(to: type[models.Model] | str, label: StrOrPromise, help_text: StrOrPromise = "") -> Any:
    """What an e-mail is about (a campaign, a scheda, a fund's allocation), set by the kinds that name it in
    LINKS_OF_TIPO; the e-mail is deleted with it."""
    return fields.optional_fk(to, label, "promemoria", on_delete=models.CASCADE, help_text=help_text)


class Promemoria(models.Model):
    """One e-mail sent by the reminders (monitoring.campaigns.reminders): to whom, when, for which scheda and step.

    The row is written before the mail is sent, in the same transaction: the unique constraints are what makes a
    step never sent twice (a second run, or a second process at the same moment, fails to insert and skips); a
    failed sending rolls the row back, so a later run sends it. `passo` is the step: «-30», «-7», «0» (days to the
    sending deadline), «+7», «+14»… (weekly while overdue) for a scheda; the ISO week («2026-W22») for a digest;
    «spesa-30», «rendiconto-7», «spesa0»… for a deadline of a fund's allocation (`assegnazione`).
    """

    destinatario = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("destinatario"), on_delete=models.CASCADE, related_name="promemoria"
    )
    email = models.EmailField(_("indirizzo e-mail"), help_text=_("L'indirizzo a cui è stato inviato"))
    tipo = models.CharField(_("tipo"), max_length=12, choices=TipoPromemoria.choices)
    campagna = link_of_promemoria(
        Campagna, _("campagna"), _("Vuota per il riepilogo settimanale, che riguarda tutte le campagne dell'Ufficio")
    )
    scheda = link_of_promemoria("monitoring.Scheda", _("scheda"))
    assegnazione = link_of_promemoria(
        "planning.Assegnazione",
        _("assegnazione del fondo"),
        _("Per il promemoria di una scadenza di un fondo del piano"),
    )
    passo = models.CharField(_("passo"), max_length=16)
    oggetto = models.CharField(_("oggetto"), max_length=250)
    testo = models.TextField(_("testo"))
    inviato_il = models.DateTimeField(_("inviato il"), default=timezone.now)

    class Meta:
        verbose_name = _("promemoria inviato")
        verbose_name_plural = _("promemoria inviati")
        ordering = ["-inviato_il", "-pk"]
        indexes = [models.Index(fields=["destinatario", "-inviato_il"], name="promemoria_dest_data_idx")]
        constraints = [
            *(
                models.UniqueConstraint(
                    fields=["destinatario", *links, "passo"], condition=models.Q(tipo=tipo), name=ONCE_PER_STEP[tipo]
                )
                for tipo, links in LINKS_OF_TIPO.items()
            ),
            links_by_kind("tipo", LINKS_OF_TIPO, name="promemoria_scheda_riepilogo_o_fondo"),
        ]

    def __str__(self) -> str:
        return f"{self.oggetto} → {self.email} ({self.inviato_il:%d/%m/%Y %H:%M})"
