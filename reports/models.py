"""Generated report files: cached by a hash of the data they read, produced in the background when slow."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    """One generation of a report for a given data fingerprint (the cache key)."""

    class Stato(models.TextChoices):
        IN_CORSO = "in_corso", _("In preparazione")
        PRONTO = "pronto", _("Pronto")
        ERRORE = "errore", _("Errore")

    chiave = models.CharField(_("chiave (hash dei dati)"), max_length=64, unique=True)
    tipo = models.CharField(_("tipo di report"), max_length=40)
    titolo = models.CharField(_("titolo"), max_length=300)
    nome_file = models.CharField(_("nome del file"), max_length=200)
    content_type = models.CharField(_("tipo di contenuto"), max_length=100)
    stato = models.CharField(_("stato"), max_length=10, choices=Stato.choices, default=Stato.IN_CORSO)
    errore = models.TextField(_("errore"), blank=True)
    dimensione = models.PositiveIntegerField(_("dimensione (byte)"), default=0)
    secondi = models.FloatField(_("tempo di generazione (s)"), null=True, blank=True)
    richiesto_da = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("richiesto da"), null=True, blank=True, on_delete=models.SET_NULL
    )
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)
    completato_il = models.DateTimeField(_("completato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("report generato")
        verbose_name_plural = _("report generati")
        ordering = ["-creato_il"]

    def __str__(self) -> str:
        return f"{self.titolo} ({self.get_stato_display()})"
