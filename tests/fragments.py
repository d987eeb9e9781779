"""Shared steps of the tests of the cached page fragments (core.fragments): the population of Magenta in 2024,
changed with a signal (the Ambito's data version moves) or behind the signals' back (it does not)."""

from monitoring.models import RiepilogoSchede
from territory.models import Popolazione


def magenta_2024() -> Popolazione:
    return Popolazione.objects.get(comune__codice_istat="015130", anno=2024)


def add_to_magenta_2024(residents: int) -> None:
    """A save: the Ambito's data version moves in the same transaction."""
    row = magenta_2024()
    row.totale += residents
    row.save()


def zero_magenta_2024_unseen() -> None:
    """A write that sends no signal: the version stays, so a cached fragment is served as it was. The stored
    rollups (which hold the population figures of the dashboard, monitoring.rollup_population) are dropped, as
    a fragment built anew would otherwise read them: they are rebuilt from the facts."""
    Popolazione.objects.filter(pk=magenta_2024().pk).update(totale=0)
    RiepilogoSchede.objects.all().delete()
