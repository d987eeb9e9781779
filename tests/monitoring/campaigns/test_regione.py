"""The regional side of the campaigns (issue 13, points 3 and 5): completeness and timeliness counted in SQL equal
to the per-row computation (local-time deadline), the regional page of a Regione user (its Ambiti only, «da
approvare» first, totals), its exports and the campaign's Comuni export, the menu and the home page, and a number
of queries that does not grow with the Ambiti."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Assegnazione, Ruolo
from monitoring.campaigns.regione import completeness_counts, on_time_limit, total
from monitoring.campaigns.selectors import Completeness, campagna_rows, completeness
from monitoring.campaigns.services import campagna_transition
from monitoring.models import Campagna, Scadenza, Scheda
from territory.models import Ambito, Comune, Regione
from tests.factories import user_with_role
from tests.page_crawl import page_nav

from .helpers import open_campaign, set_states

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2026, 5, 31)  # NID26's sending deadline (the «invio» milestone by default)
AFTER = datetime.date(2026, 6, 30)
BEFORE = datetime.date(2026, 5, 1)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def comuni_of(campagna):
    return list(campagna.comuni.order_by("nome"))


@pytest.fixture
def mixed(admin_user, magentino):
    """Three Lombardia campaigns of NID26 with a mix of states and sending times:
    Magentino (13 Comuni): 3 validated early, one sent on the deadline day at 23:30 (on time), one at 00:30 the day
    after (late), one sent without a sending date, one sent back, one without its scheda, the rest in Bozza;
    Viadanese: sending deadline moved to 15/05, 2 sent on 20/05 (late), 1 validated on 10/05;
    Casalasco: no «invio» milestone, 2 sent (on time: no deadline), 1 sent without a date."""
    magentino_c = open_campaign(magentino, admin_user, copia_anno_precedente=False)
    m = comuni_of(magentino_c)
    set_states(magentino_c, "validata", m[0:3], local(datetime.date(2026, 4, 20), 10))
    set_states(magentino_c, "inviata", m[3:4], local(DEADLINE, 23, 30))
    set_states(magentino_c, "inviata", m[4:5], local(DEADLINE + datetime.timedelta(days=1), 0, 30))
    set_states(magentino_c, "inviata", m[5:6], None)
    set_states(magentino_c, "rimandata", m[6:7], local(datetime.date(2026, 5, 2), 9))
    Scheda.objects.filter(modello=magentino_c.modello, comune=m[7]).delete()

    viadanese = open_campaign(Ambito.objects.get(slug="viadanese"), admin_user, copia_anno_precedente=False)
    Scadenza.objects.filter(campagna=viadanese, tipo="invio").update(data=datetime.date(2026, 5, 15))
    v = comuni_of(viadanese)
    set_states(viadanese, "inviata", v[0:2], local(datetime.date(2026, 5, 20), 11))
    set_states(viadanese, "validata", v[2:3], local(datetime.date(2026, 5, 10), 11))

    casalasco = open_campaign(Ambito.objects.get(slug="casalasco"), admin_user, copia_anno_precedente=False)
    Scadenza.objects.filter(campagna=casalasco, tipo="invio").delete()
    c = comuni_of(casalasco)
    set_states(casalasco, "inviata", c[0:2], local(datetime.date(2026, 9, 1), 8))
    set_states(casalasco, "inviata", c[2:3], None)
    return magentino_c, viadanese, casalasco


def loaded(*campagne):
    return list(Campagna.objects.filter(pk__in=[c.pk for c in campagne]).prefetch_related("scadenze"))


def figures(c):
    return (c.attese, c.inviate, c.in_tempo, c.validate, c.n_in_ritardo, c.tasso_invio, c.tasso_puntualita)


# --- Completeness in SQL -------------------------------------------------------------------------------------


def test_on_time_limit_is_the_start_of_the_next_local_day():
    limit = on_time_limit(DEADLINE)
    assert limit == local(datetime.date(2026, 6, 1), 0)
    assert limit.astimezone(datetime.UTC) == datetime.datetime(2026, 5, 31, 22, 0, tzinfo=datetime.UTC)  # CEST


@pytest.mark.parametrize("oggi", [BEFORE, AFTER])
def test_sql_counts_equal_the_per_row_computation(mixed, oggi, django_assert_max_num_queries):
    campagne = loaded(*mixed)
    with django_assert_max_num_queries(1):
        counts = completeness_counts(campagne, oggi)
    for campagna in campagne:
        by_row = completeness(campagna_rows(campagna), oggi)
        assert figures(counts[campagna.pk]) == figures(by_row), campagna.ambito.nome


def test_sql_counts_of_the_mixed_example(mixed):
    magentino_c, viadanese, casalasco = mixed
    counts = completeness_counts(loaded(*mixed), AFTER)
    # 23:30 on the deadline day is on time, 00:30 the day after is late, a sent scheda without a date is late
    assert figures(counts[magentino_c.pk]) == (13, 6, 4, 3, 9, Decimal("46.2"), Decimal("30.8"))
    assert figures(counts[viadanese.pk]) == (10, 3, 1, 1, 9, Decimal("30.0"), Decimal("10.0"))
    casalasco_n = casalasco.comuni.count()
    assert figures(counts[casalasco.pk])[:5] == (casalasco_n, 3, 2, 0, 0)
    late = [r.comune.nome for r in completeness(campagna_rows(magentino_c), AFTER).in_ritardo]
    assert comuni_of(magentino_c)[4].nome in late
    assert comuni_of(magentino_c)[3].nome not in late
    summed = total(list(counts.values()))
    assert (summed.attese, summed.inviate, summed.in_tempo) == (23 + casalasco_n, 12, 7)
    assert summed.tasso_invio == Completeness.rate(12, 23 + casalasco_n)  # the rate of the sums


def test_no_campaign_no_query(django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert completeness_counts([]) == {}


# --- The regional page ---------------------------------------------------------------------------------------


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("monitoring:regione"), params)


def test_lombardia_sees_its_ambiti_da_approvare_first(client, mixed, regione_user, admin_user):
    _magentino_c, viadanese, casalasco = mixed
    set_states(viadanese, "validata", viadanese.comuni.all(), local(datetime.date(2026, 5, 10), 9))
    campagna_transition(campagna=viadanese, user=admin_user, action="presenta")
    response = page(client, regione_user)
    assert response.status_code == 200
    names = [r.ambito.nome for r in response.context["rows"]]
    assert names == ["Sub-ambito Viadanese", "Ambito del Magentino", "Sub-ambito Casalasco", "Ambito Oglio Po"]
    assert "Distretto di Reggio Emilia" not in response.content.decode()
    html = response.content.decode()
    assert "da approvare</span>" in html
    assert "campagna non aperta" in html
    assert reverse("monitoring:campagna_detail", args=[viadanese.pk]) in html
    totale = response.context["totale"]
    assert (totale.attese, totale.inviate) == (23 + casalasco.comuni.count(), 6 + 10 + 3)


def test_emilia_sees_reggio_only(client, regione_emilia, admin_user):
    open_campaign(Ambito.objects.get(slug="reggio-emilia"), admin_user, copia_anno_precedente=False)
    response = page(client, regione_emilia)
    assert [r.ambito.nome for r in response.context["rows"]] == ["Distretto di Reggio Emilia"]
    assert response.context["rows"][0].campagna is not None
    assert "Magentino" not in response.content.decode()


def test_other_roles_and_other_regioni_get_404(client, udp_user, operatore_user, dirigente_user, regione_user):
    for user in (udp_user, operatore_user, dirigente_user):
        assert page(client, user).status_code == 404, user.username
    emilia = Regione.objects.get(nome="Emilia-Romagna").codice
    assert page(client, regione_user, regione=emilia).status_code == 404
    assert page(client, regione_user, regione=emilia, _export="csv").status_code == 404


def test_the_amministratore_chooses_the_regione(client, admin_user):
    emilia = Regione.objects.get(nome="Emilia-Romagna")
    response = page(client, admin_user)
    assert response.context["regione"].nome == "Lombardia"  # the first Regione with Ambiti in ISTAT order
    response = page(client, admin_user, regione=emilia.codice)
    assert [r.ambito.nome for r in response.context["rows"]] == ["Distretto di Reggio Emilia"]
    assert len(response.context["regioni"]) == 20


def test_a_user_of_two_regioni_gets_a_selector(client, regione_user):
    Assegnazione.objects.create(
        user=regione_user, ruolo=Ruolo.REGIONE, regione=Regione.objects.get(nome="Emilia-Romagna")
    )
    html = page(client, regione_user).content.decode()
    assert 'id="scelta-regione"' in html
    assert "Emilia-Romagna" in html


def test_filter_by_template(client, mixed, regione_user):
    response = page(client, regione_user, modello="SOC26")
    assert all(r.campagna is None for r in response.context["rows"])
    assert page(client, regione_user, modello="NOPE").status_code == 404


# --- Exports -------------------------------------------------------------------------------------------------


def parse_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_regione_exports(client, mixed, regione_user):
    rows = parse_csv(page(client, regione_user, _export="csv"))
    assert rows[0][:5] == ["Ambito", "Ambito superiore", "Campagna", "Stato", "Schede attese"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Ambito del Magentino"][2:] == ["NID26 2025", "Aperta", "13", "6", "4", "3", "9", "46,20", "30,80"]
    assert by_name["Sub-ambito Viadanese"][1] == "Ambito Oglio Po"
    assert by_name["Ambito Oglio Po"][3] == "Campagna non aperta"
    assert rows[-1][0] == "Totale"
    assert "Distretto di Reggio Emilia" not in by_name
    response = page(client, regione_user, _export="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    magentino_row = next(v for v in values if v[0] == "Ambito del Magentino")
    assert magentino_row[4:9] == (13, 6, 4, 3, 9)
    assert magentino_row[9] == pytest.approx(46.2)
    assert values[-1][0] == "Totale"
    assert page(client, regione_user, _export="pdf").status_code == 404


def test_campaign_comuni_export(client, mixed, regione_user, regione_emilia):
    magentino_c = mixed[0]
    m = comuni_of(magentino_c)
    client.force_login(regione_user)
    detail = client.get(magentino_c.get_absolute_url()).content.decode()
    url = reverse("monitoring:campagna_comuni_export", args=[magentino_c.pk]) + "?_export=csv"
    assert url in detail
    rows = parse_csv(client.get(url))
    header = "Codice ISTAT;Comune;Stato della scheda;Inviata il;Validata il;Scadenza di invio;In tempo;In ritardo"
    assert rows[0] == header.split(";")
    by_name = {r[1]: r for r in rows[1:]}
    assert len(by_name) == 13
    assert by_name[m[3].nome][2:] == ["Inviata", "31/05/2026", "", "31/05/2026", "sì", "no"]
    assert by_name[m[4].nome][2:] == ["Inviata", "01/06/2026", "", "31/05/2026", "no", "sì"]
    assert by_name[m[0].nome][2:5] == ["Validata", "20/04/2026", "20/04/2026"]
    assert by_name[m[7].nome][2] == "Non creata"
    assert by_name[m[7].nome][7] == "sì"
    export = reverse("monitoring:campagna_comuni_export", args=[magentino_c.pk])
    xlsx = client.get(export, {"_export": "xlsx"})
    values = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert values[0][0] == "Codice ISTAT"
    assert len(values) == 14
    client.force_login(regione_emilia)
    assert client.get(url).status_code == 404


# --- Menu and home -------------------------------------------------------------------------------------------


def test_menu_and_home_of_the_regione(client, mixed, regione_user, udp_user, admin_user):
    Campagna.objects.filter(pk=mixed[0].pk).update(stato="presentata")  # setup: presented to the Regione
    client.force_login(regione_user)
    html = client.get(reverse("portal:home")).content.decode()
    menu = [item.label for item in page_nav(html).menu]
    assert menu == ["Home", "Territorio", "Piano di Zona", "Performance", "Monitoraggio", "Report", "Regione"]
    assert 'data-testid="home-regioni"' in html
    assert f"{reverse('monitoring:regione')}?regione=03" in html
    row = html.split('data-testid="home-regioni"')[1].split("</table>")[0]
    assert "Lombardia" in row
    assert "<strong>1</strong>" in row
    client.force_login(udp_user)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Regione" not in [item.label for item in page_nav(html).menu]
    assert reverse("monitoring:regione") not in html


# --- Queries -------------------------------------------------------------------------------------------------


def build_ambiti(regione, n: int, start: int, user) -> None:
    """`n` Ambiti of the Regione with 3 Comuni each and their NID26 campaign, some Comuni sent."""
    for k in range(start, start + n):
        ambito = Ambito.objects.create(nome=f"Ambito prova {k:02d}", slug=f"prova-{k}", codice=f"P{k}", regione=regione)
        comuni = Comune.objects.bulk_create(
            Comune(codice_istat=f"99{k:02d}{i:02d}", nome=f"Comune {k}-{i}", ambito=ambito) for i in range(3)
        )
        campagna = open_campaign(ambito, user, copia_anno_precedente=False)
        set_states(campagna, "inviata", comuni[: k % 3], local(BEFORE, 9))
        if k % 4 == 0:
            Campagna.objects.filter(pk=campagna.pk).update(stato="presentata")


QUERIES = 11  # session, user, grants, Regioni, templates, used templates, Ambiti, campaigns, milestones, counts, menu


def test_queries_do_not_grow_with_the_ambiti(client, admin_user, django_assert_max_num_queries):
    piemonte = Regione.objects.get(nome="Piemonte")
    user = user_with_role("regione-piemonte", Ruolo.REGIONE, regione=piemonte)
    client.force_login(user)
    url = reverse("monitoring:regione")
    build_ambiti(piemonte, 2, 0, admin_user)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        response = client.get(url)
    assert len(response.context["rows"]) == 2
    build_ambiti(piemonte, 28, 2, admin_user)
    with CaptureQueriesContext(connection) as thirty:
        response = client.get(url)
    assert len(response.context["rows"]) == 30
    assert response.context["totale"].attese == 90
    assert len(thirty) == len(two), [q["sql"] for q in thirty.captured_queries]
    with django_assert_max_num_queries(QUERIES):
        client.get(url)
