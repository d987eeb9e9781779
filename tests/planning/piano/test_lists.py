"""Lists with filters, totals and CSV/XLSX exports of the filtered rows; bounded queries with 500 interventions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import Azione, Fondo, Intervento, Leps, Risorsa, ValoreCampo
from tests.documents import read_xlsx, xlsx_rows

pytestmark = pytest.mark.django_db


def titoli(client, piano, **params):
    response = client.get(reverse("planning:intervento_list", args=[piano.slug]), {**params, "_export": "csv"})
    rows = [r.split(";") for r in b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()]
    return rows[0], [r[0] for r in rows[1:]]


def test_filters_by_area_objective_fund_leps_and_flags(client_for, udp_user, piano):
    client = client_for(udp_user)
    header, _ = titoli(client, piano)
    assert header[:4] == ["Intervento", "Area", "Obiettivo", "Fondi"]  # no code column: the Magentino cards have none
    area_d = piano.aree.get(codice="D")
    assert len(titoli(client, piano, area=area_d.pk)[1]) == 5
    conoscenza = piano.obiettivi.get(titolo="Promozione di una conoscenza diffusa")
    assert titoli(client, piano, obiettivo=conoscenza.pk)[1] == [
        "Sensibilizzazione del territorio in merito ai servizi esistenti",
        "Formazione trasversale rivolta agli operatori e alla cittadinanza",
    ]
    fna = Fondo.objects.get(codice="FNA")
    assert titoli(client, piano, fondo=fna.pk)[1] == [
        "Potenziamento interventi finalizzati al raggiungimento dei LEPS con particolare riguardo alla valutazione "
        "multidimensionale ed al PUA"
    ]
    pua = Leps.objects.get(codice="PUA")
    assert len(titoli(client, piano, leps=pua.pk)[1]) == 2
    coprogrammati = titoli(client, piano, coprogrammato="si")[1]
    expected = ValoreCampo.objects.filter(intervento__piano=piano, campo__chiave="coprogrammato", si_no=True).count()
    assert len(coprogrammati) == expected == 10
    assert "Interventi a sostegno della domiciliarità" not in coprogrammati
    assert len(titoli(client, piano, coprogettato="si")[1]) == 7
    assert len(titoli(client, piano, coprogettato="si", coprogrammato="si", area=piano.aree.get(codice="A").pk)[1]) == 3


def test_free_text_searches_titles_and_actions(client_for, udp_user, piano):
    client = client_for(udp_user)
    assert titoli(client, piano, q="Stazioni di posta")[1] == ["Consolidamento interventi a bassa soglia"]
    assert titoli(client, piano, q="domiciliarità")[1][0] == "Interventi a sostegno della domiciliarità"


def test_fund_filter_also_finds_budget_rows(client_for, udp_user, piano, domiciliarita):
    fdn = Fondo.objects.get(codice="FDN")
    Risorsa.objects.create(intervento=domiciliarita, fondo=fdn, anno=2026, previsto=Decimal("5000"))
    assert titoli(client_for(udp_user), piano, fondo=fdn.pk)[1] == ["Interventi a sostegno della domiciliarità"]


def test_state_filter_and_xlsx_export_of_filtered_rows(client_for, udp_user, piano, domiciliarita):
    Intervento.objects.filter(pk=domiciliarita.pk).update(stato="in_corso")
    client = client_for(udp_user)
    response = client.get(
        reverse("planning:intervento_list", args=[piano.slug]), {"stato": "in_corso", "_export": "xlsx"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="interventi-magentino-2025-2027.xlsx"'
    rows = xlsx_rows(response.content)
    assert len(rows) == 2
    assert rows[1][0] == "Interventi a sostegno della domiciliarità"
    assert rows[1][7] == "In corso"
    assert rows[1][5] == "No"
    assert rows[1][8] == 3
    page = client.get(reverse("planning:intervento_list", args=[piano.slug]), {"stato": "in_corso"}).content.decode()
    assert "1 intervento" in page


def test_actions_filtered_by_state_and_responsible_and_exported(client_for, udp_user, piano, domiciliarita):
    Azione.objects.filter(intervento=domiciliarita, titolo="Incremento SAD").update(
        stato="in_corso", responsabile="Ufficio di Piano"
    )
    client = client_for(udp_user)
    url = reverse("planning:azione_list", args=[piano.slug])
    page = client.get(url).content.decode()
    assert '<option value="Ufficio di Piano">Ufficio di Piano</option>' in page
    response = client.get(url, {"stato": "in_corso", "responsabile": "Ufficio di Piano", "_export": "csv"})
    rows = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert rows[1].split(";")[:4] == [
        "Interventi a sostegno della domiciliarità",
        "Incremento SAD",
        "In corso",
        "Ufficio di Piano",
    ]
    assert len(rows) == 2


def test_resources_by_fund_and_year_with_totals(client_for, udp_user, piano, domiciliarita):
    fnps, fna = Fondo.objects.get(codice="FNPS"), Fondo.objects.get(codice="FNA")
    Risorsa.objects.create(
        intervento=domiciliarita,
        fondo=fnps,
        anno=2025,
        previsto=Decimal("1000.50"),
        impegnato=Decimal("800"),
        liquidato=Decimal("300"),
    )
    Risorsa.objects.create(
        intervento=domiciliarita, fondo=fnps, anno=2026, previsto=Decimal("2000"), impegnato=Decimal("0")
    )
    Risorsa.objects.create(intervento=domiciliarita, fondo=fna, anno=2026, previsto=Decimal("1234.56"))
    client = client_for(udp_user)
    url = reverse("planning:risorsa_list", args=[piano.slug])
    page = client.get(url).content.decode()
    assert 'data-testid="totale-previsto">4.235,06<' in page
    assert 'data-testid="totale-impegnato">800,00<' in page
    assert 'data-testid="totale-liquidato">300,00<' in page
    assert "3.000,50" in page  # FNPS row total over the years
    filtered = client.get(url, {"anno": "2026", "fondo": fnps.pk}).content.decode()
    assert 'data-testid="totale-previsto">2.000,00<' in filtered
    response = client.get(url, {"anno": "2026", "_export": "xlsx"})
    rows = xlsx_rows(response.content)
    assert rows[0] == ("Intervento", "Fondo", "Anno", "Previsto (€)", "Impegnato (€)", "Liquidato (€)")
    assert sorted(r[3] for r in rows[1:]) == [1234.56, 2000.0]


def test_intervention_list_queries_do_not_grow_with_500_interventions(
    client_for, udp_user, piano, django_assert_max_num_queries
):
    obiettivo = piano.obiettivi.first()
    modello = piano.interventi.first().modello
    fnps = Fondo.objects.get(codice="FNPS")
    nuovi = Intervento.objects.bulk_create(
        Intervento(
            piano=piano, obiettivo=obiettivo, modello=modello, titolo=f"Intervento di carico {i:03d}", ordine=100 + i
        )
        for i in range(482)
    )
    Intervento.fondi.through.objects.bulk_create(Intervento.fondi.through(intervento=i, fondo=fnps) for i in nuovi)
    Azione.objects.bulk_create(Azione(intervento=i, titolo="Azione", ordine=1) for i in nuovi)
    assert piano.interventi.count() == 500
    client = client_for(udp_user)
    url = reverse("planning:intervento_list", args=[piano.slug])
    with django_assert_max_num_queries(20):
        response = client.get(url, {"per_page": 500})
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        export = client.get(url, {"_export": "xlsx"})
    assert len(list(read_xlsx(export.content).active.iter_rows())) == 501
