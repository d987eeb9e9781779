"""The rollup of the schede of each Ambito (monitoring.rollup): after every kind of write it equals a rebuild from the
schede and still matches its Ambito's data version (kept by delta, not left to be rebuilt); a rollup whose version
moved without it is rebuilt; the overview and the dashboard show the same numbers with it as without it."""

import io
import json
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Ruolo
from monitoring import rollup, rollup_extremes
from monitoring.campaigns.services import campagna_open
from monitoring.indicators import SUMS_KEY
from monitoring.models import ModelloScheda, RiepilogoSchede, Scheda, Stato, ValoreCella
from monitoring.overview import ambito_totals, indicator_totals, overview_counts
from monitoring.rollup import build, contributions, recomputed, riepilogo, riepilogo_for
from monitoring.selectors import active_modelli
from monitoring.services import (
    scheda_create,
    scheda_justify,
    scheda_recompute,
    scheda_save,
    scheda_transition,
    schede_recompute_all,
)
from territory.models import Ambito, Comune
from territory.selectors import ambito_comuni
from territory.versions import bump_ambiti_of_comuni
from tests.factories import user_with_role
from tests.schede_helpers import magenta_nid, reggio

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_campaigns")]


def ambito(slug: str) -> Ambito:
    return Ambito.objects.get(slug=slug)


def assert_kept(slug: str) -> dict:
    """The stored rollup matches the Ambito's version (kept by delta, no rebuild due) and equals a rebuild."""
    a = ambito(slug)
    stored = RiepilogoSchede.objects.get(ambito=a)
    assert stored.versione == a.versione_dati, "the rollup was left to be rebuilt, not kept in step"
    assert stored.dati == build(a.pk)
    return stored.dati


def counts(slug: str) -> dict[tuple[str, str], int]:
    """Schede per (template code, state) in the Ambito's rollup."""
    codes = dict(ModelloScheda.objects.values_list("pk", "codice"))
    return {(codes[m], s): n for (m, s), n in riepilogo(ambito(slug)).counts().items()}


@pytest.fixture
def magentino_rollup():
    riepilogo(ambito("magentino"))  # built and stored
    assert RiepilogoSchede.objects.filter(ambito__slug="magentino").exists()


@pytest.fixture
def reggio_rollup():
    riepilogo(ambito("reggio-emilia"))
    assert RiepilogoSchede.objects.filter(ambito__slug="reggio-emilia").exists()


def test_a_save_is_added_to_the_rollup(admin_user, magentino_rollup):
    scheda = magenta_nid()
    before = riepilogo(ambito("magentino")).totals(scheda.modello)
    scheda_save(scheda=scheda, user=admin_user, values={("R05", "N25"): "200"}, expected_version=scheda.versione)
    after = riepilogo(ambito("magentino")).totals(scheda.modello)
    assert after != before  # the indicators moved with the new value
    assert after == ambito_totals(scheda.modello.indicator_definition(), Scheda.objects.filter(pk=scheda.pk))
    assert_kept("magentino")


def test_every_step_of_the_workflow_is_added_to_the_rollup(admin_user, reggio_rollup):
    scheda = reggio("NID26")
    steps = [("riapri", "da rivedere"), ("invia", ""), ("rimanda", "manca un dato"), ("invia", ""), ("valida", "")]
    for action, reason in steps:
        scheda_transition(scheda=scheda, user=admin_user, action=action, reason=reason)
        scheda.refresh_from_db()
        assert counts("reggio-emilia")[("NID26", scheda.stato)] == 1
        assert_kept("reggio-emilia")
    assert counts("reggio-emilia") == {("NID26", Stato.VALIDATA): 1, ("SOC26", Stato.VALIDATA): 1}


def test_a_justification_moves_the_latest_change(admin_user, reggio_rollup):
    scheda = reggio("NID26")
    scheda_transition(scheda=scheda, user=admin_user, action="riapri", reason="da rivedere")
    scheda_justify(scheda=scheda, user=admin_user, notes={("*", "*"): "Dati stimati"})
    scheda.refresh_from_db()
    assert riepilogo(ambito("reggio-emilia")).latest_change([scheda.modello_id]) == scheda.modificata_il
    assert_kept("reggio-emilia")


def test_a_recompute_moves_the_indicators(reggio_rollup):
    scheda = reggio("NID26")
    before = scheda.indicatori["somme_esatte"]
    ValoreCella.objects.filter(scheda=scheda, riga="R05", colonna="N25").update(valore="10")  # results now stale
    scheda_recompute(scheda=scheda)
    data = assert_kept("reggio-emilia")
    scheda.refresh_from_db()
    addends = scheda.indicatori["somme_esatte"]
    assert addends != before
    rolled = data["modelli"][str(scheda.modello_id)]["stati"]["validata"]["s"]
    assert {code: (e["n"], e["d"]) for code, e in rolled.items()} == {
        code: (a["n"], a["d"]) for code, a in addends.items()
    }


def test_recompute_all_keeps_the_rollup(reggio_rollup):
    ValoreCella.objects.filter(scheda__comune__ambito__slug="reggio-emilia", riga="R05").update(valore="10")
    schede_recompute_all(Scheda.objects.filter(comune__ambito__slug="reggio-emilia"))
    assert_kept("reggio-emilia")


def test_recompute_all_adds_only_the_schede_whose_contribution_moved(reggio_rollup, monkeypatch):
    """The schede whose facts a recompute leaves as they were add nothing to the rollup: they are not taken away and
    added again; the one that moved is, and the rollup still equals a rebuild."""
    schede = Scheda.objects.filter(comune__ambito__slug="reggio-emilia")
    assert schede.count() >= 2
    moved = reggio("NID26")
    ValoreCella.objects.filter(scheda=moved, riga="R05", colonna="N25").update(valore="10")  # its results now stale
    added = []
    real = rollup._as_data
    monkeypatch.setattr(rollup, "_as_data", lambda c, definition: added.append(c.pk) or real(c, definition))

    schede_recompute_all(schede)

    assert added == [moved.pk, moved.pk]  # taken away with its old facts, added with the new ones
    assert_kept("reggio-emilia")
    added.clear()
    schede_recompute_all(schede)  # nothing moves any more
    assert added == []
    assert_kept("reggio-emilia")


def test_a_new_scheda_is_added(admin_user, magentino_rollup):
    comune = Comune.objects.filter(ambito__slug="magentino").exclude(pk="015130").order_by("pk").first()
    nid = ModelloScheda.objects.get(codice="NID26")
    before = counts("magentino").get(("NID26", Stato.BOZZA), 0)
    scheda_create(modello=nid, comune=comune, user=admin_user, copy_previous=False)
    assert counts("magentino")[("NID26", Stato.BOZZA)] == before + 1
    assert_kept("magentino")


def test_the_schede_of_a_campaign_are_added(admin_user, magentino_rollup):
    soc = ModelloScheda.objects.get(codice="SOC26")
    _campagna, created = campagna_open(ambito=ambito("magentino"), modello=soc, user=admin_user)
    assert created == Comune.objects.filter(ambito__slug="magentino").count()
    assert counts("magentino")[("SOC26", Stato.BOZZA)] == created
    assert_kept("magentino")


def test_an_import_of_two_schede_of_one_ambito_is_added(admin_user, magentino_rollup, tmp_path):
    items = [
        {"template": "NID26", "comune": "015130", "valori": {"R05": {"N25": "200"}}},
        {"template": "SOC26", "comune": "015130", "anno": 2025, "valori": {"M12": {"U25": "1.234"}}},
    ]
    path = tmp_path / "schede.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    call_command("import_schede", str(path), stdout=io.StringIO())
    assert counts("magentino")[("SOC26", Stato.BOZZA)] == 1
    assert_kept("magentino")


def test_a_deleted_scheda_leaves_the_rollup_to_be_rebuilt(reggio_rollup):
    """A delete (the admin) moves the version without the rollup: the next reader rebuilds it."""
    reggio("SOC26").delete()
    stored = RiepilogoSchede.objects.get(ambito__slug="reggio-emilia")
    assert stored.versione != ambito("reggio-emilia").versione_dati
    assert counts("reggio-emilia") == {("NID26", Stato.VALIDATA): 1}
    assert_kept("reggio-emilia")  # rebuilt and stored with the new version


def test_a_stale_rollup_is_rebuilt(reggio_rollup):
    Scheda.objects.filter(comune__ambito__slug="reggio-emilia").update(stato=Stato.BOZZA)
    bump_ambiti_of_comuni(["035033"])  # a bulk write: the version moves, the rollup does not
    assert counts("reggio-emilia") == {("NID26", Stato.BOZZA): 1, ("SOC26", Stato.BOZZA): 1}
    assert_kept("reggio-emilia")


def test_an_unmaintained_write_after_a_save_in_one_transaction_is_not_hidden(admin_user, magentino_rollup):
    """The version is bumped once per transaction; after a delta the next change bumps it again, so a bulk
    write after a save in the same transaction leaves the rollup to be rebuilt, never wrong."""
    scheda = magenta_nid()
    with transaction.atomic():
        scheda_save(scheda=scheda, user=admin_user, values={("R05", "N25"): "200"}, expected_version=scheda.versione)
        Scheda.objects.filter(pk=scheda.pk).update(stato=Stato.INVIATA)
        bump_ambiti_of_comuni([scheda.comune_id])
    assert counts("magentino")[("NID26", Stato.INVIATA)] == 1
    assert_kept("magentino")


def test_a_comune_moving_to_another_ambito_moves_its_schede(magentino_rollup, reggio_rollup):
    reggio_comune = Comune.objects.get(pk="035033")
    reggio_comune.ambito = ambito("magentino")
    reggio_comune.save()
    assert counts("reggio-emilia") == {}
    assert counts("magentino")[("SOC26", Stato.VALIDATA)] == 1
    assert riepilogo(ambito("magentino")).n_comuni == Comune.objects.filter(ambito__slug="magentino").count()


@pytest.mark.parametrize("slug", ["magentino", "reggio-emilia", "oglio-po"])
def test_the_rollup_gives_the_numbers_of_the_scans(slug, admin_user):
    """Counts and indicator totals from the rollup equal those counted over the schede (sub-ambiti included)."""
    a = ambito(slug)
    comuni = ambito_comuni(a)
    modelli = active_modelli()
    rollup = riepilogo_for(a, admin_user)
    assert rollup is not None
    assert rollup.n_comuni == comuni.count()
    for filters in ({}, {"stato": Stato.BOZZA}, {"modello": "NID26"}, {"scadute": True}):
        assert overview_counts(comuni, modelli, **filters, grouped=rollup.counts()) == overview_counts(
            comuni, modelli, **filters
        )
    assert indicator_totals(comuni, modelli, rollup) == indicator_totals(comuni, modelli)
    for modello in modelli:  # the extremes (merged over the sub-ambiti of Oglio Po) as selected over every scheda
        schede = Scheda.objects.filter(comune__in=comuni, modello=modello)
        for spec in modello.indicator_definition()["indicatori"]:
            selected = rollup_extremes.of_schede(schede, spec["code"])
            alti, bassi, count = rollup.extremes(modello.pk, spec["code"])
            assert (alti, bassi) == (selected["alti"], selected["bassi"]), (slug, modello.codice, spec["code"])
            assert count == schede.filter(**{f"indicatori__{SUMS_KEY}__has_key": spec["code"]}).count()


def test_the_seed_values_stay_exact(admin_user):
    nid = ModelloScheda.objects.get(codice="NID26")
    values, count = riepilogo_for(ambito("reggio-emilia"), admin_user).totals(nid)
    by_code = {v.code: v.value.quantize(Decimal("0.01")) for v in values if v.value is not None}
    assert (by_code["R21"], by_code["R22"], count) == (Decimal("51.80"), Decimal("52.46"), 1)


def test_a_reader_who_sees_some_comuni_only_gets_no_rollup(db):
    operatore = user_with_role("rollup.operatore", Ruolo.OPERATORE, comune=Comune.objects.get(pk="015130"))
    assert riepilogo_for(ambito("magentino"), operatore) is None


def test_the_contributions_after_a_recompute_are_those_read_back_from_the_database(magentino_rollup):
    """Recompute-all keeps the rollups with the new facts it computed (rollup.recomputed), not read back: they must
    be the contributions the database gives, for facts with addends, with empty addends (no indicator counts),
    without addends (saved before they existed) and with no facts at all."""
    schede = Scheda.objects.filter(comune__ambito__slug="magentino").order_by("pk")
    assert schede.count() >= 4
    first, second, third = list(schede.values_list("pk", flat=True)[:3])
    facts = dict(schede.values_list("pk", "indicatori"))
    legacy = {k: v for k, v in facts[first].items() if k != SUMS_KEY} or {"R21": {"num": "1", "den": "2"}}
    Scheda.objects.filter(pk=first).update(indicatori=legacy)
    Scheda.objects.filter(pk=second).update(indicatori={})
    Scheda.objects.filter(pk=third).update(indicatori={**facts[third], SUMS_KEY: {}})
    stored = dict(schede.values_list("pk", "indicatori"))
    read_back = contributions(schede)
    assert {c.pk: (c.sums, c.legacy) for c in read_back}[first] == (None, True)
    assert {c.pk: (c.sums, c.legacy) for c in read_back}[second] == (None, False)
    assert {c.pk: (c.sums, c.legacy) for c in read_back}[third] == ({}, False)
    assert any(c.sums for c in read_back)
    stale = [replace(c, sums={"R21": {"n": 1, "d": 1, "t": []}}, legacy=False) for c in read_back]
    assert recomputed(stale, stored) == read_back

    bump_ambiti_of_comuni(list(schede.values_list("comune_id", flat=True)))  # the updates above: a bulk write
    riepilogo(ambito("magentino"))  # the rollup rebuilt with these facts, and stored
    schede_recompute_all(schede)  # through the rollup of the Magentino, kept with `recomputed`
    after = recomputed(stale, dict(schede.values_list("pk", "indicatori")))
    assert sorted(after, key=lambda c: c.pk) == sorted(contributions(schede), key=lambda c: c.pk)  # any row order
    assert_kept("magentino")
