"""Illustrative progress of a commune over consecutive reporting periods: which criteria
it meets in each, when it submitted, and when it was recognised. Seeded pseudo-random
and deterministic (the same seed and key give the same progress on every machine and
Python version), for benchmark datasets (``manage.py load_national_dataset``); never
official data. Pure: no Django, no database.

The shares are plausible, not sourced: about 40 % of communes meet every criterion from
the first period on, about 22 % reach the standard during the periods, the others stay
below it and improve by a criterion now and then; criteria are reached in a commune's own
order, the hard ones (production organisation, environment, income, poverty, schools)
mostly last. About 9 in 10 reports are submitted by the deadline.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

# The criteria of the 2016-2020 set (QĐ 1980/QĐ-TTg) from the hardest to reach: 13
# production organisation, 17 environment, 10 income, 11 poverty, 5 schools, 6 culture,
# 2 transport, 14 education, 15 health, 7 commerce, 9 housing, 12 labour, 16 culture
# life, 3 irrigation, 18 political system, 8 communication, 4 electricity, 19 defence,
# 1 planning. Numbers not listed (another set) count as of middling difficulty.
HARDEST_FIRST = (13, 17, 10, 11, 5, 6, 2, 14, 15, 7, 9, 12, 16, 3, 18, 8, 4, 19, 1)

EARLY_SHARE = 0.40  # meet the standard from the first period on
REACHING_SHARE = 0.22  # reach it during the periods
ON_TIME_SHARE = 0.9
ADVANCED_SHARE = 0.2  # of the early ones, recognised as advanced NTM communes
MODEL_SHARE = 0.25  # of the advanced ones, recognised as model NTM communes
OLD_RECOGNITION_SHARE = 0.3  # of those short of one or two criteria at the end


@dataclass(frozen=True)
class RecognitionPlan:
    """A recognition: its level (``"standard"``, ``"advanced"``, ``"model"``), the index
    of the period its decision falls in (-1: before the first period), and where in that
    period (0 <= ``fraction`` < 1 of its length)."""

    level: str
    period_index: int
    fraction: float


@dataclass(frozen=True)
class CommuneProgress:
    """One commune over the periods, in period order: ``met`` the criterion numbers it
    meets (each set contains the one before), ``days_late`` when it submitted (0 or less:
    that many days before the deadline; more: that many days after it, at most 20), and
    its recognitions."""

    met: tuple[frozenset[int], ...]
    days_late: tuple[int, ...]
    recognitions: tuple[RecognitionPlan, ...]


def _order(rng: random.Random, criteria: Sequence[int]) -> list[int]:
    """The commune's order of reaching the criteria: the easy first, shuffled a little."""
    rank = {number: position for position, number in enumerate(reversed(HARDEST_FIRST))}
    middle = len(HARDEST_FIRST) / 2
    return sorted(criteria, key=lambda number: rank.get(number, middle) + rng.uniform(-4, 4))


def commune_progress(*, seed: int, key: str, criteria: Sequence[int], periods: int) -> CommuneProgress:
    """The progress of the commune named ``key`` (its GSO code) over ``periods``
    consecutive periods of a set whose criteria are numbered ``criteria``, drawn from
    ``seed``. Raises ValueError when ``periods`` < 1 or ``criteria`` is empty."""
    if periods < 1 or not criteria:
        raise ValueError("at least one period and one criterion")
    rng = random.Random(f"{seed}:{key}")  # a str seed is hashed the same way everywhere
    total = len(criteria)
    draw = rng.random()
    recognitions: list[RecognitionPlan] = []
    if draw < EARLY_SHARE:
        counts = [total] * periods
        recognitions.append(RecognitionPlan("standard", -1, rng.random()))
        if rng.random() < ADVANCED_SHARE:
            recognitions.append(
                RecognitionPlan("advanced", rng.randrange(periods // 2, periods), rng.random())
            )
            if rng.random() < MODEL_SHARE:
                recognitions.append(RecognitionPlan("model", periods - 1, rng.random()))
    elif draw < EARLY_SHARE + REACHING_SHARE and periods > 1:
        reached = rng.randrange(1, periods)
        start = max(total - rng.randint(1, 6), 0)
        counts = sorted(rng.randint(start, total - 1) for _ in range(reached)) + [total] * (periods - reached)
        recognitions.append(RecognitionPlan("standard", reached, rng.random()))
    else:
        final = min(max(round(rng.triangular(4, total, total - 3)), 2), total - 1)
        start = max(final - rng.randint(0, 5), 0)
        counts = sorted(rng.randint(start, final) for _ in range(periods - 1)) + [final]
        # Recognised before the periods under an older set, short of a criterion or two now.
        if final >= total - 2 and rng.random() < OLD_RECOGNITION_SHARE:
            recognitions.append(RecognitionPlan("standard", -1, rng.random()))
    order = _order(rng, criteria)
    days_late = tuple(
        -rng.randint(0, 10) if rng.random() < ON_TIME_SHARE else rng.randint(1, 20) for _ in range(periods)
    )
    return CommuneProgress(
        met=tuple(frozenset(order[:count]) for count in counts),
        days_late=days_late,
        recognitions=tuple(recognitions),
    )
