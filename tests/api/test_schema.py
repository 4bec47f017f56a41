"""The API's OpenAPI schema: valid, public, every error documented, and true of the API.

* drf-spectacular's own validation (`manage.py spectacular --validate --fail-on-warn`).
* Every operation documents 400, 401, 403, 404 and 429 in the one error format; every
  write also 409 and 412 (core.api.schema.PortalAutoSchema adds them).
* Schemathesis against the running application (in-process, over WSGI) with a
  read-write coordinator key, one test per operation the schema holds when the tests are
  collected: generated requests, valid and invalid, never get a 5xx, and every answer
  is documented (status code, content type, body matching its schema).
"""

import io
import os
import re

import hypothesis
import pytest
import schemathesis
import time_machine
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client as WerkzeugClient

from ntm_portal.wsgi import application
from tests.conftest import NOW

READ_ERRORS = {"400", "401", "403", "404", "429"}
WRITE_ERRORS = {"409", "412"}
METHODS = ("get", "post", "put", "patch", "delete")

# The schema as the application serves it, loaded when the tests are collected (so that
# there is one test per operation; schemathesis' from_fixture does not work with
# pytest 9.2). Bounded for CI: the fuzzing phase only (valid and invalid requests, at
# most about 900 in all, 5 to 25 per operation, however many operations the API grows
# to), with a fixed seed so that every run sends the same requests. By hand,
# NTM_SCHEMATHESIS_FULL=1 adds schemathesis' coverage phase (every boundary and invalid
# value of every parameter: many thousand requests) and 100 examples per operation, and
# NTM_SCHEMATHESIS_SEED=<n> explores other requests.
FULL = os.environ.get("NTM_SCHEMATHESIS_FULL") == "1"
SCHEMA = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json",
    application,
    config=schemathesis.Config.from_dict(
        {
            "seed": int(os.environ.get("NTM_SCHEMATHESIS_SEED", "20261130")),
            "phases": {"coverage": {"enabled": FULL}, "stateful": {"enabled": False}},
        }
    ),
)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
EXAMPLES = 100 if FULL else max(5, min(25, 900 // max(len(OPERATIONS), 1)))


def _generated_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def test_the_schema_is_valid_openapi_with_no_warning():
    GENERATOR_STATS.reset()
    out, err = io.StringIO(), io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=err)
    assert out.getvalue().startswith("openapi: 3.0.3")
    assert err.getvalue() == ""


def test_every_operation_documents_the_errors_in_the_one_format():
    schema = _generated_schema()
    missing = {}
    for method, path, operation in _operations(schema):
        needed = READ_ERRORS | (WRITE_ERRORS if method != "get" else set())
        lacking = sorted(needed - set(operation["responses"]))
        not_the_format = sorted(
            status
            for status in needed & set(operation["responses"])
            if operation["responses"][status]["content"]["application/json"]["schema"]
            != {"$ref": "#/components/schemas/Error"}
        )
        if lacking or not_the_format:
            missing[f"{method.upper()} {path}"] = {"lacking": lacking, "other format": not_the_format}
    assert missing == {}
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "detail", "errors"}


def _texts(node, path=""):
    """(where, text) of every description and summary in the schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                yield f"{path}/{key}", value
            yield from _texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{path}[{index}]")


def test_every_operation_has_a_vietnamese_summary_and_no_docstring_is_published():
    from django.utils import translation

    with translation.override("vi"):
        schema = _generated_schema()
    unnamed = [
        f"{method} {path}" for method, path, operation in _operations(schema) if not operation.get("summary")
    ]
    assert unnamed == []
    # Words of English prose with no Vietnamese letter: a developer's docstring.
    english = [
        (where, text[:60])
        for where, text in _texts(schema)
        if text.isascii() and re.search(r"\b(the|of|and|with|caller)\b", text)
    ]
    assert english == []


def test_the_schema_and_the_documentation_are_public_and_in_vietnamese(client, settings):
    settings.NTM_API_RATE = "600/minute"
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    info = response.json()["info"]
    assert info["title"] == "API Cổng NTM"
    for words in (
        "Authorization: Bearer ntm_",
        "[/tokens/](/tokens/)",
        "`token_read_only`",
        "`precondition_failed`",
        "`page_size` mặc định là 50 và tối đa 500",
        "trả về 404",
        "`ordering=-deadline,id`",
        "`search=dong hy`",
        "`updated_since=",
        "`If-Match`",
        "429 `throttled` kèm `Retry-After`",
        "600 lời gọi mỗi phút",
    ):
        assert words in info["description"]
    # Each tag named as people call its resource (the model's plural name).
    tags = response.json()["tags"]
    assert {"name": "units", "x-displayName": "Đơn vị hành chính", "description": "Đơn vị hành chính"} in tags
    assert [tag["name"] for tag in tags] == sorted(
        {tag for item in response.json()["paths"].values() for op in item.values() for tag in op["tags"]}
    )
    english = client.get("/api/v1/schema/", {"format": "json", "lang": "en"}).json()["info"]
    assert english["title"] == "NTM Portal API"
    assert "Every error answers JSON in one format" in english["description"]
    # Served as YAML by default, with a plain file name.
    yaml = client.get("/api/v1/schema/")
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml["Content-Disposition"] == 'inline; filename="NTM Portal API.yaml"'
    for page, title in (
        ("/api/v1/docs/", "API Cổng NTM · Swagger UI"),
        ("/api/v1/redoc/", "API Cổng NTM · ReDoc"),
    ):
        html = client.get(page)
        assert html.status_code == 200
        assert f"<title>{title}</title>" in html.content.decode()
        assert 'lang="vi"' in html.content.decode()


def test_the_documentation_pages_load_nothing_from_another_host_and_keep_the_csp(client):
    swagger = client.get("/api/v1/docs/")
    redoc = client.get("/api/v1/redoc/")
    for page in (swagger, redoc):
        body = page.content.decode()
        assert "http://" not in body and "https://" not in body and "//cdn" not in body
        assert "<style" not in body and "style=" not in body
        # Every script is a file of ours; the only inline one is ReDoc's JSON options.
        assert body.count("<script") == body.count('<script src="/') + body.count('type="application/json"')
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in swagger.content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in redoc.content.decode()
    policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
    assert swagger["Content-Security-Policy"].startswith(policy)
    # ReDoc's page alone: its styles by this response's nonce, its search worker from blob:.
    nonce = redoc.content.decode().split('nonce="')[1].split('"')[0]
    assert f"style-src 'self' 'nonce-{nonce}';" in redoc["Content-Security-Policy"]
    assert "worker-src 'self' blob:" in redoc["Content-Security-Policy"]
    assert "script-src 'self';" in redoc["Content-Security-Policy"]
    assert "unsafe-inline" not in redoc["Content-Security-Policy"]
    # The nonce is new on every answer.
    assert client.get("/api/v1/redoc/")["Content-Security-Policy"] != redoc["Content-Security-Policy"]


# --- Schemathesis ------------------------------------------------------------------


@pytest.fixture(scope="module")
def read_write_key(django_db_setup, django_db_blocker):
    """Data for every resource (the demo loaders, on the session's units) and a
    read-write key of the provincial coordination office, kept for this module's tests
    in one transaction that is rolled back after them (each test in a savepoint)."""
    import datetime

    from accounts.models import Agency, TokenAccess, User
    from accounts.services import api_token_issue, demo_users_ensure

    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            quiet = {"stdout": io.StringIO(), "verbosity": 0}
            # What `make demo` loads after the units and agencies, in its order.
            call_command("load_missing", "criteria_sets_national", "support_conditions_4781", **quiet)
            call_command("create_periods", *("--year", "2019", "--year", "2020"), **quiet)
            call_command("create_periods", *("--year", "2025", "--year", "2026"), **quiet)
            call_command("load_seed_directive", **quiet)
            call_command("load_missing", "agencies_2025", **quiet)
            call_command("load_commune_agencies", "--province", "19", **quiet)
            demo_users_ensure()
            for command in (
                "load_demo_assessments",
                "load_demo_funding",
                "load_demo_cycle",
                "load_demo_directives",
            ):
                call_command(command, **quiet)
            key = api_token_issue(
                user=User.objects.get(username="dieuphoi"),
                agency=Agency.objects.get(code="vpdp-ntm-tinh"),
                name="Kiểm thử schemathesis",
                access=TokenAccess.READ_WRITE,
                expires_on=NOW.date() + datetime.timedelta(days=30),
            ).key
            yield key
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def in_process_calls(db):
    """Calls straight into the WSGI application share the test's connection and
    transaction: do not let Django close it at the start and end of each request (as
    its own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_schemathesis_found_operations_to_test():
    assert len(OPERATIONS) >= 5
    assert {operation.label for operation in OPERATIONS} >= {"GET /api/v1/units/", "GET /api/v1/units/{id}/"}


_REAL_IDS: dict[str, list] = {}


def _real_ids(operation, key: str) -> list:
    """Ids of a few objects of the operation's collection (``/api/v1/units/`` for
    ``/api/v1/units/{id}/``), as the key lists them: random ids alone would only ever
    find a 404, never an object to answer or to change."""
    collection = operation.path.partition("{id}")[0]
    if collection == operation.path or "{" in collection:
        return []
    if collection not in _REAL_IDS:
        # Through the WSGI application as schemathesis calls it (Django's test client
        # would connect close_old_connections again, see in_process_calls).
        response = WerkzeugClient(application).get(
            collection, query_string={"page_size": 5}, headers={"Authorization": f"Bearer {key}"}
        )
        rows = response.get_json().get("results", []) if response.status_code == 200 else []
        _REAL_IDS[collection] = [row["id"] for row in rows if isinstance(row, dict) and "id" in row]
    return _REAL_IDS[collection]


@SCHEMA.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, read_write_key, in_process_calls, settings):
    settings.NTM_API_RATE = "100000/minute"
    # Every generated id that is even names a real object instead (deterministic, so
    # that Hypothesis can replay and shrink a failure).
    generated = (case.path_parameters or {}).get("id")
    whole = isinstance(generated, int) and not isinstance(generated, bool)
    ids = _real_ids(case.operation, read_write_key) if whole else []
    if ids and generated % 2 == 0:
        case.path_parameters["id"] = ids[(generated // 2) % len(ids)]
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {read_write_key}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
    # The key is accepted on every call (a refused key would make every answer a
    # documented 401 and this test pass without testing anything).
    assert response.status_code != 401, response.text
