"""The Piano di Zona PDF of Magentino 2025-2027 (rendered once for the module: WeasyPrint is slow)."""

import re

import pytest

from planning.models import CampoModello, Capitolo, Intervento, PianoDiZona, TipoCapitolo
from reports.piano.blocks import Figura
from reports.piano.chapters.contesto import contesto_context
from reports.piano.document import DEFAULT_TITLES, piano_document, plan_chapters
from territory.selectors import ambito_comuni
from tests.documents import assert_tagged_pdf, normalize, pdf_pages

from .conftest import PIANO_SLUG
from .pdf_layout import pdf_fonts

# Marked as database tests so that they run with them, before the transactional tests empty the demo data.
pytestmark = pytest.mark.django_db

CHAPTERS = [
    "Introduzione",
    "Gli esiti della programmazione zonale 2021-2023",
    "Dati di contesto e quadro della conoscenza",
    "Analisi dei soggetti e delle reti presenti sul territorio",
    "Analisi dei bisogni per macroaree di intervento",
    "Gli obiettivi della programmazione zonale 2025-2027",
    "Quadro economico",  # no chapter of the demo plan has the budget type: added after the objectives
    "I servizi in gestione associata",
    "Strumenti e processi di governance dell'Ambito Territoriale sociale",
    "Monitoraggio e valutazione",
]


@pytest.fixture(scope="module")
def rendered(demo_plan_pdf, django_db_blocker):
    """(pdf bytes, page texts, intervention titles, Comuni names, card labels, overflowing boxes, table header
    words split without a hyphen, number of header cells) of the demo plan."""
    with django_db_blocker.unblock():
        piano = PianoDiZona.objects.select_related("ambito").get(slug=PIANO_SLUG)
        titles = list(Intervento.objects.filter(piano=piano).values_list("titolo", flat=True))
        comuni = list(ambito_comuni(piano.ambito).values_list("nome", flat=True))
        labels = list(CampoModello.objects.filter(modello__codice="LOMB-2025-2027").values_list("etichetta", flat=True))
    plan = demo_plan_pdf
    return plan.data, pdf_pages(plan.data), titles, comuni, labels, plan.overflowing, plan.header_breaks, plan.n_headers


def test_is_a_tagged_pdf_with_title_author_and_language(rendered):
    assert_tagged_pdf(rendered[0], title="Piano di Zona 2025-2027 – Ambito del Magentino", author="Comune di Magenta")


def test_nothing_overflows_the_page(rendered):
    assert rendered[5] == []


def test_is_a_real_document_of_at_least_60_pages(rendered):
    pages = rendered[1]
    assert len(pages) >= 60
    assert all(len(text) > 80 for text in pages), "no empty pages"
    assert f"Pagina 1 di {len(pages)}" not in pages[0]  # the cover has no header and footer
    assert f"Pagina 2 di {len(pages)}" in pages[1]
    assert f"Pagina {len(pages)} di {len(pages)}" in pages[-1]


def test_cover_has_ambito_comuni_period_and_title(rendered):
    cover = rendered[1][0]
    assert "Ambito del Magentino" in cover
    assert "Piano di Zona 2025-2027" in cover
    assert "Triennio di programmazione 2025-2027" in cover
    assert "Ente capofila: Comune di Magenta" in cover
    for nome in rendered[3]:
        assert nome in cover


def test_contains_every_chapter_heading_comune_and_intervention_title(rendered):
    _, pages, titles, comuni, *_ = rendered
    text = " ".join(pages[2:])
    for number, title in enumerate(CHAPTERS, start=1):
        assert f"{number}. {title}" in text
    assert len(comuni) == 13
    for nome in comuni:
        assert nome in text
    assert len(titles) == 18
    for title in titles:
        assert normalize(title) in text, title
    assert "131.668" in text


def test_sommario_page_numbers_match_where_chapters_start(rendered):
    pages = rendered[1]
    sommario = pages[1]
    assert sommario.startswith("Sommario") or "Sommario" in sommario[:120]
    entries = {}
    for number, title in enumerate(CHAPTERS, start=1):
        match = re.search(re.escape(f"{number}. {title}") + r"[\s.]*?(\d+)(?=\s|$)", sommario)
        assert match, title
        entries[f"{number}. {title}"] = int(match.group(1))
    assert list(entries.values()) == sorted(entries.values())
    for heading, page in entries.items():
        assert heading in pages[page - 1], f"{heading} non inizia a pagina {page}"
        assert all(heading not in pages[i] for i in range(2, page - 1)), f"{heading} compare prima di pagina {page}"


def test_sommario_sections_point_to_their_pages(rendered):
    pages = rendered[1]
    sommario = pages[1]
    for section in ("Il quadro sociodemografico", "I progetti della rete", "Area «Governance e rete»"):
        numbers = [int(n) for n in re.findall(re.escape(section) + r"[\s.]*?(\d+)(?=\s|$)", sommario)]
        assert numbers, section
        for page in numbers:
            assert section in pages[page - 1]


def test_population_tables_and_charts_are_in_the_context_chapter(rendered):
    text = " ".join(rendered[1])
    assert re.search(
        r"Tabella 1\. Popolazione residente nell'Ambito del Magentino – Dettaglio per Comune anni 2015-2024", text
    )
    assert "Totale Ambito 127.975 128.173 128.647" in text
    assert "130.719 131.668 2,9%" in text  # 2023 from the sum of the Comuni (the seed prints 130.711)
    assert "Popolazione residente di origine straniera" in text
    assert "12.191 14,3%" in text
    assert "Ambito 8,3 9,3 0,9" in text  # Tab. 3: incidence 2015, 2024 and the change in points
    assert "Popolazione residente over 65" in text
    assert "30.683 18,1%" in text
    assert "Popolazione residente 0-17 anni" in text
    assert "21.035 -5,5%" in text
    assert re.search(r"Figura \d+\. Popolazione residente nell'Ambito 2015-2024", text)
    assert "Struttura per età della popolazione 2024" in text


def test_cards_follow_the_template_order(rendered):
    _, pages, titles, _, labels, *_ = rendered
    first = next(i for i, p in enumerate(pages) if "SCHEDA N. 1 DI 18" in p.upper())
    card = re.sub(r"\s+", "", "".join(pages[first : first + 2]))  # labels wrap inside their cells
    positions = [card.find(re.sub(r"\s+", "", label)) for label in labels]
    assert all(p >= 0 for p in positions), [lbl for lbl, p in zip(labels, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert re.sub(r"\s+", "", titles[0]) in card


def test_prospetto_lists_objectives_interventions_and_actions(rendered):
    text = " ".join(rendered[1])
    assert "Prospetto di sintesi obiettivi, interventi e azioni – Area «Famiglia, minori e politiche giovanili»" in text
    assert "Obiettivi Interventi Azioni in cui si sviluppa" in text
    assert "Laboratori genitori figli per fasce d'età" in text


# --- Chapters and population tables without rendering ------------------------------------------------------


def test_plan_chapters_keep_the_plan_order_and_add_missing_data_sections_by_type(piano):
    """The chapters of the plan in its order, typed by `tipo` whatever their titles; a data type no chapter has is
    added under its Sommario title at its place, only when it has something to print."""
    T = TipoCapitolo
    capitoli = [
        Capitolo(titolo="Premessa", tipo=T.INTRODUZIONE),
        Capitolo(titolo="Il contesto", tipo=T.CONTESTO),
        Capitolo(titolo="Nota del Presidente", tipo=T.LIBERO),
        Capitolo(titolo="Monitoraggio", tipo=T.MONITORAGGIO),
    ]
    chapters = plan_chapters(piano, capitoli, [])  # no interventions: the needs have nothing to print
    assert [c.kind for c in chapters] == [
        "introduzione", "esiti", "contesto", "reti", "obiettivi", "bilancio", "gestione", "governance", "",
        "monitoraggio",
    ]  # fmt: skip
    assert [c.numero for c in chapters] == list(range(1, 11))
    assert chapters[0].titolo == "Premessa"
    assert chapters[1].titolo == DEFAULT_TITLES["esiti"]
    assert chapters[5].titolo == DEFAULT_TITLES["bilancio"] == "Quadro economico"
    assert chapters[8].titolo == "Nota del Presidente"
    assert chapters[9].titolo == "Monitoraggio"  # the chapter's own title, never the type's


def test_population_context_computes_totals_and_variations(piano):
    tables = [b for kind, b in contesto_context(piano)["popolazione"]["blocchi"] if kind == "tabella"]
    assert len(tables) == 5
    totale = tables[0].righe[-1]
    assert totale.etichetta == "Totale Ambito"
    assert totale.celle[-2:] == ["131.668", "2,9%"]
    sedriano = next(r for r in tables[0].righe if r.etichetta == "Sedriano")
    assert sedriano.celle[-1] == "8,6%"
    mesero = next(r for r in tables[2].righe if r.etichetta == "Mesero")
    assert mesero.celle == ["6,7", "6,0", "-0,6"]


def test_a_chapter_without_text_or_data_says_so(piano):
    Capitolo.objects.filter(piano=piano, titolo="Introduzione").update(corpo="")
    capitoli = {c.kind: c for c in piano_document(piano)["capitoli"]}
    assert capitoli["introduzione"].vuoto
    assert not capitoli["contesto"].vuoto
    assert not capitoli["obiettivi"].vuoto


def test_document_context_has_every_card(piano):
    doc = piano_document(piano)
    assert [c.titolo for c in doc["capitoli"]] == CHAPTERS
    obiettivi = next(c for c in doc["capitoli"] if c.kind == "obiettivi")
    assert obiettivi.sezione["n_schede"] == 18
    assert [g.titolo for g in obiettivi.sezione["gruppi"]][-1] == "Area «Governance e rete»"


# --- Sections from the evaluation, spending and quarterly monitoring data (when those apps are installed) ---------


def test_spending_tables_and_per_capita(rendered):
    text = " ".join(rendered[1])
    assert "Analisi della spesa sociale" in text
    assert "21.109.118,12" in text  # Tab. 8: 2022 total spending of Comuni and Ufficio di Piano
    assert "162,12" in text  # 2022 per-capita spending with the Ufficio di Piano
    assert "Spesa sociale pro capite 2019-2022" in text
    assert "Spesa sociale per area di utenza" in text
    assert "la somma dei dati dei Comuni, conservati come pubblicati, è 130.719" in text  # printed 130.711 in Tab. 1


def test_evaluation_cards_of_the_previous_plan(rendered):
    text = " ".join(rendered[1])
    assert "Sintesi degli esiti 2021-2023" in text
    assert "Le schede di valutazione degli obiettivi" in text
    assert "1. Grado di raggiungimento dell'obiettivo" in text
    assert "8. Obiettivo riproposto" in text


def test_latest_quarterly_snapshot(rendered):
    text = " ".join(rendered[1])
    assert "L'ultima rilevazione trimestrale" in text
    assert re.search(r"Avanzamento per area alla rilevazione \d{4}-T\d", text)


# --- Ready to publish: headers, charts, one font, approval block (the plan of the demo is «In approvazione») ----


def test_table_headers_never_split_a_word_without_a_hyphen(rendered):
    breaks, n_headers = rendered[6], rendered[7]
    assert n_headers > 100  # the check saw the header cells of every table (repeated on each page)
    assert breaks == []  # e.g. «Parzialment|e realizzate», «Raggiungi|mento» in Tab. 30
    text = " ".join(rendered[1])
    assert "Parzialmente realizzate" in text
    assert "Raggiungimento medio dei target" in text


def test_one_embedded_font_family_for_text_and_charts(rendered):
    fonts = pdf_fonts(rendered[0])
    assert fonts
    assert all(fonts.values()), fonts  # every font embedded
    assert {name.split("-Web")[0] for name in fonts} == {"Titillium"}, sorted(fonts)  # no DejaVu from the charts
    assert {"Titillium-Web", "Titillium-Web-Bold", "Titillium-Web-Semi-Bold"} <= set(fonts)  # body, bold, chart title


def test_the_source_of_a_table_is_a_sentence(rendered):
    text = " ".join(rendered[1])
    assert "Fonte: Flusso regionale Spesa sociale. I totali sono calcolati dai dati registrati." in text
    assert "Spesa sociale I totali" not in text


def _charts(value):
    """The charts of the figures in a chapter's context (nested dicts, lists and tuples)."""
    if isinstance(value, Figura):
        yield value.chart
    elif isinstance(value, dict):
        for item in value.values():
            yield from _charts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _charts(item)


def test_value_axes_of_the_figures_start_at_zero(piano):
    charts = [chart for cap in piano_document(piano)["capitoli"] for chart in _charts(cap.sezione)]
    assert len(charts) >= 7
    population = next(c for c in charts if c.title == "Popolazione residente nell'Ambito 2015-2024")
    assert min(population.points()) > 127_000  # Figure 1: +2,9% is not a surge
    assert population.axis[0] == 0
    for chart in charts:
        assert chart.axis is not None, chart.title
        assert chart.axis[0] == 0, chart.title
    assert ">0</text>" in str(population.svg)  # the zero tick is drawn


def test_chart_labels_are_printed_whole(rendered):
    pages = rendered[1]
    page = next(p for p in pages if re.search(r"Figura \d+\. Avanzamento del piano per area", p))
    for label in (
        "A. Famiglia, minori e politiche giovanili",
        "B. Interventi a favore delle persone con disabilità, delle persone over 65enni e della domiciliarità",
        "C. Contrasto alla povertà, emarginazione sociale e promozione dell'inclusione attiva e delle politiche per "
        "il lavoro",
    ):
        assert label in page
    assert "…" not in page
    spending = next(p for p in pages if re.search(r"Figura \d+\. Spesa dell'Ufficio di Piano per fonte", p))
    assert "Da Comune per la gestione associata del Piano di Zona" in spending


def test_cover_shows_the_approval_state(rendered):
    cover = rendered[1][0]
    assert "STATO DEL DOCUMENTO In approvazione" in cover  # the label is set in capitals
    assert "L'atto di approvazione dell'Assemblea dei Sindaci non è ancora registrato" in cover
    assert "Approvato con" not in cover


def test_document_ends_with_the_approval_block_in_approvazione(rendered):
    pages = rendered[1]
    last = pages[-1]
    assert "Approvazione del piano In approvazione" in last
    assert "Questa versione non reca firme" in last
    assert "nominativo" not in last  # no signatures yet
    assert "è approvato con" not in last
    assert "Tabella" not in last  # the document no longer ends on a table
    match = re.search(r"Approvazione del piano[\s.]*?(\d+)(?=\s|$)", pages[1])  # in the Sommario
    assert match
    assert int(match.group(1)) == len(pages)
