"""The plan's period cannot leave money outside it: the budget's grids, PDF and workbook show only the period's
years, so shortening or shifting it while budget lines (or Comuni's paid shares) fall outside is refused on the
«Dati generali» form, naming what and which years; a period that keeps them all is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning.models import PianoDiZona, QuotaComune, RigaBilancio, VersamentoComune
from tests.two_sessions import load, sessions

pytestmark = pytest.mark.django_db


def _save_period(udp_user, piano, anno_inizio: int, anno_fine: int):
    (client,) = sessions(udp_user)
    url = reverse("planning:piano_update", args=[piano.slug])
    data = load(client, url, "piano-form")
    return client.post(url, {**data, "anno_inizio": anno_inizio, "anno_fine": anno_fine})


def test_shortening_the_period_with_budget_lines_in_the_last_year_is_refused(udp_user, piano):
    lines_2027 = RigaBilancio.objects.filter(piano=piano, anno=2027).count()
    assert lines_2027 > 0
    response = _save_period(udp_user, piano, 2025, 2026)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Il periodo 2025-2026 lascerebbe fuori righe del bilancio ({lines_2027}, anni 2027)" in page
    assert PianoDiZona.objects.get(pk=piano.pk).anno_fine == 2027


def test_a_period_that_keeps_every_line_is_saved(udp_user, piano):
    assert not RigaBilancio.objects.filter(piano=piano, anno=2024).exists()
    response = _save_period(udp_user, piano, 2024, 2027)
    assert response.status_code == 302
    assert PianoDiZona.objects.get(pk=piano.pk).periodo == "2024-2027"


def test_a_paid_share_outside_the_new_period_is_named(piano, arluno):
    RigaBilancio.objects.filter(piano=piano, anno=2027).delete()
    quota, _ = QuotaComune.objects.get_or_create(piano=piano, comune=arluno, anno=2027, defaults={"dovuto": 100})
    piano.anno_fine = 2026
    piano.full_clean()  # an unpaid share does not hold the period
    VersamentoComune.objects.create(quota=quota, data="2027-03-01", importo=50)
    VersamentoComune.objects.create(quota=quota, data="2027-04-01", importo=50)
    with pytest.raises(ValidationError, match=r"lascerebbe fuori quote dei Comuni con versamenti \(1, anni 2027\)"):
        piano.full_clean()
