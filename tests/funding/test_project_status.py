"""A value-chain project's status moves by a small table (funding.project_status) and
refuses what makes no sense: a rejected project with approved support, going back to
proposed with an approved amount, proposed straight to completed, approving while a
condition of the checklist is unchecked or not met."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from funding.models import CheckOutcome, ConditionCheck, SupportCondition, ValueChainProject
from funding.project_status import allowed_next, status_errors
from tests.funding.test_projects import _project


def test_the_table_allows_the_documented_path_and_nothing_from_completed():
    assert allowed_next(None) == ["proposed", "vetting", "approved", "rejected"]
    assert allowed_next("approved") == ["vetting", "approved", "in_progress"]
    assert allowed_next("in_progress") == ["in_progress", "completed"]
    assert allowed_next("completed") == ["completed"]
    assert "completed" not in allowed_next("proposed")


@pytest.mark.parametrize(
    ("previous", "status", "approved", "open_conditions", "fields"),
    [
        ("proposed", "completed", None, [], ["status"]),
        ("vetting", "rejected", 5, [], ["support_approved"]),
        ("approved", "vetting", None, [], []),
        ("vetting", "proposed", 5, [], ["support_approved"]),
        ("vetting", "approved", 5, ["Điều kiện A"], ["status"]),
        ("vetting", "approved", 5, [], []),
        ("approved", "approved", 5, ["Điều kiện A"], []),  # already approved: kept
    ],
)
def test_status_rules_name_the_field(previous, status, approved, open_conditions, fields):
    errors = status_errors(
        previous=previous, status=status, support_approved=approved, open_conditions=open_conditions
    )
    assert sorted(errors) == fields


@pytest.mark.django_db
def test_a_project_is_approved_only_once_every_condition_is_met(client, coordinator):
    call_command("load_missing", "support_conditions_4781", stdout=io.StringIO())
    conditions = list(SupportCondition.objects.filter(is_active=True))
    client.force_login(coordinator)
    client.post(reverse("funding-project-new"), _project())
    project = ValueChainProject.objects.get()
    url = reverse("funding-project-edit", args=[project.pk])
    approve = _project(status="approved", support_approved="2.000.000.000")
    response = client.post(url, approve)
    assert response.status_code == 400 and 'data-testid="error-status"' in response.content.decode()
    assert conditions[0].text in response.content.decode()
    for condition in conditions:
        ConditionCheck.objects.create(
            project=project,
            condition=condition,
            outcome=CheckOutcome.MET,
            checked_by=coordinator,
            checked_at="2026-11-30T02:00:00Z",
        )
    assert client.post(url, approve).status_code == 302
    project.refresh_from_db()
    assert project.status == "approved"
    # Back to proposed while the approved amount is kept: refused on the amount.
    response = client.post(url, _project(status="vetting", support_approved="2.000.000.000"))
    assert response.status_code == 302
    response = client.post(url, _project(status="proposed", support_approved="2.000.000.000"))
    assert response.status_code == 400 and 'data-testid="error-support_approved"' in response.content.decode()


@pytest.mark.django_db
def test_a_new_project_cannot_start_completed_nor_rejected_with_support(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("funding-project-new"), _project(status="completed"))
    assert response.status_code == 400 and 'data-testid="error-status"' in response.content.decode()
    response = client.post(
        reverse("funding-project-new"), _project(status="rejected", support_approved="1.000.000")
    )
    assert response.status_code == 400 and 'data-testid="error-support_approved"' in response.content.decode()
    assert not ValueChainProject.objects.exists()
