"""The «importi» co-financing rule typed Comune by Comune and year (a grid saved all or nothing, Italian amounts,
errors naming Comune and year, concurrent edits merged), and deleting a budget line from the UI (confirmation,
refused with movements, Ufficio di Piano only)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from planning.bilancio import services
from planning.models import QuotaComune, RegolaQuote, RigaBilancio
from territory.selectors import ambito_comuni

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_budget")]


@pytest.fixture
def regola_importi(piano):
    return RegolaQuote.objects.create(piano=piano, metodo="importi", importo_annuo=Decimal("0"))


def grid_data(piano, page_context, **cells):
    """The grid as the browser posts it: every cell with its shown value, `cells` (name -> text) changed."""
    form = page_context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(cells)
    return data


def test_the_shares_page_links_the_importi_grid_only_with_that_rule(client_for, udp_user, piano, regola_importi):
    client = client_for(udp_user)
    url = reverse("planning:quote_importi", args=[piano.slug])
    assert url in client.get(reverse("planning:quote_comuni", args=[piano.slug])).content.decode()
    regola_importi.metodo = "quota_fissa"
    regola_importi.save()
    assert url not in client.get(reverse("planning:quote_comuni", args=[piano.slug])).content.decode()
    page = client.get(url).content.decode()
    assert 'data-testid="non-attiva"' in page
    assert "importi-form" not in page


def test_choosing_the_importi_rule_leads_to_the_grid(client_for, udp_user, piano):
    url = reverse("planning:quote_comuni", args=[piano.slug])
    response = client_for(udp_user).post(url, {"metodo": "importi", "anno_popolazione": "", "importo_annuo": "0"})
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:quote_importi", args=[piano.slug])
    assert RegolaQuote.objects.get(piano=piano).metodo == "importi"


def test_grid_saves_italian_amounts_comune_by_comune_and_year(client_for, udp_user, piano, regola_importi):
    client = client_for(udp_user)
    url = reverse("planning:quote_importi", args=[piano.slug])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    n_comuni = ambito_comuni(piano.ambito).count()
    assert page.count('type="text"') >= n_comuni * 3
    assert '<label class="visually-hidden" for="id_q_015130_2025">Magenta 2025</label>' in page
    data = grid_data(piano, response.context, q_015130_2025="1.234,56", q_015130_2026="1234,56", q_015130_2027="")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    dovuti = dict(QuotaComune.objects.filter(piano=piano, comune_id="015130").values_list("anno", "dovuto"))
    assert dovuti == {2025: Decimal("1234.56"), 2026: Decimal("1234.56")}
    assert QuotaComune.objects.filter(piano=piano).count() == 2  # empty cells are 0: no share written
    table = client.get(reverse("planning:quote_comuni", args=[piano.slug])).content.decode()
    assert "2.469,12" in table


def test_a_bad_cell_saves_nothing_and_names_comune_and_year(client_for, udp_user, piano, regola_importi):
    client = client_for(udp_user)
    url = reverse("planning:quote_importi", args=[piano.slug])
    context = client.get(url).context
    other = ambito_comuni(piano.ambito).exclude(pk="015130").order_by("nome").first()
    data = grid_data(piano, context, q_015130_2025="1.000,00", **{f"q_{other.pk}_2026": "12,3,4"})
    response = client.post(url, data)
    assert response.status_code == 200  # the page again, with the errors
    page = response.content.decode()
    comune = other.nome
    assert f"{comune}, anno 2026:" in page
    assert not QuotaComune.objects.filter(piano=piano).exists()


def test_a_share_below_what_the_comune_paid_is_refused_with_the_figures(client_for, udp_user, piano, regola_importi):
    services.quote_importi_save(piano=piano, importi={("015130", 2025): Decimal("500.00")})
    quota = QuotaComune.objects.get(piano=piano, comune_id="015130", anno=2025)
    services.versamento_add(quota=quota, data=datetime.date(2025, 3, 1), importo=Decimal("300.00"))
    client = client_for(udp_user)
    url = reverse("planning:quote_importi", args=[piano.slug])
    data = grid_data(piano, client.get(url).context, q_015130_2025="200,00", q_015130_2026="50,00")
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Magenta, anno 2025: il Comune ha già versato 300,00 €, la quota non può scendere a 200,00 €." in page
    assert dict(QuotaComune.objects.filter(piano=piano).values_list("anno", "dovuto")) == {2025: Decimal("500.00")}


def test_concurrent_edits_of_other_cells_are_merged_and_the_same_cell_is_a_conflict(
    client_for, udp_user, piano, regola_importi
):
    client = client_for(udp_user)
    url = reverse("planning:quote_importi", args=[piano.slug])
    first = client.get(url).context
    second = client.get(url).context
    assert client.post(url, grid_data(piano, first, q_015130_2025="100,00")).status_code == 302
    # the second page was loaded before: another cell is merged, the first one's value is kept
    assert client.post(url, grid_data(piano, second, q_015130_2026="200,00")).status_code == 302
    dovuti = dict(QuotaComune.objects.filter(piano=piano).values_list("anno", "dovuto"))
    assert dovuti == {2025: Decimal("100.00"), 2026: Decimal("200.00")}
    response = client.post(url, grid_data(piano, second, q_015130_2025="999,00"))
    assert response.status_code == 409
    assert "Quota di Magenta, anno 2025" in response.content.decode()
    assert QuotaComune.objects.get(piano=piano, comune_id="015130", anno=2025).dovuto == Decimal("100.00")


def test_importi_grid_permissions(client_for, dirigente_user, operatore_user, udp_oglio, piano, regola_importi):
    url = reverse("planning:quote_importi", args=[piano.slug])
    data = {"q_015130_2025": "10,00"}
    assert client_for(dirigente_user).get(url).status_code == 403
    assert client_for(dirigente_user).post(url, data).status_code == 403
    for user in (operatore_user, udp_oglio):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, data).status_code == 404
    assert not QuotaComune.objects.exists()


def test_the_service_refuses_importi_without_that_rule(piano):
    RegolaQuote.objects.create(piano=piano, metodo="quota_fissa", importo_annuo=Decimal("13000.00"))
    with pytest.raises(Exception, match="importi indicati"):
        services.quote_importi_save(piano=piano, importi={("015130", 2025): Decimal("1.00")})


# --- Deleting a budget line ---------------------------------------------------------------------------------------


def test_udp_deletes_a_line_after_confirmation(client_for, udp_user, piano, riga_fnps, fnps):
    client = client_for(udp_user)
    detail = client.get(reverse("planning:riga_bilancio", args=[riga_fnps.pk])).content.decode()
    url = reverse("planning:riga_bilancio_delete", args=[riga_fnps.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert 'id="elimina-form"' in page
    assert "30.000,00" in page
    assert RigaBilancio.objects.filter(pk=riga_fnps.pk).exists()  # GET deletes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not RigaBilancio.objects.filter(pk=riga_fnps.pk).exists()
    assert RigaBilancio.history.filter(id=riga_fnps.pk, history_type="-", history_user=udp_user).exists()


def test_a_line_with_movements_cannot_be_deleted(client_for, udp_user, piano, riga_fnps):
    services.movimento_add(
        riga=riga_fnps, tipo="impegno", natura="nuovo", data=datetime.date(2025, 3, 1), atto="Det. 1",
        importo=Decimal("10.00"),
    )  # fmt: skip
    client = client_for(udp_user)
    url = reverse("planning:riga_bilancio_delete", args=[riga_fnps.pk])
    page = client.get(url).content.decode()
    assert 'id="elimina-form"' not in page
    assert "ha 1 tra impegni e liquidazioni: non si può eliminare" in page
    response = client.post(url, follow=True)
    assert "non si può eliminare" in response.content.decode()
    assert RigaBilancio.objects.filter(pk=riga_fnps.pk).exists()


def test_delete_permissions(client_for, dirigente_user, operatore_user, udp_oglio, riga_fnps):
    url = reverse("planning:riga_bilancio_delete", args=[riga_fnps.pk])
    assert client_for(dirigente_user).get(url).status_code == 403
    assert client_for(dirigente_user).post(url).status_code == 403
    for user in (operatore_user, udp_oglio):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url).status_code == 404
    assert RigaBilancio.objects.filter(pk=riga_fnps.pk).exists()
    detail = client_for(dirigente_user).get(reverse("planning:riga_bilancio", args=[riga_fnps.pk])).content.decode()
    assert url not in detail
