"""Demo territory from the seeds: Ambiti, their Comuni (codes from the ISTAT list) and population facts.

The population tables in fixtures/demo/ are copies of the seed tables as printed. Facts are stored
exactly as printed per Comune; printed totals are not stored as facts (totals are computed).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Ambito, Comune, Popolazione, Regione
from .regioni import REGIONI, codice_regione

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


class DemoDataError(RuntimeError):
    pass


def _read_tsv(path: Path) -> list[list[str]]:
    rows = [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return [row for row in rows if row and not row[0].startswith("#")]


def _number(text: str, where: str) -> int:
    cleaned = text.strip().replace(".", "")
    if not cleaned.lstrip("-").isdigit():
        raise DemoDataError(f"{where}: «{text}» non è un numero intero")
    return int(cleaned)


class _Resolver:
    """Finds ISTAT codes by official name and province, from the loaded ISTAT list."""

    def __init__(self) -> None:
        self.index = {(c.nome, c.sigla_provincia): c for c in Comune.objects.all()}

    def __call__(self, name: str, province: str) -> Comune:
        try:
            return self.index[(name, province)]
        except KeyError:
            raise DemoDataError(
                f"Comune «{name}» ({province}) non trovato nell'elenco ISTAT: eseguire prima load_comuni"
            ) from None


def regione_load(nome: str) -> Regione:
    """The Regione named `nome` (ISTAT name or its Italian part), created with its ISTAT code if missing."""
    codice = codice_regione(nome)
    if codice is None:
        raise DemoDataError(f"«{nome}» non è una delle 20 Regioni")
    return Regione.objects.get_or_create(codice=codice, defaults={"nome": REGIONI[codice]})[0]


def _ambiti_load(spec: dict, resolve: _Resolver) -> dict[str, Ambito]:
    """The demo Ambiti (parents first) with their Comuni."""
    ambiti: dict[str, Ambito] = {}
    for item in spec["ambiti"]:
        defaults = {k: item.get(k, "") for k in ("nome", "codice", "ente_capofila", "ats", "asst")}
        defaults["regione"] = regione_load(item["regione"])
        defaults["parent"] = ambiti[item["parent"]] if item.get("parent") else None
        defaults["note"] = f"Dati dimostrativi (fonte: {item['fonte']})"
        ambito, _ = Ambito.objects.update_or_create(slug=item["slug"], defaults=defaults)
        ambiti[item["slug"]] = ambito
        codes = [resolve(name, prov).pk for name, prov in item["comuni"]]
        Comune.objects.filter(pk__in=codes).update(ambito=ambito)
    return ambiti


def _magentino_facts(mag: dict, resolve: _Resolver, facts: dict[tuple[str, int], dict]) -> None:
    """Population of the Magentino: one table per field, Comuni by row and years by column."""
    for field, filename in mag["tables"].items():
        header, *rows = _read_tsv(DEMO_DIR / filename)
        years = [int(h) for h in header[1:] if h.isdigit()]
        for row in rows:
            label = row[0]
            if label.lower().startswith("totale"):
                continue  # printed total: computed from the Comuni, never stored as a fact
            comune = resolve(mag["alias"].get(label, label), "MI")
            for offset, year in enumerate(years, start=1):
                entry = facts.setdefault((comune.pk, year), {"fonte": mag["fonte"]})
                entry["data_riferimento"] = datetime.date(year, 1, 1)
                entry[field] = _number(row[offset], f"{filename}, {label}, {year}")


def _oglio_po_facts(op: dict, province: dict[str, str], resolve: _Resolver, facts: dict) -> None:
    """Population of Oglio Po: males, females and total of 2021 and 2020 for each Comune."""
    _header, *rows = _read_tsv(DEMO_DIR / op["file"])
    for row in rows:
        if row[0].upper().startswith("TOTALE"):
            continue
        comune = resolve(row[0], province[row[0]])
        for year, start in ((2021, 1), (2020, 4)):
            where = f"{op['file']}, {row[0]}, {year}"
            facts[(comune.pk, year)] = {
                "maschi": _number(row[start], where),
                "femmine": _number(row[start + 1], where),
                "totale": _number(row[start + 2], where),
                "data_riferimento": datetime.date(year, 1, 1),
                "fonte": op["fonte"],
            }


@transaction.atomic
def demo_territory_load() -> dict[str, int]:
    """Create or update the demo Ambiti, assign their Comuni and store population facts (idempotent)."""
    spec = json.loads((DEMO_DIR / "territorio.json").read_text(encoding="utf-8"))
    resolve = _Resolver()
    ambiti = _ambiti_load(spec, resolve)
    facts: dict[tuple[str, int], dict] = {}
    pop = spec["popolazione"]
    _magentino_facts(pop["magentino"], resolve, facts)
    province = {name: prov for a in spec["ambiti"] for name, prov in a["comuni"]}
    _oglio_po_facts(pop["oglio-po"], province, resolve, facts)
    for item in pop["reggio-emilia"]["rows"]:
        comune = resolve(*item["comune"])
        values = {k: v for k, v in item.items() if k not in ("comune", "anno")}
        values["data_riferimento"] = datetime.date.fromisoformat(values["data_riferimento"])
        facts[(comune.pk, item["anno"])] = values
    for (code, year), values in facts.items():
        Popolazione.objects.update_or_create(comune_id=code, anno=year, defaults=values)
    return {"ambiti": len(ambiti), "popolazione": len(facts)}
