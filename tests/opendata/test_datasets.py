"""Open data datasets (issue 15, point 4): the values match the seeds, only validated schede and approved plans
are published, only the chosen datasets, in CSV (RFC 4180, UTF-8) and JSON, with a bounded number of queries."""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Scheda, Stato
from monitoring.services import scheda_recompute, scheda_save
from planning.models import Intervento, Obiettivo, PianoDiZona
from planning.models.piano import StatoPiano
from tests.schede_helpers import magenta_nid

from .conftest import csv_rows, everything_published, publish

pytestmark = pytest.mark.django_db


def test_reggio_validated_nid_indicators_match_the_seed(anonymous):
    rows = {(r["scheda"], r["indicatore"]): r for r in csv_rows(anonymous, "reggio-emilia", "indicatori")}
    assert rows[("NID26", "R21")]["valore"] == "51.80"
    assert rows[("NID26", "R22")]["valore"] == "52.46"
    assert (rows[("NID26", "R21")]["numeratore"], rows[("NID26", "R21")]["denominatore"]) == ("1800", "3475")
    assert rows[("SOC26", "R01B")]["valore"] == "2651"  # 172284 / 65, rounded half up (seed 000)
    assert rows[("SOC26", "R04")]["valore"] == "21.36"


def test_json_gives_the_same_values_as_numbers(anonymous):
    response = anonymous.get(reverse("opendata:dataset_json", args=["reggio-emilia", "indicatori"]))
    document = json.loads(response.content)
    values = {(r["scheda"], r["indicatore"]): r["valore"] for r in document["righe"]}
    assert values[("NID26", "R21")] == pytest.approx(51.80)
    assert values[("NID26", "R22")] == pytest.approx(52.46)
    assert document["licenza"]["codice"] == "CC-BY-4.0"
    assert document["editore"] == {"nome": "Comune di Reggio nell'Emilia", "codice_ipa": "c_h223"}
    assert [c["nome"] for c in document["colonne"]][:4] == ["anno", "scheda", "codice_istat", "comune"]


def test_population_matches_the_seeds(anonymous):
    reggio = {(r["codice_istat"], r["anno"]): r for r in csv_rows(anonymous, "reggio-emilia", "popolazione")}
    assert reggio[("035033", "2024")]["totale"] == "172284"  # scheda SOC26 R03 (seed 000)
    magentino = {(r["comune"], r["anno"]): r for r in csv_rows(anonymous, "magentino", "popolazione")}
    assert magentino[("Arluno", "2015")]["totale"] == "11884"  # seed 001, Tab. 1
    assert magentino[("Bareggio", "2024")]["totale"] == "17177"
    assert magentino[("Arluno", "2015")]["maschi"] == ""  # not in the source: empty, never guessed


def test_spending_tables_10_to_14_of_the_magentino(anonymous):
    rows = csv_rows(anonymous, "magentino", "spesa")
    assert {r["tabella"] for r in rows} == {"Tab. 10", "Tab. 11", "Tab. 12", "Tab. 13", "Tab. 14"}
    anziani_2019 = next(
        r for r in rows if r["tabella"] == "Tab. 10" and r["voce_codice"] == "anziani" and r["anno"] == "2019"
    )
    assert Decimal(anziani_2019["valore"]) == Decimal("1154002")  # seed 001, Tab. 10
    assert {r["misura"] for r in rows if r["tabella"] == "Tab. 13"} == {"percentuale"}


def test_csv_is_rfc4180_utf8_without_bom(anonymous):
    response = anonymous.get(reverse("opendata:dataset_csv", args=["magentino", "popolazione"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.content
    assert not body.startswith(b"\xef\xbb\xbf")
    assert body.startswith(b"anno,codice_istat,comune,totale,")
    assert b"\r\n" in body
    assert b",Boffalora sopra Ticino," in body
    spesa = anonymous.get(reverse("opendata:dataset_csv", args=["magentino", "spesa"])).content
    assert "Emarginazione e povertà".encode() in spesa  # UTF-8, not Latin-1


def _set_cell(scheda: Scheda, user, row: str, column: str, value: str) -> None:
    scheda_save(scheda=scheda, user=user, values={(row, column): value}, expected_version=scheda.versione)
    scheda.refresh_from_db()
    scheda_recompute(scheda=scheda)


def test_no_value_of_a_scheda_that_is_not_validated_is_published(anonymous, operatore_user):
    """Magenta's NID26 is a draft: a distinctive number typed in it reaches no page, file or catalogue, in any state
    but Validata; once the Ufficio di Piano validates the scheda, its indicators are published (so the check sees)."""
    scheda = magenta_nid()
    assert scheda.stato == Stato.BOZZA
    _set_cell(scheda, operatore_user, "R05", "N25", "987654")  # the Comune's Operatore types it
    numeratore = scheda.indicatori["R21"]["num"]  # R10 = R05 + … of the service columns: 98xxxx
    assert numeratore.startswith("98")
    for stato in (Stato.BOZZA, Stato.INVIATA, Stato.RIMANDATA, Stato.RIAPERTA):
        Scheda.objects.filter(pk=scheda.pk).update(stato=stato)
        text = everything_published(anonymous, "magentino") + everything_published(anonymous, "reggio-emilia")
        assert "987654" not in text, stato
        assert numeratore not in text, stato
    Scheda.objects.filter(pk=scheda.pk).update(stato=Stato.VALIDATA)
    rows = csv_rows(anonymous, "magentino", "indicatori")
    published = [r for r in rows if r["scheda"] == "NID26" and r["comune"] == "Magenta"]
    assert [(r["comune"], r["indicatore"]) for r in published] == [("Magenta", "R21"), ("Magenta", "R22")]
    assert published[0]["numeratore"] == numeratore


def _approve(piano: PianoDiZona) -> None:
    PianoDiZona.objects.filter(pk=piano.pk).update(
        stato=StatoPiano.APPROVATO, atto_approvazione="Delibera n. 1", data_approvazione=datetime.date(2025, 1, 30)
    )


def test_objectives_of_a_plan_not_approved_are_not_published(anonymous, piano):
    assert piano.stato == StatoPiano.IN_APPROVAZIONE
    obiettivo = Obiettivo.objects.filter(piano=piano).exclude(titolo="").first()
    intervento = Intervento.objects.filter(piano=piano).first()
    for code in ("obiettivi", "interventi"):
        assert anonymous.get(reverse("opendata:dataset_csv", args=["magentino", code])).status_code == 404
    text = everything_published(anonymous, "magentino")
    assert obiettivo.titolo[:60] not in text
    assert intervento.titolo not in text
    _approve(piano)
    assert obiettivo.titolo in {r["obiettivo"] for r in csv_rows(anonymous, "magentino", "obiettivi")}
    assert intervento.titolo in {r["intervento"] for r in csv_rows(anonymous, "magentino", "interventi")}
    assert {r["stato_piano"] for r in csv_rows(anonymous, "magentino", "interventi")} == {"Approvato"}


def test_only_the_chosen_datasets_are_published(anonymous):
    publish("magentino", "popolazione")
    assert anonymous.get(reverse("opendata:dataset_csv", args=["magentino", "popolazione"])).status_code == 200
    for code in ("spesa", "indicatori"):
        for ext in ("csv", "json"):
            assert anonymous.get(reverse(f"opendata:dataset_{ext}", args=["magentino", code])).status_code == 404
    page = anonymous.get(reverse("opendata:ambito", args=["magentino"])).content.decode()
    assert "Popolazione residente" in page
    assert "Spesa sociale per area" not in page
    catalogue = anonymous.get(reverse("opendata:catalogo_ambito", args=["magentino"])).json()
    assert [d["dct:identifier"] for d in catalogue["dcat:dataset"]] == ["c_e801:magentino-popolazione"]


def test_an_ambito_that_publishes_nothing_exposes_nothing(anonymous):
    publish("magentino")  # no dataset chosen
    urls = [
        reverse("opendata:ambito", args=["magentino"]),
        reverse("opendata:catalogo_ambito", args=["magentino"]),
        reverse("opendata:dataset_csv", args=["magentino", "popolazione"]),
        reverse("opendata:dataset_json", args=["magentino", "popolazione"]),
        reverse("opendata:ambito", args=["oglio-po"]),  # no settings at all
        reverse("opendata:dataset_csv", args=["oglio-po", "popolazione"]),
        reverse("opendata:dataset_csv", args=["reggio-emilia", "nessuno"]),
    ]
    assert [anonymous.get(url).status_code for url in urls] == [404] * len(urls)
    index = anonymous.get(reverse("opendata:index")).content.decode()
    assert "Distretto di Reggio Emilia" in index
    assert "Ambito del Magentino" not in index


def test_a_chosen_dataset_without_rows_is_not_listed(anonymous):
    """Reggio Emilia chose every dataset but has no spending table and no plan: only population and indicators."""
    catalogue = anonymous.get(reverse("opendata:catalogo_ambito", args=["reggio-emilia"])).json()
    assert [d["dct:identifier"] for d in catalogue["dcat:dataset"]] == [
        "c_h223:reggio-emilia-popolazione",
        "c_h223:reggio-emilia-indicatori",
    ]


def test_sub_ambiti_data_belongs_to_the_ambito(anonymous):
    """Oglio Po's Comuni belong to its sub-ambiti (Casalasco, Viadanese): its population covers the 27 Comuni."""
    publish("oglio-po", "popolazione")
    rows = csv_rows(anonymous, "oglio-po", "popolazione")
    assert len({r["codice_istat"] for r in rows}) == 27


@pytest.mark.parametrize("dataset", ["popolazione", "indicatori", "spesa", "obiettivi", "interventi"])
def test_dataset_queries_are_bounded(anonymous, piano, dataset, django_assert_max_num_queries):
    _approve(piano)
    for ext in ("csv", "json"):
        with django_assert_max_num_queries(6):  # settings, sub-ambiti, rows of this dataset
            response = anonymous.get(reverse(f"opendata:dataset_{ext}", args=["magentino", dataset]))
        assert response.status_code == 200


def test_pages_and_catalogues_queries_are_bounded(anonymous, piano, django_assert_max_num_queries):
    _approve(piano)
    publish("oglio-po", "popolazione", "spesa")
    urls = [
        reverse("opendata:index"),
        reverse("opendata:catalogo"),
        reverse("opendata:ambito", args=["magentino"]),
        reverse("opendata:catalogo_ambito", args=["magentino"]),
    ]
    for url in urls:
        with django_assert_max_num_queries(16):
            assert anonymous.get(url).status_code == 200, url
