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
    from criteria.services import recompute

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


REPORTERS_ONLY = {"coordinator": 200, "dai_tu_officer": 200, "phu_binh_officer": 200, "*": 403}

READ_ONLY_ROLES = {"department_officer": 302, "leader": 302, "api_client_user": 302}

# (url name, args factory, method, {persona: expected status}[, POST data])
# A refused workflow action answers 302 back to the assessment with the reason shown.
MATRIX = [
    ("home", None, "get", {"anonymous": 302, "*": 200}),
    ("unit-search", None, "get", {"anonymous": 302, "*": 200}),
    ("unit-detail", _dai_tu_commune, "get", {"anonymous": 302, "phu_binh_officer": 404, "*": 200}),
    (
        "unit-detail",
        _new_commune,
        "get",
        {"anonymous": 302, "dai_tu_officer": 404, "phu_binh_officer": 404, "*": 200},
    ),
    # Adding a hamlet: a role holding communes.add_administrativeunit whose scope holds the
    # commune (in force today); a read-only scope gets 403, no scope 404.
    (
        "unit-detail",
        _new_commune,
        "post",
        {"anonymous": 302, "coordinator": 302, "dai_tu_officer": 404, "phu_binh_officer": 404, "*": 403},
    ),
    ("healthz", None, "get", {"*": 200}),
    ("login", None, "get", {"anonymous": 200, "*": 302}),
    ("logout", None, "post", {"*": 302}),
    ("admin:index", None, "get", {"anonymous": 302, "coordinator": 200, "*": 302}),
    ("api-schema", None, "get", {"anonymous": 401, "*": 200}),
    ("api-docs", None, "get", {"anonymous": 401, "*": 200}),
    ("set_language", None, "post", {"*": 302}),
    ("notifications", None, "get", {"anonymous": 302, "*": 200}),
    ("notifications", None, "post", {"anonymous": 302, "*": 302}),
    ("assessment-list", None, "get", {"anonymous": 302, "*": 200}),
    ("assessment-detail", _assessment_pk, "get", {"anonymous": 302, "phu_binh_officer": 404, "*": 200}),
    (
        "assessment-detail",
        _assessment_pk,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "*": 302},
        {"version": "1"},
    ),
    (
        "assessment-evaluate",
        _assessment_pk,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "*": 200},
    ),
    (
        "assessment-transition",
        _assessment_submit,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "*": 302},
        {"version": "1"},
    ),
    (
        "assessment-comment",
        _assessment_pk,
        "post",
        {"anonymous": 302, "phu_binh_officer": 404, "*": 302},
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
    ("criteria-overview", None, "get", {"anonymous": 302, "*": 200}),
    ("recognition-list", None, "get", {"anonymous": 302, "*": 200}),
    ("recognition-recheck", None, "get", {"anonymous": 302, "*": 200}),
    ("recognition-create", None, "get", {"anonymous": 302, "coordinator": 200, "*": 403}),
    # An empty form: the coordinator gets the form back with the errors (200).
    ("recognition-create", None, "post", {"anonymous": 302, "coordinator": 200, "*": 403}, {}),
    (
        "assessment-create",
        None,
        "post",
        # Outside the change scope is 404; a role that may not start one is told so (302).
        {"anonymous": 302, "phu_binh_officer": 404, "leader": 404, "api_client_user": 404, "*": 302},
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
    names = {name for name in _names(get_resolver()) if not name.startswith(EXEMPT_PREFIXES)}
    assert names - COVERED == set()
