"""Creating a Comune's scheda, prefilled from the same Comune's scheda of the previous year."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ModelloScheda, Scheda, ValoreCella
from ..rollup import maintained
from .compute import store_recomputed
from .errors import SchedaError


def previous_scheda(*, modello: ModelloScheda, comune) -> Scheda | None:
    """The same Comune's most recent scheda of the same family (NID26 for NID27) and an earlier year."""
    return (
        Scheda.objects.filter(
            comune=comune,
            modello__codice__startswith=modello.famiglia,
            modello__anno_riferimento__lt=modello.anno_riferimento,
        )
        .select_related("modello")
        .order_by("-modello__anno_riferimento")
        .first()
    )


@transaction.atomic
def scheda_create(*, modello: ModelloScheda, comune, user, copy_previous: bool = True) -> Scheda:
    """Create a Comune's scheda; with `copy_previous`, prefill inputs whose row and column codes match."""
    if Scheda.objects.filter(modello=modello, comune=comune).exists():
        raise SchedaError(_("La scheda %(m)s di %(c)s esiste già.") % {"m": modello.codice, "c": comune.nome})
    scheda = Scheda(modello=modello, comune=comune, modificata_da=user)
    scheda._history_user = user
    source = previous_scheda(modello=modello, comune=comune) if copy_previous else None
    scheda.copiata_da = source
    with maintained(Scheda.objects.filter(modello=modello, comune=comune), [comune.ambito_id]):  # monitoring.rollup
        scheda.save()
        if source is not None:
            compiled = modello.compiled()
            copies = [
                ValoreCella(scheda=scheda, riga=v.riga, colonna=v.colonna, valore=v.valore, precompilato=True)
                for v in source.valori.all()
                if v.valore and (cell := compiled.cells.get((v.riga, v.colonna))) and cell.kind == "input"
            ]
            for obj in copies:
                obj._history_user = user
                obj.save()
        store_recomputed(scheda)
    scheda.refresh_from_db()
    return scheda
