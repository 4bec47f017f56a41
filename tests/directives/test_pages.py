"""The directive pages as a user sees them: the list, a directive's page with its tasks
in status colours, the paste -> correct -> confirm flow, an assignment's page, "my
agency's tasks", the overdue board; and the parse API."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Agency
from directives.models import Assignment, Directive, ProgressReport
from directives.services.assignments import assignment_mark_done

from .conftest import assignment_of

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parents[2] / "directives" / "seeds" / "thong-bao-58-TB-UBND-2020.txt"


def test_the_list_shows_the_directive_and_its_counts(client, leader, seed_directive):
    client.force_login(leader)
    page = client.get(reverse("directive-list")).content.decode()
    assert "58/TB-UBND" in page and "06/07/2020" in page
    # 11 lead assignments overdue (the two dated tasks of section 2, and the nine district
    # committees of the task due "đến cuối năm 2020"), the other 11 tasks standing.
    assert 'data-testid="count-open_overdue">11<' in page
    assert 'data-testid="count-open_within_term">' + str(3 * 17 + 1 + 7 * 9) + "<" in page
    assert reverse("directive-new") not in page  # a leader cannot create


def test_the_list_is_newest_first(client, leader, seed_directive):
    for number, day in (
        ("01/KH-UBND", datetime.date(2026, 1, 5)),
        ("158/TB-UBND", datetime.date(2020, 7, 6)),
    ):
        Directive.objects.create(number=number, kind="plan", issuer="UBND tỉnh", issued_on=day, title="Thử")
    client.force_login(leader)
    page = client.get(reverse("directive-list")).content.decode()
    positions = [page.index(number) for number in ("01/KH-UBND", "158/TB-UBND", "58/TB-UBND")]
    assert positions == sorted(positions)  # 2026 first; the same day: the later entered first


def test_the_directive_page_lists_sections_tasks_and_coloured_agencies(
    client, dai_tu_officer, seed_directive
):
    client.force_login(dai_tu_officer)
    response = client.get(reverse("directive-detail", args=[seed_directive.pk]))
    page = response.content.decode()
    assert page.count('data-testid="section"') == 3 and page.count('data-testid="task"') == 14
    assert page.count('data-testid="task-deadline"') == 3 and "17/07/2020" in page and "15/07/2020" in page
    assert "31/12/2020" in page  # "bảo đảm đến cuối năm 2020 đạt được tiêu chí"
    # The office on its two dated tasks, and the nine UBND (lead) and nine BCĐ
    # (cooperating) on the task due "đến cuối năm 2020".
    assert page.count('data-bucket="open_overdue"') == 2 + 9 + 9
    # The officer opens only the Đại Từ assignments (UBND and BCĐ, 8 tasks each).
    own = Assignment.objects.filter(agency__code__in=["ubnd-huyen-dai-tu", "bcd-ntm-huyen-dai-tu"])
    links = [reverse("directive-assignment", args=[a.pk]) for a in own]
    assert all(link in page for link in links)
    other = assignment_of(seed_directive, "ubnd-huyen-phu-binh", position=7)
    assert reverse("directive-assignment", args=[other.pk]) not in page


def _draft_tasks(draft):
    from directives.services.drafts import draft_input

    draft.refresh_from_db()
    return draft_input(draft.data).tasks


def test_the_paste_correct_confirm_flow_creates_the_directive(client, coordinator):
    from directives.models import DirectiveDraft

    client.force_login(coordinator)
    url = reverse("directive-new")
    assert client.get(url).status_code == 200
    text = SEED.read_text(encoding="utf-8")
    response = client.post(url, {"text": text})
    assert response.status_code == 302
    draft = DirectiveDraft.objects.get()
    response = client.get(response["Location"])
    page = response.content.decode()
    assert page.count('data-testid="draft-task"') == 14
    assert "trước ngày 17/7/2020" in page and 'value="58/TB-UBND"' in page and 'value="06/07/2020"' in page
    # The coordinator corrects: drops the last task, moves the fourth task's deadline by hand.
    client.post(reverse("directive-draft-task-delete", args=[draft.pk, 14]))
    fourth = _draft_tasks(draft)[3]
    client.post(
        reverse("directive-draft-task", args=[draft.pk, 4]),
        {"text": fourth.text, "deadline": "20/07/2020", "leads": [str(pk) for pk in fourth.lead_ids]},
    )
    response = client.post(reverse("directive-draft-confirm", args=[draft.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    directive = Directive.objects.get(number="58/TB-UBND")
    assert directive.tasks.count() == 13
    assert directive.tasks.get(position=4).deadline == datetime.date(2020, 7, 20)
    sub = directive.tasks.get(position=11)
    assert sub.parent == directive.tasks.get(position=10)
    assert not DirectiveDraft.objects.exists()
    # Confirming the same text again is refused on the number, nothing duplicated.
    again = client.post(url, {"text": text})
    response = client.post(again["Location"] + "confirm/")
    assert response.status_code == 400 and Directive.objects.count() == 1
    assert DirectiveDraft.objects.count() == 1


def test_a_confirm_with_a_task_without_agency_says_which_task(client, coordinator):
    from directives.models import DirectiveDraft

    client.force_login(coordinator)
    client.post(reverse("directive-new"), {"text": SEED.read_text(encoding="utf-8")})
    draft = DirectiveDraft.objects.get()
    task = reverse("directive-draft-task", args=[draft.pk, 1])
    response = client.post(task, {"text": "Rà soát.", "deadline": "31/02/2026"})
    assert response.status_code == 400 and response.context["form"].errors["deadline"]
    assert client.post(task, {"text": "Rà soát.", "deadline": ""}).status_code == 302
    response = client.post(reverse("directive-draft-confirm", args=[draft.pk]))
    assert response.status_code == 400
    errors = response.context["confirm_errors"]
    assert [error["number"] for error in errors] == [1] and "Nhiệm vụ 1" in errors[0]["message"]
    assert not Directive.objects.exists()


def test_a_text_without_tasks_is_sent_back(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("directive-new"), {"text": "Thái Nguyên, ngày 02 tháng 11 năm 2026"})
    assert response.status_code == 400 and "paste" in response.context


def test_the_assignment_page_and_its_forms(client, dai_tu_officer, seed_directive):
    client.force_login(dai_tu_officer)
    assignment = assignment_of(seed_directive, "ubnd-huyen-dai-tu", position=7)
    url = reverse("directive-assignment", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "Ủy ban nhân dân huyện Đại Từ" in page and 'data-testid="progress-form"' in page
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        reverse("directive-progress", args=[assignment.pk]),
        {"text": "Đã tổ chức 3 hội nghị.", "percent": "40", "attachment": upload},
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(assignment=assignment)
    assert report.percent == 40 and report.attachment.name.endswith(".pdf")
    download = client.get(reverse("directive-report-file", args=[report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    bad = client.post(reverse("directive-progress", args=[assignment.pk]), {"text": "x", "percent": "140"})
    assert bad.status_code == 400 and ProgressReport.objects.count() == 1  # the form comes back
    client.post(reverse("directive-done", args=[assignment.pk]), {"note": ""})
    assignment.refresh_from_db()
    assert assignment.completed_on == datetime.date(2026, 11, 30)
    page = client.get(url).content.decode()
    assert 'data-bucket="done_on_time"' in page and 'data-testid="progress-form"' not in page


def test_an_exe_attachment_is_refused_with_the_field_named(client, dai_tu_officer, seed_directive):
    client.force_login(dai_tu_officer)
    assignment = assignment_of(seed_directive, "ubnd-huyen-dai-tu", position=7)
    upload = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("directive-progress", args=[assignment.pk]),
        {"text": "x", "percent": "10", "attachment": upload},
        follow=True,
    )
    assert response.status_code == 400 and not ProgressReport.objects.exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any(".pdf" in m for m in messages)


def test_my_tasks_lists_the_agencys_tasks_only(client, department_officer, dai_tu_officer, seed_directive):
    client.force_login(department_officer)
    page = client.get(reverse("directive-my-tasks")).content.decode()
    assert page.count('data-testid="my-task"') == 3
    client.force_login(dai_tu_officer)
    page = client.get(reverse("directive-my-tasks")).content.decode()
    # UBND (lead) and BCĐ (cooperating) of Đại Từ on section 3, and the UBND cooperating on
    # the first task of section 1 ("Phối hợp với UBND cấp huyện …").
    assert page.count('data-testid="my-task"') == 17


def test_the_overdue_board_counts_per_agency(client, coordinator, department_officer, seed_directive):
    transport = assignment_of(seed_directive, "so-giao-thong-van-tai", position=1)
    assignment_mark_done(user=department_officer, assignment=transport)
    client.force_login(coordinator)
    response = client.get(reverse("directive-board"))
    page = response.content.decode()
    rows = {row.agency.code: row.counts for row in response.context["table"]}
    assert (rows["vpdp-ntm-tinh"].open_overdue, rows["vpdp-ntm-tinh"].open_within_term) == (2, 1)
    assert (rows["so-giao-thong-van-tai"].done_on_time, rows["so-giao-thong-van-tai"].open_within_term) == (
        1,
        2,
    )
    assert response.context["table"][0].agency.code == "vpdp-ntm-tinh"  # most overdue first
    # The office's two dated tasks and the nine district committees' task due 31/12/2020.
    assert 'data-testid="overdue-count">11<' in page
    assert 'data-testid="days-overdue">2327<' in page  # 17/07/2020 -> 30/11/2026


def test_the_board_is_for_coordinators_and_leaders(client, department_officer, leader, seed_directive):
    client.force_login(department_officer)
    assert client.get(reverse("directive-board")).status_code == 403
    client.force_login(leader)
    page = client.get(reverse("directive-board")).content.decode()
    assert "undelivered" not in page


# --- API ------------------------------------------------------------------------------


def _ids(*codes):
    return sorted(Agency.objects.filter(code__in=codes).values_list("pk", flat=True))


def test_the_parse_api_answers_sections_tasks_iso_deadlines_and_agency_ids(client, coordinator):
    client.force_login(coordinator)
    text = (
        "Số: 7/CT-UBND\n\nThái Nguyên, ngày 02 tháng 3 năm 2021\n\nCHỈ THỊ\n\nVề tăng cường chỉ đạo\n\n"
        "1. Sở Y tế, Sở GTVT:\n\n- Báo cáo chậm nhất ngày 05/4/2021.\n\n- Kiểm tra hằng tháng.\n\n"
        "2. UBND các huyện, thành phố, thị xã:\n\n- Tổng kết trong tháng 6/2021.\n\nNơi nhận:\n- Sở Y tế;\n- Lưu: VT.\n"
    )
    response = client.post(reverse("directive-api-parse"), {"text": text}, content_type="application/json")
    assert response.status_code == 200
    districts = sorted(Agency.objects.filter(kind="district_committee").values_list("pk", flat=True))
    health_transport = _ids("so-y-te", "so-giao-thong-van-tai")
    assert response.json() == {
        "number": "7/CT-UBND",
        "issued_on": "2021-03-02",
        "kind": "directive",
        "title": "Về tăng cường chỉ đạo",
        "issuer": "Ủy ban nhân dân tỉnh Thái Nguyên",
        "signer": "",
        "recipient_ids": _ids("so-y-te"),
        "sections": [
            {
                "number": "1",
                "heading": "Sở Y tế, Sở GTVT:",
                "agency_ids": health_transport,
                "lead_agency_ids": health_transport,
                "cooperating_agency_ids": [],
            },
            {
                "number": "2",
                "heading": "UBND các huyện, thành phố, thị xã:",
                "agency_ids": districts,
                "lead_agency_ids": districts,
                "cooperating_agency_ids": [],
            },
        ],
        "tasks": [
            {
                "section_number": "1",
                "text": "Báo cáo chậm nhất ngày 05/4/2021.",
                "deadline": "2021-04-05",
                "deadline_phrase": "chậm nhất ngày 05/4/2021",
                "recurrence": None,
                "agency_ids": health_transport,
                "lead_agency_ids": health_transport,
                "cooperating_agency_ids": [],
                "parent_index": None,
                "invalid_dates": [],
                "recurrence_day": None,
                "unmatched_agencies": [],
                "agency_source": "heading",
                "deadline_before_issue": False,
            },
            {
                "section_number": "1",
                "text": "Kiểm tra hằng tháng.",
                "deadline": None,
                "deadline_phrase": "hằng tháng",
                "recurrence": "monthly",
                "agency_ids": health_transport,
                "lead_agency_ids": health_transport,
                "cooperating_agency_ids": [],
                "parent_index": None,
                "invalid_dates": [],
                "recurrence_day": None,
                "unmatched_agencies": [],
                "agency_source": "heading",
                "deadline_before_issue": False,
            },
            {
                "section_number": "2",
                "text": "Tổng kết trong tháng 6/2021.",
                "deadline": "2021-06-30",
                "deadline_phrase": "trong tháng 6/2021",
                "recurrence": None,
                "agency_ids": districts,
                "lead_agency_ids": districts,
                "cooperating_agency_ids": [],
                "parent_index": None,
                "invalid_dates": [],
                "recurrence_day": None,
                "unmatched_agencies": [],
                "agency_source": "heading",
                "deadline_before_issue": False,
            },
        ],
    }


def test_the_parse_api_on_the_seed_notice(client, coordinator):
    client.force_login(coordinator)
    text = SEED.read_text(encoding="utf-8")
    data = client.post(reverse("directive-api-parse"), {"text": text}, content_type="application/json").json()
    assert [s["number"] for s in data["sections"]] == ["1", "2", "3"]
    assert len(data["tasks"]) == 14
    assert [t["deadline"] for t in data["tasks"] if t["deadline"]] == [
        "2020-07-17",
        "2020-07-15",
        "2020-12-31",
    ]
    assert [t["section_number"] for t in data["tasks"] if t["deadline"]] == ["2", "2", "3"]
    assert [t["deadline_phrase"] for t in data["tasks"] if t["deadline"]][2] == "đến cuối năm 2020"
    assert data["sections"][1]["agency_ids"] == _ids("vpdp-ntm-tinh")
    assert len(data["sections"][0]["agency_ids"]) == 17 and len(data["sections"][2]["agency_ids"]) == 18


@pytest.mark.parametrize("payload", [{}, {"text": ""}, {"text": 58}, {"text": None}, []])
def test_bad_parse_input_is_a_400_naming_the_field(client, coordinator, payload):
    client.force_login(coordinator)
    response = client.post(reverse("directive-api-parse"), payload, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert [error["field"] for error in body["errors"]] == ["text"]


def test_the_parse_api_is_for_coordinators(client, department_officer):
    client.force_login(department_officer)
    response = client.post(reverse("directive-api-parse"), {"text": "x"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_the_directive_api_lists_assignments_with_their_status(client, api_client_user, seed_directive):
    client.force_login(api_client_user)
    directive = client.get(reverse("directive-api-list")).json()["results"][0]
    assert directive["number"] == "58/TB-UBND" and directive["task_count"] == 14
    tasks = client.get(reverse("task-api-list"), {"directive": directive["id"]}).json()["results"]
    assert len(tasks) == 14
    office = tasks[3]["assignments"]
    assert office == [
        {
            "id": office[0]["id"],
            "agency_id": _ids("vpdp-ntm-tinh")[0],
            "agency": "Văn phòng Điều phối nông thôn mới tỉnh",
            "role": "lead",
            "status": "open_overdue",
        }
    ]
    detail = client.get(reverse("assignment-api-detail", args=[office[0]["id"]])).json()
    assert (detail["deadline"], detail["completed_on"], detail["percent"], detail["status"]) == (
        "2020-07-17",
        None,
        0,
        "open_overdue",
    )


def _proposal(client, body: str):
    """The draft of a small notice with ``body``, and its page."""
    from directives.models import DirectiveDraft

    text = (
        "Số: 9/TB-UBND\n\nThái Nguyên, ngày 02 tháng 11 năm 2026\n\nTHÔNG BÁO\n\nKết luận\n\n"
        f"{body}\n\nNơi nhận:\n- Lưu: VT.\n"
    )
    response = client.post(reverse("directive-new"), {"text": text})
    assert response.status_code == 302
    return DirectiveDraft.objects.latest("pk"), client.get(response["Location"])


def test_the_proposal_ticks_the_agencies_after_phoi_hop_voi_as_cooperating(client, coordinator):
    client.force_login(coordinator)
    draft, _page = _proposal(
        client, "I. Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Tài chính:\n\n- Xây dựng đề án."
    )
    task = _draft_tasks(draft)[0]
    assert task.section_number == "I"
    assert list(task.lead_ids) == _ids("so-nong-nghiep-ptnt")
    assert list(task.cooperating_ids) == _ids("so-tai-chinh")


def test_the_proposal_warns_of_an_impossible_deadline(client, coordinator):
    client.force_login(coordinator)
    draft, response = _proposal(client, "1. Sở Y tế:\n\n- Báo cáo trước ngày 31/02/2027.\n\n- Tổng kết.")
    page = response.content.decode()
    assert page.count('data-testid="task-warning"') == 1 and "31/02/2027" in page
    first, second = _draft_tasks(draft)
    assert first.deadline is None and first.warnings
    assert not second.warnings
    # The warning stays on the draft's page after any change.
    client.post(reverse("directive-draft-task-delete", args=[draft.pk, 2]))
    assert (
        client.get(reverse("directive-draft", args=[draft.pk]))
        .content.decode()
        .count('data-testid="task-warning"')
        == 1
    )
