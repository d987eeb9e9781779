"""Developer wording never reaches users: no «seed», «fixtures/» or «README» in the pages (crawled as each role),
in the Piano di Zona PDF and workbook, in the performance report (PDF and XLSX).

Sources are cited as a reader expects («Piano di Zona 2025-2027 dell'Ambito del Magentino, Tab. 10»), never as the
names of the files the demo data was copied from (those stay in the fixtures' own README files, for developers).
"""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from accounts.models import Ruolo
from monitoring.services import SchedaError, scheda_transition
from monitoring.snapshots.demo import FONTE_DEMO, OLD_FONTE_DEMO, demo_rilevazioni_load
from planning.contesto.demo import demo_contesto_load
from planning.models import Indicatore, PianoDiZona, PianoPerformance, TabellaSpesa, ValoreStampato
from planning.piano.demo import OLD_NOTE, demo_piano_load
from reports.performance_report import performance_rows
from reports.piano.xlsx.workbook import build_piano_xlsx
from reports.specs import report_spec
from territory.models import Ambito, Comune, Regione
from tests.documents import pdf_reader, read_xlsx
from tests.factories import user_with_role
from tests.reports.conftest import PIANO_SLUG
from tests.schede_helpers import magenta_nid

pytestmark = pytest.mark.django_db

DEVELOPER_WORDS = re.compile(r"\bseed\b|\bfixtures/|\breadme\b", re.IGNORECASE)
PER_SHAPE = 2  # pages crawled per URL shape (route and query keys), per role
SKIP_PREFIXES = (reverse("admin:index"), reverse("logout"), "/static/", "/media/")
# Downloads of reports are checked below, once (the PDFs take seconds to render).
SKIP_SUFFIXES = (".pdf", ".xlsx", "/pdf/", "/excel/", "/file/")  # /file/: the file of a job (jobs:download)
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "value", "content"}


def developer_words(text: str) -> list[str]:
    return [text[max(m.start() - 60, 0) : m.end() + 60] for m in DEVELOPER_WORDS.finditer(text)]


class _Page(HTMLParser):
    """The text a user can read (data and visible attributes, not scripts or styles) and the links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        self.text.extend(v for k, v in attrs.items() if k in VISIBLE_ATTRIBUTES and v)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _shape(path: str, query: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    keys = sorted({part.split("=", 1)[0] for part in query.split("&") if part})
    return f"{match.route}?{'&'.join(keys)}"


def _text_and_links(content_type: str, content: bytes) -> tuple[str | None, list[str]]:
    """The words of a response (HTML, workbook, other text) and, for a page, its links; None: not read."""
    if content_type.startswith(("application/vnd.openxmlformats", "application/vnd.ms-excel")):
        wb = read_xlsx(content, read_only=True)
        text = "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
        return text, []
    if content_type.startswith("text/html"):
        page = _Page()
        page.feed(content.decode())
        return " ".join(page.text), page.links
    if content_type.startswith(("text/", "application/json")):
        return content.decode(errors="replace"), []
    return None, []


def _follow(url: str, links: list[str], seen: set[str], per_shape: Counter) -> list[str]:
    """The same-site links of a page still to read (PER_SHAPE pages of each URL shape at most)."""
    targets = []
    for href in links:
        parts = urlsplit(urljoin(url, href))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if target in seen or parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
            continue
        seen.add(target)
        shape = _shape(parts.path, parts.query)
        if shape is None or per_shape[shape] >= PER_SHAPE:
            continue
        per_shape[shape] += 1
        targets.append(target)
    return targets


def crawl(client) -> tuple[dict[str, list[str]], int]:
    """{url: [developer words in context]} of the same-site pages reachable from the home, and the pages read."""
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    per_shape: Counter = Counter()
    queue = [reverse("portal:home")]
    read = 0
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200:  # redirects, forbidden pages, POST-only views (405)
            continue
        read += 1
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text, links = _text_and_links(response.get("Content-Type", ""), content)
        queue += _follow(url, links, seen, per_shape)
        if text is not None and (hits := developer_words(text)):
            found[url] = hits
    return found, read


ROLES = {
    "amministratore": lambda: user_with_role("crawl-admin", None),
    "ufficio_piano": lambda: user_with_role("crawl-udp", Ruolo.UFFICIO_PIANO, ambito=_ambito("magentino")),
    "dirigente": lambda: user_with_role("crawl-dirigente", Ruolo.DIRIGENTE, ambito=_ambito("magentino")),
    "operatore": lambda: user_with_role("crawl-operatore", Ruolo.OPERATORE, comune=_comune("015130")),
    "regione": lambda: user_with_role("crawl-regione", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia")),
}


def _ambito(slug):
    return Ambito.objects.get(slug=slug)


def _comune(codice):
    return Comune.objects.get(codice_istat=codice)


@pytest.mark.parametrize("role", list(ROLES))
def test_pages_show_no_developer_wording(client, role):
    client.force_login(ROLES[role]())
    found, read = crawl(client)
    assert read > 10, f"only {read} pages crawled"
    assert not found, "\n".join(f"{url}: {hit!r}" for url, hits in found.items() for hit in hits)


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
