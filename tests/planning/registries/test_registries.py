"""The plan's registries edited in the portal: projects of the network, PNRR lines with their items, services in
gestione associata, governance bodies. List pages with filters and exports, create/update/delete by the Ufficio di
Piano, refusals (role, other Ambito, locked plan), history with the user, bounded queries."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Ruolo
from planning.models import Area, Fondo, LineaPNRR, OrganismoGovernance, Progetto, ServizioAssociato, VocePNRR
from planning.piano.services import piano_create, piano_transition, variazione_open
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "per modificarlo occorre aprire una variazione"


def approva(piano):
    return piano_transition(
        piano=piano,
        stato="approvato",
        atto_approvazione="Deliberazione dell'Assemblea dei Sindaci n. 5",
        data_approvazione=datetime.date(2025, 1, 20),
    )


def progetto_post(piano, **extra):
    area = piano.aree.get(codice="A")
    return {
        "area": area.pk,
        "titolo": extra.get("titolo", "Progetto di prova"),
        "fonte_finanziamento": "Fondazione Cariplo",
        "stato_realizzazione": "Avviato a gennaio 2025",
        "aree_lavoro": "Lavoro di rete",
        "capofila": "Ambito del Magentino",
        "partenariato": "Cooperative del territorio",
        "ordine": "",
        **{k: v for k, v in extra.items() if k != "titolo"},
    }


def servizio_post(piano, **extra):
    return {"area": "", "nome": "Servizio di prova", "attivita_target": "Minori", "tempistica": "2025-2027", **extra}


def organismo_post(**extra):
    return {"livello": "tecnico", "nome": "Tavolo di prova", "composizione": "Tecnici", "funzioni": "Coordina", **extra}


def linea_post(voci=(), **extra):
    data = {
        "codice": "1.1.2",
        "titolo": "Autonomia degli anziani non autosufficienti",
        "fondo": "",
        "intervento": "Riconversione di RSA",
        "totale_stampato": "",
        "ordine": "",
        "voci-TOTAL_FORMS": str(len(voci)),
        "voci-INITIAL_FORMS": "0",
        "voci-MIN_NUM_FORMS": "0",
        "voci-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, voce in enumerate(voci):
        for key, value in voce.items():
            data[f"voci-{i}-{key}"] = value
    return data


# --- List pages -------------------------------------------------------------------------------------------

LISTS = [
    ("piano_progetti", "progetti", 20),
    ("piano_pnrr", "pnrr", 5),
    ("piano_gestione", "gestione", 15),
    ("piano_governance", "governance", 12),
]


@pytest.mark.parametrize(("url_name", "testid", "rows"), LISTS)
def test_list_page_shows_every_row_and_exports_them(client_for, udp_user, piano, url_name, testid, rows):
    client = client_for(udp_user)
    url = reverse(f"planning:{url_name}", args=[piano.slug])
    page = client.get(url).content.decode()
    assert f'data-testid="{testid}"' in page
    assert f"{rows} righe" in page
    assert "<caption>" in page
    assert 'data-testid="nuovo"' in page
    xlsx = client.get(url + "?_export=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content if xlsx.streaming else [xlsx.content]))).active
    table_rows = list(sheet.iter_rows(values_only=True))
    assert len(table_rows) == rows + 1  # header + rows
    assert "Azioni" not in table_rows[0]  # the edit links are not exported
    response = client.get(url + "?_export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == rows + 1


def test_progetti_filters_by_area_stato_fonte_and_text(client_for, udp_user, piano):
    client = client_for(udp_user)
    url = reverse("planning:piano_progetti", args=[piano.slug])
    area_c = piano.aree.get(codice="C")
    assert "4 righe" in client.get(url, {"area": area_c.pk}).content.decode()
    page = client.get(url, {"q": "P.I.P.P.I."}).content.decode()
    assert "1 riga" in page
    assert "P.I.P.P.I." in page
    assert "Tessere Lavoro" in client.get(url, {"stato": "concluso a giugno 2023"}).content.decode()
    page = client.get(url, {"fonte": "Cariplo"}).content.decode()
    assert "2 righe" in page
    assert "Segmenti Consapevoli" in page
    response = client.get(url, {"fonte": "Cariplo", "_export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 3  # the export takes the filtered rows


def test_pnrr_filters_by_codice_and_keeps_totals_and_flag(client_for, udp_user, piano):
    client = client_for(udp_user)
    url = reverse("planning:piano_pnrr", args=[piano.slug])
    page = client.get(url).content.decode()
    assert "2.041.483,75" in page
    assert page.count('data-testid="totale-difforme"') == 1
    page = client.get(url, {"codice": "1.2"}).content.decode()
    assert "1 riga" in page
    assert "714.998,15" in page
    assert "Povertà estrema - Housing first" not in page
    sheet = load_workbook(io.BytesIO(client.get(url + "?codice=1.3.1&_export=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert rows[1][header.index("Totale calcolato")] == pytest.approx(710000.0)


def test_gestione_filters_by_area(client_for, udp_user, piano):
    area_d = piano.aree.get(codice="D")
    page = client_for(udp_user).get(reverse("planning:piano_gestione", args=[piano.slug]), {"area": area_d.pk})
    assert "2 righe" in page.content.decode()


def test_governance_filters_by_livello(client_for, udp_user, piano):
    url = reverse("planning:piano_governance", args=[piano.slug])
    page = client_for(udp_user).get(url, {"livello": "politico"}).content.decode()
    assert "2 righe" in page
    assert "Assemblea dei Sindaci" in page
    assert "Indirizzo e amministrazione politica" in page  # the level's label, not its code
    assert "Ufficio di Piano</td>" not in page


def test_dirigente_reads_lists_without_edit_links(client_for, dirigente_user, piano):
    client = client_for(dirigente_user)
    for url_name, _testid, _rows in LISTS:
        page = client.get(reverse(f"planning:{url_name}", args=[piano.slug])).content.decode()
        assert "/modifica/" not in page, url_name
        assert "/elimina/" not in page, url_name
        assert 'data-testid="nuovo"' not in page, url_name


@pytest.mark.parametrize(
    ("url_name", "add"),
    [
        ("piano_progetti", lambda p, i: Progetto.objects.create(piano=p, titolo=f"P{i}", area=p.aree.first())),
        (
            "piano_pnrr",
            lambda p, i: VocePNRR.objects.create(
                linea=LineaPNRR.objects.create(piano=p, codice=f"1.{i}", titolo=f"L{i}"), investimento=Decimal("10")
            ),
        ),
        ("piano_gestione", lambda p, i: ServizioAssociato.objects.create(piano=p, nome=f"S{i}", area=p.aree.first())),
        ("piano_governance", lambda p, i: OrganismoGovernance.objects.create(piano=p, nome=f"O{i}", livello="tecnico")),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    client_for, udp_user, magentino, url_name, add, django_assert_max_num_queries
):
    nuovo = piano_create(ambito=magentino, titolo="Piano di prova", anno_inizio=2031, anno_fine=2033)
    Area.objects.create(piano=nuovo, codice="A", titolo="Famiglia", ordine=1)
    fondi = list(Fondo.objects.all()[:2])
    client = client_for(udp_user)
    url = reverse(f"planning:{url_name}", args=[nuovo.slug])

    def add_rows(start, stop):
        for i in range(start, stop):
            obj = add(nuovo, i)
            if hasattr(obj, "fondi"):
                obj.fondi.set(fondi)

    add_rows(0, 2)
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(30) as two:
        assert client.get(url).status_code == 200
    add_rows(2, 10)
    with django_assert_max_num_queries(len(two.captured_queries)):
        page = client.get(url).content.decode()
    assert "10 righe" in page


# --- Create, update, delete by the Ufficio di Piano --------------------------------------------------------


def test_udp_creates_updates_and_deletes_a_progetto_with_history(client_for, udp_user, piano):
    client = client_for(udp_user)
    fondo = Fondo.objects.first()
    response = client.post(
        reverse("planning:progetto_create", args=[piano.slug]), progetto_post(piano, fondi=[fondo.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:piano_progetti", args=[piano.slug])
    progetto = Progetto.objects.get(piano=piano, titolo="Progetto di prova")
    assert progetto.ordine == 21  # appended after the 20 of the demo
    assert list(progetto.fondi.all()) == [fondo]
    created = progetto.history.get(history_type="+")
    assert created.history_user == udp_user

    update_url = reverse("planning:progetto_update", args=[progetto.pk])
    form_page = client.get(update_url).content.decode()
    assert 'name="_base"' in form_page  # concurrent edits are merged (core.optimistic)
    assert 'data-testid="storia"' in form_page
    data = progetto_post(piano, titolo="Progetto rinominato", fondi=[fondo.pk])
    data["_base"] = _base_of(form_page)
    assert client.post(update_url, data).status_code == 302
    progetto.refresh_from_db()
    assert progetto.titolo == "Progetto rinominato"
    changed = progetto.history.filter(history_type="~").latest("history_date")
    assert changed.history_user == udp_user
    page = client.get(update_url).content.decode()
    assert "Progetto di prova → Progetto rinominato" in page

    delete_url = reverse("planning:progetto_delete", args=[progetto.pk])
    assert "sarà eliminata" in client.get(delete_url).content.decode()
    assert client.post(delete_url).status_code == 302
    assert not Progetto.objects.filter(pk=progetto.pk).exists()
    assert Progetto.history.filter(id=progetto.pk, history_type="-").get().history_user == udp_user


def _base_of(page: str) -> str:
    match = re.search(r'name="_base" value="([^"]*)"', page)
    return html.unescape(match.group(1)) if match else ""


def test_udp_creates_a_pnrr_line_with_items_in_italian_amounts(client_for, udp_user, piano):
    client = client_for(udp_user)
    response = client.post(
        reverse("planning:linea_pnrr_create", args=[piano.slug]),
        linea_post(
            totale_stampato="1.234,56",
            voci=[
                {"nome": "Investimento", "investimento": "1.000,50", "gestione_annua": "100", "anni_gestione": "2"},
                {"nome": "Gestione", "investimento": "", "gestione_annua": "17,03", "anni_gestione": "2"},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    linea = LineaPNRR.objects.get(piano=piano, codice="1.1.2")
    assert linea.totale_stampato == Decimal("1234.56")
    voci = list(linea.voci.order_by("ordine"))
    assert [(v.nome, v.ordine, v.investimento, v.totale) for v in voci] == [
        ("Investimento", 1, Decimal("1000.50"), Decimal("1200.50")),
        ("Gestione", 2, Decimal("0"), Decimal("34.06")),
    ]
    assert voci[0].history.get().history_user == udp_user
    assert linea.history.get().history_user == udp_user
    page = client.get(reverse("planning:piano_pnrr", args=[piano.slug]), {"codice": "1.1.2"}).content.decode()
    assert page.count("1.234,56") >= 2  # computed and printed total
    assert 'data-testid="totale-difforme"' not in page  # 1.200,50 + 34,06 = 1.234,56


def test_pnrr_line_update_edits_deletes_and_adds_items(client_for, udp_user, piano):
    client = client_for(udp_user)
    linea = LineaPNRR.objects.get(piano=piano, codice="1.2")
    voci = list(linea.voci.order_by("ordine"))
    url = reverse("planning:linea_pnrr_update", args=[linea.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="storia"' in page.content.decode()
    data = linea_post(codice="1.2", titolo=linea.titolo, intervento=linea.intervento, totale_stampato="")
    data["voci-TOTAL_FORMS"] = str(len(voci) + 1)
    data["voci-INITIAL_FORMS"] = str(len(voci))
    for i, v in enumerate(voci):
        data.update(
            {
                f"voci-{i}-id": v.pk,
                f"voci-{i}-linea": linea.pk,
                f"voci-{i}-ordine": i + 1,
                f"voci-{i}-nome": v.nome,
                f"voci-{i}-investimento": str(v.investimento).replace(".", ","),
                f"voci-{i}-gestione_annua": str(v.gestione_annua).replace(".", ","),
                f"voci-{i}-anni_gestione": v.anni_gestione,
                f"voci-{i}-totale_stampato": "",
            }
        )
    data["voci-0-DELETE"] = "on"
    n = len(voci)
    data.update({f"voci-{n}-ordine": n + 1, f"voci-{n}-nome": "Nuova voce", f"voci-{n}-investimento": "2.000,00"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    nomi = list(linea.voci.order_by("ordine").values_list("nome", flat=True))  # renumbered 1, 2, 3
    assert nomi == [v.nome for v in voci[1:]] + ["Nuova voce"]
    assert VocePNRR.history.filter(id=voci[0].pk, history_type="-").get().history_user == udp_user


def test_pnrr_item_with_bad_amount_names_the_field(client_for, udp_user, piano):
    response = client_for(udp_user).post(
        reverse("planning:linea_pnrr_create", args=[piano.slug]),
        linea_post(voci=[{"nome": "X", "investimento": "1.2.3", "anni_gestione": "1"}]),
    )
    assert response.status_code == 200
    assert not LineaPNRR.objects.filter(piano=piano, codice="1.1.2").exists()
    assert "La riga non è stata salvata" in response.content.decode()


def test_udp_creates_servizio_and_organismo(client_for, udp_user, piano):
    client = client_for(udp_user)
    assert (
        client.post(reverse("planning:servizio_associato_create", args=[piano.slug]), servizio_post(piano)).status_code
        == 302
    )
    assert ServizioAssociato.objects.get(piano=piano, nome="Servizio di prova").history.get().history_user == udp_user
    url = reverse("planning:organismo_governance_create", args=[piano.slug])
    assert client.post(url, organismo_post()).status_code == 302
    organismo = OrganismoGovernance.objects.get(piano=piano, nome="Tavolo di prova")
    assert organismo.livello == "tecnico"
    assert organismo.history.get().history_user == udp_user


def test_area_of_another_plan_is_refused(client_for, udp_user, piano, piano_oglio):
    other_area = Area.objects.create(piano=piano_oglio, codice="Z", titolo="Area di un altro piano", ordine=9)
    response = client_for(udp_user).post(
        reverse("planning:progetto_create", args=[piano.slug]), progetto_post(piano, area=other_area.pk)
    )
    assert response.status_code == 200
    assert not Progetto.objects.filter(piano=piano, titolo="Progetto di prova").exists()


# --- Refusals -------------------------------------------------------------------------------------------


def edit_urls(piano):
    progetto = piano.progetti.first()
    linea = piano.linee_pnrr.first()
    servizio = piano.servizi_associati.first()
    organismo = piano.governance.first()
    s = piano.slug
    return [
        reverse("planning:progetto_create", args=[s]),
        reverse("planning:progetto_update", args=[progetto.pk]),
        reverse("planning:progetto_delete", args=[progetto.pk]),
        reverse("planning:linea_pnrr_create", args=[s]),
        reverse("planning:linea_pnrr_update", args=[linea.pk]),
        reverse("planning:linea_pnrr_delete", args=[linea.pk]),
        reverse("planning:servizio_associato_create", args=[s]),
        reverse("planning:servizio_associato_update", args=[servizio.pk]),
        reverse("planning:servizio_associato_delete", args=[servizio.pk]),
        reverse("planning:organismo_governance_create", args=[s]),
        reverse("planning:organismo_governance_update", args=[organismo.pk]),
        reverse("planning:organismo_governance_delete", args=[organismo.pk]),
    ]


EDIT_URL_INDEXES = range(12)


@pytest.mark.parametrize("index", EDIT_URL_INDEXES)
def test_udp_reaches_every_edit_page(client_for, udp_user, piano, index):
    assert client_for(udp_user).get(edit_urls(piano)[index]).status_code == 200


@pytest.mark.parametrize("index", EDIT_URL_INDEXES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("dirigente", 403),  # reads the plan, may not change it
        ("regione", 403),
        ("operatore", 404),  # does not read the plan at all, as on every page of the plan
        ("udp_oglio", 404),  # another Ambito
    ],
)
def test_edit_pages_refuse_who_may_not_change_the_plan(
    client_for, piano, magentino, magenta, oglio_po, index, role, status
):
    users = {
        "dirigente": lambda: user_with_role("dir", Ruolo.DIRIGENTE, ambito=magentino),
        "regione": lambda: user_with_role("reg", Ruolo.REGIONE, regione=magentino.regione),
        "operatore": lambda: user_with_role("op", Ruolo.OPERATORE, comune=magenta),
        "udp_oglio": lambda: user_with_role("udp-o", Ruolo.UFFICIO_PIANO, ambito=oglio_po),
    }
    client = client_for(users[role]())
    url = edit_urls(piano)[index]
    counts = (Progetto.objects.count(), LineaPNRR.objects.count(), ServizioAssociato.objects.count())
    assert client.get(url).status_code == status, url
    assert client.post(url, {"titolo": "x", "nome": "x", "codice": "9"}).status_code == status, url
    assert counts == (Progetto.objects.count(), LineaPNRR.objects.count(), ServizioAssociato.objects.count())


@pytest.mark.parametrize("index", EDIT_URL_INDEXES)
def test_locked_plan_refuses_with_the_interventions_message(client_for, udp_user, piano, index):
    approva(piano)
    client = client_for(udp_user)
    url = edit_urls(piano)[index]
    response = client.get(url)
    assert response.status_code == 403, url
    assert LOCKED_MESSAGE in response.content.decode()
    assert client.post(url, {"titolo": "x"}).status_code == 403
    page = client.get(reverse("planning:piano_progetti", args=[piano.slug])).content.decode()
    assert "/modifica/" not in page
    assert 'data-testid="nuovo"' not in page


def test_locked_plan_keeps_rows_on_delete(client_for, udp_user, piano):
    approva(piano)
    progetto = piano.progetti.first()
    assert client_for(udp_user).post(reverse("planning:progetto_delete", args=[progetto.pk])).status_code == 403
    assert Progetto.objects.filter(pk=progetto.pk).exists()


def test_variazione_allows_edits_and_records_the_reason(client_for, udp_user, piano):
    approva(piano)
    variazione_open(piano=piano, user=udp_user, motivazione="Nuovo progetto finanziato")
    client = client_for(udp_user)
    assert client.post(reverse("planning:progetto_create", args=[piano.slug]), progetto_post(piano)).status_code == 302
    record = Progetto.objects.get(piano=piano, titolo="Progetto di prova").history.get()
    assert record.history_user == udp_user
    assert "Nuovo progetto finanziato" in record.history_change_reason
