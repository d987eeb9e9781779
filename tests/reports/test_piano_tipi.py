"""Chapters typed by `Capitolo.tipo`, not by their titles: the document of a plan whose chapters are all renamed
(rendered once for the module, the changes rolled back) has the same chapters, sections and pages; the type drives
the builder; the chapter form refuses a typed kind twice; the data migration classifies the seed titles."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import transaction
from django.urls import reverse

import planning.migrations
from planning.models import Capitolo, PianoDiZona, TipoCapitolo
from planning.piano.forms import CapitoloForm
from planning.piano.services import CAPITOLI_SOMMARIO
from reports.piano.document import piano_document
from reports.piano.pdf import build_piano_pdf
from tests.documents import pdf_pages, pdf_reader

from .conftest import PIANO_SLUG

pytestmark = pytest.mark.django_db

# Every chapter of the demo plan renamed with words none of the old title rules knew («Verifica»: the brief's case).
RENAMED = {
    TipoCapitolo.INTRODUZIONE: "Presentazione",
    TipoCapitolo.ESITI: "Il bilancio del triennio 2021-2023 e ciò che ne resta",
    TipoCapitolo.CONTESTO: "Il territorio e la sua popolazione in cifre",
    TipoCapitolo.RETI: "Chi lavora con noi: partner, progetti e linee di finanziamento",
    TipoCapitolo.BISOGNI: "Le domande delle persone, area per area di lavoro",
    TipoCapitolo.OBIETTIVI: "Cosa faremo nel triennio 2025-2027: le schede di lavoro",
    TipoCapitolo.GESTIONE: "I servizi che i Comuni condividono",
    TipoCapitolo.GOVERNANCE: "Chi decide e come: organismi, tavoli e regole dell'Ambito sociale",
    TipoCapitolo.MONITORAGGIO: "Verifica",
}


def _outline(data: bytes) -> list[tuple[str, int]]:
    """(title, page) of the top-level bookmarks of a PDF: cover, Sommario, the chapters, the approval block."""
    reader = pdf_reader(data)
    return [(x.title, reader.get_destination_page_number(x) + 1) for x in reader.outline if not isinstance(x, list)]


def _sections(data: bytes) -> list[str]:
    """The titles of the second-level bookmarks (the chapters' sections)."""
    reader = pdf_reader(data)
    return [y.title for x in reader.outline if isinstance(x, list) for y in x if not isinstance(y, list)]


@pytest.fixture(scope="module")
def renamed(demo_plan_pdf, django_db_blocker):
    """(PDF before, PDF after renaming every chapter, page texts after) of the demo plan."""
    before = demo_plan_pdf.data
    with django_db_blocker.unblock(), transaction.atomic():
        piano = PianoDiZona.objects.select_related("ambito").get(slug=PIANO_SLUG)
        for capitolo in piano.capitoli.all():
            capitolo.titolo = RENAMED[capitolo.tipo]
            capitolo.save()
        after = build_piano_pdf(piano)
        transaction.set_rollback(True)
    return before, after, pdf_pages(after)


def test_renamed_chapters_keep_their_place_sections_and_pages(renamed):
    before, after, _pages = renamed
    old, new = _outline(before), _outline(after)
    # cover, Sommario, the nine chapters and the Quadro economico (the demo budget: no chapter of the plan has its
    # type, so it comes after the objectives), the approval block
    assert len(new) == len(old) == 2 + 10 + 1
    names = list(RENAMED.values())
    names.insert(6, "Quadro economico")
    titles = [f"{n}. {t}" for n, t in enumerate(names, start=1)]
    assert [t for t, _ in new[2:-1]] == titles
    assert [p for _, p in new] == [p for _, p in old]  # every chapter starts on the same page
    assert _sections(after) == _sections(before)
    assert len(pdf_reader(after).pages) == len(pdf_reader(before).pages)


def test_renamed_chapters_are_in_the_sommario_and_on_their_pages(renamed):
    _before, after, pages = renamed
    for number, (title, page) in enumerate(_outline(after)[2:-1], start=1):
        assert title.startswith(f"{number}. ")
        assert title in pages[1]  # the Sommario
        assert title in pages[page - 1]
    text = " ".join(pages)
    assert "Monitoraggio e valutazione" not in text  # no chapter added under a title of the Sommario


def test_the_chapter_retitled_verifica_holds_the_monitoring_tables(renamed):
    _before, after, pages = renamed
    start = dict(_outline(after))["10. Verifica"]
    chapter = " ".join(pages[start - 1 :])
    assert "Il quadro degli indicatori per intervento" in chapter
    assert "Quadro degli indicatori – Area «Famiglia, minori e politiche giovanili»" in chapter
    assert "L'ultima rilevazione trimestrale" in chapter


# --- The type drives the builder (no rendering) ------------------------------------------------------------


def _chapters(piano) -> list:
    return piano_document(piano)["capitoli"]


def test_a_monitoring_chapter_retitled_verifica_gets_the_monitoring_section(piano):
    Capitolo.objects.filter(piano=piano, tipo=TipoCapitolo.MONITORAGGIO).update(titolo="Verifica")
    chapters = _chapters(piano)
    assert len(chapters) == 10  # nothing added under the old title (the tenth: the demo budget's Quadro economico)
    verifica = chapters[-1]
    assert verifica.titolo == "Verifica"
    assert verifica.kind == "monitoraggio"
    assert verifica.template == "reports/pdf/piano/monitoraggio.html"
    assert verifica.sezione["n_indicatori"] > 0
    assert verifica.sezione["snapshot"]["blocchi"]


def test_a_free_text_chapter_with_a_data_title_prints_its_text_only(piano):
    Capitolo.objects.create(piano=piano, ordine=20, titolo="Gli obiettivi: una nota", corpo="Una nota.")
    nota = _chapters(piano)[-1]
    assert nota.titolo == "Gli obiettivi: una nota"
    assert nota.kind == ""
    assert nota.template == ""
    assert nota.sezione == {}


def test_a_data_type_no_chapter_has_is_added_at_its_place(piano):
    """The monitoring chapter made free text: its text stays where it is, the monitoring data come as a chapter of
    their own under the Sommario's title, at the type's place (after governance)."""
    Capitolo.objects.filter(piano=piano, tipo=TipoCapitolo.MONITORAGGIO).update(
        tipo=TipoCapitolo.LIBERO, titolo="Considerazioni finali"
    )
    chapters = _chapters(piano)
    assert [c.titolo for c in chapters[-3:]] == [
        "Strumenti e processi di governance dell'Ambito Territoriale sociale",
        "Monitoraggio e valutazione",
        "Considerazioni finali",
    ]
    assert [c.kind for c in chapters[-3:]] == ["governance", "monitoraggio", ""]
    assert [c.numero for c in chapters] == list(range(1, 12))


def test_a_type_without_data_is_not_added(piano):
    Capitolo.objects.filter(piano=piano, tipo=TipoCapitolo.INTRODUZIONE).update(tipo=TipoCapitolo.LIBERO)
    piano.governance.all().delete()
    Capitolo.objects.filter(piano=piano, tipo=TipoCapitolo.GOVERNANCE).delete()
    chapters = _chapters(piano)
    assert len(chapters) == 9  # eight of the plan and the demo budget's Quadro economico
    assert "governance" not in [c.kind for c in chapters]
    assert chapters[0].titolo == "Introduzione"  # the same chapter, now free text
    assert chapters[0].kind == ""


# --- The chapter form --------------------------------------------------------------------------------------


def test_form_refuses_a_typed_kind_the_plan_already_has(piano):
    data = {"titolo": "Verifica", "tipo": TipoCapitolo.MONITORAGGIO, "ordine": 10, "corpo": ""}
    form = CapitoloForm(data, instance=Capitolo(piano=piano))
    assert not form.is_valid()
    assert list(form.errors) == ["tipo"]
    (message,) = form.errors["tipo"]
    assert message.startswith("Tipo di capitolo: il piano ha già un capitolo di tipo «Monitoraggio e valutazione»")
    assert "(«Monitoraggio e valutazione»)" in message
    assert "«Testo libero»" in message


def test_form_accepts_free_text_chapters_many_times_and_a_chapter_keeping_its_type(piano):
    for titolo in ("Allegato 1", "Allegato 2"):
        data = {"titolo": titolo, "tipo": TipoCapitolo.LIBERO, "ordine": 10, "corpo": ""}
        form = CapitoloForm(data, instance=Capitolo(piano=piano))
        assert form.is_valid(), form.errors
        form.save()
    monitoraggio = Capitolo.objects.get(piano=piano, tipo=TipoCapitolo.MONITORAGGIO)
    data = {"titolo": "Verifica", "tipo": TipoCapitolo.MONITORAGGIO, "ordine": 9, "corpo": ""}
    assert CapitoloForm(data, instance=monitoraggio).is_valid()


def test_create_page_shows_the_error_on_the_type_field(client_for, udp_user, piano):
    url = reverse("planning:capitolo_create", args=[piano.slug])
    data = {"titolo": "Un secondo contesto", "tipo": TipoCapitolo.CONTESTO, "ordine": 10, "corpo": "Testo."}
    response = client_for(udp_user).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tipo di capitolo: il piano ha già un capitolo di tipo «Dati di contesto e quadro della conoscenza»" in page
    assert not Capitolo.objects.filter(piano=piano, titolo="Un secondo contesto").exists()
    data["tipo"] = TipoCapitolo.LIBERO
    assert client_for(udp_user).post(url, data).status_code == 302
    assert Capitolo.objects.get(piano=piano, titolo="Un secondo contesto").tipo == TipoCapitolo.LIBERO


# --- The data migration ------------------------------------------------------------------------------------


MIGRATION = importlib.import_module(
    f"planning.migrations.{next(Path(planning.migrations.__file__).parent.glob('*_capitolo_tipo.py')).stem}"
)


def test_migration_classifies_the_titles_of_the_sommario():
    titles = [titolo for _tipo, titolo in CAPITOLI_SOMMARIO]
    assert MIGRATION.classify(titles) == [str(tipo) for tipo, _titolo in CAPITOLI_SOMMARIO]


def test_migration_classifies_the_magentino_seed_chapters():
    seed = json.loads((Path(settings.BASE_DIR) / "fixtures" / "piano" / "magentino_2025_2027.json").read_text())
    capitoli = seed["capitoli"]
    assert MIGRATION.classify([c["titolo"] for c in capitoli]) == [c["tipo"] for c in capitoli]


def test_migration_gives_each_type_once_and_free_text_to_the_rest():
    titles = ["Premessa", "Il contesto", "Nota del Presidente", "Monitoraggio", "Valutazione finale", "Verifica"]
    assert MIGRATION.classify(titles) == ["introduzione", "contesto", "libero", "monitoraggio", "libero", "libero"]
    assert MIGRATION.classify(["Strumenti di governance dell’Ambito"]) == ["governance"]  # typographic apostrophe


def test_migration_sets_the_types_of_stored_chapters(piano):
    Capitolo.objects.filter(piano=piano).update(tipo=TipoCapitolo.LIBERO)
    MIGRATION.classify_chapters(django_apps, None)
    tipi = list(Capitolo.objects.filter(piano=piano).order_by("ordine").values_list("tipo", flat=True))
    assert tipi == [str(tipo) for tipo, _titolo in CAPITOLI_SOMMARIO]
