"""What an Ambito publishes as open data: the datasets chosen by its Ufficio di Piano, the licence, the publisher
(name and IPA code), the contact and the update frequency. Every change is kept (django-simple-history)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Labelled, Storicizzato
from planning.models.base import DellAmbito
from territory.models import Ambito

from .choices import Dataset, Frequenza, Licenza

codice_ipa_validator = RegexValidator(
    r"^[A-Za-z0-9_]{2,20}$",
    _("Il codice IPA contiene da 2 a 20 lettere, cifre o trattini bassi (es. «c_e801»)."),
)


class Pubblicazione(Labelled, Storicizzato, DellAmbito):
    """The open data settings of one Ambito (none: the Ambito publishes nothing)."""

    ambito = models.OneToOneField(
        Ambito, verbose_name=_("ambito"), on_delete=models.CASCADE, related_name="pubblicazione_dati"
    )
    dataset = models.JSONField(
        _("dataset pubblicati"), default=list, blank=True, help_text=_("Codici dei dataset (opendata.choices)")
    )
    licenza = models.CharField(_("licenza"), max_length=20, choices=Licenza.choices, default=Licenza.CC_BY_4)
    editore = models.CharField(
        _("editore (ente che pubblica)"), max_length=200, blank=True, help_text=_("Es. «Comune di Magenta»")
    )
    codice_ipa = models.CharField(
        _("codice IPA dell'editore"),
        max_length=20,
        blank=True,
        validators=[codice_ipa_validator],
        help_text=_("Il codice dell'ente nell'Indice dei domicili digitali della PA (IPA), es. «c_e801»"),
    )
    email = models.EmailField(_("e-mail di contatto"), blank=True, help_text=_("Un indirizzo dell'ufficio"))
    frequenza = models.CharField(
        _("frequenza di aggiornamento"), max_length=20, choices=Frequenza.choices, default=Frequenza.ANNUALE
    )
    modificata_il = models.DateTimeField(_("ultima modifica"), auto_now=True)

    label_format = "Dati aperti — {self.ambito.nome}"

    class Meta:
        verbose_name = _("pubblicazione dei dati aperti")
        verbose_name_plural = _("pubblicazioni dei dati aperti")
        ordering = ["ambito__nome"]

    def clean(self) -> None:
        unknown = sorted(set(self.dataset) - set(Dataset.values))
        if unknown:
            raise ValidationError({"dataset": _("Dataset sconosciuti: %(c)s.") % {"c": ", ".join(unknown)}})
        if not self.dataset:
            return
        missing = {
            name: _("Obbligatorio per pubblicare dati: compare nel catalogo DCAT-AP_IT.")
            for name in ("editore", "codice_ipa", "email")
            if not getattr(self, name)
        }
        if missing:
            raise ValidationError(missing)

    @property
    def dataset_scelti(self) -> list[str]:
        """The chosen datasets, in the order of the catalogue."""
        return [code for code in Dataset.values if code in self.dataset]

    def get_absolute_url(self) -> str:
        return reverse("opendata:ambito", kwargs={"slug": self.ambito.slug})
