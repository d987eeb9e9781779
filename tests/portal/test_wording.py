"""Developer wording never reaches users: no «seed», «fixtures/» or «README» in the Piano di Zona PDF and workbook,
in the performance report (PDF and XLSX); the pages and exports of every role are crawled for it by
tests/portal/test_navigation.py (one crawl per role for all its checks).

Sources are cited as a reader expects («Piano di Zona 2025-2027 dell'Ambito del Magentino, Tab. 10»), never as the
names of the files the demo data was copied from (those stay in the fixtures' own README files, for developers).
"""

import pytest

from monitoring.services import SchedaError, scheda_transition
from monitoring.snapshots.demo import FONTE_DEMO, OLD_FONTE_DEMO, demo_rilevazioni_load
from planning.contesto.demo import demo_contesto_load
from planning.models import Indicatore, PianoDiZona, PianoPerformance, TabellaSpesa, ValoreStampato
from planning.piano.demo import OLD_NOTE, demo_piano_load
from reports.performance_report import performance_rows
from reports.piano.xlsx.workbook import build_piano_xlsx
from reports.specs import report_spec
from tests.documents import pdf_reader, read_xlsx
from tests.reports.conftest import PIANO_SLUG
from tests.schede_helpers import magenta_nid
from tests.wording import developer_words

pytestmark = pytest.mark.django_db


def test_developer_words_are_matched_as_whole_words():
    assert developer_words("Piano di Zona 2025-2027 (seed 001)")
    assert developer_words("fonti in fixtures/piano/README.md")
    assert not developer_words("from_seed, seeded, Fixtures del campionato, readmes")


def test_piano_di_zona_pdf_has_no_developer_wording(piano_pdf_text):
    assert developer_words(piano_pdf_text) == []


def test_piano_di_zona_workbook_has_no_developer_wording():
    wb = read_xlsx(build_piano_xlsx(PianoDiZona.objects.get(slug=PIANO_SLUG)))
    found = [
        f"{ws.title}!{cell.coordinate}: {cell.value}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and developer_words(cell.value)
    ]
    assert not found, "\n".join(found)


def test_performance_report_has_no_developer_wording():
    piano = PianoPerformance.objects.first()
    assert performance_rows(piano)
    wb = read_xlsx(report_spec("performance", "xlsx", piano).build())
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert developer_words("\n".join(cells)) == []
    reader = pdf_reader(report_spec("performance", "pdf", piano).build())
    assert developer_words("\n".join(page.extract_text() for page in reader.pages)) == []


@pytest.fixture(scope="module")
def piano_pdf_text(demo_plan_pdf):
    """The text of the Magentino Piano di Zona PDF (rendered once for the session: WeasyPrint is slow)."""
    return "\n".join(page.extract_text() for page in pdf_reader(demo_plan_pdf.data).pages)


def test_load_demo_rewords_the_sources_written_by_earlier_versions():
    """Data loaded before the fix cited the copies of the documents: the next load_demo cites the documents."""

    old_source = "Piano di Zona 2025-2027 dell'Ambito del Magentino (seed 001)"
    tab10 = TabellaSpesa.objects.get(ambito__slug="magentino", codice="Tab. 10")
    TabellaSpesa.objects.filter(ambito__slug="magentino").update(fonte=old_source)
    ValoreStampato.objects.filter(ambito__slug="magentino").update(documento=old_source)
    PianoDiZona.objects.filter(slug=PIANO_SLUG).update(note=OLD_NOTE)
    Indicatore.objects.filter(fonte=FONTE_DEMO).update(fonte=OLD_FONTE_DEMO)

    demo_piano_load(), demo_contesto_load(), demo_rilevazioni_load()

    tab10.refresh_from_db()
    assert tab10.fonte == "Piano di Zona 2025-2027 dell'Ambito del Magentino, Tab. 10"
    assert set(ValoreStampato.objects.filter(ambito__slug="magentino").values_list("documento", flat=True)) == {
        "Piano di Zona 2025-2027 dell'Ambito del Magentino"
    }
    assert PianoDiZona.objects.get(slug=PIANO_SLUG).note == (
        "Dati dimostrativi tratti dal documento «Piano di Zona 2025-2027 – Ambito del Magentino»."
    )
    assert not Indicatore.objects.filter(fonte=OLD_FONTE_DEMO).exists()
    assert Indicatore.objects.filter(fonte=FONTE_DEMO).count() == 18


def test_transition_refused_from_a_state_says_dallo_stato(udp_user):
    with pytest.raises(SchedaError, match=r"^Dallo stato «Bozza» non si può eseguire «valida»\.$"):
        scheda_transition(scheda=magenta_nid(), user=udp_user, action="valida")
