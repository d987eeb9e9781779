"""The DCAT-AP_IT catalogue of the open data in JSON-LD, with an inline @context (no remote context to fetch).

The catalogue (dcatapit:Catalog) lists the datasets (dcatapit:Dataset) of the Ambiti that publish; each dataset
has its publisher and rights holder (dcatapit:Agent, the IPA code as dct:identifier), EU data themes, update
frequency (EU frequency vocabulary), modification date, identifier («<IPA code>:<id>», as DCAT-AP_IT asks), contact
point (dcatapit:Organization, vCard) and two distributions (dcatapit:Distribution: CSV and JSON, EU file types)
with the licence (dcatapit:LicenseDocument, from the Italian licences vocabulary).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from .choices import LICENZE, LINGUA_ITALIANA, file_type_uri, frequency_uri, theme_uri
from .datasets import DatasetSpec
from .selectors import AmbitoPubblicato

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FORMATI = (("csv", "CSV", "text/csv"), ("json", "JSON", "application/json"))

Link = Callable[..., str]  # link(url_name, **kwargs) -> absolute URL


def _it(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "it"}


def _date(day: date) -> dict[str, str]:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def agent(node_id: str, name: str, codice_ipa: str) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": node_id, "@type": ["dcatapit:Agent", "foaf:Agent"], "foaf:name": _it(name)}
    if codice_ipa:
        node["dct:identifier"] = codice_ipa
    return node


def _licence(codice: str, nome: str) -> dict[str, Any]:
    document, vocabulary, kind = LICENZE[codice]  # type: ignore[index]
    return {
        "@id": vocabulary,
        "@type": ["dcatapit:LicenseDocument", "dct:LicenseDocument"],
        "foaf:name": nome,
        "dct:type": {"@id": kind},
        "foaf:homepage": {"@id": document},
    }


def _distributions(entry: AmbitoPubblicato, spec: DatasetSpec, link: Link) -> list[dict[str, Any]]:
    p = entry.pubblicazione
    licence = _licence(p.licenza, p.get_licenza_display())
    page = link("opendata:ambito", slug=entry.ambito.slug)
    out = []
    for ext, code, media_type in FORMATI:
        url = link(f"opendata:dataset_{ext}", slug=entry.ambito.slug, dataset=spec.codice)
        out.append(
            {
                "@id": url,
                "@type": ["dcatapit:Distribution", "dcat:Distribution"],
                "dct:title": _it(f"{spec.titolo} ({code})"),
                "dct:format": {"@id": file_type_uri(code)},
                "dcat:mediaType": media_type,
                "dcat:accessURL": {"@id": page},
                "dcat:downloadURL": {"@id": url},
                "dct:license": licence,
                "dct:modified": _date(p.modificata_il.date()),
            }
        )
    return out


def dataset_node(entry: AmbitoPubblicato, spec: DatasetSpec, link: Link) -> dict[str, Any]:
    p, ambito = entry.pubblicazione, entry.ambito
    page = link("opendata:ambito", slug=ambito.slug)
    editore = agent(f"{page}#editore", p.editore, p.codice_ipa)
    return {
        "@id": f"{page}#{spec.codice}",
        "@type": ["dcatapit:Dataset", "dcat:Dataset"],
        "dct:identifier": f"{p.codice_ipa}:{ambito.slug}-{spec.codice}",
        "dct:title": _it(f"{spec.titolo} — {ambito.nome}"),
        "dct:description": _it(spec.descrizione),
        "dct:publisher": editore,
        "dct:rightsHolder": editore,
        "dcat:theme": [{"@id": theme_uri(code)} for code in spec.temi],
        "dcat:keyword": [_it(word) for word in spec.parole_chiave],
        "dct:accrualPeriodicity": {"@id": frequency_uri(p.frequenza)},
        "dct:modified": _date(p.modificata_il.date()),
        "dct:language": {"@id": LINGUA_ITALIANA},
        "dcat:landingPage": {"@id": page},
        "dcat:contactPoint": {
            "@id": f"{page}#contatto",
            "@type": ["dcatapit:Organization", "vcard:Organization"],
            "vcard:fn": p.editore,
            "vcard:hasEmail": {"@id": f"mailto:{p.email}"},
        },
        "dcat:distribution": _distributions(entry, spec, link),
    }


def catalogue(
    entries: list[AmbitoPubblicato], *, node_id: str, title: str, publisher: dict[str, Any], home: str, link: Link
) -> dict[str, Any]:
    """The catalogue of the datasets of `entries`, as a JSON-LD document."""
    datasets = [dataset_node(entry, spec, link) for entry in entries for spec in entry.dataset]
    modified = max((e.pubblicazione.modificata_il.date() for e in entries), default=date.today())
    return {
        "@context": CONTEXT,
        "@id": node_id,
        "@type": ["dcatapit:Catalog", "dcat:Catalog"],
        "dct:title": _it(title),
        "dct:description": _it(
            "Dati aperti degli Ambiti territoriali sociali: popolazione, indicatori delle schede di monitoraggio "
            "validate, spesa sociale, obiettivi e interventi dei Piani di Zona approvati."
        ),
        "dct:publisher": publisher,
        "dct:modified": _date(modified),
        "dct:language": {"@id": LINGUA_ITALIANA},
        "foaf:homepage": {"@id": home},
        "dcat:dataset": datasets,
    }
