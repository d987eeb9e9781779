"""Roles and assignments: which user works on which Ambiti or Comuni, and in which role; the user's codice fiscale
(SPID/CIE login)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.constraints import links_by_kind

from . import codice_fiscale


class Ruolo(models.TextChoices):
    UFFICIO_PIANO = "ufficio_piano", _("Ufficio di Piano")
    OPERATORE = "operatore", _("Operatore comunale")
    DIRIGENTE = "dirigente", _("Dirigente")
    REGIONE = "regione", _("Regione")


# The link each role is assigned through (the other links stay empty), and what a wrong assignment is told.
LINKS = ("ambito", "comune", "regione")
LINK_OF_ROLE = {Ruolo.OPERATORE: "comune", Ruolo.REGIONE: "regione"}
LINK_OF_OTHER_ROLES = "ambito"
WRONG_ASSIGNMENT = {
    "comune": _("L'Operatore comunale va assegnato a un Comune (e non a un Ambito o a una Regione)."),
    "regione": _("Il ruolo Regione va assegnato a una Regione (e non a un Ambito o a un Comune)."),
    "ambito": _("Ufficio di Piano e Dirigente vanno assegnati a un Ambito."),
}


class Assegnazione(models.Model):
    """Ties a user to an Ambito (Ufficio di Piano, Dirigente), to a Comune (Operatore comunale) or to a Regione
    (Regione: reads every Ambito of the Regione and approves their SOSE campaigns).

    The Amministratore role is Django's superuser flag and needs no assignment.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("utente"), on_delete=models.CASCADE, related_name="assegnazioni"
    )
    ruolo = models.CharField(_("ruolo"), max_length=20, choices=Ruolo.choices)
    ambito = models.ForeignKey(
        "territory.Ambito", verbose_name=_("ambito"), null=True, blank=True, on_delete=models.CASCADE
    )
    comune = models.ForeignKey(
        "territory.Comune", verbose_name=_("comune"), null=True, blank=True, on_delete=models.CASCADE
    )
    regione = models.ForeignKey(
        "territory.Regione", verbose_name=_("regione"), null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("assegnazione")
        verbose_name_plural = _("assegnazioni")
        ordering = ["user__username", "ruolo"]
        constraints = [
            links_by_kind(
                "ruolo",
                {role: [link] for role, link in LINK_OF_ROLE.items()},
                set_otherwise=[LINK_OF_OTHER_ROLES],
                name="assegnazione_ambito_comune_o_regione_secondo_ruolo",
            ),
            models.UniqueConstraint(
                fields=["user", "ruolo", "ambito", "comune", "regione"], name="assegnazione_unica_con_regione"
            ),
        ]

    def __str__(self) -> str:
        target = self.comune or self.ambito or self.regione
        return f"{self.user} — {self.get_ruolo_display()} — {target}"

    def clean(self) -> None:
        link = LINK_OF_ROLE.get(self.ruolo, LINK_OF_OTHER_ROLES)
        if not getattr(self, link) or any(getattr(self, other) for other in LINKS if other != link):
            raise ValidationError({link: WRONG_ASSIGNMENT[link]})


def validate_codice_fiscale(value: str) -> None:
    """A valid Italian codice fiscale: 16 characters, uppercase, the right check character."""
    error = codice_fiscale.problem(value)
    if error:
        raise ValidationError(error, code="codice_fiscale")


class Profilo(models.Model):
    """What the portal knows of a user beyond Django's account: the codice fiscale that SPID and CIE send.

    An administrator creates the account, its codice fiscale and its assignments: a SPID/CIE login only finds the
    active account with the same codice fiscale (accounts.oidc), it never creates one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("utente"), on_delete=models.CASCADE, related_name="profilo"
    )
    codice_fiscale = models.CharField(
        _("codice fiscale"),
        max_length=16,
        unique=True,
        validators=[validate_codice_fiscale],
        help_text=_("16 caratteri in maiuscolo: serve per l'accesso con SPID e CIE."),
        error_messages={"unique": _("Questo codice fiscale è già associato a un altro utente.")},
    )

    class Meta:
        verbose_name = _("profilo")
        verbose_name_plural = _("profili")

    def __str__(self) -> str:
        return f"{self.user} — {self.codice_fiscale}"
