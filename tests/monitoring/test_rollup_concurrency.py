"""Two saves of two schede of one Ambito at the same moment, each in a thread with a database connection of its own
(committed transactions, as two web workers): the second waits for the first's lock on the Ambito's row, and the
rollup of the schede (monitoring.rollup) holds both deltas, still matching the Ambito's version. Runs on the
database of the suite (SQLite, or PostgreSQL with DATABASE_URL)."""

import io

import pytest
from django.core.management import call_command

from monitoring.models import ModelloScheda, RiepilogoSchede, Scheda
from monitoring.rollup import build, riepilogo
from monitoring.services import compute, scheda_create, scheda_save, schede_recompute_all
from territory.models import Ambito, Comune
from tests.concurrency import at_once, raised
from tests.schede_helpers import reggio

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def reggio_inputs() -> dict[tuple[str, str], str]:
    """The typed values of Reggio's NID26 (its indicators count in the totals)."""
    scheda = reggio("NID26")
    cells = scheda.modello.compiled().cells
    return {
        (v.riga, v.colonna): v.valore
        for v in scheda.valori.all()
        if v.valore and (v.riga, v.colonna) in cells and cells[v.riga, v.colonna].kind in ("input", "precompiled")
    }


def save_together(schede: list[Scheda], user, values: list[dict]) -> list:
    """scheda_save of each scheda, as loaded now, in its own thread, all at the same instant; the errors, if any."""
    loaded = [Scheda.objects.select_related("modello", "comune").get(pk=scheda.pk) for scheda in schede]

    def save(i: int) -> None:
        scheda_save(scheda=loaded[i], user=user, values=values[i], expected_version=loaded[i].versione,
                    allow_precompiled=True)  # fmt: skip

    return [repr(error) for error in raised(at_once(save, range(len(schede))))]


def test_two_saves_at_once_in_one_ambito_keep_both_deltas(admin_user):
    call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())  # a transactional test flushed it
    ambito = Ambito.objects.create(nome="Ambito della corsa", slug="corsa", codice="CORSA")
    nid = ModelloScheda.objects.get(codice="NID26")
    schede = []
    for i in range(2):
        comune = Comune.objects.create(codice_istat=f"99990{i}", nome=f"Corsa {i}", sigla_provincia="ZZ", ambito=ambito)
        schede.append(scheda_create(modello=nid, comune=comune, user=admin_user, copy_previous=False))
    riepilogo(ambito)  # stored: from now on kept by delta
    inputs = reggio_inputs()
    for n in range(ROUNDS):
        values = [{**inputs, ("R05", "N25"): str(100 + 10 * n + i)} for i in range(2)]
        assert save_together(schede, admin_user, values) == []
        ambito.refresh_from_db()
        stored = RiepilogoSchede.objects.get(ambito=ambito)
        assert stored.versione == ambito.versione_dati, f"giro {n}: a delta was lost and the rollup left stale"
        assert stored.dati == build(ambito.pk), f"giro {n}"
    bozze = stored.dati["modelli"][str(nid.pk)]["stati"]["bozza"]
    assert bozze["n"] == 2
    assert bozze["s"]["R21"]["c"] == 2  # both schede count in the indicator totals


def test_recompute_all_and_a_save_at_once_keep_the_rollup(admin_user, monkeypatch):
    """«Ricalcola tutte le schede» (chunks of one scheda, extremes left pending then settled) while an operator saves
    one of the schede: the rollup holds the save and the recomputed results, extremes included."""
    call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())  # a transactional test flushed it
    ambito = Ambito.objects.create(nome="Ambito del ricalcolo", slug="ricalcolo", codice="RICALCOLO")
    nid = ModelloScheda.objects.get(codice="NID26")
    schede = []
    for i in range(3):
        comune = Comune.objects.create(codice_istat=f"99980{i}", nome=f"Ricalcolo {i}", sigla_provincia="ZZ",
                                       ambito=ambito)  # fmt: skip
        schede.append(scheda_create(modello=nid, comune=comune, user=admin_user, copy_previous=False))
    inputs = reggio_inputs()
    assert save_together(schede, admin_user, [inputs] * 3) == []
    riepilogo(ambito)  # stored: from now on kept by delta
    monkeypatch.setattr(compute, "RECOMPUTE_CHUNK", 1)

    def act(item: tuple) -> None:
        scheda, values = item
        if scheda is None:
            schede_recompute_all(Scheda.objects.filter(comune__ambito=ambito))
        else:
            scheda_save(scheda=scheda, user=admin_user, values=values, expected_version=scheda.versione,
                        allow_precompiled=True)  # fmt: skip

    for n in range(ROUNDS):
        loaded = Scheda.objects.select_related("modello", "comune").get(pk=schede[1].pk)
        items = [(None, None), (loaded, {**inputs, ("R05", "N25"): str(200 + n)})]
        assert [repr(e) for e in raised(at_once(act, items))] == []
        ambito.refresh_from_db()
        stored = RiepilogoSchede.objects.get(ambito=ambito)
        assert stored.versione == ambito.versione_dati, f"giro {n}: the rollup left stale"
        assert stored.dati == build(ambito.pk), f"giro {n}"
        assert None not in stored.dati["estremi"].values(), f"giro {n}: extremes left pending"
