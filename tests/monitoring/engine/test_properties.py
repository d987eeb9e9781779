"""Property-based tests (hypothesis) of number formatting and of the evaluator."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from monitoring.engine import compile_template, format_it, parse_decimal, round_half_up

from .helpers import tiny_template

two_places = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False, allow_infinity=False
)


@given(two_places)
def test_format_then_parse_round_trip(value: Decimal) -> None:
    assert parse_decimal(format_it(value, 2)) == value
    assert parse_decimal(format_it(value, 2, grouping=False)) == value


@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False), st.integers(0, 6))
def test_round_half_up_is_within_half_a_unit_and_ties_go_away_from_zero(value: Decimal, places: int) -> None:
    rounded = round_half_up(value, places)
    unit = Decimal(1).scaleb(-places)
    assert abs(rounded - value) <= unit / 2
    if abs(rounded - value) == unit / 2:
        assert abs(rounded) > abs(value)


ROWS = [f"R{i:02d}" for i in range(1, 21)]
SUM_TEMPLATE = compile_template(
    tiny_template(
        [(code, {"A": None}) for code in ROWS]
        + [("TOT", {"A": "sum_range(R01, R20, A)", "B": " + ".join(f"{r}[A]" for r in ROWS)})],
        decimals=2,
        columns=("A", "B"),
    )
)


@settings(max_examples=200)
@given(st.lists(st.one_of(st.none(), two_places.map(abs)), min_size=20, max_size=20))
def test_evaluator_sum_equals_python_sum(values: list[Decimal | None]) -> None:
    result = SUM_TEMPLATE.compute({(code, "A"): v for code, v in zip(ROWS, values, strict=True)})
    present = [v for v in values if v is not None]
    expected = sum(present, Decimal(0)) if present else None
    assert result.values[("TOT", "A")] == expected
    assert result.values[("TOT", "B")] == expected
    assert not result.errors


@given(st.lists(two_places.map(abs), min_size=20, max_size=20))
def test_italian_strings_give_the_same_sum(values: list[Decimal]) -> None:
    as_text = {(code, "A"): format_it(v, 2) for code, v in zip(ROWS, values, strict=True)}
    assert SUM_TEMPLATE.compute(as_text).values[("TOT", "A")] == sum(values, Decimal(0))
