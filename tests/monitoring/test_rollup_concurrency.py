"""Two saves of two schede of one Ambito at the same moment, each in a thread with a database connection of its own
(committed transactions, as two web workers): the second waits for the first's lock on the Ambito's row, and the
rollup of the schede (monitoring.rollup) holds both deltas, still matching the Ambito's version. Runs on the
database of the suite (SQLite, or PostgreSQL with DATABASE_URL)."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from monitoring.models import ModelloScheda, RiepilogoSchede, Scheda
from monitoring.rollup import build, riepilogo
from monitoring.services import compute, scheda_create, scheda_save, schede_recompute_all
from territory.models import Ambito, Comune
from territory.versions import bump_ambiti
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


def ambito_with_schede(nome: str, slug: str, istat: str, count: int, user) -> tuple[Ambito, list[Scheda]]:
    """The demo data loaded again (a transactional test flushed it) and a new Ambito of `count` Comuni (ISTAT codes
    `istat` + 0, 1, ...), each with an empty NID26 scheda."""
    call_command("load_demo", "--no-users", verbosity=0, stdout=io.StringIO())
    ambito = Ambito.objects.create(nome=nome, slug=slug, codice=slug.upper())
    nid = ModelloScheda.objects.get(codice="NID26")
    schede = []
    for i in range(count):
        comune = Comune.objects.create(codice_istat=f"{istat}{i}", nome=f"{nome} {i}", sigla_provincia="ZZ",
                                       ambito=ambito)  # fmt: skip
        schede.append(scheda_create(modello=nid, comune=comune, user=user, copy_previous=False))
    return ambito, schede


def test_two_saves_at_once_in_one_ambito_keep_both_deltas(admin_user):
    ambito, schede = ambito_with_schede("Corsa", "corsa", "99990", 2, admin_user)
    nid = schede[0].modello
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
    ambito, schede = ambito_with_schede("Ricalcolo", "ricalcolo", "99980", 3, admin_user)
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


def test_recompute_all_outside_a_transaction_matches_one_chunk_at_a_time(admin_user, monkeypatch):
    """Committed, as the task worker runs it: on PostgreSQL two chunks at a time, each in a connection of its own
    (core.overlapped), on SQLite one after the other; either way the results of recomputing each scheda alone, the
    rollup kept by delta, and a progress step per chunk."""
    ambito, schede = ambito_with_schede("Due fili", "due-fili", "99970", 6, admin_user)
    inputs = reggio_inputs()
    values = [{**inputs, ("R05", "N25"): str(300 + 7 * i)} for i in range(6)]
    assert save_together(schede, admin_user, values) == []
    mine = Scheda.objects.filter(comune__ambito=ambito).order_by("pk")
    expected = list(mine.values_list("pk", *compute.RESULT_FIELDS))
    assert len({row[2]["R21"]["num"] for row in expected}) == 6  # six different results
    mine.update(risultati={}, indicatori={}, n_errori=99, n_avvisi=99, completezza=0)  # a bulk write: stale
    bump_ambiti([ambito.pk])
    riepilogo(ambito)  # rebuilt from the wiped results and stored: from now on kept by delta
    monkeypatch.setattr(compute, "RECOMPUTE_CHUNK", 1)
    overlapped = connection.vendor == "postgresql"
    both = threading.Barrier(2, timeout=30)  # passes only if two chunks are in work at the same moment
    seen = []
    original = compute._recompute_chunk

    def spy(ids, *args):
        seen.append((ids[0], threading.current_thread().name))
        if overlapped and len(seen) <= 2:
            both.wait()
        return original(ids, *args)

    monkeypatch.setattr(compute, "_recompute_chunk", spy)
    steps = []

    assert schede_recompute_all(mine, progress=lambda done, total, label: steps.append((done, total))) == 6

    assert list(mine.values_list("pk", *compute.RESULT_FIELDS)) == expected
    ambito.refresh_from_db()
    stored = RiepilogoSchede.objects.get(ambito=ambito)
    assert stored.versione == ambito.versione_dati, "the rollup left stale"
    assert stored.dati == build(ambito.pk)
    assert steps == [(n, 6) for n in range(1, 7)]
    assert sorted(pk for pk, _ in seen) == [s.pk for s in schede]
    threads = {name for _, name in seen}
    assert threads == ({"overlapped-0", "overlapped-1"} if overlapped else {threading.main_thread().name})
