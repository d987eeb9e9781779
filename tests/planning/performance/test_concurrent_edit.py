"""Two people editing the performance plan at once (strategic objective, operational objective with its
indicators, the dirigente's report): only what each one changed is written, a field changed by both is chosen on
the conflict page (core.optimistic)."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from planning.models import ObiettivoOperativo, ObiettivoStrategico
from tests.factories import user_with_role
from tests.two_sessions import (
    EditPage,
    different_fields_are_both_kept,
    load,
    outsiders_get_404,
    same_field_is_a_choice,
    sessions,
)

pytestmark = pytest.mark.django_db

PIANO = "performance-2017-servizi-sociali"


def _operativo() -> ObiettivoOperativo:
    return ObiettivoOperativo.objects.get(strategico__piano__slug=PIANO, codice="6_1203_0601")


def _strategico_url() -> str:
    strategico = ObiettivoStrategico.objects.filter(piano__slug=PIANO).order_by("ordine", "pk").first()
    return reverse("planning:obiettivo_strategico_update", args=[strategico.pk])


def _amount(typed: str) -> str:
    return f"{float(typed.replace(',', '.')):.2f}"


UFFICIO_DI_PIANO = [
    EditPage(
        "obiettivo strategico",
        _strategico_url,
        "obiettivo-strategico-form",
        x="testo", x_a="Testo dell'obiettivo di A", x_b="Testo dell'obiettivo di B",
        y="ordine", y_b="7",
    ),
    EditPage(
        "obiettivo operativo con gli indicatori",
        lambda: reverse("planning:obiettivo_operativo_update", args=[_operativo().pk]),
        "obiettivo-operativo-form",
        x="note", x_a="Note di A", x_b="Note di B",
        y="indicatori-0-descrizione", y_b="Famiglie in mobilità (descrizione di B)",
    ),
    EditPage(
        "indicatore di un obiettivo operativo",
        lambda: reverse("planning:obiettivo_operativo_update", args=[_operativo().pk]),
        "obiettivo-operativo-form",
        x="indicatori-1-target", x_a="30", x_b="27,5",
        y="dirigente_nome", y_b="Rossi",
        shown=lambda v: v if v == "Rossi" else _amount(v),
    ),
]  # fmt: skip

REPORT = [
    EditPage(
        "report del dirigente",
        lambda: reverse("planning:obiettivo_operativo_report", args=[_operativo().pk]),
        "report-form",
        x="report", x_a="Report di A: mobilità completata.", x_b="Report di B: mobilità in corso.",
        y="indicatori-0-raggiunto", y_b="12",
        shown=lambda v: "12.00" if v == "12" else v,
    ),
    EditPage(
        "valore raggiunto nel report del dirigente",
        lambda: reverse("planning:obiettivo_operativo_report", args=[_operativo().pk]),
        "report-form",
        x="indicatori-1-raggiunto", x_a="24", x_b="26,5",
        y="report", y_b="Report scritto da B.",
        shown=lambda v: v if v.startswith("Report") else _amount(v),
    ),
]  # fmt: skip


@pytest.fixture
def two_reporters(dirigente_user, admin_user):
    """The dirigente named on the objective and an administrator: the only two who write the report."""
    ObiettivoOperativo.objects.filter(pk=_operativo().pk).update(dirigente_utente=dirigente_user)
    return sessions(dirigente_user, admin_user)


@pytest.mark.parametrize("edit_page", UFFICIO_DI_PIANO, ids=str)
def test_changes_to_different_fields_are_both_kept(two_udp, edit_page):
    different_fields_are_both_kept(edit_page, *two_udp)


@pytest.mark.parametrize("choice", ["altro", "mio"])
@pytest.mark.parametrize("edit_page", UFFICIO_DI_PIANO, ids=str)
def test_same_field_changed_by_both_is_chosen_and_nothing_is_lost(two_udp, edit_page, choice):
    same_field_is_a_choice(edit_page, *two_udp, choice)


@pytest.mark.parametrize("edit_page", UFFICIO_DI_PIANO, ids=str)
def test_users_outside_the_ambito_and_readers_still_get_404(two_udp, edit_page, udp_oglio, dirigente_user):
    outsiders_get_404(edit_page, two_udp[0], sessions(udp_oglio, dirigente_user))


@pytest.mark.parametrize("edit_page", REPORT, ids=str)
def test_report_changes_to_different_fields_are_both_kept(two_reporters, edit_page):
    different_fields_are_both_kept(edit_page, *two_reporters)


@pytest.mark.parametrize("choice", ["altro", "mio"])
@pytest.mark.parametrize("edit_page", REPORT, ids=str)
def test_report_same_field_changed_by_both_is_chosen(two_reporters, edit_page, choice):
    same_field_is_a_choice(edit_page, *two_reporters, choice)


@pytest.mark.parametrize("edit_page", REPORT, ids=str)
def test_report_stays_closed_to_everyone_else(two_reporters, edit_page, udp_user, udp_oglio, magentino):
    other = user_with_role("dirigente-2", Ruolo.DIRIGENTE, ambito=magentino)
    outsiders_get_404(edit_page, two_reporters[0], sessions(udp_user, udp_oglio, other))


def test_report_and_objective_edited_at_once_keep_both(two_reporters, two_udp):
    """The dirigente writes the report while the Ufficio di Piano changes the scores of the same objective."""
    dirigente, udp = two_reporters[0], two_udp[0]
    report_url = reverse("planning:obiettivo_operativo_report", args=[_operativo().pk])
    edit_url = reverse("planning:obiettivo_operativo_update", args=[_operativo().pk])
    report, edit = load(dirigente, report_url, "report-form"), load(udp, edit_url, "obiettivo-operativo-form")
    report["report"] = "Report aggiornato dal dirigente."
    assert dirigente.post(report_url, report).status_code == 302
    edit["valutazione_qualitativa"] = "18"
    assert udp.post(edit_url, edit).status_code == 302
    o = _operativo()
    assert o.report == "Report aggiornato dal dirigente."
    assert o.valutazione_qualitativa == 18
