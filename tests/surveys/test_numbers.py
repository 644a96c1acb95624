"""surveys.numbers: rounding half up, the thousands separator, reading whole numbers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from surveys.numbers import (
    MAX_DIGITS,
    NotAWholeNumber,
    format_thousands,
    mean_half_up,
    parse_whole_number,
    percent_of,
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (59.5, 60),
        (60.5, 61),
        (0.5, 1),
        (2.5, 3),
        (1.5, 2),
        (59.49, 59),
        (Decimal("72.5"), 73),
        (Fraction(119, 2), 60),
        (Fraction(200, 3), 67),
        (59, 59),
        (0, 0),
    ],
)
def test_round_half_up_rounds_halves_up_not_to_even(value, expected):
    assert round_half_up(value) == expected


def test_round_half_up_differs_from_python_round_at_even_halves():
    assert round(2.5) == 2
    assert round_half_up(2.5) == 3


def test_percent_of_rounds_the_exact_ratio_half_up():
    assert percent_of(1, 8) == 13  # 12.5
    assert percent_of(1, 3) == 33
    assert percent_of(2, 3) == 67
    assert percent_of(19, 21) == 90  # 90.476…
    assert percent_of(0, 5) == 0
    assert percent_of(5, 5) == 100


def test_percent_of_nothing_answered_is_none():
    assert percent_of(0, 0) is None


def test_mean_half_up_of_59_and_60_is_60():
    assert mean_half_up([59, 60]) == 60


def test_mean_half_up_of_no_figures_is_none():
    assert mean_half_up([]) is None


def test_format_thousands_uses_a_space_as_thousands_separator():
    assert format_thousands(4245026) == "4 245 026"
    assert format_thousands(1600000) == "1 600 000"
    assert format_thousands(999) == "999"


def test_format_thousands_takes_a_no_break_space_for_labels_that_must_not_wrap():
    assert format_thousands(1600000, separator="\u00a0") == "1\u00a0600\u00a0000"
    assert format_thousands(0) == "0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-0.5, -1),
        (-2.5, -3),
        (-59.5, -60),
        (-59.49, -59),
        (Fraction(-1, 2), -1),
        (Decimal("-0.4"), 0),
    ],
)
def test_round_half_up_rounds_negative_halves_away_from_zero(value, expected):
    assert round_half_up(value) == expected


def test_round_half_up_is_exact_for_big_whole_numbers_and_ratios():
    big = 10**18 + 1
    assert round_half_up(big) == big
    assert round_half_up(Fraction(2 * big + 1, 2)) == big + 1
    assert round_half_up(Fraction(2 * big - 1, 2)) == big


def test_percent_of_rounds_at_the_half_percent_edges():
    assert percent_of(1, 200) == 1  # 0.5
    assert percent_of(3, 200) == 2  # 1.5
    assert percent_of(5, 200) == 3  # 2.5, not 2 as round() gives
    assert percent_of(199, 200) == 100  # 99.5
    assert percent_of(1, 201) == 0  # 0.497…


def test_percent_of_a_negative_count_rounds_away_from_zero():
    assert percent_of(-1, 8) == -13  # -12.5


def test_mean_half_up_of_a_half_rounds_up():
    assert mean_half_up([1, 2]) == 2
    assert mean_half_up([-1, -2]) == -2


def test_format_thousands_of_negative_and_big_numbers():
    assert format_thousands(-1234567) == "-1 234 567"
    assert format_thousands(-999) == "-999"
    assert format_thousands(10**12) == "1 000 000 000 000"


def test_format_thousands_takes_a_whole_float_from_a_frame():
    assert format_thousands(1600000.0) == "1 600 000"


@pytest.mark.parametrize(
    ("raw", "percent", "expected"),
    [
        ("1600000", False, 1600000),
        ("1 600 000", False, 1600000),
        ("1\u00a0600\u00a0000", False, 1600000),
        ("1\u202f600", False, 1600),
        (" 42 ", False, 42),
        ("-3", False, -3),
        ("0", False, 0),
        ("007", False, 7),
        ("59 %", True, 59),
        ("59%", True, 59),
        ("1\u2009600", False, 1600),
        ("1.600.000", False, 1600000),
        ("12.500", False, 12500),
        ("1 600 000,00", False, 1600000),
        ("72,0 %", True, 72),
        ("\u22123", False, -3),
        ("\u20133", False, -3),
    ],
)
def test_parse_whole_number_reads_what_people_write(raw, percent, expected):
    assert parse_whole_number(raw, percent=percent) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "abc", "59 %", "+3", "--3", "\u0663", "1e3", "1,600,000", "1.60.000", ","],
)
def test_parse_whole_number_refuses_what_is_not_a_whole_number(raw):
    with pytest.raises(NotAWholeNumber) as refused:
        parse_whole_number(raw)

    assert not refused.value.too_long
    assert not refused.value.decimal
    assert refused.value.raw == raw


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("1,5", 2),
        ("1.5", 2),
        ("72,5", 73),
        ("72,49", 72),
        ("-2,5", -3),
        ("1 600,4", 1600),
        ("1.600,5", 1601),
        ("12.50", 13),
    ],
)
def test_parse_whole_number_refuses_decimals_and_gives_the_nearest_whole_number(
    raw, rounded
):
    with pytest.raises(NotAWholeNumber) as refused:
        parse_whole_number(raw)

    assert refused.value.decimal
    assert refused.value.rounded == rounded


def test_parse_whole_number_refuses_too_many_digits_but_not_leading_zeros():
    assert parse_whole_number("0" * 100 + "9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    with pytest.raises(NotAWholeNumber) as refused:
        parse_whole_number("9" * (MAX_DIGITS + 1))

    assert refused.value.too_long


def test_parse_whole_number_refuses_an_absurdly_long_fraction_quickly():
    with pytest.raises(NotAWholeNumber) as refused:
        parse_whole_number("1," + "5" * 100_000)

    assert refused.value.too_long
