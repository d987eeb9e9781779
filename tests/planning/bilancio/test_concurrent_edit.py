"""Two members of the Ufficio di Piano editing the plan's budget at once (an allocation, a budget line, the Comuni's
co-financing rule, the «importi» grid), each in a session of their own: only what each one changed is written, a
field changed by both is chosen on the conflict page (core.optimistic)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from planning.models import Assegnazione, MetodoQuote, QuotaComune, RegolaQuote, RigaBilancio
from territory.selectors import ambito_comuni
from tests.two_sessions import (
    EditPage,
    SameTimeEdits,
    amount_shown,
    conflict_box,
    open_both,
    second_save_conflicts,
    sessions,
)

from .conftest import assegna

pytestmark = pytest.mark.django_db

PIANO = "magentino-2025-2027"


def _assegnazione_url() -> str:
    obj = Assegnazione.objects.filter(piano__slug=PIANO).order_by("pk").first()
    return reverse("planning:assegnazione_update", args=[obj.pk])


def _riga() -> RigaBilancio:
    """A demo line without commitments: lowering its amount is always allowed."""
    return RigaBilancio.objects.filter(piano__slug=PIANO, movimenti__isnull=True).order_by("pk").first()


def _riga_url() -> str:
    return reverse("planning:riga_bilancio_update", args=[_riga().pk])


def _regola_url() -> str:
    return reverse("planning:quote_comuni", args=[PIANO])


def _importi_url() -> str:
    return reverse("planning:quote_importi", args=[PIANO])


def _amount_or_same(value: str) -> str:
    return amount_shown(value) if value[:1].isdigit() else value


PAGES = [
    EditPage(
        "assegnazione di un fondo",
        _assegnazione_url,
        "bilancio-form",
        x="note", x_a="Nota scritta da A", x_b="Nota scritta da B",
        y="atto", y_b="DGR di B",
    ),
    EditPage(
        "riga del bilancio",
        _riga_url,
        "bilancio-form",
        x="nota", x_a="Nota scritta da A", x_b="Nota scritta da B",
        y="importo", y_b="1.000,5",
        shown=_amount_or_same,
    ),
]  # fmt: skip


class BudgetEdits(SameTimeEdits):
    """The outsider is the other Ambito's Ufficio di Piano: the Dirigente reads the budget and gets 403 on its forms
    (test_permissions)."""

    @pytest.fixture
    def outsiders(self, udp_oglio) -> list[Client]:
        return sessions(udp_oglio)


class TestBudgetFormsEditedAtOnce(BudgetEdits):
    pages = PAGES


class TestShareRuleEditedAtOnce(BudgetEdits):
    pages = [
        EditPage(
            "criterio di riparto delle quote",
            _regola_url,
            "regola-form",
            x="importo_annuo", x_a="300.000", x_b="310.000,5",  # quota fissa stays above every payment
            y="metodo", y_b=MetodoQuote.QUOTA_FISSA,
            shown=_amount_or_same,
        ),
    ]  # fmt: skip


class TestImportiGridEditedAtOnce(BudgetEdits):
    """The «importi» grid (already merged by planning.bilancio.importi) with two sessions: Magenta's cells of the
    years it has not paid yet."""

    pages = [
        EditPage(
            "importi Comune per Comune",
            _importi_url,
            "importi-form",
            x="q_015130_2026", x_a="6.000", x_b="6.250,25",
            y="q_015130_2027", y_b="7.000,5",
            shown=amount_shown,
        ),
    ]  # fmt: skip

    @pytest.fixture
    def writers(self, two_udp: list[Client]) -> list[Client]:
        RegolaQuote.objects.filter(piano__slug=PIANO).update(metodo=MetodoQuote.IMPORTI)
        return two_udp


def test_shares_are_recomputed_on_the_amount_the_other_session_saved(two_udp, piano):
    """A changes the yearly amount, B (stale page) switches to quota fissa: the shares split A's amount evenly (an
    amount whose equal shares stay above what each Comune already paid)."""
    first, second, page_a, page_b = open_both(two_udp, _regola_url(), "regola-form")
    page_a["importo_annuo"] = "300.000"
    assert first.post(_regola_url(), page_a).status_code == 302
    page_b["metodo"] = MetodoQuote.QUOTA_FISSA
    assert second.post(_regola_url(), page_b).status_code == 302
    regola = RegolaQuote.objects.get(piano=piano)
    assert (regola.metodo, regola.importo_annuo) == (MetodoQuote.QUOTA_FISSA, Decimal("300000.00"))
    n_comuni = ambito_comuni(piano.ambito).count()
    for anno in range(piano.anno_inizio, piano.anno_fine + 1):
        dovuti = list(QuotaComune.objects.filter(piano=piano, anno=anno).values_list("dovuto", flat=True))
        assert len(dovuti) == n_comuni
        assert sum(dovuti) == Decimal("300000.00")
        assert max(dovuti) - min(dovuti) <= Decimal("0.01")  # quota fissa: equal shares, to the cent


def test_switching_to_importi_on_a_stale_page_keeps_the_other_amount_and_opens_the_grid(two_udp, piano):
    first, second, page_a, page_b = open_both(two_udp, _regola_url(), "regola-form")
    page_a["importo_annuo"] = "30.000"
    assert first.post(_regola_url(), page_a).status_code == 302
    page_b["metodo"] = MetodoQuote.IMPORTI
    response = second.post(_regola_url(), page_b)
    assert response.status_code == 302
    assert response["Location"] == _importi_url()
    regola = RegolaQuote.objects.get(piano=piano)
    assert (regola.metodo, regola.importo_annuo) == (MetodoQuote.IMPORTI, Decimal("30000.00"))


def test_allocation_amount_changed_by_both_shows_both_amounts_the_italian_way(two_udp):
    url = _assegnazione_url()
    first, second, page_a, page_b = open_both(two_udp, url, "bilancio-form")
    page_a["importo"], page_b["importo"] = "1.500.000,5", "1.600.000"
    response = second_save_conflicts(first, second, url, page_a, page_b)
    box = conflict_box(response.content.decode())
    assert "1.500.000,5" in box
    assert "1.600.000" in box


def test_the_fund_check_runs_on_the_merged_line(two_udp, piano):
    """A raises the line's amount, B (stale page) moves the line to a smaller fund: each change alone fits, the
    merged line (A's amount on B's fund) does not, and is refused with the figures; nothing of B's is saved."""
    riga = _riga()
    RigaBilancio.objects.filter(pk=riga.pk).update(importo=Decimal("1000.00"))
    piccolo = assegna(piano, "FSR", 2025, "5000.00")
    url = reverse("planning:riga_bilancio_update", args=[riga.pk])
    first, second, page_a, page_b = open_both(two_udp, url, "bilancio-form")
    page_a["importo"] = "8.000"
    assert first.post(url, page_a).status_code == 302
    page_b["assegnazione"] = str(piccolo.pk)
    response = second.post(url, page_b)
    assert response.status_code == 200
    assert "8.000,00 € supera la disponibilità di 3.000,00 €" in response.content.decode()
    fondo = riga.assegnazione_id
    riga.refresh_from_db()
    assert (riga.assegnazione_id, riga.importo) == (fondo, Decimal("8000.00"))
