"""The comparison of the indicators of one template across the Ambiti of a Regione (role Regione, Amministratore):
the Ambito comparison's `compare_ambiti` over the Regione's Ambiti (sub-ambiti as it decides: a Comune counts once),
the totals of the Regione as ratios of sums."""

from __future__ import annotations

from accounts.scoping import scope
from territory.models import Ambito, Regione

from ..comparison import Comparison, compare_ambiti
from ..models import ModelloScheda


def regione_total_label(regione: Regione) -> str:
    return f"Totale {regione.nome}"


def regione_ambiti(regione: Regione, user=None) -> list[Ambito]:
    """The Ambiti of the Regione (sub-ambiti included) by name, those `user` sees (None: every one, e.g. a report
    job, whose reader the view has already checked)."""
    ambiti = Ambito.objects.filter(regione=regione).order_by("nome")
    return list(scope(ambiti, user) if user is not None else ambiti)


def regione_comparison(regione: Regione, modello: ModelloScheda, user=None) -> Comparison:
    """Two queries: the Ambiti and the schede (the template's definition when not cached in the process)."""
    return compare_ambiti(regione_ambiti(regione, user), modello, regione_total_label(regione))


def with_definition(modello: ModelloScheda | None) -> ModelloScheda | None:
    """The template with its definition (the regional page's choices load only its code and year)."""
    return None if modello is None else ModelloScheda.objects.get(pk=modello.pk)
