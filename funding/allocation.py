"""The cement reserve proposal (đề xuất phân bổ xi măng dự phòng). Pure: no database.

Notice 58/TB-UBND (06/07/2020), section 2: share the 2020 reserve "ưu tiên các địa phương
có tỷ lệ sử dụng xi măng/số được phân bổ cao, các địa phương có xã phấn đấu đạt chuẩn
nông thôn mới năm 2020". The method, as Vietnamese allocation decisions usually state
theirs, is by points (phương pháp tính điểm):

1. **Points** of a unit (district or commune), with the coordinator's weights
   (defaults in :class:`Weights`)::

       points = usage × min(ratio, 100) / 100          (ratio: the usage ratio in percent,
                                                        exact: 1380 of 3200 t is 43,125)
              + per_registered × communes registered to reach the standard this year
              + per_road_km × km of road still to harden (criterion 2; 0 by default)

   A unit with nothing allocated before has no usage ratio: it gets no usage points
   (nothing has shown it uses cement), but keeps its points for registered communes
   and roads. A unit with no points gets no cement.
2. **Rank**: points, high first; on equal points the higher usage ratio (none counts
   lowest), then more registered communes, then the GSO code in ascending order (so
   the ranking never depends on the order units were read in).
3. **Shares** in whole tonnes by the largest-remainder (Hamilton) method: each unit's
   exact quota is ``reserve × points / total points`` (computed exactly, as
   fractions); each gets the whole part of its quota; the tonnes left over (fewer than
   the number of units) go one each to the largest fractional parts, equal fractional
   parts in rank order. The shares add up exactly to the reserve: no tonne is lost to
   rounding.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from funding.rates import HUNDRED, exact_percent

# Reserves are whole tonnes; a province's reserve is a few thousand tonnes.
MAX_RESERVE = 10_000_000


class ProposalError(ValueError):
    """The proposal cannot be made; the message (translated) says why."""


@dataclass(frozen=True)
class Weights:
    """Points for a usage ratio of 100 % (``usage``), for each commune registered to reach
    the standard this year (``per_registered``), for each km of road still to harden
    (``per_road_km``). All non-negative."""

    usage: Decimal = Decimal(10)
    per_registered: Decimal = Decimal(5)
    per_road_km: Decimal = Decimal(0)


@dataclass(frozen=True)
class Candidate:
    """A unit the reserve may go to: what it was allocated and used this year (tonnes),
    how many of its communes registered to reach the standard this year, and the km of
    road still to harden in it. ``key`` identifies it to the caller (a unit id)."""

    key: int
    code: str
    name: str
    allocated: Decimal
    used: Decimal
    registered: int = 0
    road_km: Decimal = Decimal(0)


@dataclass(frozen=True)
class Priority:
    """A candidate's points, part by part (see the module's docstring)."""

    candidate: Candidate
    ratio: Decimal | None
    usage_points: Decimal
    target_points: Decimal
    road_points: Decimal

    @property
    def points(self) -> Decimal:
        """Usage, registered-commune and road points added up."""
        return self.usage_points + self.target_points + self.road_points


@dataclass(frozen=True)
class ProposalRow:
    """One unit of the proposal: its ``rank`` (1 = first priority), exact ``quota``
    (tonnes, a fraction), proposed ``share`` (whole tonnes) and whether it got one of
    the left-over tonnes (``extra_tonne``)."""

    rank: int
    priority: Priority
    quota: Fraction
    share: int
    extra_tonne: bool

    @property
    def candidate(self) -> Candidate:
        """The unit this row is about."""
        return self.priority.candidate


@dataclass(frozen=True)
class Proposal:
    """The proposal for ``reserve`` tonnes: the rows in rank order; ``sum(shares) ==
    reserve`` always."""

    reserve: int
    weights: Weights
    rows: tuple[ProposalRow, ...]

    @property
    def total_points(self) -> Decimal:
        """The points of every unit added up (the quotas' denominator)."""
        return sum((row.priority.points for row in self.rows), Decimal(0))

    @property
    def total_share(self) -> int:
        """The proposed tonnes added up: always the reserve."""
        return sum(row.share for row in self.rows)


def priority(candidate: Candidate, weights: Weights) -> Priority:
    """The points of ``candidate`` under ``weights``; the usage ratio is exact (pages show
    it to one decimal) and counts up to 100 %."""
    ratio = exact_percent(candidate.used, candidate.allocated)
    usage_points = Decimal(0) if ratio is None else weights.usage * min(ratio, HUNDRED) / HUNDRED
    return Priority(
        candidate=candidate,
        ratio=ratio,
        usage_points=usage_points,
        target_points=weights.per_registered * candidate.registered,
        road_points=weights.per_road_km * candidate.road_km,
    )


def rank_key(item: Priority) -> tuple:
    """Sort key of the ranking: points, usage ratio (none lowest), registered communes,
    all high first; then the GSO code ascending."""
    ratio = item.ratio if item.ratio is not None else Decimal(-1)
    return (-item.points, -ratio, -item.candidate.registered, item.candidate.code, item.candidate.key)


def apportion(total: int, weights: Sequence[Fraction | Decimal | int]) -> list[tuple[Fraction, int, bool]]:
    """Share ``total`` whole units in proportion to ``weights`` by the largest-remainder
    (Hamilton) method. Returns, per weight, (exact quota, whole share, got a left-over
    unit). Equal remainders are served in the order of ``weights``. Raises ValueError
    when ``total`` is negative or no weight is positive."""
    if total < 0:
        raise ValueError("total must not be negative")
    exact = [Fraction(weight) for weight in weights]
    if any(weight < 0 for weight in exact) or sum(exact) <= 0:
        raise ValueError("at least one weight must be positive and none negative")
    whole_weight = sum(exact)
    quotas = [Fraction(total) * weight / whole_weight for weight in exact]
    shares = [quota.numerator // quota.denominator for quota in quotas]
    left = total - sum(shares)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    extra = set(order[:left])
    return [(quotas[i], shares[i] + (1 if i in extra else 0), i in extra) for i in range(len(quotas))]


def propose(*, reserve: int, candidates: Iterable[Candidate], weights: Weights | None = None) -> Proposal:
    """Rank ``candidates`` and share ``reserve`` whole tonnes among them (see the
    module's docstring). Every candidate is in the result, those with no points with a
    share of 0.

    Raises :class:`ProposalError` when the reserve is not a whole number of tonnes from 1
    to 10,000,000, a weight is negative, there is no candidate, or no candidate has any
    points.
    """
    weights = weights or Weights()
    if isinstance(reserve, bool) or int(reserve) != reserve or not 1 <= reserve <= MAX_RESERVE:
        raise ProposalError(_("The reserve must be a whole number of tonnes, from 1 to 10.000.000."))
    if min(weights.usage, weights.per_registered, weights.per_road_km) < 0:
        raise ProposalError(_("Points cannot be negative."))
    ranked = sorted((priority(candidate, weights) for candidate in candidates), key=rank_key)
    if not ranked:
        raise ProposalError(_("There is no unit to share the reserve among."))
    if sum((item.points for item in ranked), Decimal(0)) <= 0:
        raise ProposalError(
            _(
                "No unit has any priority points (no cement used, no commune registered to reach "
                "the standard): the reserve cannot be shared by priority. Check the year and the data, or "
                "change the points."
            )
        )
    shares = apportion(int(reserve), [item.points for item in ranked])
    rows = tuple(
        ProposalRow(rank=position, priority=item, quota=quota, share=share, extra_tonne=extra)
        for position, (item, (quota, share, extra)) in enumerate(zip(ranked, shares, strict=True), start=1)
    )
    return Proposal(reserve=int(reserve), weights=weights, rows=rows)
