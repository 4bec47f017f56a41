"""Workflow completeness: who hears of a submission, an approval and a reopening (in the
portal and by e-mail once the transaction commits), separation of duties (nobody
approves what they submitted, unless ALLOW_SELF_APPROVAL), and defaults that can be
used: the commune page's start form and the leader's overview with its coverage line.

Built on the small two-criterion set and the 2020-H1 period, in July 2020 (before the
lock date, the pre-2025 communes in force) unless a test moves time.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Notification, User
from accounts.roles import Role
from communes.models import AdministrativeUnit, UnitKind
from criteria.models import Assessment, AssessmentStatus, CriteriaSet, Criterion, Indicator, ReportingPeriod
from criteria.services.assessments import (
    ValueInput,
    WorkflowRefused,
    assessment_create,
    assessment_transition,
    assessment_update_values,
)
from criteria.workflow import Action
from tests.conftest import make_user, unit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
JULY_2020 = datetime.datetime(2020, 7, 3, 10, 0, tzinfo=VN)
SELF_APPROVAL = "Bạn đã gửi phiếu này; một cán bộ điều phối khác phải duyệt."


@pytest.fixture(autouse=True)
def july_2020(frozen_time):
    frozen_time.move_to(JULY_2020)


def xa(name: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(name=name, valid_until=D(2025, 6, 30))


def with_email(user: User, address: str) -> User:
    user.email = address
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def officer(dai_tu_officer):
    return with_email(dai_tu_officer, "daitu@example.gov.vn")


@pytest.fixture
def first_coordinator(coordinator):
    return with_email(coordinator, "dieuphoi1@example.gov.vn")


@pytest.fixture
def second_coordinator(db):
    return make_user(
        "coordinator2", Role.COORDINATOR, "vpdp-ntm-tinh", is_staff=True, email="dieuphoi2@example.gov.vn"
    )


@pytest.fixture
def draft(officer, small_set, period):
    return assessment_create(user=officer, commune=xa("Xã Phúc Lương"), period=period, criteria_set=small_set)


def act(user, assessment, action, reason=""):
    return assessment_transition(
        user=user, assessment=assessment, action=action, version=assessment.version, reason=reason
    )


def notes_of(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user))


def mail_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


# --- Who hears of what ------------------------------------------------------------------


def test_a_submission_tells_every_coordinator_and_a_superuser_in_the_portal_and_by_email(
    officer, first_coordinator, second_coordinator, draft, django_capture_on_commit_callbacks
):
    root = User.objects.create_superuser("root", "root@example.gov.vn", "x")
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, draft, Action.SUBMIT)
    for recipient in (first_coordinator, second_coordinator, root):
        [note] = notes_of(recipient)
        assert note.message == (
            "Phiếu đánh giá của Xã Phúc Lương (6 tháng đầu năm 2020) đã được daitu_officer gửi và đang chờ duyệt."
        )
        assert note.link == reverse("assessment-detail", args=[draft.pk])
        [message] = mail_to(recipient.email)
        assert message.subject == "Phiếu đánh giá chờ duyệt: Xã Phúc Lương, 6 tháng đầu năm 2020"
        assert "chờ điều phối viên cấp tỉnh duyệt hoặc trả lại" in message.body
        assert f"Mở phiếu: http://127.0.0.1:8000{note.link}" in message.body
    assert notes_of(officer) == [] and mail_to(officer.email) == []


def test_nothing_is_mailed_before_the_transaction_commits(officer, first_coordinator, draft):
    act(officer, draft, Action.SUBMIT)
    assert len(notes_of(first_coordinator)) == 1
    assert mail.outbox == []


def test_an_approval_tells_the_submitter_and_whoever_last_changed_a_value(
    officer, first_coordinator, draft, small_set, django_capture_on_commit_callbacks
):
    colleague = make_user(
        "daitu_colleague", Role.DISTRICT_OFFICER, "vpdp-ntm-huyen-dai-tu", email="dongnghiep@example.gov.vn"
    )
    indicator = Indicator.objects.get(criterion__criteria_set=small_set, code="1.1")
    draft = assessment_update_values(
        user=colleague,
        assessment=draft,
        version=draft.version,
        values={indicator.pk: ValueInput(achieved=True)},
    )
    act(officer, draft, Action.SUBMIT)
    with django_capture_on_commit_callbacks(execute=True):
        act(first_coordinator, draft, Action.APPROVE)
    for recipient in (officer, colleague):
        [note] = notes_of(recipient)
        assert (
            note.message
            == "Phiếu đánh giá của Xã Phúc Lương (6 tháng đầu năm 2020) đã được coordinator duyệt."
        )
        [message] = mail_to(recipient.email)
        assert message.subject == "Phiếu đánh giá đã được duyệt: Xã Phúc Lương, 6 tháng đầu năm 2020"
    assert mail_to(first_coordinator.email) == []


def test_a_reopening_tells_the_submitter_and_the_approver_with_the_reason(
    officer, first_coordinator, second_coordinator, draft, django_capture_on_commit_callbacks
):
    act(officer, draft, Action.SUBMIT)
    act(first_coordinator, draft, Action.APPROVE)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        act(second_coordinator, draft, Action.REOPEN, reason="Rà soát lại tiêu chí 1")
    for recipient in (officer, first_coordinator):
        [note] = notes_of(recipient)
        assert note.message == (
            "Phiếu đánh giá của Xã Phúc Lương (6 tháng đầu năm 2020) đã được coordinator2 mở lại: "
            "Rà soát lại tiêu chí 1"
        )
        [message] = mail_to(recipient.email)
        assert message.subject == "Phiếu đánh giá được mở lại: Xã Phúc Lương, 6 tháng đầu năm 2020"
        assert "Lý do: Rà soát lại tiêu chí 1" in message.body
    assert notes_of(second_coordinator) == [] and mail_to(second_coordinator.email) == []


def test_a_return_still_tells_only_the_submitter(
    officer, first_coordinator, second_coordinator, draft, django_capture_on_commit_callbacks
):
    act(officer, draft, Action.SUBMIT)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        act(first_coordinator, draft, Action.RETURN, reason="Thiếu minh chứng")
    assert [n.recipient for n in Notification.objects.all()] == [officer]
    assert [m.to for m in mail.outbox] == [[officer.email]]


def test_the_submitter_sees_the_approval_among_their_notifications(client, officer, first_coordinator, draft):
    act(officer, draft, Action.SUBMIT)
    act(first_coordinator, draft, Action.APPROVE)
    client.force_login(officer)
    page = client.get(reverse("notifications")).content.decode()
    assert "Phiếu đánh giá của Xã Phúc Lương (6 tháng đầu năm 2020) đã được coordinator duyệt." in page


# --- Separation of duties ---------------------------------------------------------------


@pytest.fixture
def own_submission(first_coordinator, small_set, period):
    """An assessment the first coordinator started and submitted himself."""
    assessment = assessment_create(
        user=first_coordinator, commune=xa("Xã Phúc Lương"), period=period, criteria_set=small_set
    )
    return act(first_coordinator, assessment, Action.SUBMIT)


def test_a_coordinator_cannot_approve_what_he_submitted(first_coordinator, own_submission):
    with pytest.raises(WorkflowRefused) as refused:
        act(first_coordinator, own_submission, Action.APPROVE)
    assert refused.value.messages == [SELF_APPROVAL]
    assert Assessment.objects.get(pk=own_submission.pk).status == AssessmentStatus.SUBMITTED


def test_another_coordinator_approves_it(second_coordinator, own_submission):
    assert act(second_coordinator, own_submission, Action.APPROVE).status == AssessmentStatus.APPROVED


def test_a_coordinator_may_return_his_own_submission_to_withdraw_it(first_coordinator, own_submission):
    returned = act(first_coordinator, own_submission, Action.RETURN, reason="Rút lại để sửa")
    assert returned.status == AssessmentStatus.RETURNED


def test_the_page_says_why_the_approve_button_is_missing(client, first_coordinator, own_submission):
    client.force_login(first_coordinator)
    page = client.get(reverse("assessment-detail", args=[own_submission.pk])).content.decode()
    assert SELF_APPROVAL in page
    assert reverse("assessment-transition", args=[own_submission.pk, "approve"]) not in page
    assert reverse("assessment-transition", args=[own_submission.pk, "return"]) in page


def test_posting_the_approval_anyway_is_refused_with_the_reason(client, first_coordinator, own_submission):
    client.force_login(first_coordinator)
    response = client.post(
        reverse("assessment-transition", args=[own_submission.pk, "approve"]),
        {"version": own_submission.version},
        follow=True,
    )
    assert SELF_APPROVAL in response.content.decode()
    assert Assessment.objects.get(pk=own_submission.pk).status == AssessmentStatus.SUBMITTED


def test_a_one_person_office_approves_its_own_submission_when_allowed(
    settings, client, first_coordinator, own_submission
):
    settings.ALLOW_SELF_APPROVAL = True
    client.force_login(first_coordinator)
    page = client.get(reverse("assessment-detail", args=[own_submission.pk])).content.decode()
    assert SELF_APPROVAL not in page
    assert reverse("assessment-transition", args=[own_submission.pk, "approve"]) in page
    assert act(first_coordinator, own_submission, Action.APPROVE).status == AssessmentStatus.APPROVED


# --- The start form's defaults ----------------------------------------------------------


def make_period(code, start, end, lock) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        code=code, name=code, kind="half_year", start=start, end=end, submission_deadline=lock, lock_date=lock
    )


def selected(page: str, name: str) -> str:
    """The value of the selected option of the select named ``name``."""
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return select.split(" selected>", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def periods_in_march_2025(frozen_time, small_set):
    """On 01/03/2025: "2024-h2" began last and is locked since 15/02; "2024" is still
    open; "2025-h2" has not begun. An incomplete set exists beside the small set."""
    frozen_time.move_to(datetime.datetime(2025, 3, 1, 9, 0, tzinfo=VN))
    make_period("2024", D(2024, 1, 1), D(2024, 12, 31), D(2025, 4, 30))
    make_period("2024-h2", D(2024, 7, 1), D(2024, 12, 31), D(2025, 2, 15))
    make_period("2025-h2", D(2025, 7, 1), D(2025, 12, 31), D(2026, 2, 15))
    empty = CriteriaSet.objects.create(code="khong-du", name="Bộ chưa đủ", level="standard")
    Criterion.objects.create(criteria_set=empty, number=1, name="Chưa có chỉ tiêu")
    return empty


def test_the_commune_pages_start_form_proposes_the_newest_period_still_open(
    client, dai_tu_officer, small_set, periods_in_march_2025
):
    client.force_login(dai_tu_officer)
    page = client.get(reverse("unit-detail", args=[xa("Xã Phúc Lương").pk])).content.decode()
    assert selected(page, "period") == "2024"
    assert selected(page, "criteria_set") == small_set.code


def test_the_coordinator_is_proposed_the_newest_begun_period_even_when_locked(
    client, coordinator, small_set, periods_in_march_2025
):
    client.force_login(coordinator)
    page = client.get(reverse("unit-detail", args=[xa("Xã Phúc Lương").pk])).content.decode()
    assert selected(page, "period") == "2024-h2"


def test_the_proposal_skips_what_the_commune_already_has(
    client, dai_tu_officer, small_set, periods_in_march_2025
):
    commune = xa("Xã Phúc Lương")
    assessment_create(
        user=dai_tu_officer,
        commune=commune,
        period=ReportingPeriod.objects.get(code="2024"),
        criteria_set=small_set,
    )
    other = CriteriaSet.objects.create(code="bo-khac", name="Bộ khác", level="standard")
    Indicator.objects.create(
        criterion=Criterion.objects.create(criteria_set=other, number=1, name="Một"),
        code="1.1",
        name="Một",
        measure_type="boolean",
        comparison="achieved",
    )
    client.force_login(dai_tu_officer)
    page = client.get(reverse("unit-detail", args=[commune.pk])).content.decode()
    assert (selected(page, "period"), selected(page, "criteria_set")) == ("2024", "bo-khac")


def test_starting_from_the_proposed_values_opens_a_draft(
    client, dai_tu_officer, small_set, periods_in_march_2025
):
    commune = xa("Xã Phúc Lương")
    client.force_login(dai_tu_officer)
    page = client.get(reverse("unit-detail", args=[commune.pk])).content.decode()
    response = client.post(
        reverse("assessment-create"),
        {
            "commune": commune.pk,
            "period": selected(page, "period"),
            "criteria_set": selected(page, "criteria_set"),
        },
    )
    assessment = Assessment.objects.get(commune=commune)
    assert response.url == reverse("assessment-detail", args=[assessment.pk])


def test_with_every_begun_period_locked_the_officer_is_told_why_there_is_no_form(
    client, dai_tu_officer, small_set, period, frozen_time
):
    frozen_time.move_to(datetime.datetime(2020, 9, 1, 9, 0, tzinfo=VN))  # 2020-H1 locked on 14/08
    client.force_login(dai_tu_officer)
    page = client.get(reverse("unit-detail", args=[xa("Xã Phúc Lương").pk])).content.decode()
    assert 'data-testid="no-open-period"' in page
    assert "Điều phối viên cấp tỉnh vẫn có thể bắt đầu phiếu sau ngày khóa sổ." in page
    assert reverse("assessment-create") not in page


def test_the_assessment_list_filter_starts_empty(client, dai_tu_officer, draft):
    client.force_login(dai_tu_officer)
    response = client.get(reverse("assessment-list"))
    assert response.context["form"]["period"].value() is None
    assert response.context["count"] == 1


# --- The leader's overview --------------------------------------------------------------


def approve(commune, period, criteria_set) -> Assessment:
    return Assessment.objects.create(
        commune=commune, period=period, criteria_set=criteria_set, status=AssessmentStatus.APPROVED
    )


def xa_of(district_code: str) -> list[AdministrativeUnit]:
    return list(unit(district_code).children.filter(kind=UnitKind.COMMUNE).order_by("code"))


@pytest.fixture
def approved_2020(small_set, period):
    """Three Đại Từ communes approved in 2020-H1; 2020-H2 exists, later, with none."""
    make_period("2020-h2", D(2020, 7, 1), D(2020, 12, 31), D(2021, 2, 15))
    for commune in xa_of("171")[:3]:
        approve(commune, period, small_set)
    return period


def test_the_leaders_overview_opens_on_the_newest_period_with_approved_assessments(
    client, leader, small_set, approved_2020
):
    client.force_login(leader)
    response = client.get(reverse("criteria-overview"))
    assert response.context["period"] == approved_2020
    assert response.context["criteria_set"] == small_set


def test_the_overview_shows_the_coverage_over_the_121_xa_of_2020(client, leader, approved_2020):
    # The 95 xã of Bắc Kạn, merged into Thái Nguyên only on 01/07/2025, are not counted.
    client.force_login(leader)
    page = client.get(reverse("criteria-overview")).content.decode()
    assert "3/121 xã có phiếu đã duyệt" in page


def test_the_coverage_of_a_district_officer_counts_their_district(client, dai_tu_officer, approved_2020):
    in_dai_tu = len(xa_of("171"))
    client.force_login(dai_tu_officer)
    page = client.get(reverse("criteria-overview")).content.decode()
    assert f"3/{in_dai_tu} xã có phiếu đã duyệt" in page


def test_the_coverage_line_shows_even_with_nothing_approved(client, leader, small_set, period):
    client.force_login(leader)
    page = client.get(
        reverse("criteria-overview"), {"period": period.code, "set": small_set.code}
    ).content.decode()
    assert "0/121 xã có phiếu đã duyệt" in page


def test_after_the_reform_the_coverage_counts_the_new_communes(client, leader, small_set, frozen_time):
    from tests.conftest import NOW

    frozen_time.move_to(NOW)
    period = make_period("2026-h1", D(2026, 1, 1), D(2026, 6, 30), D(2026, 8, 14))
    new_communes = AdministrativeUnit.objects.filter(kind=UnitKind.COMMUNE, valid_until=None)
    approve(new_communes.first(), period, small_set)
    client.force_login(leader)
    page = client.get(reverse("criteria-overview")).content.decode()
    assert f"1/{new_communes.count()} xã có phiếu đã duyệt" in page


def test_the_coverage_takes_one_query_whatever_the_number_of_communes(
    leader, small_set, period, django_assert_num_queries
):
    from accounts.scope import unit_scope
    from criteria.selectors.overview import approved_coverage

    visible = unit_scope(leader)
    visible.count()  # the leader's agency and scope, once
    for count in (2, 12):
        Assessment.objects.all().delete()
        for commune in xa_of("171")[:count]:
            approve(commune, period, small_set)
        with django_assert_num_queries(1):
            coverage = approved_coverage(visible=visible, period=period, criteria_set=small_set)
        assert (coverage.approved, coverage.total) == (count, 121)


def test_the_recognition_form_proposes_the_standard_set_in_force_today(client, coordinator, frozen_time):
    from django.core.management import call_command

    from tests.conftest import NOW

    frozen_time.move_to(NOW)
    call_command("load_missing", "criteria_sets_national", verbosity=0)
    client.force_login(coordinator)
    form = client.get(reverse("recognition-create")).context["form"]
    assert form["level"].value() == "standard"
    assert form["criteria_set"].value() == CriteriaSet.objects.get(code="qd-51-2025").pk
