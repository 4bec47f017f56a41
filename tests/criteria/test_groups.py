"""Commune groups (nhóm xã, QĐ 51/2025/QĐ-TTg): a coordinator puts each commune in a group
for a period, each indicator has a target per group, and an assessment is judged by its
commune's group; indicators are added and edited in the portal."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import AdministrativeUnit
from criteria.models import (
    Assessment,
    CommuneGroup,
    CommuneGroupAssignment,
    CriteriaSet,
    Indicator,
    IndicatorGroupTarget,
    Outcome,
)
from criteria.selectors.groups import communes_in_force_during
from criteria.services.assessments import ValueInput, assessment_create, assessment_update_values
from criteria.services.catalogue import periods_ensure
from criteria.services.groups import commune_groups_assign
from criteria.services.indicators import IndicatorInput, indicator_create, indicator_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def grouped_set(small_set):
    """The small set with the three commune groups of QĐ 51/2025/QĐ-TTg."""
    for number in (1, 2, 3):
        CommuneGroup.objects.create(criteria_set=small_set, code=f"nhom-{number}", name=f"Nhóm {number}")
    return small_set


@pytest.fixture
def first_half_2026(db):
    return periods_ensure(year=2026)[0]


def group(criteria_set, number: int) -> CommuneGroup:
    return criteria_set.commune_groups.get(code=f"nhom-{number}")


def commune(name: str) -> AdministrativeUnit:
    """A commune of the structure in force since 01/07/2025."""
    return AdministrativeUnit.objects.get(name=name, valid_until=None)


def groups_url(criteria_set) -> str:
    return reverse("criteria-set-groups", args=[criteria_set.code])


def paving(criteria_set) -> Indicator:
    """1.2 Tỷ lệ cứng hóa: a percentage, at least 85 % unless its group says otherwise."""
    return Indicator.objects.get(criterion__criteria_set=criteria_set, code="1.2")


def assessment_of(user, unit, period, criteria_set, paved: str) -> Assessment:
    assessment = assessment_create(user=user, commune=unit, period=period, criteria_set=criteria_set)
    return assessment_update_values(
        user=user,
        assessment=assessment,
        version=assessment.version,
        values={paving(criteria_set).pk: ValueInput(number=Decimal(paved))},
    )


def outcome(assessment, indicator) -> str:
    return assessment.values.get(indicator=indicator).outcome


# --- assigning groups -------------------------------------------------------------------


def test_a_coordinator_assigns_each_commune_its_group_for_a_period_in_one_save(
    client, coordinator, grouped_set, first_half_2026
):
    phu_binh, dai_tu = commune("Xã Phú Bình"), commune("Xã Đại Từ")
    client.force_login(coordinator)
    page = client.get(groups_url(grouped_set), {"period": first_half_2026.code})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Xã Phú Bình" in html and "Xã Đại Từ" in html
    assert "Nhóm 1" in html and "Nhóm 3" in html

    response = client.post(
        groups_url(grouped_set),
        {
            "period": first_half_2026.code,
            f"commune-{phu_binh.pk}": str(group(grouped_set, 1).pk),
            f"commune-{dai_tu.pk}": str(group(grouped_set, 3).pk),
        },
    )
    assert response.status_code == 302
    assert response.url == groups_url(grouped_set) + f"?period={first_half_2026.code}"
    stored = dict(
        CommuneGroupAssignment.objects.filter(period=first_half_2026).values_list(
            "commune__name", "commune_group__name"
        )
    )
    assert stored == {"Xã Phú Bình": "Nhóm 1", "Xã Đại Từ": "Nhóm 3"}
    assert CommuneGroupAssignment.history.filter(history_user=coordinator).count() == 2
    page = client.get(response.url).content.decode()
    assert "Đã lưu nhóm xã của 6 tháng đầu năm 2026: 2 xã thay đổi." in page
    assert "Xã Phú Bình</strong>: — → Nhóm 1" in page


def test_saving_the_same_groups_again_writes_nothing(coordinator, grouped_set, first_half_2026):
    phu_binh = commune("Xã Phú Bình")
    groups = {phu_binh.pk: group(grouped_set, 2).pk}
    commune_groups_assign(user=coordinator, criteria_set=grouped_set, period=first_half_2026, groups=groups)
    again = commune_groups_assign(
        user=coordinator, criteria_set=grouped_set, period=first_half_2026, groups=groups
    )
    assert again.total == 0
    assert CommuneGroupAssignment.history.count() == 1


@pytest.mark.parametrize("persona", ["dai_tu_officer", "department_officer", "leader", "api_client_user"])
def test_only_a_coordinator_assigns_groups_others_get_403_and_nothing_is_saved(
    request, client, grouped_set, first_half_2026, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(groups_url(grouped_set)).status_code == 403
    response = client.post(
        groups_url(grouped_set),
        {
            "period": first_half_2026.code,
            f"commune-{commune('Xã Phú Bình').pk}": str(group(grouped_set, 1).pk),
        },
    )
    assert response.status_code == 403
    assert not CommuneGroupAssignment.objects.exists()


def test_a_group_of_another_set_is_refused_naming_the_commune_and_nothing_is_saved(
    client, coordinator, grouped_set, first_half_2026
):
    other = CriteriaSet.objects.create(code="other", name="Bộ khác", level="standard")
    foreign = CommuneGroup.objects.create(criteria_set=other, code="nhom-1", name="Nhóm 1 của bộ khác")
    phu_binh, dai_tu = commune("Xã Phú Bình"), commune("Xã Đại Từ")
    client.force_login(coordinator)
    response = client.post(
        groups_url(grouped_set),
        {
            "period": first_half_2026.code,
            f"commune-{phu_binh.pk}": str(group(grouped_set, 1).pk),
            f"commune-{dai_tu.pk}": str(foreign.pk),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Không lưu gì cả." in html
    assert "Xã Đại Từ: hãy chọn một nhóm của bộ tiêu chí (Nhóm 1, Nhóm 2, Nhóm 3)." in html
    assert not CommuneGroupAssignment.objects.exists()


def test_an_unreadable_choice_and_a_commune_closed_in_2025_are_refused_by_name(
    client, coordinator, grouped_set, first_half_2026
):
    closed = AdministrativeUnit.objects.get(name="Xã Phúc Lương")  # Đại Từ, closed 30/06/2025
    client.force_login(coordinator)
    response = client.post(
        groups_url(grouped_set),
        {
            "period": first_half_2026.code,
            f"commune-{commune('Xã Phú Bình').pk}": "nhóm một",
            f"commune-{closed.pk}": str(group(grouped_set, 2).pk),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Xã Phú Bình: hãy chọn một nhóm của bộ tiêu chí" in html
    assert "Xã Phúc Lương: chỉ xã đang có hiệu lực trong kỳ mới được xếp nhóm." in html
    assert not CommuneGroupAssignment.objects.exists()


def test_the_group_of_a_commune_with_an_approved_assessment_is_locked(
    coordinator, grouped_set, first_half_2026
):
    phu_binh = commune("Xã Phú Bình")
    assessment = assessment_of(coordinator, phu_binh, first_half_2026, grouped_set, "90")
    Assessment.objects.filter(pk=assessment.pk).update(status="approved")
    with pytest.raises(ValidationError) as refused:
        commune_groups_assign(
            user=coordinator,
            criteria_set=grouped_set,
            period=first_half_2026,
            groups={phu_binh.pk: group(grouped_set, 1).pk},
        )
    assert refused.value.message_dict == {
        f"commune-{phu_binh.pk}": [
            "Xã Phú Bình: phiếu đánh giá của xã trong kỳ này đã được duyệt nên không thể đổi nhóm. "
            "Hãy mở lại phiếu trước."
        ]
    }


def test_a_commune_without_a_group_shows_its_group_of_the_previous_period(
    client, coordinator, grouped_set, first_half_2026
):
    second_half = periods_ensure(year=2026)[1]
    phu_binh = commune("Xã Phú Bình")
    commune_groups_assign(
        user=coordinator,
        criteria_set=grouped_set,
        period=first_half_2026,
        groups={phu_binh.pk: group(grouped_set, 3).pk},
    )
    client.force_login(coordinator)
    html = client.get(groups_url(grouped_set), {"period": second_half.code}).content.decode()
    assert "từ kỳ trước" in html
    assert f'<option value="{group(grouped_set, 3).pk}" selected>Nhóm 3</option>' in html
    assert not CommuneGroupAssignment.objects.filter(period=second_half).exists()


# --- evaluation by the group's target -----------------------------------------------------


def test_the_target_of_the_communes_group_decides_whether_an_indicator_is_met(
    coordinator, grouped_set, first_half_2026
):
    IndicatorGroupTarget.objects.create(
        indicator=paving(grouped_set), commune_group=group(grouped_set, 1), target=Decimal("95")
    )
    phu_binh, dai_tu = commune("Xã Phú Bình"), commune("Xã Đại Từ")
    commune_groups_assign(
        user=coordinator,
        criteria_set=grouped_set,
        period=first_half_2026,
        groups={phu_binh.pk: group(grouped_set, 1).pk, dai_tu.pk: group(grouped_set, 2).pk},
    )
    # 90 % paved: below group 1's 95 %, above the indicator's own 85 % (group 2 has none).
    in_group_1 = assessment_of(coordinator, phu_binh, first_half_2026, grouped_set, "90")
    in_group_2 = assessment_of(coordinator, dai_tu, first_half_2026, grouped_set, "90")
    assert in_group_1.commune_group == group(grouped_set, 1)
    assert outcome(in_group_1, paving(grouped_set)) == Outcome.NOT_MET
    assert outcome(in_group_2, paving(grouped_set)) == Outcome.MET


def test_moving_a_commune_to_another_group_judges_its_open_assessment_again(
    coordinator, grouped_set, first_half_2026
):
    IndicatorGroupTarget.objects.create(
        indicator=paving(grouped_set), commune_group=group(grouped_set, 1), target=Decimal("95")
    )
    dai_tu = commune("Xã Đại Từ")
    draft = assessment_of(coordinator, dai_tu, first_half_2026, grouped_set, "90")
    assert outcome(draft, paving(grouped_set)) == Outcome.MET
    result = commune_groups_assign(
        user=coordinator,
        criteria_set=grouped_set,
        period=first_half_2026,
        groups={dai_tu.pk: group(grouped_set, 1).pk},
    )
    assert result.reevaluated == 1
    draft.refresh_from_db()
    assert draft.commune_group == group(grouped_set, 1)
    assert outcome(draft, paving(grouped_set)) == Outcome.NOT_MET


def test_a_coordinator_sets_the_target_of_each_group_on_the_indicators_target_page(
    client, coordinator, grouped_set
):
    client.force_login(coordinator)
    url = reverse("indicator-target", args=[paving(grouped_set).pk])
    page = client.get(url).content.decode()
    assert "Mức yêu cầu theo nhóm xã" in page
    response = client.post(
        url,
        {
            "comparison": ">=",
            "target": "85",
            f"group-{group(grouped_set, 1).pk}": "92,5",
            f"group-{group(grouped_set, 3).pk}": "70",
        },
    )
    assert response.status_code == 302
    targets = dict(
        IndicatorGroupTarget.objects.filter(indicator=paving(grouped_set)).values_list(
            "commune_group__name", "target"
        )
    )
    assert targets == {"Nhóm 1": Decimal("92.5"), "Nhóm 3": Decimal("70")}
    bad = client.post(url, {"comparison": ">=", "target": "85", f"group-{group(grouped_set, 3).pk}": "120"})
    assert "Nhóm 3: Tỷ lệ phần trăm không được lớn hơn 100." in bad.content.decode()
    set_page = client.get(reverse("criteria-set-detail", args=[grouped_set.code])).content.decode()
    assert "Nhóm 1: ≥ 92,5 %" not in set_page  # the unit of 1.2 is not given in the fixture
    assert "Nhóm 1: ≥ 92,5" in set_page


# --- indicators in the portal ---------------------------------------------------------------


def test_a_coordinator_adds_an_indicator_with_a_decimal_comma_and_edits_it_with_history(
    client, coordinator, grouped_set
):
    health = grouped_set.criteria.get(number=2)
    client.force_login(coordinator)
    set_page = client.get(reverse("criteria-set-detail", args=[grouped_set.code])).content.decode()
    assert "Thêm chỉ tiêu" in set_page and "Sửa" in set_page
    form = {
        "code": "2.3",
        "name": "Tỷ lệ hộ nghèo đa chiều",
        "unit": "%",
        "measure_type": "percent",
        "comparison": "<=",
        "target": "26,7",
        "verification": "coordinator",
        "source": "",
    }
    response = client.post(reverse("indicator-create", args=[health.pk]), form)
    assert response.status_code == 302
    poverty = Indicator.objects.get(criterion=health, code="2.3")
    assert (poverty.target, poverty.comparison) == (Decimal("26.7"), "<=")
    assert list(health.indicators.values_list("code", flat=True)) == ["2.1", "2.2", "2.3"]
    assert response.url.endswith(f"#indicator-{poverty.pk}")

    edit_url = reverse("indicator-edit", args=[poverty.pk])
    assert 'value="26,7"' in client.get(edit_url).content.decode()
    response = client.post(edit_url, {**form, "target": "30", "name": "Tỷ lệ hộ nghèo"})
    assert response.status_code == 302
    poverty.refresh_from_db()
    assert (poverty.target, poverty.name) == (Decimal("30"), "Tỷ lệ hộ nghèo")
    assert poverty.history.first().history_user == coordinator
    history = client.get(edit_url).content.decode()
    assert "Mức yêu cầu: 26,7 → 30" in history
    assert "Tên: Tỷ lệ hộ nghèo đa chiều → Tỷ lệ hộ nghèo" in history


def test_a_code_must_start_with_the_criterions_number_and_be_unique_in_the_set(
    client, coordinator, grouped_set
):
    health = grouped_set.criteria.get(number=2)
    client.force_login(coordinator)
    form = {
        "name": "Chỉ tiêu mới",
        "unit": "%",
        "measure_type": "percent",
        "comparison": ">=",
        "target": "",
        "verification": "coordinator",
    }
    for code, message in [
        ("2.1", "Mã: Bộ tiêu chí đã có chỉ tiêu 2.1."),
        ("3.1", "Mã: Chỉ tiêu của tiêu chí 2 có mã bắt đầu bằng 2, ví dụ 2.1."),
        ("2-1", "Mã: Viết mã gồm số của tiêu chí, dấu chấm và một số, ví dụ 2.1 hoặc 2.1a."),
    ]:
        response = client.post(reverse("indicator-create", args=[health.pk]), {**form, "code": code})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert health.indicators.count() == 2


def test_an_indicator_with_values_keeps_its_measure_type_and_cannot_be_deleted(
    client, coordinator, grouped_set, first_half_2026
):
    assessment_of(coordinator, commune("Xã Phú Bình"), first_half_2026, grouped_set, "90")
    indicator = paving(grouped_set)
    data = IndicatorInput(
        code="1.2",
        name=indicator.name,
        measure_type="number",
        comparison=">=",
        target=Decimal("85"),
        verification=indicator.verification,
    )
    with pytest.raises(ValidationError) as refused:
        indicator_update(user=coordinator, indicator=indicator, data=data)
    assert list(refused.value.message_dict) == ["measure_type"]

    client.force_login(coordinator)
    response = client.post(
        reverse("indicator-edit", args=[indicator.pk]),
        {
            "code": "1.2",
            "name": indicator.name,
            "unit": "",
            "measure_type": "boolean",
            "comparison": "achieved",
            "target": "",
            "verification": "confirmed",
        },
    )
    assert response.status_code == 400
    assert (
        "Loại số liệu: Chỉ tiêu 1.2 đã có giá trị trong 1 phiếu đánh giá: thay đổi sẽ làm đổi ý nghĩa "
        "của các giá trị đó. Hãy giữ nguyên và thêm một chỉ tiêu mới."
    ) in response.content.decode()
    response = client.post(reverse("indicator-delete", args=[indicator.pk]))
    assert response.status_code == 400
    assert "không thể xóa" in response.content.decode()
    indicator.refresh_from_db()
    assert (indicator.measure_type, indicator.comparison) == ("percent", ">=")


def test_an_indicator_without_values_may_change_its_measure_type_and_be_deleted(
    client, coordinator, grouped_set
):
    health = grouped_set.criteria.get(number=2)
    added = indicator_create(
        user=coordinator,
        criterion=health,
        data=IndicatorInput(
            code="2.3",
            name="Chỉ tiêu thử",
            measure_type="number",
            comparison=">=",
            target=Decimal("3"),
            verification="coordinator",
            group_targets={group(grouped_set, 1).pk: Decimal("5")},
        ),
    )
    judged = indicator_update(
        user=coordinator,
        indicator=added,
        data=IndicatorInput(
            code="2.3",
            name="Chỉ tiêu thử",
            measure_type="boolean",
            comparison="achieved",
            verification="coordinator",
        ),
    )
    assert (judged.measure_type, judged.target) == ("boolean", None)
    assert not judged.group_targets.exists()
    client.force_login(coordinator)
    assert client.get(reverse("indicator-delete", args=[added.pk])).status_code == 200
    response = client.post(reverse("indicator-delete", args=[added.pk]))
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=added.pk).exists()
    assert Indicator.history.filter(id=added.pk, history_type="-", history_user=coordinator).exists()


def test_the_groups_page_runs_as_many_queries_for_one_commune_with_a_group_as_for_all(
    client, coordinator, grouped_set, first_half_2026
):
    client.force_login(coordinator)
    url = groups_url(grouped_set) + f"?period={first_half_2026.code}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    communes = list(communes_in_force_during(first_half_2026).values_list("pk", flat=True))
    commune_groups_assign(
        user=coordinator,
        criteria_set=grouped_set,
        period=first_half_2026,
        groups={communes[0]: group(grouped_set, 1).pk},
    )
    one = queries()
    commune_groups_assign(
        user=coordinator,
        criteria_set=grouped_set,
        period=first_half_2026,
        groups={pk: group(grouped_set, 2).pk for pk in communes},
    )
    assert queries() == one
    assert "0 xã chưa xếp nhóm" in client.get(url).content.decode()
