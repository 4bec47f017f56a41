"""Bands of "criteria met" a commune falls in, as the province reports them. Pure: no
Django, no database.

The province counts communes "under 10" criteria (the 2016-2020 set) and "under 15"
(the 2021-2025 set) (NTM_FACTS §4, :data:`criteria.selectors.overview.UNDER_LOW` and
``UNDER_HIGH``), and near the standard at 15-17 and 18 criteria. For a set of 19
criteria the bands are::

    0-9 · 10-14 · 15-17 · 18 · all 19 (the standard)

For a set of ``total`` criteria, the floors 10, 15 and 18 are kept where they lie below
``total`` and the last band is always "every criterion met". A set of 3 criteria has
two bands, 0-2 and 3. The floors are the province's reading aid for the map, not a rule of
a legal text.
"""

from dataclasses import dataclass

# Where a band of criteria met starts (0 is always a floor).
BAND_FLOORS = (10, 15, 18)


@dataclass(frozen=True)
class Band:
    """A band of criteria met, ``low`` to ``high`` inclusive (numbers of criteria).

    ``standard`` is the last band, "every criterion met" (``low == high == total``).
    """

    low: int
    high: int
    standard: bool = False

    @property
    def key(self) -> str:
        """A stable name for the band: "0-9", "18-18", "standard"."""
        return "standard" if self.standard else f"{self.low}-{self.high}"


def bands(total: int) -> tuple[Band, ...]:
    """The bands for a set of ``total`` criteria, lowest first, the standard last.

    ``bands(19)`` -> 0-9, 10-14, 15-17, 18-18, standard (19); ``bands(3)`` -> 0-2,
    standard (3); ``bands(0)`` -> standard (0). Raises ValueError for a negative total.
    """
    if total < 0:
        raise ValueError(f"A set has no negative number of criteria: {total}")
    edges = [0, *(floor for floor in BAND_FLOORS if floor < total), total]
    ranges = tuple(Band(low, high - 1) for low, high in zip(edges, edges[1:], strict=False) if high > low)
    return (*ranges, Band(total, total, standard=True))


def band_index(*, met: int, meets_standard: bool, total: int) -> int:
    """The index in :func:`bands` ``(total)`` of a commune with ``met`` criteria met.

    ``meets_standard`` (as stored on the assessment) puts it in the standard band; a
    count of ``total`` or more without the standard goes to the highest band below it,
    a negative count to the lowest.
    """
    all_bands = bands(total)
    if meets_standard or len(all_bands) == 1:
        return len(all_bands) - 1
    for index, band in enumerate(all_bands[:-1]):
        if met <= band.high:
            return index
    return len(all_bands) - 2
