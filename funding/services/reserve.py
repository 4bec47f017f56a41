"""The cement reserve: the proposal for the coordinator's question, the check of the
shares they enter, and the approval that records a reserve batch. The method itself is
:mod:`funding.allocation` (pure); this module reads the candidates in the user's change
scope (:func:`funding.selectors.reserve.reserve_candidates`) and writes through
:func:`funding.services.cement.cement_batch_create`, in one transaction: nothing is saved when
any check fails."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_permission
from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from core.exceptions import READ_ONLY_MESSAGE
from core.formatting import decimal_text, tonnes_text
from funding import allocation
from funding.checks import ZERO, check_tonnes, check_year
from funding.models import BatchKind, CementBatch
from funding.selectors.cement import Level
from funding.selectors.reserve import reserve_candidates
from funding.services.cement import cement_batch_create


def reserve_proposal(*, user, year: int, level: str, reserve: int, weights: allocation.Weights):
    """The proposal for ``reserve`` tonnes of ``year`` among the units of ``level`` in the
    user's change scope: (units by id, :class:`~funding.allocation.Proposal`). Raises
    ValidationError on "year" when no unit of ``level`` is in force that year, on
    "reserve" (or "level") with the reason from
    :func:`funding.allocation.propose`."""
    check_year(year)
    if level not in Level.CHOICES:
        raise ValidationError({"level": _("Choose districts or communes.")})
    pairs = reserve_candidates(
        visible=unit_scope(user, for_change=True), year=year, level=level, today=timezone.localdate()
    )
    if not pairs:
        raise ValidationError(
            {
                "year": _("Year: no unit of this level was in force in %(year)s to share the reserve among.")
                % {"year": year}
            }
        )
    try:
        proposal = allocation.propose(reserve=reserve, candidates=[c for _u, c in pairs], weights=weights)
    except allocation.ProposalError as error:
        raise ValidationError({"reserve": str(error)}) from None
    return {unit.pk: unit for unit, _c in pairs}, proposal


def check_shares(
    *, proposal: allocation.Proposal, units: Mapping[int, AdministrativeUnit], shares: Mapping[int, Decimal]
) -> dict[int, Decimal]:
    """The coordinator's shares (tonnes by unit id) checked against ``proposal``: each
    unit of the proposal from 0 (a unit left out gets 0) with at most three decimals,
    adding up exactly to the reserve. Raises ValidationError on "share-<unit id>" naming the unit,
    or on "shares" saying the total and the difference."""
    errors = {}
    checked: dict[int, Decimal] = {}
    for row in proposal.rows:
        key = row.candidate.key
        value = shares.get(key, ZERO)  # an empty input: nothing for this unit
        try:
            checked[key] = check_tonnes(value, field=f"share-{key}", label=units[key].name, allow_zero=True)
        except ValidationError as error:
            errors.update({k: " ".join(v) for k, v in error.message_dict.items()})
    if set(shares) - {row.candidate.key for row in proposal.rows}:
        errors["shares"] = _("The shares name a unit that is not in the proposal; reload the page.")
    if errors:
        raise ValidationError(errors)
    total = sum(checked.values(), ZERO)
    if total != proposal.reserve:
        difference = total - proposal.reserve
        values = {
            "total": tonnes_text(total),
            "reserve": tonnes_text(Decimal(proposal.reserve)),
            "difference": tonnes_text(abs(difference)),
        }
        if difference > 0:
            message = _(
                "The shares add up to %(total)s: %(difference)s more than the reserve of %(reserve)s. "
                "Change the shares so that they add up exactly to the reserve."
            )
        else:
            message = _(
                "The shares add up to %(total)s: %(difference)s less than the reserve of %(reserve)s. "
                "Change the shares so that they add up exactly to the reserve."
            )
        raise ValidationError({"shares": message % values})
    return checked


def _plain(value) -> str:
    """A number as the basis stores it: plain digits, never an exponent (a zero ratio
    computed by division is ``0E+3`` to ``str``)."""
    return format(Decimal(value), "f")


def proposal_basis(
    proposal: allocation.Proposal, approved: Mapping[int, Decimal] | None = None
) -> list[dict]:
    """The proposal as JSON-ready rows (numbers as strings) for ``CementBatch.basis``."""
    rows = []
    for row in proposal.rows:
        item = row.priority
        rows.append(
            {
                "unit_id": row.candidate.key,
                "code": row.candidate.code,
                "name": row.candidate.name,
                "rank": row.rank,
                "allocated": _plain(row.candidate.allocated),
                "used": _plain(row.candidate.used),
                "ratio": None if item.ratio is None else _plain(item.ratio),
                "registered": row.candidate.registered,
                "road_km": _plain(row.candidate.road_km),
                "points": _plain(item.points),
                "proposed": row.share,
                "approved": _plain((approved or {}).get(row.candidate.key, row.share)),
            }
        )
    return rows


@transaction.atomic
def reserve_approve(
    *,
    user,
    year: int,
    level: str,
    reserve: int,
    weights: allocation.Weights,
    shares: Mapping[int, Decimal],
    decision_number: str,
    decision_date: datetime.date,
    note: str = "",
) -> CementBatch:
    """Approve the reserve of ``year``: recompute the proposal (coordinators:
    ``funding.add_cementbatch``), check the coordinator's ``shares`` (tonnes by unit
    id; :func:`check_shares`: they must add up exactly to ``reserve``), and record a
    reserve batch with one allocation per unit with a share, the proposal and the
    approved shares in its ``basis``. Raises as :func:`reserve_proposal`,
    :func:`check_shares` and :func:`cement_batch_create`; nothing is saved then."""
    require_permission(user, "funding.add_cementbatch", message=READ_ONLY_MESSAGE)
    units, proposal = reserve_proposal(user=user, year=year, level=level, reserve=reserve, weights=weights)
    checked = check_shares(proposal=proposal, units=units, shares=shares)
    weights_note = _(
        "Points: %(usage)s for a 100 %% usage ratio, %(registered)s per registered commune, %(road)s per km of road."
    ) % {
        "usage": decimal_text(weights.usage),
        "registered": decimal_text(weights.per_registered),
        "road": decimal_text(weights.per_road_km),
    }
    return cement_batch_create(
        user=user,
        year=year,
        kind=BatchKind.RESERVE,
        decision_number=decision_number,
        decision_date=decision_date,
        allocations={units[key]: tonnes for key, tonnes in checked.items()},
        note="\n".join(part for part in ((note or "").strip(), weights_note) if part),
        basis=proposal_basis(proposal, checked),
    )
