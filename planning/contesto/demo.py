"""Demo spending facts from fixtures/contesto/ (seed 001 Tab. 8-14, the Casalasco tables of seed 003) and the
printed figures of the documents (totals, per-capita values, variations, population totals) as notes.

The TSV files are copies of the printed tables; `tabelle.json` maps their labels to the catalogue of items. A
table already present is left alone (no duplicates, no overwritten edits); printed figures are get-or-created.

Series by school year (`serie_scolastiche`: the Casalasco SAAP of seed 003, cap. 4.1) are loaded the same way: a
school year «2017-2018» or «2021/2022» is keyed by its first year (2017, 2021). Where the document breaks a year
down by school level (2021/2022: infanzia 9, primaria 38, secondaria I grado 21, II grado 17) the levels are the
facts and both printed totals of that year (85 in the series, «TOTALE» 85 in the breakdown) are `ValoreStampato`
notes compared with their sum; the other years have one fact for all levels. The 7 pupils the document adds in a
footnote (assisted directly by the Comune di Casalmaggiore in 2021/2022) are a note of the series, not a fact:
the table they qualify does not include them.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from territory.models import Ambito, Comune

from ..models import (
    DatoScolastico,
    Dimensione,
    Fondo,
    Grandezza,
    SerieScolastica,
    SpesaSociale,
    TabellaSpesa,
    ValoreStampato,
    VoceSpesa,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "contesto"
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


class FixtureError(RuntimeError):
    pass


def read_tsv(path: Path) -> list[list[str]]:
    rows = [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return [[c.strip() for c in row] for row in rows if row and any(row) and not row[0].startswith("#")]


def numero(text: str, where: str) -> Decimal | str | None:
    """«17.223.375,77 €», «€ 315.615,00», «82,3%», «-» (→ None), «» (→ "" = nothing printed)."""
    cleaned = text.replace("€", "").replace("%", "").replace("\u00a0", " ").strip()
    if cleaned == "":
        return ""
    if cleaned == "-":
        return None
    try:
        return Decimal(cleaned.replace(".", "").replace(",", "."))
    except InvalidOperation:
        raise FixtureError(f"{where}: «{text}» non è un numero") from None


def _decimali(text: str) -> int:
    cleaned = text.replace("€", "").replace("%", "").strip()
    return len(cleaned.split(",", 1)[1]) if "," in cleaned else 0


def _anno(label: str) -> int:
    digits = [w for w in label.replace("/", " ").split() if w.isdigit() and len(w) == 4]
    if not digits:
        raise FixtureError(f"«{label}»: anno non riconosciuto")
    return int(digits[-1])


def voci_load(spec: dict) -> dict[tuple[str, str], VoceSpesa]:
    voci: dict[tuple[str, str], VoceSpesa] = {}
    fondi = {f.codice: f for f in Fondo.objects.all()}
    for dimensione in (Dimensione.ENTE, Dimensione.AREA, Dimensione.GESTIONE, Dimensione.FONTE, Dimensione.INTERVENTO):
        for i, item in enumerate(spec[dimensione], start=1):
            codice, nome, *extra = item
            defaults = {"nome": nome, "ordine": i}
            if dimensione == Dimensione.FONTE:
                defaults["fondo"] = fondi.get(extra[0]) if extra and extra[0] else None
            if dimensione == Dimensione.INTERVENTO:
                defaults["area"] = voci[(Dimensione.AREA, extra[0])]
            voci[(dimensione, codice)], _ = VoceSpesa.objects.update_or_create(
                dimensione=dimensione, codice=codice, defaults=defaults
            )
    return voci


def _cells(spec: dict, rows: list[list[str]]) -> list[tuple[str, str, str]]:
    """(item label, column label, cell text) whatever the orientation of the printed table."""
    header, *body = rows
    out = []
    if spec["righe"] == "anni":  # one row per year, one column per item
        for row in body:
            for label, text in zip(header[1:], row[1:], strict=False):
                out.append((label, row[0], text))
    else:  # one row per item, one column per year
        for row in body:
            for label, text in zip(header[1:], row[1:], strict=False):
                out.append((row[0], label, text))
    return out


def table_load(spec: dict, voci: dict, ambiti: dict[str, Ambito]) -> int:
    ambito = ambiti[spec["ambito"]]
    tabella, created = TabellaSpesa.objects.get_or_create(
        ambito=ambito,
        codice=spec["codice"],
        defaults={
            "titolo": spec["titolo"],
            "dimensione": spec["dimensione"],
            "ente": spec["ente"],
            "area": voci[(Dimensione.AREA, spec["area"])] if spec.get("area") else None,
            "misura": spec["misura"],
            "completa": spec["completa"],
            "tolleranza": Decimal(spec["tolleranza"]),
            "fonte": spec["fonte"],
            "fonte_dati": spec.get("fonte_dati", ""),
            "ordine": spec["ordine"],
            "note": spec.get("note", ""),
        },
    )
    if not created:
        _reword(tabella, spec)
        return 0
    path = FIXTURES / spec["file"]
    facts, printed = [], []
    totali = set(spec.get("totali", []))
    colonne_anni = spec.get("colonne_anni", {})
    var = spec.get("variazione")
    stampato = {"ambito": ambito, "tabella": tabella, "documento": spec["documento"], "riferimento": spec["codice"]}
    for item, column, text in _cells(spec, read_tsv(path)):
        where = f"{spec['file']}, {item}, {column}"
        if var and column == var["colonna"]:
            value = numero(text, where)
            if value not in ("", None):
                printed.append(
                    ValoreStampato(
                        **stampato,
                        etichetta=f"Variazione % {var['anno_base']}-{var['anno']}: {item}",
                        grandezza=Grandezza.VARIAZIONE,
                        anno=var["anno"],
                        anno_base=var["anno_base"],
                        voce=voci[(spec["dimensione"], spec["voci"][item])],
                        valore=value,
                        decimali=_decimali(text),
                    )
                )
            continue
        anno = colonne_anni.get(column) or _anno(column)
        value = numero(text, where)
        if item in totali:
            if value not in ("", None):
                printed.append(
                    ValoreStampato(
                        **stampato,
                        etichetta=item,
                        anno=anno,
                        valore=value,
                        decimali=_decimali(text),
                        ente=spec["ente"],
                        grandezza=Grandezza.QUOTE if spec["misura"] == "quota" else Grandezza.SPESA,
                    )
                )
            continue
        if item not in spec["voci"]:
            raise FixtureError(f"{where}: voce «{item}» non mappata in tabelle.json")
        if value == "":
            continue  # nothing printed for this year
        facts.append(
            SpesaSociale(
                tabella=tabella,
                anno=anno,
                voce=voci[(spec["dimensione"], spec["voci"][item])],
                valore=value,
                nota="«-» nel documento" if value is None else "",
            )
        )
    bulk_create_with_history(facts, SpesaSociale)
    bulk_create_with_history(printed, ValoreStampato)
    return len(facts)


def _reword(tabella: TabellaSpesa, spec: dict) -> None:
    """Data loaded by earlier versions cited the copies of the documents («… (seed 001)»): cite the document."""
    if "seed" in tabella.fonte.lower():
        TabellaSpesa.objects.filter(pk=tabella.pk).update(fonte=spec["fonte"])
    ValoreStampato.objects.filter(tabella=tabella, documento__icontains="seed").update(documento=spec["documento"])


def _printed(**values) -> None:
    keys = ("ambito", "riferimento", "etichetta", "anno", "grandezza", "ente", "comune", "campo_popolazione")
    lookup = {k: values.get(k, "" if k in ("ente", "campo_popolazione") else None) for k in keys}
    defaults = {k: v for k, v in values.items() if k not in keys}
    valore, created = ValoreStampato.objects.get_or_create(**lookup, defaults=defaults)
    if not created and "seed" in valore.documento.lower():  # cited by an earlier version as «… (seed 001)»
        ValoreStampato.objects.filter(pk=valore.pk).update(documento=defaults["documento"])


def per_capita_load(spec: dict, ambiti: dict[str, Ambito]) -> None:
    ambito = ambiti[spec["ambito"]]
    comuni = {c.nome.lower(): c for c in Comune.objects.filter(ambito=ambito)}
    header, *body = read_tsv(FIXTURES / spec["file"])
    for row in body:
        label = row[0]
        for column, text in zip(header[1:], row[1:], strict=False):
            value = numero(text, f"{spec['file']}, {label}, {column}")
            if value in ("", None):
                continue
            common = {
                "ambito": ambito, "riferimento": spec["riferimento"], "anno": _anno(column),
                "grandezza": Grandezza.PRO_CAPITE, "valore": value, "decimali": _decimali(text),
                "documento": spec["documento"],
            }  # fmt: skip
            if label in spec["medie"]:
                _printed(etichetta=label, ente=spec["medie"][label], **common)
            else:
                comune = comuni.get(label.lower())
                if comune is None:
                    raise FixtureError(f"{spec['file']}: Comune «{label}» non trovato nell'Ambito")
                _printed(etichetta=f"Spesa pro capite {comune.nome}", comune=comune, **common)


def population_totals_load(spec: dict, ambiti: dict[str, Ambito]) -> None:
    """The printed «Totale» rows of the population tables (fixtures/demo), as notes."""
    ambito = ambiti[spec["ambito"]]
    header, *body = read_tsv(DEMO / spec["file"])
    for row in body:
        if not row[0].lower().startswith("totale"):
            continue
        for column, text in zip(header[1:], row[1:], strict=False):
            if "colonne" in spec:
                if column not in spec["colonne"]:
                    continue
                anno, campo = spec["colonne"][column]
            elif column.isdigit():
                anno, campo = int(column), spec["campo"]
            else:
                continue
            value = numero(text, f"{spec['file']}, {row[0]}, {column}")
            if value in ("", None):
                continue
            _printed(
                ambito=ambito, riferimento=spec["riferimento"], etichetta=f"{row[0]} {column}".strip(), anno=anno,
                grandezza=Grandezza.POPOLAZIONE, campo_popolazione=campo, valore=value, decimali=0,
                documento=spec["documento"],
            )  # fmt: skip


def _anno_inizio(label: str) -> int:
    """«2017-2018», «2021/2022» → 2017, 2021 (the school year's first calendar year)."""
    digits = [w for w in label.replace("/", " ").replace("-", " ").split() if w.isdigit() and len(w) == 4]
    if len(digits) != 2 or int(digits[1]) != int(digits[0]) + 1:
        raise FixtureError(f"«{label}»: anno scolastico non riconosciuto")
    return int(digits[0])


def _per_ordine(spec: dict, serie: SerieScolastica) -> tuple[list[DatoScolastico], list[dict]]:
    """The facts by school level of the breakdown table and its printed totals."""
    ordini = spec.get("ordini")
    if not ordini:
        return [], []
    facts, stampati = [], []
    header, *body = read_tsv(FIXTURES / ordini["file"])
    anno = _anno_inizio(header[0])
    for row in body:
        for column, text in zip(header[1:], row[1:], strict=True):
            value = numero(text, f"{ordini['file']}, {row[0]}, {column}")
            if value in ("", None):
                continue
            if column == ordini["totale"]:
                stampati.append({"etichetta": f"{row[0]} {header[0]} (per ordine di scuola)", "anno": anno,
                                 "misura_scolastica": ordini["misura"], "valore": value})  # fmt: skip
            else:
                facts.append(
                    DatoScolastico(serie=serie, anno_inizio=anno, misura=ordini["misura"],
                                   ordine_scuola=ordini["colonne"][column], valore=value)
                )  # fmt: skip
    return facts, stampati


def serie_scolastica_load(spec: dict, ambiti: dict[str, Ambito]) -> int:
    """A series by school year: its facts once (a series already present is left alone), its printed totals."""
    ambito = ambiti[spec["ambito"]]
    serie, created = SerieScolastica.objects.get_or_create(
        ambito=ambito,
        codice=spec["codice"],
        defaults={k: spec.get(k, "") for k in ("titolo", "fonte", "fonte_dati", "note")},
    )
    facts, stampati = _per_ordine(spec, serie)
    per_ordine = {(f.anno_inizio, f.misura) for f in facts}
    header, *body = read_tsv(FIXTURES / spec["file"])
    for row in body:
        misura = spec["misure"][row[0]]
        for column, text in zip(header[1:], row[1:], strict=False):
            value = numero(text, f"{spec['file']}, {row[0]}, {column}")
            if value in ("", None):
                continue
            anno = _anno_inizio(column)
            if (anno, misura) in per_ordine:  # the levels are the facts: the printed total is a note
                stampati.append({"etichetta": f"{row[0]} {column}", "anno": anno, "misura_scolastica": misura,
                                 "valore": value})  # fmt: skip
            else:
                facts.append(DatoScolastico(serie=serie, anno_inizio=anno, misura=misura, valore=value))
    if created:
        bulk_create_with_history(facts, DatoScolastico)
    for item in stampati:
        ValoreStampato.objects.get_or_create(
            ambito=ambito, serie=serie, riferimento=spec["codice"], etichetta=item["etichetta"], anno=item["anno"],
            grandezza=Grandezza.SCOLASTICA, misura_scolastica=item["misura_scolastica"],
            defaults={"valore": item["valore"], "decimali": 0, "documento": spec["documento"]},
        )  # fmt: skip
    return len(facts) if created else 0


def demo_contesto_load() -> dict[str, int]:
    spec = json.loads((FIXTURES / "tabelle.json").read_text(encoding="utf-8"))
    ambiti = {a.slug: a for a in Ambito.objects.all()}
    voci = voci_load(spec["voci"])
    n = 0
    for i, table in enumerate(spec["tabelle"], start=1):
        if table["ambito"] in ambiti:
            n += table_load({**table, "ordine": i}, voci, ambiti)
    if spec["pro_capite"]["ambito"] in ambiti:
        per_capita_load(spec["pro_capite"], ambiti)
    for item in spec["valori_stampati"]:
        if item["ambito"] in ambiti:
            _printed(**{**item, "ambito": ambiti[item["ambito"]], "valore": Decimal(item["valore"])})
    for item in spec["popolazione"]:
        if item["ambito"] in ambiti:
            population_totals_load(item, ambiti)
    for item in spec.get("serie_scolastiche", []):
        if item["ambito"] in ambiti:
            n += serie_scolastica_load(item, ambiti)
    return {"fatti": n, "tabelle": TabellaSpesa.objects.count()}
