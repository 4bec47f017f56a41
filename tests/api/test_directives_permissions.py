"""The permission matrix of the directives API: every endpoint and method for every
persona, read-only and read-write tokens of several agencies, outsiders of another
district and another commune, expired and revoked tokens, and no credentials.

What it checks is what the pages do (:mod:`directives.views`): everyone signed in reads
every directive and task, with every agency's status badge; an assignment and its
reports only for the agencies the caller acts for (the provincial roles: all), else
404, and a task's badge carries the assignment's id only then; the agencies' users and
coordinators report (a role that may only read gets 403 on the assignment's own address,
404 on the collection, which takes only an assignment the caller reports on); a
read-only token gets ``token_read_only``; a method an endpoint does not offer, 405.
"""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import ApiToken, TokenAccess
from accounts.services import api_token_revoke
from directives.models import Assignment, Directive, ExtensionRequest, ProgressReport
from directives.services.assignments import progress_report_create
from tests.api.conftest import PERSONAS
from tests.directives import conftest as directive_fixtures
from tests.directives.conftest import assignment_of

pytestmark = pytest.mark.django_db

# The directive tests' fixtures: notice 58/TB-UBND loaded by its command, files kept apart.
seed_directive = directive_fixtures.seed_directive
media_root = directive_fixtures.media_root

COVERED_ROUTES = {
    "directive-api-list",
    "directive-api-detail",
    "directive-api-parse",
    "task-api-list",
    "task-api-detail",
    "assignment-api-list",
    "assignment-api-detail",
    "assignment-api-progress-reports",
    "assignment-api-extension-requests",
    "progress-report-api-list",
    "progress-report-api-detail",
}

RW, RO = TokenAccess.READ_WRITE, TokenAccess.READ
TOKENS = [
    ("vpdp-ntm-tinh", RW),
    ("vpdp-ntm-tinh", RO),
    ("vpdp-ntm-huyen-dai-tu", RO),
    ("vpdp-ntm-huyen-dai-tu", RW),
    ("vpdp-ntm-huyen-phu-binh", RW),
    ("ubnd-xa-05908", RW),
    ("so-giao-thong-van-tai", RW),
    ("so-tai-chinh", RO),
    ("ubnd-tinh", RO),
    ("ubnd-tinh", RW),
]
WHO = [*PERSONAS, *(f"token {code} {access}" for code, access in TOKENS)]

ALL = None  # the whole province
DAI_TU = {"vpdp-ntm-huyen-dai-tu", "ubnd-huyen-dai-tu", "bcd-ntm-huyen-dai-tu"}
PHU_BINH = {"vpdp-ntm-huyen-phu-binh", "ubnd-huyen-phu-binh", "bcd-ntm-huyen-phu-binh"}
# The agencies whose assignments each caller opens (the assignment page's scope).
SEES = {
    "coordinator": ALL,
    "dai_tu_officer": DAI_TU,
    "phu_binh_officer": PHU_BINH,
    "commune_officer": {"ubnd-xa-05908"},
    "other_commune_officer": {"ubnd-xa-05503"},
    "department_officer": {"so-giao-thong-van-tai"},
    "leader": ALL,
    "api_client_user": ALL,
    "token vpdp-ntm-tinh read_write": ALL,
    "token vpdp-ntm-tinh read": ALL,
    "token vpdp-ntm-huyen-dai-tu read": DAI_TU,
    "token vpdp-ntm-huyen-dai-tu read_write": DAI_TU,
    "token vpdp-ntm-huyen-phu-binh read_write": PHU_BINH,
    "token ubnd-xa-05908 read_write": {"ubnd-xa-05908"},
    "token so-giao-thong-van-tai read_write": {"so-giao-thong-van-tai"},
    "token so-tai-chinh read": {"so-tai-chinh"},
    "token ubnd-tinh read": ALL,
    "token ubnd-tinh read_write": ALL,
}
# POST /assignments/{Đại Từ's}/progress-reports/ (and extension-requests/).
REPORTS_ON_DAI_TU = {
    "coordinator": 201,
    "dai_tu_officer": 201,
    "phu_binh_officer": 404,
    "commune_officer": 404,
    "other_commune_officer": 404,
    "department_officer": 404,
    "leader": 403,  # reads it, may not report
    "api_client_user": 403,
    "token vpdp-ntm-tinh read_write": 201,
    "token vpdp-ntm-tinh read": 403,
    "token vpdp-ntm-huyen-dai-tu read": 403,
    "token vpdp-ntm-huyen-dai-tu read_write": 201,
    "token vpdp-ntm-huyen-phu-binh read_write": 404,
    "token ubnd-xa-05908 read_write": 404,
    "token so-giao-thong-van-tai read_write": 404,
    "token so-tai-chinh read": 403,
    "token ubnd-tinh read": 403,
    "token ubnd-tinh read_write": 403,
}
# POST /progress-reports/ {"assignment_id": Đại Từ's}: not the caller's own is a 404.
COLLECTION_ON_DAI_TU = REPORTS_ON_DAI_TU | {
    "leader": 404,
    "api_client_user": 404,
    "token ubnd-tinh read_write": 404,
}
COORDINATOR_ROLE = {"coordinator", "token vpdp-ntm-tinh read_write", "token vpdp-ntm-tinh read"}
UNSAFE = ("post", "put", "patch", "delete")


@pytest.fixture
def world(seed_directive, coordinator, commune_officer, other_commune_officer):
    """The seed notice; the assignments of UBND Đại Từ, UBND Phú Bình (the task due
    31/12/2020) and Sở Giao thông vận tải; a progress report on each."""
    rows = {
        "dai_tu": assignment_of(seed_directive, "ubnd-huyen-dai-tu", position=11),
        "phu_binh": assignment_of(seed_directive, "ubnd-huyen-phu-binh", position=11),
        "transport": assignment_of(seed_directive, "so-giao-thong-van-tai", position=1),
    }
    reports = {
        name: progress_report_create(user=coordinator, assignment=row, text="Báo cáo ban đầu.", percent=10)
        for name, row in rows.items()
    }
    return {"directive": seed_directive, "assignments": rows, "reports": reports}


def _sees(who: str, assignment: Assignment) -> bool:
    agencies = SEES[who]
    return agencies is ALL or assignment.agency.code in agencies


def _visible(who: str):
    agencies = SEES[who]
    rows = Assignment.objects.select_related("agency")
    return rows if agencies is ALL else rows.filter(agency__code__in=agencies)


@pytest.mark.parametrize("who", WHO)
def test_the_matrix(caller, world, who):
    client, user, read_only = caller(who)
    directive, rows, reports = world["directive"], world["assignments"], world["reports"]
    visible = _visible(who)

    # Everyone reads every directive and task, with every agency's badge.
    listed = client.get("/api/v1/directives/")
    assert (listed.status_code, listed.json()["count"]) == (200, Directive.objects.count()), who
    assert client.get(f"/api/v1/directives/{directive.pk}/").status_code == 200, who
    tasks = client.get("/api/v1/tasks/", {"page_size": 50}).json()["results"]
    assert len(tasks) == 14, who
    pk_of = {(row.task_id, row.agency_id): row.pk for row in Assignment.objects.all()}
    opened = set(visible.values_list("pk", flat=True))
    for task in tasks:
        assert client.get(f"/api/v1/tasks/{task['id']}/").status_code == 200, who
        for badge in task["assignments"]:
            pk = pk_of[task["id"], badge["agency_id"]]
            assert badge["id"] == (pk if pk in opened else None), (who, badge)

    # Assignments and reports: the caller's agencies only (the province for its roles).
    listed = client.get("/api/v1/assignments/", {"page_size": 500}).json()
    assert sorted(row["id"] for row in listed["results"]) == sorted(visible.values_list("pk", flat=True)), who
    reports_listed = client.get("/api/v1/progress-reports/").json()["results"]
    assert sorted(row["id"] for row in reports_listed) == sorted(
        ProgressReport.objects.filter(assignment__in=visible).values_list("pk", flat=True)
    ), who
    for name, assignment in rows.items():
        expected = 200 if _sees(who, assignment) else 404
        assert client.get(f"/api/v1/assignments/{assignment.pk}/").status_code == expected, (who, name)
        assert client.get(f"/api/v1/progress-reports/{reports[name].pk}/").status_code == expected, (
            who,
            name,
        )

    # Methods the read endpoints do not offer: 405 (a read-only token is refused first).
    read_only_urls = [
        "/api/v1/directives/",
        f"/api/v1/directives/{directive.pk}/",
        "/api/v1/tasks/",
        f"/api/v1/tasks/{tasks[0]['id']}/",
        "/api/v1/assignments/",
        f"/api/v1/assignments/{rows['dai_tu'].pk}/",
        f"/api/v1/progress-reports/{reports['dai_tu'].pk}/",
    ]
    for url in read_only_urls:
        for method in UNSAFE:
            status = getattr(client, method)(url, {}, format="json").status_code
            assert status == (403 if read_only else 405), (who, method, url, status)
    for action in ("progress-reports", "extension-requests"):
        url = f"/api/v1/assignments/{rows['dai_tu'].pk}/{action}/"
        assert client.get(url).status_code == 405, (who, url)
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(url, {}, format="json").status_code == (403 if read_only else 405)
    for method in ("put", "patch", "delete"):
        status = getattr(client, method)("/api/v1/progress-reports/", {}, format="json").status_code
        assert status == (403 if read_only else 405), (who, method)

    # Reporting on UBND Đại Từ's assignment, three ways.
    dai_tu = rows["dai_tu"]
    expected = REPORTS_ON_DAI_TU[who]
    response = client.post(
        f"/api/v1/assignments/{dai_tu.pk}/progress-reports/",
        {"text": "Đã rà soát.", "percent": 30},
        format="json",
    )
    assert response.status_code == expected, (who, response.json())
    if read_only:
        assert response.json()["code"] == "token_read_only"
    if expected == 201:
        report = ProgressReport.objects.get(pk=response.json()["id"])
        assert (report.author, report.assignment_id, report.percent) == (user, dai_tu.pk, 30)
    response = client.post(
        f"/api/v1/assignments/{dai_tu.pk}/extension-requests/",
        {"requested_deadline": "2026-12-31", "reason": "Chờ số liệu."},
        format="json",
    )
    assert response.status_code == expected, (who, response.json())
    assert ExtensionRequest.objects.filter(assignment=dai_tu).exists() == (expected == 201)
    response = client.post(
        "/api/v1/progress-reports/",
        {"assignment_id": dai_tu.pk, "text": "Lần hai.", "percent": 40},
        format="json",
    )
    assert response.status_code == COLLECTION_ON_DAI_TU[who], (who, response.json())
    dai_tu.refresh_from_db()
    assert dai_tu.percent == (40 if expected == 201 else 10), who

    # The parser: coordinators only.
    response = client.post("/api/v1/directives/parse/", {"text": "1. Sở Y tế:\n\n- Báo cáo."}, format="json")
    if read_only:
        assert (response.status_code, response.json()["code"]) == (403, "token_read_only"), who
    else:
        assert response.status_code == (200 if who in COORDINATOR_ROLE else 403), who
    assert client.get("/api/v1/directives/parse/").status_code == (405 if who in COORDINATOR_ROLE else 403), (
        who
    )

    # What does not exist is a 404 for everyone.
    for url in (
        "/api/v1/directives/0/",
        "/api/v1/tasks/0/",
        "/api/v1/assignments/0/",
        "/api/v1/progress-reports/0/",
    ):
        assert client.get(url).status_code == 404, (who, url)


def test_a_district_officer_of_dai_tu_cannot_see_or_report_on_phu_binhs_assignment(world, dai_tu_officer):
    client = APIClient()
    client.force_authenticate(dai_tu_officer)
    phu_binh = world["assignments"]["phu_binh"]
    report = world["reports"]["phu_binh"]
    assert client.get(f"/api/v1/assignments/{phu_binh.pk}/").json()["code"] == "not_found"
    assert client.get(f"/api/v1/progress-reports/{report.pk}/").status_code == 404
    assert client.get("/api/v1/assignments/", {"agency": phu_binh.agency_id}).json()["count"] == 0
    assert client.get("/api/v1/progress-reports/", {"agency": phu_binh.agency_id}).json()["count"] == 0
    body = {"text": "Báo cáo thay.", "percent": 90}
    assert (
        client.post(f"/api/v1/assignments/{phu_binh.pk}/progress-reports/", body, format="json").status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/assignments/{phu_binh.pk}/extension-requests/",
            {"requested_deadline": "2026-12-31", "reason": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/progress-reports/", body | {"assignment_id": phu_binh.pk}, format="json"
        ).status_code
        == 404
    )
    # Naming Phú Bình's assignment in the body of a post to Đại Từ's writes nothing anywhere.
    own = world["assignments"]["dai_tu"]
    response = client.post(
        f"/api/v1/assignments/{own.pk}/progress-reports/",
        body | {"assignment_id": phu_binh.pk},
        format="json",
    )
    assert response.status_code == 400
    phu_binh.refresh_from_db()
    own.refresh_from_db()
    assert (phu_binh.percent, own.percent, ProgressReport.objects.count()) == (10, 10, 3)
    # The task's badge shows Phú Bình's status, not its id.
    task = client.get(f"/api/v1/tasks/{phu_binh.task_id}/").json()
    badge = next(row for row in task["assignments"] if row["agency_id"] == phu_binh.agency_id)
    assert badge == {
        "id": None,
        "agency_id": phu_binh.agency_id,
        "agency": "Ủy ban nhân dân huyện Phú Bình",
        "role": "lead",
        "status": "open_overdue",
    }


def test_a_department_officer_sees_and_reports_on_their_own_agencys_assignments_only(
    world, department_officer, seed_directive
):
    client = APIClient()
    client.force_authenticate(department_officer)
    own = Assignment.objects.filter(agency__code="so-giao-thong-van-tai")
    listed = client.get("/api/v1/assignments/").json()
    assert sorted(row["id"] for row in listed["results"]) == sorted(own.values_list("pk", flat=True))
    assert len(listed["results"]) == 3  # the three tasks of section 1, as "my agency's tasks" shows
    transport = world["assignments"]["transport"]
    response = client.post(
        f"/api/v1/assignments/{transport.pk}/progress-reports/",
        {"text": "Đã ban hành.", "percent": 70},
        format="json",
    )
    assert response.status_code == 201
    construction = assignment_of(seed_directive, "so-xay-dung", position=1)
    for url, body in (
        (f"/api/v1/assignments/{construction.pk}/progress-reports/", {"text": "x", "percent": 70}),
        ("/api/v1/progress-reports/", {"assignment_id": construction.pk, "text": "x", "percent": 70}),
    ):
        assert client.post(url, body, format="json").status_code == 404
    assert client.get(f"/api/v1/assignments/{construction.pk}/").status_code == 404
    construction.refresh_from_db()
    assert construction.percent == 0


def test_a_read_only_token_cannot_post_progress(world, issue_token, bearer):
    api = bearer(issue_token("vpdp-ntm-huyen-dai-tu", access=RO))
    own = world["assignments"]["dai_tu"]
    assert api.get(f"/api/v1/assignments/{own.pk}/").status_code == 200
    response = api.post(
        f"/api/v1/assignments/{own.pk}/progress-reports/", {"text": "x", "percent": 5}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "token_read_only")
    response = api.post(
        "/api/v1/progress-reports/", {"assignment_id": own.pk, "text": "x", "percent": 5}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (403, "token_read_only")
    assert ProgressReport.objects.count() == 3


def _every_url(world) -> list[tuple[str, tuple[str, ...]]]:
    own = world["assignments"]["dai_tu"]
    return [
        ("/api/v1/directives/", ("get",)),
        (f"/api/v1/directives/{world['directive'].pk}/", ("get",)),
        ("/api/v1/directives/parse/", ("post",)),
        ("/api/v1/tasks/", ("get",)),
        (f"/api/v1/tasks/{own.task_id}/", ("get",)),
        ("/api/v1/assignments/", ("get",)),
        (f"/api/v1/assignments/{own.pk}/", ("get",)),
        (f"/api/v1/assignments/{own.pk}/progress-reports/", ("post",)),
        (f"/api/v1/assignments/{own.pk}/extension-requests/", ("post",)),
        ("/api/v1/progress-reports/", ("get", "post")),
        (f"/api/v1/progress-reports/{world['reports']['dai_tu'].pk}/", ("get",)),
    ]


def test_no_credentials_is_401_on_every_route_and_method(world):
    anonymous = APIClient()
    for url, _methods in _every_url(world):
        for method in ("get", *UNSAFE):
            response = getattr(anonymous, method)(url, {}, format="json")
            assert (response.status_code, response.json()["code"]) == (401, "not_authenticated"), (
                method,
                url,
            )


def test_expired_and_revoked_tokens_are_401_on_every_route(world, issue_token, bearer, issuer):
    expiring = issue_token("vpdp-ntm-huyen-dai-tu", days=1)
    revoked = issue_token("vpdp-ntm-huyen-dai-tu")
    api_token_revoke(user=issuer, token=ApiToken.objects.get(prefix=revoked.split("_")[1]))
    with time_machine.travel(datetime.datetime(2026, 12, 2, 0, 0, 1, tzinfo=datetime.UTC)):
        for url, methods in _every_url(world):
            for method in methods:
                for key, code in ((expiring, "token_expired"), (revoked, "token_revoked")):
                    response = getattr(bearer(key), method)(url, {"text": "x", "percent": 1}, format="json")
                    assert (response.status_code, response.json()["code"]) == (401, code), (method, url)
