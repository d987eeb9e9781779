"""Scoping of every Piano di Zona page: the Dirigente reads and never edits, nobody reaches another Ambito's plan,
the Operatore comunale sees no plan at all."""

import pytest
from django.urls import reverse

from planning.models import Area, Capitolo, Indicatore, Obiettivo

pytestmark = pytest.mark.django_db


def urls(piano, intervento):
    area = Area.objects.filter(piano=piano).first()
    obiettivo = Obiettivo.objects.filter(piano=piano).first()
    capitolo = Capitolo.objects.filter(piano=piano).first()
    indicatore, _ = Indicatore.objects.get_or_create(
        intervento=intervento, tipo="risultato", descrizione="Famiglie raggiunte"
    )
    s = piano.slug
    read = [
        reverse("planning:piano_detail", args=[s]),
        reverse("planning:intervento_list", args=[s]),
        reverse("planning:intervento_list", args=[s]) + "?_export=xlsx",
        reverse("planning:intervento_list", args=[s]) + "?_export=csv",
        reverse("planning:azione_list", args=[s]),
        reverse("planning:azione_list", args=[s]) + "?_export=csv",
        reverse("planning:risorsa_list", args=[s]),
        reverse("planning:risorsa_list", args=[s]) + "?_export=xlsx",
        reverse("planning:piano_progetti", args=[s]),
        reverse("planning:piano_pnrr", args=[s]),
        reverse("planning:piano_gestione", args=[s]),
        reverse("planning:piano_governance", args=[s]),
        reverse("planning:capitolo_detail", args=[capitolo.pk]),
        reverse("planning:intervento_detail", args=[intervento.pk]),
    ]
    edit = [
        reverse("planning:piano_update", args=[s]),
        reverse("planning:capitolo_create", args=[s]),
        reverse("planning:capitolo_update", args=[capitolo.pk]),
        reverse("planning:area_create", args=[s]),
        reverse("planning:area_update", args=[area.pk]),
        reverse("planning:obiettivo_create", args=[s]),
        reverse("planning:obiettivo_update", args=[obiettivo.pk]),
        reverse("planning:intervento_create", args=[s]),
        reverse("planning:intervento_update", args=[intervento.pk]),
        reverse("planning:indicatore_target", args=[indicatore.pk]),
    ]
    post_only = [
        reverse("planning:piano_stato", args=[s]),
        reverse("planning:variazione_apri", args=[s]),
        reverse("planning:variazione_chiudi", args=[s]),
    ]
    return read, edit, post_only


def test_ufficio_di_piano_reads_and_reaches_edit_views(client_for, udp_user, piano, domiciliarita):
    client = client_for(udp_user)
    read, edit, _ = urls(piano, domiciliarita)
    for url in read + edit:
        assert client.get(url).status_code == 200, url


def test_dirigente_reads_everything_but_every_edit_view_is_404(client_for, dirigente_user, piano, domiciliarita):
    client = client_for(dirigente_user)
    read, edit, post_only = urls(piano, domiciliarita)
    for url in read:
        assert client.get(url).status_code == 200, url
    for url in edit:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"titolo": "x"}).status_code == 404, url
    for url in post_only:
        assert client.post(url, {"stato": "approvato", "motivazione": "x"}).status_code == 404, url
    piano.refresh_from_db()
    assert piano.stato == "in_approvazione"


def test_dirigente_sees_no_edit_buttons(client_for, dirigente_user, piano, domiciliarita):
    client = client_for(dirigente_user)
    for url in (
        piano.get_absolute_url(),
        domiciliarita.get_absolute_url(),
        reverse("planning:intervento_list", args=[piano.slug]),
    ):
        page = client.get(url).content.decode()
        assert "/modifica/" not in page, url
        assert "/nuovo/" not in page, url
        assert "Cambia stato" not in page, url
        assert "Modifica la scheda" not in page, url
        assert "Nuovo intervento" not in page, url


def test_ufficio_di_piano_of_another_ambito_gets_404_everywhere(client_for, udp_oglio, piano, domiciliarita):
    client = client_for(udp_oglio)
    read, edit, post_only = urls(piano, domiciliarita)
    for url in read + edit:
        assert client.get(url).status_code == 404, url
    for url in post_only:
        assert client.post(url, {"stato": "bozza"}).status_code == 404, url
    assert "Magentino" not in client.get(reverse("planning:piano_index")).content.decode()


def test_operatore_comunale_sees_no_plan(client_for, operatore_user, piano, domiciliarita):
    client = client_for(operatore_user)
    read, edit, _ = urls(piano, domiciliarita)
    for url in read + edit:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("planning:piano_create")).status_code == 404


def test_parent_ambito_office_sees_sub_ambito_objectives(client_for, udp_oglio, piano_oglio):
    page = client_for(udp_oglio).get(piano_oglio.get_absolute_url()).content.decode()
    assert "Sub-ambito Casalasco" in page
    assert "Sub-ambito Viadanese" in page


def test_non_numeric_ids_are_404(client_for, udp_user):
    url = reverse("planning:intervento_detail", args=[1]).replace("/1/", "/magentino/")  # a slug where an id goes
    assert client_for(udp_user).get(url).status_code == 404


def test_plan_creation_only_for_own_ambiti(client_for, udp_user, magentino, oglio_po):
    client = client_for(udp_user)
    form_page = client.get(reverse("planning:piano_create")).content.decode()
    assert "Ambito del Magentino" in form_page
    assert "Oglio Po" not in form_page
    response = client.post(
        reverse("planning:piano_create"),
        {"ambito": oglio_po.pk, "titolo": "Piano abusivo", "anno_inizio": 2028, "anno_fine": 2030},
    )
    assert response.status_code == 200
    assert "Piano abusivo" not in str(oglio_po.piani.values_list("titolo", flat=True))
    response = client.post(
        reverse("planning:piano_create"),
        {"ambito": magentino.pk, "titolo": "Piano di Zona 2028-2030", "anno_inizio": 2028, "anno_fine": 2030},
    )
    nuovo = magentino.piani.get(anno_inizio=2028)
    assert response.status_code == 302
    assert response["Location"] == nuovo.get_absolute_url()
    assert nuovo.slug == "magentino-2028-2030"
    assert nuovo.stato == "bozza"
    assert nuovo.capitoli.count() == 9
