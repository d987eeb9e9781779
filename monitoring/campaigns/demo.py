"""Demo campaigns (issue 13): NID26 and SOC26 2025 for the Magentino and the two Oglio Po sub-ambiti, marked
«dimostrativa», with a mix of states: schede validated, sent on time (before the sending deadline, 31/05/2026),
sent late, missing (Bozza). The Casalasco's NID26 is all validated and presented to the Regione, so that the
Regione Lombardia demo user has a set to approve.

The campaigns are opened and presented through the services (history written) by an inactive system account
that cannot log in; the values and states of the schede are then written directly, as monitoring/demo.py does
(the loader acts as the Comuni and the Ufficio di Piano at once): Reggio nell'Emilia's seed values scaled to the
Comune's population, required cells still empty set to 0/NO, every warning justified by a comment «Dato
dimostrativo». Idempotent: a campaign that exists is left as it is. Magenta's NID26 (Bozza, monitoring/demo.py)
and Reggio's schede are not touched.
"""

from __future__ import annotations

import datetime
import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from territory.models import Ambito, Comune, Popolazione
from territory.versions import bump_ambiti_of_comuni

from ..models import ModelloScheda, Scheda, Stato, ValoreCella
from ..services import SCHEDE_DIR, normalise, scheda_recompute
from ..services.submit import justification_key, submit_check
from .models import Campagna
from .services import campagna_open, campagna_transition

SYSTEM_USERNAME = "sistema.demo"
AMBITI = ["magentino", "casalasco", "viadanese"]
CODES = ["NID26", "SOC26"]
# (ambito slug, template code) of the set presented to the Regione: every scheda validated
PRESENTED = ("casalasco", "NID26")
REGGIO = "035033"
REGGIO_POPULATION = 172284
# Reggio's places used by children of other Comuni (R17) must match their list by Comune (R60), which the demo
# leaves empty: none in the demo schede.
OVERRIDES = {"NID26": {("R17", "N25"): "0"}}
DEMO_COMMENT = "Dato dimostrativo: valore plausibile, non reale."

# The states by the Comune's position (alphabetical) in its campaign: (state, sent on time?) or None = Bozza.
PATTERN: list[tuple[str, bool] | None] = [
    None,
    (Stato.INVIATA, False),
    (Stato.INVIATA, True),
    (Stato.VALIDATA, True),
    (Stato.VALIDATA, True),
    (Stato.VALIDATA, False),
]
ON_TIME = datetime.date(2026, 5, 4)  # + position: before the sending deadline (31/05/2026)
LATE = datetime.date(2026, 6, 3)  # + position: after it


def system_user():
    """The account that opens the demo campaigns: superuser for the services' checks, inactive (no login)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "Caricamento dati demo", "is_active": False, "is_superuser": True},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _scaled(text: str, factor: Decimal) -> str:
    """A numeric input scaled by `factor` (integers stay integers, decimals keep two digits); text unchanged."""
    try:
        number = Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return text
    if "," in text:
        return f"{(number * factor).quantize(Decimal('0.01'), ROUND_HALF_UP)}".replace(".", ",")
    return str(int((number * factor).quantize(Decimal(1), ROUND_HALF_UP)))


def _demo_values(modello: ModelloScheda, base: dict[tuple[str, str], str], factor: Decimal) -> list[ValoreCella]:
    """The cells of a demo scheda: inputs scaled, required cells filled, warnings justified (not saved)."""
    compiled = modello.compiled()
    filler = {"sino": "NO", "testo": "n.d."}
    values = {key: _scaled(text, factor) for key, text in base.items() if key in compiled.cells}
    result = compiled.compute(values)
    for key in result.missing:
        values[key] = filler.get(compiled.cells[key].unit, "0")
    result = compiled.compute(values)
    cells: dict[tuple[str, str], ValoreCella] = {}
    for key in values:
        text = normalise(result.values.get(key))
        if text:
            cells[key] = ValoreCella(riga=key[0], colonna=key[1], valore=text)
    for message in result.warnings:
        key = justification_key(compiled, message)
        cells.setdefault(key, ValoreCella(riga=key[0], colonna=key[1])).commento = DEMO_COMMENT
    return list(cells.values())


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _fill_campaign(campagna: Campagna, base: dict[tuple[str, str], str], populations: dict[str, int]) -> None:
    presented = (campagna.ambito.slug, campagna.modello.codice) == PRESENTED
    schede = Scheda.objects.filter(modello=campagna.modello, comune__in=campagna.comuni.all()).select_related(
        "comune", "modello"
    )
    for position, scheda in enumerate(sorted(schede, key=lambda s: s.comune.nome)):
        state = (Stato.VALIDATA, True) if presented else PATTERN[position % len(PATTERN)]
        if scheda.valori.exists():  # Magenta's NID26 of monitoring/demo.py: left as it is
            continue
        population = populations.get(scheda.comune_id, 5000)
        factor = Decimal(population) / Decimal(REGGIO_POPULATION)
        if state is None and position % 2:  # some drafts are half done, others untouched
            continue
        cells = _demo_values(scheda.modello, base, factor)
        if state is None:
            cells = cells[: len(cells) // 2]
        for cell in cells:
            cell.scheda = scheda
        ValoreCella.objects.bulk_create(cells)
        if state is not None:
            _justify_outliers(scheda)
        scheda_recompute(scheda=scheda)
        if state is not None:
            stato, on_time = state
            sent = (ON_TIME if on_time else LATE) + datetime.timedelta(days=position % 20)
            Scheda.objects.filter(pk=scheda.pk).update(
                stato=stato,
                inviata_il=_at(sent),
                validata_il=_at(sent + datetime.timedelta(days=5)) if stato == Stato.VALIDATA else None,
            )
            bump_ambiti_of_comuni([scheda.comune_id])  # QuerySet.update sends no signal (territory.versions)


def _justify_outliers(scheda: Scheda) -> None:
    """Values outside the Comune's history (the past years of monitoring/demo.py) get the demo comment too: a sent
    demo scheda passes the checks of «Invia»."""
    for note in submit_check(scheda=scheda).unjustified:
        ValoreCella.objects.update_or_create(
            scheda=scheda, riga=note.key[0], colonna=note.key[1], defaults={"commento": DEMO_COMMENT}
        )


@transaction.atomic
def campagne_demo_load() -> int:
    """Open the demo campaigns that are missing and give their schede demo values and states. Returns how many
    campaigns were opened."""
    modelli = {m.codice: m for m in ModelloScheda.objects.filter(codice__in=CODES)}
    ambiti = {a.slug: a for a in Ambito.objects.filter(slug__in=AMBITI)}
    existing = set(Campagna.objects.filter(ambito__in=ambiti.values()).values_list("ambito__slug", "modello__codice"))
    todo = [(slug, code) for slug in AMBITI for code in CODES if (slug, code) not in existing]
    if not todo:
        return 0
    reggio = json.loads((SCHEDE_DIR / "reggio_2025_values.json").read_text(encoding="utf-8"))
    bases = {
        code: {(r, c): v for r, cols in reggio[code].items() for c, v in cols.items()} | OVERRIDES.get(code, {})
        for code in CODES
    }
    comuni = Comune.objects.filter(ambito__in=ambiti.values())
    populations = dict(
        Popolazione.objects.filter(comune__in=comuni).order_by("comune", "anno").values_list("comune", "totale")
    )
    user = system_user()
    for slug, code in todo:
        campagna, _created = campagna_open(
            ambito=ambiti[slug], modello=modelli[code], user=user, copia_anno_precedente=False, dimostrativa=True
        )
        _fill_campaign(campagna, bases[code], populations)
        if (slug, code) == PRESENTED:
            campagna_transition(campagna=campagna, user=user, action="presenta")
    return len(todo)
