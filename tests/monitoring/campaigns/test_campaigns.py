"""Campaigns: opening one creates the expected schede, milestones, completeness and timeliness (DHIS2's rates),
the calendar, and the pages' scoping."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs import runner
from jobs.models import Job
from monitoring.campaigns.selectors import campagna_rows, completeness
from monitoring.campaigns.services import CampagnaError, campagna_crea_schede
from monitoring.models import Scheda, TipoScadenza
from territory.selectors import ambito_comuni
from tests.html_forms import page_forms

from .helpers import at, open_campaign, set_states

pytestmark = pytest.mark.django_db


def test_opening_creates_the_expected_schede_and_the_milestones(magentino, udp_user):
    before = Scheda.objects.filter(modello__codice="SOC26", comune__ambito=magentino).count()
    campagna = open_campaign(magentino, udp_user, "SOC26", copia_anno_precedente=False)
    comuni = set(ambito_comuni(magentino).values_list("pk", flat=True))
    assert set(campagna.comuni.values_list("pk", flat=True)) == comuni
    assert len(comuni) == 13
    schede = Scheda.objects.filter(modello__codice="SOC26", comune__in=comuni)
    assert schede.count() == 13
    assert before < 13
    assert set(schede.values_list("stato", flat=True)) <= {"bozza", "validata", "inviata"}
    dates = {s.tipo: s.data for s in campagna.scadenze.all()}
    assert dates == {
        TipoScadenza.APPROVAZIONE: datetime.date(2026, 4, 30),
        TipoScadenza.INVIO: datetime.date(2026, 5, 31),
    }
    assert campagna.history.count() == 1


def test_opening_twice_or_for_comuni_already_expected_is_refused(magentino, udp_user, oglio_po, udp_oglio):
    open_campaign(magentino, udp_user)
    with pytest.raises(CampagnaError, match="già aperta"):
        open_campaign(magentino, udp_user)


def test_opening_needs_the_ufficio_di_piano_of_the_ambito(magentino, dirigente_user, udp_oglio):
    for user in (dirigente_user, udp_oglio):
        with pytest.raises(PermissionDenied):
            open_campaign(magentino, user)


def test_comuni_of_another_ambito_are_refused(magentino, udp_user, reggio):
    with pytest.raises(CampagnaError, match="Reggio nell'Emilia"):
        open_campaign(magentino, udp_user, comuni=[reggio])


def test_rates_match_a_hand_computed_example(magentino, udp_user):
    """13 expected, 9 sent of which 7 on time: reporting rate 9/13 = 69,2%, on-time rate 7/13 = 53,8%."""
    campagna = open_campaign(magentino, udp_user, copia_anno_precedente=False)
    comuni = list(campagna.comuni.order_by("nome"))
    set_states(campagna, "bozza", comuni)
    deadline = datetime.date(2026, 5, 31)
    set_states(campagna, "inviata", comuni[:5], at(deadline))  # on the day: on time
    set_states(campagna, "validata", comuni[5:7], at(deadline - datetime.timedelta(days=20)))
    set_states(campagna, "inviata", comuni[7:9], at(deadline + datetime.timedelta(days=1)))  # late
    set_states(campagna, "rimandata", comuni[9:10], at(deadline - datetime.timedelta(days=3)))  # sent back: not sent
    figures = completeness(campagna_rows(campagna), oggi=datetime.date(2026, 6, 10))
    assert (figures.attese, figures.inviate, figures.in_tempo, figures.validate) == (13, 9, 7, 2)
    assert figures.tasso_invio == Decimal("69.2")
    assert figures.tasso_puntualita == Decimal("53.8")
    late = {r.comune.nome for r in figures.in_ritardo}
    assert late == {c.nome for c in comuni[7:]}  # 2 sent late and 4 not sent
    early = completeness(campagna_rows(campagna), oggi=datetime.date(2026, 5, 1))
    assert early.in_ritardo == []  # before the deadline nobody is late


def test_campaign_page_shows_rates_and_comuni(client_for, magentino, udp_user, django_assert_max_num_queries):
    campagna = open_campaign(magentino, udp_user, copia_anno_precedente=False)
    comuni = list(campagna.comuni.order_by("nome"))
    set_states(campagna, "bozza", comuni)
    set_states(campagna, "inviata", comuni[:9], at(datetime.date(2026, 5, 2)))
    client = client_for(udp_user)
    with django_assert_max_num_queries(25):
        page = client.get(campagna.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "69,2" in html
    assert "Schede attese" in html
    assert "30/04/2026" in html
    assert "31/05/2026" in html
    for comune in comuni:
        assert comune.nome in html


def test_campaign_page_queries_do_not_grow_with_the_comuni(client_for, oglio_po, udp_oglio, magentino, udp_user):
    small = open_campaign(magentino, udp_user, copia_anno_precedente=False, comuni=list(ambito_comuni(magentino)[:3]))
    large = open_campaign(oglio_po, udp_oglio, copia_anno_precedente=False)
    assert large.comuni.count() == 27
    counts = []
    for campagna, user in ((small, udp_user), (large, udp_oglio)):
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(campagna.get_absolute_url()).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_pages_are_scoped(client, magentino, udp_user, udp_oglio, operatore_user):
    campagna = open_campaign(magentino, udp_user)
    urls = [
        campagna.get_absolute_url(),
        reverse("monitoring:campagne", args=[magentino.slug]),
        reverse("monitoring:calendario", args=[magentino.slug]),
        reverse("monitoring:campagna_open", args=[magentino.slug]),
    ]
    for user in (udp_oglio, operatore_user):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(udp_user)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_open_through_the_page(client_for, magentino, udp_user):
    client = client_for(udp_user)
    url = reverse("monitoring:campagna_open", args=[magentino.slug])
    page = client.get(url)
    assert "Apri la campagna" in page.content.decode()
    comuni = list(ambito_comuni(magentino).values_list("pk", flat=True))
    modello = page.context["form"].fields["modello"].queryset.get(codice="SOC26")
    data = {
        "modello": modello.pk,
        "comuni": comuni[:4],
        "copia_anno_precedente": "",
        "data_approvazione": "2026-04-30",
        "data_invio": "2026-05-29",
        "promemoria_giorni": "7, 30,0",
    }
    response = client.post(url, data)
    campagna = magentino.campagne.get(modello=modello)
    assert response.status_code == 302
    assert response["Location"] == campagna.get_absolute_url()
    assert campagna.comuni.count() == 4
    assert campagna.promemoria_giorni == "30,7,0"
    assert campagna.scadenze.get(tipo="invio").data == datetime.date(2026, 5, 29)
    bad = client.post(url, {**data, "modello": modello.pk, "promemoria_giorni": "trenta"})
    assert bad.status_code == 200  # SOC26 is no longer offered: the form names the field
    assert "modello" in bad.context["form"].errors


def test_opening_for_more_comuni_than_the_request_takes_creates_the_schede_in_a_job(
    client_for, settings, magentino, udp_user
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.CAMPAGNA_SCHEDE_IN_RICHIESTA = 3
    client = client_for(udp_user)
    url = reverse("monitoring:campagna_open", args=[magentino.slug])
    modello = client.get(url).context["form"].fields["modello"].queryset.get(codice="SOC26")
    comuni = list(ambito_comuni(magentino).order_by("nome").values_list("pk", flat=True))
    before = Scheda.objects.filter(modello=modello, comune__in=comuni).count()
    data = {"modello": modello.pk, "comuni": comuni, "data_approvazione": "2026-04-30", "data_invio": "2026-05-31"}
    response = client.post(url, {**data, "promemoria_giorni": "30,7,0"})
    job = Job.objects.get(kind="campagna-schede")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert Scheda.objects.filter(modello=modello, comune__in=comuni).count() == before  # none in the request
    campagna = magentino.campagne.get(modello=modello)
    assert job.back_url == campagna.get_absolute_url()
    assert runner.execute(job.pk, 1)
    job.refresh_from_db()
    assert (job.stato, job.esito, job.passo, job.passi) == (
        Job.Stato.PRONTO,
        f"{13 - before} schede create",
        13 - before,
        13 - before,
    )
    assert Scheda.objects.filter(modello=modello, comune__in=comuni).count() == 13
    assert {s.modificata_da for s in Scheda.objects.filter(modello=modello, comune__in=comuni)} >= {udp_user}
    assert campagna_crea_schede(campagna=campagna, user=udp_user) == 0  # run again (a restarted worker): no twice
    assert Scheda.objects.filter(modello=modello, comune__in=comuni).count() == 13


def test_bad_reminder_offsets_are_refused_with_a_message(client_for, magentino, udp_user):
    client = client_for(udp_user)
    url = reverse("monitoring:campagna_open", args=[magentino.slug])
    modello = client.get(url).context["form"].fields["modello"].queryset.get(codice="NID26")
    comuni = list(ambito_comuni(magentino).values_list("pk", flat=True))
    data = {"modello": modello.pk, "comuni": comuni, "data_approvazione": "2026-04-30", "data_invio": "2026-05-31"}
    page = client.post(url, {**data, "promemoria_giorni": "30, sette"})
    assert page.status_code == 200
    assert "Promemoria: indicare i giorni" in page.content.decode()
    assert not magentino.campagne.exists()


def test_milestones_show_on_the_scheda_page_and_the_overview(client_for, magentino, udp_user, operatore_user):
    open_campaign(magentino, udp_user)
    scheda = Scheda.objects.get(modello__codice="NID26", comune_id="015130")
    html = client_for(operatore_user).get(scheda.get_absolute_url()).content.decode()
    assert "Invio a SOSE" in html
    assert "31/05/2026" in html
    assert "Approvazione con il rendiconto" in html
    quadro = client_for(operatore_user).get(reverse("monitoring:quadro", args=[scheda.pk, 1])).content.decode()
    assert "31/05/2026" in quadro
    assert "30/04/2026" in quadro
    overview = client_for(udp_user).get(reverse("monitoring:overview", args=[magentino.slug])).content.decode()
    assert "Campagna NID26 2025" in overview
    assert "30/04/2026" in overview


def test_milestones_are_edited_and_added(client_for, magentino, udp_user, dirigente_user):
    campagna = open_campaign(magentino, udp_user)
    invio = campagna.scadenze.get(tipo="invio")
    client = client_for(udp_user)
    url = reverse("monitoring:scadenza_save", args=[campagna.pk])
    client.post(url, {"scadenza": invio.pk, "tipo": "invio", "data": "2026-05-25"})
    client.post(url, {"tipo": "altra", "titolo": "Controllo interno dell'Ufficio di Piano", "data": "2026-05-10"})
    assert campagna.scadenze.get(tipo="invio").data == datetime.date(2026, 5, 25)
    assert campagna.scadenze.filter(tipo="altra").count() == 1
    page = client.post(url, {"tipo": "invio", "data": "2026-05-20"}, follow=True)
    assert "ha già la scadenza" in page.content.decode()
    client.force_login(dirigente_user)
    assert client.post(url, {"tipo": "altra", "titolo": "x", "data": "2026-05-10"}).status_code == 403


def milestone_form(client, campagna, scadenza) -> dict[str, str]:
    """The form changing `scadenza` on the campaign's page, as the browser would post it."""
    html = client.get(campagna.get_absolute_url()).content.decode()
    action = reverse("monitoring:scadenza_save", args=[campagna.pk])
    return next(
        dict(f["fields"])
        for f in page_forms(html)
        if f["action"] == action and f["fields"].get("scadenza") == str(scadenza.pk)
    )


def test_a_milestone_date_changed_meanwhile_is_not_overwritten_by_a_stale_page(magentino, udp_user, two_udp):
    campagna = open_campaign(magentino, udp_user)
    invio = campagna.scadenze.get(tipo="invio")  # 31/05/2026
    a, b = two_udp
    url = reverse("monitoring:scadenza_save", args=[campagna.pk])
    page_a, page_b = milestone_form(a, campagna, invio), milestone_form(b, campagna, invio)
    page_a["data"] = "2026-06-10"
    assert a.post(url, page_a).status_code == 302
    page_b["data"] = "2026-06-20"  # B's page still shows 31/05/2026
    response = b.post(url, page_b)
    assert response.status_code == 302
    invio.refresh_from_db()
    assert invio.data == datetime.date(2026, 6, 10)
    [flash] = [str(m) for m in get_messages(response.wsgi_request)]
    assert flash == (
        "La scadenza «Invio a SOSE» è stata modificata da un altro utente mentre lei lavorava: ora è il 10/06/2026. "
        "Nulla è stato salvato: se la data deve cambiare, la indichi di nuovo."
    )
    page_b = milestone_form(b, campagna, invio)  # reloaded: the current date, saved when set again
    page_b["data"] = "2026-06-20"
    assert b.post(url, page_b).status_code == 302
    invio.refresh_from_db()
    assert invio.data == datetime.date(2026, 6, 20)


def test_a_stale_page_that_leaves_the_date_keeps_the_colleague_s(magentino, udp_user, two_udp):
    campagna = open_campaign(magentino, udp_user)
    invio = campagna.scadenze.get(tipo="invio")
    a, b = two_udp
    url = reverse("monitoring:scadenza_save", args=[campagna.pk])
    page_a, page_b = milestone_form(a, campagna, invio), milestone_form(b, campagna, invio)
    page_a["data"] = "2026-06-10"
    assert a.post(url, page_a).status_code == 302
    assert b.post(url, page_b).status_code == 302  # B saves the date its page shows, unchanged
    invio.refresh_from_db()
    assert invio.data == datetime.date(2026, 6, 10)


def test_calendar_lists_milestones_and_downloads_ics(client_for, magentino, udp_user):
    open_campaign(magentino, udp_user)
    open_campaign(magentino, udp_user, "SOC26")
    client = client_for(udp_user)
    url = reverse("monitoring:calendario", args=[magentino.slug])
    html = client.get(url).content.decode()
    assert html.count("Invio a SOSE") == 2
    assert "Maggio 2026" in html
    ics = client.get(url, {"formato": "ics"})
    text = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    assert text.count("UID:scadenza-") == 4  # the campaigns' milestones (the plan's budget deadlines are also there)
    assert "DTSTART;VALUE=DATE:20260531" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
