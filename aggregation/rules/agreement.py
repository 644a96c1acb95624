"""Agreement between two coders: Cohen's kappa per theme.

Pure functions; no ORM, no settings.

For one theme, each answer both coders coded is a pair of yes/no judgements. With n
such answers, p_o = share of answers where they agree, p_e = p_a·p_b + (1−p_a)(1−p_b)
where p_a and p_b are the shares each coder said yes; κ = (p_o − p_e) / (1 − p_e).
When p_e is 1 (both coders said the same thing to every answer, all yes or all no)
kappa is undefined: None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Agreement:
    """The two coders' judgements of one theme over the answers both coded."""

    both_yes: int
    only_first: int
    only_second: int
    both_no: int

    @property
    def answers(self) -> int:
        return self.both_yes + self.only_first + self.only_second + self.both_no

    @property
    def observed(self) -> Fraction | None:
        if not self.answers:
            return None
        return Fraction(self.both_yes + self.both_no, self.answers)

    @property
    def expected(self) -> Fraction | None:
        n = self.answers
        if not n:
            return None
        first = Fraction(self.both_yes + self.only_first, n)
        second = Fraction(self.both_yes + self.only_second, n)
        return first * second + (1 - first) * (1 - second)

    @property
    def kappa(self) -> Fraction | None:
        observed, expected = self.observed, self.expected
        if observed is None or expected is None or expected == 1:
            return None
        return (observed - expected) / (1 - expected)


def agreement_of(first: Sequence[bool], second: Sequence[bool]) -> Agreement:
    """The 2×2 table of two coders' yes/no judgements of the same answers, in order."""
    if len(first) != len(second):
        raise ValueError("The two coders' judgements must be of the same answers.")
    pairs = list(zip(first, second, strict=True))
    return Agreement(
        both_yes=sum(1 for a, b in pairs if a and b),
        only_first=sum(1 for a, b in pairs if a and not b),
        only_second=sum(1 for a, b in pairs if b and not a),
        both_no=sum(1 for a, b in pairs if not a and not b),
    )


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> Fraction | None:
    """Cohen's kappa of two coders' yes/no judgements; None when undefined."""
    return agreement_of(first, second).kappa
