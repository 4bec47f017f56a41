"""The commune officer (cán bộ xã) of a commune of the structure in force since
01/07/2025, and the agencies of that structure: the People's Committees of the 92
communes (``load_commune_agencies``) and the departments as merged in 2025
(``agencies_2025``), their predecessors kept as history.

The persona is the officer of the new Xã Phú Bình (GSO 05908); the outsider is the
officer of the new Xã Tân Cương (GSO 05503)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Agency, AgencyKind
from accounts.roles import Role, has_role
from communes.models import AdministrativeUnit, UnitLevel
from core.exceptions import OutOfScope
from criteria.models import Assessment, AssessmentStatus, CriteriaSet, Criterion, Indicator, ReportingPeriod
from criteria.services.assessments import (
    ValueInput,
    assessment_create,
    assessment_transition,
    assessment_update_values,
    starts_assessments,
)
from criteria.workflow import Action
from directives.selectors.assignments import assignment_scope, my_assignments, users_acting_for
from tests.conftest import NOW, make_user, unit

pytestmark = pytest.mark.django_db

PHU_BINH = "05908"  # Xã Phú Bình, formed on 01/07/2025
TAN_CUONG = "05503"  # Xã Tân Cương, formed on 01/07/2025


def commune(code: str) -> AdministrativeUnit:
    return unit(code, current=True)


@pytest.fixture
def criteria_set(db):
    """A one-criterion set: 1.1 Đạt/Không đạt, 1.2 percent >= 85."""
    cs = CriteriaSet.objects.create(code="xa-test", name="Bộ thử cấp xã", level="standard")
    criterion = Criterion.objects.create(criteria_set=cs, number=1, name="Giao thông")
    Indicator.objects.create(
        criterion=criterion, code="1.1", name="Đường trục xã", measure_type="boolean",
        comparison="achieved", verification="confirmed",
    )  # fmt: skip
    Indicator.objects.create(
        criterion=criterion, code="1.2", name="Tỷ lệ cứng hóa", measure_type="percent",
        comparison=">=", target=Decimal("85"), verification="confirmed",
    )  # fmt: skip
    return cs


@pytest.fixture
def period(db):
    """The second half of 2026, open on 30/11/2026 (submission 15/01/2027, lock 14/02/2027)."""
    return ReportingPeriod.objects.create(
        code="2026-h2", name="6 tháng cuối năm 2026", kind="half_year", start=datetime.date(2026, 7, 1),
        end=datetime.date(2026, 12, 31), submission_deadline=datetime.date(2027, 1, 15),
        lock_date=datetime.date(2027, 2, 14),
    )  # fmt: skip


def _assessment_of(code: str, criteria_set, period) -> Assessment:
    """A draft assessment of the commune ``code`` started by a coordinator."""
    coordinator = make_user(f"dieuphoi_{code}", Role.COORDINATOR, "vpdp-ntm-tinh")
    return assessment_create(
        user=coordinator, commune=commune(code), period=period, criteria_set=criteria_set
    )


# --- The role and its scope --------------------------------------------------------------


def test_a_commune_officer_belongs_to_the_peoples_committee_of_a_commune_in_force(commune_officer):
    agency = commune_officer.agency
    assert (agency.code, agency.kind, agency.name, agency.short_name) == (
        "ubnd-xa-05908",
        AgencyKind.COMMUNE_COMMITTEE,
        "Ủy ban nhân dân xã Phú Bình",
        "UBND xã Phú Bình",
    )
    assert agency.scope == commune(PHU_BINH)
    assert has_role(commune_officer, Role.COMMUNE_OFFICER)
    assert starts_assessments(commune_officer)


def test_a_commune_officer_sees_and_changes_only_its_commune_and_its_hamlets(commune_officer):
    own = commune(PHU_BINH)
    visible = commune_officer.unit_scope()
    assert own in visible
    assert commune(TAN_CUONG) not in visible
    assert unit("173") not in visible  # the pre-2025 Huyện Phú Bình is not its commune
    assert set(commune_officer.unit_scope(for_change=True).values_list("level", flat=True)) <= {
        UnitLevel.COMMUNE,
        UnitLevel.HAMLET,
    }


def test_a_commune_officer_opens_its_communes_page_and_gets_404_on_another_communes(client, commune_officer):
    client.force_login(commune_officer)
    own = client.get(reverse("unit-detail", args=[commune(PHU_BINH).pk]))
    assert own.status_code == 200
    assert "Xã Phú Bình" in own.content.decode()
    assert client.get(reverse("unit-detail", args=[commune(TAN_CUONG).pk])).status_code == 404


def test_a_commune_officer_adds_a_hamlet_to_its_commune(client, commune_officer):
    client.force_login(commune_officer)
    own = commune(PHU_BINH)
    response = client.post(reverse("unit-detail", args=[own.pk]), {"name": "Xóm Đồng Tâm", "kind": "xom"})
    assert response.status_code == 302
    assert own.children.filter(name="Xóm Đồng Tâm").exists()
    other = commune(TAN_CUONG)
    response = client.post(reverse("unit-detail", args=[other.pk]), {"name": "Xóm Lạ", "kind": "xom"})
    assert response.status_code == 404


def test_a_commune_officer_may_do_what_a_district_officer_may_in_every_state():
    from criteria.workflow import COMMUNE, DISTRICT, STATES, allowed_actions

    for state in STATES:
        for locked in (False, True):
            assert allowed_actions(state, {COMMUNE}, locked=locked) == allowed_actions(
                state, {DISTRICT}, locked=locked
            ), (state, locked)


def test_the_demo_has_two_commune_officers_of_communes_in_force():
    from accounts.models import User
    from accounts.services import demo_users_ensure

    demo_users_ensure()
    for username, code in (("xaphubinh", PHU_BINH), ("xatancuong", TAN_CUONG)):
        officer = User.objects.get(username=username)
        assert has_role(officer, Role.COMMUNE_OFFICER)
        assert officer.agency.kind == AgencyKind.COMMUNE_COMMITTEE
        assert officer.agency.scope == commune(code)


# --- Assessments -------------------------------------------------------------------------


def test_a_commune_officer_starts_fills_and_submits_the_assessment_of_its_commune(
    commune_officer, criteria_set, period
):
    assessment = assessment_create(
        user=commune_officer, commune=commune(PHU_BINH), period=period, criteria_set=criteria_set
    )
    road, hardened = Indicator.objects.filter(criterion__criteria_set=criteria_set).order_by("code")
    assessment = assessment_update_values(
        user=commune_officer,
        assessment=assessment,
        version=assessment.version,
        values={road.pk: ValueInput(achieved=True), hardened.pk: ValueInput(number=Decimal("90"))},
    )
    assert (assessment.criteria_met, assessment.criteria_total) == (1, 1)
    assessment = assessment_transition(
        user=commune_officer, assessment=assessment, action=Action.SUBMIT, version=assessment.version
    )
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.created_by == commune_officer


def test_a_commune_officer_cannot_start_an_assessment_of_another_commune(
    commune_officer, criteria_set, period
):
    with pytest.raises(OutOfScope):
        assessment_create(
            user=commune_officer, commune=commune(TAN_CUONG), period=period, criteria_set=criteria_set
        )


def test_a_commune_officer_gets_404_on_every_assessment_page_of_another_commune(
    client, commune_officer, criteria_set, period
):
    theirs = _assessment_of(TAN_CUONG, criteria_set, period)
    client.force_login(commune_officer)
    assert client.get(reverse("assessment-detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("assessment-detail", args=[theirs.pk]), {"version": "1"}).status_code == 404
    assert client.post(reverse("assessment-evaluate", args=[theirs.pk])).status_code == 404
    transition = reverse("assessment-transition", args=[theirs.pk, "submit"])
    assert client.post(transition, {"version": "1"}).status_code == 404
    comment = {"criterion": theirs.criteria_set.criteria.get().pk, "text": "Ý kiến"}
    assert client.post(reverse("assessment-comment", args=[theirs.pk]), comment).status_code == 404
    create = {"commune": commune(TAN_CUONG).pk, "period": period.code, "criteria_set": criteria_set.code}
    assert client.post(reverse("assessment-create"), create).status_code == 404


# --- The Excel report pages --------------------------------------------------------------


def test_the_report_page_offers_a_commune_officer_its_own_commune(
    client, commune_officer, criteria_set, period
):
    client.force_login(commune_officer)
    response = client.get(reverse("report-index"))
    assert response.status_code == 200
    choices = list(response.context["template_form"].fields["unit"].queryset)
    assert choices == [commune(PHU_BINH)]
    assert response.context["template_form"].initial["unit"] == commune(PHU_BINH).pk


def test_a_commune_officer_downloads_the_template_of_its_commune_with_its_one_row(
    client, commune_officer, criteria_set, period
):
    from criteria.selectors.reports import report_layout, set_indicators

    client.force_login(commune_officer)
    query = {"unit": commune(PHU_BINH).pk, "period": period.code, "criteria_set": criteria_set.code}
    response = client.get(reverse("report-template"), query)
    assert response.status_code == 200
    assert "X%C3%A3%20Ph%C3%BA%20B%C3%ACnh" in response["Content-Disposition"]  # "Xã Phú Bình"
    layout = report_layout(
        unit=commune(PHU_BINH),
        period=period,
        criteria_set=criteria_set,
        indicators=set_indicators(criteria_set),
    )
    assert [row.name for row in layout.communes] == ["Xã Phú Bình"]


def test_a_commune_officer_gets_404_on_the_template_of_another_commune(
    client, commune_officer, criteria_set, period
):
    client.force_login(commune_officer)
    query = {"unit": commune(TAN_CUONG).pk, "period": period.code, "criteria_set": criteria_set.code}
    assert client.get(reverse("report-template"), query).status_code == 404


def test_a_commune_officer_gets_404_on_the_upload_pages_of_another_communes_officer(
    client, commune_officer, other_commune_officer, criteria_set, period
):
    from criteria.models import ReportUpload, UploadStatus

    upload = ReportUpload.objects.create(
        uploaded_by=other_commune_officer,
        filename="Tân Cương.xlsx",
        data=b"",
        unit=commune(TAN_CUONG),
        period=period,
        criteria_set=criteria_set,
        status=UploadStatus.READY,
    )
    client.force_login(commune_officer)
    assert client.get(reverse("report-upload", args=[upload.pk])).status_code == 404
    assert client.get(reverse("report-upload-progress", args=[upload.pk])).status_code == 404
    assert client.post(reverse("report-upload-confirm", args=[upload.pk])).status_code == 404
    assert client.post(reverse("report-upload-cancel", args=[upload.pk])).status_code == 404
    upload.refresh_from_db()
    assert upload.status == UploadStatus.READY


def test_the_exports_of_a_commune_officer_hold_its_commune_only(
    client, commune_officer, criteria_set, period
):
    _assessment_of(PHU_BINH, criteria_set, period)
    _assessment_of(TAN_CUONG, criteria_set, period)
    client.force_login(commune_officer)
    response = client.get(reverse("export-values-csv"), {"period": period.code, "set": criteria_set.code})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    text = "\n".join(",".join(row) for row in rows)
    assert "Xã Phú Bình" in text
    assert "Tân Cương" not in text
    workbook = client.get(reverse("export-values"), {"period": period.code, "set": criteria_set.code})
    assert workbook.status_code == 200


# --- Cement and tasks ----------------------------------------------------------------------


def test_a_commune_officer_reports_cement_use_for_its_commune_only(commune_officer):
    from funding.models import CementUse, UsePurpose
    from funding.services.cement import cement_use_create
    from tests.funding.factories import CementAllocationFactory, CementBatchFactory

    batch = CementBatchFactory(
        year=2026, decision_number="88/QĐ-UBND", decision_date=datetime.date(2026, 3, 2)
    )
    CementAllocationFactory(batch=batch, unit=commune(PHU_BINH), tonnes=Decimal(100))
    CementAllocationFactory(batch=batch, unit=commune(TAN_CUONG), tonnes=Decimal(100))
    report = {
        "year": 2026,
        "used_on": NOW.date() - datetime.timedelta(days=10),
        "tonnes": Decimal("12.5"),
        "purpose": UsePurpose.CULTURAL_HOUSE,
        "description": "Nhà văn hóa xóm Đồng Tâm",
        "evidence": "Biên bản nghiệm thu số 7",
    }
    use = cement_use_create(user=commune_officer, unit=commune(PHU_BINH), **report)
    assert (use.unit, use.tonnes, use.created_by) == (commune(PHU_BINH), Decimal("12.5"), commune_officer)
    with pytest.raises(OutOfScope):
        cement_use_create(user=commune_officer, unit=commune(TAN_CUONG), **report)
    assert CementUse.objects.filter(unit=commune(TAN_CUONG)).count() == 0


def test_a_commune_officer_reports_on_the_tasks_given_to_its_peoples_committee(
    commune_officer, other_commune_officer, coordinator
):
    from directives.models import Assignment, Directive, Task

    directive = Directive.objects.create(
        number="12/TB-UBND", kind="notice", issuer="UBND tỉnh Thái Nguyên",
        issued_on=datetime.date(2026, 11, 2), title="Kết luận về xây dựng nông thôn mới năm 2026",
    )  # fmt: skip
    task = Task.objects.create(directive=directive, position=1, text="Hoàn thành hồ sơ đánh giá xã.")
    ours = Assignment.objects.create(
        task=task, agency=commune_officer.agency, deadline=datetime.date(2026, 12, 15)
    )
    theirs = Assignment.objects.create(task=task, agency=other_commune_officer.agency)
    assert list(my_assignments(commune_officer, today=NOW.date())) == [ours]
    assert set(assignment_scope(commune_officer, for_change=True)) == {ours}
    assert theirs not in assignment_scope(commune_officer)
    assert list(users_acting_for(commune_officer.agency)) == [commune_officer]


# --- The agencies of the structure in force ------------------------------------------------


def test_the_agencies_command_gives_each_of_the_92_communes_its_committee_once():
    out = io.StringIO()
    call_command("load_commune_agencies", stdout=out)
    committees = Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE)
    assert committees.count() == 92
    in_force = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, valid_until__isnull=True)
    assert set(committees.values_list("scope_id", flat=True)) == set(in_force.values_list("pk", flat=True))
    assert committees.get(code="ubnd-xa-05503").name == "Ủy ban nhân dân xã Tân Cương"
    assert "92 created" in out.getvalue()

    again = io.StringIO()
    call_command("load_commune_agencies", stdout=again)
    assert "0 created, 92 already there" in again.getvalue()
    assert Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).count() == 92


def test_the_agencies_command_leaves_a_coordinators_edit_alone():
    call_command("load_commune_agencies", stdout=io.StringIO())
    committee = Agency.objects.get(code="ubnd-xa-05908")
    committee.contact_emails = "vanthu@phubinh.thainguyen.gov.vn"
    committee.short_name = "UBND Phú Bình (xã)"
    committee.save()
    call_command("load_commune_agencies", stdout=io.StringIO())
    committee.refresh_from_db()
    assert (committee.short_name, committee.contact_emails) == (
        "UBND Phú Bình (xã)",
        "vanthu@phubinh.thainguyen.gov.vn",
    )


@pytest.fixture
def merged_departments(db):
    call_command("load_missing", "agencies_2025", stdout=io.StringIO())


def test_the_departments_merged_in_2025_show_their_predecessors(merged_departments):
    def predecessors(code):
        return sorted(m.predecessor.code for m in Agency.objects.get(code=code).merged_in.all())

    assert predecessors("so-nong-nghiep-moi-truong") == ["so-nong-nghiep-ptnt", "so-tai-nguyen-moi-truong"]
    assert predecessors("so-xay-dung") == ["so-giao-thong-van-tai"]
    assert predecessors("so-khoa-hoc-cong-nghe") == ["so-thong-tin-truyen-thong"]
    assert predecessors("so-tai-chinh") == ["so-ke-hoach-dau-tu"]
    assert predecessors("so-noi-vu") == ["so-lao-dong-tbxh"]
    assert predecessors("so-dan-toc-ton-giao") == ["ban-dan-toc"]
    transport = Agency.objects.get(code="so-giao-thong-van-tai")
    assert transport.merged_into == Agency.objects.get(code="so-xay-dung")
    assert transport.merger.predecessor_last_day == datetime.date(2025, 2, 28)
    assert Agency.objects.get(code="so-y-te").merged_into is None


def test_the_mergers_only_recalled_say_so(merged_departments):
    def notes(code):
        return Agency.objects.get(code=code).merger.notes

    for recalled in ("so-giao-thong-van-tai", "so-thong-tin-truyen-thong"):
        assert "chưa kiểm chứng ❓" in notes(recalled)
        assert "NTM_FACTS.md §8.7" in notes(recalled)
    assert "đã xác nhận" in notes("so-nong-nghiep-ptnt")


def test_loading_the_2025_departments_twice_adds_nothing(merged_departments):
    out = io.StringIO()
    call_command("load_missing", "agencies_2025", stdout=out)
    assert "0 object(s) added, 11 already present" in out.getvalue()


def test_a_merged_department_is_not_offered_for_new_assignments(merged_departments):
    from directives.forms import AgencyChoiceField, DirectiveForm
    from directives.services.directives import agency_refs

    offered = set(AgencyChoiceField().queryset.values_list("code", flat=True))
    assert {"so-xay-dung", "so-nong-nghiep-moi-truong", "so-dan-toc-ton-giao"} <= offered
    assert offered.isdisjoint({"so-giao-thong-van-tai", "so-nong-nghiep-ptnt", "ban-dan-toc"})
    recipients = set(DirectiveForm().fields["recipients"].queryset.values_list("code", flat=True))
    assert "so-giao-thong-van-tai" not in recipients
    parsed = {ref.id for ref in agency_refs()}
    assert Agency.objects.get(code="so-giao-thong-van-tai").pk not in parsed


def test_a_text_naming_a_department_before_the_merger_goes_to_its_successor(merged_departments):
    from directives.services.directives import proposal_from_text

    text = (
        "Số: 9/TB-UBND\n\nThái Nguyên, ngày 02 tháng 11 năm 2026\n\nTHÔNG BÁO\nKết luận\n\n"
        "1. Sở Giao thông vận tải: rà soát đường giao thông nội đồng.\n"
        "2. Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Nông nghiệp và PTNT cân đối vốn.\n"
    )
    transport, plan = proposal_from_text(text).tasks
    by_code = {code: pk for pk, code in Agency.objects.values_list("pk", "code")}
    # The name stays as written; the work goes to the department in force.
    assert transport.section_heading == "Sở Giao thông vận tải:"
    assert transport.lead_ids == (by_code["so-xay-dung"],)
    assert plan.lead_ids == (by_code["so-tai-chinh"],)
    assert plan.cooperating_ids == (by_code["so-nong-nghiep-moi-truong"],)


def test_the_old_assignments_of_a_merged_department_stay_readable(
    merged_departments, client, department_officer
):
    from directives.models import Assignment, Directive, Task

    directive = Directive.objects.create(
        number="58/TB-UBND", kind="notice", issuer="UBND tỉnh Thái Nguyên",
        issued_on=datetime.date(2020, 7, 6), title="Kết luận của Chủ tịch UBND tỉnh",
    )  # fmt: skip
    task = Task.objects.create(directive=directive, position=1, text="Cứng hóa đường trục xã.")
    old = Assignment.objects.create(task=task, agency=department_officer.agency)  # Sở GTVT
    client.force_login(department_officer)
    assert client.get(reverse("directive-assignment", args=[old.pk])).status_code == 200
    successor = make_user("so_xay_dung", Role.DEPARTMENT_OFFICER, "so-xay-dung")
    assert old in assignment_scope(successor, for_change=True)
    assert set(users_acting_for(old.agency)) == {department_officer, successor}


def test_the_admin_shows_a_merged_department_as_merged_and_its_successor_with_predecessors(
    merged_departments, client, coordinator
):
    client.force_login(coordinator)
    listing = client.get(reverse("admin:accounts_agency_changelist"), {"q": "Giao thông"})
    assert listing.status_code == 200
    assert "Sở Xây dựng (từ 01/03/2025)" in listing.content.decode()
    successor = Agency.objects.get(code="so-nong-nghiep-moi-truong")
    page = client.get(reverse("admin:accounts_agency_change", args=[successor.pk]))
    assert page.status_code == 200
    assert "Sở Tài nguyên và Môi trường" in page.content.decode()
    merged = client.get(reverse("admin:accounts_agency_changelist"), {"merger__isempty": "0"})
    assert merged.status_code == 200
    assert merged.context["cl"].result_count == 7
