"""What the budget pages show and do: totals, allocations and lines in Italian numbers, the services' refusals on
the field with their figures, a commitment that changes the fund's figures on the budget page, the shares, the
quotas at risk, the intervention's budget lines; a number of queries that does not grow with the lines."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planning.bilancio import services
from planning.models import Assegnazione, Fondo, Movimento, QuotaComune, RegolaQuote, RigaBilancio

from .conftest import assegna, riga, righe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_budget")]


def row_of(page: str, testid: str) -> str:
    """The HTML of the table row with data-testid `testid`."""
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</tr>", start)]


def test_budget_page_shows_totals_allocations_and_lines(client_for, udp_user, piano, fnps, riga_fnps, intervento):
    residui = assegna(piano, "FNA", 2024, "5000.00", atto="DGR XI/9999")
    riga(piano, residui, intervento, "1234.56", anno=2026)
    page = client_for(udp_user).get(reverse("planning:bilancio", args=[piano.slug])).content.decode()
    assert "Bilancio del piano" in page
    assert "<caption>Programmato per area e anno (€)</caption>" in page
    assert "<caption>Programmato per fondo e anno (€)</caption>" in page
    assert '<th scope="row">Totale</th>' in page
    assert "31.234,56" in page  # both funds, both years
    fnps_row = row_of(page, "assegnazione-FNPS-2025")
    assert "100.000,00" in fnps_row
    assert "30.000,00" in fnps_row
    assert "70.000,00" in fnps_row
    assert "DGR XII/1234" in fnps_row
    assert "31/12/2026" in fnps_row
    assert "residui" in row_of(page, "assegnazione-FNA-2024")
    assert "residui" not in fnps_row
    assert reverse("planning:riga_bilancio", args=[riga_fnps.pk]) in page
    assert intervento.titolo in page
    assert reverse("planning:assegnazione_create", args=[piano.slug]) in page
    assert reverse("planning:riga_bilancio_create", args=[piano.slug]) in page


def test_allocation_form_accepts_italian_amounts_and_dates(client_for, udp_user, piano):
    url = reverse("planning:assegnazione_create", args=[piano.slug])
    data = {
        "fondo": Fondo.objects.get(codice="FSR").pk,
        "anno": "2025",
        "importo": "1.234.567,89",
        "atto": "DGR XII/42",
        "data_atto": "15/01/2025",
        "scadenza_spesa": "31/12/2025",
        "aree": [piano.aree.order_by("codice").first().pk],
    }
    response = client_for(udp_user).post(url, data)
    assert response.status_code == 302
    saved = Assegnazione.objects.get(piano=piano, fondo__codice="FSR")
    assert saved.importo == Decimal("1234567.89")
    assert saved.data_atto == datetime.date(2025, 1, 15)
    assert list(saved.aree.values_list("codice", flat=True)) == [piano.aree.order_by("codice").first().codice]
    response = client_for(udp_user).post(
        url, {**data, "fondo": Fondo.objects.get(codice="FNA").pk, "importo": "1234,5"}
    )
    assert Assegnazione.objects.get(piano=piano, fondo__codice="FNA").importo == Decimal("1234.50")


def test_allocation_below_its_lines_is_refused_on_the_field(client_for, udp_user, piano, fnps, riga_fnps):
    url = reverse("planning:assegnazione_update", args=[fnps.pk])
    response = client_for(udp_user).post(url, {"fondo": fnps.fondo_id, "anno": "2025", "importo": "10.000,00"})
    assert response.status_code == 200
    errors = response.context["form"].errors["importo"]
    assert "30.000,00 €" in errors[0]
    assert "10.000,00 €" in errors[0]
    assert "30.000,00 €" in response.content.decode()
    fnps.refresh_from_db()
    assert fnps.importo == 100000


def test_line_over_the_fund_shows_the_figures_and_saves_nothing(client_for, udp_user, piano, fnps, riga_fnps):
    other = piano.interventi.exclude(pk=riga_fnps.intervento_id).first()
    url = reverse("planning:riga_bilancio_create", args=[piano.slug])
    data = {"intervento": other.pk, "assegnazione": fnps.pk, "anno": "2025", "importo": "80.000,00"}
    response = client_for(udp_user).post(url, data)
    assert response.status_code == 200
    message = response.context["form"].errors["importo"][0]
    for figure in ("100.000,00 €", "30.000,00 €", "70.000,00 €", "80.000,00 €", "10.000,00 €"):
        assert figure in message, figure
    page = response.content.decode()
    assert "supera la disponibilità di 10.000,00 €" in page
    assert RigaBilancio.objects.filter(piano=piano).count() == 1


def test_line_form_offers_only_the_plan_s_interventions_and_allocations(client_for, udp_user, piano, piano_oglio):
    mine = assegna(piano, "FNPS", 2025, "1000.00")
    theirs = assegna(piano_oglio, "FNPS", 2021, "1000.00")
    form = client_for(udp_user).get(reverse("planning:riga_bilancio_create", args=[piano.slug])).context["form"]
    assert list(form.fields["assegnazione"].queryset) == [mine]
    assert theirs not in form.fields["assegnazione"].queryset
    assert set(form.fields["intervento"].queryset) == set(piano.interventi.all())
    stranger = piano_oglio.interventi.first()
    data = {"intervento": stranger.pk, "assegnazione": theirs.pk, "anno": "2025", "importo": "10"}
    response = client_for(udp_user).post(reverse("planning:riga_bilancio_create", args=[piano.slug]), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"intervento", "assegnazione"}
    assert not RigaBilancio.objects.exists()


def test_a_commitment_changes_the_fund_s_figures_on_the_budget_page(client_for, udp_user, piano, fnps, riga_fnps):
    client = client_for(udp_user)
    budget = reverse("planning:bilancio", args=[piano.slug])
    before = row_of(client.get(budget).content.decode(), "assegnazione-FNPS-2025")
    assert '<td class="text-end" data-testid="impegnato">0,00</td>' in before
    url = reverse("planning:riga_bilancio", args=[riga_fnps.pk])
    data = {
        "tipo": "impegno",
        "natura": "nuovo",
        "data": "15/03/2025",
        "atto": "Determina n. 12/2025",
        "importo": "12.345,67",
    }
    assert client.post(url, data).status_code == 302
    after = row_of(client.get(budget).content.decode(), "assegnazione-FNPS-2025")
    assert '<td class="text-end" data-testid="impegnato">12.345,67</td>' in after
    line = client.get(url).content.decode()
    assert "15/03/2025" in line
    assert "Determina n. 12/2025" in line
    assert "12.345,67" in line
    assert "Nuovo importo" in line
    assert udp_user.username in line


def test_a_commitment_over_the_line_is_refused_with_the_figures(client_for, udp_user, piano, fnps, riga_fnps):
    url = reverse("planning:riga_bilancio", args=[riga_fnps.pk])
    data = {"tipo": "impegno", "natura": "nuovo", "data": "15/03/2025", "atto": "Det. 1", "importo": "30.000,01"}
    response = client_for(udp_user).post(url, data)
    assert response.status_code == 200
    assert "30.000,01 €" in response.context["form"].errors["importo"][0]
    assert "30.000,00 €" in response.context["form"].errors["importo"][0]
    assert not Movimento.objects.exists()
    bad_date = client_for(udp_user).post(url, {**data, "importo": "10", "data": "2025-13-45"})
    assert "gg/mm/aaaa" in bad_date.context["form"].errors["data"][0]


def test_co_financing_rule_writes_the_shares(client_for, udp_user, piano, magentino):
    url = reverse("planning:quote_comuni", args=[piano.slug])
    client = client_for(udp_user)
    response = client.post(url, {"metodo": "quota_fissa", "importo_annuo": "13.000,00"})
    assert response.status_code == 302
    n_comuni = QuotaComune.objects.filter(piano=piano, anno=2025).count()
    assert n_comuni >= 2
    assert QuotaComune.objects.filter(piano=piano).count() == 3 * n_comuni
    page = client.get(url).content.decode()
    assert "39.000,00" in page  # the three years
    assert "Magenta" in page
    assert reverse("planning:quota_comune", args=[piano.slug, "015130"]) in page
    missing_year = client.post(url, {"metodo": "per_abitante", "importo_annuo": "100"})
    assert "anno_popolazione" in missing_year.context["form"].errors


def test_a_comune_s_page_records_a_payment(client_for, udp_user, operatore_user, piano):
    RegolaQuote.objects.create(piano=piano, metodo="quota_fissa", importo_annuo=Decimal("13000.00"))
    services.quote_ricalcola(piano=piano)
    quota = QuotaComune.objects.get(piano=piano, comune_id="015130", anno=2025)
    url = reverse("planning:quota_comune", args=[piano.slug, "015130"])
    data = {"quota": quota.pk, "data": "01/02/2025", "importo": "100,50", "atto": "Reversale 3"}
    assert client_for(udp_user).post(url, data).status_code == 302
    too_much = client_for(udp_user).post(url, {**data, "importo": "99.999,00"})
    assert "Magenta 2025" in too_much.context["form"].errors["importo"][0]
    page = client_for(operatore_user).get(url).content.decode()
    assert "01/02/2025: 100,50 €" in page
    assert "Reversale 3" in page


def test_quotas_at_risk_lists_the_lines_near_their_deadline(client_for, dirigente_user, piano, intervento):
    oggi = timezone.localdate()
    vicino = assegna(piano, "FP", 2025, "5000.00", scadenza_spesa=oggi + datetime.timedelta(days=30))
    lontano = assegna(piano, "FSR", 2025, "5000.00", scadenza_spesa=oggi + datetime.timedelta(days=400))
    r = riga(piano, vicino, intervento, "4000.00")
    riga(piano, lontano, intervento, "4000.00")
    services.movimento_add(riga=r, tipo="impegno", natura="nuovo", data=oggi, atto="Det. 5", importo=Decimal("1500.00"))
    page = client_for(dirigente_user).get(reverse("planning:bilancio_rischio", args=[piano.slug])).content.decode()
    table = page[page.index('data-testid="rischio"') :]
    assert (oggi + datetime.timedelta(days=30)).strftime("%d/%m/%Y") in table
    assert '<td class="text-end">30</td>' in table
    assert "2.500,00" in table
    assert "1.500,00" in table
    assert "4.000,00" in table
    assert "Fondo Sociale Regionale" not in table


def test_intervention_page_shows_its_budget_lines(client_for, dirigente_user, piano, fnps, riga_fnps, intervento):
    fna = assegna(piano, "FNA", 2025, "9000.00")
    riga(piano, fna, intervento, "1.50", anno=2026)
    page = client_for(dirigente_user).get(intervento.get_absolute_url()).content.decode()
    section = page[page.index("Risorse economiche preventivate") :]
    assert "Fondo Nazionale Politiche Sociali" in section
    assert "Fondo Non Autosufficienze" in section
    assert "30.001,50" in section  # the total


def test_plan_page_links_the_budget_pages(client_for, dirigente_user, piano):
    page = client_for(dirigente_user).get(piano.get_absolute_url()).content.decode()
    for name in ("bilancio", "quote_comuni", "bilancio_rischio"):
        assert reverse(f"planning:{name}", args=[piano.slug]) in page, name


# --- Queries do not grow with the lines ------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name", ["bilancio", "bilancio_rischio", "intervento_detail", "riga_bilancio", "quote_comuni", "quota_comune"]
)
def test_queries_do_not_grow_with_the_lines(client_for, udp_user, piano, django_assert_max_num_queries, name):
    oggi = timezone.localdate()
    fondo = assegna(piano, "FNPS", 2025, "100000.00", scadenza_spesa=oggi + datetime.timedelta(days=10))
    RegolaQuote.objects.create(piano=piano, metodo="quota_fissa", importo_annuo=Decimal("13000.00"))
    services.quote_ricalcola(piano=piano)
    first = righe(piano, fondo, 2)
    quota = QuotaComune.objects.get(piano=piano, comune_id="015130", anno=2025)

    def add_moves(n):
        for i in range(n):
            services.movimento_add(
                riga=first[0], tipo="impegno", natura="nuovo", data=oggi, atto=f"D{i}", importo=Decimal(1)
            )
            services.versamento_add(quota=quota, data=oggi, importo=Decimal(1))

    add_moves(2)
    url = {
        "bilancio": reverse("planning:bilancio", args=[piano.slug]),
        "bilancio_rischio": reverse("planning:bilancio_rischio", args=[piano.slug]),
        "intervento_detail": first[0].intervento.get_absolute_url(),
        "riga_bilancio": reverse("planning:riga_bilancio", args=[first[0].pk]),
        "quote_comuni": reverse("planning:quote_comuni", args=[piano.slug]),
        "quota_comune": reverse("planning:quota_comune", args=[piano.slug, "015130"]),
    }[name]
    client = client_for(udp_user)
    n = _queries(client, url)
    # 10 lines (8 more on other interventions, and a second line on the first intervention), more movements
    for intervento in piano.interventi.exclude(pk__in=[r.intervento_id for r in first]).order_by("pk")[:7]:
        riga(piano, fondo, intervento, "10.00")
    second = assegna(piano, "FNA", 2025, "1000.00", scadenza_spesa=oggi + datetime.timedelta(days=20))
    riga(piano, second, first[0].intervento, "10.00")
    assert RigaBilancio.objects.filter(piano=piano).count() == 10
    add_moves(8)
    with django_assert_max_num_queries(n):
        assert client.get(url).status_code == 200


def test_a_second_allocation_of_the_same_fund_and_year_is_refused(client_for, udp_user, piano, fnps):
    url = reverse("planning:assegnazione_create", args=[piano.slug])
    response = client_for(udp_user).post(url, {"fondo": fnps.fondo_id, "anno": "2025", "importo": "1,00"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Assegnazione.objects.filter(piano=piano).count() == 1


def test_a_line_in_an_area_the_fund_cannot_pay_is_refused_on_the_intervention(client_for, udp_user, piano):
    area, other_area = piano.aree.order_by("codice")[:2]
    fondo = assegna(piano, "FDN", 2025, "1000.00")
    fondo.aree.set([area])
    intervento = piano.interventi.filter(obiettivo__area=other_area).first()
    url = reverse("planning:riga_bilancio_create", args=[piano.slug])
    data = {"intervento": intervento.pk, "assegnazione": fondo.pk, "anno": "2025", "importo": "10,00"}
    response = client_for(udp_user).post(url, data)
    assert f"«{other_area}»" in response.context["form"].errors["intervento"][0]
    assert not RigaBilancio.objects.exists()
