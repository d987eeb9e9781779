"""Progress by area of a snapshot (actions realised, indicators against the year's target), the trend across
quarters, the dashboard chart and the pages' permissions and query counts."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from monitoring.snapshots.charts import plan_progress, progress_trend_charts
from monitoring.snapshots.selectors import area_progress, latest_snapshot, progress_trend
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_progress_by_area(piano, t2):
    aree = {a.codice: a for a in area_progress(t2)}
    assert list(aree) == ["A", "B", "C", "D"]
    assert sum(a.azioni for a in aree.values()) == 58
    a = aree["A"]
    expected = (Decimal(a.realizzate) * 100 / a.azioni).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert (a.realizzate, a.azioni, a.pct_realizzate) == (5, 16, expected)
    assert str(expected) == "31.3"
    assert sum(len(x.indicatori) for x in aree.values()) == 18
    assert aree["B"].indicatori_rilevati < len(aree["B"].indicatori)  # some values still to record


def test_recording_a_value_changes_the_area(t2):
    b = next(a for a in area_progress(t2) if a.codice == "B")
    missing = next(i for i in b.indicatori if i.valore is None and i.target)
    before = (b.indicatori_rilevati, b.media_target)
    missing.voce.valore = missing.target
    missing.voce.save()
    after = next(a for a in area_progress(t2) if a.codice == "B")
    assert after.indicatori_rilevati == before[0] + 1
    assert after.media_target > before[1]


def test_trend_and_charts(piano, t1, t2):
    assert latest_snapshot(piano) == t2
    assert latest_snapshot(piano, solo_chiuse=True) == t1
    andamento = progress_trend(piano)
    assert [r.codice for r in andamento.rilevazioni] == ["2025-T1", "2025-T2"]
    for key, _label in andamento.aree:
        first, second = andamento.pct_realizzate[key]
        assert second >= first
    chart = plan_progress(piano)
    assert chart.chart_id == "avanzamento-magentino-2025-2027"
    assert len(chart.rows) == 4
    assert "2025-T2" in chart.title
    azioni, target = progress_trend_charts(piano)
    assert "2025-T1" in str(azioni.svg)
    assert target.rows


def test_progress_page_and_permissions(client_for, udp_user, dirigente_user, operatore_user, oglio_po, piano, t2):
    url = reverse("monitoring:avanzamento", args=[piano.slug])
    page = client_for(dirigente_user).get(url).content.decode()
    assert 'data-testid="area-A"' in page
    assert "Andamento per trimestre" in page
    dirigente = client_for(dirigente_user)
    assert dirigente.get(reverse("monitoring:rilevazione_compila", args=[t2.pk])).status_code == 404
    assert dirigente.post(reverse("monitoring:rilevazione_chiudi", args=[t2.pk])).status_code == 404
    assert (
        dirigente.post(
            reverse("monitoring:rilevazione_create", args=[piano.slug]), {"anno": 2025, "trimestre": 3}
        ).status_code
        == 404
    )
    assert "Registra stati e valori" not in dirigente.get(t2.get_absolute_url()).content.decode()
    other = user_with_role("udp-oglio-snap", Ruolo.UFFICIO_PIANO, ambito=oglio_po)
    for user in (other, operatore_user):
        for u in (url, t2.get_absolute_url(), reverse("monitoring:rilevazione_list", args=[piano.slug])):
            assert client_for(user).get(u).status_code == 404


def test_lists_export_and_bounded_queries(client_for, udp_user, piano, t2, django_assert_max_num_queries):
    client = client_for(udp_user)
    csv = client.get(reverse("monitoring:rilevazione_indicatori", args=[t2.pk]) + "?rilevato=no&_export=csv")
    lines = [x for x in csv.getvalue().decode("utf-8-sig").splitlines() if x]
    assert lines[0].startswith("Area;Intervento;Indicatore")
    assert len(lines) == 1 + t2.valori_indicatori.filter(valore__isnull=True).count()
    for url in (
        reverse("monitoring:rilevazione_list", args=[piano.slug]),
        t2.get_absolute_url(),
        reverse("monitoring:rilevazione_indicatori", args=[t2.pk]),
        reverse("monitoring:avanzamento", args=[piano.slug]),
        reverse("monitoring:rilevazione_compila", args=[t2.pk]),
    ):
        client.get(url)
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200, url
