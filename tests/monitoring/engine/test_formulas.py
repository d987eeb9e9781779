"""The formula evaluator and the template compiler, on small templates."""

from decimal import Decimal

import pytest

from monitoring.engine import FormulaError, TemplateError, compile_template
from monitoring.engine.formulas import Result

from .helpers import tiny_template


def compute(rows, values, **kwargs) -> Result:
    return compile_template(tiny_template(rows, **kwargs)).compute(values)


def test_sum_and_reference() -> None:
    result = compute(
        [("R01", {"A": None, "B": None}), ("R02", {"A": "R01[A] + R01[B] * 2"})], {("R01", "A"): "1,5", ("R01", "B"): 2}
    )
    assert result.values[("R02", "A")] == Decimal("6")  # 5.5 rounded half up to 0 decimals
    assert result.computed == {("R02", "A"): Decimal("6")}


def test_round_half_up_not_bankers_rounding() -> None:
    rows = [("R19", {"A": None, "B": None, "C": None}), ("R20", {"A": "R19[A] * 9 / 12 + R19[B] + R19[C]"})]
    result = compute(rows, {("R19", "A"): 1230, ("R19", "B"): 1215, ("R19", "C"): 1337})
    assert result.values[("R20", "A")] == Decimal("3475")


def test_explicit_round_half_up_function_and_dependants_read_rounded_value() -> None:
    rows = [
        ("R01", {"A": None}),
        ("R02", {"A": "round_half_up(R01[A] / 2, 0)"}),
        ("R03", {"A": "R02[A] * 10"}),
    ]
    result = compute(rows, {("R01", "A"): "5"}, decimals=2)
    assert result.values[("R02", "A")] == Decimal("3.00")
    assert result.values[("R03", "A")] == Decimal("30.00")


def test_range_helpers_follow_template_order() -> None:
    rows = [
        ("R05", {"A": None, "B": None}),
        ("R06", {"A": None}),  # no column B: skipped by sum_range over B
        ("R07", {"A": None, "B": None}),
        ("TOT", {"A": "sum_range(R05, R07, A)", "B": "sum_range(R05, R07, B)", "C": "sum_cols(R05, A, B)"}),
        ("ROWS", {"A": "sum_rows(A, R05, R07)"}),
    ]
    values = {("R05", "A"): 1, ("R05", "B"): 10, ("R06", "A"): 2, ("R07", "A"): 3, ("R07", "B"): 30}
    result = compute(rows, values)
    assert result.values[("TOT", "A")] == 6
    assert result.values[("TOT", "B")] == 40
    assert result.values[("TOT", "C")] == 11
    assert result.values[("ROWS", "A")] == 4


def test_empty_cells_count_as_zero_but_all_empty_gives_empty() -> None:
    rows = [("R01", {"A": None, "B": None}), ("R02", {"A": "R01[A] + R01[B]", "B": "R02[A] + 1"})]
    partial = compute(rows, {("R01", "A"): "4", ("R01", "B"): ""})
    assert partial.values[("R02", "A")] == 4
    empty = compute(rows, {})
    assert empty.values[("R02", "A")] is None
    assert empty.values[("R02", "B")] is None  # its only reference is empty too
    assert not empty.errors
    assert not empty.warnings


def test_constant_formula_is_computed_without_references() -> None:
    assert compute([("R01", {"A": "2 + 3"})], {}).values[("R01", "A")] == 5


def test_division_by_zero_gives_empty_and_a_warning() -> None:
    rows = [("R01", {"A": None, "B": None}), ("R02", {"A": "R01[A] / R01[B] * 100", "B": "R02[A] + 1"})]
    result = compute(rows, {("R01", "A"): "5", ("R01", "B"): "0"})
    assert result.values[("R02", "A")] is None
    assert result.values[("R02", "B")] is None
    assert not result.errors
    assert [(w.row, w.col) for w in result.warnings] == [("R02", "A")]
    assert "divisione per zero" in result.warnings[0].text


def test_min_max_abs_ternary_and_comparisons() -> None:
    rows = [
        ("R01", {"A": None, "B": None, "C": None}),
        ("R02", {"A": "min(R01[A], R01[B], R01[C])", "B": "max(R01[A], R01[B])", "C": "abs(R01[A] - R01[B])"}),
        ("R03", {"A": "1 if R01[A] > R01[B] else 2", "B": "R01[A] if not is_empty(R01[C]) else 99"}),
    ]
    result = compute(rows, {("R01", "A"): "7", ("R01", "B"): "-3"})
    assert result.values[("R02", "A")] == -3  # empty C ignored by min
    assert result.values[("R02", "B")] == 7
    assert result.values[("R02", "C")] == 10
    assert result.values[("R03", "A")] == 1
    assert result.values[("R03", "B")] == 99


def test_negative_input_is_an_error_unless_allowed() -> None:
    result = compute([("R01", {"A": None})], {("R01", "A"): "-1"})
    assert [e.text for e in result.errors] == ["Cella R01/A: il valore non può essere negativo"]


def test_parse_error_is_reported_on_the_cell_and_value_is_empty() -> None:
    rows = [("R01", {"A": None}), ("R02", {"A": "R01[A] + 1"})]
    result = compute(rows, {("R01", "A"): "1,234.5"})
    assert result.values[("R01", "A")] is None
    assert result.values[("R02", "A")] is None
    assert result.errors[0].row == "R01"
    assert "Valore non numerico: «1,234.5»" in result.errors[0].text


def test_too_many_decimals_is_a_warning() -> None:
    result = compute([("R01", {"A": None})], {("R01", "A"): "12,5"})
    assert result.values[("R01", "A")] == Decimal("12.5")
    assert [w.text for w in result.warnings] == ["Cella R01/A: sono ammessi al massimo 0 decimali"]


def test_unknown_and_not_applicable_cells_are_ignored_with_a_warning() -> None:
    result = compute([("R01", {"A": None})], {("R99", "A"): "1", ("R01", "B"): "2", ("R01", "C"): ""})
    assert sorted(w.text for w in result.warnings) == [
        "Cella R01/B: cella sconosciuta, valore ignorato",
        "Cella R99/A: cella sconosciuta, valore ignorato",
    ]


def test_supplied_total_that_does_not_add_up_is_flagged_not_fixed() -> None:
    rows = [("R01", {"A": None, "B": None}), ("R02", {"A": "R01[A] + R01[B]"})]
    ok = compute(rows, {("R01", "A"): 1, ("R01", "B"): 2, ("R02", "A"): "3"})
    assert not ok.warnings
    bad = compute(rows, {("R01", "A"): 1, ("R01", "B"): 2, ("R02", "A"): "4"})
    assert bad.values[("R02", "A")] == 3
    assert bad.warnings[0].text == "Cella R02/A: il valore indicato 4 differisce dal valore calcolato 3"


def test_text_in_arithmetic_is_an_error_not_an_exception() -> None:
    defn = tiny_template([("R01", {"A": None}), ("R02", {"A": "R01[A] + R03[A]"}), ("R03", {"A": None})])
    defn["quadri"][0]["blocks"][0]["rows"][2]["unit"] = "testo"
    result = compile_template(defn).compute({("R01", "A"): 1, ("R03", "A"): "testo"})
    assert result.values[("R02", "A")] is None
    assert result.errors
    assert result.errors[0].row == "R02"


# -- compile-time checks ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("R01[A] + R99[A]", "Formula della cella R21/A: codice sconosciuto R99"),
        ("R01[Z9]", "Formula della cella R21/A: codice di colonna sconosciuto Z9"),
        ("R01[C]", "Formula della cella R21/A: la cella R01/C non esiste nel modello"),
        ("R01 + 1", "Formula della cella R21/A: riferimento incompleto R01: indicare la colonna, ad esempio R01[COL]"),
        ("FOO + 1", "Formula della cella R21/A: codice sconosciuto FOO"),
        ("R01[A] +", "Formula della cella R21/A: errore di sintassi"),
        ("R01[A] ** 2", "Formula della cella R21/A: operatore non ammesso"),
        ("R01[A].real", "Formula della cella R21/A: costrutto non ammesso"),
        ("__import__('os')", "Formula della cella R21/A: funzione sconosciuta __import__"),
        ("open('x')", "Formula della cella R21/A: funzione sconosciuta open"),
        ("[x for x in (1, 2)]", "Formula della cella R21/A: costrutto non ammesso"),
        ("sum_range(R21, R01, A)", "Formula della cella R21/A: intervallo R21..R01 non valido"),
        ("round_half_up(R01[A], R01[A])", "Formula della cella R21/A: round_half_up richiede"),
        ("quadro_applies(1)", "Formula della cella R21/A: quadro_applies è ammessa solo"),
        ("max(x=1)", "Formula della cella R21/A: la funzione max non accetta argomenti con nome"),
        ("", "Formula della cella R21/A: formula vuota"),
    ],
)
def test_invalid_formulas_are_rejected_at_load_time_naming_the_cell(formula: str, message: str) -> None:
    defn = tiny_template([("R01", {"A": None, "B": None}), ("R21", {"A": formula})])
    with pytest.raises(FormulaError) as info:
        compile_template(defn)
    assert str(info.value).startswith(message)


def test_dependency_cycle_is_rejected() -> None:
    rows = [("R10", {"A": "R11[A] + 1"}), ("R11", {"A": "R12[A]"}), ("R12", {"A": "R10[A] * 2"})]
    with pytest.raises(FormulaError) as info:
        compile_template(tiny_template(rows))
    assert str(info.value) == "Formula della cella R10/A: dipendenza circolare R10/A → R11/A → R12/A → R10/A"


def test_self_reference_is_a_cycle() -> None:
    with pytest.raises(FormulaError, match="dipendenza circolare R01/A → R01/A"):
        compile_template(tiny_template([("R01", {"A": "R01[A] + 1"})]))


def test_topological_order_puts_dependencies_first() -> None:
    rows = [("R01", {"A": "R02[A] + 1"}), ("R02", {"A": "R03[A] * 2"}), ("R03", {"A": None})]
    compiled = compile_template(tiny_template(rows))
    assert compiled.order == (("R02", "A"), ("R01", "A"))
    assert compiled.compute({("R03", "A"): 5}).values[("R01", "A")] == 11


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (
            lambda d: d["quadri"][0]["blocks"][0]["rows"].append(dict(d["quadri"][0]["blocks"][0]["rows"][0])),
            "duplicato",
        ),
        (lambda d: d["quadri"][0]["blocks"][0]["rows"][0].update(unit="litri"), "unità «litri» non valida"),
        (lambda d: d["quadri"][0]["blocks"][0]["rows"][0]["cells"][0].update(col="ZZ"), "colonna ZZ non definita"),
        (lambda d: d["quadri"][0]["blocks"][0]["rows"][0]["cells"][0].update(kind="boh"), "tipo «boh» non valido"),
        (lambda d: d.pop("title"), "manca il campo «title»"),
        (lambda d: d["quadri"][0]["blocks"][0]["rows"][0].update(code="r01"), "codice «r01» non valido"),
    ],
)
def test_malformed_templates_are_rejected(patch, message: str) -> None:
    defn = tiny_template([("R01", {"A": None})])
    patch(defn)
    with pytest.raises(TemplateError, match=message):
        compile_template(defn)


# -- rules, conditional quadri, sentences ------------------------------------------------------------
def test_rules_with_severity_cell_and_each_col() -> None:
    rules = [
        {
            "id": "uguali",
            "expr": "R02[A] == R01[A]",
            "severity": "error",
            "message": "R02 deve essere uguale a R01",
            "row": "R02",
            "col": "A",
        },
        {
            "id": "dicui",
            "expr": "R02[{col}] <= R01[{col}]",
            "severity": "warning",
            "message": "R02 supera R01 in {col}",
            "row": "R02",
            "each_col": ["A", "B"],
        },
    ]
    rows = [("R01", {"A": None, "B": None}), ("R02", {"A": None, "B": None})]
    compiled = compile_template(tiny_template(rows, rules=rules))
    result = compiled.compute({("R01", "A"): 8, ("R02", "A"): 7, ("R01", "B"): 1, ("R02", "B"): 2})
    assert [(e.text, e.row, e.col, e.rule) for e in result.errors] == [
        ("R02 deve essere uguale a R01", "R02", "A", "uguali")
    ]
    assert [(w.text, w.col, w.rule) for w in result.warnings] == [("R02 supera R01 in B", "B", "dicui:B")]
    assert result.messages_for("R02", "B") == result.warnings
    assert compiled.compute({}).ok  # rules on empty cells are not checked


def test_invalid_rule_is_rejected_naming_the_rule() -> None:
    rules = [{"id": "r1", "expr": "R99[A] > 0", "severity": "error", "message": "x"}]
    with pytest.raises(FormulaError, match=r"^Regola r1: codice sconosciuto R99$"):
        compile_template(tiny_template([("R01", {"A": None})], rules=rules))


def test_conditional_quadro_and_sentences() -> None:
    sentences = [
        {
            "id": "s1",
            "quadro": 1,
            "after_row": "R01",
            "when": "quadro_applies(2)",
            "if_true": {"text": "Assegnati {R01.A} utenti.", "from_seed": False},
            "if_false": {"text": "NON sono stati assegnati utenti.", "from_seed": True},
        },
        {"id": "s2", "quadro": 2, "after_row": "Q2", "if_true": {"text": "Solo nel Quadro 2.", "from_seed": True}},
    ]
    rules = [{"id": "q2", "expr": "Q2[A] > 0", "severity": "error", "message": "Compilare Q2", "row": "Q2", "col": "A"}]
    compiled = compile_template(
        tiny_template([("R01", {"A": None})], applies_if="R01[A] > 0", sentences=sentences, rules=rules)
    )
    off = compiled.compute({("R01", "A"): "0", ("Q2", "A"): "0"})
    assert off.quadri == {1: True, 2: False}
    assert [s.text for s in off.sentences] == ["NON sono stati assegnati utenti."]
    assert off.ok  # the rule of the non-applicable Quadro 2 is skipped
    on = compiled.compute({("R01", "A"): "1.234", ("Q2", "A"): "0"})
    assert on.quadri == {1: True, 2: True}
    assert on.sentences_after("R01") == ["Assegnati 1234 utenti."]
    assert on.sentences_after("Q2") == ["Solo nel Quadro 2."]
    assert [e.rule for e in on.errors] == ["q2"]


def test_sentence_placeholder_must_exist() -> None:
    sentences = [{"id": "s1", "quadro": 1, "after_row": "R01", "if_true": {"text": "Valore {R01.Z}"}}]
    with pytest.raises(FormulaError, match=r"^Frase s1: la cella R01/Z del segnaposto non esiste nel modello$"):
        compile_template(tiny_template([("R01", {"A": None})], sentences=sentences))


def test_text_and_sino_cells() -> None:
    defn = tiny_template([("R01", {"A": None, "B": None})])
    cells = defn["quadri"][0]["blocks"][0]["rows"][0]["cells"]
    cells[0].update(unit="testo", max_length=5)
    cells[1].update(unit="sino")
    compiled = compile_template(defn)
    ok = compiled.compute({("R01", "A"): "breve", ("R01", "B"): "si"})
    assert ok.ok
    assert ok.values[("R01", "B")] == "SI"
    bad = compiled.compute({("R01", "A"): "troppo lungo", ("R01", "B"): "forse"})
    assert [e.text for e in bad.errors] == [
        "Cella R01/A: il testo supera il limite di 5 caratteri (12)",
        "Cella R01/B: valore non ammesso «forse». Indicare SI o NO",
    ]


def test_rule_that_fails_at_runtime_gives_a_warning_not_an_exception() -> None:
    defn = tiny_template(
        [("R01", {"A": None, "B": None})],
        rules=[{"id": "confronto", "expr": "R01[A] < R01[B]", "severity": "error", "message": "x"}],
    )
    defn["quadri"][0]["blocks"][0]["rows"][0]["cells"][0]["unit"] = "testo"
    result = compile_template(defn).compute({("R01", "A"): "testo", ("R01", "B"): "3"})
    assert not result.errors
    assert result.warnings[0].text.startswith("Regola confronto: verifica non eseguita")
