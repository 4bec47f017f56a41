"""Every URL of the portal against every persona: the status each must get.

When a later issue adds a URL it adds a row here; test_every_url_is_in_the_matrix
fails until it does.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communes.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "coordinator",
    "dai_tu_officer",
    "phu_binh_officer",
    "commune_officer",
    "department_officer",
    "leader",
    "api_client_user",
]


def _dai_tu_commune():
    return AdministrativeUnit.objects.get(name="Xã Phúc Lương").pk


def _new_commune():
    return AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None).pk


def _assessment():
    """A draft assessment of Xã Phúc Lương (Đại Từ) under a one-indicator set, period
    2020-H1 (locked in 2020: only a coordinator changes it now)."""
    import datetime

    from criteria.models import Assessment, CriteriaSet, Criterion, Indicator, ReportingPeriod
    from criteria.services.assessments import recompute

    cs = CriteriaSet.objects.create(code="matrix", name="Bộ thử", level="standard")
    criterion = Criterion.objects.create(criteria_set=cs, number=1, name="Giao thông")
    Indicator.objects.create(
        criterion=criterion,
        code="1.1",
        name="Đường",
        measure_type="boolean",
        comparison="achieved",
        verification="confirmed",
    )
    period = ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=datetime.date(2020, 1, 1),
        end=datetime.date(2020, 6, 30), submission_deadline=datetime.date(2020, 7, 15), lock_date=datetime.date(2020, 8, 14),
    )  # fmt: skip
    commune = AdministrativeUnit.objects.get(name="Xã Phúc Lương")
    assessment = Assessment.objects.create(commune=commune, period=period, criteria_set=cs)
    assessment.values.create(indicator=criterion.indicators.get())
    assessment.criterion_results.create(criterion=criterion)
    recompute(assessment)
    assessment.save()
    return assessment


def _national_set():
    from django.core.management import call_command

    call_command("load_missing", "criteria_sets_national", verbosity=0)


def _indicator():
    from criteria.models import Indicator

    _national_set()
    return Indicator.objects.get(criterion__criteria_set__code="qd-1980-2016", code="15.1").pk


def _criterion():
    from criteria.models import Criterion

    _national_set()
    return Criterion.objects.get(criteria_set__code="qd-1980-2016", number=2).pk


def arguments_criterion():
    from criteria.models import Criterion

    return Criterion.objects.get(criteria_set__code="matrix").pk


def _assessment_pk():
    return [_assessment().pk]


def _assessment_submit():
    return [_assessment().pk, "submit"]


def _upload_pk():
    """An upload (with nothing to import) by Đại Từ's district officer."""
    from accounts.models import User
    from criteria.models import ReportUpload

    owner, _created = User.objects.get_or_create(username="daitu_officer")
    return [ReportUpload.objects.create(uploaded_by=owner, filename="x.xlsx", data=b"", status="ready").pk]


def _export_job_pk():
    """A finished summary export job of Đại Từ's district officer, its file stored once
    under MEDIA_ROOT at a fixed name (as tests/directives/matrix.py stores its files)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from accounts.models import User
    from criteria.models import ExportJob

    assessment = _assessment()
    owner, _created = User.objects.get_or_create(username="daitu_officer")
    name = "private/exports/matrix.xlsx"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"PK matrix"))
    job = ExportJob.objects.create(
        requested_by=owner, period=assessment.period, criteria_set=assessment.criteria_set,
        state="done", progress=100, file=name, filename="Tổng hợp NTM.xlsx",
    )  # fmt: skip
    return [job.pk]


def _seed_task_pk():
    """Task 4 of notice 58/TB-UBND (the provincial office's, due 17/07/2020), no progress."""
    from directives.models import Task

    directive_pk = __import__("tests.directives.matrix", fromlist=["directive_pk"]).directive_pk()
    return Task.objects.get(directive_id=directive_pk, position=4).pk


def _api_token_pk():
    """An active API token of Trung tâm Thông tin tỉnh, issued by a coordinator of its own."""
    import datetime

    from accounts.models import Agency
    from accounts.roles import Role
    from accounts.services import api_token_issue
    from tests.conftest import make_user

    issuer = make_user("matrix_token_issuer", Role.COORDINATOR, "vpdp-ntm-tinh")
    return api_token_issue(
        user=issuer,
        agency=Agency.objects.get(code="trung-tam-thong-tin-tinh"),
        name="Hệ thống ma trận",
        access="read",
        expires_on=datetime.date(2027, 1, 31),
    ).token.pk


def _target_pk():
    """The 2020 target of the province (100 communes at the standard, notice 58/TB-UBND)."""
    from criteria.models import ProgrammeTarget

    province = AdministrativeUnit.objects.get(code="19", valid_until=None)
    return ProgrammeTarget.objects.create(
        unit=province, level="standard", year=2020, count=100, source="Thông báo 58/TB-UBND"
    ).pk


REPORTERS_ONLY = {
    "coordinator": 200,
    "dai_tu_officer": 200,
    "phu_binh_officer": 200,
    "commune_officer": 200,
    "*": 403,
}

READ_ONLY_ROLES = {"department_officer": 302, "leader": 302, "api_client_user": 302}

# Funding (issue 6): who may open the reporting forms (GET) and what a valid report for
# Huyện Đại Từ answers (POST): saved (302) in scope, 404 outside it, 403 for read-only roles.
FUNDING = __import__("tests.funding.matrix", fromlist=["Pk"])
FUNDING_REPORTERS_GET = {
    "coordinator": 200,
    "dai_tu_officer": 200,
    "phu_binh_officer": 200,
    "commune_officer": 200,
    "*": 403,
}
FUNDING_REPORTERS_POST = {
    "coordinator": 302,
    "dai_tu_officer": 302,
    "phu_binh_officer": 404,
    "commune_officer": 404,
    "*": 403,
}

# (url name, args factory, method, {persona: expected status}[, POST data])
# A refused workflow action answers 302 back to the assessment with the reason shown.
MATRIX = [
    ("home", None, "get", {"anonymous": 302, "*": 200}),
    ("unit-search", None, "get", {"anonymous": 302, "*": 200}),
    (
        "unit-detail",
        _dai_tu_commune,
        "get",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 200},
    ),
    (
        "unit-detail",
        _new_commune,
        "get",
        {"anonymous": 302, "dai_tu_officer": 404, "phu_binh_officer": 404, "*": 200},
    ),
    # Adding a hamlet: a role holding communes.add_administrativeunit whose scope holds the
    # commune (in force today: the commune officer's own); a read-only scope gets 403, no scope 404.
    (
        "unit-detail",
        _new_commune,
        "post",
        {
            "anonymous": 302,
            "coordinator": 302,
            "commune_officer": 302,
            "dai_tu_officer": 404,
            "phu_binh_officer": 404,
            "*": 403,
        },
    ),
    ("healthz", None, "get", {"*": 200}),
    ("login", None, "get", {"anonymous": 200, "*": 302}),
    ("logout", None, "post", {"*": 302}),
    ("admin:index", None, "get", {"anonymous": 302, "coordinator": 200, "*": 302}),
    # The API's schema and documentation are public (no data; core.api.docs).
    ("api-schema", None, "get", {"*": 200}),
    ("api-docs", None, "get", {"*": 200}),
    ("api-redoc", None, "get", {"*": 200}),
    ("set_language", None, "post", {"*": 302}),
    ("notifications", None, "get", {"anonymous": 302, "*": 200}),
    ("notifications", None, "post", {"anonymous": 302, "*": 302}),
    # API keys (issue 13): coordinators only (others 403). An empty form comes back with
    # its errors (400); a revoke goes back to the list (302).
    ("api-token-list", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("api-token-new", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("api-token-new", None, "post", {"anonymous": 302, "coordinator": 400, "*": 403}, {}),
    ("api-token-revoke", _api_token_pk, "post", {"anonymous": 302, "coordinator": 302, "*": 403}, {}),
    # Staffing of the coordination offices (issue 14): everyone signed in reads (their scope's
    # offices); only a coordinator saves, and a form without its rows comes back (400).
    ("agency-staffing", None, "get", {"anonymous": 302, "*": 200}),
    ("agency-staffing", None, "post", {"anonymous": 302, "coordinator": 400, "*": 403}, {}),
    ("assessment-list", None, "get", {"anonymous": 302, "*": 200}),
    (
        "assessment-detail",
        _assessment_pk,
        "get",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 200},
    ),
    (
        "assessment-detail",
        _assessment_pk,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 302},
        {"version": "1"},
    ),
    (
        "assessment-evaluate",
        _assessment_pk,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 200},
    ),
    (
        "assessment-transition",
        _assessment_submit,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 302},
        {"version": "1"},
    ),
    (
        "assessment-comment",
        _assessment_pk,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 302},
        {"criterion": "0", "text": "x"},
    ),
    ("criteria-set-list", None, "get", {"anonymous": 302, "*": 200}),
    ("criteria-set-detail", lambda: "qd-1980-2016", "get", {"anonymous": 302, "*": 200}),
    ("criteria-set-copy", lambda: "qd-1980-2016", "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    (
        "criteria-set-copy",
        lambda: "qd-1980-2016",
        "post",
        {"anonymous": 302, "coordinator": 200, "*": 403},
        {},
    ),
    ("indicator-target", _indicator, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    (
        "indicator-target",
        _indicator,
        "post",
        {"anonymous": 302, "coordinator": 200, "*": 403},
        {"target": "abc"},
    ),
    (
        "criterion-agency",
        _criterion,
        "post",
        {"anonymous": 302, "coordinator": 302, "*": 403},
        {"agency": ""},
    ),
    # Commune groups and indicators in the portal (issue 11): the coordinator's pages alone.
    ("criteria-set-groups", lambda: "qd-51-2025", "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("indicator-create", _criterion, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("indicator-edit", _indicator, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("indicator-delete", _indicator, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("criteria-overview", None, "get", {"anonymous": 302, "*": 200}),
    # The leadership dashboard (issue 14): everyone logged in reads it inside their scope;
    # the landing page sends a leader to it and everyone else to the province tree.
    ("dashboard", None, "get", {"anonymous": 302, "*": 200}),
    ("dashboard", None, "post", {"anonymous": 302, "*": 405}),
    ("landing", None, "get", {"anonymous": 302, "*": 302}),
    # The map of the communes (issue 14): everyone logged in, inside their scope.
    ("dashboard-map", None, "get", {"anonymous": 302, "*": 200}),
    # The timeliness scoreboard and its workbook (issue 14): everyone logged in, inside their
    # scope; GET only.
    ("dashboard-scoreboard", None, "get", {"anonymous": 302, "*": 200}),
    ("dashboard-scoreboard-xlsx", None, "get", {"anonymous": 302, "*": 200}),
    ("dashboard-scoreboard", None, "post", {"anonymous": 302, "*": 405}),
    ("dashboard-scoreboard-xlsx", None, "post", {"anonymous": 302, "*": 405}),
    ("recognition-list", None, "get", {"anonymous": 302, "*": 200}),
    ("recognition-recheck", None, "get", {"anonymous": 302, "*": 200}),
    ("recognition-create", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    # An empty form: the coordinator gets the form back with the errors (200).
    ("recognition-create", None, "post", {"anonymous": 302, "coordinator": 200, "*": 403}, {}),
    # Programme targets (issue 14): everyone signed in reads; a coordinator adds and changes
    # them (others 403); an empty form comes back with its errors (400).
    ("programme-target-list", None, "get", {"anonymous": 302, "*": 200}),
    ("programme-target-create", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("programme-target-create", None, "post", {"anonymous": 302, "coordinator": 400, "*": 403}, {}),
    ("programme-target-edit", _target_pk, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("programme-target-edit", _target_pk, "post", {"anonymous": 302, "coordinator": 400, "*": 403}, {}),
    (
        "assessment-create",
        None,
        "post",
        # Outside the change scope is 404; a role that may not start one is told so (302).
        {
            "anonymous": 302,
            "phu_binh_officer": 404,
            "commune_officer": 404,
            "leader": 404,
            "api_client_user": 404,
            "*": 302,
        },
        {"commune": "0", "period": "2020-h1", "criteria_set": "matrix"},
    ),
    # Excel round trip (issue 4): district officers and coordinators only (403 for the
    # others); a bad query or an empty upload form answers 400; an upload is its
    # uploader's alone (404 for everyone else).
    ("report-index", None, "get", {"anonymous": 302, **REPORTERS_ONLY}),
    (
        "report-template",
        None,
        "get",
        {
            "anonymous": 302,
            **REPORTERS_ONLY,
            "coordinator": 400,
            "dai_tu_officer": 400,
            "phu_binh_officer": 400,
            "commune_officer": 400,
        },
    ),
    (
        "report-upload-create",
        None,
        "post",
        {
            "anonymous": 302,
            **REPORTERS_ONLY,
            "coordinator": 400,
            "dai_tu_officer": 400,
            "phu_binh_officer": 400,
            "commune_officer": 400,
        },
        {},
    ),
    ("report-upload", _upload_pk, "get", {"anonymous": 302, "dai_tu_officer": 200, "*": 404}),
    ("report-upload-progress", _upload_pk, "get", {"anonymous": 302, "dai_tu_officer": 200, "*": 404}),
    # Nothing to import in the upload: its uploader is told so on the page (302).
    ("report-upload-confirm", _upload_pk, "post", {"anonymous": 302, "dai_tu_officer": 302, "*": 404}, {}),
    # A cancelled upload goes back to the reports page (302).
    ("report-upload-cancel", _upload_pk, "post", {"anonymous": 302, "dai_tu_officer": 302, "*": 404}, {}),
    # Exports (issue 4): everyone signed in downloads inside their scope (Phú Bình's officer
    # gets a file without Đại Từ's commune); GET only. The lambda makes the period and set
    # the files default to (the draft assessment of _assessment) and names no URL argument.
    ("export-summary", lambda: _assessment() and None, "get", {"anonymous": 302, "*": 200}),
    ("export-values", lambda: _assessment() and None, "get", {"anonymous": 302, "*": 200}),
    ("export-values-csv", lambda: _assessment() and None, "get", {"anonymous": 302, "*": 200}),
    ("export-summary", lambda: _assessment() and None, "post", {"anonymous": 302, "*": 405}),
    ("export-values", lambda: _assessment() and None, "post", {"anonymous": 302, "*": 405}),
    ("export-values-csv", lambda: _assessment() and None, "post", {"anonymous": 302, "*": 405}),
    # The summary built in the background (issue 14): everyone signed in starts a job inside
    # their scope, leaders too (an export changes no data), and is sent to its page (302);
    # a job is seen by who asked for it (Đại Từ's officer here) and by coordinators, 404
    # for anyone else. Its progress answers HX-Refresh (200) once it has finished.
    ("export-summary-start", lambda: _assessment() and None, "post", {"anonymous": 302, "*": 302}),
    ("export-summary-start", lambda: _assessment() and None, "get", {"anonymous": 302, "*": 405}),
    (
        "export-job",
        _export_job_pk,
        "get",
        {"anonymous": 302, "dai_tu_officer": 200, "coordinator": 200, "*": 404},
    ),
    (
        "export-job-progress",
        _export_job_pk,
        "get",
        {"anonymous": 302, "dai_tu_officer": 200, "coordinator": 200, "*": 404},
    ),
    (
        "export-job-download",
        _export_job_pk,
        "get",
        {"anonymous": 302, "dai_tu_officer": 200, "coordinator": 200, "*": 404},
    ),
    # Directives (issue 5). Factories in tests/directives/matrix.py. An assignment is seen by
    # the provincial roles and by who acts for its agency (the Đại Từ office for UBND Đại Từ),
    # 404 for others; a read-only role that tries to report gets 403.
    ("directive-list", None, "get", {"anonymous": 302, "*": 200}),
    ("directive-new", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("directive-new", None, "post", {"anonymous": 302, "coordinator": 400, "*": 403}),
    # Drafts of a new directive (issue 12): coordinators only (others 403), each on their own
    # draft (another coordinator's is 404, tests/directives/test_drafts.py). A POST of an
    # empty form comes back with its errors (400); an action redirects back to the draft.
    *[
        (name, factory, method, {"anonymous": 302, "coordinator": status, "*": 403})
        for name, factory, method, status in (
            ("directive-draft", "draft_pk", "get", 200),
            ("directive-draft-fields", "draft_pk", "post", 302),
            ("directive-draft-task", "draft_task_args", "get", 200),
            ("directive-draft-task", "draft_task_args", "post", 400),
            ("directive-draft-task-add", "draft_pk", "get", 200),
            ("directive-draft-task-add", "draft_pk", "post", 400),
            ("directive-draft-task-split", "draft_task_args", "get", 200),
            ("directive-draft-task-split", "draft_task_args", "post", 400),
            ("directive-draft-task-merge", "draft_task_args", "post", 302),
            ("directive-draft-task-delete", "draft_task_args", "post", 302),
            ("directive-draft-bulk", "draft_pk", "post", 302),
            ("directive-draft-confirm", "draft_pk", "post", 302),
            ("directive-draft-delete", "draft_pk", "post", 302),
        )
        for factory in [getattr(__import__("tests.directives.matrix", fromlist=[factory]), factory)]
    ],
    (
        "directive-detail",
        __import__("tests.directives.matrix", fromlist=["directive_pk"]).directive_pk,
        "get",
        {"anonymous": 302, "*": 200},
    ),
    (
        "directive-attachment-add",
        __import__("tests.directives.matrix", fromlist=["directive_pk"]).directive_pk,
        "post",
        {"anonymous": 302, "coordinator": 302, "*": 403},
    ),
    (
        "directive-attachment",
        __import__("tests.directives.matrix", fromlist=["attachment_pk"]).attachment_pk,
        "get",
        {"anonymous": 302, "*": 200},
    ),
    ("directive-my-tasks", None, "get", {"anonymous": 302, "*": 200}),
    ("directive-board", None, "get", {"anonymous": 302, "coordinator": 200, "leader": 200, "*": 403}),
    (
        "directive-assignment",
        __import__("tests.directives.matrix", fromlist=["dai_tu_assignment_pk"]).dai_tu_assignment_pk,
        "get",
        {
            "anonymous": 302,
            "phu_binh_officer": 404,
            "commune_officer": 404,
            "department_officer": 404,
            "*": 200,
        },
    ),
    (
        "directive-progress",
        __import__("tests.directives.matrix", fromlist=["dai_tu_assignment_pk"]).dai_tu_assignment_pk,
        "post",
        {
            "anonymous": 302,
            "coordinator": 302,
            "dai_tu_officer": 302,
            "phu_binh_officer": 404,
            "commune_officer": 404,
            "department_officer": 404,
            "*": 403,
        },
        {"text": "Đã tổ chức hội nghị.", "percent": "10"},
    ),
    (
        "directive-done",
        __import__("tests.directives.matrix", fromlist=["dai_tu_assignment_pk"]).dai_tu_assignment_pk,
        "post",
        {
            "anonymous": 302,
            "coordinator": 302,
            "dai_tu_officer": 302,
            "phu_binh_officer": 404,
            "commune_officer": 404,
            "department_officer": 404,
            "*": 403,
        },
    ),
    (
        "directive-reopen",
        __import__("tests.directives.matrix", fromlist=["dai_tu_assignment_pk"]).dai_tu_assignment_pk,
        "post",
        {
            "anonymous": 302,
            "coordinator": 302,
            "phu_binh_officer": 404,
            "commune_officer": 404,
            "department_officer": 404,
            "*": 403,
        },
        {"reason": "Đánh dấu nhầm."},
    ),
    (
        "directive-extension",
        __import__("tests.directives.matrix", fromlist=["dai_tu_assignment_pk"]).dai_tu_assignment_pk,
        "post",
        {
            "anonymous": 302,
            # A standing task has no deadline to extend: the page comes back with the
            # reason and the form as typed (400), for the assignee and the coordinator.
            "coordinator": 400,
            "dai_tu_officer": 400,
            "phu_binh_officer": 404,
            "commune_officer": 404,
            "department_officer": 404,
            "*": 403,
        },
        {"requested_deadline": "31/12/2026", "reason": "Mưa lũ."},
    ),
    (
        "directive-extension-decide",
        __import__("tests.directives.matrix", fromlist=["extension_pk"]).extension_pk,
        "post",
        {"anonymous": 302, "coordinator": 302, "*": 403},
        {"decision": "grant"},
    ),
    (
        "directive-report-file",
        __import__("tests.directives.matrix", fromlist=["report_pk"]).report_pk,
        "get",
        {
            "anonymous": 302,
            "phu_binh_officer": 404,
            "commune_officer": 404,
            "department_officer": 404,
            "*": 200,
        },
    ),
    # Editing a saved directive (issue 12): coordinators only (others 403); a POST with an
    # empty form comes back with its errors (400). The history page is read by every role.
    *[
        (name, factory, method, {"anonymous": 302, "coordinator": 200 if method == "get" else 400, "*": 403})
        for name, factory in (
            ("directive-edit", __import__("tests.directives.matrix", fromlist=["directive_pk"]).directive_pk),
            ("directive-task-edit", lambda: _seed_task_pk()),
            ("directive-task-add", lambda: _seed_task_pk()),
            ("directive-task-delete", lambda: _seed_task_pk()),
        )
        for method in ("get", "post")
    ],
    (
        "directive-history",
        __import__("tests.directives.matrix", fromlist=["directive_pk"]).directive_pk,
        "get",
        {"anonymous": 302, "*": 200},
    ),
    # Funding (issue 6). Factories and POST data in tests/funding/matrix.py. Everyone signed in
    # reads inside their scope (Phú Bình's officer: 404 for Đại Từ's unit, batch and project);
    # district officers report use, deliveries, disbursements and OCOP products for their
    # district (404 for another); coordinators also allocate, propose and approve the reserve,
    # set expected rates and vet projects; read-only roles get 403 on every form. An empty or
    # incomplete form answers 400 with the errors.
    ("funding-cement", None, "get", {"anonymous": 302, "*": 200}),
    (
        "funding-batch",
        FUNDING.batch_pk,
        "get",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 200},
    ),
    ("funding-batch-new", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("funding-batch-new", None, "post", {"anonymous": 302, "coordinator": 400, "*": 403}, {}),
    ("funding-use-new", None, "get", {"anonymous": 302, **FUNDING_REPORTERS_GET}),
    (
        "funding-use-new",
        FUNDING.cement_2020,
        "post",
        {"anonymous": 302, **FUNDING_REPORTERS_POST},
        FUNDING.USE_DATA,
    ),
    ("funding-delivery-new", None, "get", {"anonymous": 302, **FUNDING_REPORTERS_GET}),
    (
        "funding-delivery-new",
        FUNDING.cement_2020,
        "post",
        {"anonymous": 302, **FUNDING_REPORTERS_POST},
        FUNDING.DELIVERY_DATA,
    ),
    ("funding-reserve", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    # No share adds up to the reserve: the coordinator gets the page back with the error.
    (
        "funding-reserve",
        FUNDING.cement_2020,
        "post",
        {"anonymous": 302, "coordinator": 400, "*": 403},
        {
            "year": "2020",
            "level": "district",
            "reserve": "10",
            "decision_number": "1",
            "decision_date": "01/07/2020",
        },
    ),
    ("funding-reserve-export", None, "get", {"anonymous": 302, "coordinator": 400, "*": 403}),
    (
        "funding-reserve-export",
        FUNDING.cement_2020,
        "post",
        {"anonymous": 302, "coordinator": 200, "*": 403},
        {"year": "2020", "level": "district", "reserve": "10"},
    ),
    (
        "funding-unit",
        FUNDING.dai_tu_pk,
        "get",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 200},
    ),
    ("funding-funds", None, "get", {"anonymous": 302, "*": 200}),
    ("funding-fund-allocation-new", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    (
        "funding-fund-allocation-new",
        None,
        "post",
        {"anonymous": 302, "coordinator": 302, "*": 403},
        FUNDING.FUND_DATA,
    ),
    ("funding-disbursement-new", None, "get", {"anonymous": 302, **FUNDING_REPORTERS_GET}),
    (
        "funding-disbursement-new",
        FUNDING.funds_2020,
        "post",
        {"anonymous": 302, **FUNDING_REPORTERS_POST},
        FUNDING.DISBURSEMENT_DATA,
    ),
    (
        "funding-milestone",
        None,
        "post",
        {"anonymous": 302, "coordinator": 302, "*": 403},
        {"year": "2020", "due_on": "30/06/2020", "expected_percent": "40"},
    ),
    ("funding-projects", None, "get", {"anonymous": 302, "*": 200}),
    ("funding-project-new", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    ("funding-project-new", None, "post", {"anonymous": 302, "coordinator": 400, "*": 403}, {}),
    (
        "funding-project",
        FUNDING.project_pk,
        "get",
        {"anonymous": 302, "phu_binh_officer": 404, "commune_officer": 404, "*": 200},
    ),
    ("funding-project-edit", FUNDING.project_pk, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    (
        "funding-project-edit",
        FUNDING.project_pk,
        "post",
        {"anonymous": 302, "coordinator": 400, "*": 403},
        {},
    ),
    (
        "funding-project-check",
        FUNDING.project_check_args,
        "post",
        {"anonymous": 302, "coordinator": 302, "*": 403},
        {"outcome": "met"},
    ),
    ("funding-ocop", None, "get", {"anonymous": 302, "*": 200}),
    ("funding-ocop-new", None, "get", {"anonymous": 302, **FUNDING_REPORTERS_GET}),
    ("funding-ocop-new", None, "post", {"anonymous": 302, **FUNDING_REPORTERS_POST}, FUNDING.OCOP_DATA),
]
COVERED = {row[0] for row in MATRIX}
# URL names that belong to Django or libraries and are covered through their index.
EXEMPT_PREFIXES = ("admin:",)


def _cases():
    for name, args, method, expected, *data in MATRIX:
        for persona in PERSONAS:
            yield pytest.param(
                name,
                args,
                method,
                persona,
                expected.get(persona, expected.get("*")),
                data[0] if data else None,
                id=f"{method}-{name}-{args.__name__ if args else ''}-{persona}",
            )


@pytest.mark.parametrize(("name", "args", "method", "persona", "status", "data"), list(_cases()))
def test_permission_matrix(request, client, name, args, method, persona, status, data):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    if name.startswith("criteria-set"):
        _national_set()
    arguments = args() if args else None
    url = reverse(name, args=arguments if isinstance(arguments, list) else [arguments] if arguments else None)
    if data is None:
        data = {"name": "Xóm Ma Trận", "kind": "xom"} if name == "unit-detail" else {"language": "vi"}
    if name == "assessment-comment":
        data = {**data, "criterion": arguments_criterion()}
    if name == "assessment-create":
        _assessment()  # the period and set it names
        data = {**data, "commune": AdministrativeUnit.objects.get(name="Xã Minh Tiến").pk}
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == status


def _names(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _names(pattern, prefix + (pattern.namespace + ":" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_is_in_the_matrix():
    """Every page URL is here; the REST API's routes have their own matrices in
    tests/api/ (tests/api/test_api_routes.py checks that each is in one)."""
    from ntm_portal.api_urls import urlpatterns as api_patterns

    api = {pattern.name for pattern in api_patterns}
    names = {name for name in _names(get_resolver()) if not name.startswith(EXEMPT_PREFIXES)} - api
    assert names - COVERED == set()
