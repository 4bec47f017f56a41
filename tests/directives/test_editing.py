"""Editing a saved directive (issue 12, point 5): its own fields always, a task and its
agencies while it has no progress, tasks added and deleted, optimistic locking, and the
history page ("Lịch sử sửa đổi"). The seed notice 58/TB-UBND is loaded by the fixture."""

import datetime
import re

import pytest
from django.urls import reverse

from directives.models import Assignment, DeadlineChange, Directive, ExtensionRequest, ProgressReport, Task
from directives.selectors.editing import directive_history, directive_version, task_version
from directives.services.directives import DirectiveInput, TaskInput
from directives.services.editing import directive_update, task_update

from .conftest import agency

pytestmark = pytest.mark.django_db

JULY_17 = datetime.date(2020, 7, 17)


def office_task(directive: Directive) -> Task:
    """The provincial office's task due 17/07/2020 ("báo cáo UBND tỉnh trước ngày 17/7/2020")."""
    return Task.objects.get(directive=directive, deadline=JULY_17)


def parent_task(directive: Directive) -> tuple[Task, list[Task]]:
    """The first task with "+" sub-tasks (section 3's "rà soát, đánh giá ... 19 tiêu chí"),
    and its sub-tasks in reading order."""
    parent = (
        Task.objects.filter(directive=directive, task__isnull=False).distinct().order_by("position").first()
    )
    return parent, list(Task.objects.filter(parent=parent).order_by("position"))


def page_text(response) -> str:
    """The page's text without tags, spaces folded: what a user reads."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def version_in(response) -> str:
    return re.search(r'name="version" value="([^"]*)"', response.content.decode()).group(1)


def directive_post(directive: Directive, version: str, **changes) -> dict:
    data = {
        "number": directive.number,
        "kind": directive.kind,
        "issuer": directive.issuer,
        "signer": directive.signer,
        "issued_on": directive.issued_on.strftime("%d/%m/%Y"),
        "title": directive.title,
        "recipients": [str(pk) for pk in directive.recipients.values_list("pk", flat=True)],
        "version": version,
    }
    data.update(changes)
    return data


def task_post(task: Task, version: str, **changes) -> dict:
    assignments = list(task.assignments.all())
    data = {
        "text": task.text,
        "section_number": task.section_number,
        "section_heading": task.section_heading,
        "deadline": task.deadline.strftime("%d/%m/%Y") if task.deadline else "",
        "recurrence": task.recurrence,
        "recurrence_day": task.recurrence_day or "",
        "criterion": task.criterion_id or "",
        "leads": [str(a.agency_id) for a in assignments if a.role == "lead"],
        "cooperating": [str(a.agency_id) for a in assignments if a.role == "cooperating"],
        "version": version,
    }
    data.update(changes)
    return data


# The directive's own fields


def test_coordinator_corrects_the_number_and_the_history_names_who_old_and_new(
    client, coordinator, seed_directive
):
    client.force_login(coordinator)
    url = reverse("directive-edit", args=[seed_directive.pk])
    page = client.get(url)
    assert page.status_code == 200
    builder = str(agency("so-xay-dung").pk)
    recipients = [
        pk
        for pk in directive_post(seed_directive, "")["recipients"]
        if pk != str(agency("bao-thai-nguyen").pk)
    ]
    response = client.post(
        url,
        directive_post(
            seed_directive,
            version_in(page),
            number="58A/TB-UBND",
            signer="Đặng Xuân Trường",
            recipients=[*recipients, builder],
        ),
    )
    assert response.status_code == 302
    seed_directive.refresh_from_db()
    assert seed_directive.number == "58A/TB-UBND"
    assert agency("so-xay-dung") in seed_directive.recipients.all()
    assert agency("bao-thai-nguyen") not in seed_directive.recipients.all()
    latest, before = seed_directive.history.order_by("-history_id")[:2]
    assert latest.history_user == coordinator
    assert (before.number, latest.number) == ("58/TB-UBND", "58A/TB-UBND")
    history = page_text(client.get(reverse("directive-history", args=[seed_directive.pk])))
    assert "Lịch sử sửa đổi" in history
    assert "58/TB-UBND → 58A/TB-UBND" in history
    assert "coordinator" in history
    assert "bỏ: " + agency("bao-thai-nguyen").short_name in history
    assert "thêm: " + agency("so-xay-dung").short_name in history


def test_every_recipient_of_a_large_change_is_in_the_history(coordinator, seed_directive):
    from accounts.models import Agency

    # All the communes' committees added at once (after the 2025 reform a notice goes to
    # every commune): none of them may be lost from the history.
    old = set(seed_directive.recipients.values_list("pk", flat=True))
    many = list(Agency.objects.assignable().exclude(pk__in=old).order_by("pk"))
    assert len(many) > 20
    data = DirectiveInput(
        number=seed_directive.number,
        kind=seed_directive.kind,
        issuer=seed_directive.issuer,
        issued_on=seed_directive.issued_on,
        title=seed_directive.title,
        signer=seed_directive.signer,
        recipient_ids=tuple(old | {agency.pk for agency in many}),
    )
    directive_update(
        user=coordinator, directive=seed_directive, data=data, version=directive_version(seed_directive.pk)
    )
    change = next(entry for entry in directive_history(directive=seed_directive) if entry.changes)
    added = change.changes[-1].new
    assert all(agency.short_name in added for agency in many)


def test_a_number_already_in_the_portal_that_day_is_a_field_error_in_vietnamese(
    client, coordinator, seed_directive
):
    from .conftest import make_task

    make_task(agency_code="so-xay-dung", deadline=None, number="1/TB-TEST")
    client.force_login(coordinator)
    url = reverse("directive-edit", args=[seed_directive.pk])
    version = version_in(client.get(url))
    response = client.post(
        url, directive_post(seed_directive, version, number="1/TB-TEST", issued_on="01/11/2026")
    )
    assert response.status_code == 400
    assert "Văn bản số 1/TB-TEST ngày 01/11/2026 đã có trên Cổng." in page_text(response)
    assert 'data-testid="number-error"' in response.content.decode()
    seed_directive.refresh_from_db()
    assert seed_directive.number == "58/TB-UBND"


def test_a_stale_directive_form_is_refused_with_409_and_saves_nothing(client, coordinator, seed_directive):
    client.force_login(coordinator)
    url = reverse("directive-edit", args=[seed_directive.pk])
    version = version_in(client.get(url))
    other = DirectiveInput(
        number="58/TB-UBND",
        kind=seed_directive.kind,
        issuer=seed_directive.issuer,
        issued_on=seed_directive.issued_on,
        title="Trích yếu do người khác sửa",
        signer=seed_directive.signer,
        recipient_ids=tuple(seed_directive.recipients.values_list("pk", flat=True)),
    )
    directive_update(user=coordinator, directive=seed_directive, data=other, version=version)
    response = client.post(url, directive_post(seed_directive, version, number="58B/TB-UBND"))
    assert response.status_code == 409
    assert "Người khác vừa sửa văn bản này, hãy tải lại trang." in page_text(response)
    seed_directive.refresh_from_db()
    assert seed_directive.number == "58/TB-UBND"
    assert seed_directive.title == "Trích yếu do người khác sửa"


# One task


def test_changing_a_tasks_agencies_and_deadline_moves_the_assignments(client, coordinator, seed_directive):
    client.force_login(coordinator)
    task = office_task(seed_directive)
    url = reverse("directive-task-edit", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200
    office, builder, finance = agency("vpdp-ntm-tinh"), agency("so-xay-dung"), agency("so-tai-chinh")
    response = client.post(
        url,
        task_post(
            task,
            version_in(page),
            deadline="31/07/2020",
            leads=[str(office.pk), str(builder.pk)],
            cooperating=[str(finance.pk)],
        ),
    )
    assert response.status_code == 302
    roles = {a.agency.code: (a.role, a.deadline) for a in Assignment.objects.filter(task=task)}
    assert roles == {
        "vpdp-ntm-tinh": ("lead", datetime.date(2020, 7, 31)),
        "so-xay-dung": ("lead", datetime.date(2020, 7, 31)),
        "so-tai-chinh": ("cooperating", datetime.date(2020, 7, 31)),
    }
    change = DeadlineChange.objects.get(assignment__task=task, assignment__agency=office)
    assert (change.old_deadline, change.new_deadline, change.reason, change.changed_by) == (
        JULY_17,
        datetime.date(2020, 7, 31),
        "Sửa văn bản",
        coordinator,
    )
    # As the office would check it: its assignment page shows the move.
    assignment = Assignment.objects.get(task=task, agency=office)
    history = page_text(client.get(reverse("directive-assignment", args=[assignment.pk])))
    assert "17/07/2020 → 31/07/2020" in history
    assert "Sửa văn bản" in history
    detail = page_text(client.get(reverse("directive-detail", args=[seed_directive.pk])))
    assert "31/07/2020" in detail

    # Second edit: the Department of Construction is dropped, Finance now leads.
    page = client.get(url)
    response = client.post(
        url,
        task_post(task, version_in(page), leads=[str(office.pk), str(finance.pk)], cooperating=[]),
    )
    assert response.status_code == 302
    assert set(Assignment.objects.filter(task=task).values_list("agency__code", "role")) == {
        ("vpdp-ntm-tinh", "lead"),
        ("so-tai-chinh", "lead"),
    }
    deleted = Assignment.history.get(task_id=task.pk, agency_id=builder.pk, history_type="-")
    assert deleted.history_user == coordinator
    history = page_text(client.get(reverse("directive-history", args=[seed_directive.pk])))
    assert f"{finance.short_name} – nhiệm vụ" in history
    assert "Vai trò Phối hợp → Chủ trì" in history
    assert f"{builder.short_name} – nhiệm vụ" in history and "(xóa)" in history
    assert "17/07/2020 → 31/07/2020" in history


def test_an_assignment_with_its_own_deadline_keeps_it_and_the_page_says_so(
    client, coordinator, seed_directive
):
    client.force_login(coordinator)
    task = office_task(seed_directive)
    office, builder = agency("vpdp-ntm-tinh"), agency("so-xay-dung")
    task_update(
        user=coordinator,
        task=task,
        data=TaskInput(text=task.text, deadline=JULY_17, lead_ids=(office.pk, builder.pk)),
        version=task_version(task.pk),
    )
    # The Department's deadline was moved apart from the task's earlier (granted by phone).
    Assignment.objects.filter(task=task, agency=builder).update(deadline=datetime.date(2020, 8, 31))
    url = reverse("directive-task-edit", args=[task.pk])
    page = client.get(url)
    assert "31/08/2020" in page_text(page)
    assert 'data-testid="own-deadlines"' in page.content.decode()
    response = client.post(url, task_post(task, version_in(page), deadline="15/08/2020"), follow=True)
    assert response.status_code == 200
    deadlines = dict(Assignment.objects.filter(task=task).values_list("agency__code", "deadline"))
    assert deadlines == {
        "vpdp-ntm-tinh": datetime.date(2020, 8, 15),
        "so-xay-dung": datetime.date(2020, 8, 31),
    }
    assert f"{builder.short_name} giữ thời hạn riêng 31/08/2020" in page_text(response)
    assert not DeadlineChange.objects.filter(assignment__agency=builder, assignment__task=task).exists()


def test_a_lead_is_required_and_an_agency_cannot_lead_and_cooperate(client, coordinator, seed_directive):
    client.force_login(coordinator)
    task = office_task(seed_directive)
    office = str(agency("vpdp-ntm-tinh").pk)
    url = reverse("directive-task-edit", args=[task.pk])
    version = version_in(client.get(url))
    response = client.post(url, task_post(task, version, leads=[office], cooperating=[office]))
    assert response.status_code == 400
    assert "Một cơ quan không thể vừa chủ trì vừa phối hợp." in page_text(response)
    response = client.post(url, task_post(task, version, recurrence="quarterly"))
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.deadline == JULY_17 and task.recurrence == ""


def progress_report(task: Task, code: str) -> None:
    ProgressReport.objects.create(
        assignment=Assignment.objects.get(task=task, agency__code=code), text="Đã họp.", percent=0
    )


def mark_done(task: Task, code: str) -> None:
    from django.utils import timezone

    Assignment.objects.filter(task=task, agency__code=code).update(
        completed_on=datetime.date(2026, 11, 20), completed_at=timezone.now(), percent=100
    )


def ask_extension(task: Task, code: str) -> None:
    ExtensionRequest.objects.create(
        assignment=Assignment.objects.get(task=task, agency__code=code),
        requested_deadline=datetime.date(2026, 12, 31),
        reason="Chờ số liệu.",
    )


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        (progress_report, "Nhiệm vụ đã có báo cáo tiến độ của Văn phòng Điều phối"),
        (mark_done, "Nhiệm vụ đã được Văn phòng Điều phối"),
        (ask_extension, "Nhiệm vụ đã có đề nghị gia hạn của Văn phòng Điều phối"),
    ],
)
def test_a_task_with_progress_is_refused_with_409_and_the_reason(
    client, coordinator, seed_directive, progress, message
):
    client.force_login(coordinator)
    task = office_task(seed_directive)
    url = reverse("directive-task-edit", args=[task.pk])
    version = version_in(client.get(url))
    progress(task, "vpdp-ntm-tinh")
    page = client.get(url)
    assert page.status_code == 200
    assert message in page_text(page)
    assert "không sửa được nữa." in page_text(page)
    assert 'data-testid="task-edit-form"' not in page.content.decode()
    # A form read before the progress is refused all the same.
    response = client.post(url, task_post(task, version, text="Văn bản mới."))
    assert response.status_code == 409
    assert message in page_text(response)
    response = client.post(reverse("directive-task-delete", args=[task.pk]), {"version": version})
    assert response.status_code == 409
    task.refresh_from_db()
    assert task.text != "Văn bản mới."


def test_the_progress_message_names_the_agency_and_the_day(coordinator, seed_directive):
    from directives.selectors.editing import task_lock_reason

    task = office_task(seed_directive)
    progress_report(task, "vpdp-ntm-tinh")
    name = agency("vpdp-ntm-tinh").name
    assert task_lock_reason([task.pk]) == (
        f"Nhiệm vụ đã có báo cáo tiến độ của {name} ngày 30/11/2026: không sửa được nữa."
    )


def test_a_stale_task_form_is_refused_with_409_and_saves_nothing(client, coordinator, seed_directive):
    client.force_login(coordinator)
    task = office_task(seed_directive)
    url = reverse("directive-task-edit", args=[task.pk])
    version = version_in(client.get(url))
    task_update(
        user=coordinator,
        task=task,
        data=TaskInput(text="Sửa bởi người khác.", deadline=JULY_17, lead_ids=(agency("vpdp-ntm-tinh").pk,)),
        version=version,
    )
    response = client.post(url, task_post(task, version, text="Sửa của tôi."))
    assert response.status_code == 409
    assert "Người khác vừa sửa nhiệm vụ này, hãy tải lại trang." in page_text(response)
    task.refresh_from_db()
    assert task.text == "Sửa bởi người khác."


def test_progress_filed_while_the_form_was_open_is_the_reason_given(client, coordinator, seed_directive):
    client.force_login(coordinator)
    task = office_task(seed_directive)
    url = reverse("directive-task-edit", args=[task.pk])
    version = version_in(client.get(url))
    progress_report(task, "vpdp-ntm-tinh")  # the office reports while the form is open
    response = client.post(url, task_post(task, version, text="Sửa của tôi."))
    assert response.status_code == 409
    assert "báo cáo tiến độ" in page_text(response) and "Người khác vừa sửa" not in page_text(response)


# Adding and deleting tasks


def test_a_task_added_after_a_task_with_sub_tasks_comes_after_them(client, coordinator, seed_directive):
    client.force_login(coordinator)
    anchor, children = parent_task(seed_directive)
    expected = children[-1].position + 1
    before = {t.pk: t.position for t in seed_directive.tasks.all()}
    url = reverse("directive-task-add", args=[anchor.pk])
    page = client.get(url)
    assert page.status_code == 200
    office = str(agency("vpdp-ntm-tinh").pk)
    response = client.post(
        url,
        {
            "text": "Tổng hợp kết quả rà soát 19 tiêu chí, báo cáo UBND tỉnh.",
            "section_number": "3",
            "deadline": "31/12/2020",
            "leads": [office],
            "version": version_in(page),
        },
    )
    assert response.status_code == 302
    new = Task.objects.get(text__startswith="Tổng hợp kết quả rà soát")
    assert (new.position, new.parent_id) == (expected, None)
    positions = {t.pk: t.position for t in seed_directive.tasks.exclude(pk=new.pk)}
    assert all(positions[pk] == (p + 1 if p >= expected else p) for pk, p in before.items())
    assignment = Assignment.objects.get(task=new)
    assert (assignment.agency.code, assignment.role, assignment.deadline) == (
        "vpdp-ntm-tinh",
        "lead",
        datetime.date(2020, 12, 31),
    )
    assert Task.history.get(id=new.pk, history_type="+").history_user == coordinator

    # After a sub-task: a sub-task of the same task.
    sub = children[0]
    page = client.get(reverse("directive-task-add", args=[sub.pk]))
    client.post(
        reverse("directive-task-add", args=[sub.pk]),
        {"text": "Nhóm xã mới đạt chuẩn.", "leads": [office], "version": version_in(page)},
    )
    added = Task.objects.get(text="Nhóm xã mới đạt chuẩn.")
    assert (added.position, added.parent_id) == (sub.position + 1, anchor.pk)
    order = list(seed_directive.tasks.order_by("position").values_list("position", flat=True))
    assert order == list(range(1, len(order) + 1))


def test_deleting_a_task_takes_its_sub_tasks_after_a_confirmation(client, coordinator, seed_directive):
    client.force_login(coordinator)
    task, children = parent_task(seed_directive)
    subtasks = [child.pk for child in children]
    url = reverse("directive-task-delete", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="delete-subtasks"' in page.content.decode()
    assert Task.objects.filter(pk=task.pk).exists()  # nothing deleted by looking
    response = client.post(url, {"version": version_in(page)})
    assert response.status_code == 302
    assert not Task.objects.filter(pk__in=[task.pk, *subtasks]).exists()
    assert not Assignment.objects.filter(task_id__in=[task.pk, *subtasks]).exists()
    rows = Task.history.filter(id__in=[task.pk, *subtasks], history_type="-")
    assert {row.history_user for row in rows} == {coordinator} and rows.count() == 1 + len(subtasks)
    assert Assignment.history.filter(task_id=task.pk, history_type="-").first().history_user == coordinator
    history = page_text(client.get(reverse("directive-history", args=[seed_directive.pk])))
    assert "(xóa)" in history


def test_a_task_whose_sub_task_has_progress_cannot_be_deleted(client, coordinator, seed_directive):
    client.force_login(coordinator)
    task, children = parent_task(seed_directive)
    progress_report(children[-1], "ubnd-huyen-dai-tu")
    url = reverse("directive-task-delete", args=[task.pk])
    page = client.get(url)
    assert f"Nhiệm vụ đã có báo cáo tiến độ của {agency('ubnd-huyen-dai-tu').name}" in page_text(page)
    response = client.post(url, {"version": task_version(task.pk)})
    assert response.status_code == 409
    assert Task.objects.filter(pk=task.pk).exists()


# Who may


@pytest.mark.parametrize("persona", ["department_officer", "leader"])
def test_only_coordinators_edit(request, client, seed_directive, persona):
    client.force_login(request.getfixturevalue(persona))
    task = office_task(seed_directive)
    urls = [
        reverse("directive-edit", args=[seed_directive.pk]),
        reverse("directive-task-edit", args=[task.pk]),
        reverse("directive-task-add", args=[task.pk]),
        reverse("directive-task-delete", args=[task.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"version": "0.0", "text": "x"}).status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()
    assert client.get(reverse("directive-history", args=[seed_directive.pk])).status_code == 200
    detail = client.get(reverse("directive-detail", args=[seed_directive.pk])).content.decode()
    assert 'data-testid="task-edit"' not in detail


def test_a_missing_task_is_404(client, coordinator, seed_directive):
    client.force_login(coordinator)
    for name in ("directive-task-edit", "directive-task-add", "directive-task-delete"):
        assert client.get(reverse(name, args=[999999])).status_code == 404
    assert client.get(reverse("directive-edit", args=[999999])).status_code == 404


def test_the_directive_page_offers_the_edit_links_to_a_coordinator(client, coordinator, seed_directive):
    client.force_login(coordinator)
    page = client.get(reverse("directive-detail", args=[seed_directive.pk])).content.decode()
    assert reverse("directive-edit", args=[seed_directive.pk]) in page
    assert reverse("directive-task-edit", args=[office_task(seed_directive).pk]) in page
    assert "Lịch sử sửa đổi" in page


# The history


def test_the_history_takes_a_fixed_number_of_queries(coordinator, seed_directive, django_assert_num_queries):
    task = office_task(seed_directive)
    office = agency("vpdp-ntm-tinh").pk
    with django_assert_num_queries(4):  # directive, tasks, assignments, agencies (+ criteria if any)
        directive_history(directive=seed_directive)
    for day in (20, 21, 22):
        task_update(
            user=coordinator,
            task=task,
            data=TaskInput(text=task.text, deadline=datetime.date(2020, 7, day), lead_ids=(office,)),
            version=task_version(task.pk),
        )
    with django_assert_num_queries(4):
        entries = directive_history(directive=seed_directive)
    changes = [(c.field, c.old, c.new) for e in entries for c in e.changes if c.field == "Thời hạn"]
    assert ("Thời hạn", "17/07/2020", "20/07/2020") in changes
    assert ("Thời hạn", "21/07/2020", "22/07/2020") in changes
    assert directive_version(seed_directive.pk) != "0"
