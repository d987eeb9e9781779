"""The main pages of the portal per role, shared by the browser checks of layout (390 px phone) and accessibility
(axe-core), by the access check of the list itself (tests/e2e/test_main_pages_list.py) and by the accessibility
statement (templates/portal/accessibilita.html describes these pages).

Pages are named by a key; their URLs are resolved with reverse() from the demo objects in the database
(load_demo), never from hard-coded ids, so the list is known when pytest collects the tests and the URLs when
they run. Each role lists only the pages it can open: `test_main_pages_list.py` checks that each listed page
answers 200 to its role and that the pages left out answer 403 or 404 (so the list follows the permissions).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Max
from django.db.models.functions import Length
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.models import Campagna, Scheda
from monitoring.snapshots.models import Rilevazione, StatoRilevazione
from planning.models import PianoDiZona, PianoPerformance, RigaBilancio
from territory.models import Ambito, Comune, Regione
from tests.factories import user_with_role

#: The demo users (accounts/demo.py), made by the tests with tests.factories.user_with_role.
ROLES = {
    "anonimo": "Utente non autenticato",
    "udp": "Ufficio di Piano dell'Ambito del Magentino",
    "dirigente": "Dirigente dell'Ambito del Magentino",
    "operatore": "Operatore comunale del Comune di Magenta",
    "regione": "Regione Lombardia (Magentino e Oglio Po)",
    "admin": "Amministratore",
}

#: Username of each role's user in the browser tests (the demo usernames of accounts/demo.py).
USERNAMES = {
    "udp": "udp.magentino",
    "dirigente": "dirigente.magentino",
    "operatore": "operatore.magenta",
    "regione": "regione.lombardia",
    "admin": "admin",
}

AMBITO = "magentino"  # Ambito del Magentino
COMUNE = "015130"  # Magenta (MI), ISTAT code
PIANO = ("magentino", 2025)  # Piano di Zona 2025-2027 of the Ambito (first year)


@dataclass(frozen=True)
class MainPage:
    key: str
    title: str  # Italian, as listed in the accessibility statement


# Title of every page (the statement lists them); keys of the quadri are built below.
PAGES: dict[str, MainPage] = {
    page.key: page
    for page in [
        MainPage("login", "Accesso"),
        MainPage("home", "Home"),
        MainPage("ambito_list", "Territorio: elenco degli Ambiti"),
        MainPage("ambito", "Pagina dell'Ambito (Magentino)"),
        MainPage("comune", "Pagina del Comune (Magenta)"),
        MainPage("monitoraggio", "Monitoraggio: schede"),
        MainPage("schede_ambito", "Riepilogo delle schede dell'Ambito"),
        MainPage("scheda_nid", "Scheda NID26: riepilogo"),
        *(MainPage(f"nid_quadro_{n}", f"Scheda NID26: quadro {n}") for n in range(1, 5)),
        MainPage("storico_nid", "Scheda NID26: storico delle modifiche"),
        MainPage("scheda_soc", "Scheda SOC26: riepilogo"),
        *(MainPage(f"soc_quadro_{n}", f"Scheda SOC26: quadro {n}") for n in range(1, 5)),
        MainPage("piano_list", "Piani di Zona: elenco"),
        MainPage("piano", "Piano di Zona 2025-2027"),
        MainPage("intervento", "Scheda intervento"),
        MainPage("intervento_form", "Modifica della scheda intervento"),
        MainPage("valutazione", "Valutazione del piano precedente"),
        MainPage("rilevazioni", "Rilevazioni trimestrali: elenco"),
        MainPage("rilevazione_compila", "Compilazione della rilevazione trimestrale"),
        MainPage("spesa_sociale", "Spesa sociale dell'Ambito"),
        MainPage("valori_stampati", "Spesa sociale: valori stampati"),
        MainPage("performance_list", "Piani della performance: elenco"),
        MainPage("performance", "Piano della performance"),
        MainPage("report_list", "Report: elenco"),
        MainPage("dashboard", "Cruscotto dell'Ambito"),
        MainPage("miei_report", "I miei report"),
        MainPage("campagne", "Campagne SOSE dell'Ambito"),
        MainPage("campagna", "Campagna NID26 2025 dell'Ambito"),
        MainPage("calendario", "Calendario delle scadenze dell'Ambito"),
        MainPage("confronto", "Confronto dei Comuni con gli obiettivi di servizio"),
        MainPage("anomalie", "Valori fuori dallo storico dei Comuni"),
        MainPage("importa_schede", "Importazione delle schede da file"),
        MainPage("promemoria", "I miei promemoria"),
        MainPage("bilancio", "Bilancio del Piano di Zona"),
        MainPage("quote_comuni", "Quote dei Comuni"),
        MainPage("progetti", "Progetti della rete"),
        MainPage("pnrr", "Linee PNRR"),
        MainPage("gestione", "Servizi in gestione associata"),
        MainPage("governance", "Organismi di governance"),
        MainPage("regione", "Pagina della Regione: campagne dei suoi Ambiti"),
        MainPage("regione_confronto", "Confronto degli Ambiti della Regione"),
        MainPage("rilevazione_risorse", "Rilevazione trimestrale: risorse"),
        MainPage("quote_importi", "Quote dei Comuni: importi Comune per Comune"),
        MainPage("riga_bilancio_delete", "Bilancio: conferma dell'eliminazione di una riga"),
        MainPage("token_api", "I miei token API"),
        MainPage("opendata", "Dati aperti: elenco degli Ambiti"),
        MainPage("opendata_ambito", "Dati aperti dell'Ambito (Magentino)"),
        MainPage("opendata_impostazioni", "Impostazioni dei dati aperti dell'Ambito"),
        MainPage("accessibilita", "Dichiarazione di accessibilità"),
    ]
}

# Public pages (no login needed), also reachable logged in.
_OPENDATA = ["opendata", "opendata_ambito"]
_COMMON = [
    "home",
    "ambito_list",
    "monitoraggio",
    "piano_list",
    "performance_list",
    "report_list",
    "miei_report",
    "promemoria",
    "token_api",
    *_OPENDATA,
    "accessibilita",
]
_NID = ["scheda_nid", *(f"nid_quadro_{n}" for n in range(1, 5)), "storico_nid"]
_AMBITO_READ = [
    "ambito",
    "comune",
    "schede_ambito",
    *_NID,
    "piano",
    "intervento",
    "valutazione",
    "rilevazioni",
    "rilevazione_risorse",
    "spesa_sociale",
    "valori_stampati",
    "performance",
    "dashboard",
    "confronto",
    "anomalie",
    "bilancio",
    "quote_comuni",
    "progetti",
    "pnrr",
    "gestione",
    "governance",
]
# The pages that change an Ambito's data (Ufficio di Piano and Amministratore).
_AMBITO_EDIT = [
    "intervento_form",
    "rilevazione_compila",
    "importa_schede",
    "quote_importi",
    "riga_bilancio_delete",
    "opendata_impostazioni",
]
_CAMPAGNE = ["campagne", "campagna", "calendario"]
_REGIONE = ["regione", "regione_confronto"]
_SOC = ["scheda_soc", *(f"soc_quadro_{n}" for n in range(1, 5))]

#: The pages each role opens (in this order).
ROLE_PAGES: dict[str, list[str]] = {
    "anonimo": ["login", *_OPENDATA],
    "udp": [*_COMMON, *_AMBITO_READ, *_AMBITO_EDIT, *_CAMPAGNE],
    "dirigente": [*_COMMON, *_AMBITO_READ, *_CAMPAGNE],
    "operatore": [*_COMMON, "comune", *_NID],
    # the Regione reads every page of its Ambiti as the Dirigente does, and approves the campaigns on its page
    "regione": [*_COMMON, *_AMBITO_READ, *_CAMPAGNE, *_REGIONE],
    "admin": [
        *_COMMON,
        *_AMBITO_READ,
        *_AMBITO_EDIT,
        *_SOC,
        *_CAMPAGNE,
        *_REGIONE,
    ],
}


#: Pages whose URL needs no demo object: key -> (URL name, kwargs).
_FIXED_URLS = {
    "login": ("login", {}),
    "home": ("portal:home", {}),
    "ambito_list": ("planning:ambito_list", {}),
    "ambito": ("planning:ambito_detail", {"slug": AMBITO}),
    "comune": ("planning:comune_detail", {"codice_istat": COMUNE}),
    "monitoraggio": ("monitoring:index", {}),
    "schede_ambito": ("monitoring:overview", {"slug": AMBITO}),
    "piano_list": ("planning:piano_index", {}),
    "spesa_sociale": ("planning:contesto", {"slug": AMBITO}),
    "valori_stampati": ("planning:valore_stampato_list", {"slug": AMBITO}),
    "performance_list": ("planning:performance_list", {}),
    "report_list": ("reports:index", {}),
    "dashboard": ("reports:dashboard", {"slug": AMBITO}),
    "miei_report": ("jobs:list", {}),
    "campagne": ("monitoring:campagne", {"slug": AMBITO}),
    "calendario": ("monitoring:calendario", {"slug": AMBITO}),
    "confronto": ("monitoring:comparison", {"slug": AMBITO}),
    "anomalie": ("monitoring:outliers", {"slug": AMBITO}),
    "importa_schede": ("monitoring:schede_import", {"slug": AMBITO}),
    "promemoria": ("monitoring:promemoria", {}),
    "regione": ("monitoring:regione", {}),
    "regione_confronto": ("monitoring:regione_confronto", {}),
    "token_api": ("api:token_list", {}),
    "opendata": ("opendata:index", {}),
    "opendata_ambito": ("opendata:ambito", {"slug": AMBITO}),
    "opendata_impostazioni": ("opendata:impostazioni", {"slug": AMBITO}),
    "accessibilita": ("portal:accessibilita", {}),
}


def _piano() -> PianoDiZona:
    return PianoDiZona.objects.get(ambito__slug=PIANO[0], anno_inizio=PIANO[1])


def _scheda(codice: str) -> Scheda:
    # NID26: the Magenta draft (editable grid); SOC26: the demo has it only for Reggio nell'Emilia (validated).
    qs = Scheda.objects.filter(modello__codice=codice).order_by("pk")
    return (qs.filter(comune_id=COMUNE).first() if codice == "NID26" else None) or qs.first()


def _intervento_pk() -> int:
    """The plan's card with the longest LEPS name (its badges are the widest thing on a phone), else the first."""
    cards = _piano().interventi.annotate(leps_nome=Max(Length("leps__nome")))
    return cards.order_by(F("leps_nome").desc(nulls_last=True), "pk").first().pk


def _scheda_url(key: str) -> str:
    """scheda_*, storico_*, nid_quadro_N, soc_quadro_N: the pages of a demo scheda."""
    pk = _scheda("SOC26" if "soc" in key else "NID26").pk
    if "quadro" in key:
        return reverse("monitoring:quadro", kwargs={"pk": pk, "number": int(key.rsplit("_", 1)[1])})
    return reverse("monitoring:storico" if key.startswith("storico") else "monitoring:scheda_detail", args=[pk])


def _rilevazione_compila_url() -> str:
    aperta = Rilevazione.objects.filter(piano=_piano(), stato=StatoRilevazione.APERTA).order_by("pk").first()
    return reverse("monitoring:rilevazione_compila", args=[aperta.pk])


def _rilevazione_risorse_url() -> str:
    # a closed quarter of the plan (its figures are frozen), else the open one
    rilevazioni = Rilevazione.objects.filter(piano=_piano()).order_by("pk")
    rilevazione = rilevazioni.filter(stato=StatoRilevazione.CHIUSA).first() or rilevazioni.first()
    return reverse("monitoring:rilevazione_risorse", args=[rilevazione.pk])


def _riga_bilancio_delete_url() -> str:
    riga = RigaBilancio.objects.filter(piano=_piano()).order_by("pk").first()
    return reverse("planning:riga_bilancio_delete", kwargs={"pk": riga.pk})


#: Pages whose URL is read from a demo object: key -> a function returning the URL.
_OBJECT_URLS = {
    "piano": lambda: reverse("planning:piano_detail", kwargs={"slug": _piano().slug}),
    "bilancio": lambda: reverse("planning:bilancio", kwargs={"slug": _piano().slug}),
    "quote_comuni": lambda: reverse("planning:quote_comuni", kwargs={"slug": _piano().slug}),
    "progetti": lambda: reverse("planning:piano_progetti", kwargs={"slug": _piano().slug}),
    "pnrr": lambda: reverse("planning:piano_pnrr", kwargs={"slug": _piano().slug}),
    "gestione": lambda: reverse("planning:piano_gestione", kwargs={"slug": _piano().slug}),
    "governance": lambda: reverse("planning:piano_governance", kwargs={"slug": _piano().slug}),
    "intervento": lambda: reverse("planning:intervento_detail", kwargs={"pk": _intervento_pk()}),
    "intervento_form": lambda: reverse("planning:intervento_update", kwargs={"pk": _intervento_pk()}),
    "valutazione": lambda: reverse("planning:valutazione", kwargs={"slug": _piano().slug}),
    "rilevazioni": lambda: reverse("monitoring:rilevazione_list", kwargs={"slug": _piano().slug}),
    "rilevazione_compila": _rilevazione_compila_url,
    "rilevazione_risorse": _rilevazione_risorse_url,
    "quote_importi": lambda: reverse("planning:quote_importi", kwargs={"slug": _piano().slug}),
    "riga_bilancio_delete": _riga_bilancio_delete_url,
    # the demo campaign NID26 2025 of the Magentino (monitoring/campaigns/demo.py)
    "campagna": lambda: Campagna.objects.get(ambito__slug=AMBITO, modello__codice="NID26").get_absolute_url(),
    "performance": lambda: reverse(
        "planning:performance_detail", kwargs={"slug": PianoPerformance.objects.get(ambito__slug=AMBITO).slug}
    ),
}


def resolve(key: str) -> str:
    """The path of a page, from the demo objects in the database."""
    if key in _FIXED_URLS:
        name, kwargs = _FIXED_URLS[key]
        return reverse(name, kwargs=kwargs)
    if key.startswith(("scheda_", "storico_", "nid_quadro_", "soc_quadro_")):
        return _scheda_url(key)
    if key in _OBJECT_URLS:
        return _OBJECT_URLS[key]()
    raise KeyError(key)


def make_user(role: str):
    """The user of a role (password tests.factories' TEST password), assigned as the demo user of accounts/demo.py."""
    username = USERNAMES[role]
    if role == "admin":
        return user_with_role(username, None)
    if role == "operatore":
        return user_with_role(username, Ruolo.OPERATORE, comune=Comune.objects.get(codice_istat=COMUNE))
    if role == "regione":
        return user_with_role(username, Ruolo.REGIONE, regione=Regione.objects.get(nome="Lombardia"))
    ruolo = Ruolo.UFFICIO_PIANO if role == "udp" else Ruolo.DIRIGENTE
    return user_with_role(username, ruolo, ambito=Ambito.objects.get(slug=AMBITO))


def pages_for(role: str) -> list[tuple[str, str]]:
    """(key, path) of the pages of a role, resolved from the database."""
    return [(key, resolve(key)) for key in ROLE_PAGES[role]]


def all_keys() -> list[str]:
    return list(PAGES)
