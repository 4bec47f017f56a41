"""The rules of a value-chain project's status, pure (no database; tested without one).

The statuses (:class:`funding.models.ProjectStatus`) and the moves allowed between them::

    proposed ──> vetting (being vetted) ──> approved ──> in_progress (under way) ──> completed
        │              │   ^                    │
        │              │   └── rejected <───────┘ (via vetting)
        └──────────────┴──> approved / rejected

- a proposed project goes to vetting, or is decided (approved or rejected) at once;
- a project being vetted is decided, or sent back to proposed;
- an approved project gets under way, or goes back to vetting;
- a rejected project may be vetted again;
- a project under way is completed; a completed project stays completed.

Keeping the same status is always allowed; a new project starts as proposed or at any
status a proposed project may move to. On top of the table:

- "rejected" with an approved amount above 0 is refused (clear the amount);
- "proposed" while an approved amount above 0 is kept is refused;
- moving to "approved" while a condition of the checklist is unchecked or not met is
  refused, naming the conditions.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from funding.models.projects import ProjectStatus

S = ProjectStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.VETTING, S.APPROVED, S.REJECTED}),
    S.VETTING: frozenset({S.PROPOSED, S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset({S.VETTING, S.IN_PROGRESS}),
    S.REJECTED: frozenset({S.VETTING}),
    S.IN_PROGRESS: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
}


def allowed_next(previous: str | None) -> list[str]:
    """The statuses a project at ``previous`` (None: a new project) may be saved with,
    in the order of :class:`ProjectStatus`."""
    start = S.PROPOSED if previous is None else previous
    allowed = {start} | TRANSITIONS.get(start, frozenset())
    return [value for value in S.values if value in allowed]


def status_errors(
    *,
    previous: str | None,
    status: str,
    support_approved: Decimal | None,
    open_conditions: list[str] = (),
) -> dict[str, str]:
    """The errors (by form field) of saving a project at ``status`` that was at
    ``previous`` (None for a new one), with ``support_approved`` VND, while
    ``open_conditions`` (texts of the active conditions not checked or not met) remain."""
    errors: dict[str, str] = {}
    if status not in S.values:
        return errors
    if status not in allowed_next(previous):
        start = S(previous) if previous else S.PROPOSED
        errors["status"] = _(
            "Status: a project “%(previous)s” cannot become “%(status)s” directly; next it may be: %(allowed)s."
        ) % {
            "previous": start.label,
            "status": S(status).label,
            "allowed": ", ".join(str(S(value).label) for value in allowed_next(previous) if value != start)
            or "—",
        }
    amount = support_approved or Decimal(0)
    if status == S.REJECTED and amount > 0:
        errors["support_approved"] = _(
            "Support approved (VND): a rejected project has no approved support; clear the amount."
        )
    if status == S.PROPOSED and amount > 0:
        errors["support_approved"] = _(
            "Support approved (VND): a proposed project has no approved support yet; clear the amount "
            "or keep the project approved."
        )
    if status == S.APPROVED and previous != S.APPROVED and open_conditions:
        errors.setdefault(
            "status",
            _(
                "Status: the project cannot be approved while conditions are not checked or not met: %(conditions)s."
            )
            % {"conditions": "; ".join(open_conditions)},
        )
    return errors
