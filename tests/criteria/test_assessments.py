"""Assessments: scope, workflow through the services and pages, locking, concurrent
edits, history, notifications. Built on a small two-criterion set, in July 2020 (before
the 2020-H1 lock date, with the pre-2025 communes in force) unless a test moves time."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from communes.models import AdministrativeUnit
from core.exceptions import OutOfScope
from criteria.models import Assessment, Criterion, Indicator, ReportingPeriod
from criteria.services.assessments import (
    StaleAssessment,
    ValueInput,
    WorkflowRefused,
    assessment_comment,
    assessment_create,
    assessment_transition,
    assessment_update_values,
)
from criteria.workflow import Action

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
JULY_2020 = datetime.datetime(2020, 7, 3, 10, 0, tzinfo=VN)
AFTER_LOCK = datetime.datetime(2020, 8, 15, 10, 0, tzinfo=VN)


@pytest.fixture(autouse=True)
def july_2020(frozen_time):
    frozen_time.move_to(JULY_2020)


def xa(name):
    return AdministrativeUnit.objects.get(name=name, valid_until=datetime.date(2025, 6, 30))


def ind(cs, code):
    return Indicator.objects.get(criterion__criteria_set=cs, code=code)


@pytest.fixture
def draft(dai_tu_officer, small_set, period):
    return assessment_create(
        user=dai_tu_officer, commune=xa("Xã Phúc Lương"), period=period, criteria_set=small_set
    )


def all_met(cs):
    return {
        ind(cs, "1.1").pk: ValueInput(achieved=True),
        ind(cs, "1.2").pk: ValueInput(number=Decimal("85")),
        ind(cs, "2.1").pk: ValueInput(number=Decimal("20")),
        ind(cs, "2.2").pk: ValueInput(
            number=Decimal("3"), achieved=True, evidence="Biên bản thẩm định số 12"
        ),
    }


# --- services -----------------------------------------------------------------------


def test_a_new_assessment_has_every_indicator_missing_and_no_criterion_met(draft):
    assert (draft.status, draft.criteria_met, draft.criteria_total, draft.meets_standard) == (
        "draft",
        0,
        2,
        False,
    )
    assert sorted(draft.values.values_list("outcome", flat=True)) == ["missing"] * 4


def test_values_are_evaluated_and_the_counts_stored(draft, dai_tu_officer, small_set):
    values = all_met(small_set) | {ind(small_set, "2.1").pk: ValueInput(number=Decimal("26.71"))}
    assessment_update_values(user=dai_tu_officer, assessment=draft, version=1, values=values)
    draft.refresh_from_db()
    assert (draft.criteria_met, draft.meets_standard, draft.version) == (1, False, 2)
    assert dict(draft.criterion_results.values_list("criterion__number", "met")) == {1: True, 2: False}
    assessment_update_values(user=dai_tu_officer, assessment=draft, version=2, values=all_met(small_set))
    draft.refresh_from_db()
    assert (draft.criteria_met, draft.meets_standard) == (2, True)


def test_an_indicator_without_target_waits_for_the_appraiser(draft, dai_tu_officer, small_set):
    values = {ind(small_set, "2.2").pk: ValueInput(number=Decimal("3"))}
    assessment_update_values(user=dai_tu_officer, assessment=draft, version=1, values=values)
    assert draft.values.get(indicator__code="2.2").outcome == "undetermined"


def test_a_percentage_over_100_is_refused_and_nothing_is_saved(draft, dai_tu_officer, small_set):
    values = all_met(small_set) | {ind(small_set, "1.2").pk: ValueInput(number=Decimal("101"))}
    with pytest.raises(ValidationError) as error:
        assessment_update_values(user=dai_tu_officer, assessment=draft, version=1, values=values)
    assert error.value.message_dict == {
        f"indicator-{ind(small_set, '1.2').pk}": ["1.2: Tỷ lệ phần trăm nằm trong khoảng 0 đến 100."]
    }
    draft.refresh_from_db()
    assert draft.version == 1
    assert set(draft.values.values_list("number", flat=True)) == {None}


def test_a_district_officer_cannot_read_or_change_another_districts_assessment(
    draft, phu_binh_officer, small_set
):
    with pytest.raises(OutOfScope):
        assessment_update_values(
            user=phu_binh_officer, assessment=draft, version=1, values=all_met(small_set)
        )
    with pytest.raises(OutOfScope):
        assessment_transition(user=phu_binh_officer, assessment=draft, action=Action.SUBMIT, version=1)
    with pytest.raises(OutOfScope):
        assessment_create(
            user=phu_binh_officer, commune=xa("Xã Phúc Xuân"), period=draft.period, criteria_set=small_set
        )


def test_one_assessment_per_commune_period_and_set(draft, dai_tu_officer):
    with pytest.raises(ValidationError, match="đã có phiếu đánh giá"):
        assessment_create(
            user=dai_tu_officer, commune=draft.commune, period=draft.period, criteria_set=draft.criteria_set
        )


def test_a_ward_is_not_assessed(dai_tu_officer, small_set, period):
    with pytest.raises(ValidationError, match="Chỉ xã"):
        assessment_create(
            user=dai_tu_officer, commune=xa("Thị trấn Hùng Sơn"), period=period, criteria_set=small_set
        )


def test_the_whole_workflow_with_history_and_notification(
    draft, dai_tu_officer, coordinator, small_set, django_capture_on_commit_callbacks
):
    dai_tu_officer.email = "daitu@example.gov.vn"
    dai_tu_officer.save()
    assessment_update_values(user=dai_tu_officer, assessment=draft, version=1, values=all_met(small_set))
    assessment_transition(user=dai_tu_officer, assessment=draft, action=Action.SUBMIT, version=2)
    with pytest.raises(ValidationError) as error:
        assessment_transition(
            user=coordinator, assessment=draft, action=Action.RETURN, version=3, reason="  "
        )
    assert error.value.message_dict == {"reason": ["Hãy nêu lý do."]}
    with pytest.raises(WorkflowRefused):
        assessment_update_values(user=dai_tu_officer, assessment=draft, version=3, values={})
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(
            user=coordinator,
            assessment=draft,
            action=Action.RETURN,
            version=3,
            reason="Thiếu minh chứng chỉ tiêu 1.2",
        )
    draft.refresh_from_db()
    assert (draft.status, draft.status_reason, draft.decided_by) == (
        "returned",
        "Thiếu minh chứng chỉ tiêu 1.2",
        coordinator,
    )
    note = dai_tu_officer.notifications.get()
    assert "Thiếu minh chứng chỉ tiêu 1.2" in note.message
    assert note.link == reverse("assessment-detail", args=[draft.pk])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["daitu@example.gov.vn"]
    assert "Xã Phúc Lương" in mail.outbox[0].subject
    assert "Thiếu minh chứng chỉ tiêu 1.2" in mail.outbox[0].body
    assessment_transition(user=dai_tu_officer, assessment=draft, action=Action.SUBMIT, version=4)
    assessment_transition(user=coordinator, assessment=draft, action=Action.APPROVE, version=5)
    with pytest.raises(WorkflowRefused, match="đã được duyệt"):
        assessment_update_values(user=coordinator, assessment=draft, version=6, values={})
    assessment_transition(
        user=coordinator,
        assessment=draft,
        action=Action.REOPEN,
        version=6,
        reason="Rà soát lại theo Thông báo 58",
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    statuses = list(
        draft.history.order_by("history_date", "history_id").values_list("status", "history_user__username")
    )
    assert [s for s, _ in statuses if s] == [
        "draft",
        "draft",
        "draft",
        "submitted",
        "returned",
        "submitted",
        "approved",
        "draft",
    ]
    assert ("returned", "coordinator") in statuses and ("approved", "coordinator") in statuses
    value = draft.values.get(indicator__code="1.2")
    assert [
        (h.number, h.history_user.username if h.history_user else None)
        for h in value.history.order_by("history_id")
    ][-1] == (Decimal("85.0000"), "daitu_officer")


def test_a_later_save_from_an_old_version_is_refused_and_says_what_changed(
    draft, dai_tu_officer, coordinator, small_set
):
    assessment_update_values(
        user=coordinator,
        assessment=draft,
        version=1,
        values={ind(small_set, "1.2").pk: ValueInput(number=Decimal("90"))},
    )
    with pytest.raises(StaleAssessment) as error:
        assessment_update_values(
            user=dai_tu_officer,
            assessment=draft,
            version=1,
            values={ind(small_set, "1.2").pk: ValueInput(number=Decimal("70"))},
        )
    message = error.value.messages[0]
    assert "coordinator" in message
    assert "1.2 (giá trị): — → 90" in message
    assert draft.values.get(indicator__code="1.2").number == Decimal("90")


def test_after_the_lock_date_only_a_coordinator_can_edit(
    draft, dai_tu_officer, coordinator, small_set, frozen_time
):
    frozen_time.move_to(AFTER_LOCK)
    with pytest.raises(WorkflowRefused, match="khóa sổ ngày 14/08/2020"):
        assessment_update_values(user=dai_tu_officer, assessment=draft, version=1, values=all_met(small_set))
    assessment_update_values(user=coordinator, assessment=draft, version=1, values=all_met(small_set))


def test_a_department_comments_only_on_its_own_criteria(draft, department_officer, small_set):
    transport = small_set.criteria.get(number=1)
    health = small_set.criteria.get(number=2)
    assessment_comment(
        user=department_officer, assessment=draft, criterion=transport, text="Cần bổ sung ảnh hiện trường"
    )
    with pytest.raises(WorkflowRefused):
        assessment_comment(
            user=department_officer, assessment=draft, criterion=health, text="Không thuộc ngành"
        )
    assert draft.comments.count() == 1


def test_a_leader_changes_nothing(draft, leader, small_set):
    with pytest.raises(WorkflowRefused):
        assessment_update_values(user=leader, assessment=draft, version=1, values=all_met(small_set))
    with pytest.raises(WorkflowRefused):
        assessment_transition(user=leader, assessment=draft, action=Action.SUBMIT, version=1)


# --- pages --------------------------------------------------------------------------


def test_the_form_saves_values_written_with_a_decimal_comma(client, draft, dai_tu_officer, small_set):
    client.force_login(dai_tu_officer)
    data = {"version": "1", f"n-{ind(small_set, '1.2').pk}": " 85,5 ", f"a-{ind(small_set, '1.1').pk}": "1"}
    response = client.post(reverse("assessment-detail", args=[draft.pk]), data)
    assert response.status_code == 302
    assert draft.values.get(indicator__code="1.2").number == Decimal("85.5")
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    assert "Đã lưu. Đạt 1/2 tiêu chí." in page
    assert "85,5" in page


def test_a_bad_number_names_the_indicator_and_saves_nothing(client, draft, dai_tu_officer, small_set):
    client.force_login(dai_tu_officer)
    data = {"version": "1", f"n-{ind(small_set, '1.2').pk}": "tám lăm", f"a-{ind(small_set, '1.1').pk}": "1"}
    response = client.post(reverse("assessment-detail", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "1.2: “tám lăm” không phải là số." in response.content.decode()
    assert draft.values.get(indicator__code="1.1").achieved is None


def test_a_refused_number_stays_in_its_box_as_typed_over_the_stored_one(
    client, draft, dai_tu_officer, small_set
):
    indicator = ind(small_set, "1.2")
    assessment_update_values(
        user=dai_tu_officer,
        assessment=draft,
        version=1,
        values={indicator.pk: ValueInput(number=Decimal("86"))},
    )
    client.force_login(dai_tu_officer)
    data = {"version": "2", f"n-{indicator.pk}": "abc", f"n-{ind(small_set, '2.1').pk}": "20"}
    page = client.post(reverse("assessment-detail", args=[draft.pk]), data).content.decode()
    assert f'name="n-{indicator.pk}" value="abc"' in page
    assert f'name="n-{ind(small_set, "2.1").pk}" value="20"' in page  # the valid one is kept too
    assert draft.values.get(indicator=indicator).number == Decimal("86")  # nothing saved


def test_a_stale_form_gets_409_and_the_message(client, draft, dai_tu_officer, coordinator, small_set):
    assessment_update_values(
        user=coordinator,
        assessment=draft,
        version=1,
        values={ind(small_set, "1.2").pk: ValueInput(number=Decimal("90"))},
    )
    client.force_login(dai_tu_officer)
    response = client.post(
        reverse("assessment-detail", args=[draft.pk]), {"version": "1", f"n-{ind(small_set, '1.2').pk}": "70"}
    )
    assert response.status_code == 409
    assert "Đã có người lưu phiếu này sau khi bạn mở" in response.content.decode()


def test_live_evaluation_answers_only_badges_and_counts_without_saving(
    client, draft, dai_tu_officer, small_set
):
    client.force_login(dai_tu_officer)
    c1 = small_set.criteria.get(number=1)
    url = reverse("assessment-evaluate", args=[draft.pk])
    data = {
        f"n-{ind(small_set, '1.2').pk}": "85",
        f"a-{ind(small_set, '1.1').pk}": "1",
        f"e-{ind(small_set, '1.1').pk}": "Biên bản",
    }
    body = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    # Out-of-band fragments only: no input is sent back, so nothing the user types is lost.
    assert "<input" not in body and "<select" not in body
    assert (
        f'<span id="criterion-outcome-{c1.pk}" data-testid="criterion-outcome" class="badge text-bg-success" hx-swap-oob="true">Đạt</span>'
        in body
    )
    assert f'id="outcome-{ind(small_set, "1.2").pk}"' in body
    assert "Đạt 1/2 tiêu chí" in body  # the header count follows the typing too
    assert draft.values.get(indicator__code="1.2").number is None


def test_live_evaluation_says_what_a_save_would_refuse(client, draft, dai_tu_officer, small_set):
    client.force_login(dai_tu_officer)
    body = client.post(
        reverse("assessment-evaluate", args=[draft.pk]),
        {f"n-{ind(small_set, '1.2').pk}": "120"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "1.2: Tỷ lệ phần trăm nằm trong khoảng 0 đến 100." in body
    body = client.post(
        reverse("assessment-evaluate", args=[draft.pk]),
        {f"n-{ind(small_set, '1.2').pk}": "abc"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "1.2: “abc” không phải là số." in body


def test_an_approved_page_says_why_it_cannot_be_edited_and_who_can_reopen(
    client, draft, dai_tu_officer, coordinator, small_set
):
    assessment_update_values(user=dai_tu_officer, assessment=draft, version=1, values=all_met(small_set))
    assessment_transition(user=dai_tu_officer, assessment=draft, action=Action.SUBMIT, version=2)
    assessment_transition(user=coordinator, assessment=draft, action=Action.APPROVE, version=3)
    client.force_login(dai_tu_officer)
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    assert "Phiếu đã được duyệt và khóa. Điều phối viên cấp tỉnh có thể mở lại, kèm lý do." in page
    assert 'name="n-' not in page


def test_return_without_a_reason_is_refused_on_the_page(
    client, draft, dai_tu_officer, coordinator, small_set
):
    assessment_transition(user=dai_tu_officer, assessment=draft, action=Action.SUBMIT, version=1)
    client.force_login(coordinator)
    client.post(reverse("assessment-transition", args=[draft.pk, "return"]), {"version": "2", "reason": ""})
    draft.refresh_from_db()
    assert draft.status == "submitted"
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    assert "Lý do: Hãy nêu lý do." in page


def test_other_districts_pages_are_404(client, draft, phu_binh_officer):
    client.force_login(phu_binh_officer)
    for url in [
        reverse("assessment-detail", args=[draft.pk]),
        reverse("assessment-evaluate", args=[draft.pk]),
        reverse("assessment-transition", args=[draft.pk, "submit"]),
        reverse("assessment-comment", args=[draft.pk]),
    ]:
        response = (
            client.post(url, {"version": "1"})
            if "evaluate" in url or "submit" in url or "comment" in url
            else client.get(url)
        )
        assert response.status_code == 404, url
    assert Assessment.objects.get(pk=draft.pk).status == "draft"


def test_the_list_query_count_does_not_grow_with_assessments(client, coordinator, small_set, period):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    communes = list(
        AdministrativeUnit.objects.filter(
            parent__code="171", kind="xa", valid_until=datetime.date(2025, 6, 30)
        )[:12]
    )
    client.force_login(coordinator)
    counts = {}
    for n in (3, 12):
        for commune in communes[:n]:
            if not Assessment.objects.filter(commune=commune).exists():
                assessment_create(user=coordinator, commune=commune, period=period, criteria_set=small_set)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("assessment-list")).content.decode()
        assert page.count('data-testid="assessment-row"') == n
        counts[n] = len(queries)
    assert counts[3] == counts[12]


def test_the_list_filters_by_period_set_and_status_and_ignores_a_bad_filter(
    client, draft, dai_tu_officer, small_set, period
):
    other = assessment_create(
        user=dai_tu_officer, commune=xa("Xã Minh Tiến"), period=period, criteria_set=small_set
    )
    assessment_transition(user=dai_tu_officer, assessment=other, action=Action.SUBMIT, version=1)
    client.force_login(dai_tu_officer)

    def communes(query):
        page = client.get(reverse("assessment-list") + query).content.decode()
        return sorted(name for name in ("Xã Phúc Lương", "Xã Minh Tiến") if f">{name}</a>" in page)

    assert communes("") == ["Xã Minh Tiến", "Xã Phúc Lương"]
    assert communes("?status=submitted") == ["Xã Minh Tiến"]
    assert communes("?period=2020-h1&criteria_set=test-set&status=draft") == ["Xã Phúc Lương"]
    ReportingPeriod.objects.create(
        code="2019-h2", name="6 tháng cuối năm 2019", kind="half_year", start=datetime.date(2019, 7, 1),
        end=datetime.date(2019, 12, 31), submission_deadline=datetime.date(2020, 1, 15), lock_date=datetime.date(2020, 2, 14),
    )  # fmt: skip
    assert communes("?period=2019-h2") == []
    # A period code that does not exist filters nothing (the box says so), never a 500.
    response = client.get(reverse("assessment-list") + "?period=khong-co&status=draft")
    assert response.status_code == 200
    assert 'option value="2020-h1"' in response.content.decode()
    assert communes("?period=khong-co&status=draft") == ["Xã Minh Tiến", "Xã Phúc Lương"]


def test_the_assessment_page_query_count_is_bounded(
    client, draft, dai_tu_officer, django_assert_max_num_queries
):
    client.force_login(dai_tu_officer)
    with django_assert_max_num_queries(25):
        client.get(reverse("assessment-detail", args=[draft.pk]))


def test_a_district_officer_starts_an_assessment_from_the_commune_page(
    client, dai_tu_officer, small_set, period
):
    client.force_login(dai_tu_officer)
    commune = xa("Xã Minh Tiến")
    page = client.get(reverse("unit-detail", args=[commune.pk])).content.decode()
    assert "Bắt đầu đánh giá" in page
    response = client.post(
        reverse("assessment-create"), {"commune": commune.pk, "period": "2020-h1", "criteria_set": "test-set"}
    )
    created = Assessment.objects.get(commune=commune)
    assert response["Location"] == reverse("assessment-detail", args=[created.pk])


def test_the_history_reads_in_vietnamese(client, draft, dai_tu_officer, coordinator, small_set):
    values = {
        ind(small_set, "2.2").pk: ValueInput(
            number=Decimal("35.9"), achieved=True, evidence="Biên bản số 12"
        ),
    }
    assessment_update_values(user=dai_tu_officer, assessment=draft, version=1, values=values)
    assessment_transition(user=dai_tu_officer, assessment=draft, action=Action.SUBMIT, version=2)
    assessment_transition(user=coordinator, assessment=draft, action=Action.APPROVE, version=3)
    client.force_login(coordinator)
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    for cell in [
        "Trạng thái",
        "Đã gửi",
        "Đã duyệt",
        "2.2 (giá trị)",
        "35,9",
        "2.2 (Đạt / Không đạt)",
        "2.2 (minh chứng)",
        "Biên bản số 12",
    ]:
        assert f"<td>{cell}</td>" in history, cell
    for raw in ["submitted", "approved", "status_reason", "True", "35,9000"]:
        assert f"<td>{raw}</td>" not in history, raw


def test_a_district_officer_cannot_start_an_assessment_in_a_locked_period(
    dai_tu_officer, coordinator, small_set, period, frozen_time
):
    frozen_time.move_to(AFTER_LOCK)
    with pytest.raises(WorkflowRefused, match="khóa sổ ngày 14/08/2020"):
        assessment_create(
            user=dai_tu_officer, commune=xa("Xã Minh Tiến"), period=period, criteria_set=small_set
        )
    assert assessment_create(
        user=coordinator, commune=xa("Xã Minh Tiến"), period=period, criteria_set=small_set
    ).pk


def test_a_set_whose_criteria_have_no_indicators_yet_cannot_be_used(coordinator, small_set, period):
    Criterion.objects.create(criteria_set=small_set, number=3, name="Thủy lợi")
    with pytest.raises(ValidationError) as error:
        assessment_create(user=coordinator, commune=xa("Xã Minh Tiến"), period=period, criteria_set=small_set)
    assert error.value.message_dict == {
        "criteria_set": [
            "Bộ thử chưa đầy đủ: tiêu chí 3 chưa có chỉ tiêu. Điều phối viên cấp tỉnh cần bổ sung trước."
        ]
    }


def test_a_coordinator_is_told_an_approved_locked_assessment_needs_reopening(
    client, draft, dai_tu_officer, coordinator, small_set, frozen_time
):
    assessment_transition(user=dai_tu_officer, assessment=draft, action=Action.SUBMIT, version=1)
    assessment_transition(user=coordinator, assessment=draft, action=Action.APPROVE, version=2)
    frozen_time.move_to(AFTER_LOCK)
    client.force_login(coordinator)
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    assert "Phiếu đã được duyệt và khóa. Điều phối viên cấp tỉnh có thể mở lại, kèm lý do." in page
    client.force_login(dai_tu_officer)
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    assert "Kỳ báo cáo đã khóa sổ ngày 14/08/2020: chỉ Điều phối viên cấp tỉnh được sửa phiếu này." in page


def test_the_history_writes_numbers_as_the_form_and_the_preview_do(client, draft, dai_tu_officer, small_set):
    two_two = ind(small_set, "2.2").pk
    assessment_update_values(
        user=dai_tu_officer,
        assessment=draft,
        version=1,
        values={two_two: ValueInput(number=Decimal("1234.5"))},
    )
    assessment_update_values(
        user=dai_tu_officer, assessment=draft, version=2, values={two_two: ValueInput(number=Decimal("100"))}
    )
    client.force_login(dai_tu_officer)
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "<td>1.234,5</td>" in history and "<td>100</td>" in history
    assert "1234,5" not in history and "1E+2" not in history


def test_the_list_shows_fifty_a_page_and_its_pages_keep_the_filters(client, coordinator, small_set, period):
    """A province holds some 250 assessments a period: 50 a page, the filters kept in
    the pager's links, the same queries on every page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    communes = AdministrativeUnit.objects.filter(kind="xa", valid_until=datetime.date(2025, 6, 30)).order_by(
        "code"
    )[:60]
    for commune in communes:
        assessment_create(user=coordinator, commune=commune, period=period, criteria_set=small_set)
    client.force_login(coordinator)
    counts = []
    for number, rows in ((1, 50), (2, 10)):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(
                reverse("assessment-list"), {"status": "draft", "page": number}
            ).content.decode()
        counts.append(len(queries))
        assert page.count('data-testid="assessment-row"') == rows
        assert "60 phiếu đánh giá" in page
    assert counts[0] == counts[1]
    assert (
        'href="?status=draft&amp;page=2"'
        in client.get(reverse("assessment-list"), {"status": "draft"}).content.decode()
    )
    # A page that is not a number, or past the last, shows a page rather than an error.
    assert client.get(reverse("assessment-list"), {"page": "abc"}).status_code == 200
    assert (
        client.get(reverse("assessment-list"), {"page": "99"})
        .content.decode()
        .count('data-testid="assessment-row"')
        == 10
    )
