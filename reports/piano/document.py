"""The Piano di Zona as a document: the cover data and the chapters of the plan, each with the section of its type.

`piano_document(piano)` gives everything the PDF template needs. For each chapter of the plan, in the plan's order,
the builder registered for the chapter's type (`Capitolo.tipo`, `BUILDERS`) computes its data section; the title
printed is always the chapter's own title, and nothing depends on the words of a title. A «Testo libero» chapter
prints its Markdown text only.

Data sections that no chapter carries: when no chapter of the plan has a data type (for instance the monitoring
chapter was made «Testo libero», or deleted in the admin) and that type's section has something to print, the
section is added as a chapter of its own, under the type's title of the Sommario (`CAPITOLI_SOMMARIO`), at its
place in the Sommario's order (after the last chapter of an earlier type). So the document never drops data the
plan holds, and never prints an invented empty chapter. The decision is made by type only.

The «Quadro economico» (the plan's budget, `TipoCapitolo.BILANCIO`) is not one of seed 001's chapters: its place in
that order is right after the objectives and interventions (`TIPI_DOCUMENTO`), so a plan with a budget and no
chapter of that type (the demo plans) prints it there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from core.markdown import render_markdown
from planning.models import Capitolo, Intervento, PianoDiZona, TipoCapitolo
from planning.piano.selectors import interventi_schede, ultima_modifica
from planning.piano.services import CAPITOLI_SOMMARIO
from territory.selectors import ambito_comuni

from .blocks import Sottosezione
from .chapters.bilancio import bilancio_context
from .chapters.bisogni import bisogni_context
from .chapters.contesto import contesto_context
from .chapters.esiti import esiti_context
from .chapters.gestione import gestione_context
from .chapters.governance import governance_context
from .chapters.monitoraggio import monitoraggio_context
from .chapters.obiettivi import obiettivi_context
from .chapters.reti import reti_context

TEMPLATE_DIR = "reports/pdf/piano"

Builder = Callable[[PianoDiZona, list[Intervento]], dict]

# The data section of each chapter type; «introduzione» and «libero» have their text only.
BUILDERS: dict[str, Builder] = {
    TipoCapitolo.ESITI: esiti_context,
    TipoCapitolo.CONTESTO: contesto_context,
    TipoCapitolo.RETI: reti_context,
    TipoCapitolo.BISOGNI: bisogni_context,
    TipoCapitolo.OBIETTIVI: obiettivi_context,
    TipoCapitolo.BILANCIO: bilancio_context,
    TipoCapitolo.GESTIONE: gestione_context,
    TipoCapitolo.GOVERNANCE: governance_context,
    TipoCapitolo.MONITORAGGIO: monitoraggio_context,
}
# The Sommario's types in order, with the budget chapter (not in seed 001) after the objectives and interventions.
_AFTER_OBIETTIVI = [tipo for tipo, _titolo in CAPITOLI_SOMMARIO].index(TipoCapitolo.OBIETTIVI) + 1
TIPI_DOCUMENTO = [
    *CAPITOLI_SOMMARIO[:_AFTER_OBIETTIVI],
    (TipoCapitolo.BILANCIO, "Quadro economico"),
    *CAPITOLI_SOMMARIO[_AFTER_OBIETTIVI:],
]
ORDER = {tipo: i for i, (tipo, _titolo) in enumerate(TIPI_DOCUMENTO)}  # the Sommario's order of the types
DEFAULT_TITLES = dict(TIPI_DOCUMENTO)


@dataclass
class CapitoloDoc:
    titolo: str
    tipo: str
    corpo: SafeString = field(default_factory=lambda: mark_safe(""))
    sezione: dict = field(default_factory=dict)
    numero: int = 0

    @property
    def kind(self) -> str:
        """The chapter's type, "" for free text (its CSS class is then «capitolo-testo»)."""
        return "" if self.tipo == TipoCapitolo.LIBERO else self.tipo

    @property
    def anchor(self) -> str:
        return f"cap-{self.numero}"

    @property
    def template(self) -> str:
        return f"{TEMPLATE_DIR}/{self.kind}.html" if self.kind else ""

    @property
    def sottosezioni(self) -> list[Sottosezione]:
        return self.sezione.get("sottosezioni", [])

    @property
    def vuoto(self) -> bool:
        """No text and nothing computed to print (the PDF says so instead of leaving an empty page)."""
        contenuto = [v for k, v in self.sezione.items() if k not in ("sottosezioni", "anni") and not isinstance(v, int)]
        return not self.corpo and not any(contenuto)


def section(tipo: str, piano: PianoDiZona, interventi: list[Intervento]) -> dict:
    """The data section of a chapter of type `tipo` ({} for a type with text only)."""
    builder = BUILDERS.get(tipo)
    return builder(piano, interventi) if builder else {}


def _place(capitoli: list[CapitoloDoc], tipo: str) -> int:
    """Where a section of type `tipo` goes: after the last chapter of a type that comes earlier in the Sommario."""
    position = 0
    for i, c in enumerate(capitoli):
        if c.tipo in ORDER and ORDER[c.tipo] < ORDER[tipo]:
            position = i + 1
    return position


def plan_chapters(piano: PianoDiZona, capitoli: list[Capitolo], interventi: list[Intervento]) -> list[CapitoloDoc]:
    """The chapters of the document, numbered: the plan's own, in order, each with its type's section, plus the data
    sections of the types no chapter has, when they have something to print (see the module's docstring)."""
    out = [
        CapitoloDoc(c.titolo, c.tipo, render_markdown(c.corpo), section(c.tipo, piano, interventi)) for c in capitoli
    ]
    present = {c.tipo for c in out}
    for tipo in BUILDERS:
        if tipo in present:
            continue
        added = CapitoloDoc(DEFAULT_TITLES[tipo], tipo, sezione=section(tipo, piano, interventi))
        if not added.vuoto:
            out.insert(_place(out, tipo), added)
    for numero, c in enumerate(out, start=1):
        c.numero = numero
    return out


def piano_queryset() -> QuerySet:
    return PianoDiZona.objects.select_related("ambito", "ambito__parent")


def piano_document(piano: PianoDiZona) -> dict:
    """The context of the PDF template: cover data and the numbered chapters with their sections."""
    ambito = piano.ambito
    interventi = interventi_schede(piano)
    titolo = piano.titolo
    return {
        "piano": piano,
        "ambito": ambito,
        "comuni": list(ambito_comuni(ambito).order_by("nome")),
        "capitoli": plan_chapters(piano, list(piano.capitoli.all()), interventi),
        "n_interventi": len(interventi),
        "intestazione": titolo if ambito.nome.lower() in titolo.lower() else f"{ambito.nome} – {titolo}",
        "aggiornato_il": ultima_modifica(piano),
    }
