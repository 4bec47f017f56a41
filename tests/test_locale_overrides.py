"""Vietnamese for the strings of Django and its admin that Django's own Vietnamese
catalogues leave empty (``locale_overrides/vi/LC_MESSAGES``): the admin must not show
English to a coordinator, nor the REST API the messages of Django REST framework and
django-filter to a caller."""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

OVERRIDES = Path(settings.BASE_DIR) / "locale_overrides" / "vi" / "LC_MESSAGES"


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("- Select an option -", "- Chọn một mục -"),
        ("Null characters are not allowed.", "Không được dùng ký tự null."),
        ("Show counts", "Hiện số lượng"),
        ("Hide counts", "Ẩn số lượng"),
        ("Run", "Thực hiện"),
        ("Skip to main content", "Chuyển đến nội dung chính"),
        ("Toggle theme (current theme: auto)", "Đổi giao diện (giao diện hiện tại: tự động)"),
        ("Model name", "Tên mô hình dữ liệu"),
        ("Change reason", "Lý do thay đổi"),
    ],
)
def test_vietnamese_gettext_of_django_strings_comes_from_the_overrides(msgid, expected):
    with translation.override("vi"):
        assert translation.gettext(msgid) == expected
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_placeholders_and_plurals_of_the_overrides():
    with translation.override("vi"):
        assert translation.gettext("Search %(name)s") % {"name": "đơn vị"} == "Tìm kiếm đơn vị"
        assert translation.gettext("Pagination %(name)s") % {"name": "đơn vị"} == "Phân trang đơn vị"
        for count in (1, 3):
            assert translation.ngettext(
                "Please correct the error below.", "Please correct the errors below.", count
            ) == ("Hãy sửa lỗi dưới đây.")


def test_the_override_catalogues_are_vietnamese_complete_and_compiled():
    for name in ("django", "djangojs"):
        po = polib.pofile(str(OVERRIDES / f"{name}.po"))
        assert po.metadata["Language"] == "vi"
        assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
        assert "charset=UTF-8" in po.metadata["Content-Type"]
        assert po.percent_translated() == 100 and not po.fuzzy_entries()
        compiled = polib.mofile(str(OVERRIDES / f"{name}.mo"))
        assert {(e.msgctxt, e.msgid) for e in compiled} == {(e.msgctxt, e.msgid) for e in po}


def test_the_coordinators_admin_changelist_of_units_has_no_english_chrome(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:communes_administrativeunit_changelist"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    for english in ("Show counts", "Skip to main content", "Pagination", "Toggle theme", "Search "):
        assert english not in page, english
    assert "Chuyển đến nội dung chính" in page
    assert "Hiện số lượng" in page


def test_the_admin_index_change_form_and_history_have_no_english_chrome(client, coordinator):
    client.force_login(coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    for english in ("Model name", "Add link", "Change or view list link", "Skip to main content"):
        assert english not in index, english
    agency = coordinator.agency
    change = client.get(reverse("admin:accounts_agency_change", args=[agency.pk])).content.decode()
    assert "- Select an option -" not in change and "Breadcrumbs" not in change
    history = client.get(reverse("admin:accounts_agency_history", args=[agency.pk])).content.decode()
    for english in ("Changed by", "Change reason", "Choose a date from the list below"):
        assert english not in history, english


def test_the_admin_javascript_catalogue_says_the_time_zone_note_in_vietnamese(client, coordinator):
    client.force_login(coordinator)
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});", catalogue, re.S)
    messages = json.loads(found.group(1))
    ahead = "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)"
    assert messages[ahead] == [
        "Lưu ý: hãy nhập giờ theo múi giờ %(timezone)s. (Giờ của bạn nhanh hơn %(offset)s giờ.)"
    ]
    assert messages["Monday"] == "Thứ 2"
    assert messages["Today (%(date)s)"] == "Hôm nay (%(date)s)"


# --- The REST API: Django REST framework's and django-filter's messages ------------------
# DRF's Vietnamese catalogue translates a few of its strings, django-filter has none: the
# overrides translate the rest. A package upgrade that brings a new message fails here.

API_PACKAGES = ("rest_framework", "django_filters")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdrif]|%[sdrif]")
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _english(message) -> str:
    """The msgid of a lazy translation (what it says with no language active)."""
    with translation.override(None):
        return str(message)


def _class_messages() -> dict[str, str]:
    """Every message the API packages' classes carry as defaults: the fields',
    serializers' and relations' ``default_error_messages``, the exceptions'
    ``default_detail`` (and the throttle's waits), the validators', paginators',
    filters' and versioning schemes' messages; ``{msgid: where}``."""
    import importlib

    from django.utils.functional import Promise

    modules = [
        importlib.import_module(f"{package}.{name}")
        for package, names in {
            "rest_framework": (
                "fields",
                "serializers",
                "relations",
                "exceptions",
                "validators",
                "pagination",
                "filters",
                "versioning",
                "authentication",
            ),
            "django_filters": ("fields", "filters", "filterset", "widgets", "rest_framework"),
        }.items()
        for name in names
    ]
    classes = {cls for module in modules for cls in vars(module).values() if isinstance(cls, type)}
    from django import forms
    from rest_framework import exceptions, fields

    classes |= set(_subclasses(fields.Field)) | set(_subclasses(exceptions.APIException))
    classes |= set(_subclasses(forms.Field)) | set(_subclasses(forms.Widget))
    messages = {}
    for cls in classes:
        if not cls.__module__.startswith(API_PACKAGES):
            continue
        for name, value in vars(cls).items():
            found = value.values() if name == "default_error_messages" else [value]
            for message in found:
                if isinstance(message, Promise):
                    messages[_english(message)] = f"{cls.__module__}.{cls.__qualname__}.{name}"
    return messages


def _source_messages() -> dict[str, str]:
    """Every literal msgid of a gettext call in the API packages' Python code (the
    authentication's and widgets' messages are inline); ``{msgid: file:line}``."""
    import ast
    import importlib

    messages = {}
    for package in API_PACKAGES:
        root = Path(importlib.import_module(package).__file__).parent
        for path in sorted(root.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in GETTEXT_CALLS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    messages[node.args[0].value] = f"{path.relative_to(root.parent)}:{node.lineno}"
    return messages


def test_every_default_message_of_drf_and_django_filter_classes_is_vietnamese():
    messages = _class_messages()
    # The walk finds what it must (else it would pass on nothing).
    for msgid in (
        "A valid integer is required.",
        "Ensure this field has no more than {max_length} characters.",
        'Invalid pk "{pk_value}" - object does not exist.',
        "Invalid data. Expected a dictionary, but got {datatype}.",
        "Authentication credentials were not provided.",
        "This field must be unique.",
        "Invalid page.",
        'Invalid version in "Accept" header.',
        "Range query expects two values.",
        "Select a lookup.",
    ):
        assert msgid in messages, msgid
    english = []
    with translation.override("vi"):
        for msgid, where in sorted(messages.items()):
            vietnamese = translation.gettext(msgid)
            if vietnamese == msgid:
                english.append(f"{where}: {msgid}")
            assert sorted(PLACEHOLDER.findall(vietnamese)) == sorted(PLACEHOLDER.findall(msgid)), msgid
    assert not english, "\n".join(english)


def test_every_gettext_string_of_drf_and_django_filter_sources_is_vietnamese():
    messages = _source_messages()
    assert len(messages) > 150
    assert {"Invalid token.", 'Expected a list of items but got type "{input_type}".', "is in range"} <= set(
        messages
    )
    english = []
    with translation.override("vi"):
        for msgid, where in sorted(messages.items()):
            vietnamese = translation.gettext(msgid)
            if vietnamese == msgid:
                english.append(f"{where}: {msgid}")
            assert sorted(PLACEHOLDER.findall(vietnamese)) == sorted(PLACEHOLDER.findall(msgid)), msgid
    assert not english, "\n".join(english)


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("A valid integer is required.", "Cần một số nguyên hợp lệ."),
        (
            "Ensure this field has no more than {max_length} characters.",
            "Trường này không được vượt quá {max_length} ký tự.",
        ),
        (
            "Ensure this value is less than or equal to {max_value}.",
            "Giá trị này phải nhỏ hơn hoặc bằng {max_value}.",
        ),
        (
            'Invalid pk "{pk_value}" - object does not exist.',
            "Khóa chính “{pk_value}” không hợp lệ: đối tượng không tồn tại.",
        ),
        ("Authentication credentials were not provided.", "Chưa cung cấp thông tin xác thực."),
        ("Range query expects two values.", "Truy vấn theo khoảng cần đúng hai giá trị."),
        ("%s (descending)", "%s (giảm dần)"),
    ],
)
def test_drf_and_django_filter_messages_come_from_the_overrides(msgid, expected):
    with translation.override("vi"):
        assert translation.gettext(msgid) == expected
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_an_api_body_refused_by_drfs_own_fields_is_told_in_vietnamese(client, coordinator):
    from criteria.models import CriteriaSet

    client.force_login(coordinator)
    criteria_set = CriteriaSet.objects.create(code="test-set", name="Bộ thử", level="standard")
    url = f"/api/v1/criteria-sets/{criteria_set.pk}/copy/"
    body = {"code": "x" * 61, "name": None, "province_id": "abc", "decision": ["a"]}
    response = client.post(url, body, content_type="application/json", headers={"Accept-Language": "vi"})
    assert response.status_code == 400
    assert {error["field"]: error["detail"] for error in response.json()["errors"]} == {
        "code": "Trường này không được vượt quá 60 ký tự.",
        "name": "Trường này không được để null.",
        "province_id": "Cần một số nguyên hợp lệ.",
        "decision": "Không phải là chuỗi ký tự hợp lệ.",
    }
    not_an_object = client.post(url, [1, 2], content_type="application/json")
    assert not_an_object.status_code == 400
    assert [error["detail"] for error in not_an_object.json()["errors"]] == [
        "Dữ liệu không hợp lệ. Cần một từ điển (đối tượng JSON), nhưng nhận được list."
    ]
    assert CriteriaSet.objects.count() == 1


def test_a_bad_choice_filter_of_an_api_list_is_told_in_vietnamese(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/api/v1/units/", {"level": "planet"}, headers={"Accept-Language": "vi"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "level",
            "code": "invalid_choice",
            "detail": "Hãy chọn một lựa chọn hợp lệ: “planet” không có trong danh sách.",
        }
    ]
