"""Evaluate indicator values against their targets. Pure: no Django, no database.

Rules (QĐ 1980/QĐ-TTg and QĐ 318/QĐ-TTg give each indicator a comparison and a target):

* a percent or number meets ``>=`` / ``<=`` / ``=`` its target at the boundary
  (85 meets ">= 85"; 26.7 meets "<= 26.7"); percents are 0-100;
* a Đạt / Không đạt indicator is met when the appraiser marked it Đạt;
* a numeric indicator **with no target yet** (unknown in the fixtures) is judged by the
  appraiser's Đạt / Không đạt, like a yes/no indicator; without that judgement it is
  UNDETERMINED, which counts as not met and is shown as "needs the appraiser's judgement";
* no value at all is MISSING, which counts as not met;
* a criterion is met when it has indicators and every one of them is met; a commune meets
  the standard when every criterion of the set is met.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Outcome(StrEnum):
    """The same values as ``criteria.models.Outcome``."""

    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"
    UNDETERMINED = "undetermined"


def evaluate_indicator(
    *, comparison: str, target: Decimal | None, number: Decimal | None, achieved: bool | None
) -> Outcome:
    """The outcome of one indicator value.

    ``comparison`` is ">=", "<=", "=" or "achieved"; ``target`` and ``number`` are in the
    indicator's unit (percent as 0-100); ``achieved`` is the Đạt (True) / Không đạt (False)
    mark, None when not given. Raises ValueError for an unknown comparison.
    """
    if comparison == "achieved" or target is None:
        if comparison not in {"achieved", ">=", "<=", "="}:
            raise ValueError(f"unknown comparison {comparison!r}")
        if achieved is None:
            return Outcome.MISSING if comparison == "achieved" or number is None else Outcome.UNDETERMINED
        return Outcome.MET if achieved else Outcome.NOT_MET
    if number is None:
        return Outcome.MISSING
    if comparison == ">=":
        met = number >= target
    elif comparison == "<=":
        met = number <= target
    elif comparison == "=":
        met = number == target
    else:
        raise ValueError(f"unknown comparison {comparison!r}")
    return Outcome.MET if met else Outcome.NOT_MET


def criterion_met(outcomes: Iterable[Outcome]) -> bool:
    """A criterion is met when it has at least one indicator and all are MET."""
    outcomes = list(outcomes)
    return bool(outcomes) and all(outcome is Outcome.MET for outcome in outcomes)


@dataclass(frozen=True)
class Summary:
    """``met`` criteria out of ``total``; ``meets_standard`` when all are met."""

    met: int
    total: int

    @property
    def meets_standard(self) -> bool:
        return self.total > 0 and self.met == self.total


def summarize(criterion_results: Iterable[bool]) -> Summary:
    """Count the met criteria of an assessment from one boolean per criterion of the set."""
    results = list(criterion_results)
    return Summary(met=sum(results), total=len(results))
