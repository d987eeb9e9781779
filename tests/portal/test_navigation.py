"""Navigation (issue 10, point 3): the menu of each role, the active section, the breadcrumb of every page, and no
control or link for what a role cannot use. The mechanism is accounts.sections (sections, the start of every trail),
portal.navigation (the menu) and the trails of each app (planning.navigation, monitoring.navigation,
reports.navigation)."""

import re

import pytest
from django.urls import get_resolver, reverse
from django.utils.text import Truncator

from accounts.models import Ruolo
from accounts.sections import SECTION_OF_VIEW
from monitoring.models import Scheda, Stato
from planning.models import Intervento, PianoDiZona, PianoPerformance
from territory.models import Regione
from tests.factories import UserFactory, user_with_role
from tests.page_crawl import crawl, page_nav
from tests.schede_helpers import magenta_nid
from tests.wording import developer_words

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")

ROLES = ["admin_user", "udp_user", "dirigente_user", "operatore_user", "regione_user"]
AMBITO_SECTIONS = ["Home", "Territorio", "Piano di Zona", "Performance", "Monitoraggio", "Report"]
EXPECTED_MENU = {
    "admin_user": [*AMBITO_SECTIONS, "Regione", "Amministrazione"],  # the Amministratore follows every Regione
    "udp_user": AMBITO_SECTIONS,
    "dirigente_user": AMBITO_SECTIONS,
    "operatore_user": ["Home", "Monitoraggio"],  # its Comune's schede: no Ambito to read
    "regione_user": [*AMBITO_SECTIONS, "Regione"],  # reads every Ambito of its Regione, approves its campaigns
}


@pytest.fixture
def regione_user(db):
    """The Regione Lombardia (the demo user regione.lombardia): reads the Magentino and Oglio Po, approves."""
    return user_with_role("regione", Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))


def get_page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return page_nav(response.content.decode())


def active_entries(nav):
    return [item.label for item in nav.menu if item.active or item.current]


# --- Menu per role ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_menu_has_exactly_the_sections_of_the_role(role, request, client_for):
    client = client_for(request.getfixturevalue(role))
    for url in (HOME, reverse("monitoring:index"), reverse("portal:privacy")):
        assert [item.label for item in get_page(client, url).menu] == EXPECTED_MENU[role], url


def test_menu_of_a_user_without_assignments_is_only_home(client_for):
    nav = get_page(client_for(UserFactory(username="nessuno")), HOME)
    assert [item.label for item in nav.menu] == ["Home"]


def test_menu_of_operatore_and_dirigente_assigned_twice(client_for, magentino, magenta):
    """Roles add up: an Operatore who is also Dirigente of an Ambito reads the Ambito's sections."""
    user = user_with_role("doppio", Ruolo.OPERATORE, comune=magenta)
    user.assegnazioni.create(ruolo=Ruolo.DIRIGENTE, ambito=magentino)
    assert [item.label for item in get_page(client_for(user), HOME).menu] == AMBITO_SECTIONS


def sample_pages(magentino):
    piano = PianoDiZona.objects.filter(ambito=magentino).order_by("-anno_inizio").first()
    intervento = Intervento.objects.filter(piano=piano).order_by("pk").first()
    performance = PianoPerformance.objects.filter(ambito=magentino).first()
    operativo = performance.obiettivi_strategici.first().operativi.first()
    scheda = magenta_nid()
    return [
        (HOME, "Home"),
        (reverse("planning:intervento_detail", args=[intervento.pk]), "Piano di Zona"),
        (reverse("planning:intervento_update", args=[intervento.pk]), "Piano di Zona"),
        (reverse("planning:intervento_list", args=[piano.slug]), "Piano di Zona"),
        (reverse("planning:valutazione", args=[piano.slug]), "Piano di Zona"),
        (reverse("monitoring:avanzamento", args=[piano.slug]), "Piano di Zona"),  # a tab of the plan
        (reverse("planning:cataloghi"), "Piano di Zona"),
        (reverse("planning:ambito_list"), "Territorio"),
        (reverse("planning:ambito_detail", args=["magentino"]), "Territorio"),
        (reverse("planning:spesa_list", args=["magentino"]), "Territorio"),
        (reverse("planning:comune_detail", args=["015130"]), "Territorio"),
        (reverse("planning:performance_detail", args=[performance.slug]), "Performance"),
        (reverse("planning:obiettivo_operativo", args=[operativo.pk]), "Performance"),
        (reverse("monitoring:overview", args=["magentino"]), "Monitoraggio"),
        (reverse("monitoring:quadro", args=[scheda.pk, 1]), "Monitoraggio"),
        (reverse("reports:dashboard", args=["magentino"]), "Report"),
        (reverse("portal:privacy"), None),
        (reverse("password_change"), None),
    ]


def test_active_section_follows_the_page(client_for, udp_user, magentino):
    client = client_for(udp_user)
    for url, section in sample_pages(magentino):
        nav = get_page(client, url)
        assert active_entries(nav) == ([section] if section else []), url
        for item in nav.menu:
            assert item.active == item.current, (url, item)  # the active entry also has aria-current="page"


def test_active_section_for_the_operatore(client_for, operatore_user):
    client = client_for(operatore_user)
    scheda = magenta_nid()
    assert active_entries(get_page(client, reverse("monitoring:scheda_detail", args=[scheda.pk]))) == ["Monitoraggio"]
    assert active_entries(get_page(client, HOME)) == ["Home"]
    magenta = reverse("planning:comune_detail", args=["015130"])
    assert active_entries(get_page(client, magenta)) == []  # no Territorio in its menu


def test_every_url_of_the_portal_has_its_menu_section():
    """SECTION_OF_VIEW is the one place deciding the active entry: a new route must be listed there."""

    def names(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                if p.namespace != "admin":
                    yield from names(p.url_patterns, prefix + (f"{p.namespace}:" if p.namespace else ""))
            elif p.name:
                yield prefix + p.name

    missing = [name for name in names(get_resolver().url_patterns) if name not in SECTION_OF_VIEW]
    assert missing == []


# --- Breadcrumb on every page, links only to usable pages ------------------------------------------------------

NO_BREADCRUMB = {"portal:home", "login"}


def _breadcrumb_problems(v) -> list[str]:
    """What is wrong with a crawled page: not opening, empty, or without the breadcrumb Home › … › the page."""
    if v.status != 200:
        return [f"{v.url}: {v.status} (link in {v.found_on})"]
    if not v.html:
        return []
    problems = []
    if "assegnato al suo utente" in v.html or "per gli Ambiti assegnati" in v.html:
        problems.append(f"{v.url}: empty page linked from {v.found_on}")
    nav = page_nav(v.html)
    if v.view_name in NO_BREADCRUMB:
        return problems + ([f"{v.url}: breadcrumb on the home page"] if nav.breadcrumbs else [])
    if len(nav.breadcrumbs) != 1:
        return [*problems, f"{v.url}: {len(nav.breadcrumbs)} breadcrumbs"]
    items = nav.breadcrumbs[0]
    if len(items) < 2 or items[0].href != HOME or items[0].label != "Home":
        problems.append(f"{v.url}: the breadcrumb does not start at the home: {items}")
    if not items[-1].current or items[-1].href is not None:
        problems.append(f"{v.url}: the last item is not the current page: {items[-1]}")
    if any(i.current or not i.href for i in items[:-1]):
        problems.append(f"{v.url}: an item before the last is not a link: {items}")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reachable_by_the_role_has_a_breadcrumb_to_the_home(role, request, client_for):
    """Crawl the portal from the home page as the role, with the exports linked from its pages: every linked page
    opens (nothing linked that the role cannot use), is not an empty «Nessun … assegnato» page and has the
    breadcrumb Home › … › current page; no page or export shows developer wording (tests/wording.py); the
    read-only roles get no edit control (_edit_controls). One crawl per role for all these checks."""
    client = client_for(request.getfixturevalue(role))
    visits = crawl(client, downloads=True)
    pages = [v for v in visits if not v.download]
    problems = [problem for v in pages for problem in _breadcrumb_problems(v)]
    assert problems == []
    wording = [f"{v.url}: {hit!r}" for v in visits for hit in developer_words(v.text)]
    assert wording == [], "\n".join(wording)
    if role != "operatore_user":  # the Comune's operator has no table with an export
        assert sum(1 for v in visits if v.download and v.status == 200) > 3
    if role in READ_ONLY_ROLES:
        assert _edit_controls(role, pages) == []
    reached = {v.view_name for v in pages}
    assert len(pages) > (40 if role != "operatore_user" else 8), sorted(reached)
    if role == "operatore_user":
        assert {"monitoring:scheda_detail", "monitoring:quadro", "planning:comune_detail"} <= reached
        assert not {n for n in reached if n.startswith("reports:") or n == "planning:ambito_list"}
    else:
        assert {"monitoring:overview", "planning:intervento_detail", "reports:dashboard"} <= reached
    if role in ("udp_user", "admin_user"):
        assert {"planning:intervento_update", "monitoring:rilevazione_compila"} <= reached
    if role != "operatore_user":  # the campaigns of the Ambito (issue 13)
        assert {"monitoring:campagne", "monitoring:campagna_detail", "monitoring:calendario"} <= reached
    if role == "regione_user":  # only the Ambiti of Lombardia: nothing of Emilia-Romagna is linked
        assert not [v.url for v in visits if "reggio-emilia" in v.url or "035033" in v.url]


def crumbs(client, url):
    nav = get_page(client, url)
    assert len(nav.breadcrumbs) == 1, url
    return [item.label for item in nav.breadcrumbs[0]]


def test_breadcrumbs_follow_the_hierarchy(client_for, udp_user, magentino):
    client = client_for(udp_user)
    scheda = magenta_nid()
    piano = PianoDiZona.objects.filter(ambito=magentino).order_by("-anno_inizio").first()
    intervento = Intervento.objects.filter(piano=piano).order_by("pk").first()
    overview = reverse("monitoring:overview", args=["magentino"])
    assert crumbs(client, overview) == ["Home", "Monitoraggio", "Ambito del Magentino"]
    assert crumbs(client, reverse("monitoring:quadro", args=[scheda.pk, 1])) == [
        "Home", "Monitoraggio", "Ambito del Magentino", "NID26 — Magenta", "Quadro 1",
    ]  # fmt: skip
    assert crumbs(client, reverse("planning:intervento_update", args=[intervento.pk])) == [
        "Home", "Piano di Zona", piano.titolo, "Interventi", Truncator(str(intervento)).chars(60), "Modifica",
    ]  # fmt: skip
    magenta = reverse("planning:comune_detail", args=["015130"])
    assert crumbs(client, magenta) == ["Home", "Territorio", "Ambito del Magentino", "Magenta"]


def test_breadcrumbs_of_the_operatore_skip_what_it_cannot_open(client_for, operatore_user):
    client = client_for(operatore_user)
    scheda = magenta_nid()
    assert crumbs(client, reverse("monitoring:quadro", args=[scheda.pk, 1])) == [
        "Home", "Monitoraggio", "NID26 — Magenta", "Quadro 1",
    ]  # fmt: skip
    assert crumbs(client, reverse("planning:comune_detail", args=["015130"])) == ["Home", "Magenta"]


def test_pages_without_a_view_of_their_own_have_the_breadcrumb_too(client_for, udp_user):
    """Error pages and the password pages build theirs with {% page_trail %} (same Trail, same partial)."""
    client = client_for(udp_user)
    piani = reverse("planning:piano_index")
    for url, expected in [
        ("/nessuna-pagina/", [("Home", HOME, False), ("Errore 404", None, True)]),  # no view answers it
        (
            reverse("planning:piano_detail", args=["nessun-piano"]),  # a Piano di Zona URL: its section in the trail
            [("Home", HOME, False), ("Piano di Zona", piani, False), ("Errore 404", None, True)],
        ),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        nav = page_nav(response.content.decode())
        assert [(i.label, i.href, i.current) for i in nav.breadcrumbs[0]] == expected
    assert crumbs(client, reverse("password_change_done")) == ["Home", "Password cambiata"]
    assert crumbs(client, reverse("portal:privacy")) == ["Home", "Privacy"]


# --- Controls only for the roles that can use them -------------------------------------------------------------

TRANSITION_BUTTONS = ('value="valida"', 'value="rimanda"', 'value="riapri"')


@pytest.mark.parametrize("stato", [Stato.BOZZA, Stato.INVIATA, Stato.VALIDATA])
def test_operatore_and_dirigente_do_not_get_the_workflow_box(client_for, operatore_user, dirigente_user, stato):
    scheda = magenta_nid()
    Scheda.objects.filter(pk=scheda.pk).update(stato=stato)
    detail = reverse("monitoring:scheda_detail", args=[scheda.pk])
    for user in (operatore_user, dirigente_user):
        page = client_for(user).get(detail).content.decode()
        assert "Motivazione" not in page, (user, stato)
        assert 'name="motivo"' not in page, (user, stato)
        assert not any(b in page for b in TRANSITION_BUTTONS), (user, stato)
        assert "/stato/" not in page  # no link or form to any transition (monitoring:transition)
    operatore_page = client_for(operatore_user).get(detail).content.decode()
    invio = reverse("monitoring:scheda_invio", args=[scheda.pk])
    assert (f'action="{invio}"' in operatore_page) == (stato == Stato.BOZZA)


@pytest.mark.parametrize(("stato", "buttons"), [(Stato.INVIATA, 3), (Stato.VALIDATA, 1)])
def test_ufficio_di_piano_gets_the_workflow_box(client_for, udp_user, stato, buttons):
    scheda = magenta_nid()
    Scheda.objects.filter(pk=scheda.pk).update(stato=stato)
    page = client_for(udp_user).get(reverse("monitoring:scheda_detail", args=[scheda.pk])).content.decode()
    assert "Motivazione (obbligatoria per rimandare o riaprire)" in page
    assert sum(b in page for b in TRANSITION_BUTTONS) == buttons


EDIT_WORDS = ("Modifica", "Nuov", "Crea", "Importa", "Carica", "Valida", "Rimanda", "Riapri", "Chiudi", "Apri", "Salva")
BUTTON = re.compile(r"<(a|button)\b([^>]*)>(.*?)</\1>", re.S)


def buttons(html: str) -> list[str]:
    """The text of every button (and link styled as a button) of the page's content."""
    main = html.split('id="contenuto"', 1)[-1].split("<footer", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for tag, attrs, text in BUTTON.findall(main)
        if tag == "button" or "btn" in attrs
    ]


READ_ONLY_ROLES = ("dirigente_user", "operatore_user")


def _edit_controls(role: str, pages) -> list[str]:
    """The Dirigente only reads; the Operatore only works on its Comune's schede. On the crawled pages of such a
    role: each create/edit/import/validate button of the Ufficio di Piano and each form posting to its views (links
    to its pages would be 404 for them: the crawl finds those)."""
    allowed = {reverse("logout"), ""}  # "" = the page itself (password change; quadro entry and upload: Operatore)
    if role == "operatore_user":
        allowed.add(reverse("monitoring:scheda_create"))
    problems = []
    for v in pages:
        if not v.html or v.view_name == "password_change":
            continue
        nav = page_nav(v.html)
        problems += [f"{v.url}: form posting to {action!r}" for action in nav.post_forms if action not in allowed]
        controls = [b for b in buttons(v.html) if b.startswith(EDIT_WORDS)]
        if role == "operatore_user" and v.view_name.startswith("monitoring:"):
            # its own scheda: create, fill in, upload the Excel file, send
            ok = ("Crea la scheda", "Salva", "Carica Excel compilato", "Controlla il file")
            controls = [b for b in controls if not b.startswith(ok)]
        if v.view_name == "api:token_list":  # every user creates its own API tokens (with its own rights)
            controls = [b for b in controls if not b.startswith("Crea il token")]
        problems += [f"{v.url}: «{b}»" for b in controls]
    return problems
