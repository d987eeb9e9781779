"""Read API of the open data: the Ambiti that publish, each with the datasets it chose that have rows.

A bounded number of queries whatever the number of Ambiti: the settings, the sub-ambiti, then one query per
dataset kind for the Ambiti with data (`DatasetSpec.ambiti_with_data`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planning.piano.history import Modifica, modifiche
from territory.models import Ambito

from .datasets import SPECS, DatasetSpec, Row
from .models import Pubblicazione


@dataclass
class AmbitoPubblicato:
    """An Ambito that publishes: its settings, its id with those of its sub-ambiti and its published datasets."""

    pubblicazione: Pubblicazione
    ids: list[int]
    dataset: list[DatasetSpec] = field(default_factory=list)

    @property
    def ambito(self) -> Ambito:
        return self.pubblicazione.ambito

    def spec(self, codice: str) -> DatasetSpec | None:
        return next((s for s in self.dataset if s.codice == codice), None)

    def rows(self, spec: DatasetSpec) -> list[Row]:
        return spec.rows(self.ids)


def ambiti_pubblicati(slug: str | None = None, only: str | None = None) -> list[AmbitoPubblicato]:
    """The Ambiti (all, or the one of `slug`) that publish at least one dataset with rows, by name; `only`: look
    at that dataset alone (a file of one dataset)."""
    pubblicazioni = Pubblicazione.objects.select_related("ambito").order_by("ambito__nome")
    if slug is not None:
        pubblicazioni = pubblicazioni.filter(ambito__slug=slug)
    entries = {p.ambito_id: AmbitoPubblicato(p, [p.ambito_id]) for p in pubblicazioni if _chosen(p, only)}
    if not entries:
        return []
    for pk, parent_id in Ambito.objects.filter(parent_id__in=entries).values_list("pk", "parent_id"):
        entries[parent_id].ids.append(pk)
    chosen = {code for e in entries.values() for code in _chosen(e.pubblicazione, only)}
    all_ids = {pk for e in entries.values() for pk in e.ids}
    with_data = {code: SPECS[code].ambiti_with_data(all_ids) for code in chosen}  # one query per dataset kind
    for entry in entries.values():
        codes = _chosen(entry.pubblicazione, only)
        entry.dataset = [SPECS[c] for c in codes if with_data[c].intersection(entry.ids)]
    return [e for e in entries.values() if e.dataset]


def _chosen(pubblicazione: Pubblicazione, only: str | None) -> list[str]:
    codes = pubblicazione.dataset_scelti
    return codes if only is None else [c for c in codes if c == only]


def ambito_pubblicato(slug: str, only: str | None = None) -> AmbitoPubblicato | None:
    """The Ambito of `slug` if it publishes something (`only`: that dataset); None otherwise: 404."""
    found = ambiti_pubblicati(slug, only)
    return found[0] if found else None


def pubblicazione_storia(pubblicazione: Pubblicazione) -> list[Modifica]:
    """The changes of an Ambito's open data settings (who, when, what)."""
    if pubblicazione.pk is None:
        return []
    return modifiche([("", pubblicazione.history.all())])
