"""Two people editing the performance plan at once (strategic objective, operational objective with its
indicators, the dirigente's report): only what each one changed is written, a field changed by both is chosen on
the conflict page (core.optimistic)."""

import pytest
from django.urls import reverse

from accounts.models import Ruolo
from planning.models import ObiettivoOperativo, ObiettivoStrategico
from tests.factories import user_with_role
from tests.two_sessions import EditPage, SameTimeEdits, amount_shown, load, sessions

pytestmark = pytest.mark.django_db

PIANO = "performance-2017-servizi-sociali"


def _operativo() -> ObiettivoOperativo:
    return ObiettivoOperativo.objects.get(strategico__piano__slug=PIANO, codice="6_1203_0601")


def _strategico_url() -> str:
    strategico = ObiettivoStrategico.objects.filter(piano__slug=PIANO).order_by("ordine", "pk").first()
    return reverse("planning:obiettivo_strategico_update", args=[strategico.pk])


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
        shown=lambda v: v if v == "Rossi" else amount_shown(v),
    ),
]  # fmt: skip

REPORT = [
    EditPage(
        "report del dirigente",
        lambda: reverse("planning:obiettivo_operativo_report", args=[_operativo().pk]),
        "report-form",
        x="report", x_a="Report di A: mobilità completata.", x_b="Report di B: mobilità in corso.",
        y="indicatori-0-raggiunto", y_b="12",
        shown=lambda v: "12,00" if v == "12" else v,
    ),
    EditPage(
        "valore raggiunto nel report del dirigente",
        lambda: reverse("planning:obiettivo_operativo_report", args=[_operativo().pk]),
        "report-form",
        x="indicatori-1-raggiunto", x_a="24", x_b="26,5",
        y="report", y_b="Report scritto da B.",
        shown=lambda v: v if v.startswith("Report") else amount_shown(v),
    ),
]  # fmt: skip


@pytest.fixture
def two_reporters(dirigente_user, admin_user):
    """The dirigente named on the objective and an administrator: the only two who write the report."""
    ObiettivoOperativo.objects.filter(pk=_operativo().pk).update(dirigente_utente=dirigente_user)
    return sessions(dirigente_user, admin_user)


class TestUfficioDiPianoEditsAtOnce(SameTimeEdits):
    pages = UFFICIO_DI_PIANO


class TestReportWrittenAtOnce(SameTimeEdits):
    """The report is written by the dirigente named on the objective and an administrator; the Ufficio di Piano,
    another Ambito and another dirigente of the same Ambito still get 404."""

    pages = REPORT

    @pytest.fixture
    def writers(self, two_reporters):
        return two_reporters

    @pytest.fixture
    def outsiders(self, udp_user, udp_oglio, magentino):
        other = user_with_role("dirigente-2", Ruolo.DIRIGENTE, ambito=magentino)
        return sessions(udp_user, udp_oglio, other)


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
