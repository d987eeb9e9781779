"""Long work run by a worker of the task queue: one `Job` per data fingerprint (`chiave`), and who asked for it.

A job's file lives in MEDIA_ROOT/jobs/<chiave>; the rows are a cache of generated files (they can be removed,
`manage.py pulisci_report`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.formatting import it_number


class Job(models.Model):
    """One piece of long work (a document, an export, a recompute) for a given data fingerprint."""

    class Stato(models.TextChoices):
        IN_CODA = "in_coda", _("In coda")
        IN_CORSO = "in_corso", _("In corso")
        PRONTO = "pronto", _("Pronto")
        ERRORE = "errore", _("Errore")

    chiave = models.CharField(_("chiave (impronta dei dati)"), max_length=64, unique=True)
    kind = models.CharField(_("tipo di lavoro"), max_length=60)
    titolo = models.CharField(_("titolo"), max_length=300)
    nome_file = models.CharField(_("nome del file"), max_length=200, blank=True)
    content_type = models.CharField(_("tipo di contenuto"), max_length=100, blank=True)
    parametri = models.JSONField(_("parametri"), default=dict, blank=True)
    back_url = models.CharField(_("pagina di provenienza"), max_length=300, blank=True)
    stato = models.CharField(_("stato"), max_length=10, choices=Stato.choices, default=Stato.IN_CODA)
    passo = models.PositiveIntegerField(_("passo"), default=0)
    passi = models.PositiveIntegerField(_("passi"), default=0)
    descrizione_passo = models.CharField(_("descrizione del passo"), max_length=200, blank=True)
    tentativi = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    battito_il = models.DateTimeField(_("ultimo segnale del processo di lavoro"), null=True, blank=True)
    errore = models.TextField(_("errore"), blank=True)
    esito = models.CharField(_("esito"), max_length=300, blank=True)
    dimensione = models.PositiveBigIntegerField(_("dimensione (byte)"), default=0)
    secondi = models.FloatField(_("durata (s)"), null=True, blank=True)
    task_id = models.CharField(_("identificativo del task"), max_length=64, blank=True)
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)
    accodato_il = models.DateTimeField(_("accodato il"), null=True, blank=True)
    avviato_il = models.DateTimeField(_("avviato il"), null=True, blank=True)
    completato_il = models.DateTimeField(_("completato il"), null=True, blank=True)
    richiedenti: models.ManyToManyField = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Richiesta", related_name="lavori", verbose_name=_("richiesto da")
    )

    class Meta:
        verbose_name = _("lavoro")
        verbose_name_plural = _("lavori")
        ordering = ["-creato_il"]
        indexes = [models.Index(fields=["stato"], name="jobs_job_stato_idx")]

    def __str__(self) -> str:
        return f"{self.titolo} ({self.get_stato_display()})"

    @property
    def attivo(self) -> bool:
        return self.stato in (self.Stato.IN_CODA, self.Stato.IN_CORSO)

    @property
    def percentuale(self) -> int:
        if self.stato == self.Stato.PRONTO:
            return 100
        if not self.passi:
            return 0
        return min(100, round(100 * self.passo / self.passi))

    @property
    def dimensione_leggibile(self) -> str:
        """The size as «850 byte», «12,3 kB», «1,2 MB» (Italian numbers)."""
        size = self.dimensione
        for unit, factor in (("MB", 1024 * 1024), ("kB", 1024)):
            if size >= factor:
                return f"{it_number(size / factor, 1)} {unit}"
        return f"{it_number(size)} byte"


class Richiesta(models.Model):
    """A user asked for a job (also when the job was already there, or ready): the list «I miei report»."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="richieste", verbose_name=_("lavoro"))
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="richieste_lavori", verbose_name=_("utente")
    )
    richiesto_il = models.DateTimeField(_("richiesto il"))

    class Meta:
        verbose_name = _("richiesta di un lavoro")
        verbose_name_plural = _("richieste di lavori")
        ordering = ["-richiesto_il"]
        constraints = [models.UniqueConstraint(fields=["job", "utente"], name="jobs_richiesta_unica")]

    def __str__(self) -> str:
        return f"{self.utente} → {self.job}"
