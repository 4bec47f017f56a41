"""Vietnamese for the strings of Django and its admin that Django's own Vietnamese
catalogues leave empty (``locale_overrides/vi/LC_MESSAGES``): the admin must not show
English to a coordinator."""

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
