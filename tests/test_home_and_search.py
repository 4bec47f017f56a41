"""The province tree on a chosen day, and accent-insensitive unit search."""

import unicodedata
from urllib.parse import quote

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_before_the_reform_shows_9_districts_with_xa_and_phuong_counts(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home"), {"on": "2025-01-01"}).content.decode()
    assert "Cơ cấu có hiệu lực ngày 01/01/2025." in page
    assert "9 đơn vị cấp huyện" in page
    assert "172 đơn vị cấp xã" in page
    assert "121 xã" in page
    assert "51 phường, thị trấn" in page
    for district in ["Huyện Đại Từ", "Huyện Phú Bình", "Thành phố Thái Nguyên", "Huyện Đồng Hỷ"]:
        assert district in page


def test_home_after_the_reform_shows_92_communes_and_no_district(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home"), {"on": "2025-08-01"}).content.decode()
    assert "92 đơn vị cấp xã" in page
    assert "đơn vị cấp huyện" not in page
    assert "Trực thuộc tỉnh" in page


def test_home_defaults_to_today_in_ho_chi_minh_time(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Cơ cấu có hiệu lực ngày 30/11/2026." in page


def test_home_with_a_bad_date_says_so_and_shows_today(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("home"), {"on": "31/02/2025"}).content.decode()
    assert "Nhập một ngày hợp lệ." in page
    assert "Cơ cấu có hiệu lực ngày 30/11/2026." in page


def test_home_htmx_request_returns_only_the_tree(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("home"), {"on": "2025-01-01"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="tree">')
    assert "<nav" not in body


def test_district_officer_tree_shows_only_their_district_before_the_reform(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    page = client.get(reverse("home"), {"on": "2025-01-01"}).content.decode()
    assert "Huyện Đại Từ" in page
    assert "Huyện Phú Bình" not in page
    assert "27 đơn vị cấp xã" in page


def test_district_officer_tree_after_the_reform_explains_why_it_is_empty(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    # Without a day they land on 30/06/2025, their district's last day (test_foundation_fixes).
    page = client.get(reverse("home"), {"on": "30/11/2026"}).content.decode()
    assert "Cấp huyện đã kết thúc hoạt động từ ngày 01/07/2025" in page


def test_home_tree_query_count_does_not_depend_on_the_number_of_units(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(8):  # 7, and the navigation bar reads the user's roles once
        client.get(reverse("home"), {"on": "2025-01-01"})


@pytest.mark.parametrize(
    "query",
    ["dong hy", "Đồng Hỷ", unicodedata.normalize("NFD", "Đồng Hỷ"), "ĐỒNG HỶ", "  đong   hy "],
    ids=["ascii", "nfc", "nfd", "upper", "spaces"],
)
def test_search_finds_dong_hy_with_or_without_accents(client, coordinator, query):
    client.force_login(coordinator)
    page = client.get(reverse("unit-search") + "?q=" + quote(query)).content.decode()
    assert "Huyện Đồng Hỷ" in page
    assert "Xã Đồng Hỷ" in page


def test_search_stays_inside_the_scope(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    page = client.get(reverse("unit-search"), {"q": "dong hy"}).content.decode()
    assert "Huyện Đồng Hỷ" not in page
    assert "Xã Đồng Hỷ" not in page
    assert "Không có đơn vị nào trong phạm vi của bạn khớp." in page
    page = client.get(reverse("unit-search"), {"q": "phuc luong"}).content.decode()
    assert "Xã Phúc Lương" in page


def test_search_htmx_returns_the_results_fragment(client, coordinator):
    client.force_login(coordinator)
    body = client.get(
        reverse("unit-search"), {"q": "dai tu"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "Huyện Đại Từ" in body
