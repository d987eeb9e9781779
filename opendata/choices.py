"""Choices of the open data settings and the controlled vocabularies of DCAT-AP_IT they map to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
LICENCES_IT = "https://w3id.org/italia/controlled-vocabulary/licences/"


class Licenza(models.TextChoices):
    """The licence of the data (SPDX identifiers); CC BY 4.0 unless the Ambito chooses another."""

    CC_BY_4 = "CC-BY-4.0", _("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)")
    CC_BY_SA_4 = "CC-BY-SA-4.0", _("Creative Commons Attribuzione - Condividi allo stesso modo 4.0 (CC BY-SA 4.0)")
    CC0 = "CC0-1.0", _("Creative Commons CC0 1.0 Universale - Dedicazione al pubblico dominio (CC0 1.0)")
    IODL_2 = "IODL-2.0", _("Italian Open Data License 2.0 (IODL 2.0)")


# Licence → (its document, its entry in the Italian licences vocabulary of DCAT-AP_IT, EU licence type)
LICENZE = {
    Licenza.CC_BY_4: (
        "https://creativecommons.org/licenses/by/4.0/",
        LICENCES_IT + "A21_CCBY40",
        "http://purl.org/adms/licencetype/Attribution",
    ),
    Licenza.CC_BY_SA_4: (
        "https://creativecommons.org/licenses/by-sa/4.0/",
        LICENCES_IT + "A31_CCBYSA40",
        "http://purl.org/adms/licencetype/ShareAlike",
    ),
    Licenza.CC0: (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        LICENCES_IT + "A11_CCO10",
        "http://purl.org/adms/licencetype/PublicDomain",
    ),
    Licenza.IODL_2: (
        "https://www.dati.gov.it/content/italian-open-data-license-v20",
        LICENCES_IT + "A29_IODL20",
        "http://purl.org/adms/licencetype/Attribution",
    ),
}


class Frequenza(models.TextChoices):
    """How often the data is updated: codes of the EU frequency vocabulary (dct:accrualPeriodicity)."""

    ANNUALE = "ANNUAL", _("Annuale")
    SEMESTRALE = "ANNUAL_2", _("Semestrale")
    TRIMESTRALE = "QUARTERLY", _("Trimestrale")
    MENSILE = "MONTHLY", _("Mensile")
    IRREGOLARE = "IRREG", _("Irregolare")


def frequency_uri(code: str) -> str:
    return f"{EU_AUTHORITY}frequency/{code}"


def theme_uri(code: str) -> str:
    """A theme of the EU data theme vocabulary (SOCI, GOVE, REGI, ECON…)."""
    return f"{EU_AUTHORITY}data-theme/{code}"


def file_type_uri(code: str) -> str:
    """A format of the EU file-type vocabulary (CSV, JSON)."""
    return f"{EU_AUTHORITY}file-type/{code}"


LINGUA_ITALIANA = f"{EU_AUTHORITY}language/ITA"


class Dataset(models.TextChoices):
    """The datasets an Ambito may publish (opendata.datasets builds them)."""

    POPOLAZIONE = "popolazione", _("Popolazione residente per Comune e anno")
    INDICATORI = "indicatori", _("Indicatori delle schede di monitoraggio SOSE validate")
    SPESA = "spesa", _("Spesa sociale per area di utenza, intervento, gestione e fonte di finanziamento")
    OBIETTIVI = "obiettivi", _("Obiettivi del Piano di Zona approvato")
    INTERVENTI = "interventi", _("Interventi del Piano di Zona approvato")
