"""Demo open data: the Magentino and the Distretto di Reggio Emilia publish every dataset (idempotent).

What each one really exposes follows the data: the Magentino its population, the spending tables of its Piano di
Zona and the indicators of its Comuni's Validata schede (its 2025-2027 plan is only «in approvazione», so no
objective or intervention); Reggio Emilia its population and the indicators of its Validata NID26 and SOC26.
"""

from __future__ import annotations

from django.db import transaction

from territory.models import Ambito

from .choices import Dataset, Frequenza, Licenza
from .models import Pubblicazione

DEMO = {
    "magentino": {
        "editore": "Comune di Magenta (ente capofila dell'Ambito del Magentino)",
        "codice_ipa": "c_e801",
        "email": "ufficiodipiano@magentino.example.org",
        "licenza": Licenza.CC_BY_4,
        "frequenza": Frequenza.ANNUALE,
    },
    "reggio-emilia": {
        "editore": "Comune di Reggio nell'Emilia",
        "codice_ipa": "c_h223",
        "email": "ufficiodipiano@reggioemilia.example.org",
        "licenza": Licenza.CC_BY_4,
        "frequenza": Frequenza.ANNUALE,
    },
}


@transaction.atomic
def demo_opendata_load() -> int:
    """Create the demo settings that are missing (an Ambito's own changes are kept); returns how many are new."""
    created = 0
    for ambito in Ambito.objects.filter(slug__in=DEMO):
        _, new = Pubblicazione.objects.get_or_create(
            ambito=ambito, defaults={**DEMO[ambito.slug], "dataset": list(Dataset.values)}
        )
        created += new
    return created
