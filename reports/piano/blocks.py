"""The building blocks of the plan's document: tables (`Tabella`, `Riga`) with cells already formatted the Italian
way, figures (`Figura`), sub-sections of the Sommario (`Sottosezione`), the groups of the plan's structure as the
document prints them (`GruppoDoc`) and the small formatting helpers the chapter builders share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe

from core.charts import Chart
from core.formatting import it_number, it_percent
from core.markdown import render_markdown
from planning.models import Intervento, Obiettivo, PianoDiZona
from planning.piano.selectors import objective_tree
from territory.models import Ambito


@dataclass
class Sottosezione:
    titolo: str
    anchor: str


@dataclass
class Riga:
    etichetta: str
    celle: list[str]
    totale: bool = False
    classi: list[str] = field(default_factory=list)

    @property
    def coppie(self) -> list[tuple[str, str]]:
        """(cell, CSS class) pairs: numbers right-aligned unless the table says otherwise."""
        return [(c, self.classi[i] if i < len(self.classi) else "num") for i, c in enumerate(self.celle)]


def frase(text: str) -> str:
    """`text` as a sentence: stripped, with a final full stop unless it already ends with one (or ?, !, …)."""
    text = (text or "").strip()
    return text if not text or text.endswith((".", "?", "!", "…")) else f"{text}."


@dataclass
class Tabella:
    """A table of the document with cells already formatted the Italian way (numbered by the stylesheet)."""

    titolo: str
    intestazioni: list[str]
    righe: list[Riga]
    fonte: str = ""
    nota: str = ""
    anchor: str = ""
    classe: str = ""
    classi: list[str] = field(default_factory=list)  # CSS class of each column after the first ("num" if missing)
    campo: str = ""  # the population field of a population table
    numerata: bool = True  # numbered by the stylesheet («Tabella N.»)

    def __post_init__(self) -> None:
        self.fonte = frase(self.fonte)  # the note follows the source: «Fonte: X. I totali …»
        if self.classi:
            for riga in self.righe:
                riga.classi = self.classi


@dataclass
class Figura:
    """A chart of the document (numbered by the stylesheet), with its source."""

    chart: Chart
    fonte: str = ""
    anchor: str = ""

    def __post_init__(self) -> None:
        self.fonte = frase(self.fonte)


def number_blocks(blocchi: list[tuple[str, Tabella | Figura]], prefix: str) -> None:
    """Give each table and figure of a section its anchor: «<prefix>-tabella-1», «<prefix>-figura-2», …"""
    for i, (kind, item) in enumerate(blocchi, start=1):
        item.anchor = f"{prefix}-{kind}-{i}"


# --- Numbers ----------------------------------------------------------------------------------------------


def by_area(items, without_area: str) -> list[tuple[str, list]]:
    """`items` (with an optional `area`) grouped under «Area «<titolo>»», in order of first appearance; those without
    an area under `without_area`."""
    groups: dict[str, list] = {}
    for item in items:
        titolo = f"Area «{item.area.titolo}»" if item.area_id else without_area
        groups.setdefault(titolo, []).append(item)
    return list(groups.items())


def pct(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def variation(first, last) -> Decimal | None:
    if first is None or last is None or not first:
        return None
    return (Decimal(last) - Decimal(first)) * 100 / Decimal(first)


def num(value, decimals: int = 0) -> str:
    return "—" if value is None else it_number(value, decimals)


def misura(value) -> str:
    """A measured value or target: decimals only when it has them (100 → «100», 46,5 → «46,50»)."""
    return "—" if value is None else floatformat(value, "-2g")


def perc(value, decimals: int = 1) -> str:
    return "—" if value is None else it_percent(value, decimals)


def text_items(text: str) -> list[str]:
    """The items of a Markdown list (or the text as one item)."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    items = [re.sub(r"^[-*•]\s+|^\d+[.)]\s+", "", ln) for ln in lines]
    return [i for i in items if i]


# --- The plan's structure as printed ----------------------------------------------------------------------


def sub_ambito_label(ambito: Ambito) -> str:
    nome = ambito.nome
    return nome if nome.lower().startswith("sub-ambito") else f"Sub-ambito {nome}"


@dataclass
class GruppoDoc:
    """A group of the plan's structure as a section of a chapter: an area (A-D), or the objectives without area (a
    sub-ambito, the Ambito). The chapter builders add their rows (`righe`, `prospetto`, `schede`)."""

    titolo: str
    anchor: str
    obiettivi: list[Obiettivo]
    interventi: list[Intervento]
    descrizione: SafeString = field(default_factory=lambda: mark_safe(""))
    righe: list = field(default_factory=list)
    prospetto: list = field(default_factory=list)
    schede: list = field(default_factory=list)


def structure(piano: PianoDiZona, prefix: str, interventi: list[Intervento]) -> list[GruppoDoc]:
    """Areas (or other groups) with their objectives and interventions, in the plan's order (empty ones left out);
    anchors «<prefix>-area-<pk>» and «<prefix>-gruppo-<n>» (n: the group's place among all the plan's groups)."""
    out = []
    for n, g in enumerate(objective_tree(piano, interventi), start=1):
        if not (g.obiettivi or g.interventi):
            continue
        if g.area is not None:
            titolo, anchor = f"Area «{g.area.titolo}»", f"{prefix}-area-{g.area.pk}"
            descrizione = render_markdown(g.area.descrizione)
        else:
            titolo = sub_ambito_label(g.sub_ambito) if g.sub_ambito else "Obiettivi di Ambito"
            anchor, descrizione = f"{prefix}-gruppo-{n}", mark_safe("")
        out.append(GruppoDoc(titolo, anchor, g.obiettivi, g.interventi, descrizione))
    return out
