"""Staffing of the coordination offices (issue 14; notice 58/TB-UBND of 06/07/2020 says the
district offices lack staff): everyone signed in reads the offices of their scope; a
provincial coordinator edits every row in one form, saved all together or not at all,
with the history naming who changed what, and a row someone else saved meanwhile refused."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency, AgencyKind
from accounts.roles import Role
from accounts.selectors import STAFFING_BASELINE_REASON, agency_version
from accounts.services import StaleStaffing, agency_staffing_update
from accounts.staffing import last_staffing_change, staffing_errors, staffing_shortfall, staffing_totals
from communes.models import AdministrativeUnit
from tests.conftest import make_user

PAGE = reverse("agency-staffing")
DAI_TU, PHU_BINH, PROVINCE = "vpdp-ntm-huyen-dai-tu", "vpdp-ntm-huyen-phu-binh", "vpdp-ntm-tinh"


# --- The rules, without a database ---------------------------------------------------


def test_counts_are_whole_numbers_from_0_to_999_or_empty():
    assert staffing_errors(None, None) == {}
    assert staffing_errors(0, 0) == {}
    assert staffing_errors(999, 999) == {}
    assert set(staffing_errors(1000, 2)) == {"required"}
    assert set(staffing_errors(3, -1)) == {"actual"}
    assert set(staffing_errors(2.5, 1)) == {"required"}
    assert set(staffing_errors(True, 1)) == {"required"}


def test_staff_in_post_may_exceed_the_staff_required_but_needs_it():
    assert staffing_errors(2, 5) == {}
    assert set(staffing_errors(None, 5)) == {"required"}
    assert staffing_errors(4, None) == {}  # the establishment known, the staff not yet counted


def test_the_shortfall_is_never_negative_and_unknown_without_both_counts():
    assert staffing_shortfall(5, 2) == 3
    assert staffing_shortfall(2, 5) == 0
    assert staffing_shortfall(5, None) is None


def test_the_last_change_skips_rows_that_did_not_change_the_counts_and_the_baseline():
    pairs = [(None, None), (3, 1), (3, 1), (5, 1), (5, 1)]
    assert last_staffing_change(pairs, [False] * 5) == 3
    assert last_staffing_change([(4, 2), (5, 2)], [True, False]) == 1
    assert last_staffing_change([(4, 2)], [True]) is None
    assert last_staffing_change([(None, None), (None, None)], [False, False]) is None


def test_the_totals_add_the_offices_that_reported_both_counts():
    totals = staffing_totals([(5, 2), (2, 4), (3, None), (None, None)])
    assert (totals.offices, totals.reported) == (4, 2)
    # 5 + 2 required, 2 + 4 in post, and 3 lacking: the office above its establishment
    # does not hide the other's lack.
    assert (totals.required, totals.actual, totals.shortfall) == (7, 6, 3)


# --- The page ------------------------------------------------------------------------


class _Inputs(HTMLParser):
    """The inputs of the staffing form, as a browser would send them: name -> value."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") and attributes.get("type") != "submit":
            self.values[attributes["name"]] = attributes.get("value") or ""


def _form_data(response) -> dict[str, str]:
    parser = _Inputs()
    parser.feed(response.content.decode())
    return {name: value for name, value in parser.values.items() if name != "csrfmiddlewaretoken"}


def _row_prefix(data: dict[str, str], code: str) -> str:
    """The form prefix ("staff-3") of the office ``code`` in the posted data."""
    pk = str(Agency.objects.get(code=code).pk)
    for name, value in data.items():
        if name.endswith("-agency") and value == pk:
            return name.removesuffix("-agency")
    raise AssertionError(f"no row for {code}")


def _edit(data: dict[str, str], code: str, required, actual) -> dict[str, str]:
    prefix = _row_prefix(data, code)
    return {**data, f"{prefix}-required": str(required), f"{prefix}-actual": str(actual)}


def _rows(response) -> dict[str, str]:
    """Each office's row (by agency code) as text, tags dropped, spaces collapsed."""
    html = response.content.decode()
    return {
        code: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for code, row in re.findall(
            r'(?s)<tr data-testid="staffing-row" data-agency="([^"]+)"(.*?)</tr>', html
        )
    }


def _counts(code: str) -> tuple[int | None, int | None]:
    agency = Agency.objects.get(code=code)
    return agency.ntm_staff_required, agency.ntm_staff_actual


@pytest.mark.django_db
def test_a_leader_reads_every_office_the_province_first_former_districts_marked(client, leader):
    Agency.objects.filter(code=DAI_TU).update(ntm_staff_required=5, ntm_staff_actual=2)
    client.force_login(leader)
    response = client.get(PAGE)
    assert response.status_code == 200
    rows = _rows(response)
    assert list(rows)[0] == PROVINCE
    assert len(rows) == 10
    assert "đang hiệu lực" in rows[PROVINCE]
    assert "đơn vị cũ, đến 30/06/2025" in rows[DAI_TU]
    # Required, in post, shortfall; an office that did not report shows dashes.
    assert "Văn phòng Điều phối nông thôn mới huyện Đại Từ" in rows[DAI_TU]
    assert re.search(r"\b5 2 3\b", rows[DAI_TU])
    assert re.search(r"— — —", rows[PHU_BINH])
    # Read only: no form, no inputs.
    assert response.context["formset"] is None
    assert 'name="staff-0-required"' not in response.content.decode()
    assert "Tổng các văn phòng đã báo cáo (1/10)" in response.content.decode()


@pytest.mark.django_db
def test_a_district_officer_reads_only_their_own_office(client, dai_tu_officer, commune_officer):
    client.force_login(dai_tu_officer)
    assert list(_rows(client.get(PAGE))) == [DAI_TU]
    client.force_login(commune_officer)
    page = client.get(PAGE).content.decode()
    assert "Không có Văn phòng Điều phối nào trong phạm vi của bạn." in page


@pytest.mark.django_db
def test_the_menu_links_the_staffing_page(client, leader):
    client.force_login(leader)
    assert f'href="{PAGE}" data-testid="menu-staffing"' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_coordinator_saves_several_rows_in_one_form(client, coordinator):
    client.force_login(coordinator)
    data = _form_data(client.get(PAGE))
    data = _edit(_edit(data, DAI_TU, 5, 2), PHU_BINH, 4, 6)
    response = client.post(PAGE, data)
    assert response.status_code == 302
    assert (_counts(DAI_TU), _counts(PHU_BINH)) == ((5, 2), (4, 6))
    page = client.get(PAGE)
    assert "Đã lưu số cán bộ của 2 văn phòng." in page.content.decode()
    # The row shows who changed it and when (the history), and the shortfall.
    row = _rows(page)[DAI_TU]
    assert "coordinator" in row and "30/11/2026 09:00" in row
    assert Agency.objects.get(code=DAI_TU).staff_shortfall == 3
    assert "chưa sửa trên cổng" in _rows(page)[PROVINCE]


@pytest.mark.django_db
def test_one_bad_row_saves_nothing_and_the_error_is_on_its_field(client, coordinator):
    client.force_login(coordinator)
    data = _form_data(client.get(PAGE))
    data = _edit(_edit(data, DAI_TU, 5, 2), PHU_BINH, "", 6)  # in post without required
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert (_counts(DAI_TU), _counts(PHU_BINH)) == ((None, None), (None, None))
    assert not Agency.history.filter(id=Agency.objects.get(code=DAI_TU).pk, history_user=coordinator).exists()
    html = response.content.decode()
    assert "Chưa lưu gì: hãy sửa các dòng được đánh dấu dưới đây." in html
    row = re.search(rf'<tr data-testid="staffing-row" data-agency="{PHU_BINH}".*?</tr>', html, re.S).group(0)
    assert (
        '<div class="invalid-feedback d-block text-start" data-testid="staffing-required-error">'
        "Số cán bộ cần có: hãy nhập cả số này khi đã nhập số cán bộ hiện có.</div>"
    ) in row
    # The values typed come back in the form.
    assert re.search(r'name="staff-\d+-actual" value="6"', row)


@pytest.mark.django_db
def test_a_count_out_of_range_or_not_whole_is_refused_on_its_field(client, coordinator):
    client.force_login(coordinator)
    data = _edit(_form_data(client.get(PAGE)), DAI_TU, 1000, "2,5")
    response = client.post(PAGE, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Số cán bộ hiện có: hãy nhập một số nguyên." in html
    data = _edit(_form_data(client.get(PAGE)), DAI_TU, 1000, 2)
    html = client.post(PAGE, data).content.decode()
    assert "Số cán bộ cần có: hãy nhập một số nguyên từ 0 đến 999." in html
    assert _counts(DAI_TU) == (None, None)


def _last_two(agency):
    """The agency's two latest history rows, oldest first, by history id (the session's
    fixture loading wrote its first row at the real time, after the tests' frozen clock)."""
    return agency.history.order_by("-history_id")[:2][::-1]


@pytest.mark.django_db
def test_the_history_records_who_changed_the_counts_from_what_to_what(coordinator):
    other = make_user("other_coordinator", Role.COORDINATOR, PROVINCE)
    agency = Agency.objects.get(code=DAI_TU)
    agency_staffing_update(user=other, agency=agency, required=4, actual=2)
    assert agency_staffing_update(user=coordinator, agency=agency, required=5, actual=2) is True
    before, latest = _last_two(agency)
    assert (before.history_user, before.ntm_staff_required, before.ntm_staff_actual) == (other, 4, 2)
    assert (latest.history_user, latest.ntm_staff_required, latest.ntm_staff_actual) == (coordinator, 5, 2)
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(before).changes}
    assert changes == {"ntm_staff_required": (4, 5)}
    # The same counts again write nothing.
    rows = agency.history.count()
    assert agency_staffing_update(user=coordinator, agency=agency, required=5, actual=2) is False
    assert agency.history.count() == rows


@pytest.mark.django_db
def test_an_office_with_no_history_yet_gets_its_old_counts_recorded_first(client, coordinator):
    """An office loaded without history (``loaddata``) and counts set outside the portal:
    the first change records the counts as they stood, then the change."""
    agency = Agency.objects.get(code=DAI_TU)
    agency.history.all().delete()
    Agency.objects.filter(pk=agency.pk).update(ntm_staff_required=4, ntm_staff_actual=2)
    agency_staffing_update(user=coordinator, agency=agency, required=5, actual=2)
    before, latest = _last_two(agency)
    assert (before.history_change_reason, before.history_user, before.ntm_staff_required) == (
        STAFFING_BASELINE_REASON,
        None,
        4,
    )
    assert (latest.history_user, latest.ntm_staff_required) == (coordinator, 5)
    # The page names the change, not the baseline.
    client.force_login(coordinator)
    assert "coordinator 30/11/2026 09:00" in _rows(client.get(PAGE))[DAI_TU]


@pytest.mark.django_db
def test_a_leader_and_a_district_officer_may_not_change_the_staffing(client, leader, dai_tu_officer):
    agency = Agency.objects.get(code=DAI_TU)
    for user in (leader, dai_tu_officer):
        with pytest.raises(PermissionDenied):
            agency_staffing_update(user=user, agency=agency, required=5, actual=2)
        client.force_login(user)
        assert client.post(PAGE, {"staff-TOTAL_FORMS": "0", "staff-INITIAL_FORMS": "0"}).status_code == 403
    assert _counts(DAI_TU) == (None, None)


@pytest.mark.django_db
def test_only_a_coordination_office_keeps_staff_counts(coordinator):
    with pytest.raises(ValidationError) as refused:
        agency_staffing_update(
            user=coordinator, agency=Agency.objects.get(code="so-giao-thong-van-tai"), required=3, actual=1
        )
    assert set(refused.value.message_dict) == {"agency"}


@pytest.mark.django_db
def test_a_row_someone_else_saved_meanwhile_is_refused_and_nothing_is_saved(client, coordinator):
    other = make_user("other_coordinator", Role.COORDINATOR, PROVINCE)
    client.force_login(coordinator)
    data = _form_data(client.get(PAGE))
    # Another coordinator saves Đại Từ while the page is open.
    agency_staffing_update(
        user=other,
        agency=Agency.objects.get(code=DAI_TU),
        required=6,
        actual=3,
        version=agency_version(Agency.objects.get(code=DAI_TU).pk),
    )
    response = client.post(PAGE, _edit(_edit(data, DAI_TU, 5, 2), PHU_BINH, 4, 4))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Chưa lưu gì: người khác đã thay đổi các dòng được đánh dấu dưới đây từ khi bạn mở trang." in html
    assert (
        "Người khác vừa thay đổi số cán bộ của Văn phòng Điều phối nông thôn mới huyện Đại Từ: hãy tải lại trang."
        in _rows(response)[DAI_TU]
    )
    assert (_counts(DAI_TU), _counts(PHU_BINH)) == ((6, 3), (None, None))


@pytest.mark.django_db
def test_a_row_left_as_it_was_does_not_undo_another_coordinators_change(client, coordinator):
    other = make_user("other_coordinator", Role.COORDINATOR, PROVINCE)
    client.force_login(coordinator)
    data = _form_data(client.get(PAGE))
    agency_staffing_update(user=other, agency=Agency.objects.get(code=DAI_TU), required=6, actual=3)
    assert client.post(PAGE, _edit(data, PHU_BINH, 4, 4)).status_code == 302
    assert (_counts(DAI_TU), _counts(PHU_BINH)) == ((6, 3), (4, 4))


@pytest.mark.django_db
def test_the_service_refuses_a_stale_version(coordinator):
    agency = Agency.objects.get(code=DAI_TU)
    version = agency_version(agency.pk)
    agency_staffing_update(user=coordinator, agency=agency, required=6, actual=3, version=version)
    with pytest.raises(StaleStaffing):
        agency_staffing_update(user=coordinator, agency=agency, required=7, actual=3, version=version)
    assert _counts(DAI_TU) == (6, 3)


@pytest.mark.django_db
def test_the_page_takes_the_same_queries_whatever_the_number_of_offices(client, coordinator, leader):
    communes = AdministrativeUnit.objects.filter(
        parent__code="171", kind="xa", valid_until=datetime.date(2025, 6, 30)
    ).order_by("code")
    counts = {}
    for size, user in ((0, coordinator), (0, leader), (6, coordinator), (6, leader)):
        for index, commune in enumerate(communes[:size]):
            office, _created = Agency.objects.get_or_create(
                code=f"vpdp-thu-{index}",
                defaults={
                    "name": f"Văn phòng thử {index}",
                    "short_name": f"VP thử {index}",
                    "kind": AgencyKind.COORDINATION_OFFICE,
                    "scope": commune,
                },
            )
            agency_staffing_update(user=coordinator, agency=office, required=3, actual=index % 4)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(PAGE)
        assert len(_rows(response)) == 10 + size
        counts[size, user.username] = len(queries)
    assert counts[0, "coordinator"] == counts[6, "coordinator"]
    assert counts[0, "leader"] == counts[6, "leader"]


def test_a_count_typed_with_a_thousands_dot_is_read_as_vietnamese(db):
    from django import forms

    from core.forms import WholeNumberField

    field = WholeNumberField(required=False)
    assert field.clean("1.000") == 1000
    assert field.clean(" 12 ") == 12
    assert field.clean("") is None
    for text in ("2,5", "abc", "1.5"):
        with pytest.raises(forms.ValidationError):
            field.clean(text)
