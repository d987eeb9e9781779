"""Personal API tokens: the secret is shown once at creation and stored only as its SHA-256 hash."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenAPI(models.Model):
    """A user's personal token for the REST API (`Authorization: Bearer <secret>`)."""

    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utente"), on_delete=models.CASCADE, related_name="token_api"
    )
    nome = models.CharField(_("nome"), max_length=100, help_text=_("A che cosa serve il token, per riconoscerlo"))
    prefisso = models.CharField(_("prefisso"), max_length=12, help_text=_("L'inizio del segreto, per riconoscerlo"))
    hash_segreto = models.CharField(_("impronta SHA-256 del segreto"), max_length=64, unique=True)
    creato_il = models.DateTimeField(_("creato il"), default=timezone.now)
    usato_il = models.DateTimeField(_("ultimo uso"), null=True, blank=True)
    scade_il = models.DateTimeField(_("scade il"), null=True, blank=True)
    revocato_il = models.DateTimeField(_("revocato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-creato_il"]

    def __str__(self) -> str:
        # the throttle of the API keys its counters on str(request.auth): one counter per token
        return f"token-{self.pk}"

    def attivo(self, now=None) -> bool:
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.revocato_il is None and (self.scade_il is None or self.scade_il > now)
