"""factory_boy factories for the tests."""

import factory
from django.contrib.auth import get_user_model

from accounts.models import Assegnazione, Ruolo
from monitoring.models import Scheda
from territory.models import Ambito, Comune, Popolazione


class AmbitoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambito
        django_get_or_create = ("slug",)

    nome = factory.Sequence(lambda n: f"Ambito di prova {n}")
    slug = factory.Sequence(lambda n: f"ambito-prova-{n}")
    codice = factory.Sequence(lambda n: f"PROVA-{n}")


class ComuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comune
        django_get_or_create = ("codice_istat",)

    codice_istat = factory.Sequence(lambda n: f"{900000 + n:06d}")
    nome = factory.Sequence(lambda n: f"Comune di prova {n}")
    sigla_provincia = "ZZ"
    regione = "Regione di prova"


class PopolazioneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Popolazione

    comune = factory.SubFactory(ComuneFactory)
    anno = 2024
    totale = 1000
    stranieri = 100
    eta_65_oltre = 250
    eta_0_17 = 150


TEST_PASSWORD = "password-di-prova-123"  # of every user made by the tests


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utente{n}")
    password = factory.django.Password(TEST_PASSWORD)


def user_with_role(username: str, ruolo: str | None, *, ambito=None, comune=None, regione=None):
    """A user with one assignment (ruolo None = superuser)."""
    user = UserFactory(username=username, is_superuser=ruolo is None, is_staff=ruolo is None)
    if ruolo == Ruolo.OPERATORE:
        Assegnazione.objects.create(user=user, ruolo=ruolo, comune=comune)
    elif ruolo == Ruolo.REGIONE:
        Assegnazione.objects.create(user=user, ruolo=ruolo, regione=regione)
    elif ruolo:
        Assegnazione.objects.create(user=user, ruolo=ruolo, ambito=ambito)
    return user


def scheda_like(source: Scheda, comune: Comune, **fields) -> Scheda:
    """An unsaved scheda of `comune` with the template, results and counts of `source` (for bulk_create in the scale
    tests and benchmarks); `fields` set the rest (stato, modificata_il…) or replace a copied value."""
    copied = {
        "modello": source.modello,
        "risultati": source.risultati,
        "indicatori": source.indicatori,
        "n_errori": source.n_errori,
        "n_avvisi": source.n_avvisi,
        "completezza": source.completezza,
    }
    return Scheda(comune=comune, **{**copied, **fields})
