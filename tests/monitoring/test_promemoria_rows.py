"""The rows of the sent reminders (monitoring.Promemoria): each kind names exactly what it is about, and the database
keeps one mail per recipient, subject and step."""

import pytest
from django.db import IntegrityError, transaction

from monitoring.models import Campagna, Promemoria
from planning.models import Assegnazione
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINKS_OF_KIND = {"promemoria": {"campagna", "scheda"}, "riepilogo": set(), "fondo": {"assegnazione"}}


@pytest.fixture
def subjects(magenta_nid):
    """Something of every kind a mail may be about, from the demo data."""
    return {
        "campagna": Campagna.objects.order_by("pk").first(),
        "scheda": magenta_nid,
        "assegnazione": Assegnazione.objects.order_by("pk").first(),
    }


def mail(user, tipo, subjects, links, passo="-7"):
    return Promemoria(
        destinatario=user, email="udp@example.it", tipo=tipo, passo=passo, oggetto="Promemoria", testo="Testo",
        **{link: subjects[link] for link in links},
    )  # fmt: skip


def refused(row):
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    return True


@pytest.mark.parametrize(("tipo", "links"), LINKS_OF_KIND.items())
def test_a_kind_with_its_links_is_saved_once_per_step(tipo, links, subjects):
    user, other = UserFactory(), UserFactory()
    mail(user, tipo, subjects, links).save()
    assert refused(mail(user, tipo, subjects, links))
    mail(user, tipo, subjects, links, passo="0").save()
    mail(other, tipo, subjects, links).save()
    assert Promemoria.objects.filter(tipo=tipo, destinatario__in=[user, other]).count() == 3


@pytest.mark.parametrize(("tipo", "links"), LINKS_OF_KIND.items())
def test_a_link_missing_or_one_of_another_kind_is_refused(tipo, links, subjects):
    user = UserFactory()
    for wrong in (set(), {"campagna"}, {"scheda"}, {"assegnazione"}, {"campagna", "scheda", "assegnazione"}):
        if wrong != links:
            assert refused(mail(user, tipo, subjects, wrong))
    assert not Promemoria.objects.filter(destinatario=user).exists()
