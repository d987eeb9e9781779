"""Italian number parsing and formatting."""

from decimal import Decimal, localcontext

import pytest

from core.numbers import NumberParseError, format_it, parse_decimal, round_half_up


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234,56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1234", "1234"),
        ("-5", "-5"),
        ("  12 ", "12"),
        ("+7,5", "7.5"),
        ("1.234", "1234"),  # Italian thousands, not 1.234
        ("12.500", "12500"),
        ("1.234.567", "1234567"),
        ("1.234.567,891", "1234567.891"),
        ("1.2345", "1.2345"),  # four digits after the dot: a decimal point
        ("1234.567", "1234.567"),  # first group of four digits: not a thousands group
        ("0.001", "0.001"),  # a thousands group cannot start with 0
        ("0,00000000", "0"),
        ("4935260,53", "4935260.53"),
        ("-1.234,5", "-1234.5"),
        ("1,234", "1.234"),  # comma = Italian decimal separator
        ("\u00a0172284\u00a0", "172284"),
    ],
)
def test_parse_decimal_accepts(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


def test_parse_decimal_keeps_the_written_decimals() -> None:
    assert str(parse_decimal("65,00")) == "65.00"


@pytest.mark.parametrize(
    "text",
    [
        "1.23.4,5",
        "12,3,4",
        "abc",
        "1,234.56",
        "",
        "   ",
        "1 234",
        ",5",
        "5,",
        ".5",
        "5.",
        "1e5",
        "NaN",
        "Infinity",
        "1.234.5",
        "--5",
        "1.234,5,6",
        "12a",
        "1'234",
    ],
)
def test_parse_decimal_rejects(text: str) -> None:
    with pytest.raises(NumberParseError) as info:
        parse_decimal(text)
    assert str(info.value) == f"Valore non numerico: «{text}». Usare il formato 1.234,56"
    assert isinstance(info.value, ValueError)


def test_parse_decimal_message_example() -> None:
    with pytest.raises(NumberParseError, match=r"^Valore non numerico: «abc»\. Usare il formato 1\.234,56$"):
        parse_decimal("abc")


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("1234.56"), 2, "1.234,56"),
        (Decimal("1234.565"), 2, "1.234,57"),  # half up
        (Decimal("1234.575"), 2, "1.234,58"),
        (Decimal("3474.5"), 0, "3.475"),
        (Decimal("2.5"), 0, "3"),  # Python's round() would give 2
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-1234.5"), 2, "-1.234,50"),
        (Decimal("-0.001"), 2, "0,00"),  # no negative zero
        (1234567, 0, "1.234.567"),
        (0, 2, "0,00"),
        (Decimal("999.995"), 2, "1.000,00"),
        (Decimal("0.5"), 0, "1"),
        (None, 2, ""),
        (Decimal("12"), 8, "12,00000000"),
        (Decimal("12.5"), 12, "12,500000000000"),  # more decimals than the steps made once
        # more digits than the context's 28: every digit and the decimals kept (abs() used to round them away)
        (Decimal("1e30"), 2, "1.000.000.000.000.000.000.000.000.000.000,00"),
        (Decimal("-123456789012345678901234567890.125"), 2, "-123.456.789.012.345.678.901.234.567.890,13"),
    ],
)
def test_format_it(value: Decimal | int | None, decimals: int, expected: str) -> None:
    assert format_it(value, decimals) == expected


def test_format_it_without_grouping_as_printed_by_the_scheda() -> None:
    assert format_it(Decimal("4935260.53"), 2, grouping=False) == "4935260,53"
    assert format_it(Decimal("2650.52"), 0, grouping=False) == "2651"


def test_round_half_up() -> None:
    assert round_half_up(Decimal("3474.5")) == Decimal("3475")
    assert round(Decimal("3474.5")) == 3474  # the trap the engine avoids
    assert round_half_up(Decimal("51.7985"), 2) == Decimal("51.80")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")
    assert round_half_up(7, 2) == Decimal("7.00")
    assert round_half_up(Decimal("123456789012345678901234567890.5")) == Decimal("123456789012345678901234567891")
    with pytest.raises(ValueError, match="decimals must be >= 0"):
        round_half_up(Decimal("1"), -1)


def test_round_half_up_in_a_less_precise_context() -> None:
    """A caller's context with fewer digits than the number needs does not cut the result."""
    with localcontext() as ctx:
        ctx.prec = 5
        assert round_half_up(Decimal("123456.785"), 2) == Decimal("123456.79")
        assert format_it(Decimal("123456.785"), 2) == "123.456,79"
