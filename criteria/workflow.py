"""The assessment workflow as one explicit table: (state, role) -> allowed actions.

The same table drives the buttons on the page, the services (which refuse any action
not in it) and the API. Pure: no Django models, no database.

    draft --submit--> submitted --approve--> approved --reopen (reason)--> draft
                          |
                          +--return (reason)--> returned --submit--> submitted

After the period's lock date (khóa sổ) only a provincial coordinator may edit, submit
or reopen; the other roles keep only what does not change values (comment).
"""

from enum import StrEnum


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    COMMENT = "comment"


# Role keys are accounts.roles.Role values; state keys are AssessmentStatus values.
COORDINATOR = "provincial_coordinator"
DISTRICT = "district_officer"
# A commune officer (cán bộ xã, since 01/07/2025) does for its commune what a district
# officer did for a district: the same actions in every state.
COMMUNE = "commune_officer"
DEPARTMENT = "department_officer"
LEADER = "leader"
API_CLIENT = "api_client"
ROLES = (COORDINATOR, DISTRICT, COMMUNE, DEPARTMENT, LEADER, API_CLIENT)
STATES = ("draft", "submitted", "returned", "approved")

TRANSITIONS: dict[tuple[str, str], frozenset[Action]] = {
    ("draft", COORDINATOR): frozenset({Action.EDIT, Action.SUBMIT, Action.COMMENT}),
    ("draft", DISTRICT): frozenset({Action.EDIT, Action.SUBMIT}),
    ("draft", COMMUNE): frozenset({Action.EDIT, Action.SUBMIT}),
    ("draft", DEPARTMENT): frozenset({Action.COMMENT}),
    ("submitted", COORDINATOR): frozenset({Action.APPROVE, Action.RETURN, Action.COMMENT}),
    ("submitted", DEPARTMENT): frozenset({Action.COMMENT}),
    ("returned", COORDINATOR): frozenset({Action.EDIT, Action.SUBMIT, Action.COMMENT}),
    ("returned", DISTRICT): frozenset({Action.EDIT, Action.SUBMIT}),
    ("returned", COMMUNE): frozenset({Action.EDIT, Action.SUBMIT}),
    ("returned", DEPARTMENT): frozenset({Action.COMMENT}),
    ("approved", COORDINATOR): frozenset({Action.REOPEN, Action.COMMENT}),
    ("approved", DEPARTMENT): frozenset({Action.COMMENT}),
}

# Where each action leads.
TARGET_STATE = {
    Action.SUBMIT: "submitted",
    Action.APPROVE: "approved",
    Action.RETURN: "returned",
    Action.REOPEN: "draft",
}
# Actions that need a written reason.
NEEDS_REASON = frozenset({Action.RETURN, Action.REOPEN})
# Actions still open to non-coordinators after the lock date.
OPEN_AFTER_LOCK = frozenset({Action.COMMENT})


def allowed_actions(state: str, roles: frozenset[str] | set[str], *, locked: bool) -> frozenset[Action]:
    """Every action any of ``roles`` may take on an assessment in ``state``. When
    ``locked`` (after the period's lock date) only a coordinator keeps value-changing
    actions. Raises ValueError for an unknown state."""
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}")
    allowed: set[Action] = set()
    for role in roles:
        actions = TRANSITIONS.get((state, role), frozenset())
        if locked and role != COORDINATOR:
            actions = actions & OPEN_AFTER_LOCK
        allowed |= actions
    return frozenset(allowed)


def role_allows(action: Action, roles: frozenset[str] | set[str]) -> bool:
    """Whether any of ``roles`` may take ``action`` in some state (before the lock date).
    False means that a refusal is about who acts (the REST API answers 403), not about
    the assessment's state now (409)."""
    return any(action in TRANSITIONS.get((state, role), frozenset()) for state in STATES for role in roles)
