"""The Ambito dashboard reads the schede counts from the rollup of the schede, not one query per state."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schede_counted_by_state_from_the_rollup(client_for, admin_user):
    """The counts by state come from the Ambito's rollup of the schede (monitoring.rollup): no query over the
    schede once it is stored, whatever the number of Comuni."""
    client = client_for(admin_user)
    url = reverse("reports:dashboard", args=["reggio-emilia"])
    client.get(url)  # warm-up (session, content types; the rollup built and stored)
    cache.clear()  # the dashboard's fragment is built again (not served from the cache)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    by_state = [q["sql"] for q in queries.captured_queries if '"stato"' in q["sql"] and "COUNT" in q["sql"].upper()]
    assert by_state == []
    assert any("monitoring_riepilogoschede" in q["sql"] for q in queries.captured_queries)
    assert "2 validata" in page  # the two schede of Reggio nell'Emilia, both validated


@pytest.mark.usefixtures("without_demo_campaigns")
def test_past_years_schede_are_not_counted(client_for, admin_user):
    """The demo history of past years (inactive templates NID23-25, SOC23-25 of three Comuni) is not this year's
    work: the Magentino counts only Magenta's NID26 draft."""
    page = client_for(admin_user).get(reverse("reports:dashboard", args=["magentino"])).content.decode()
    assert "1 bozza" in page
    assert "validata" not in page
