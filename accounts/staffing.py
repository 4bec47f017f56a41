"""The staffing of the NTM coordination offices, with no database: the rules of the two
counts a coordinator keeps, which change of the history is the last one of the staffing,
and the totals of a table of offices.

Notice 58/TB-UBND of 06/07/2020 (``../shared/seeds``) says the district coordination
offices lack full-time staff; the portal keeps, per office, how many it should have
(``ntm_staff_required``) and how many it has (``ntm_staff_actual``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

# The largest count accepted: no office has a thousand full-time NTM staff.
STAFF_MAX = 999


def staffing_errors(required, actual) -> dict[str, str]:
    """The problems of a pair of counts, by field ("required", "actual"), in the user's
    language; empty when they may be saved.

    Each is None (not reported) or a whole number from 0 to :data:`STAFF_MAX` (a bool or
    a float is refused). ``actual`` may exceed ``required`` (an office may hold more staff
    than its establishment), but ``actual`` without ``required`` is refused: the
    shortfall would mean nothing."""
    errors = {}
    for name, value, label in (
        ("required", required, _("Staff required")),
        ("actual", actual, _("Staff in post")),
    ):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = _("%(field)s: type a whole number.") % {"field": label}
        elif not 0 <= value <= STAFF_MAX:
            errors[name] = _("%(field)s: type a whole number from 0 to %(max)s.") % {
                "field": label,
                "max": STAFF_MAX,
            }
    if "actual" not in errors and actual is not None and required is None:
        errors["required"] = _("Staff required: give it too when you give the staff in post.")
    return errors


def staffing_shortfall(required: int | None, actual: int | None) -> int | None:
    """Staff an office lacks: ``required - actual``, 0 if it has enough, None unless both
    are known (the rule of ``Agency.staff_shortfall``)."""
    if required is None or actual is None:
        return None
    return max(required - actual, 0)


def last_staffing_change(
    pairs: Sequence[tuple[int | None, int | None]], baseline: Sequence[bool]
) -> int | None:
    """The index, in ``pairs`` (the (required, actual) of an agency's history rows, oldest
    first), of the last row that changed the staffing: one whose pair differs from the
    row before it, or the first row when it holds a count. Rows marked in ``baseline``
    (the state recorded before a first change, not a change) never count. None when no
    row changed the staffing."""
    found = None
    previous: tuple[int | None, int | None] = (None, None)
    for index, pair in enumerate(pairs):
        if pair != previous and not baseline[index]:
            found = index
        previous = pair
    return found


@dataclass(frozen=True)
class StaffingTotals:
    """The sums over the offices that reported both counts (``reported`` of ``offices``):
    staff required, in post, and lacking (the sum of each office's shortfall, so an
    office above its establishment does not hide another's lack)."""

    offices: int
    reported: int
    required: int
    actual: int
    shortfall: int

    @property
    def unreported(self) -> int:
        """Offices that have not reported both counts."""
        return self.offices - self.reported


def staffing_totals(pairs: Iterable[tuple[int | None, int | None]]) -> StaffingTotals:
    """:class:`StaffingTotals` of the (required, actual) pairs of a table of offices."""
    offices = reported = required = actual = shortfall = 0
    for office_required, office_actual in pairs:
        offices += 1
        lack = staffing_shortfall(office_required, office_actual)
        if lack is None:
            continue
        reported += 1
        required += office_required
        actual += office_actual
        shortfall += lack
    return StaffingTotals(offices, reported, required, actual, shortfall)
