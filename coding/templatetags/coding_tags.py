"""Agreement figures as the coding pages print them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template

from surveys.numbers import percent_of

register = template.Library()


@register.filter
def kappa(value: Fraction | None) -> str:
    """Cohen's kappa with two decimals and a decimal comma: "0,58"; "–" if undefined."""
    if value is None:
        return "–"
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)).replace(
        ".", ","
    )


@register.filter
def share_percent(value: Fraction | None) -> str:
    """A share as a whole percent, half up: "80 %"; "–" if there is none."""
    if value is None:
        return "–"
    percent = percent_of(value.numerator, value.denominator)
    return "–" if percent is None else f"{percent} %"
