"""Ranking for the year-end emulation scoreboard (bảng xếp hạng thi đua): an on-time rate
and competition ranks with ties. Pure: no database, no clock.

The rule (the same for the agencies' tasks and the reporting units' submissions):

* the on-time rate is the number done (or submitted) on time over the number due by the
  cut-off day, in percent, to one decimal, half up (2 of 3 -> ``Decimal("66.7")``);
  None when nothing was due yet;
* rows are ordered by the highest rate first (a row with no rate last), then the fewest
  overdue (tasks open past their deadline; reports not submitted by the deadline), then
  the name in Vietnamese alphabetical order (:func:`core.text.vi_sort_key`);
* rows equal on rate and overdue share a rank, and the next rank skips as many places
  ("standard competition ranking": 1, 2, 2, 4); the name only orders rows within a tie.
"""

from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from core.text import vi_sort_key

ONE_PLACE = Decimal("0.1")


def on_time_rate(on_time: int, due: int) -> Decimal | None:
    """``on_time`` over ``due`` in percent (0-100) to one decimal, half up; None when
    ``due`` is 0. Raises ValueError for a negative count or ``on_time > due``."""
    if on_time < 0 or due < 0 or on_time > due:
        raise ValueError(f"on time {on_time} of {due} due is not a rate")
    if not due:
        return None
    return (Decimal(100 * on_time) / Decimal(due)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def ranked[T](
    rows: Iterable[T],
    *,
    rate: Callable[[T], Decimal | None],
    overdue: Callable[[T], int],
    name: Callable[[T], str],
) -> list[tuple[int, T]]:
    """``rows`` in scoreboard order (see the module's docstring), each with its rank
    (1 for the first): ``[(1, best), (2, b), (2, c), (4, d)]``. ``rate``, ``overdue`` and
    ``name`` read a row's on-time rate (percent or None), overdue count and name."""

    def merit(row: T) -> tuple:
        value = rate(row)
        return (value is None, -(value or 0), overdue(row))

    ordered = sorted(rows, key=lambda row: (merit(row), vi_sort_key(name(row))))
    result: list[tuple[int, T]] = []
    previous = None
    for place, row in enumerate(ordered, start=1):
        key = merit(row)
        rank = result[-1][0] if result and key == previous else place
        result.append((rank, row))
        previous = key
    return result
