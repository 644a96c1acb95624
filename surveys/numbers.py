"""Numbers as the site reads and writes them: the one home of these rules.

- Rounding: half up (halves away from zero: 2.5 → 3, -2.5 → -3), as official statistics
  round; Python's round() rounds halves to even (2.5 → 2). round_half_up, percent_of,
  mean_half_up.
- Writing: a space between thousands, "4 245 026" (format_thousands).
- Reading: a whole number as a person writes it in Swedish, "1 600 000", "1.600.000",
  "1 600 000,00" or "59 %" (parse_whole_number).

Pure Python, no Django: aggregation.rules use it too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Ordinary, non-breaking, thin and narrow non-breaking spaces, as Excel, Word and
# people write them between thousands.
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
# The minus sign of typeset Swedish (U+2212) and the dashes word processors put for it.
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})
# A whole part with points between groups of three ("1.600.000", as some spreadsheets
# write thousands), or plain digits; then a fraction after a comma or point.
_NUMBER = re.compile(r"(-?)([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:[,.]([0-9]+))?")
# Digits a whole number may have when read: more than any number the site stores
# (10^12), and far below the length at which int() of a text becomes slow.
MAX_DIGITS = 40


def round_half_up(value: Decimal | Fraction | int | float) -> int:
    """Round to a whole number, halves away from zero: 59.5 → 60, 0.5 → 1, -2.5 → -3.

    A float is taken by its shortest repr (59.5, not 59.4999…); exact ratios should be
    passed as a Fraction or Decimal.
    """
    if isinstance(value, Fraction):
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        decimal = Decimal(repr(value))
    else:
        decimal = Decimal(value)
    return int(decimal.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(count: int, denominator: int) -> int | None:
    """100 × count / denominator as a whole percent, rounded half up; None for 0 of 0."""
    if denominator == 0:
        return None
    return round_half_up(Fraction(100 * int(count), int(denominator)))


def mean_half_up(figures: Sequence[int]) -> int | None:
    """The unweighted mean of whole numbers rounded half up; None when there are none."""
    if not figures:
        return None
    return round_half_up(Fraction(sum(int(f) for f in figures), len(figures)))


def format_thousands(number: int, *, separator: str = " ") -> str:
    """A whole number with a space between thousands: 4245026 → "4 245 026".

    separator="\u00a0" keeps the number on one line (chart labels).
    """
    return f"{int(number):,}".replace(",", separator)


# The unit written after an amount in kronor: "kr", "kr.", "kronor", "SEK", ":-".
_KRONOR = re.compile(r"(?:kr\.?|kronor|sek|:-)$", re.IGNORECASE)


class NotAWholeNumber(ValueError):
    """The text is not a whole number.

    too_long: it has more than MAX_DIGITS digits. decimal: it is a number with a
    fraction ("72,5"), whose nearest whole number (rounded half up) is `rounded`.
    """

    def __init__(
        self, raw: str, *, too_long: bool = False, rounded: int | None = None
    ) -> None:
        super().__init__(raw)
        self.raw = raw
        self.too_long = too_long
        self.rounded = rounded

    @property
    def decimal(self) -> bool:
        return self.rounded is not None


def parse_whole_number(raw: str, *, percent: bool = False, kronor: bool = False) -> int:
    """A whole number as a person writes it: "1 600 000", "-3", with percent "59 %",
    with kronor "15 460 474 kr" ("kronor", "SEK" and ":-" too).

    Spaces anywhere (also non-breaking and narrow ones) are ignored, and so are points
    between groups of three digits ("1.600.000"); a fraction of zeros is whole
    ("1 600 000,00"); the typeset minus sign counts as minus. Only ASCII digits count
    (int() would also read Arabic-Indic and other Unicode digits). Raises
    NotAWholeNumber, with `rounded` set for a number with decimals ("72,5").
    """
    cleaned = _SPACES.sub("", raw).translate(_MINUS)
    if percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if kronor:
        cleaned = _KRONOR.sub("", cleaned)
    match = _NUMBER.fullmatch(cleaned)
    if match is None:
        raise NotAWholeNumber(raw)
    sign, whole, fraction = match.groups()
    digits = whole.replace(".", "")
    if len(digits.lstrip("0")) > MAX_DIGITS or len(fraction or "") > MAX_DIGITS:
        raise NotAWholeNumber(raw, too_long=True)
    number = int(sign + digits)
    if fraction and fraction.strip("0"):
        exact = Decimal(f"{sign}{digits}.{fraction}")
        raise NotAWholeNumber(raw, rounded=round_half_up(exact))
    return number
