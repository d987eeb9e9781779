"""Quarterly snapshots: one open per plan, entries start from the previous quarter, closed snapshots are read-only
and keep their history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from monitoring.models import Rilevazione, StatoAzioneRilevato, ValoreIndicatoreRilevato
from monitoring.snapshots.selectors import prossimo_trimestre
from monitoring.snapshots.services import (
    RilevazioneChiusa,
    assert_aperta,
    rilevazione_close,
    rilevazione_create,
    rilevazione_sincronizza,
)
from planning.models import Azione, Indicatore

pytestmark = pytest.mark.django_db


def test_demo_has_a_closed_t1_and_an_open_t2_marked_as_demo(piano, t1, t2):
    assert (t1.codice, t1.chiusa, t2.codice, t2.chiusa) == ("2025-T1", True, "2025-T2", False)
    assert t1.dimostrativa
    assert t2.dimostrativa
    n_azioni = Azione.objects.filter(intervento__piano=piano).count()
    assert t1.stati_azioni.count() == n_azioni == 58
    assert t2.valori_indicatori.count() == 18


def test_only_one_open_snapshot_per_plan(piano, udp_user):
    with pytest.raises(ValidationError):
        rilevazione_create(piano=piano, anno=2025, trimestre=3, user=udp_user)


def test_a_quarter_outside_the_plans_period_is_refused_with_the_period(piano):
    with pytest.raises(ValidationError) as refused:
        Rilevazione(piano=piano, anno=2031, trimestre=1).full_clean()
    assert refused.value.message_dict["anno"] == ["L'anno 2031 è fuori dal periodo del piano (2025-2027)."]


def test_new_snapshot_starts_from_the_previous_states(piano, t2, udp_user):
    voce = t2.stati_azioni.first()
    voce.stato = "sospesa"
    voce.save()
    rilevazione_close(rilevazione=t2, user=udp_user)
    assert prossimo_trimestre(piano) == (2025, 3)
    t3 = rilevazione_create(piano=piano, anno=2025, trimestre=3, user=udp_user)
    assert t3.stati_azioni.get(azione=voce.azione).stato == "sospesa"
    assert t3.valori_indicatori.filter(valore__isnull=False).count() == 0
    with pytest.raises(ValidationError):
        rilevazione_create(piano=piano, anno=2025, trimestre=3, user=udp_user)


def test_closed_snapshot_refuses_every_change(client_for, udp_user, t1):
    with pytest.raises(RilevazioneChiusa):
        assert_aperta(t1)
    with pytest.raises(RilevazioneChiusa):
        rilevazione_close(rilevazione=t1, user=udp_user)
    client = client_for(udp_user)
    url = reverse("monitoring:rilevazione_compila", args=[t1.pk])
    assert client.get(url).status_code == 403
    voce = t1.valori_indicatori.first()
    before = voce.valore
    data = {"indicatori-TOTAL_FORMS": "1", "indicatori-INITIAL_FORMS": "1", "indicatori-0-id": voce.pk,
            "indicatori-0-valore": "999", "azioni-TOTAL_FORMS": "0", "azioni-INITIAL_FORMS": "0"}  # fmt: skip
    assert client.post(url, data).status_code == 403
    voce.refresh_from_db()
    assert voce.valore == before
    assert client.post(reverse("monitoring:rilevazione_chiudi", args=[t1.pk])).status_code == 403
    assert rilevazione_sincronizza(t1) == 0  # a closed snapshot never changes, even when the plan does


def test_closed_snapshot_keeps_its_history(client_for, udp_user, t2):
    client = client_for(udp_user)
    voce = t2.valori_indicatori.filter(valore__isnull=True).select_related("indicatore__intervento").first()
    area = voce.indicatore.intervento.obiettivo.area
    url = reverse("monitoring:rilevazione_compila", args=[t2.pk]) + f"?area={area.pk}"
    formsets = client.get(url).context
    data = {"area": area.pk}
    for prefix in ("azioni", "indicatori"):
        fs = formsets[prefix]
        data.update({f"{prefix}-TOTAL_FORMS": str(len(fs.forms)), f"{prefix}-INITIAL_FORMS": str(len(fs.forms)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})  # fmt: skip
        for i, f in enumerate(fs.forms):
            data[f"{prefix}-{i}-id"] = f.instance.pk
            for name in f.fields:
                if name == "id":
                    continue
                value = f.initial.get(name)
                data[f"{prefix}-{i}-{name}"] = "" if value is None else str(value).replace(".", ",")
            if prefix == "indicatori" and f.instance.pk == voce.pk:
                data[f"{prefix}-{i}-valore"] = "1.234,5"
                data[f"{prefix}-{i}-commento"] = "Dato del Servizio sociale"
    response = client.post(url, data)
    assert response.status_code == 302
    voce.refresh_from_db()
    assert voce.valore == Decimal("1234.50")
    assert voce.history.first().history_user == udp_user
    assert client.post(reverse("monitoring:rilevazione_chiudi", args=[t2.pk])).status_code == 302
    t2.refresh_from_db()
    assert t2.chiusa
    assert t2.chiusa_da == udp_user
    page = client.get(t2.get_absolute_url()).content.decode()
    assert "Chiusa il" in page
    assert "Registra stati e valori" not in page
    assert "Dato del Servizio sociale" in page or voce.indicatore.descrizione[:30] in page  # the history lists it
    assert ValoreIndicatoreRilevato.history.filter(id=voce.pk).count() >= 2


def test_entries_follow_new_actions_of_the_plan_while_open(piano, t2):
    intervento = piano.interventi.first()
    azione = Azione.objects.create(intervento=intervento, titolo="Nuova azione di prova")
    indicatore = Indicatore.objects.create(intervento=intervento, tipo="processo", descrizione="Nuovo indicatore")
    assert rilevazione_sincronizza(t2) == 2
    assert StatoAzioneRilevato.objects.filter(rilevazione=t2, azione=azione).exists()
    assert ValoreIndicatoreRilevato.objects.filter(rilevazione=t2, indicatore=indicatore).exists()
    assert not Rilevazione.objects.get(pk=t2.pk).chiusa
