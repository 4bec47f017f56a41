"""The summary workbook built in the background: the overview's button starts a job, its
page shows a progress bar (htmx polls it) and then the download.

Celery runs in-process here (``CELERY_TASK_ALWAYS_EAGER`` of the test settings, as in the
embedded portal): the task queued on commit runs when the test executes the commit
callbacks. The dataset (period "6 tháng đầu năm 2020", the three-criterion set "test-exp"
of test_exports.py): Đại Từ has three approved assessments (A: 1, 2, 3; B: 1, 2; C: 1) and
a draft; Phú Bình two approved (D: 1, 2, 3; E: 2, 3).
"""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from criteria.exports.sheets import TABLE_HEADER_ROW
from criteria.models import AssessmentStatus, ExportJob, ExportState, ReportingPeriod
from criteria.services.exports import export_job_run
from criteria.tasks import build_summary_export
from tests.conftest import unit
from tests.criteria.test_exports import assess, make_set, xa_of

pytestmark = pytest.mark.django_db

D = datetime.date
QUERY = {"period": "2020-h1", "set": "test-exp"}
SUMMARY_NAME = "Tổng hợp NTM 6 tháng đầu năm 2020.xlsx"
FAILED_MESSAGE = (
    "Không tạo được bảng tổng hợp do có lỗi ngoài dự kiến. Hãy thử lại; nếu vẫn lỗi, "
    "xin báo Văn phòng Điều phối nông thôn mới tỉnh."
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def data():
    period = ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=D(2020, 1, 1),
        end=D(2020, 6, 30), submission_deadline=D(2020, 7, 15), lock_date=D(2020, 8, 14),
    )  # fmt: skip
    criteria_set = make_set()
    dai_tu, phu_binh = xa_of("171"), xa_of("173")
    a, b, c, f = dai_tu[:4]
    d, e = phu_binh[:2]
    assess(a, period, criteria_set, {1, 2, 3})
    assess(b, period, criteria_set, {1, 2})
    assess(c, period, criteria_set, {1})
    assess(f, period, criteria_set, {1, 2, 3}, status=AssessmentStatus.DRAFT)
    assess(d, period, criteria_set, {1, 2, 3})
    assess(e, period, criteria_set, {2, 3})
    return {"period": period, "set": criteria_set, "dai_tu": dai_tu, "phu_binh": phu_binh}


def start(client, user, captured, *, execute=True, **extra):
    """Press the overview's button as ``user``; answers the response and the job."""
    client.force_login(user)
    with captured(execute=execute) as callbacks:
        response = client.post(reverse("export-summary-start"), {**QUERY, **extra})
    assert response.status_code == 302, response
    job = ExportJob.objects.order_by("-pk").first()
    if job is not None and response["Location"] == reverse("export-job", args=[job.pk]):
        return response, job, callbacks
    return response, None, callbacks


def sheets(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def commune_codes(content: bytes) -> set[str]:
    rows = sheets(content)["Xã theo tiêu chí"][TABLE_HEADER_ROW + 1 :]
    return {row[1] for row in rows}


# --- A district officer's job holds their district, as the synchronous file does ----------


def test_a_district_officers_job_produces_the_workbook_of_their_district_only(
    client, data, dai_tu_officer, django_capture_on_commit_callbacks
):
    response, job, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="download"' in page.content.decode()

    download = client.get(reverse("export-job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "utf-8''T%E1%BB%95ng%20h%E1%BB%A3p%20NTM" in download["Content-Disposition"]
    content = streamed(download)
    synchronous = client.get(reverse("export-summary"), QUERY).content
    assert sheets(content) == sheets(synchronous)

    a, b, c = (commune.code for commune in data["dai_tu"][:3])
    assert commune_codes(content) == {a, b, c}  # no draft, nothing of Phú Bình
    summary = sheets(content)["Tổng hợp"]
    assert summary[4][1] == "Huyện Đại Từ"
    assert summary[10][1] == 3  # communes assessed
    by_district = sheets(content)["Theo huyện"][TABLE_HEADER_ROW:]
    assert [row[1] for row in by_district] == ["Huyện Đại Từ", "Tổng cộng"]


def test_the_job_reaches_100_percent_and_is_stored_under_a_private_path(
    client, data, dai_tu_officer, media, django_capture_on_commit_callbacks
):
    _response, job, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == ExportState.DONE
    assert job.progress == 100
    assert job.finished_at is not None
    assert job.filename == SUMMARY_NAME
    assert job.file.name.startswith(f"private/exports/{job.pk}-")
    assert (Path(media) / job.file.name).is_file()
    assert job.requested_by == dai_tu_officer


def test_the_bar_moves_after_each_step_and_sheet(
    client, data, dai_tu_officer, monkeypatch, django_capture_on_commit_callbacks
):
    import criteria.services.exports as service

    _response, job, callbacks = start(
        client, dai_tu_officer, django_capture_on_commit_callbacks, execute=False
    )
    assert len(callbacks) == 1
    waiting = client.get(reverse("export-job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    text = waiting.content.decode()
    assert "Đang chờ bắt đầu tạo tệp…" in text
    assert 'aria-valuenow="0"' in text and "progress-step-0" in text
    assert 'hx-trigger="every 1s"' in text

    seen = []
    original = service._progress

    def watched(job_pk, percent):
        original(job_pk, percent)
        bar = client.get(
            reverse("export-job-progress", args=[job_pk]), HTTP_HX_REQUEST="true"
        ).content.decode()
        seen.append((percent, f'aria-valuenow="{percent}"' in bar, f"progress-step-{percent // 5}" in bar))

    monkeypatch.setattr(service, "_progress", watched)
    callbacks[0]()  # the Celery task (eager here; a worker in production)
    assert seen == [(p, True, True) for p in (25, 45, 55, 65, 75, 85)]

    done = client.get(reverse("export-job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done.headers["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert (job.state, job.progress) == (ExportState.DONE, 100)


def test_a_leader_read_only_elsewhere_may_start_an_export(
    client, data, leader, django_capture_on_commit_callbacks
):
    _response, job, _callbacks = start(client, leader, django_capture_on_commit_callbacks)
    download = client.get(reverse("export-job-download", args=[job.pk]))
    assert download.status_code == 200
    everything = {commune.code for commune in data["dai_tu"][:3] + data["phu_binh"][:2]}
    assert commune_codes(streamed(download)) == everything


def test_a_coordinator_narrows_the_workbook_to_one_district(
    client, data, coordinator, dai_tu_officer, django_capture_on_commit_callbacks
):
    _response, job, _callbacks = start(
        client, coordinator, django_capture_on_commit_callbacks, unit=unit("171").pk
    )
    content = streamed(client.get(reverse("export-job-download", args=[job.pk])))
    client.force_login(dai_tu_officer)
    district_file = client.get(reverse("export-summary"), QUERY).content
    assert sheets(content) == sheets(district_file)


def test_a_unit_outside_the_scope_is_404_and_starts_nothing(
    client, data, dai_tu_officer, django_capture_on_commit_callbacks
):
    client.force_login(dai_tu_officer)
    response = client.post(reverse("export-summary-start"), {**QUERY, "unit": unit("173").pk})
    assert response.status_code == 404
    assert not ExportJob.objects.exists()


def test_an_unknown_period_goes_back_to_the_overview_which_names_it(client, data, leader):
    client.force_login(leader)
    response = client.post(reverse("export-summary-start"), {"period": "2099-h9", "set": "test-exp"})
    assert response.status_code == 302
    assert response["Location"] == reverse("criteria-overview") + "?period=2099-h9&set=test-exp"
    assert (
        "Kỳ báo cáo: Không có mục nào có mã “2099-h9”." in client.get(response["Location"]).content.decode()
    )
    assert not ExportJob.objects.exists()


def test_a_double_click_starts_one_job(client, data, dai_tu_officer, django_capture_on_commit_callbacks):
    first, job, callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks, execute=False)
    second, _job, more = start(client, dai_tu_officer, django_capture_on_commit_callbacks, execute=False)
    assert first["Location"] == second["Location"]
    assert (len(callbacks), len(more), ExportJob.objects.count()) == (1, 0, 1)


def test_a_second_run_of_the_task_builds_nothing_again(
    client, data, dai_tu_officer, django_capture_on_commit_callbacks
):
    _response, job, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    stored = job.file.name
    build_summary_export(job.pk)
    job.refresh_from_db()
    assert (job.state, job.file.name) == (ExportState.DONE, stored)


# --- Only who asked (or a coordinator) sees a job ---------------------------------------


@pytest.mark.parametrize("outsider", ["phu_binh_officer", "leader", "department_officer"])
@pytest.mark.parametrize("name", ["export-job", "export-job-progress", "export-job-download"])
def test_another_user_gets_404_on_the_job_and_its_file(
    request, client, data, dai_tu_officer, outsider, name, django_capture_on_commit_callbacks
):
    _response, job, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_coordinator_sees_and_downloads_anyones_job(
    client, data, dai_tu_officer, coordinator, django_capture_on_commit_callbacks
):
    _response, job, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    client.force_login(coordinator)
    assert client.get(reverse("export-job", args=[job.pk])).status_code == 200
    assert client.get(reverse("export-job-download", args=[job.pk])).status_code == 200


def test_an_unknown_job_is_404(client, leader):
    client.force_login(leader)
    assert client.get(reverse("export-job", args=[999999])).status_code == 404


# --- A failing build ---------------------------------------------------------------------


def test_a_failing_build_marks_the_job_failed_with_a_vietnamese_message(
    client, data, dai_tu_officer, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("criteria.services.exports.summary_workbook", broken)
    response, job, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.state == ExportState.FAILED
    assert job.error == FAILED_MESSAGE
    assert job.finished_at is not None and not job.file

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert FAILED_MESSAGE in text and "disk on fire" not in text
    assert 'data-testid="retry"' in text
    # Not ready: the download goes back to the job's page rather than failing.
    download = client.get(reverse("export-job-download", args=[job.pk]))
    assert (download.status_code, download["Location"]) == (302, reverse("export-job", args=[job.pk]))


# --- Old jobs are deleted after 24 hours -------------------------------------------------


def test_a_job_and_its_file_are_deleted_by_the_next_run_after_24_hours(
    client, data, dai_tu_officer, media, frozen_time, django_capture_on_commit_callbacks
):
    _response, old, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    old.refresh_from_db()
    old_file = Path(media) / old.file.name
    assert old_file.is_file()

    frozen_time.shift(datetime.timedelta(hours=23))
    _response, recent, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    assert ExportJob.objects.filter(pk=old.pk).exists()  # 23 hours: kept

    frozen_time.shift(datetime.timedelta(hours=2))
    _response, new, _callbacks = start(client, dai_tu_officer, django_capture_on_commit_callbacks)
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk, new.pk}
    assert not old_file.exists()
    assert client.get(reverse("export-job-download", args=[old.pk])).status_code == 404


# --- Fixed query counts --------------------------------------------------------------------


def _more_communes(data):
    for commune in data["dai_tu"][4:14] + data["phu_binh"][2:10]:
        assess(commune, data["period"], data["set"], {1, 3})


def test_the_progress_view_and_the_job_page_run_a_fixed_number_of_queries(
    client, data, dai_tu_officer, django_assert_num_queries
):
    client.force_login(dai_tu_officer)

    def running_job():
        return ExportJob.objects.create(
            requested_by=dai_tu_officer, period=data["period"], criteria_set=data["set"],
            state=ExportState.RUNNING, progress=45,
        )  # fmt: skip

    for size in ("few", "many"):
        if size == "many":
            _more_communes(data)
        job = running_job()
        with django_assert_num_queries(4):  # session, user, roles, the job
            bar = client.get(reverse("export-job-progress", args=[job.pk]), HTTP_HX_REQUEST="true")
        assert 'aria-valuenow="45"' in bar.content.decode()
        with django_assert_num_queries(6):  # and the menu's unread notices and agency
            assert client.get(reverse("export-job", args=[job.pk])).status_code == 200


def test_building_a_job_runs_the_same_queries_whatever_the_communes(data, dai_tu_officer, leader):
    def queries_for(user) -> int:
        job = ExportJob.objects.create(requested_by=user, period=data["period"], criteria_set=data["set"])
        with CaptureQueriesContext(connection) as queries:
            export_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.state == ExportState.DONE
        return len(queries)

    few = queries_for(leader)
    _more_communes(data)
    assert queries_for(leader) == few


# --- The overview's button ----------------------------------------------------------------


def test_the_overview_button_posts_the_pages_period_and_set(client, data, leader):
    client.force_login(leader)
    page = client.get(reverse("criteria-overview"), QUERY).content.decode()
    form = page[page.index('data-testid="export-summary-form"') - 200 :]
    form = form[: form.index("</form>")]
    assert f'method="post" action="{reverse("export-summary-start")}"' in form
    assert 'name="period" value="2020-h1"' in form and 'name="set" value="test-exp"' in form
    assert "Tải bảng tổng hợp (Excel)" in form
