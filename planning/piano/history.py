"""Change history shown on the pages: who, when, what (field by field), from django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist


@dataclass
class Modifica:
    data: datetime
    utente: str
    oggetto: str
    tipo: str
    motivo: str
    cambi: list[tuple[str, str, str]] = field(default_factory=list)


TIPI = {"+": "Creazione", "~": "Modifica", "-": "Eliminazione"}
SKIP = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user", "ordine"}


def _display(model, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field of the historical model only
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Sì" if value else "No"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


M2M = {
    # accessor of django-simple-history's historical m2m rows → (label, field pointing to the target)
    "fondi": ("fondi", "fondo"),
    "leps": ("LEPS", "leps"),
    "partner": ("partner della rete", "attorerete"),
}


def _m2m_relations(historical_model) -> dict[str, tuple[str, str]]:
    """Reverse accessors of the historical m2m rows (e.g. historicalintervento_fondi_set) → (label, target field)."""
    out = {}
    for f in historical_model._meta.get_fields():
        if f.auto_created and not f.concrete and f.name.startswith("historical") and "_" in f.name:
            m2m_name = f.name.split("_", 1)[1]
            if m2m_name in M2M:
                out[f.get_accessor_name()] = M2M[m2m_name]
    return out


def _m2m(record, relations) -> dict[str, set[str]]:
    return {
        rel: {str(getattr(row, attr)) for row in getattr(record, rel).all()} for rel, (_, attr) in relations.items()
    }


def modifiche(querysets: list[tuple], limit: int = 60, creato_il: datetime | None = None) -> list[Modifica]:
    """History entries of several historical querysets (label, qs), newest first, with field diffs.

    Each queryset is read once (no query per record): diffs are computed against the previous record of the
    same object in Python.
    """
    # Rows created together with the parent object (within a minute) are part of its "Creazione" entry.
    out: list[Modifica] = []
    for label, qs, *rest in querysets:
        namer = rest[0] if rest else (lambda r: str(r.instance))
        model = qs.model.instance_type
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIP]
        previous: dict = {}
        relations = _m2m_relations(qs.model)
        qs = qs.prefetch_related(*(f"{rel}__{attr}" for rel, (_, attr) in relations.items()))
        for record in qs.select_related("history_user").order_by("history_date", "history_id"):
            prev = previous.get(record.id)
            cambi = []
            if prev is not None and record.history_type == "~":
                for name in names:
                    old, new = getattr(prev, name, None), getattr(record, name, None)
                    if old != new:
                        verbose = str(model._meta.get_field(name.removesuffix("_id")).verbose_name)
                        cambi.append((verbose, _display(model, name, old), _display(model, name, new)))
                old_m2m, new_m2m = _m2m(prev, relations), _m2m(record, relations)
                for rel, (label, _attr) in relations.items():
                    if old_m2m[rel] != new_m2m[rel]:
                        cambi.append(
                            (label, ", ".join(sorted(old_m2m[rel])) or "—", ", ".join(sorted(new_m2m[rel])) or "—")
                        )
                if not cambi:
                    previous[record.id] = record
                    continue
            previous[record.id] = record
            if (
                creato_il is not None
                and abs((record.history_date - creato_il).total_seconds()) < 60
                and (
                    (label and record.history_type == "+")
                    or (record.history_user_id is None and record.history_type == "~")
                )
            ):
                continue  # rows and links saved together with the card belong to its "Creazione"
            user = record.history_user
            out.append(
                Modifica(
                    data=record.history_date,
                    utente=(user.get_full_name() or user.username) if user else "sistema",
                    oggetto=f"{label}: {namer(record)[:90]}" if label else namer(record)[:90],
                    tipo=TIPI.get(record.history_type, record.history_type),
                    motivo=record.history_change_reason or "",
                    cambi=cambi,
                )
            )
    out.sort(key=lambda m: m.data, reverse=True)
    return out[:limit]
