"""Templates of the schede: load a JSON definition (checked by the engine) and list the seed files."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from monitoring.engine import compile_template

from ..models import ModelloScheda

SCHEDE_DIR = Path(settings.BASE_DIR) / "fixtures" / "schede"


@transaction.atomic
def modello_load(*, definition: dict) -> tuple[ModelloScheda, bool]:
    """Create or update a template from its JSON definition (checked by the engine first)."""
    compiled = compile_template(definition)  # raises TemplateError / FormulaError naming the cell
    d = compiled.definition
    fields = {
        "titolo": d.title,
        "servizio": d.service,
        "anno_riferimento": d.reference_year,
        "scadenza": d.due_date,
        "definizione": definition,
    }
    modello = ModelloScheda.objects.filter(codice=d.code).first()
    if modello is None:
        return ModelloScheda.objects.create(codice=d.code, versione=d.version, **fields), True
    if modello.definizione != definition:
        for name, value in fields.items():
            setattr(modello, name, value)
        modello.versione = max(modello.versione + 1, d.version)
        modello.save()
    return modello, False


def template_files() -> list[Path]:
    return sorted(p for p in SCHEDE_DIR.glob("*.json") if "quadri" in json.loads(p.read_text(encoding="utf-8")))
