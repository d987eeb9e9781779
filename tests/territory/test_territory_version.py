"""The territory version of an Ambito (`Ambito.versione_territorio`, territory.versions): moved by the territory's
own rows only (the Ambito, its Comuni, their population, a sub-ambito), always together with the data version; a
save of a scheda moves the data version alone, and the Ambito page, which shows only the territory, is kept."""

import pytest
from django.db.models import F
from django.urls import reverse

from core import versions
from monitoring.services import scheda_save
from territory.models import Ambito, Comune, Popolazione
from tests.schede_helpers import magenta_nid

pytestmark = pytest.mark.django_db


def _versions(slug: str = "magentino") -> tuple[int, int]:
    """The two versions, read as a page reads them (core.versions.observed: the next change bumps them again, even
    in this test's transaction)."""
    versions.observed()
    return Ambito.objects.values_list("versione_dati", "versione_territorio").get(slug=slug)


def _moved(before: tuple[int, int], slug: str = "magentino") -> tuple[bool, bool]:
    after = _versions(slug)
    return after[0] > before[0], after[1] > before[1]


def test_a_scheda_save_moves_the_data_version_only(udp_user):
    scheda = magenta_nid()
    before = _versions()
    scheda_save(scheda=scheda, user=udp_user, values={("R05", "N25"): "1234"}, expected_version=scheda.versione)
    assert _moved(before) == (True, False)


def test_the_territory_rows_move_both_versions(magentino):
    before = _versions()
    popolazione = Popolazione.objects.filter(comune__ambito=magentino).order_by("anno").last()
    popolazione.totale += 1
    popolazione.save()
    assert _moved(before) == (True, True)

    before = _versions()
    comune = Comune.objects.filter(ambito=magentino).order_by("nome").first()
    comune.nome += " (rinominato)"
    comune.save()
    assert _moved(before) == (True, True)

    before = _versions()
    magentino.ente_capofila = "Comune di Magenta (capofila)"
    magentino.save()
    assert _moved(before) == (True, True)


def test_a_comune_moving_moves_both_ambiti_and_a_sub_ambito_its_parent(magentino):
    altro = Ambito.objects.exclude(pk=magentino.pk).filter(parent__isnull=True).order_by("pk").first()
    before, before_altro = _versions(), _versions(altro.slug)
    comune = Comune.objects.filter(ambito=magentino).order_by("nome").first()
    comune.ambito = altro
    comune.save()
    assert _moved(before) == (True, True)
    assert _moved(before_altro, altro.slug) == (True, True)

    figlio = Ambito.objects.create(nome="Sub-ambito di prova", slug="sub-prova", parent=magentino)
    before = _versions()
    figlio.nome = "Sub-ambito di prova, rinominato"
    figlio.save()
    assert _moved(before) == (True, True)


def test_the_ambito_page_is_kept_after_a_scheda_save_and_built_again_after_a_population_change(
    client_for, udp_user, magentino
):
    client = client_for(udp_user)
    url = reverse("planning:ambito_detail", args=[magentino.slug])
    assert client.get(url).context is not None  # built
    scheda = magenta_nid()
    scheda_save(scheda=scheda, user=udp_user, values={("R05", "N25"): "1234"}, expected_version=scheda.versione)
    assert client.get(url).context is None  # the stored page: nothing rendered
    popolazione = Popolazione.objects.filter(comune__ambito=magentino).order_by("anno", "comune_id").last()
    popolazione.totale += 1000
    popolazione.save()
    page = client.get(url)
    assert page.context is not None  # built again
    assert page.context["totals"].totale is not None


@pytest.mark.parametrize(
    "update_fields",
    [None, ["nome"], ["nome", "versione_dati"], ["versione_territorio"], ["versione_dati", "versione_territorio"]],
)
def test_an_ambito_save_moves_each_version_once_and_never_writes_back_a_loaded_one(magentino, update_fields):
    """Whichever fields a save names, each counter goes up by exactly one from its value in the database, also when
    the instance was loaded before another change moved it (a counter written back as loaded would give a new
    state an old version)."""
    loaded = Ambito.objects.get(pk=magentino.pk)  # loaded, then the versions move under it
    Ambito.objects.filter(pk=magentino.pk).update(
        versione_dati=F("versione_dati") + 5, versione_territorio=F("versione_territorio") + 5
    )
    before = _versions()
    loaded.nome += " (rinominato)"
    loaded.save(update_fields=update_fields)
    after = _versions()
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)
