"""Outliers against the Comune's history (issue 13, point 4): the bounds, the warning on the cell that needs a comment
before «Invia», the page of an Ambito with its filters, scoping and query count, the demo history."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Ruolo
from monitoring.demo import derive_template_for_year
from monitoring.models import ModelloScheda, Scheda, Stato, ValoreCella
from monitoring.outlier_checks import ambito_outliers, comuni_history, scheda_history_values
from monitoring.outliers import (
    MIN_ABSOLUTE_HALF_WIDTH,
    MIN_RELATIVE_HALF_WIDTH,
    OUTLIER_RULE,
    Bounds,
    bounds,
    is_outlier,
    median,
    outlier_text,
    past_column,
)
from monitoring.services import SubmitRefused, scheda_recompute, scheda_save, scheda_transition, submit_check
from territory.models import Comune
from tests.factories import user_with_role
from tests.schede_helpers import confirm_post, entry_post, fill_required, magenta_nid

D = Decimal

pytestmark = pytest.mark.usefixtures("without_demo_campaigns")


# --- 1. The bounds (pure functions) --------------------------------------------------------------------------


def test_bounds_are_median_plus_minus_three_robust_sigmas():
    b = bounds({2022: D(300), 2023: D(310), 2024: D(320)})
    # median 310, MAD 10, half-width 3 × 1.4826 × 10 = 44.478
    assert b == Bounds(low=D("265.5220"), high=D("354.4780"), median=D(310), mad=D(10), years=(2022, 2023, 2024))
    assert [is_outlier(D(v), b) for v in (265, 266, 354, 355)] == [True, False, False, True]
    assert not is_outlier(D("354.4780"), b)  # the bounds themselves are accepted


def test_a_constant_history_gets_ten_per_cent_and_at_least_one():
    b = bounds({2022: D(36), 2023: D(36), 2024: D(36)})
    assert (b.low, b.high, b.mad) == (D("32.4"), D("39.6"), D(0))  # MAD 0: ± 10% of 36
    small = bounds({2022: D(5), 2023: D(5), 2024: D(5)})
    assert (small.low, small.high) == (D(4), D(6))  # ± 1 (10% of 5 is less)
    assert [is_outlier(D(v), b) for v in (32, 33, 39, 40)] == [True, False, False, True]


def test_the_floor_applies_to_a_small_spread_too():
    # MAD 1 would give ± 4.4478, narrower than the ± 10.1 of a constant history: the floor applies
    b = bounds({2022: D(100), 2023: D(101), 2024: D(102)})
    assert (b.low, b.high) == (D("90.9"), D("111.1"))


def test_fewer_than_three_years_give_no_bounds_and_only_five_years_count():
    assert bounds({}) is None
    assert bounds({2023: D(1), 2024: D(1000)}) is None
    assert not is_outlier(D(10**9), None)
    b = bounds({2018: D(9999), 2020: D(10), 2021: D(12), 2022: D(11), 2023: D(13), 2024: D(12)})
    assert b.years == (2020, 2021, 2022, 2023, 2024)  # 2018 is left out
    assert b.median == D(12)
    assert b.years_label == "2020–2024"
    assert bounds({2019: D(1), 2022: D(1), 2024: D(1)}).years_label == "2019, 2022, 2024"


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert median([D(4), D(1), D(3), D(2)]) == D("2.5")
    with pytest.raises(ValueError, match="median of no values"):
        median([])


numbers = st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(numbers, min_size=3, max_size=8))
def test_bounds_properties(values):
    history = {2000 + i: v for i, v in enumerate(values)}
    b = bounds(history)
    used = values[-5:]
    half = (b.high - b.low) / 2
    assert b.low <= b.median <= b.high
    assert b.median - b.low == b.high - b.median  # symmetric around the median
    assert half >= max(MIN_ABSOLUTE_HALF_WIDTH, MIN_RELATIVE_HALF_WIDTH * abs(b.median))
    assert min(used) <= b.median <= max(used)
    # at least half of the history is inside its own bounds (the median ± MAD already holds half of it)
    assert sum(1 for v in used if not is_outlier(v, b)) * 2 >= len(used)
    # shifting the whole history shifts the median and keeps the MAD
    shifted = bounds({y: v + 1000 for y, v in history.items()})
    assert (shifted.median, shifted.mad) == (b.median + 1000, b.mad)


def test_past_column_shifts_only_the_reference_year():
    assert past_column("N25", 2025, 2024) == "N24"
    assert past_column("UF25", 2025, 2022) == "UF22"
    assert past_column("NUM25", 2025, 2023) == "NUM23"
    assert past_column("Y2025", 2025, 2024) == "Y2024"
    for kept in ("N18", "OS26", "Y2017", "SN", "IST", "TXT", "COM"):
        assert past_column(kept, 2025, 2024) == kept


def test_the_warning_text_uses_the_italian_number_format():
    b = bounds({2022: D(1800), 2023: D(1750), 2024: D(1850)})
    assert outlier_text(D(2500), b, 0) == (
        "Valore fuori dall'intervallo storico del Comune: atteso tra 1.578 e 2.022 (anni 2022–2024, mediana 1.800)"
    )
    assert "atteso tra 1.577,61 e 2.022,39" in outlier_text(D(2500), b, 2)


@pytest.mark.django_db
def test_derived_template_shifts_code_year_and_columns():
    nid26 = ModelloScheda.objects.get(codice="NID26").definizione
    nid23 = derive_template_for_year(nid26, 2022)
    assert (nid23["code"], nid23["reference_year"], nid23["due_date"]) == ("NID23", 2022, "2023-05-31")
    codes = {c["code"]: c["label"] for c in nid23["columns"]}
    assert codes["N22"] == "2022 - Asili nido"
    assert ("N25" in codes, codes["N18"], "OS26" in codes) == (False, "2018 - Asili nido", True)
    assert nid23["title"] == "NID23 - ASILI NIDO - SCHEDA DI MONITORAGGIO DEGLI OBIETTIVI DI SERVIZIO 2022"


# --- 2. The history of a scheda --------------------------------------------------------------------------------


def past_scheda(code: str, comune: Comune, values: dict[tuple[str, str], str]) -> Scheda:
    scheda = Scheda.objects.create(modello=ModelloScheda.objects.get(codice=code), comune=comune, stato=Stato.VALIDATA)
    for (row, col), value in values.items():
        ValoreCella.objects.create(scheda=scheda, riga=row, colonna=col, valore=value)
    return scheda


def arluno_with_history(arluno, years: int = 3, current: str = "200") -> Scheda:
    """Arluno: R05 (bambini gestiti) 105, 110, 100 in the NID schede of 2022, 2023, 2024 (the last `years`), and
    `current` in its NID26 draft."""
    history = [("NID25", "N24", "100"), ("NID24", "N23", "110"), ("NID23", "N22", "105")][:years]
    for code, col, value in history:
        past_scheda(code, arluno, {("R05", col): value, ("R01", col): "n.d."})  # not a number: no history
    scheda = Scheda.objects.create(modello=ModelloScheda.objects.get(codice="NID26"), comune=arluno)
    ValoreCella.objects.create(scheda=scheda, riga="R05", colonna="N25", valore=current)
    return Scheda.objects.select_related("modello", "comune").get(pk=scheda.pk)


ARLUNO_TEXT = "Valore fuori dall'intervallo storico del Comune: atteso tra 83 e 127 (anni 2022–2024, mediana 105)"


@pytest.mark.django_db
def test_three_past_years_make_a_warning_on_the_cell(arluno, django_assert_num_queries):
    scheda = arluno_with_history(arluno)
    with django_assert_num_queries(1):
        history = scheda_history_values(scheda)
    assert history == {("R05", "N25"): {2022: D(105), 2023: D(110), 2024: D(100)}}
    [warning] = [w for w in submit_check(scheda=scheda).warnings if w.message.rule == OUTLIER_RULE]
    assert (warning.key, warning.quadro, warning.message.text) == (("R05", "N25"), 1, ARLUNO_TEXT)
    assert not warning.justified


@pytest.mark.django_db
def test_fewer_than_three_past_years_or_a_value_inside_make_no_warning(arluno):
    scheda = arluno_with_history(arluno, years=2)
    assert not [w for w in submit_check(scheda=scheda).warnings if w.message.rule == OUTLIER_RULE]
    Scheda.objects.filter(comune=arluno).delete()
    scheda = arluno_with_history(arluno, current="120")  # inside 83-127
    assert not [w for w in submit_check(scheda=scheda).warnings if w.message.rule == OUTLIER_RULE]


@pytest.mark.django_db
def test_another_family_or_a_later_year_is_no_history(arluno, magenta):
    scheda = arluno_with_history(arluno, years=2)
    past_scheda("SOC25", arluno, {("R05", "N24"): "100"})  # another family
    assert comuni_history(scheda.modello, [arluno.pk]) == {arluno.pk: {("R05", "N25"): {2023: D(110), 2024: D(100)}}}
    assert comuni_history(ModelloScheda.objects.get(codice="NID23"), [arluno.pk]) == {}  # nothing before 2022


# --- 3. «Invia» needs a comment on the outlier ----------------------------------------------------------------


def justify_other_warnings(scheda, user) -> None:
    """Comment every warning on a cell except the outliers (the zeros of fill_required give some)."""
    check = submit_check(scheda=scheda)
    comments = {w.key: "Verificato" for w in check.warnings if w.on_cell and w.message.rule != OUTLIER_RULE}
    notes = {w.key: "Verificato" for w in check.warnings if not w.on_cell}
    scheda_save(scheda=scheda, user=user, values={}, comments={**comments, **notes}, expected_version=scheda.versione)
    scheda.refresh_from_db()


@pytest.mark.django_db
def test_an_outlier_needs_a_comment_before_sending_service(arluno, udp_user):
    scheda = arluno_with_history(arluno)
    fill_required(scheda, udp_user)
    justify_other_warnings(scheda, udp_user)
    check = submit_check(scheda=scheda)
    assert [w.key for w in check.unjustified] == [("R05", "N25")]
    with pytest.raises(SubmitRefused, match=r"cella R05/N25 \(Quadro 1\)"):
        scheda_transition(scheda=scheda, user=udp_user, action="invia")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA
    scheda_save(
        scheda=scheda, user=udp_user, values={}, comments={("R05", "N25"): "Nuova sezione"},
        expected_version=scheda.versione,
    )  # fmt: skip
    scheda.refresh_from_db()
    assert submit_check(scheda=scheda).ok
    scheda_transition(scheda=scheda, user=udp_user, action="invia")
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA


@pytest.mark.django_db
def test_an_outlier_needs_a_comment_before_sending_pages(arluno, udp_user, client_for):
    scheda = arluno_with_history(arluno)
    fill_required(scheda, udp_user)
    justify_other_warnings(scheda, udp_user)
    client = client_for(udp_user)
    quadro = client.get(reverse("monitoring:quadro", args=[scheda.pk, 1])).content.decode()
    messages = quadro.split('id="msg-R05-N25"')[1].split("</ul>")[0]
    assert f"Avviso: {ARLUNO_TEXT}" in messages.replace("&#x27;", "'")
    assert '<details class="commento small" open>' in quadro.split('id="v-R05-N25"')[1].split("</td>")[0]
    summary = client.get(reverse("monitoring:scheda_detail", args=[scheda.pk])).content.decode()
    assert ARLUNO_TEXT in summary.replace("&#x27;", "'")
    invio = reverse("monitoring:scheda_invio", args=[scheda.pk])
    page = client.get(invio).content.decode().replace("&#x27;", "'")
    assert ARLUNO_TEXT in page.split('data-testid="invio-avvisi"')[1]
    response = client.post(reverse("monitoring:transition", args=[scheda.pk]), confirm_post(scheda))
    assert response["Location"] == invio
    [flash] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "cella R05/N25 (Quadro 1)" in flash
    scheda.refresh_from_db()
    assert scheda.stato == Stato.BOZZA
    client.post(
        reverse("monitoring:quadro", args=[scheda.pk, 1]),
        entry_post(scheda, {}, **{"c-R05-N25": "Aperta una nuova sezione"}),
    )
    scheda.refresh_from_db()
    client.post(reverse("monitoring:transition", args=[scheda.pk]), confirm_post(scheda))
    scheda.refresh_from_db()
    assert scheda.stato == Stato.INVIATA


@pytest.mark.django_db
def test_the_live_computation_shows_the_outlier_while_typing(arluno, udp_user, client_for):
    scheda = arluno_with_history(arluno, current="100")
    url = reverse("monitoring:compute", args=[scheda.pk])
    data = client_for(udp_user).post(url, {"v-R05-N25": "300"}).json()
    assert {"severity": "warning", "text": ARLUNO_TEXT} in data["messages"]["R05.N25"]
    assert "R05.N25" not in client_for(udp_user).post(url, {"v-R05-N25": "110"}).json()["messages"]


# --- 4. The demo: three years of history for three Comuni, two outliers in Magenta's NID26 --------------------


MAGENTA_R01 = "Valore fuori dall'intervallo storico del Comune: atteso tra 266 e 354 (anni 2022–2024, mediana 310)"
MAGENTA_R11 = "Valore fuori dall'intervallo storico del Comune: atteso tra 286 e 374 (anni 2022–2024, mediana 330)"


@pytest.mark.django_db
def test_demo_history_gives_two_outliers_in_magenta():
    past = ModelloScheda.objects.filter(codice__in=["NID25", "NID24", "NID23", "SOC25", "SOC24", "SOC23"])
    assert sorted((m.codice, m.anno_riferimento, m.attivo) for m in past) == [
        ("NID23", 2022, False), ("NID24", 2023, False), ("NID25", 2024, False),
        ("SOC23", 2022, False), ("SOC24", 2023, False), ("SOC25", 2024, False),
    ]  # fmt: skip
    assert all("dati dimostrativi" in m.titolo for m in past)
    schede = Scheda.objects.filter(modello__in=past)
    assert schede.count() == 18
    assert {s.comune.nome for s in schede} == {"Magenta", "Corbetta", "Bareggio"}
    assert all(s.stato == Stato.VALIDATA and s.motivo.startswith("Dati dimostrativi") for s in schede)
    check = submit_check(scheda=magenta_nid())
    outliers = {w.key: (w.message.text, w.justified) for w in check.warnings if w.message.rule == OUTLIER_RULE}
    assert outliers == {("R01", "N25"): (MAGENTA_R01, True), ("R11", "N25"): (MAGENTA_R11, False)}


# --- 5. The page of an Ambito -------------------------------------------------------------------------------


def outliers_url(ambito, **params) -> str:
    url = reverse("monitoring:outliers", args=[ambito.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def listed(response) -> list[tuple[str, str, str]]:
    return [(r.comune_nome, r.cell, r.comment) for r in response.context["table"].data]


@pytest.mark.django_db
def test_the_ambito_page_lists_the_outliers_with_filters(client_for, udp_user, magentino, arluno):
    arluno_with_history(arluno)
    client = client_for(udp_user)
    response = client.get(outliers_url(magentino))
    assert response.status_code == 200
    assert response.context["modello"].codice == "NID26"  # the active templates' latest
    assert listed(response) == [
        ("Arluno", "R05/N25", ""),
        ("Magenta", "R01/N25", "Dato dimostrativo: a settembre 2025 ha aperto il nuovo nido comunale."),
        ("Magenta", "R11/N25", ""),
    ]
    page = response.content.decode()
    assert "<strong>3</strong> valori fuori dall'intervallo storico, di cui\n<strong>2</strong> da giustificare" in page
    for shown in ("266 – 354", "Da giustificare", "2022–2024"):
        assert shown in page
    scheda = magenta_nid()
    assert f'href="{reverse("monitoring:quadro", args=[scheda.pk, 1])}#c-R11-N25"' in page
    assert [c for _n, c, _t in listed(client.get(outliers_url(magentino, giustificati="no")))] == [
        "R05/N25",
        "R11/N25",
    ]
    assert [c for _n, c, _t in listed(client.get(outliers_url(magentino, giustificati="si")))] == ["R01/N25"]
    assert [n for n, _c, _t in listed(client.get(outliers_url(magentino, comune=arluno.pk)))] == ["Arluno"]
    assert listed(client.get(outliers_url(magentino, quadro=2))) == []
    assert listed(client.get(outliers_url(magentino, modello="SOC26"))) == []
    overview = client.get(reverse("monitoring:overview", args=[magentino.slug])).content.decode()
    assert f'href="{outliers_url(magentino)}"' in overview


@pytest.mark.django_db
def test_the_ambito_page_is_for_the_ambito_readers_only(client_for, magentino, oglio_po, udp_oglio, magenta):
    url = outliers_url(magentino)
    assert client_for(udp_oglio).get(url).status_code == 404
    assert client_for(user_with_role("op", Ruolo.OPERATORE, comune=magenta)).get(url).status_code == 404
    assert client_for(user_with_role("dir", Ruolo.DIRIGENTE, ambito=magentino)).get(url).status_code == 200
    assert client_for(user_with_role("adm", None)).get(url).status_code == 200
    assert client_for(udp_oglio).get(outliers_url(oglio_po)).status_code == 200


@pytest.mark.django_db
def test_the_ambito_page_queries_do_not_grow_with_the_comuni(
    client_for, udp_user, magentino, django_assert_max_num_queries
):
    client = client_for(udp_user)
    client.get(outliers_url(magentino))  # templates compiled, session read
    # 8 measured: session, user, grants, Ambito, templates, Comuni, values, past values
    with django_assert_max_num_queries(10):
        first = client.get(outliers_url(magentino))
    comuni = list(Comune.objects.filter(ambito=magentino).exclude(pk__in=["015130", "015085", "015012"])[:6])
    for comune in comuni:
        arluno_with_history(comune)
    # 8 measured: session, user, grants, Ambito, templates, Comuni, values, past values
    with django_assert_max_num_queries(10):
        second = client.get(outliers_url(magentino))
    assert len(second.context["table"].data) == len(first.context["table"].data) + len(comuni) == 8
    assert len(ambito_outliers(ModelloScheda.objects.get(codice="NID26"), Comune.objects.filter(ambito=magentino))) == 8


def arluno_soc_with_history(arluno, r09: str) -> Scheda:
    """Arluno: R12/SPA of SOC 100, 110, 105 in 2022-2024 and 500 in its SOC26 draft, in quadro 3, which applies
    when R07[Y2021] < R06[VAL] and R09[VAL] >= 1000 (R06 2.000, R07 1.000, R09 as given)."""
    for code, value in (("SOC25", "100"), ("SOC24", "110"), ("SOC23", "105")):
        past_scheda(code, arluno, {("R12", "SPA"): value})
    scheda = Scheda.objects.create(modello=ModelloScheda.objects.get(codice="SOC26"), comune=arluno)
    for (row, col), value in {("R12", "SPA"): "500", ("R06", "VAL"): "2000", ("R07", "Y2021"): "1000",
                              ("R09", "VAL"): r09}.items():  # fmt: skip
        ValoreCella.objects.create(scheda=scheda, riga=row, colonna=col, valore=value)
    scheda_recompute(scheda=Scheda.objects.select_related("modello", "comune").get(pk=scheda.pk))
    return scheda


@pytest.mark.django_db
@pytest.mark.parametrize(("r09", "listed_cells"), [("500", []), ("5000", [("Arluno", "R12/SPA")])])
def test_the_ambito_page_leaves_out_the_quadri_that_do_not_apply(
    client_for, udp_user, magentino, arluno, r09, listed_cells
):
    scheda = arluno_soc_with_history(arluno, r09)
    applies = submit_check(scheda=Scheda.objects.select_related("modello", "comune").get(pk=scheda.pk))
    assert bool([w for w in applies.warnings if w.message.rule == OUTLIER_RULE]) == bool(listed_cells)
    response = client_for(udp_user).get(outliers_url(magentino, modello="SOC26", comune=arluno.pk))
    assert [(n, c) for n, c, _t in listed(response)] == listed_cells
