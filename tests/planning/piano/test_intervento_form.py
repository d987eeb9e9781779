"""The intervention card form: core fields, template answers and inline rows with reordering."""

from decimal import Decimal

import pytest
from django.urls import reverse

from planning.models import Azione, Fondo, Intervento

from .conftest import intervento_post

pytestmark = pytest.mark.django_db


def test_create_intervention_with_actions_indicator_resource_and_answers(client_for, udp_user, piano):
    fnps = Fondo.objects.get(codice="FNPS")
    data = intervento_post(
        piano,
        titolo="Sportello unico per le famiglie",
        azioni=[
            {
                "titolo": "Apertura dello sportello",
                "stato": "programmata",
                "responsabile": "Ufficio di Piano",
                "ordine": "2",
            },
            {
                "titolo": "Mappatura dei servizi",
                "stato": "in_corso",
                "responsabile": "ASCSP",
                "ordine": "1",
                "data_inizio": "2025-03-01",
                "data_fine": "2025-06-30",
            },
        ],
        indicatori=[
            {
                "tipo": "risultato",
                "descrizione": "Famiglie accolte",
                "unita": "numero",
                "baseline": "1.200",
                "ordine": "1",
            }
        ],
        risorse=[
            {
                "fondo": fnps.pk,
                "anno": "2025",
                "previsto": "15.000,00",
                "impegnato": "10.000",
                "liquidato": "2.500,50",
                "ordine": "1",
            }
        ],
        fondi=[fnps.pk],
        campi={
            "coprogrammato": "si",
            "coprogrammato__nota": "con il Tavolo del Terzo Settore",
            "tipo_bisogno": "emergente",
            "finalita": ["promozionale", "preventivo"],
            "risultati": "- Numero di famiglie accolte",
        },
    )
    response = client_for(udp_user).post(reverse("planning:intervento_create", args=[piano.slug]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    intervento = Intervento.objects.get(titolo="Sportello unico per le famiglie")
    assert response["Location"] == intervento.get_absolute_url()
    assert list(intervento.azioni.values_list("ordine", "titolo")) == [
        (1, "Mappatura dei servizi"),
        (2, "Apertura dello sportello"),
    ]
    indicatore = intervento.indicatori.get()
    assert indicatore.baseline == Decimal("1200")
    assert indicatore.tipo == "risultato"
    risorsa = intervento.risorse.get()
    assert (risorsa.previsto, risorsa.impegnato, risorsa.liquidato) == (
        Decimal("15000"),
        Decimal("10000"),
        Decimal("2500.50"),
    )
    valori = {v.campo.chiave: v for v in intervento.valori.select_related("campo")}
    assert valori["coprogrammato"].si_no is True
    assert valori["coprogrammato"].testo == "con il Tavolo del Terzo Settore"
    assert valori["tipo_bisogno"].scelte == ["emergente"]
    assert valori["finalita"].scelte == [
        "promozionale",
        "preventivo",
    ]
    page = client_for(udp_user).get(intervento.get_absolute_url()).content.decode()
    assert "Sì, con il Tavolo del Terzo Settore" in page
    assert "Bisogno emergente" in page
    assert "01/03/2025" in page
    assert "15.000,00" in page  # an amount: two decimals
    assert "1.200" in page  # a count of families (unit «numero»): an integer
    assert "1.200,00" not in page


def test_edit_reorders_and_deletes_rows(client_for, udp_user, piano, domiciliarita):
    azioni = list(domiciliarita.azioni.order_by("ordine"))
    data = intervento_post(piano, titolo=domiciliarita.titolo, obiettivo=domiciliarita.obiettivo)
    data.update({"azioni-TOTAL_FORMS": "3", "azioni-INITIAL_FORMS": "3"})
    for i, (azione, ordine) in enumerate(zip(azioni, ["3", "1", "2"], strict=True)):
        data.update({f"azioni-{i}-id": azione.pk, f"azioni-{i}-intervento": domiciliarita.pk, f"azioni-{i}-titolo": azione.titolo,  # noqa: E501
                     f"azioni-{i}-stato": "programmata", f"azioni-{i}-ordine": ordine})  # fmt: skip
    data["azioni-2-DELETE"] = "on"
    response = client_for(udp_user).post(reverse("planning:intervento_update", args=[domiciliarita.pk]), data)
    assert response.status_code == 302
    assert list(domiciliarita.azioni.order_by("ordine").values_list("ordine", "titolo")) == [
        (1, "Incremento SAD"),
        (2, "Linea 1.1.3. «Dimissioni protette»"),
    ]
    assert Azione.history.filter(history_type="-", intervento_id=domiciliarita.pk).count() == 1


def test_edit_keeps_template_answers_and_printed_punti_chiave(client_for, udp_user, piano, domiciliarita):
    client = client_for(udp_user)
    form_page = client.get(reverse("planning:intervento_update", args=[domiciliarita.pk]))
    form = form_page.context["forms"]["valori_form"]
    data = intervento_post(piano, titolo=domiciliarita.titolo, obiettivo=domiciliarita.obiettivo)
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[f"campo-{name}"] = value if value is not None else ""
    assert client.post(reverse("planning:intervento_update", args=[domiciliarita.pk]), data).status_code == 302
    page = client.get(domiciliarita.get_absolute_url()).content.decode()
    assert "Ampliamento dei supporti forniti all’utenza" in page  # printed wording kept
    assert "Sì, nella definizione di una risposta omogenea nell’attuazione dei LEPS" in page


def test_form_shows_template_questions_in_order(client_for, udp_user, piano, lombardia):
    page = (
        client_for(udp_user)
        .get(reverse("planning:intervento_create", args=[piano.slug]) + "?modello=LOMB-2025-2027")
        .content.decode()
    )
    labels = [c.etichetta for c in lombardia.campi.exclude(tipo="base")]
    positions = [page.index(label.replace("'", "&#x27;")) for label in labels]
    assert positions == sorted(positions)
    assert 'data-formset="azioni"' in page
    assert 'data-formset="indicatori"' in page
    assert 'data-formset="risorse"' in page


def test_objective_of_another_plan_is_refused(client_for, udp_user, piano, piano_oglio):
    data = intervento_post(piano, titolo="Obiettivo sbagliato", obiettivo=piano_oglio.obiettivi.first())
    response = client_for(udp_user).post(reverse("planning:intervento_create", args=[piano.slug]), data)
    assert response.status_code == 200
    assert not Intervento.objects.filter(titolo="Obiettivo sbagliato").exists()


def test_fund_changes_appear_in_the_card_history(client_for, udp_user, piano, domiciliarita):
    fna = Fondo.objects.get(codice="FNA")
    data = intervento_post(piano, titolo=domiciliarita.titolo, obiettivo=domiciliarita.obiettivo, fondi=[fna.pk])
    client = client_for(udp_user)
    assert client.post(reverse("planning:intervento_update", args=[domiciliarita.pk]), data).status_code == 302
    assert list(domiciliarita.fondi.values_list("codice", flat=True)) == ["FNA"]
    storia = client.get(domiciliarita.get_absolute_url()).content.decode().split('data-testid="storia"')[1]
    assert "<strong>fondi</strong>: " in storia
    assert "→ Fondo Non Autosufficienze" in storia
