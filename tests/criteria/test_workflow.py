"""The transition table, complete: every state x role x action, allowed or refused."""

import itertools

import pytest

from criteria.workflow import ROLES, STATES, Action, allowed_actions

C, D, P, L, A = "provincial_coordinator", "district_officer", "department_officer", "leader", "api_client"
E, S, AP, R, RO, CM = Action.EDIT, Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.REOPEN, Action.COMMENT

# The expected table, written out in full; (state, role): allowed before the lock date.
EXPECTED = {
    ("draft", C): {E, S, CM}, ("draft", D): {E, S}, ("draft", P): {CM}, ("draft", L): set(), ("draft", A): set(),
    ("submitted", C): {AP, R, CM}, ("submitted", D): set(), ("submitted", P): {CM}, ("submitted", L): set(), ("submitted", A): set(),
    ("returned", C): {E, S, CM}, ("returned", D): {E, S}, ("returned", P): {CM}, ("returned", L): set(), ("returned", A): set(),
    ("approved", C): {RO, CM}, ("approved", D): set(), ("approved", P): {CM}, ("approved", L): set(), ("approved", A): set(),
}  # fmt: skip


@pytest.mark.parametrize(("state", "role", "action"), list(itertools.product(STATES, ROLES, list(Action))))
def test_every_state_role_and_action_before_the_lock_date(state, role, action):
    allowed = action in allowed_actions(state, {role}, locked=False)
    assert allowed == (action in EXPECTED[(state, role)])


@pytest.mark.parametrize(("state", "role", "action"), list(itertools.product(STATES, ROLES, list(Action))))
def test_after_the_lock_date_only_a_coordinator_changes_anything(state, role, action):
    allowed = action in allowed_actions(state, {role}, locked=True)
    expected = EXPECTED[(state, role)] if role == C else EXPECTED[(state, role)] & {CM}
    assert allowed == (action in expected)


def test_roles_add_up():
    assert allowed_actions("draft", {D, P}, locked=False) == {E, S, CM}


def test_an_unknown_state_is_an_error():
    with pytest.raises(ValueError):
        allowed_actions("archived", {C}, locked=False)


def test_the_tables_role_and_state_keys_are_the_portals():
    # workflow.py is pure and spells the keys itself; they must stay those of the models.
    from accounts.roles import Role
    from criteria.models import AssessmentStatus

    assert set(ROLES) == set(Role.values)
    assert set(STATES) == set(AssessmentStatus.values)
