"""Helpers of the campaign tests: a campaign opened through the service, schede moved to a state as setup."""

import datetime

from django.utils import timezone

from monitoring.campaigns.services import campagna_open
from monitoring.models import Campagna, ModelloScheda, Scheda


def open_campaign(ambito, user, code: str = "NID26", **options) -> Campagna:
    return campagna_open(ambito=ambito, modello=ModelloScheda.objects.get(codice=code), user=user, **options)[0]


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def set_states(campagna: Campagna, stato: str, comuni, inviata_il=None) -> None:
    """Setup only: the schede of `comuni` in `stato`, sent at `inviata_il` (the workflow is tested elsewhere)."""
    Scheda.objects.filter(modello=campagna.modello, comune__in=comuni).update(
        stato=stato, inviata_il=inviata_il, validata_il=inviata_il if stato == "validata" else None
    )
