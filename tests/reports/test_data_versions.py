"""Data versions (core.versions): every model of territory, planning and monitoring that the reports read moves
the version of its Piano di Zona, of its Ambito (and the parent Ambito), or of every Ambito (catalogues), on
save, delete and many-to-many change; bulk writes of the services bump too; an unrelated Ambito or plan keeps
its version."""

from collections import deque

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError

from core import versions
from monitoring.campaigns.services import campagna_open
from monitoring.models import Campagna, ModelloScheda, Promemoria, RiepilogoSchede, Scheda
from monitoring.services.compute import scheda_recompute
from planning.models import Continuita, Fondo, Intervento, Obiettivo, PianoDiZona, Risorsa, Variazione
from planning.piano.services import piano_create
from territory.models import Ambito
from territory.services import popolazione_import
from tests.factories import user_with_role
from tests.territory.test_population_import import population_csv

pytestmark = pytest.mark.django_db

APPS = ("territory", "planning", "monitoring")
PIANO, AMBITO, TUTTI = "piano", "ambito", "tutti"
# What each model's rows belong to, written here independently of the code (planning.versions and the others):
# a model missing from this table, or whose change does not move the version named here, fails.
OWNER = {
    "territory.Ambito": AMBITO, "territory.Comune": AMBITO, "territory.Popolazione": AMBITO,
    "planning.Fondo": TUTTI, "planning.MacroArea": TUTTI, "planning.PuntoChiave": TUTTI, "planning.Leps": TUTTI,
    "planning.VoceSpesa": TUTTI, "planning.ProgrammaBilancio": TUTTI, "planning.ModelloIntervento": TUTTI,
    "planning.CampoModello": TUTTI, "monitoring.ModelloScheda": TUTTI,
    "planning.AttoreRete": AMBITO, "planning.TabellaSpesa": AMBITO, "planning.SpesaSociale": AMBITO,
    "planning.ValoreStampato": AMBITO, "planning.SerieScolastica": AMBITO, "planning.DatoScolastico": AMBITO,
    "planning.PianoPerformance": AMBITO, "planning.ObiettivoStrategico": AMBITO,
    "planning.ObiettivoOperativo": AMBITO, "planning.IndicatorePerformance": AMBITO,
    "monitoring.Scheda": AMBITO, "monitoring.ValoreCella": AMBITO, "territory.Regione": TUTTI,
    "monitoring.Campagna": AMBITO, "monitoring.Scadenza": AMBITO, "monitoring.Promemoria": AMBITO,
    "planning.PianoDiZona": PIANO, "planning.Variazione": PIANO, "planning.Capitolo": PIANO, "planning.Area": PIANO,
    "planning.Obiettivo": PIANO, "planning.Progetto": PIANO, "planning.LineaPNRR": PIANO, "planning.VocePNRR": PIANO,
    "planning.ServizioAssociato": PIANO, "planning.OrganismoGovernance": PIANO, "planning.Intervento": PIANO,
    "planning.ValoreCampo": PIANO, "planning.ValorePuntoChiave": PIANO, "planning.Azione": PIANO,
    "planning.Indicatore": PIANO, "planning.TargetIndicatore": PIANO, "planning.Risorsa": PIANO,
    "planning.Valutazione": PIANO, "planning.SchedaValutazione": PIANO, "planning.AzioneValutata": PIANO,
    "planning.Continuita": PIANO, "monitoring.Rilevazione": PIANO, "monitoring.StatoAzioneRilevato": PIANO,
    "monitoring.ValoreIndicatoreRilevato": PIANO, "planning.Assegnazione": PIANO, "planning.RigaBilancio": PIANO,
    "planning.Movimento": PIANO, "planning.RegolaQuote": PIANO, "planning.QuotaComune": PIANO,
    "planning.VersamentoComune": PIANO,
}  # fmt: skip


def concrete_models() -> list[type[models.Model]]:
    """Every concrete model of the apps the reports read, but the history tables (django-simple-history)."""
    found = [m for app in APPS for m in apps.get_app_config(app).get_models()]
    return [m for m in found if not hasattr(m, "instance_type") and not m._meta.abstract and m not in DERIVED]


# Data derived from the others and stored under their version (monitoring.rollup): it moves no version.
DERIVED = {RiepilogoSchede}


MODELS = set(concrete_models())


class Undo(Exception):
    """Rolls back the delete of a test."""


def snapshot() -> tuple[dict, dict]:
    """The versions of every Ambito and plan, as a report reads them (so the next change bumps again)."""
    versions.observed()
    return dict(Ambito.objects.values_list("pk", "versione_dati")), dict(
        PianoDiZona.objects.values_list("pk", "versione_dati")
    )


def owner_of(obj: models.Model, target: type[models.Model]) -> models.Model | None:
    """The first `target` reached from `obj` along foreign keys (breadth first), independently of the code."""
    seen, queue = set(), deque([obj])
    while queue:
        current = queue.popleft()
        if isinstance(current, target):
            return current
        for field in current._meta.concrete_fields:
            if field.is_relation and field.related_model in MODELS:
                related = getattr(current, field.name)
                if related is not None and (type(related), related.pk) not in seen:
                    seen.add((type(related), related.pk))
                    queue.append(related)
    return None


def expected_moves(obj: models.Model) -> tuple[str, set, set]:
    """(kind, ids that must move, ids that must not move) for a change of `obj`."""
    kind = OWNER[obj._meta.label]
    if kind == TUTTI:
        return kind, set(Ambito.objects.values_list("pk", flat=True)), set()
    if kind == PIANO:
        piano = owner_of(obj, PianoDiZona)
        other = set(PianoDiZona.objects.exclude(ambito=piano.ambito).values_list("pk", flat=True))
        return kind, {piano.pk}, other
    ambito = owner_of(obj, Ambito)
    family = {ambito.pk, ambito.parent_id, *ambito.sub_ambiti.values_list("pk", flat=True)} - {None}
    must = {ambito.pk, ambito.parent_id} - {None}
    return kind, must, set(Ambito.objects.exclude(pk__in=family).values_list("pk", flat=True))


def assert_moved(before: tuple[dict, dict], obj_label: str, kind: str, must: set, must_not: set) -> None:
    after = snapshot()
    index = 1 if kind == PIANO else 0
    moved = {pk for pk, v in after[index].items() if v != before[index].get(pk)}
    assert must <= moved, f"{obj_label}: la versione di {must - moved} non è cambiata"
    assert not (moved & must_not), f"{obj_label}: è cambiata la versione di {moved & must_not}, estranei"


SAMPLE_FILTERS = {
    "territory.Comune": {"ambito__isnull": False},
    "territory.Popolazione": {"comune__ambito__isnull": False},
}


def _risorsa() -> models.Model:
    return Risorsa.objects.create(
        intervento=Intervento.objects.order_by("pk").first(), fondo=Fondo.objects.first(), anno=2025, previsto=10
    )


def _variazione() -> models.Model:
    piano = PianoDiZona.objects.order_by("pk").first()
    return Variazione.objects.create(piano=piano, numero=1, motivazione="Prova", aperta_da=user_with_role("v", None))


def _continuita() -> models.Model:
    obiettivi = Obiettivo.objects.order_by("pk")
    return Continuita.objects.create(piano=obiettivi[1].piano, obiettivo=obiettivi[1], da_obiettivo=obiettivi[0])


def _campagna() -> models.Model:
    ambito = Ambito.objects.get(slug="magentino")
    modello = ModelloScheda.objects.get(codice="SOC26")
    return campagna_open(ambito=ambito, modello=modello, user=user_with_role("c", None), copia_anno_precedente=False)[0]


def _scadenza() -> models.Model:
    return (Campagna.objects.first() or _campagna()).scadenze.first()


def _promemoria() -> models.Model:
    campagna = Campagna.objects.first() or _campagna()
    scheda = Scheda.objects.filter(modello=campagna.modello, comune__campagne=campagna).first()
    return Promemoria.objects.create(
        destinatario=user_with_role("p", None), email="p@example.org", tipo="promemoria", campagna=campagna,
        scheda=scheda, passo="-7", oggetto="Promemoria", testo="Testo",
    )  # fmt: skip


MISSING_FROM_DEMO = {
    "monitoring.Campagna": _campagna,
    "monitoring.Promemoria": _promemoria,
    "monitoring.Scadenza": _scadenza,
    "planning.Risorsa": _risorsa,
    "planning.Variazione": _variazione,
    "planning.Continuita": _continuita,
}


def sample(model: type[models.Model]) -> models.Model:
    label = model._meta.label
    obj = model.objects.filter(**SAMPLE_FILTERS.get(label, {})).order_by("pk").first()
    if obj is None and label in MISSING_FROM_DEMO:
        obj = MISSING_FROM_DEMO[label]()
    assert obj is not None, f"{model._meta.label}: nessuna riga nei dati dimostrativi per la prova"
    return obj


def test_every_model_read_by_the_reports_has_an_owner():
    labels = {m._meta.label for m in concrete_models()}
    assert labels - OWNER.keys() == set(), "modelli nuovi: dire in OWNER di chi è la versione che muovono"
    assert versions.untracked(concrete_models()) == []


@pytest.mark.parametrize("label", sorted(OWNER))
def test_a_save_and_a_delete_move_the_right_version(label):
    model = apps.get_model(label)
    obj = sample(model)
    kind, must, must_not = expected_moves(obj)
    before = snapshot()
    obj.save()
    assert_moved(before, label, kind, must, must_not)
    if model in (PianoDiZona, Ambito):
        must = must - {obj.pk}  # a deleted plan or Ambito has no version left; its parent's moves
    before = snapshot()
    try:
        with transaction.atomic():
            obj.delete()
            assert_moved(before, f"{label} (cancellazione)", kind, must, set())
            raise Undo
    except (Undo, ProtectedError, RestrictedError):  # undone, or protected (its save was tested above)
        pass


def m2m_fields() -> list[str]:
    return sorted(f"{m._meta.label}.{f.name}" for m in concrete_models() for f in m._meta.many_to_many)


@pytest.mark.parametrize("name", m2m_fields())
def test_a_many_to_many_change_moves_the_version_from_either_side(name):
    label, field_name = name.rsplit(".", 1)
    model = apps.get_model(label)
    obj = sample(model)
    field = model._meta.get_field(field_name)
    other = field.related_model.objects.order_by("pk").first()
    kind, must, must_not = expected_moves(obj)
    getattr(obj, field_name).remove(other)
    before = snapshot()
    getattr(obj, field_name).add(other)
    assert_moved(before, name, kind, must, must_not)
    # django-simple-history records these fields from their own side only: a change from a side without history
    # fails in simple_history itself (so the portal never makes it)
    history = getattr(model, "history", None)
    history_m2m = {f.name for f in getattr(history.model, "_history_m2m_fields", ())} if history else set()
    if not field.remote_field.hidden and not (field_name in history_m2m and not hasattr(other, "history")):
        accessor = field.remote_field.get_accessor_name()
        before = snapshot()
        getattr(other, accessor).remove(obj)
        assert_moved(before, f"{name} (dall'altro lato)", kind, must, must_not)


def test_a_comune_moving_to_another_ambito_moves_both(magentino, oglio_po, magenta):
    before = snapshot()
    magenta.ambito = oglio_po
    magenta.save()
    assert_moved(before, "Comune", AMBITO, {magentino.pk, oglio_po.pk}, set())


def test_a_sub_ambito_change_moves_its_parent_not_its_sibling():
    sub = Ambito.objects.filter(parent__isnull=False).order_by("pk").first()
    siblings = set(Ambito.objects.filter(parent=sub.parent).exclude(pk=sub.pk).values_list("pk", flat=True))
    assert siblings, "i dati dimostrativi hanno un Ambito con due sub-ambiti (Oglio Po)"
    comune = sub.comuni.first()
    popolazione = comune.popolazioni.first()
    before = snapshot()
    popolazione.totale += 1
    popolazione.save()
    assert_moved(before, "Popolazione", AMBITO, {sub.pk, sub.parent_id}, siblings)


def test_a_plan_saved_from_an_old_instance_never_goes_back_to_an_old_version(piano):
    old = PianoDiZona.objects.get(pk=piano.pk)
    capitolo = piano.capitoli.first()
    capitolo.titolo += " (rivisto)"
    capitolo.save()
    moved = PianoDiZona.objects.get(pk=piano.pk).versione_dati
    old.note = "Nota"
    old.save()  # loaded before the chapter's change: its version in memory is older
    assert PianoDiZona.objects.get(pk=piano.pk).versione_dati == moved + 1
    assert old.versione_dati == moved + 1  # read back from the database


def test_one_bump_per_transaction_until_read_and_undone_with_a_savepoint(piano):
    interventi = list(Intervento.objects.filter(piano=piano)[:3])
    start = snapshot()[1][piano.pk]
    for intervento in interventi:
        intervento.save()
    assert snapshot()[1][piano.pk] == start + 1  # three saves in one transaction: one bump

    def save_and_roll_back():
        with transaction.atomic():  # a savepoint
            interventi[0].save()
            raise RuntimeError("rollback")

    with pytest.raises(RuntimeError):
        save_and_roll_back()
    assert snapshot()[1][piano.pk] == start + 1  # undone with the savepoint
    interventi[0].save()
    assert snapshot()[1][piano.pk] == start + 2  # and not taken as done


# --- Writes that send no signal: the services bump -------------------------------------------------------------


def test_population_import_moves_the_ambito_of_its_comuni(magentino, oglio_po):
    before = snapshot()
    popolazione_import(data=population_csv(), anno=2024)
    assert_moved(before, "popolazione_import", AMBITO, {magentino.pk}, {oglio_po.pk})


def test_recompute_of_a_scheda_moves_its_ambito():
    scheda = Scheda.objects.select_related("comune__ambito").order_by("pk").first()
    before = snapshot()
    scheda_recompute(scheda=scheda)
    assert_moved(before, "scheda_recompute", AMBITO, {scheda.comune.ambito_id}, set())


def test_a_new_plan_and_a_catalogue_change(magentino):
    piano = piano_create(ambito=magentino, titolo="Piano di prova", anno_inizio=2031, anno_fine=2033)
    before = snapshot()
    fondo = Fondo.objects.first()
    fondo.save()
    assert_moved(before, "Fondo", AMBITO, set(before[0]), set())
    assert piano.capitoli.exists()
