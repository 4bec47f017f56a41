"""The directives API as another provincial system uses it: whole payloads of a
directive, a task, an assignment and a progress report; the filters (bad values are a
400 naming the parameter); the overdue filter on the day's date; fixed query counts;
a progress report posted with a token, seen on the assignment page and in the history;
If-Match on writes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Agency, ApiToken
from directives.models import Assignment, Directive, ExtensionRequest, ProgressReport, Task
from directives.services.assignments import assignment_mark_done, progress_report_create
from directives.services.directives import DirectiveInput, TaskInput, attachment_add, directive_create
from tests.directives import conftest as directive_fixtures

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
# The directive tests' fixtures: notice 58/TB-UBND loaded by its command, files kept apart.
seed_directive = directive_fixtures.seed_directive
media_root = directive_fixtures.media_root


def _agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def _as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def notice(coordinator):
    """Notice 12/TB-UBND of 02/11/2026: a task due 20/11/2026 for UBND Đại Từ (lead) with
    Sở Xây dựng (cooperating), and a quarterly report of Sở Xây dựng; sent to UBND Đại
    Từ and Báo Thái Nguyên."""
    return directive_create(
        user=coordinator,
        data=DirectiveInput(
            number="12/TB-UBND",
            kind="conclusion_notice",
            issuer="Ủy ban nhân dân tỉnh Thái Nguyên",
            signer="Nguyễn Văn Bình",
            issued_on=datetime.date(2026, 11, 2),
            title="Kết luận về rà soát tiêu chí nông thôn mới",
            body="1. UBND huyện Đại Từ: báo cáo trước ngày 20/11/2026.",
            recipient_ids=(_agency("ubnd-huyen-dai-tu").pk, _agency("bao-thai-nguyen").pk),
            tasks=(
                TaskInput(
                    text="Báo cáo kết quả rà soát tiêu chí giao thông.",
                    section_number="1",
                    section_heading="Ủy ban nhân dân huyện Đại Từ:",
                    deadline=datetime.date(2026, 11, 20),
                    deadline_phrase="trước ngày 20/11/2026",
                    lead_ids=(_agency("ubnd-huyen-dai-tu").pk,),
                    cooperating_ids=(_agency("so-xay-dung").pk,),
                ),
                TaskInput(
                    text="Báo cáo tiến độ hằng quý.",
                    section_number="2",
                    section_heading="Sở Xây dựng:",
                    recurrence="quarterly",
                    deadline_phrase="hằng quý",
                    lead_ids=(_agency("so-xay-dung").pk,),
                ),
            ),
        ),
    )


def _task(notice, position: int) -> Task:
    return notice.tasks.get(position=position)


def _assignment(notice, position: int, code: str) -> Assignment:
    return Assignment.objects.get(task__directive=notice, task__position=position, agency__code=code)


# --- Whole payloads --------------------------------------------------------------------


def test_a_directive_as_the_list_and_its_page_show_it(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    recipients = sorted([_agency("ubnd-huyen-dai-tu").pk, _agency("bao-thai-nguyen").pk])
    row = {
        "id": notice.pk,
        "number": "12/TB-UBND",
        "kind": "conclusion_notice",
        "issuer": "Ủy ban nhân dân tỉnh Thái Nguyên",
        "signer": "Nguyễn Văn Bình",
        "issued_on": "2026-11-02",
        "title": "Kết luận về rà soát tiêu chí nông thôn mới",
        "recipient_ids": recipients,
        "task_count": 2,
        # Lead assignments: Đại Từ past 20/11, Sở Xây dựng's first quarter due 31/12.
        "counts": {"done_on_time": 0, "done_late": 0, "open_within_term": 1, "open_overdue": 1},
    }
    assert api.get("/api/v1/directives/").json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [row],
    }
    detail = api.get(f"/api/v1/directives/{notice.pk}/")
    assert detail.json() == row | {
        "body": "1. UBND huyện Đại Từ: báo cáo trước ngày 20/11/2026.",
        "attachments": [],
    }
    assert detail["ETag"].startswith('"')


def test_a_task_shows_every_agency_but_ids_only_of_the_assignments_the_caller_may_open(
    notice, dai_tu_officer, coordinator
):
    task = _task(notice, 1)
    own = _assignment(notice, 1, "ubnd-huyen-dai-tu")
    other = _assignment(notice, 1, "so-xay-dung")
    expected = {
        "id": task.pk,
        "directive_id": notice.pk,
        "position": 1,
        "section_number": "1",
        "section_heading": "Ủy ban nhân dân huyện Đại Từ:",
        "text": "Báo cáo kết quả rà soát tiêu chí giao thông.",
        "deadline": "2026-11-20",
        "deadline_phrase": "trước ngày 20/11/2026",
        "recurrence": "",
        "recurrence_day": None,
        "parent_id": None,
        "criterion_id": None,
        # The page's order: by role (cooperating, lead), then agency name.
        "assignments": [
            {
                "id": None,  # another agency's: no link on the page, 404 if opened
                "agency_id": other.agency_id,
                "agency": "Sở Xây dựng",
                "role": "cooperating",
                "status": "open_overdue",
            },
            {
                "id": own.pk,
                "agency_id": own.agency_id,
                "agency": "Ủy ban nhân dân huyện Đại Từ",
                "role": "lead",
                "status": "open_overdue",
            },
        ],
    }
    assert _as(dai_tu_officer).get(f"/api/v1/tasks/{task.pk}/").json() == expected
    expected["assignments"][0]["id"] = other.pk
    assert _as(coordinator).get(f"/api/v1/tasks/{task.pk}/").json() == expected


def test_an_assignment_and_its_progress_report_as_their_page_shows_them(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    assignment = _assignment(notice, 1, "ubnd-huyen-dai-tu")
    posted = api.post(
        f"/api/v1/assignments/{assignment.pk}/progress-reports/",
        {"text": "Đã rà soát 12 xã.", "percent": 40},
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    report = ProgressReport.objects.get()
    expected_report = {
        "id": report.pk,
        "assignment_id": assignment.pk,
        "agency_id": assignment.agency_id,
        "author": "daitu_officer",
        "text": "Đã rà soát 12 xã.",
        "percent": 40,
        "attachment": None,
        "created_at": "2026-11-30T09:00:00+07:00",
    }
    assert posted.json() == expected_report
    assert posted["Location"] == f"/api/v1/progress-reports/{report.pk}/"
    fetched = api.get(f"/api/v1/progress-reports/{report.pk}/")
    assert fetched.json() == expected_report and fetched["ETag"] == posted["ETag"]
    asked = api.post(
        f"/api/v1/assignments/{assignment.pk}/extension-requests/",
        {"requested_deadline": "2026-12-15", "reason": "Chờ số liệu của các xã."},
        format="json",
    )
    assert asked.status_code == 201, asked.json()
    extension = ExtensionRequest.objects.get()
    expected_extension = {
        "id": extension.pk,
        "requested_deadline": "2026-12-15",
        "reason": "Chờ số liệu của các xã.",
        "status": "pending",
        "requested_by": "daitu_officer",
        "created_at": "2026-11-30T09:00:00+07:00",
        "decided_by": None,
        "decided_at": None,
        "decision_note": "",
    }
    assert asked.json() == expected_extension
    assert api.get(f"/api/v1/assignments/{assignment.pk}/").json() == {
        "id": assignment.pk,
        "directive_id": notice.pk,
        "task_id": assignment.task_id,
        "agency_id": assignment.agency_id,
        "agency": "Ủy ban nhân dân huyện Đại Từ",
        "role": "lead",
        "deadline": "2026-11-20",
        "completed_on": None,
        "percent": 40,
        "status": "open_overdue",
        "extension_requests": [expected_extension],
    }


def test_a_report_with_a_file_is_posted_as_multipart_and_a_bad_file_is_refused(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    url = f"/api/v1/assignments/{_assignment(notice, 1, 'ubnd-huyen-dai-tu').pk}/progress-reports/"
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = api.post(
        url, {"text": "Kèm báo cáo.", "percent": "50", "attachment": upload}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["attachment"] == "bao-cao.pdf"
    virus = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = api.post(url, {"text": "x", "percent": "10", "attachment": virus}, format="multipart")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["attachment"]
    assert ProgressReport.objects.count() == 1


# --- The rules of the assignment page ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"text": "Đã làm.", "percent": 140}, ["percent"]),
        ({"text": "Đã làm.", "percent": -1}, ["percent"]),
        ({"text": "Đã làm.", "percent": "bốn mươi"}, ["percent"]),
        ({"text": "Đã làm."}, ["percent"]),
        ({"text": "   ", "percent": 10}, ["text"]),
        ({"percent": 10}, ["text"]),
        ({"text": ["a"], "percent": 10}, ["text"]),
        ([], [None]),
    ],
)
def test_a_bad_report_is_a_400_naming_the_field_and_saves_nothing(notice, dai_tu_officer, body, fields):
    url = f"/api/v1/assignments/{_assignment(notice, 1, 'ubnd-huyen-dai-tu').pk}/progress-reports/"
    response = _as(dai_tu_officer).post(url, body, format="json")
    assert response.status_code == 400, response.json()
    data = response.json()
    assert data["code"] == "invalid" and [error["field"] for error in data["errors"]] == fields
    assert not ProgressReport.objects.exists()


def test_the_percent_and_text_messages_are_the_pages_in_vietnamese(notice, dai_tu_officer):
    url = f"/api/v1/assignments/{_assignment(notice, 1, 'ubnd-huyen-dai-tu').pk}/progress-reports/"
    errors = _as(dai_tu_officer).post(url, {"text": "", "percent": 101}, format="json").json()["errors"]
    assert {error["field"]: error["detail"] for error in errors} == {
        "text": "Nhập nội dung đã thực hiện.",
        "percent": "Tiến độ là tỷ lệ phần trăm từ 0 đến 100.",
    }


def test_reporting_on_a_task_marked_done_is_a_409(notice, dai_tu_officer):
    assignment = _assignment(notice, 1, "ubnd-huyen-dai-tu")
    assignment_mark_done(user=dai_tu_officer, assignment=assignment)
    response = _as(dai_tu_officer).post(
        f"/api/v1/assignments/{assignment.pk}/progress-reports/",
        {"text": "Thêm.", "percent": 100},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert ProgressReport.objects.count() == 0


def test_a_second_extension_request_while_one_waits_is_a_409_and_a_past_date_a_400(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    url = f"/api/v1/assignments/{_assignment(notice, 1, 'ubnd-huyen-dai-tu').pk}/extension-requests/"
    past = api.post(url, {"requested_deadline": "2026-11-25", "reason": "Chậm."}, format="json")
    assert past.status_code == 400 and [e["field"] for e in past.json()["errors"]] == ["requested_deadline"]
    bad = api.post(url, {"requested_deadline": "15/12/2026", "reason": "Chậm."}, format="json")
    assert bad.status_code == 400 and [e["field"] for e in bad.json()["errors"]] == ["requested_deadline"]
    assert (
        api.post(url, {"requested_deadline": "2026-12-15", "reason": "Chậm."}, format="json").status_code
        == 201
    )
    again = api.post(url, {"requested_deadline": "2026-12-20", "reason": "Chậm."}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    assert ExtensionRequest.objects.count() == 1


def test_a_body_naming_another_assignment_than_the_address_is_refused(notice, dai_tu_officer):
    own = _assignment(notice, 1, "ubnd-huyen-dai-tu")
    response = _as(dai_tu_officer).post(
        f"/api/v1/assignments/{own.pk}/progress-reports/",
        {"assignment_id": own.pk + 1, "text": "Đã làm.", "percent": 10},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "assignment_id",
            "code": "invalid",
            "detail": "Nhiệm vụ được giao trong nội dung gửi lên không phải nhiệm vụ của địa chỉ gọi.",
        }
    ]
    assert not ProgressReport.objects.exists()


def test_a_body_that_is_not_an_object_is_refused_in_vietnamese(notice, dai_tu_officer):
    url = f"/api/v1/assignments/{_assignment(notice, 1, 'ubnd-huyen-dai-tu').pk}/progress-reports/"
    response = _as(dai_tu_officer).post(url, ["Đã làm.", 10], format="json")
    assert response.json() == {
        "code": "invalid",
        "detail": "Dữ liệu gửi lên không hợp lệ.",
        "errors": [{"field": None, "code": "invalid", "detail": "Gửi lên một đối tượng JSON."}],
    }
    response = _as(dai_tu_officer).post(url, {"text": None, "percent": None}, format="json")
    assert {error["field"]: error["detail"] for error in response.json()["errors"]} == {
        "text": "Nhập nội dung đã thực hiện.",
        "percent": "Tiến độ là tỷ lệ phần trăm từ 0 đến 100.",
    }


def test_a_report_posted_to_the_collection_names_its_assignment(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    own = _assignment(notice, 1, "ubnd-huyen-dai-tu")
    response = api.post(
        "/api/v1/progress-reports/",
        {"assignment_id": own.pk, "text": "Đã làm.", "percent": 10},
        format="json",
    )
    assert response.status_code == 201 and response.json()["assignment_id"] == own.pk
    missing = api.post("/api/v1/progress-reports/", {"text": "Đã làm.", "percent": 10}, format="json")
    assert missing.status_code == 400
    assert [error["field"] for error in missing.json()["errors"]] == ["assignment_id"]
    for unknown in (10**12, 2**70):
        response = api.post(
            "/api/v1/progress-reports/",
            {"assignment_id": unknown, "text": "Đã làm.", "percent": 10},
            format="json",
        )
        assert response.status_code == 404, unknown


# --- A report posted with a token ----------------------------------------------------------


def test_a_report_posted_with_a_token_shows_on_the_page_and_in_the_history_under_its_account(
    notice, issue_token, bearer, client, dai_tu_officer
):
    key = issue_token("vpdp-ntm-huyen-dai-tu")
    account = ApiToken.objects.get(prefix=key.split("_")[1]).user
    assignment = _assignment(notice, 1, "ubnd-huyen-dai-tu")
    response = bearer(key).post(
        f"/api/v1/assignments/{assignment.pk}/progress-reports/",
        {"text": "Đã hoàn thành rà soát 12 xã.", "percent": 60},
        format="json",
    )
    assert response.status_code == 201
    name = "API Hệ thống thử (vpdp-ntm-huyen-dai-tu)"
    assert response.json()["author"] == name
    assert Assignment.history.filter(id=assignment.pk).latest("history_id").history_user == account

    client.force_login(dai_tu_officer)
    page = client.get(reverse("directive-assignment", args=[assignment.pk])).content.decode()
    assert "Đã hoàn thành rà soát 12 xã." in page and name in page and 'data-testid="percent">60%' in page
    history = client.get(reverse("directive-history", args=[notice.pk]))
    entries = [entry for entry in history.context["entries"] if entry.who == name]
    assert [(change.old, change.new) for entry in entries for change in entry.changes] == [("0 %", "60 %")]


# --- If-Match ------------------------------------------------------------------------------


def test_a_stale_if_match_is_a_412_and_the_current_etag_writes(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    assignment = _assignment(notice, 1, "ubnd-huyen-dai-tu")
    url = f"/api/v1/assignments/{assignment.pk}/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # Meanwhile the office's other user reports: the assignment changed.
    progress_report_create(user=dai_tu_officer, assignment=assignment, text="Đã họp.", percent=20)
    stale = api.post(
        f"{url}progress-reports/", {"text": "Đã làm.", "percent": 30}, format="json", HTTP_IF_MATCH=etag
    )
    assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
    assert ProgressReport.objects.count() == 1
    current = api.get(url)["ETag"]
    fresh = api.post(
        f"{url}progress-reports/", {"text": "Đã làm.", "percent": 30}, format="json", HTTP_IF_MATCH=current
    )
    assert fresh.status_code == 201
    # The collection honours the assignment's ETag too.
    stale = api.post(
        "/api/v1/progress-reports/",
        {"assignment_id": assignment.pk, "text": "Lại.", "percent": 35},
        format="json",
        HTTP_IF_MATCH=current,
    )
    assert stale.status_code == 412 and ProgressReport.objects.count() == 2
    stale = api.post(
        f"{url}extension-requests/",
        {"requested_deadline": "2026-12-15", "reason": "Chờ số liệu."},
        format="json",
        HTTP_IF_MATCH=current,
    )
    assert stale.status_code == 412 and not ExtensionRequest.objects.exists()


# --- Filters -------------------------------------------------------------------------------


def _ids(api, url: str, **params) -> list[int]:
    response = api.get(url, {"page_size": 500, **params})
    assert response.status_code == 200, (params, response.json())
    return [row["id"] for row in response.json()["results"]]


def test_the_directive_filters(notice, seed_directive, coordinator, dai_tu_officer):
    api = _as(dai_tu_officer)
    url = "/api/v1/directives/"
    both = [notice.pk, seed_directive.pk]  # newest first
    assert _ids(api, url) == both
    assert _ids(api, url, issued_on_after="2026-11-02") == [notice.pk]
    assert _ids(api, url, issued_on_before="2026-11-01") == [seed_directive.pk]
    assert _ids(api, url, kind="conclusion_notice") == both and _ids(api, url, kind="plan") == []
    # agency: a recipient (Tỉnh ủy receives the seed notice only) or an assignee (Sở
    # Xây dựng is given tasks of both, and sent neither).
    assert _ids(api, url, agency=_agency("tinh-uy").pk) == [seed_directive.pk]
    assert _ids(api, url, agency=_agency("so-xay-dung").pk) == both
    assert _ids(api, url, agency=_agency("so-xay-dung").pk, issued_on_after="2026-01-01") == [notice.pk]
    assert _ids(api, url, agency=_agency("bao-thai-nguyen").pk) == both
    assert _ids(api, url, search="ket luan ra soat") == [notice.pk]
    assert _ids(api, url, search="58/tb") == [seed_directive.pk]
    assert _ids(api, url, ordering="issued_on") == both[::-1]
    # updated_since: a report an hour later changes the directive it belongs to.
    later = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=VN)
    assert _ids(api, url, updated_since="2026-11-30T09:30:00+07:00") == []
    with time_machine.travel(later):
        assignment = _assignment(notice, 1, "ubnd-huyen-dai-tu")
        progress_report_create(user=dai_tu_officer, assignment=assignment, text="Đã họp.", percent=20)
    assert _ids(api, url, updated_since="2026-11-30T09:30:00+07:00") == [notice.pk]
    assert _ids(api, url, updated_since="2026-11-30T10:30:00+07:00") == []
    with time_machine.travel(datetime.datetime(2026, 11, 30, 11, 0, tzinfo=VN)):
        attachment_add(
            user=coordinator,
            directive=seed_directive,
            upload=SimpleUploadedFile("58-TB-UBND.pdf", b"%PDF-1.4", content_type="application/pdf"),
        )
    assert _ids(api, url, updated_since="2026-11-30T10:30:00+07:00") == [seed_directive.pk]
    assert _ids(api, url, updated_since="2026-11-30T09:30:00+07:00") == both


def test_the_task_filters_and_orderings(notice, seed_directive, dai_tu_officer):
    api = _as(dai_tu_officer)
    url = "/api/v1/tasks/"
    first, quarterly = _task(notice, 1).pk, _task(notice, 2).pk
    seed = list(seed_directive.tasks.order_by("position").values_list("pk", flat=True))
    assert _ids(api, url, directive=notice.pk) == [first, quarterly]
    assert _ids(api, url, agency=_agency("ubnd-huyen-dai-tu").pk, directive=notice.pk) == [first]
    assert _ids(api, url, deadline_after="2026-01-01") == [first]
    assert _ids(api, url, deadline_before="2020-07-16") == [seed[4]]  # due 15/07/2020
    assert _ids(api, url, has_deadline="true", directive=notice.pk) == [first]
    assert _ids(api, url, has_deadline="false", directive=notice.pk) == [quarterly]
    assert _ids(api, url, recurrence="quarterly") == [quarterly]
    assert _ids(api, url, search="hang quy") == [quarterly]
    dated = _ids(api, url, has_deadline="true", ordering="deadline")
    assert dated == [seed[4], seed[3], seed[10], first]
    assert _ids(api, url, has_deadline="true", ordering="-deadline") == dated[::-1]


def test_the_overdue_filter_follows_the_day_in_vietnam(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    first = _task(notice, 1)
    own = _assignment(notice, 1, "ubnd-huyen-dai-tu").pk
    # 23:30 on the deadline day in Thái Nguyên (16:30 UTC): still within term.
    with time_machine.travel(datetime.datetime(2026, 11, 20, 23, 30, tzinfo=VN)):
        assert _ids(api, "/api/v1/tasks/", overdue="true") == []
        assert _ids(api, "/api/v1/tasks/", overdue="false") == [first.pk, _task(notice, 2).pk]
        assert _ids(api, "/api/v1/assignments/", overdue="true") == []
    # 00:30 the next day (still the 20th in UTC): overdue.
    with time_machine.travel(datetime.datetime(2026, 11, 21, 0, 30, tzinfo=VN)):
        assert _ids(api, "/api/v1/tasks/", overdue="true") == [first.pk]
        assert _ids(api, "/api/v1/assignments/", overdue="true") == [own]
        assert _ids(api, "/api/v1/assignments/", status="open_overdue") == [own]
    # Done (late): no longer overdue for Đại Từ; Sở Xây dựng's cooperating one still is.
    assignment_mark_done(user=dai_tu_officer, assignment=Assignment.objects.get(pk=own))
    assert _ids(api, "/api/v1/assignments/", overdue="true") == []
    assert _ids(api, "/api/v1/assignments/", status="done_late") == [own]
    assert _ids(api, "/api/v1/tasks/", overdue="true") == [first.pk]


def test_the_assignment_filters(notice, seed_directive, coordinator):
    api = _as(coordinator)
    url = "/api/v1/assignments/"
    dai_tu = _agency("ubnd-huyen-dai-tu").pk
    on_notice = _ids(api, url, directive=notice.pk)
    assert len(on_notice) == 3
    assert len(_ids(api, url, agency=dai_tu)) == 8 + 1 + 1  # section 3, task 1 of the seed; the notice
    assert _ids(api, url, agency=dai_tu, directive=notice.pk) == [
        _assignment(notice, 1, "ubnd-huyen-dai-tu").pk
    ]
    assert _ids(api, url, task=_task(notice, 2).pk) == [_assignment(notice, 2, "so-xay-dung").pk]
    assert len(_ids(api, url, directive=notice.pk, role="cooperating")) == 1
    assert len(_ids(api, url, deadline_after="2026-12-01")) == 1  # the quarter due 31/12/2026
    assert len(_ids(api, url, deadline_before="2020-07-16")) == 1
    assert len(_ids(api, url, status="open_overdue")) == 11 + 9 + 2  # the seed's 11 and 9 BCĐ; the notice's 2
    later = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=VN)
    with time_machine.travel(later):
        ExtensionRequest.objects.create(
            assignment=_assignment(notice, 1, "so-xay-dung"),
            requested_deadline=datetime.date(2026, 12, 31),
            reason="Chờ vốn.",
        )
        progress_report_create(
            user=coordinator, assignment=_assignment(notice, 2, "so-xay-dung"), text="Quý IV.", percent=10
        )
    assert sorted(_ids(api, url, updated_since="2026-11-30T09:30:00+07:00")) == sorted(
        [_assignment(notice, 1, "so-xay-dung").pk, _assignment(notice, 2, "so-xay-dung").pk]
    )
    assert _ids(api, "/api/v1/progress-reports/", updated_since="2026-11-30T09:30:00+07:00") == list(
        ProgressReport.objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(
    ("url", "parameter", "value"),
    [
        ("/api/v1/directives/", "issued_on_before", "31/12/2020"),
        ("/api/v1/directives/", "issued_on_after", "2020-02-30"),
        ("/api/v1/directives/", "kind", "memo"),
        ("/api/v1/directives/", "agency", "so-xay-dung"),
        ("/api/v1/directives/", "updated_since", "yesterday"),
        ("/api/v1/directives/", "ordering", "title"),
        ("/api/v1/tasks/", "directive", "58/TB-UBND"),
        ("/api/v1/tasks/", "deadline_before", "soon"),
        ("/api/v1/tasks/", "deadline_after", "2020-13-01"),
        ("/api/v1/tasks/", "has_deadline", "maybe"),
        ("/api/v1/tasks/", "overdue", "1"),
        ("/api/v1/tasks/", "recurrence", "weekly"),
        ("/api/v1/tasks/", "ordering", "-text"),
        ("/api/v1/assignments/", "status", "late"),
        ("/api/v1/assignments/", "overdue", "yes"),
        ("/api/v1/assignments/", "role", "chu_tri"),
        ("/api/v1/assignments/", "agency", "x"),
        ("/api/v1/assignments/", "task", "NaN"),
        ("/api/v1/assignments/", "deadline_after", "20/11/2026"),
        ("/api/v1/assignments/", "ordering", "agency"),
        ("/api/v1/assignments/", "page", "0"),
        ("/api/v1/assignments/", "page_size", "all"),
        ("/api/v1/progress-reports/", "assignment", "one"),
        ("/api/v1/progress-reports/", "updated_since", "2026-11-31T00:00:00"),
        ("/api/v1/progress-reports/", "ordering", "author"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(notice, coordinator, url, parameter, value):
    response = _as(coordinator).get(url, {parameter: value})
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] in ("invalid", "invalid_page")
    assert [error["field"] for error in body["errors"]] == [parameter]


def test_a_whole_400_body(notice, coordinator):
    response = _as(coordinator).get("/api/v1/tasks/", {"has_deadline": "maybe"})
    assert response.json() == {
        "code": "invalid",
        "detail": "Dữ liệu gửi lên không hợp lệ.",
        "errors": [
            {
                "field": "has_deadline",
                "code": "invalid_choice",
                "detail": "Hãy chọn một lựa chọn hợp lệ: “maybe” không có trong danh sách.",
            }
        ],
    }


def test_an_out_of_scope_or_unknown_id_filters_to_nothing(notice, dai_tu_officer):
    api = _as(dai_tu_officer)
    other = _agency("so-xay-dung").pk
    assert _ids(api, "/api/v1/assignments/", agency=other) == []
    assert _ids(api, "/api/v1/progress-reports/", agency=other) == []
    assert _ids(api, "/api/v1/assignments/", directive=10**15) == []


# --- Query counts ----------------------------------------------------------------------------

LISTS = ["/api/v1/directives/", "/api/v1/tasks/", "/api/v1/assignments/", "/api/v1/progress-reports/"]


def _queries(api, url: str, **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, params)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("persona", ["coordinator", "dai_tu_officer"])
def test_the_queries_of_a_list_do_not_depend_on_the_page_size(request, notice, seed_directive, url, persona):
    user = request.getfixturevalue(persona)
    for assignment in Assignment.objects.filter(
        agency__code__in=["ubnd-huyen-dai-tu", "bcd-ntm-huyen-dai-tu"]
    )[:6]:
        progress_report_create(user=user, assignment=assignment, text="Đã làm.", percent=10)
    ExtensionRequest.objects.create(
        assignment=_assignment(notice, 1, "ubnd-huyen-dai-tu"),
        requested_deadline=datetime.date(2026, 12, 31),
        reason="x",
    )
    for number in ("3/KH-UBND", "4/CT-UBND", "5/CV-UBND"):
        Directive.objects.create(
            number=number, kind="plan", issuer="UBND tỉnh", issued_on=datetime.date(2026, 1, 5), title="Thử"
        ).recipients.set([_agency("ubnd-huyen-dai-tu")])
    api = _as(user)
    api.get(url)  # warm the caches of the user (roles, permissions) as any later call finds them
    small, shown_small = _queries(api, url, page_size=2)
    large, shown_large = _queries(api, url, page_size=50)
    assert shown_small == 2 and shown_large > 2
    assert small == large, (url, small, large)
    assert small <= 8, small


def test_the_counts_are_the_list_pages(notice, seed_directive, leader):
    from directives.selectors.directives import directive_list

    page = {directive.pk: counts for directive, counts in directive_list(today=datetime.date(2026, 11, 30))}
    rows = _as(leader).get("/api/v1/directives/").json()["results"]
    assert {row["id"]: row["counts"] for row in rows} == {
        pk: {
            "done_on_time": counts.done_on_time,
            "done_late": counts.done_late,
            "open_within_term": counts.open_within_term,
            "open_overdue": counts.open_overdue,
        }
        for pk, counts in page.items()
    }
    seed = next(row for row in rows if row["id"] == seed_directive.pk)
    assert (seed["counts"]["open_overdue"], seed["counts"]["open_within_term"], seed["task_count"]) == (
        11,
        3 * 17 + 1 + 7 * 9,
        14,
    )
