"""The programme targets page (issue 14): how many communes of the province or of a district
are to be recognised at each level by the end of a year, and the decision or notice that
says so (notice 58/TB-UBND of 06/07/2020: 100 communes at the standard by 2020). Everyone
signed in reads those of their scope, a target not known yet reading "chưa xác định"; a
provincial coordinator adds one and sets or changes its count and source, with history."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from criteria.models import ProgrammeTarget
from criteria.selectors.targets import TARGET_BASELINE_REASON, target_version
from criteria.services.targets import StaleTarget, programme_target_create, programme_target_update
from tests.conftest import make_user, unit

pytestmark = pytest.mark.django_db

LIST, NEW = reverse("programme-target-list"), reverse("programme-target-create")


@pytest.fixture
def targets(db):
    """The province's targets of the fixture: 100 communes at the standard by 2020; the
    2025 targets of the three commune levels not known yet."""
    call_command("load_missing", "programme_targets_thai_nguyen", verbosity=0)
    return ProgrammeTarget.objects.filter(unit__code="19")


def _province():
    return unit("19", current=True)


def _target(level: str, year: int) -> ProgrammeTarget:
    return ProgrammeTarget.objects.get(unit__code="19", unit__valid_until=None, level=level, year=year)


def _rows(response) -> dict[tuple[str, str, str], str]:
    """Each target's row, by (unit code, level, year), as text without tags."""
    html = response.content.decode()
    pattern = r'(?s)<tr data-testid="target-row" data-unit="([^"]*)" data-level="([^"]*)" data-year="([^"]*)"(.*?)</tr>'
    return {
        (code, level, year): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for code, level, year, row in re.findall(pattern, html)
    }


def _edit_url(target: ProgrammeTarget) -> str:
    return reverse("programme-target-edit", args=[target.pk])


def test_a_leader_reads_the_targets_and_the_unknown_ones_say_so(client, leader, targets):
    client.force_login(leader)
    response = client.get(LIST)
    assert response.status_code == 200
    rows = _rows(response)
    assert list(rows) == [
        ("19", "standard", "2020"),
        ("19", "standard", "2025"),
        ("19", "advanced", "2025"),
        ("19", "model", "2025"),
    ]
    assert "Tỉnh Thái Nguyên" in rows["19", "standard", "2020"]
    assert " 2020 100 Thông báo 58/TB-UBND ngày 06/7/2020" in rows["19", "standard", "2020"]
    for level in ("standard", "advanced", "model"):
        assert "2025 chưa xác định —" in rows["19", level, "2025"]
    # Read only: no form, no link to change.
    html = response.content.decode()
    assert 'data-testid="target-new"' not in html and 'data-testid="target-edit"' not in html


def test_a_district_officer_reads_the_targets_of_their_district_only(
    client, dai_tu_officer, phu_binh_officer, coordinator, targets
):
    programme_target_create(
        user=coordinator, unit=unit("171"), level="standard", year=2020, count=20, source="Nghị quyết huyện"
    )
    client.force_login(dai_tu_officer)
    rows = _rows(client.get(LIST))
    assert list(rows) == [("171", "standard", "2020")]
    assert "đơn vị cũ, đến 30/06/2025" in rows["171", "standard", "2020"]
    client.force_login(phu_binh_officer)
    assert "Không có mục tiêu nào trong phạm vi của bạn." in client.get(LIST).content.decode()


def test_the_criteria_menu_links_the_targets(client, leader):
    client.force_login(leader)
    assert f'href="{LIST}" data-testid="menu-targets"' in client.get(reverse("home")).content.decode()


def test_a_coordinator_adds_a_target_with_its_source(client, coordinator, targets):
    client.force_login(coordinator)
    assert 'data-testid="target-new"' in client.get(LIST).content.decode()
    response = client.post(
        NEW,
        {
            "unit": _province().pk,
            "level": "model_hamlet",
            "year": "2025",
            "count": "150",
            "source": "Kế hoạch số 12/KH-UBND",
        },
    )
    assert response.status_code == 302
    added = _target("model_hamlet", 2025)
    assert (added.count, added.source) == (150, "Kế hoạch số 12/KH-UBND")
    assert added.history.get().history_user == coordinator
    page = client.get(LIST)
    assert "Đã thêm mục tiêu: Tỉnh Thái Nguyên, " in page.content.decode()
    assert (
        "150 Kế hoạch số 12/KH-UBND coordinator 30/11/2026 09:00" in _rows(page)["19", "model_hamlet", "2025"]
    )


def test_a_second_target_for_the_same_unit_level_and_year_is_refused_with_a_message(
    client, coordinator, targets
):
    client.force_login(coordinator)
    response = client.post(
        NEW, {"unit": _province().pk, "level": "standard", "year": "2020", "count": "90", "source": "Khác"}
    )
    assert response.status_code == 400
    message = re.search(r'data-testid="target-form-error">([^<]+)<', response.content.decode()).group(1)
    assert message.startswith("Tỉnh Thái Nguyên đã có mục tiêu ")
    assert message.endswith(" đến hết năm 2020: hãy sửa mục tiêu đó trong danh sách.")
    assert _target("standard", 2020).count == 100
    with pytest.raises(ValidationError):
        programme_target_create(
            user=coordinator, unit=_province(), level="standard", year=2020, count=90, source="Khác"
        )


def test_a_coordinator_sets_the_unknown_target_and_the_history_keeps_old_and_new(
    client, coordinator, targets
):
    target = _target("standard", 2025)
    client.force_login(coordinator)
    form = client.get(_edit_url(target))
    assert form.status_code == 200
    version = form.context["form"].initial["version"]
    response = client.post(
        _edit_url(target), {"count": "130", "source": "Nghị quyết Đại hội Đảng bộ tỉnh", "version": version}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.count, target.source) == (130, "Nghị quyết Đại hội Đảng bộ tỉnh")
    before, latest = target.history.order_by("-history_id")[:2][::-1]
    assert (latest.history_user, latest.count) == (coordinator, 130)
    assert (before.count, before.source) == (None, "")  # as the fixture loaded it
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(before).changes}
    assert changes == {"count": (None, 130), "source": ("", "Nghị quyết Đại hội Đảng bộ tỉnh")}
    assert (
        "130 Nghị quyết Đại hội Đảng bộ tỉnh coordinator 30/11/2026 09:00"
        in _rows(client.get(LIST))["19", "standard", "2025"]
    )


def test_a_target_with_no_history_yet_gets_its_old_state_recorded_first(coordinator, targets):
    """A target loaded without history (``loaddata``): the first change records it as it
    stood, then the change."""
    target = _target("standard", 2020)
    target.history.all().delete()
    programme_target_update(user=coordinator, target=target, count=103, source="Kết quả 2020")
    before, latest = target.history.order_by("-history_id")[:2][::-1]
    assert (before.history_change_reason, before.history_user, before.count) == (
        TARGET_BASELINE_REASON,
        None,
        100,
    )
    assert (latest.history_user, latest.count, latest.source) == (coordinator, 103, "Kết quả 2020")


def test_a_count_needs_a_source_and_a_whole_number_in_range(client, coordinator, targets):
    target = _target("advanced", 2025)
    client.force_login(coordinator)
    version = target_version(target.pk)
    html = client.post(_edit_url(target), {"count": "40", "source": "", "version": version}).content.decode()
    assert "Nguồn: hãy ghi quyết định hoặc thông báo đặt ra mục tiêu này." in html
    response = client.post(_edit_url(target), {"count": "-3", "source": "TB", "version": version})
    assert response.status_code == 400
    assert "Mục tiêu: hãy nhập một số nguyên từ 0 đến 10.000." in response.content.decode()
    html = client.post(
        _edit_url(target), {"count": "ba mươi", "source": "TB", "version": version}
    ).content.decode()
    assert "Mục tiêu: hãy nhập một số nguyên, hoặc để trống khi chưa xác định." in html
    target.refresh_from_db()
    assert target.count is None


def test_a_target_is_set_for_the_province_or_a_district_only(coordinator):
    commune = unit("05908", current=True)
    with pytest.raises(ValidationError) as refused:
        programme_target_create(
            user=coordinator, unit=commune, level="standard", year=2025, count=1, source="TB"
        )
    assert refused.value.message_dict["unit"] == [
        f"{commune.name} không phải là tỉnh hay huyện: mục tiêu chỉ đặt cho tỉnh hoặc huyện."
    ]


def test_a_target_someone_else_saved_meanwhile_is_refused(client, coordinator, targets):
    other = make_user("other_coordinator", Role.COORDINATOR, "vpdp-ntm-tinh")
    target = _target("model", 2025)
    client.force_login(coordinator)
    version = client.get(_edit_url(target)).context["form"].initial["version"]
    programme_target_update(user=other, target=target, count=25, source="Kế hoạch A", version=version)
    response = client.post(_edit_url(target), {"count": "30", "source": "Kế hoạch B", "version": version})
    assert response.status_code == 409
    assert "Người khác vừa thay đổi mục tiêu này: hãy tải lại trang." in response.content.decode()
    target.refresh_from_db()
    assert (target.count, target.source) == (25, "Kế hoạch A")
    with pytest.raises(StaleTarget):
        programme_target_update(user=coordinator, target=target, count=30, source="B", version=version)


def test_a_leader_and_a_district_officer_may_not_change_targets(client, leader, dai_tu_officer, targets):
    target = _target("standard", 2020)
    for user in (leader, dai_tu_officer):
        with pytest.raises(PermissionDenied):
            programme_target_update(user=user, target=target, count=1, source="x")
        with pytest.raises(PermissionDenied):
            programme_target_create(
                user=user, unit=unit("171"), level="model", year=2025, count=1, source="x"
            )
        client.force_login(user)
        assert (
            client.post(_edit_url(target), {"count": "1", "source": "x", "version": "0"}).status_code == 403
        )
    target.refresh_from_db()
    assert target.count == 100


def test_the_list_takes_the_same_queries_whatever_the_number_of_targets(client, coordinator, leader, targets):
    counts = {}
    for size in (4, 12):
        if size == 12:
            for code in ("164", "165", "167", "168"):
                for level in ("standard", "advanced"):
                    target = programme_target_create(
                        user=coordinator, unit=unit(code), level=level, year=2020, count=None
                    )
                    programme_target_update(user=coordinator, target=target, count=3, source="TB")
        for user in (coordinator, leader):
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(LIST)
            assert len(_rows(response)) == size
            counts[size, user.username] = len(queries)
    assert counts[4, "coordinator"] == counts[12, "coordinator"]
    assert counts[4, "leader"] == counts[12, "leader"]


def test_the_admin_lists_targets_in_vietnamese(client, coordinator, targets):
    client.force_login(coordinator)
    response = client.get(reverse("admin:criteria_programmetarget_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đơn vị hành chính" in html and "Mục tiêu (số đơn vị được công nhận)" in html
    assert html.count("chưa xác định") == 3
    form = client.get(reverse("admin:criteria_programmetarget_change", args=[_target("standard", 2020).pk]))
    assert "Đơn vị hành chính" in form.content.decode() and "Đến hết năm" in form.content.decode()
