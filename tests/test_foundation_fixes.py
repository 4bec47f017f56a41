"""What a tester found wrong with the foundation pages, and how it reads now.

Time is frozen at 30/11/2026 (after the 2025 reform) unless a test says otherwise.
"""

import re
import unicodedata

import pytest
from django.urls import reverse

from accounts.admin import AgencyAdmin
from communes.models import AdministrativeUnit
from communes.selectors import unit_search
from core.text import clean, fold, vi_sort_key
from tests.conftest import unit

pytestmark = pytest.mark.django_db


def commune(name, *, current=False):
    return AdministrativeUnit.objects.get(name=name, valid_until__isnull=current)


def texts(page, testid):
    """The texts of the links inside the element marked ``data-testid=testid``."""
    block = re.search(rf'data-testid="{testid}">(.*?)</ul>', page, re.S).group(1)
    return re.findall(r"<a [^>]*>([^<]+)</a>", block)


# --- 1. Login ---------------------------------------------------------------------------


def test_an_empty_login_says_in_vietnamese_which_fields_are_missing(client):
    page = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Tên đăng nhập: Trường này là bắt buộc." in page
    assert "Mật khẩu: Trường này là bắt buộc." in page
    assert page.count("is-invalid") == 2


def test_a_wrong_password_says_so(client, coordinator):
    page = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"}).content.decode()
    assert "Vui lòng điền vào" in page and "mật khẩu chính xác" in page
    assert 'value="coordinator"' in page


# --- 2. The hamlet form -------------------------------------------------------------------


def test_a_hamlet_of_a_kind_that_is_not_offered_is_refused_with_the_field_named(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Phú Bình", current=True)
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": "Xóm Mới", "kind": "tinh"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Loại: Hãy chọn một lựa chọn hợp lệ: “tinh” không có trong danh sách." in page
    assert re.search(r'<select name="kind" class="form-select is-invalid"', page)
    assert not target.children.exists()


def test_the_hamlet_kind_is_a_bootstrap_select(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Phú Bình", current=True)
    page = client.get(reverse("unit-detail", args=[target.pk])).content.decode()
    assert '<select name="kind" class="form-select"' in page


def test_a_duplicate_hamlet_is_refused_naming_the_hamlet_that_is_there(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Đại Từ", current=True)
    client.post(reverse("unit-detail", args=[target.pk]), {"name": "Xóm Đồng Tâm", "kind": "xom"})
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": "xom dong tam", "kind": "xom"})
    assert "Tên xóm: Xã Đại Từ đã có xóm Xóm Đồng Tâm." in response.content.decode()
    assert target.children.count() == 1


def test_a_duplicate_residential_group_is_called_a_residential_group(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Đại Từ", current=True)
    client.post(reverse("unit-detail", args=[target.pk]), {"name": "Tổ dân phố 1", "kind": "to_dan_pho"})
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": "to dan pho 1", "kind": "xom"})
    assert "Tên xóm: Xã Đại Từ đã có tổ dân phố Tổ dân phố 1." in response.content.decode()


# --- 3. Invisible characters and punctuation --------------------------------------------


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\x00", "\x07", "\x7f"]
)
def test_clean_drops_zero_width_and_control_characters(invisible):
    assert clean(f"Xóm{invisible} Đồng Tâm{invisible}") == "Xóm Đồng Tâm"
    assert clean(f"Xóm Đồng{invisible}Tâm") == "Xóm ĐồngTâm"


def test_clean_turns_tabs_and_newlines_into_one_space():
    assert clean("Xóm\t\r\nĐồng Tâm") == "Xóm Đồng Tâm"


def test_clean_drops_a_zero_width_space_between_a_letter_and_its_accent():
    assert clean("Ho\u200b\u0300a") == "Hòa"


def test_fold_turns_hyphens_and_punctuation_between_words_into_spaces():
    assert fold("đồng-hỷ") == "dong hy"
    assert fold("Đồng – Hỷ") == "dong hy"
    assert fold("Đồng - Hỷ") == "dong hy"
    assert fold("Đồng.Hỷ") == fold("Đồng/Hỷ") == fold("Đồng_Hỷ") == "dong hy"
    assert fold("Đồng\u200bHỷ") == "donghy"


def test_fold_keeps_punctuation_that_does_not_join_two_words():
    # The directive parser matches "Các Sở, ngành", "Số: 58/TB-UBND" character by character.
    assert fold("Các Sở, ngành:") == "cac so, nganh:"
    assert [fold(ch) for ch in "58/TB-UBND"] == list("58/tb-ubnd")


def test_search_for_a_hyphenated_name_finds_dong_hy(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-search"), {"q": "đồng-hỷ"}).content.decode()
    assert "Huyện Đồng Hỷ" in page
    assert "Xã Đồng Hỷ" in page


def test_search_with_zero_width_characters_finds_the_unit_and_shows_them_gone(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-search"), {"q": "\ufeffđồng\u200b hỷ"}).content.decode()
    assert "Huyện Đồng Hỷ" in page
    assert 'value="đồng hỷ"' in page


def test_a_search_for_a_null_character_gets_no_english_error(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("unit-search"), {"q": "\x00"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Null characters" not in page
    assert "alert-danger" not in page
    page = client.get(reverse("unit-search"), {"q": "dong\x00 hy"}).content.decode()
    assert "Huyện Đồng Hỷ" in page


def test_a_hamlet_name_with_invisible_characters_is_stored_without_them(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Đại Từ", current=True)
    response = client.post(
        reverse("unit-detail", args=[target.pk]),
        {"name": "\u200bXóm\x00 Đồng\u2060 Tâm\ufeff", "kind": "xom"},
    )
    assert response.status_code == 302
    assert target.children.get().name == "Xóm Đồng Tâm"


def test_a_hamlet_name_of_only_invisible_characters_is_refused_as_empty(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Đại Từ", current=True)
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": "\x00\u200b", "kind": "xom"})
    assert "Tên xóm: Trường này là bắt buộc." in response.content.decode()
    assert not target.children.exists()


# --- 4. Long names wrap: tests/browser/test_home_browser.py, in a real browser --------


# --- 5. The unit page ------------------------------------------------------------------------


def test_a_district_officer_sees_the_province_in_the_breadcrumb_as_text_not_a_404_link(
    client, dai_tu_officer
):
    client.force_login(dai_tu_officer)
    page = client.get(reverse("unit-detail", args=[commune("Xã Phúc Lương").pk])).content.decode()
    breadcrumb = re.search(r'<ol class="breadcrumb">(.*?)</ol>', page, re.S).group(1)
    assert "Tỉnh Thái Nguyên" in breadcrumb
    assert reverse("unit-detail", args=[unit("19", current=True).pk]) not in breadcrumb
    assert f'<a href="{reverse("unit-detail", args=[unit("171").pk])}">Huyện Đại Từ</a>' in breadcrumb


def test_the_coordinator_gets_every_ancestor_as_a_link(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-detail", args=[commune("Xã Phúc Lương").pk])).content.decode()
    assert (
        f'<a href="{reverse("unit-detail", args=[unit("19", current=True).pk])}">Tỉnh Thái Nguyên</a>' in page
    )


def test_the_breadcrumb_asks_which_ancestors_are_in_scope_in_one_query(
    dai_tu_officer, django_assert_num_queries
):
    from accounts.scope import unit_scope
    from communes.selectors import visible_unit_ids

    ancestors = [unit("19", current=True), unit("171")]
    visible = unit_scope(dai_tu_officer)
    with django_assert_num_queries(1):
        ids = visible_unit_ids(visible=visible, units=ancestors)
    assert ids == {unit("171").pk}


def test_a_closed_unit_says_until_when_it_was_in_force(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-detail", args=[commune("Xã Phúc Lương").pk])).content.decode()
    assert "hiệu lực đến hết 30/06/2025" in page
    assert "hết hiệu lực từ" not in page


def test_search_results_say_until_when_a_closed_unit_was_in_force(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-search"), {"q": "phuc luong"}).content.decode()
    assert "hiệu lực đến hết 30/06/2025" in page


def test_coordinates_are_separated_by_a_semicolon(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-detail", args=[commune("Xã Phú Bình", current=True).pk])).content.decode()
    assert "21,473400; 105,956000" in page


# --- 6. The province tree ------------------------------------------------------------------


def test_a_day_before_the_recorded_structure_warns_that_the_tree_shows_the_later_one(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home"), {"on": "01/01/2020"}).content.decode()
    assert "Dữ liệu chỉ có cơ cấu đơn vị hành chính có hiệu lực từ ngày 01/12/2024" in page
    assert "cơ cấu giai đoạn 01/12/2024–30/06/2025" in page
    assert "172 đơn vị cấp xã" in page


@pytest.mark.parametrize("day", ["01/12/2024", "30/06/2025", "01/07/2025"])
def test_no_warning_from_the_first_recorded_day_on(client, coordinator, day):
    client.force_login(coordinator)
    page = client.get(reverse("home"), {"on": day}).content.decode()
    assert 'data-testid="before-records"' not in page


def test_a_district_officer_lands_on_the_last_day_of_their_district(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    page = client.get(reverse("home")).content.decode()
    assert "Cơ cấu có hiệu lực ngày 30/06/2025." in page
    assert "Huyện Đại Từ có hiệu lực đến hết ngày 30/06/2025" in page
    assert "27 đơn vị cấp xã" in page
    assert 'value="30/06/2025"' in page


def test_a_district_officer_who_chooses_today_gets_the_explanation(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    page = client.get(reverse("home"), {"on": "30/11/2026"}).content.decode()
    assert "Cấp huyện đã kết thúc hoạt động từ ngày 01/07/2025" in page


def test_the_coordinator_still_lands_on_today(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Cơ cấu có hiệu lực ngày 30/11/2026." in page
    assert 'data-testid="scope-closed"' not in page


def test_a_bad_date_is_kept_as_typed_with_the_error(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home"), {"on": "31/02/2025"}).content.decode()
    assert "Nhập một ngày hợp lệ." in page
    assert 'value="31/02/2025"' in page
    assert "Cơ cấu có hiệu lực ngày 30/11/2026." in page


def test_a_bad_date_from_a_district_officer_shows_their_default_day(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    page = client.get(reverse("home"), {"on": "hôm qua"}).content.decode()
    assert "Nhập một ngày hợp lệ." in page
    assert 'value="hôm qua"' in page
    assert "Cơ cấu có hiệu lực ngày 30/06/2025." in page


def test_the_first_column_says_district_only_when_there_are_districts(client, coordinator):
    client.force_login(coordinator)
    before = client.get(reverse("home"), {"on": "01/01/2025"}).content.decode()
    assert "<thead><tr><th>Huyện</th>" in before
    after = client.get(reverse("home"), {"on": "01/08/2025"}).content.decode()
    assert "<thead><tr><th>Trực thuộc</th>" in after
    assert "<th>Huyện</th>" not in after


# --- 7. Vietnamese alphabetical order -------------------------------------------------------


def test_vi_sort_key_follows_the_vietnamese_alphabet():
    names = ["Xã Tân Thành", "Xã Úc Kỳ", "Xã Đào Xá", "Xã Tân Đức", "Xã Dương Thành", "Xã Điềm Thụy"]
    assert sorted(names, key=vi_sort_key) == [
        "Xã Dương Thành",
        "Xã Đào Xá",
        "Xã Điềm Thụy",
        "Xã Tân Đức",
        "Xã Tân Thành",
        "Xã Úc Kỳ",
    ]


def test_vi_sort_key_orders_the_vowels_with_their_marks():
    assert sorted(["Ư", "Ơ", "Ô", "O", "U", "Ê", "E", "Â", "Ă", "A"], key=vi_sort_key) == [
        "A", "Ă", "Â", "E", "Ê", "O", "Ô", "Ơ", "U", "Ư",
    ]  # fmt: skip


def test_vi_sort_key_compares_tones_only_when_the_letters_are_equal():
    assert sorted(["bạ", "bá", "bã", "bả", "bà", "ba"], key=vi_sort_key) == [
        "ba",
        "bà",
        "bả",
        "bã",
        "bá",
        "bạ",
    ]
    assert sorted(["Bàn", "Bá", "Ba"], key=vi_sort_key) == ["Ba", "Bá", "Bàn"]
    assert sorted(["Xã Tân Đức", "Xã Tân"], key=vi_sort_key) == ["Xã Tân", "Xã Tân Đức"]


def test_vi_sort_key_is_the_same_for_every_unicode_spelling_and_tone_placement():
    assert vi_sort_key(unicodedata.normalize("NFD", "Xã Đồng Hỷ")) == vi_sort_key("Xã Đồng Hỷ")
    assert vi_sort_key("Hòa")[:2] == vi_sort_key("Hoà")[:2]


def test_vi_sort_key_puts_numbers_in_numeric_order():
    assert sorted(["Xóm 10", "Xóm 2", "Xóm 1"], key=vi_sort_key) == ["Xóm 1", "Xóm 2", "Xóm 10"]


PHU_BINH_COMMUNES_IN_ORDER = [
    "Thị trấn Hương Sơn",
    "Xã Bàn Đạt",
    "Xã Bảo Lý",
    "Xã Dương Thành",
    "Xã Đào Xá",
    "Xã Điềm Thụy",
    "Xã Hà Châu",
    "Xã Kha Sơn",
    "Xã Lương Phú",
    "Xã Nga My",
    "Xã Nhã Lộng",
    "Xã Tân Đức",
    "Xã Tân Hòa",
    "Xã Tân Khánh",
    "Xã Tân Kim",
    "Xã Tân Thành",
    "Xã Thanh Ninh",
    "Xã Thượng Đình",
    "Xã Úc Kỳ",
    "Xã Xuân Phương",
]


def test_phu_binhs_communes_are_in_vietnamese_order_in_the_tree(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home"), {"on": "01/01/2025"}).content.decode()
    row = next(row for row in page.split('data-testid="district-row"') if ">Huyện Phú Bình</a>" in row)
    names = re.findall(r'<li class="list-inline-item"><a [^>]*>([^<]+)</a>', row)
    assert names == PHU_BINH_COMMUNES_IN_ORDER


def test_phu_binhs_communes_are_in_vietnamese_order_on_its_page(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-detail", args=[unit("173").pk])).content.decode()
    assert texts(page, "children") == PHU_BINH_COMMUNES_IN_ORDER


def test_search_results_are_in_vietnamese_order(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-search"), {"q": "xa tan"}).content.decode()
    rows = re.findall(
        r'data-testid="search-result"><td><a [^>]*>([^<]+)</a>.*?<td>([^<]+)</td></tr>', page, re.S
    )
    closed = [name for name, status in rows if status == "hiệu lực đến hết 30/06/2025"]
    assert closed.index("Xã Tân Đức") < closed.index("Xã Tân Hòa") < closed.index("Xã Tân Thành")
    assert closed == sorted(closed, key=vi_sort_key)


def test_search_chooses_its_first_matches_in_vietnamese_order():
    closed_xa = AdministrativeUnit.objects.filter(valid_until__isnull=False, kind="xa")
    found = unit_search(visible=closed_xa, text="xa", limit=10)
    every = sorted(closed_xa.values_list("name", flat=True), key=vi_sort_key)
    assert [row.name for row in found.units] == every[:10]
    assert found.total == closed_xa.count()


# --- 8. Search beyond the limit -----------------------------------------------------------


def test_a_search_with_too_many_matches_says_how_many_there_are(client, coordinator):
    client.force_login(coordinator)
    total = AdministrativeUnit.objects.search("xa").count()
    assert total > 50
    page = client.get(reverse("unit-search"), {"q": "xa"}).content.decode()
    assert (
        f"Đang hiển thị 50 kết quả đầu tiên trong số {total} kết quả khớp; hãy thu hẹp từ khóa tìm kiếm."
        in page
    )
    assert page.count('data-testid="search-result"') == 50


def test_a_search_within_the_limit_says_nothing_about_it(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("unit-search"), {"q": "dong hy"}).content.decode()
    assert 'data-testid="search-truncated"' not in page


def test_search_takes_two_queries_whatever_the_number_of_matches(coordinator, django_assert_num_queries):
    from accounts.scope import unit_scope

    visible = unit_scope(coordinator)
    with django_assert_num_queries(2):
        found = unit_search(visible=visible, text="xa")
    assert found.total > 50 and len(found.units) == 50


# --- 9. Agency codes are typed by hand -------------------------------------------------------


def test_the_agency_admin_does_not_prepopulate_the_code(client, coordinator):
    assert not AgencyAdmin.prepopulated_fields
    client.force_login(coordinator)
    response = client.get(reverse("admin:accounts_agency_add"))
    assert response.status_code == 200
    assert 'data-prepopulated-fields="[]"' in response.content.decode()
