"""Drafts of a new directive: the task-list edits (pure), the draft services (checks,
scope), the draft's pages (pagination, per-task and bulk actions, confirm) and their
cost at 600 tasks."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from core.exceptions import OutOfScope
from directives import task_lists
from directives.models import Assignment, Directive, DirectiveDraft
from directives.services import drafts as services
from directives.services.directives import DirectiveInput, TaskInput
from directives.services.drafts import draft_data, draft_input

from ..conftest import make_user
from .conftest import agency

NO_TASK = "Thái Nguyên, ngày 02 tháng 11 năm 2026"
SEED = Path(__file__).resolve().parents[2] / "directives" / "seeds" / "thong-bao-58-TB-UBND-2020.txt"
D = datetime.date


def t(text, parent=None, **kwargs):
    return TaskInput(text=text, parent_index=parent, **kwargs)


def texts(tasks):
    return [(task.text, task.parent_index) for task in tasks]


# The task list, pure ---------------------------------------------------------------------

# A "-" bullet A with two "+" sub-bullets, then B with one, then C.
TREE = (t("A"), t("A1", 0), t("A2", 0), t("B"), t("B1", 3), t("C"))


def test_inserting_a_task_shifts_the_parents_after_it():
    tasks = task_lists.insert_after(TREE, 1, t("new"))
    assert texts(tasks) == [
        ("A", None),
        ("A1", 0),
        ("new", 0),
        ("A2", 0),
        ("B", None),
        ("B1", 4),
        ("C", None),
    ]


def test_inserting_at_the_start_and_at_the_end():
    assert texts(task_lists.insert_after(TREE, None, t("first")))[:2] == [("first", None), ("A", None)]
    assert texts(task_lists.insert_after(TREE, 5, t("last")))[-1] == ("last", None)


def test_deleting_a_parent_lets_its_sub_tasks_stand_alone_and_shifts_the_rest():
    tasks = task_lists.delete(TREE, [0])
    assert texts(tasks) == [("A1", None), ("A2", None), ("B", None), ("B1", 2), ("C", None)]


def test_deleting_a_middle_task_moves_its_sub_tasks_to_its_own_parent():
    three_levels = (t("A"), t("A1", 0), t("A1a", 1), t("B"))
    assert texts(task_lists.delete(three_levels, [1])) == [("A", None), ("A1a", 0), ("B", None)]


def test_splitting_keeps_the_sub_tasks_on_the_first_part_and_both_parts_keep_agencies():
    tree = (t("A", lead_ids=(1,), cooperating_ids=(2,), deadline=D(2026, 12, 31)), *TREE[1:])
    tasks = task_lists.split(tree, 0, "A one.", "A two.")
    assert texts(tasks) == [
        ("A one.", None), ("A two.", None), ("A1", 0), ("A2", 0), ("B", None), ("B1", 4), ("C", None),
    ]  # fmt: skip
    assert (
        tasks[1].lead_ids == (1,)
        and tasks[1].cooperating_ids == (2,)
        and tasks[1].deadline == D(2026, 12, 31)
    )


def test_splitting_a_sub_task_gives_a_sibling():
    assert texts(task_lists.split(TREE, 4, "B1a", "B1b"))[3:6] == [("B", None), ("B1a", 3), ("B1b", 3)]


def test_merging_joins_texts_unites_agencies_and_keeps_the_earliest_deadline():
    first = t(
        "Rà soát.",
        lead_ids=(1, 2),
        cooperating_ids=(3,),
        deadline=D(2026, 12, 31),
        deadline_phrase="cuối năm",
    )
    second = t(
        "Báo cáo.",
        lead_ids=(3,),
        cooperating_ids=(4,),
        deadline=D(2026, 12, 15),
        deadline_phrase="trước 15/12",
    )
    (task,) = task_lists.merge_with_next((first, second), 0)
    assert task.text == "Rà soát. Báo cáo."
    assert task.lead_ids == (1, 2, 3) and task.cooperating_ids == (4,)
    assert (task.deadline, task.deadline_phrase) == (D(2026, 12, 15), "trước 15/12")


def test_merging_a_parent_with_its_first_sub_task_keeps_the_other_sub_tasks_under_it():
    tasks = task_lists.merge_with_next(TREE, 0)
    assert texts(tasks) == [("A A1", None), ("A2", 0), ("B", None), ("B1", 2), ("C", None)]


def test_merging_moves_the_sub_tasks_of_the_second_task_to_the_merged_one():
    tasks = task_lists.merge_with_next(TREE, 2)  # A2 with B: B1 now under "A2 B", itself under A
    assert texts(tasks) == [("A", None), ("A1", 0), ("A2 B", 0), ("B1", 2), ("C", None)]


def test_the_last_task_has_nothing_to_merge_with():
    with pytest.raises(IndexError):
        task_lists.merge_with_next(TREE, 5)


def test_bulk_agency_changes():
    tasks = (t("a", lead_ids=(1,), cooperating_ids=(2, 3)), t("b", lead_ids=(2,)))
    assert task_lists.set_leads(tasks, [0], [2])[0].lead_ids == (2,)
    assert task_lists.set_leads(tasks, [0], [2])[0].cooperating_ids == (3,)
    assert task_lists.add_cooperating(tasks, [0, 1], [1, 4])[1].cooperating_ids == (1, 4)
    assert task_lists.add_cooperating(tasks, [0], [1, 4])[0].cooperating_ids == (2, 3, 4)  # 1 leads
    removed = task_lists.remove_agencies(tasks, [0, 1], [2])
    assert (removed[0].cooperating_ids, removed[1].lead_ids) == ((3,), ())
    assert texts(task_lists.set_leads(TREE, [1, 4], [7])) == texts(TREE)


def test_a_deadline_set_in_bulk_drops_the_words_of_the_old_one():
    tasks = (t("a", deadline=D(2026, 12, 1), deadline_phrase="trước 01/12"), t("b"))
    changed = task_lists.set_deadline(tasks, [0, 1], D(2027, 1, 15))
    assert [(x.deadline, x.deadline_phrase) for x in changed] == [(D(2027, 1, 15), ""), (D(2027, 1, 15), "")]


def test_sentence_boundaries_and_split_text():
    text = "Rà soát các xã. Báo cáo UBND tỉnh; tổng hợp kết quả."
    offsets = task_lists.sentence_boundaries(text)
    assert [text[o : o + 6] for o in offsets] == ["Báo cá", "tổng h"]
    assert task_lists.split_text(text, offsets[0]) == (
        "Rà soát các xã.",
        "Báo cáo UBND tỉnh; tổng hợp kết quả.",
    )


def test_the_draft_json_reads_back_equal_with_warnings_and_recurrence_day():
    data = DirectiveInput(
        number="58/TB-UBND",
        kind="conclusion_notice",
        issuer="UBND tỉnh",
        issued_on=D(2020, 7, 6),
        title="Kết luận",
        body="…",
        recipient_ids=(3, 1),
        tasks=(
            t("a", deadline=D(2020, 7, 17), deadline_phrase="trước 17/7", lead_ids=(1,), warnings=("x",)),
            t("b", 0, recurrence="quarterly", recurrence_day=15, cooperating_ids=(2,), criterion_id=4),
        ),
    )
    stored = draft_data(data)
    assert stored["issued_on"] == "2020-07-06" and stored["tasks"][0]["deadline"] == "2020-07-17"
    assert stored["tasks"][0]["warnings"] == ["x"] and stored["tasks"][1]["recurrence_day"] == 15
    import json

    assert draft_input(json.loads(json.dumps({**stored, "revision": 3}))) == data


# Services ---------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def seed_draft(coordinator):
    return services.draft_create(user=coordinator, text=SEED.read_text(encoding="utf-8"))


def _tasks(draft):
    draft.refresh_from_db()
    return draft_input(draft.data).tasks


@pytest.mark.django_db
def test_a_draft_holds_the_proposal_with_its_warnings(coordinator):
    text = (
        "Số: 9/TB-UBND\n\nThái Nguyên, ngày 02 tháng 11 năm 2026\n\nTHÔNG BÁO\n\nKết luận\n\n"
        "1. Sở Y tế:\n\n- Báo cáo trước ngày 31/02/2027.\n\n- Tổng kết.\n\nNơi nhận:\n- Lưu: VT.\n"
    )
    draft = services.draft_create(user=coordinator, text=text)
    first, second = draft_input(draft.data).tasks
    assert draft.data["number"] == "9/TB-UBND" and draft.data["revision"] == 0
    assert first.warnings and "31/02/2027" in first.warnings[0] and not second.warnings


@pytest.mark.django_db
def test_a_text_without_tasks_makes_no_draft(coordinator):
    with pytest.raises(ValidationError) as caught:
        services.draft_create(user=coordinator, text=NO_TASK)
    assert "text" in caught.value.message_dict and not DirectiveDraft.objects.exists()


@pytest.mark.django_db
def test_a_task_saved_with_errors_names_the_task_and_the_field_and_saves_nothing(coordinator, seed_draft):
    before = dict(seed_draft.data)
    lead = agency("so-tai-chinh").pk
    with pytest.raises(ValidationError) as caught:
        services.draft_task_save(
            user=coordinator,
            draft=seed_draft,
            number=3,
            values={
                "text": " ",
                "lead_ids": [lead],
                "cooperating_ids": [lead],
                "recurrence": "monthly",
                "deadline": D(2027, 1, 1),
            },
        )
    errors = caught.value.message_dict
    assert set(errors) == {"text", "cooperating", "deadline"}
    assert all(message.startswith("Nhiệm vụ 3:") for messages in errors.values() for message in messages)
    seed_draft.refresh_from_db()
    assert seed_draft.data == before


@pytest.mark.django_db
def test_a_task_is_saved_and_a_changed_deadline_loses_its_words(coordinator, seed_draft):
    services.draft_task_save(
        user=coordinator, draft=seed_draft, number=4, values={"deadline": D(2020, 7, 20)}, revision=0
    )
    task = _tasks(seed_draft)[3]
    assert (task.deadline, task.deadline_phrase) == (D(2020, 7, 20), "")
    assert seed_draft.data["revision"] == 1


@pytest.mark.django_db
def test_confirming_a_stale_page_is_refused(coordinator, seed_draft):
    # Tab A changed the number; tab B, still showing the page of revision 0, confirms.
    services.draft_task_delete(user=coordinator, draft=seed_draft, number=14, revision=0)
    with pytest.raises(ValidationError) as caught:
        services.draft_confirm(user=coordinator, draft=seed_draft, revision=0)
    assert "revision" in caught.value.message_dict
    assert DirectiveDraft.objects.filter(pk=seed_draft.pk).exists() and not Directive.objects.exists()


@pytest.mark.django_db
def test_a_write_from_a_stale_page_is_refused(coordinator, seed_draft):
    services.draft_task_delete(user=coordinator, draft=seed_draft, number=14, revision=0)
    with pytest.raises(ValidationError) as caught:
        services.draft_task_delete(user=coordinator, draft=seed_draft, number=13, revision=0)
    assert "revision" in caught.value.message_dict and len(_tasks(seed_draft)) == 13


@pytest.mark.django_db
def test_another_coordinators_draft_is_out_of_scope_and_a_department_officer_is_refused(
    seed_draft, department_officer
):
    other = make_user("coordinator2", Role.COORDINATOR, "vpdp-ntm-tinh")
    with pytest.raises(OutOfScope):
        services.draft_task_delete(user=other, draft=seed_draft, number=1)
    with pytest.raises(OutOfScope):
        services.draft_confirm(user=other, draft=seed_draft)
    with pytest.raises(PermissionDenied):
        services.draft_bulk(user=department_officer, draft=seed_draft, action="delete", numbers=[1])
    with pytest.raises(PermissionDenied):
        services.draft_create(user=department_officer, text=SEED.read_text(encoding="utf-8"))
    assert len(_tasks(seed_draft)) == 14


@pytest.mark.django_db
def test_bulk_checks(coordinator, seed_draft):
    def refused(**kwargs):
        with pytest.raises(ValidationError) as caught:
            services.draft_bulk(user=coordinator, draft=seed_draft, **kwargs)
        return caught.value.message_dict

    assert "agencies" in refused(action="set_leads", numbers=[1])
    assert "tasks" in refused(action="delete", numbers=None)  # not every task
    assert "tasks" in refused(action="delete", numbers=[15])  # no task 15
    assert "action" in refused(action="explode", numbers=[1])
    services.draft_task_save(user=coordinator, draft=seed_draft, number=2, values={"recurrence": "monthly"})
    assert (
        "Nhiệm vụ 2" in refused(action="set_deadline", numbers=[1, 2], deadline=D(2027, 1, 1))["deadline"][0]
    )
    assert seed_draft.data["revision"] == 1  # only the task saved


@pytest.mark.django_db
def test_a_task_added_after_a_sub_task_is_its_sibling(coordinator, seed_draft):
    before = _tasks(seed_draft)
    child = next(i for i, task in enumerate(before) if task.parent_index is not None)
    services.draft_task_add(
        user=coordinator, draft=seed_draft, after=child + 1, values={"text": "Việc mới.", "lead_ids": []}
    )
    tasks = _tasks(seed_draft)
    assert (
        tasks[child + 1].text == "Việc mới." and tasks[child + 1].parent_index == before[child].parent_index
    )
    assert tasks[child + 1].section_number == before[child].section_number
    assert len(tasks) == 15 and all(t.parent_index is None or t.parent_index < i for i, t in enumerate(tasks))


# Pages --------------------------------------------------------------------------------------


def big_text(count: int) -> str:
    """A notice of ``count`` tasks: sections of 50 bullets, each led by Sở Tài chính with
    Sở Xây dựng cooperating, due 30/12/2026."""
    lines = [
        "Số: 77/TB-UBND",
        "",
        "Thái Nguyên, ngày 02 tháng 11 năm 2026",
        "",
        "THÔNG BÁO",
        "",
        "Kết luận",
        "",
    ]
    for number in range(1, count + 1):
        if number % 50 == 1:
            lines += [f"{number // 50 + 1}. Sở Tài chính chủ trì, phối hợp với Sở Xây dựng:", ""]
        lines += [f"- Rà soát hồ sơ số {number} của các xã. Báo cáo UBND tỉnh trước ngày 30/12/2026.", ""]
    return "\n".join([*lines, "Nơi nhận:", "- Lưu: VT."])


def pasted(client, text: str) -> DirectiveDraft:
    response = client.post(reverse("directive-new"), {"text": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = DirectiveDraft.objects.latest("pk")
    assert response["Location"] == reverse("directive-draft", args=[draft.pk])
    return draft


def draft_url(draft, name="directive-draft", *args):
    return reverse(name, args=[draft.pk, *args])


@pytest.mark.django_db
def test_the_paste_opens_a_draft_only_its_author_may_open(client, coordinator, department_officer):
    client.force_login(coordinator)
    assert client.get(reverse("directive-new")).status_code == 200
    draft = pasted(client, SEED.read_text(encoding="utf-8"))
    page = client.get(draft_url(draft)).content.decode()
    assert page.count('data-testid="draft-task"') == 14 and "Trang 1/1 · 14 nhiệm vụ" in page
    assert "“trước ngày 17/7/2020”" in page and 'value="58/TB-UBND"' in page and 'value="06/07/2020"' in page
    client.force_login(make_user("coordinator2", Role.COORDINATOR, "vpdp-ntm-tinh"))
    assert client.get(draft_url(draft)).status_code == 404
    assert client.post(draft_url(draft, "directive-draft-confirm")).status_code == 404
    client.force_login(department_officer)
    assert client.get(draft_url(draft)).status_code == 403


@pytest.mark.django_db
def test_a_text_without_tasks_is_sent_back(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("directive-new"), {"text": NO_TASK})
    assert response.status_code == 400 and response.context["paste"].errors["text"]


@pytest.mark.django_db
def test_600_tasks_are_shown_50_a_page(client, coordinator):
    client.force_login(coordinator)
    draft = pasted(client, big_text(600))
    response = client.get(draft_url(draft), {"page": 2})
    page = response.content.decode()
    assert "Trang 2/12 · 600 nhiệm vụ" in page
    assert (
        page.count('data-testid="draft-task"') == 50
        and 'id="task-51"' in page
        and 'id="task-101"' not in page
    )
    assert "“trước ngày 30/12/2026”" in page
    assert (
        page.count('data-role="lead">Sở TC<') == 50
        and page.count('data-role="cooperating">Sở XD (phối hợp)<') == 50
    )
    assert len(response.content) < 300_000
    assert 'type="checkbox" class="form-check-input" name="leads"' not in page  # no per-task checklists


@pytest.mark.django_db
def test_the_draft_page_costs_the_same_queries_for_60_and_600_tasks(client, coordinator):
    client.force_login(coordinator)
    counts = []
    for size in (60, 600):
        draft = pasted(client, big_text(size))
        client.get(draft_url(draft))  # warm the session and the templates
        with CaptureQueriesContext(connection) as queries:
            response = client.get(draft_url(draft), {"page": 2})
        assert response.status_code == 200
        counts.append(len(queries))
    # The session, the user and their permissions, the page's frame, the draft, the agencies.
    assert counts[0] == counts[1] <= 10


@pytest.mark.django_db
def test_the_per_task_actions_redirect_back_to_the_page_of_the_task(client, coordinator):
    client.force_login(coordinator)
    draft = pasted(client, big_text(100))
    # Split task 60 at its sentence boundary.
    split_url = draft_url(draft, "directive-draft-task-split", 60)
    form = client.get(split_url).context["form"]
    offset = form.fields["boundary"].choices[1][0]
    response = client.post(split_url, {"boundary": str(offset), "revision": "0"})
    assert response["Location"] == draft_url(draft) + "?page=2#task-60"
    tasks = _tasks(draft)
    assert len(tasks) == 101
    assert (tasks[59].text, tasks[60].text) == (
        "Rà soát hồ sơ số 60 của các xã.",
        "Báo cáo UBND tỉnh trước ngày 30/12/2026.",
    )
    assert tasks[60].lead_ids == tasks[59].lead_ids and tasks[60].deadline == D(2026, 12, 30)
    # Merge them back, then delete task 1, then add one after task 50.
    client.post(draft_url(draft, "directive-draft-task-merge", 60), {"revision": "1"})
    assert (
        _tasks(draft)[59].text == "Rà soát hồ sơ số 60 của các xã. Báo cáo UBND tỉnh trước ngày 30/12/2026."
    )
    response = client.post(draft_url(draft, "directive-draft-task-delete", 1), {"revision": "2"})
    assert response["Location"] == draft_url(draft) + "?page=1#task-1"
    assert _tasks(draft)[0].text.startswith("Rà soát hồ sơ số 2 ")
    add_url = draft_url(draft, "directive-draft-task-add") + "?after=50"
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "after": "50",
            "text": "Tổng hợp.",
            "deadline": "15/01/2027",
            "leads": [str(agency("so-y-te").pk)],
            "revision": "3",
        },
    )
    assert response["Location"] == draft_url(draft) + "?page=2#task-51"
    task = _tasks(draft)[50]
    assert (task.text, task.deadline, task.lead_ids, task.section_number) == (
        "Tổng hợp.", D(2027, 1, 15), (agency("so-y-te").pk,), "2",
    )  # fmt: skip
    # A stale page's action is refused with the reason, nothing changed.
    response = client.post(draft_url(draft, "directive-draft-task-delete", 1), {"revision": "0"}, follow=True)
    assert "cửa sổ khác" in response.content.decode() and len(_tasks(draft)) == 100


@pytest.mark.django_db
def test_a_task_is_edited_on_its_own_page_and_errors_name_the_task(client, coordinator):
    client.force_login(coordinator)
    draft = pasted(client, SEED.read_text(encoding="utf-8"))
    url = draft_url(draft, "directive-draft-task", 4)
    form = client.get(url).context["form"]
    assert form.initial["deadline"] == D(2020, 7, 17)
    lead = agency("vpdp-ntm-tinh").pk
    response = client.post(
        url,
        {
            "text": "Tham mưu phân bổ xi măng.",
            "deadline": "",
            "recurrence": "quarterly",
            "recurrence_day": "15",
            "leads": [str(lead)],
            "cooperating": [str(lead)],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cooperating"] == [
        "Nhiệm vụ 4: một cơ quan không thể vừa chủ trì vừa phối hợp."
    ]
    response = client.post(
        url,
        {
            "text": "Tham mưu phân bổ xi măng.",
            "deadline": "",
            "recurrence": "quarterly",
            "recurrence_day": "15",
            "leads": [str(lead)],
        },
    )
    assert response.status_code == 302
    task = _tasks(draft)[3]
    assert (task.text, task.deadline, task.recurrence, task.recurrence_day, task.lead_ids, task.cooperating_ids) == (
        "Tham mưu phân bổ xi măng.", None, "quarterly", 15, (lead,), (),
    )  # fmt: skip
    assert client.get(draft_url(draft, "directive-draft-task", 15)).status_code == 404


@pytest.mark.django_db
def test_bulk_changes_of_the_tasks_ticked_or_of_all(client, coordinator):
    client.force_login(coordinator)
    draft = pasted(client, SEED.read_text(encoding="utf-8"))
    url = draft_url(draft, "directive-draft-bulk")
    health, finance = agency("so-y-te").pk, agency("so-tai-chinh").pk
    response = client.post(
        url,
        {
            "action": "set_leads",
            "scope": "ticked",
            "tasks": ["1", "2"],
            "agencies": [str(health)],
            "page": "1",
        },
    )
    assert response["Location"] == draft_url(draft) + "?page=1"
    tasks = _tasks(draft)
    assert (
        tasks[0].lead_ids == (health,) and tasks[1].lead_ids == (health,) and tasks[2].lead_ids != (health,)
    )
    client.post(url, {"action": "add_cooperating", "scope": "all", "agencies": [str(finance)]})
    assert all(finance in t.cooperating_ids or finance in t.lead_ids for t in _tasks(draft))
    client.post(url, {"action": "remove_agencies", "scope": "all", "agencies": [str(finance)]})
    assert not any(finance in t.cooperating_ids + t.lead_ids for t in _tasks(draft))
    client.post(
        url, {"action": "set_deadline", "scope": "ticked", "tasks": ["1", "3"], "deadline": "31/12/2026"}
    )
    assert [t.deadline for t in _tasks(draft)[:3]] == [D(2026, 12, 31), None, D(2026, 12, 31)]
    client.post(url, {"action": "delete", "scope": "ticked", "tasks": ["13", "14"]})
    assert len(_tasks(draft)) == 12
    response = client.post(
        url, {"action": "set_leads", "scope": "ticked", "agencies": [str(health)]}, follow=True
    )
    assert "Hãy đánh dấu ít nhất một nhiệm vụ." in response.content.decode()


@pytest.mark.django_db
def test_the_directive_fields_are_saved_with_lu(client, coordinator):
    client.force_login(coordinator)
    draft = pasted(client, SEED.read_text(encoding="utf-8"))
    values = {"number": "58/TB-UBND", "kind": "conclusion_notice", "issuer": "UBND tỉnh Thái Nguyên", "signer": "Dương Văn Lượng",
              "issued_on": "07/07/2020", "title": "Kết luận của Phó Chủ tịch", "recipients": [str(agency("so-y-te").pk)], "page": "1"}  # fmt: skip
    assert client.post(draft_url(draft, "directive-draft-fields"), values).status_code == 302
    data = draft_input(DirectiveDraft.objects.get(pk=draft.pk).data)
    assert (data.issued_on, data.title, data.recipient_ids) == (
        D(2020, 7, 7),
        "Kết luận của Phó Chủ tịch",
        (agency("so-y-te").pk,),
    )
    response = client.post(draft_url(draft, "directive-draft-fields"), {**values, "issued_on": "31/02/2020"})
    assert response.status_code == 400 and response.context["fields_form"].errors["issued_on"]


@pytest.mark.django_db
def test_confirm_creates_the_directive_with_its_tasks_and_assignments_and_deletes_the_draft(
    client, coordinator
):
    client.force_login(coordinator)
    draft = pasted(client, SEED.read_text(encoding="utf-8"))
    client.post(draft_url(draft, "directive-draft-task-delete", 14))
    client.post(draft_url(draft, "directive-draft-task", 4), {"text": _tasks(draft)[3].text, "deadline": "20/07/2020",
                                                                "leads": [str(pk) for pk in _tasks(draft)[3].lead_ids]})  # fmt: skip
    expected = _tasks(draft)
    response = client.post(draft_url(draft, "directive-draft-confirm"))
    directive = Directive.objects.get(number="58/TB-UBND")
    assert response["Location"] == reverse("directive-detail", args=[directive.pk])
    assert not DirectiveDraft.objects.exists()
    assert directive.tasks.count() == 13 and directive.tasks.get(position=4).deadline == D(2020, 7, 20)
    assert directive.tasks.get(position=11).parent == directive.tasks.get(position=10)
    assignments = Assignment.objects.filter(task__directive=directive)
    assert assignments.count() == sum(len(t.lead_ids) + len(t.cooperating_ids) for t in expected)
    first = directive.tasks.get(position=1)
    assert set(first.assignments.filter(role="lead").values_list("agency_id", flat=True)) == set(
        expected[0].lead_ids
    )


@pytest.mark.django_db
def test_a_confirm_refused_keeps_the_draft_and_links_to_the_tasks_in_error(client, coordinator):
    client.force_login(coordinator)
    draft = pasted(client, big_text(100))
    client.post(draft_url(draft, "directive-draft-bulk"), {"action": "set_leads", "scope": "ticked", "tasks": ["1"],
                                                            "agencies": [str(agency("so-y-te").pk)]})  # fmt: skip
    client.post(draft_url(draft, "directive-draft-bulk"), {"action": "remove_agencies", "scope": "ticked",
                                                            "tasks": ["1", "75"], "agencies": [str(agency("so-y-te").pk), str(agency("so-tai-chinh").pk)]})  # fmt: skip
    client.post(draft_url(draft, "directive-draft-fields"), {"number": "", "kind": "conclusion_notice", "issuer": "UBND tỉnh",
                                                              "issued_on": "02/11/2026", "title": "Kết luận"})  # fmt: skip
    response = client.post(draft_url(draft, "directive-draft-confirm"))
    assert response.status_code == 400
    page = response.content.decode()
    # The links lead to the draft's page (the page answering is the confirm URL's).
    base = draft_url(draft)
    assert f'href="{base}?page=1#task-1"' in page and f'href="{base}?page=2#task-75"' in page
    assert client.get(base, {"page": 2}).status_code == 200
    assert "Nhiệm vụ 75: chọn ít nhất một cơ quan chủ trì." in page and "Nhập số và ký hiệu văn bản" in page
    assert DirectiveDraft.objects.filter(pk=draft.pk).exists() and not Directive.objects.exists()


@pytest.mark.django_db
def test_my_drafts_are_listed_and_can_be_deleted(client, coordinator, leader):
    client.force_login(coordinator)
    draft = pasted(client, SEED.read_text(encoding="utf-8"))
    page = client.get(reverse("directive-list")).content.decode()
    assert 'data-testid="draft-row"' in page and "14 nhiệm vụ" in page and draft_url(draft) in page
    client.force_login(make_user("coordinator2", Role.COORDINATOR, "vpdp-ntm-tinh"))
    assert 'data-testid="draft-row"' not in client.get(reverse("directive-list")).content.decode()
    assert client.post(draft_url(draft, "directive-draft-delete")).status_code == 404
    client.force_login(coordinator)
    response = client.post(draft_url(draft, "directive-draft-delete"))
    assert response["Location"] == reverse("directive-list") and not DirectiveDraft.objects.exists()


@pytest.mark.django_db
def test_a_saved_directive_of_hundreds_of_tasks_is_shown_50_a_page_in_fixed_queries(client, coordinator):
    client.force_login(coordinator)
    counts, sizes = [], []
    for size, number in ((60, "60/TB-UBND"), (300, "300/TB-UBND")):
        draft = pasted(client, big_text(size).replace("77/TB-UBND", number))
        response = client.post(draft_url(draft, "directive-draft-confirm"), {"revision": "0"})
        directive = Directive.objects.get(number=number)
        assert response["Location"] == reverse("directive-detail", args=[directive.pk])
        url = reverse("directive-detail", args=[directive.pk])
        client.get(url)  # warm the session and the templates
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, {"page": 2})
        html = page.content.decode()
        assert html.count('data-testid="task"') == min(50, size - 50)
        assert f"Trang 2/{(size + 49) // 50} · {size} nhiệm vụ" in html
        # The counts are the whole directive's: every lead assignment, on every page.
        assert f'data-testid="count-open_within_term">{size}<' in html
        counts.append(len(queries))
        sizes.append(len(page.content))
    assert counts[0] == counts[1]
    assert max(sizes) < 200_000
