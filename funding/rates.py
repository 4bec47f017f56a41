"""Usage ratio, disbursement rate and the slow-disbursement list. Pure: no database.

Every rate is a percent (0-100, more than 100 is possible only with inconsistent data)
rounded to one decimal, half up, as the pages and the workbook show it: 190 t used of
200 t allocated -> ``Decimal("95.0")``. A unit with nothing allocated has no rate
(``None``), never 0 % nor a division by zero.

The expected disbursement rate is a step function set by a coordinator
(:class:`funding.models.DisbursementMilestone`): on a day, the rate of the latest
milestone due on or before that day; before the first milestone nothing is expected
(0 %). A unit is *slow* when its rate on that day is below the expected rate.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)

# Colour bands of the usage ratio on the cement overview: below LOW is slow (red),
# below GOOD is lagging (amber), from GOOD on it is on track (green).
USAGE_LOW = Decimal(50)
USAGE_GOOD = Decimal(80)


def exact_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` over ``whole`` in percent, unrounded (28 significant digits); None when
    ``whole`` is zero or less. ``exact_percent(Decimal(1380), Decimal(3200))`` ->
    ``Decimal("43.125")``."""
    if whole is None or whole <= 0:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` over ``whole`` as a percent rounded to one decimal, half up, as pages show
    it; None when ``whole`` is zero or less. ``percent(Decimal(1), Decimal(3))`` ->
    ``Decimal("33.3")``."""
    exact = exact_percent(part, whole)
    return None if exact is None else exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def usage_ratio(*, used: Decimal, allocated: Decimal) -> Decimal | None:
    """The cement usage ratio (tỷ lệ sử dụng / số được phân bổ) in percent: tonnes used
    over tonnes allocated; None when nothing was allocated."""
    return percent(used, allocated)


def disbursement_rate(*, disbursed: Decimal, allocated: Decimal) -> Decimal | None:
    """The disbursement rate (tỷ lệ giải ngân) in percent: VND disbursed over VND
    allocated; None when nothing was allocated."""
    return percent(disbursed, allocated)


def usage_band(ratio: Decimal | None) -> str:
    """The colour band of a usage ratio: "low" (< 50 %), "medium" (< 80 %), "high", or
    "none" when there is no ratio."""
    if ratio is None:
        return "none"
    if ratio < USAGE_LOW:
        return "low"
    if ratio < USAGE_GOOD:
        return "medium"
    return "high"


def expected_rate_on(milestones: Iterable[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal:
    """The expected disbursement rate (percent) on ``day``: the rate of the latest
    milestone ``(due date, percent)`` due on or before ``day``, 0 before the first.
    ``milestones`` may come in any order."""
    reached = [(due, rate) for due, rate in milestones if due <= day]
    if not reached:
        return Decimal(0)
    return max(reached)[1]


@dataclass(frozen=True)
class RateRow:
    """One line of a disbursement table: ``key`` identifies it (a unit, a source, a
    pair), ``allocated`` and ``disbursed`` are VND."""

    key: object
    allocated: Decimal
    disbursed: Decimal

    @property
    def rate(self) -> Decimal | None:
        """The disbursement rate in percent (one decimal), None with nothing allocated."""
        return disbursement_rate(disbursed=self.disbursed, allocated=self.allocated)

    @property
    def remaining(self) -> Decimal:
        """VND allocated and not yet disbursed (never negative)."""
        return max(self.allocated - self.disbursed, Decimal(0))


@dataclass(frozen=True)
class SlowRow:
    """A row below the expected rate, with the gap in percentage points and the VND
    that would have had to be disbursed to reach the expected rate."""

    row: RateRow
    expected: Decimal
    gap_points: Decimal
    shortfall: Decimal


def slow_rows(rows: Sequence[RateRow], *, expected: Decimal) -> list[SlowRow]:
    """The rows whose rate is below ``expected`` (percent), largest gap first, then by
    the order given. Rows with nothing allocated are never slow; with ``expected`` 0
    nothing is. ``shortfall`` is ``allocated × expected / 100 − disbursed`` rounded up
    to the whole dong."""
    slow = []
    for position, row in enumerate(rows):
        rate = row.rate
        if rate is None or rate >= expected:
            continue
        target = (row.allocated * expected / HUNDRED).to_integral_value(rounding="ROUND_CEILING")
        slow.append(
            (
                -(expected - rate),
                position,
                SlowRow(
                    row=row,
                    expected=expected,
                    gap_points=expected - rate,
                    shortfall=max(target - row.disbursed, Decimal(0)),
                ),
            )
        )
    slow.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in slow]
