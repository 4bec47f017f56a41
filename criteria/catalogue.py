"""Pure helpers of the criteria catalogue: no Django models, no database.

* how a comparison reads (">=" -> "≥");
* a target without trailing zeros (Decimal("26.70") -> Decimal("26.7"), so the project's
  formats show "26,7");
* the reporting periods of a year and their default dates.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

COMPARISON_SYMBOLS = {">=": "≥", "<=": "≤", "=": "="}

# The portal's defaults for a new period, counted from its last day (editable per period
# in the admin): the submission deadline (hạn nộp, last day that counts as on time) and
# the lock date (khóa sổ, after which only a coordinator may edit).
SUBMISSION_DAYS_AFTER_END = 15
LOCK_DAYS_AFTER_END = 45

# A target has at most 2 decimals and fits Indicator.target (max_digits=12).
TARGET_DECIMAL_PLACES = 2
TARGET_MAX = Decimal("9999999999.99")
PERCENT_MAX = Decimal(100)


def comparison_symbol(comparison: str) -> str:
    """ "≥", "≤" or "=" for a numeric comparison; "" for "achieved" or anything else."""
    return COMPARISON_SYMBOLS.get(comparison, "")


def decimal_places(value: Decimal) -> int:
    """How many fractional digits ``value`` carries (26.7 -> 1, 26.70 -> 2, 36 -> 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


@dataclass(frozen=True)
class PeriodSpec:
    """One reporting period of a year. ``key`` is "h1", "h2" or "year"; ``code`` the
    period's code ("2020-h1", "2020-h2", "2020"); dates are the portal's defaults."""

    key: str
    code: str
    kind: str  # "half_year" or "year", as criteria.models.PeriodKind
    start: datetime.date
    end: datetime.date
    submission_deadline: datetime.date
    lock_date: datetime.date


def year_periods(year: int) -> list[PeriodSpec]:
    """The first half (01/01-30/06), second half (01/07-31/12) and whole year (01/01-31/12)
    of ``year``, each with submission deadline = end + 15 days and lock date = end + 45 days
    (first half of 2020: deadline 15/07/2020, lock 14/08/2020). Raises ValueError for a
    year outside 1900-2200."""
    if not 1900 <= year <= 2200:
        raise ValueError(f"year out of range: {year}")
    bounds = [
        ("h1", f"{year}-h1", "half_year", datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
        ("h2", f"{year}-h2", "half_year", datetime.date(year, 7, 1), datetime.date(year, 12, 31)),
        ("year", f"{year}", "year", datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
    ]
    return [
        PeriodSpec(
            key=key,
            code=code,
            kind=kind,
            start=start,
            end=end,
            submission_deadline=end + datetime.timedelta(days=SUBMISSION_DAYS_AFTER_END),
            lock_date=end + datetime.timedelta(days=LOCK_DAYS_AFTER_END),
        )
        for key, code, kind, start, end in bounds
    ]
