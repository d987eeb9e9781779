"""Helpers of the campaign tests: a campaign opened through the service, schede moved to a state as setup."""

import datetime

from django.utils import timezone

from monitoring.campaigns.services import campagna_open
from monitoring.models import Campagna, ModelloScheda, Promemoria, Scheda, ValoreCella
from territory.versions import bump_ambiti


def open_campaign(ambito, user, code: str = "NID26", **options) -> Campagna:
    return campagna_open(ambito=ambito, modello=ModelloScheda.objects.get(codice=code), user=user, **options)[0]


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def set_states(campagna: Campagna, stato: str, comuni, inviata_il=None) -> None:
    """Setup only: the schede of `comuni` in `stato`, sent at `inviata_il` (the workflow is tested elsewhere)."""
    Scheda.objects.filter(modello=campagna.modello, comune__in=comuni).update(
        stato=stato, inviata_il=inviata_il, validata_il=inviata_il if stato == "validata" else None
    )


def remove_demo_campaigns() -> None:
    """Setup of the campaign tests: without the demo campaigns (monitoring/campaigns/demo.py) and the schede they
    created, so that a test opens its own campaign on the Magentino or Oglio Po from scratch. Magenta's NID26 of
    monitoring/demo.py stays (rolled back after the test).

    Deleted with plain DELETE statements (no per-row history or signals: a few queries instead of thousands; the
    history rows stay, as after a real delete; the test's transaction rolls it all back), then every Ambito's data
    version is bumped, as a delete would."""
    schede = Scheda.objects.none()
    for campagna in Campagna.objects.filter(dimostrativa=True).select_related("modello"):
        schede = schede | Scheda.objects.filter(modello=campagna.modello, comune__in=campagna.comuni.all())
    ids = list(schede.exclude(modello__codice="NID26", comune_id="015130").values_list("pk", flat=True))
    for model in (ValoreCella, Promemoria):
        model.objects.filter(scheda_id__in=ids)._raw_delete("default")
    Scheda.objects.filter(pk__in=ids)._raw_delete("default")
    for campagna in Campagna.objects.filter(dimostrativa=True):
        campagna.delete()
    bump_ambiti(None)
