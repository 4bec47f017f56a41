"""The seed notice 58/TB-UBND as a directive (``load_seed_directive``), and the writes on
assignments: progress, done, extensions with their deadline history, and who may do them."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from accounts.models import Agency, AgencyKind, Notification
from core.exceptions import OutOfScope
from directives.models import (
    Assignment,
    AssignmentRole,
    DeadlineChange,
    Directive,
    DirectiveKind,
    ExtensionStatus,
    Task,
)
from directives.selectors.assignments import acting_agency_ids, assignment_scope
from directives.services.assignments import (
    assignment_mark_done,
    assignment_reopen,
    extension_decide,
    extension_request_create,
    progress_report_create,
)
from directives.services.directives import DirectiveInput, TaskInput, directive_create

from .conftest import assignment_of

pytestmark = pytest.mark.django_db


def codes(assignments) -> set[str]:
    return {assignment.agency.code for assignment in assignments}


# --- The seed directive ------------------------------------------------------------------


def test_the_seed_directive_has_its_fields(seed_directive):
    assert seed_directive.number == "58/TB-UBND"
    assert seed_directive.kind == DirectiveKind.CONCLUSION_NOTICE
    assert seed_directive.issued_on == datetime.date(2020, 7, 6)
    assert seed_directive.issuer == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert seed_directive.signer == "Luu Quang Tuấn"
    assert seed_directive.title.startswith("Kết luận của Phó Chủ tịch UBND tỉnh Dương Văn Lượng tại Hội nghị")
    assert "Nơi nhận:" in seed_directive.body
    recipients = set(seed_directive.recipients.values_list("code", flat=True))
    assert {"vpdp-ntm-tinh", "tinh-uy", "hdnd-tinh", "bao-thai-nguyen", "ubnd-huyen-dai-tu"} <= recipients


def test_the_seed_tasks_are_cut_by_section_with_the_two_deadlines(seed_directive):
    tasks = list(seed_directive.tasks.order_by("position"))
    assert [task.section_number for task in tasks] == ["1"] * 3 + ["2"] * 3 + ["3"] * 8
    assert [task.deadline for task in tasks if task.deadline] == [
        datetime.date(2020, 7, 17),
        datetime.date(2020, 7, 15),
        datetime.date(2020, 12, 31),  # "bảo đảm đến cuối năm 2020 đạt được tiêu chí"
    ]
    assert tasks[3].deadline_phrase == "trước ngày 17/7/2020" and tasks[3].section_number == "2"
    assert tasks[4].deadline_phrase == "trước ngày 15/7/2020"
    assert tasks[10].parent == tasks[9] and tasks[11].parent == tasks[9]  # the "+" sub-bullets


def test_each_section_is_assigned_to_its_agencies(seed_directive):
    departments = set(
        Agency.objects.filter(kind=AgencyKind.PROVINCIAL_DEPARTMENT).values_list("code", flat=True)
    )
    committees = set(Agency.objects.filter(kind=AgencyKind.DISTRICT_COMMITTEE).values_list("code", flat=True))
    for task in seed_directive.tasks.all():
        leads = task.assignments.filter(role=AssignmentRole.LEAD)
        cooperating = task.assignments.filter(role=AssignmentRole.COOPERATING)
        if task.section_number == "1":
            assert codes(leads) == departments
            # "Phối hợp với UBND cấp huyện …": the district committees cooperate on the first.
            assert codes(cooperating) == (committees if task.position == 1 else set())
        elif task.section_number == "2":
            assert codes(leads) == {"vpdp-ntm-tinh"} and not cooperating.exists()
        else:
            # "Each district": one lead assignment per district committee, its BCĐ cooperating.
            assert codes(leads) == committees and len(committees) == 9
            assert {a.agency.kind for a in cooperating} == {AgencyKind.STEERING_COMMITTEE}
            assert cooperating.count() == 9
            assert all(a.deadline == task.deadline for a in task.assignments.all())
    assert Assignment.objects.filter(task__directive=seed_directive).count() == 3 * 17 + 9 + 3 + 8 * 18


def test_loading_the_seed_twice_adds_nothing(seed_directive):
    out = io.StringIO()
    call_command("load_seed_directive", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Directive.objects.count() == 1 and Task.objects.count() == 14


# --- Creating a directive ------------------------------------------------------------------


def _input(**changes) -> DirectiveInput:
    agency = Agency.objects.get(code="so-y-te")
    values = {
        "number": "12/CT-UBND",
        "kind": "directive",
        "issuer": "Ủy ban nhân dân tỉnh Thái Nguyên",
        "issued_on": datetime.date(2026, 11, 2),
        "title": "Về việc đẩy nhanh tiến độ",
        "tasks": (TaskInput(text="Rà soát tiêu chí y tế.", lead_ids=(agency.pk,)),),
    }
    return DirectiveInput(**(values | changes))


def test_only_a_coordinator_creates_a_directive(coordinator, department_officer, leader):
    for user in (department_officer, leader):
        with pytest.raises(PermissionDenied):
            directive_create(user=user, data=_input())
    directive = directive_create(user=coordinator, data=_input())
    assert directive.history.first().history_user == coordinator


def test_bad_input_names_the_fields(coordinator):
    with pytest.raises(ValidationError) as error:
        directive_create(
            user=coordinator,
            data=_input(
                number=" ", issued_on=None, tasks=(TaskInput(text="x"), TaskInput(text="", lead_ids=(1,)))
            ),
        )
    fields = error.value.message_dict
    assert {"number", "issued_on", "tasks-0", "tasks-1"} <= set(fields)


def test_the_same_number_and_date_twice_is_refused(coordinator):
    directive_create(user=coordinator, data=_input())
    with pytest.raises(ValidationError) as error:
        directive_create(user=coordinator, data=_input())
    assert "number" in error.value.message_dict


# --- Who acts for which agency --------------------------------------------------------------


def test_a_district_office_acts_for_its_districts_committees(dai_tu_officer, department_officer):
    dai_tu = {a.code for a in Agency.objects.filter(pk__in=acting_agency_ids(dai_tu_officer))}
    assert dai_tu == {"vpdp-ntm-huyen-dai-tu", "ubnd-huyen-dai-tu", "bcd-ntm-huyen-dai-tu"}
    transport = {a.code for a in Agency.objects.filter(pk__in=acting_agency_ids(department_officer))}
    assert transport == {"so-giao-thong-van-tai"}


def test_scope_of_assignments_by_role(
    seed_directive, coordinator, dai_tu_officer, leader, department_officer
):
    total = Assignment.objects.count()
    assert (
        assignment_scope(coordinator).count()
        == total
        == assignment_scope(coordinator, for_change=True).count()
    )
    assert (
        assignment_scope(leader).count() == total and not assignment_scope(leader, for_change=True).exists()
    )
    assert codes(assignment_scope(dai_tu_officer, for_change=True)) == {
        "ubnd-huyen-dai-tu",
        "bcd-ntm-huyen-dai-tu",
    }
    assert codes(assignment_scope(department_officer)) == {"so-giao-thong-van-tai"}


# --- Progress, done, extensions --------------------------------------------------------------


def test_an_assignee_reports_progress_and_marks_done(seed_directive, dai_tu_officer):
    assignment = assignment_of(seed_directive, "ubnd-huyen-dai-tu", position=7)
    progress_report_create(
        user=dai_tu_officer, assignment=assignment, text="Đã giải ngân 60% vốn.", percent=60
    )
    assignment.refresh_from_db()
    assert assignment.percent == 60 and assignment.reports.get().author == dai_tu_officer
    assignment_mark_done(user=dai_tu_officer, assignment=assignment, note="Hoàn thành.")
    assignment.refresh_from_db()
    assert (assignment.completed_on, assignment.percent) == (datetime.date(2026, 11, 30), 100)
    with pytest.raises(ValidationError):
        assignment_mark_done(user=dai_tu_officer, assignment=assignment)
    with pytest.raises(ValidationError) as error:
        progress_report_create(user=dai_tu_officer, assignment=assignment, text="Thêm.", percent=100)
    assert "text" in error.value.message_dict


def test_progress_input_is_checked(seed_directive, dai_tu_officer):
    assignment = assignment_of(seed_directive, "ubnd-huyen-dai-tu", position=7)
    with pytest.raises(ValidationError) as error:
        progress_report_create(user=dai_tu_officer, assignment=assignment, text=" ", percent=120)
    assert set(error.value.message_dict) == {"text", "percent"}


def test_another_agencys_assignment_is_404_and_a_leader_gets_403(seed_directive, phu_binh_officer, leader):
    dai_tu = assignment_of(seed_directive, "ubnd-huyen-dai-tu", position=7)
    with pytest.raises(OutOfScope):
        progress_report_create(user=phu_binh_officer, assignment=dai_tu, text="x", percent=1)
    with pytest.raises(PermissionDenied):
        assignment_mark_done(user=leader, assignment=dai_tu)


def test_an_extension_granted_moves_the_deadline_and_keeps_its_history(seed_directive, coordinator):
    office = assignment_of(seed_directive, "vpdp-ntm-tinh", deadline=datetime.date(2020, 7, 17))
    request = extension_request_create(
        user=coordinator,
        assignment=office,
        requested_deadline=datetime.date(2026, 12, 31),
        reason="Chờ số liệu.",
    )
    with pytest.raises(ValidationError):  # one pending request at a time
        extension_request_create(
            user=coordinator, assignment=office, requested_deadline=datetime.date(2027, 1, 31), reason="x"
        )
    assert office.bucket == "open_overdue"
    extension_decide(user=coordinator, extension=request, grant=True)
    office.refresh_from_db()
    assert office.deadline == datetime.date(2026, 12, 31) and office.bucket == "open_within_term"
    change = DeadlineChange.objects.get(assignment=office)
    assert (change.old_deadline, change.new_deadline) == (
        datetime.date(2020, 7, 17),
        datetime.date(2026, 12, 31),
    )
    assert office.task.deadline == datetime.date(2020, 7, 17)  # the directive's own deadline is kept
    with pytest.raises(ValidationError):
        extension_decide(user=coordinator, extension=request, grant=False, note="x")


def test_an_extension_request_notifies_coordinators_and_a_refusal_needs_a_note(
    seed_directive, coordinator, dai_tu_officer
):
    assignment = assignment_of(seed_directive, "ubnd-huyen-dai-tu", position=7)
    Assignment.objects.filter(pk=assignment.pk).update(deadline=datetime.date(2026, 12, 10))
    assignment.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        extension_request_create(
            user=dai_tu_officer,
            assignment=assignment,
            requested_deadline=datetime.date(2026, 12, 1),
            reason="x",
        )
    assert "requested_deadline" in error.value.message_dict
    request = extension_request_create(
        user=dai_tu_officer,
        assignment=assignment,
        requested_deadline=datetime.date(2026, 12, 20),
        reason="Mưa lũ.",
    )
    assert Notification.objects.filter(recipient=coordinator, message__contains="20/12/2026").exists()
    with pytest.raises(PermissionDenied):
        extension_decide(user=dai_tu_officer, extension=request, grant=True)
    with pytest.raises(ValidationError) as error:
        extension_decide(user=coordinator, extension=request, grant=False)
    assert "note" in error.value.message_dict
    extension_decide(user=coordinator, extension=request, grant=False, note="Không đủ căn cứ.")
    request.refresh_from_db()
    assert request.status == ExtensionStatus.REFUSED
    assignment.refresh_from_db()
    assert assignment.deadline == datetime.date(2026, 12, 10)
    assert Notification.objects.filter(
        recipient=dai_tu_officer, message__contains="Không đủ căn cứ."
    ).exists()


def test_a_standing_task_cannot_be_extended_and_a_coordinator_reopens(
    seed_directive, coordinator, department_officer
):
    standing = assignment_of(seed_directive, "so-giao-thong-van-tai", position=1)
    with pytest.raises(ValidationError):
        extension_request_create(
            user=department_officer,
            assignment=standing,
            requested_deadline=datetime.date(2027, 1, 1),
            reason="x",
        )
    assignment_mark_done(user=department_officer, assignment=standing)
    with pytest.raises(PermissionDenied):
        assignment_reopen(user=department_officer, assignment=standing, reason="nhầm")
    assignment_reopen(user=coordinator, assignment=standing, reason="Đánh dấu nhầm.")
    standing.refresh_from_db()
    assert standing.completed_on is None
