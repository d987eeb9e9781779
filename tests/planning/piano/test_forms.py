"""Forms with bad input: negative amounts, years outside the plan's period, Markdown with <script>."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning.models import Capitolo, Fondo, Indicatore, Intervento, Risorsa, TargetIndicatore
from planning.piano.forms import RisorsaForm, TargetForm

from .conftest import intervento_post

pytestmark = pytest.mark.django_db


def risorsa(fondo="FNPS", anno="2026", previsto="1.000,00", impegnato="0", liquidato="0"):
    return {"fondo": Fondo.objects.get(codice=fondo).pk, "anno": anno, "previsto": previsto, "impegnato": impegnato,
            "liquidato": liquidato, "ordine": "1"}  # fmt: skip


def test_negative_amount_is_refused_with_the_field_named(client_for, udp_user, piano):
    data = intervento_post(piano, titolo="Con importo negativo", risorse=[risorsa(previsto="-5,00")])
    response = client_for(udp_user).post(reverse("planning:intervento_create", args=[piano.slug]), data)
    assert response.status_code == 200
    assert "«Previsto»: l&#x27;importo non può essere negativo (indicato -5,00)." in response.content.decode()
    assert not Intervento.objects.filter(titolo="Con importo negativo").exists()


@pytest.mark.parametrize("field", ["previsto", "impegnato", "liquidato"])
def test_each_resource_amount_names_itself_when_negative(piano, field):
    form = RisorsaForm(data={**risorsa(), field: "-1"}, piano=piano)
    assert not form.is_valid()
    assert form.errors[field] == [f"«{field.capitalize()}»: l'importo non può essere negativo (indicato -1,00)."]


def test_resource_year_outside_the_plan_period_is_refused(piano):
    form = RisorsaForm(data=risorsa(anno="2030"), piano=piano)
    assert not form.is_valid()
    assert form.errors["anno"] == ["L'anno 2030 è fuori dal periodo del piano (2025-2027)."]
    assert RisorsaForm(data=risorsa(anno="2027"), piano=piano).is_valid()


def test_paid_cannot_exceed_committed(piano, domiciliarita):
    r = Risorsa(
        intervento=domiciliarita,
        fondo=Fondo.objects.get(codice="FNPS"),
        anno=2025,
        previsto=10,
        impegnato=5,
        liquidato=7,
    )
    with pytest.raises(ValidationError) as exc:
        r.full_clean()
    assert "Il liquidato non può superare l'impegnato." in str(exc.value)


def test_italian_amounts_are_parsed(piano):
    form = RisorsaForm(data=risorsa(previsto="12.345,67"), piano=piano)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["previsto"] == Decimal("12345.67")


def test_target_year_outside_the_plan_period_is_refused(client_for, udp_user, domiciliarita):
    indicatore = Indicatore.objects.create(intervento=domiciliarita, tipo="risultato", descrizione="Famiglie raggiunte")
    url = reverse("planning:indicatore_target", args=[indicatore.pk])
    data = {
        "target-TOTAL_FORMS": "2", "target-INITIAL_FORMS": "0", "target-MIN_NUM_FORMS": "0", "target-MAX_NUM_FORMS": "1000",  # noqa: E501
        "target-0-anno": "2026", "target-0-valore": "120", "target-1-anno": "2031", "target-1-valore": "150",
    }  # fmt: skip
    response = client_for(udp_user).post(url, data)
    assert response.status_code == 200
    assert "L&#x27;anno 2031 è fuori dal periodo del piano (2025-2027)." in response.content.decode()
    assert not TargetIndicatore.objects.filter(indicatore=indicatore).exists()
    data["target-1-anno"] = "2027"
    assert client_for(udp_user).post(url, data).status_code == 302
    assert list(indicatore.target.values_list("anno", "valore")) == [
        (2026, Decimal("120.00")),
        (2027, Decimal("150.00")),
    ]


def test_target_form_and_model_agree_on_the_period(piano, domiciliarita):
    assert TargetForm(data={"anno": "2024", "valore": "1"}, piano=piano).errors["anno"] == [
        "L'anno 2024 è fuori dal periodo del piano (2025-2027)."
    ]
    indicatore = Indicatore.objects.create(intervento=domiciliarita, tipo="impatto", descrizione="x")
    with pytest.raises(Exception, match="fuori dal periodo"):
        TargetIndicatore(indicatore=indicatore, anno=2028, valore=1).full_clean()
    fondo = Fondo.objects.get(codice="FNPS")
    with pytest.raises(ValidationError) as refused:
        Risorsa(intervento=domiciliarita, fondo=fondo, anno=2031, previsto=1).full_clean()
    assert refused.value.message_dict["anno"] == ["L'anno 2031 è fuori dal periodo del piano (2025-2027)."]
    assert piano.errore_anno(2027) is None
    assert piano.errore_anno(None) is None  # a missing year is the field's own error


def test_negative_template_amount_names_the_question(client_for, udp_user, piano_oglio, udp_oglio):
    obiettivo = piano_oglio.obiettivi.get(codice="1.a")
    data = intervento_post(piano_oglio, titolo="N3 negativa", obiettivo=obiettivo, campi={"budget": "-10"})
    data["modello"] = "OP-N3"
    response = client_for(udp_oglio).post(reverse("planning:intervento_create", args=[piano_oglio.slug]), data)
    assert response.status_code == 200
    assert (
        "«RISORSE ECONOMICHE PREVENTIVATE»: l&#x27;importo non può essere negativo (indicato -10,00)."
        in response.content.decode()
    )


def test_markdown_script_is_stripped_on_save_and_display(client_for, udp_user, piano):
    capitolo = Capitolo.objects.get(piano=piano, titolo="Introduzione")
    client = client_for(udp_user)
    body = '## Premessa\n\nTesto **importante**.\n\n<script>alert(\'x\')</script>\n\n<a href="javascript:alert(1)" onclick="x()">link</a>'  # noqa: E501
    response = client.post(
        reverse("planning:capitolo_update", args=[capitolo.pk]), {"titolo": "Introduzione", "ordine": 1, "corpo": body}
    )
    assert response.status_code == 302
    page = client.get(capitolo.get_absolute_url()).content.decode()
    corpo = page[page.index('data-testid="corpo-capitolo"') :]
    corpo = corpo[: corpo.index("</article>")]
    assert "<h2>Premessa</h2>" in corpo
    assert "<strong>importante</strong>" in corpo
    assert "<script" not in corpo
    assert "alert(" not in corpo
    assert "javascript:" not in corpo
    assert "onclick" not in corpo


def test_markdown_preview_is_sanitised_and_needs_edit_rights(client_for, udp_user, dirigente_user):
    url = reverse("planning:markdown_anteprima")
    response = client_for(udp_user).post(
        url, {"corpo": "- uno\n- due\n\n<script>alert(1)</script><img src=x onerror=alert(1)>"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<li>uno</li>" in html
    assert "script" not in html
    assert "onerror" not in html
    assert "<img" not in html
    assert client_for(dirigente_user).post(url, {"corpo": "x"}).status_code == 404


def test_plan_period_longer_than_five_years_is_refused(client_for, udp_user, magentino):
    response = client_for(udp_user).post(
        reverse("planning:piano_create"),
        {"ambito": magentino.pk, "titolo": "Troppo lungo", "anno_inizio": 2030, "anno_fine": 2040},
    )
    assert response.status_code == 200
    assert "Il periodo di un Piano di Zona non supera i cinque anni." in response.content.decode()
