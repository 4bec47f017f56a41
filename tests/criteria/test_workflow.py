"""The approval workflow as users meet it, through the services: who may edit, submit,
approve, return, reopen and comment on an assessment in each state, before and after the
period's lock date (ARCHITECTURE.md: draft -> submitted -> approved, or returned with a
reason; approved is locked until a coordinator reopens it; after the lock date only a
coordinator changes anything). Each rule is tried on every state and persona it names."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from communes.models import AdministrativeUnit
from criteria.models import Assessment, AssessmentStatus
from criteria.services.assessments import (
    WorkflowRefused,
    assessment_comment,
    assessment_create,
    assessment_transition,
    assessment_update_values,
)
from criteria.workflow import ROLES, STATES, Action, allowed_actions

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
JULY_2020 = datetime.datetime(2020, 7, 3, 10, 0, tzinfo=VN)  # before the 2020-H1 lock date
AFTER_LOCK = datetime.datetime(2020, 8, 15, 10, 0, tzinfo=VN)  # the lock date is 14/08/2020
READ_ONLY = ["leader", "api_client_user"]
NOT_COORDINATORS = ["dai_tu_officer", "department_officer", *READ_ONLY]


@pytest.fixture(autouse=True)
def july_2020(frozen_time):
    frozen_time.move_to(JULY_2020)


@pytest.fixture
def assessment_in(dai_tu_officer, coordinator, small_set, period):
    """``assessment_in("approved")``: an assessment of Xã Phúc Lương (Đại Từ) brought to
    that state by its district officer and the coordinator, through the services."""

    def make(state: str):
        commune = AdministrativeUnit.objects.get(name="Xã Phúc Lương", valid_until=datetime.date(2025, 6, 30))
        assessment = assessment_create(
            user=dai_tu_officer, commune=commune, period=period, criteria_set=small_set
        )
        steps = {
            AssessmentStatus.DRAFT: [],
            AssessmentStatus.SUBMITTED: [(dai_tu_officer, Action.SUBMIT)],
            AssessmentStatus.RETURNED: [(dai_tu_officer, Action.SUBMIT), (coordinator, Action.RETURN)],
            AssessmentStatus.APPROVED: [(dai_tu_officer, Action.SUBMIT), (coordinator, Action.APPROVE)],
        }[state]
        for user, action in steps:
            assessment = assessment_transition(
                user=user, assessment=assessment, action=action, version=assessment.version, reason="Lý do"
            )
        assert assessment.status == state
        return assessment

    return make


def _try(user, assessment, action) -> bool:
    """Whether ``user`` could do ``action`` on ``assessment``. What it did is rolled back,
    so that a test may try several actions on the same assessment."""
    try:
        with transaction.atomic():
            _do(user, Assessment.objects.get(pk=assessment.pk), action)
            transaction.set_rollback(True)
    except WorkflowRefused:
        return False
    return True


def _do(user, assessment, action) -> None:
    if action == Action.EDIT:
        assessment_update_values(user=user, assessment=assessment, version=assessment.version, values={})
    elif action == Action.COMMENT:
        criterion = assessment.criteria_set.criteria.get(number=1)  # Sở GTVT's criterion
        assessment_comment(user=user, assessment=assessment, criterion=criterion, text="Ý kiến")
    else:
        assessment_transition(
            user=user, assessment=assessment, action=action, version=assessment.version, reason="Lý do"
        )


@pytest.mark.parametrize("persona", NOT_COORDINATORS)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", [Action.APPROVE, Action.RETURN, Action.REOPEN])
def test_only_a_coordinator_approves_returns_or_reopens(request, assessment_in, persona, state, action):
    assert not _try(request.getfixturevalue(persona), assessment_in(state), action)


@pytest.mark.parametrize("persona", ["coordinator", *NOT_COORDINATORS])
@pytest.mark.parametrize("state", [AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED])
def test_nobody_edits_a_submitted_or_approved_assessment(request, assessment_in, persona, state):
    assert not _try(request.getfixturevalue(persona), assessment_in(state), Action.EDIT)


@pytest.mark.parametrize("persona", ["dai_tu_officer", "coordinator"])
@pytest.mark.parametrize("state", [AssessmentStatus.DRAFT, AssessmentStatus.RETURNED])
@pytest.mark.parametrize("action", [Action.EDIT, Action.SUBMIT])
def test_the_district_officer_and_the_coordinator_edit_and_submit_drafts_and_returned_ones(
    request, assessment_in, persona, state, action
):
    assert _try(request.getfixturevalue(persona), assessment_in(state), action)


@pytest.mark.parametrize("state", STATES)
def test_a_submitted_assessment_is_decided_only_while_submitted(coordinator, assessment_in, state):
    assessment, submitted = assessment_in(state), state == AssessmentStatus.SUBMITTED
    assert _try(coordinator, assessment, Action.APPROVE) is submitted
    assert _try(coordinator, assessment, Action.RETURN) is submitted


@pytest.mark.parametrize("state", STATES)
def test_only_an_approved_assessment_is_reopened(coordinator, assessment_in, state):
    assert _try(coordinator, assessment_in(state), Action.REOPEN) is (state == AssessmentStatus.APPROVED)


@pytest.mark.parametrize("persona", READ_ONLY)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(Action))
def test_leaders_and_api_clients_change_nothing_in_any_state(request, assessment_in, persona, state, action):
    assert not _try(request.getfixturevalue(persona), assessment_in(state), action)


@pytest.mark.parametrize("state", STATES)
def test_a_department_officer_comments_in_every_state_and_does_nothing_else(
    department_officer, assessment_in, state
):
    assessment = assessment_in(state)
    assert _try(department_officer, assessment, Action.COMMENT)
    for action in set(Action) - {Action.COMMENT}:
        assert not _try(department_officer, assessment, action), action


@pytest.mark.parametrize("state", [AssessmentStatus.DRAFT, AssessmentStatus.RETURNED])
def test_after_the_lock_date_the_district_officer_stops_and_the_coordinator_goes_on(
    dai_tu_officer, coordinator, assessment_in, frozen_time, state
):
    assessment = assessment_in(state)
    frozen_time.move_to(AFTER_LOCK)
    assert not _try(dai_tu_officer, assessment, Action.EDIT)
    assert not _try(dai_tu_officer, assessment, Action.SUBMIT)
    assert _try(coordinator, assessment, Action.EDIT)
    assert _try(coordinator, assessment, Action.SUBMIT)


def test_after_the_lock_date_a_department_still_comments(department_officer, assessment_in, frozen_time):
    assessment = assessment_in(AssessmentStatus.SUBMITTED)
    frozen_time.move_to(AFTER_LOCK)
    assert _try(department_officer, assessment, Action.COMMENT)


def test_roles_add_up():
    # A user holding two roles may do what either may: a district officer who also
    # answers for a department edits, submits and comments.
    assert allowed_actions("draft", {"district_officer", "department_officer"}, locked=False) == {
        Action.EDIT,
        Action.SUBMIT,
        Action.COMMENT,
    }


def test_an_unknown_state_is_an_error():
    with pytest.raises(ValueError):
        allowed_actions("archived", {"provincial_coordinator"}, locked=False)


def test_the_tables_role_and_state_keys_are_the_portals():
    # workflow.py is pure and spells the keys itself; they must stay those of the models.
    from accounts.roles import Role

    assert set(ROLES) == set(Role.values)
    assert set(STATES) == set(AssessmentStatus.values)
