"""Territory models: Ambiti territoriali sociali, Comuni (ISTAT) and population facts per year."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import fields
from core.models import Labelled, ParentScoped, WithDetailPage
from core.numbers import percent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Folder of the Ambiti's logos under MEDIA_ROOT: the PDF's resource fetcher serves images from here only.
LOGO_UPLOAD_DIR = "ambiti/loghi/"


class Regione(Labelled):
    """One of the 20 Italian Regioni (ISTAT code), the level above the Ambiti (approval of the SOSE campaigns)."""

    codice = models.CharField(_("codice ISTAT"), max_length=2, unique=True)
    nome = models.CharField(_("denominazione"), max_length=80, unique=True)

    label_format = "{self.nome}"

    class Meta:
        verbose_name = _("regione")
        verbose_name_plural = _("regioni")
        ordering = ["codice"]


class Ambito(Labelled, WithDetailPage):
    """An Ambito territoriale sociale (or Distretto / Zona sociale); may be a sub-ambito of another."""

    nome = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    codice = fields.codice()
    ente_capofila = models.CharField(_("ente capofila"), max_length=200, blank=True)
    ats = models.CharField(_("ATS / ASL"), max_length=200, blank=True, help_text=_("Agenzia di tutela della salute"))
    asst = models.CharField(_("ASST / distretto sanitario"), max_length=200, blank=True)
    regione = fields.optional_fk(
        Regione,
        _("regione"),
        "ambiti",
        help_text=_("La Regione che approva le campagne SOSE dell'Ambito e lo vede nel quadro regionale"),
    )
    parent = fields.optional_fk("self", _("ambito superiore"), "sub_ambiti")
    note = fields.text(_("note"))
    versione_dati = fields.data_version(
        _("Cresce a ogni modifica dei dati dell'Ambito letti dai report (territory.versions)")
    )
    versione_territorio = fields.data_version(
        _("Cresce a ogni modifica del territorio dell'Ambito: i suoi dati, i Comuni, la popolazione"),
        _("versione del territorio"),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to=LOGO_UPLOAD_DIR,
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text=_("Immagine PNG o JPEG; compare sulla copertina del Piano di Zona in PDF"),
    )

    scope_ambito_path = "pk"  # see accounts.scoping
    scope_comune_path = None

    detail_url = "planning:ambito_detail"
    detail_url_field = "slug"

    class Meta:
        db_table = "planning_ambito"  # the table of the earlier layout (territory/migrations/0001_initial.py)
        verbose_name = _("ambito territoriale")
        verbose_name_plural = _("ambiti territoriali")
        ordering = ["nome"]

    def with_sub_ambiti_ids(self) -> list[int]:
        """This Ambito's id and those of its sub-ambiti (one level, as in Oglio Po)."""
        return [self.pk, *self.sub_ambiti.values_list("pk", flat=True)]


class Comune(WithDetailPage):
    """An Italian Comune, identified by its 6-digit ISTAT code (natural key)."""

    codice_istat = models.CharField(_("codice ISTAT"), max_length=6, primary_key=True)
    nome = models.CharField(_("denominazione"), max_length=200, db_index=True)
    codice_provincia = models.CharField(_("codice provincia"), max_length=3, blank=True)
    sigla_provincia = models.CharField(_("sigla provincia"), max_length=2, blank=True, db_index=True)
    codice_regione = models.CharField(_("codice regione"), max_length=2, blank=True)
    regione = models.CharField(_("regione"), max_length=80, blank=True)
    ambito = fields.optional_fk(Ambito, _("ambito"), "comuni", on_delete=models.SET_NULL)

    scope_ambito_path = "ambito"
    scope_comune_path = "pk"

    detail_url = "planning:comune_detail"
    detail_url_field = "codice_istat"

    class Meta:
        db_table = "planning_comune"
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["nome"]
        # the Comuni of an Ambito by name, read in index order: a page of 50 of 7,896 without sorting them all
        indexes = [models.Index(fields=["ambito", "nome", "codice_istat"], name="comune_ambito_nome")]

    def __str__(self) -> str:
        return f"{self.nome} ({self.sigla_provincia})" if self.sigla_provincia else self.nome


def residenti(label: StrOrPromise) -> models.PositiveIntegerField:
    """A number of residents (of an age band, a sex…); None where the source does not give it."""
    return models.PositiveIntegerField(label, null=True, blank=True)


class Popolazione(Labelled, ParentScoped):
    """Population facts of one Comune in one year. Every figure may be missing (None), never guessed."""

    comune = fields.parent_fk(Comune, _("comune"), "popolazioni")
    anno = fields.anno()
    data_riferimento = models.DateField(_("data di riferimento"), null=True, blank=True)
    totale = residenti(_("totale residenti"))
    maschi = residenti(_("maschi"))
    femmine = residenti(_("femmine"))
    stranieri = residenti(_("residenti stranieri"))
    eta_0_14 = residenti(_("0-14 anni"))
    eta_0_17 = residenti(_("0-17 anni"))
    eta_65_oltre = residenti(_("65 anni e oltre"))
    eta_0 = residenti(_("età 0"))
    eta_1 = residenti(_("età 1"))
    eta_2 = residenti(_("età 2"))
    fonte = models.CharField(_("fonte"), max_length=300, blank=True)

    scope_parent = "comune"

    label_format = "{self.comune.nome} {self.anno}"

    class Meta:
        db_table = "planning_popolazione"
        verbose_name = _("popolazione")
        verbose_name_plural = _("popolazione per anno")
        ordering = ["comune_id", "anno"]
        constraints = [models.UniqueConstraint(fields=["comune", "anno"], name="popolazione_unica_comune_anno")]
        indexes = [models.Index(fields=["anno", "comune"])]

    @property
    def pct_stranieri(self) -> Decimal | None:
        return percent(self.stranieri, self.totale)

    @property
    def indice_vecchiaia(self) -> Decimal | None:
        """Over-65 per 100 residents aged 0-14 (only when the 0-14 band is known)."""
        return percent(self.eta_65_oltre, self.eta_0_14)
