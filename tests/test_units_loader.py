"""load_admin_units on the real data of the vietnamadminunits package."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from communes.models import AdministrativeUnit, UnitSuccession
from tests.conftest import unit

pytestmark = pytest.mark.django_db

JAN_2025 = datetime.date(2025, 1, 1)
AUG_2025 = datetime.date(2025, 8, 1)


def thai_nguyen():
    return unit("19", current=True)


def test_thai_nguyen_has_9_districts_and_172_communes_121_xa_on_1_january_2025():
    units = AdministrativeUnit.objects.within(thai_nguyen()).valid_on(JAN_2025)
    assert units.filter(level="district").count() == 9
    communes = units.filter(level="commune")
    assert communes.count() == 172
    assert communes.assessed().count() == 121
    assert communes.filter(kind="phuong").count() == 41
    assert communes.filter(kind="thi_tran").count() == 10


def test_thai_nguyen_has_92_communes_directly_under_the_province_on_1_august_2025():
    units = AdministrativeUnit.objects.within(thai_nguyen()).valid_on(AUG_2025)
    assert units.filter(level="district").count() == 0
    communes = units.filter(level="commune")
    assert communes.count() == 92
    assert set(communes.values_list("parent__code", flat=True)) == {"19"}
    assert all(c.valid_from == datetime.date(2025, 7, 1) for c in communes)


def test_old_units_are_kept_and_closed_on_30_june_2025():
    dai_tu = unit("171")
    assert dai_tu.name == "Huyện Đại Từ"
    assert dai_tu.valid_until == datetime.date(2025, 6, 30)
    assert not dai_tu.is_valid_on(datetime.date(2025, 7, 1))
    assert dai_tu.is_valid_on(datetime.date(2025, 6, 30))


def test_every_old_thai_nguyen_commune_has_at_least_one_successor():
    old = AdministrativeUnit.objects.within(thai_nguyen()).valid_on(JAN_2025).filter(level="commune")
    without = old.filter(successions_as_predecessor__isnull=True)
    assert list(without) == []
    # The old xã all went into 2025 communes of the same province.
    successors = UnitSuccession.objects.filter(predecessor__in=old).values_list(
        "successor__parent__code", flat=True
    )
    assert set(successors) == {"19"}


def test_split_communes_keep_every_link_and_one_primary_successor():
    thuong_dinh = AdministrativeUnit.objects.get(
        name="Xã Thượng Đình", valid_until=datetime.date(2025, 6, 30)
    )
    links = {
        row.successor.name: (row.is_partial, row.is_primary)
        for row in thuong_dinh.successions_as_predecessor.all()
    }
    assert links == {"Xã Điềm Thụy": (True, True), "Xã Phú Bình": (True, False)}
    assert UnitSuccession.objects.filter(is_partial=True).values("predecessor").distinct().count() == 3


def test_a_new_commune_lists_what_it_was_formed_from():
    phu_binh = AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None)
    assert sorted(row.predecessor.name for row in phu_binh.successions_as_successor.all()) == [
        "Thị trấn Hương Sơn",
        "Xã Bảo Lý",
        "Xã Nhã Lộng",
        "Xã Thượng Đình",
        "Xã Xuân Phương",
        "Xã Úc Kỳ",
    ]
    assert {row.legal_basis for row in phu_binh.successions_as_successor.all()} == {"NQ 1683/NQ-UBTVQH15"}


def test_bac_kan_is_closed_and_merged_into_thai_nguyen():
    bac_kan = unit("06")
    assert bac_kan.name == "Tỉnh Bắc Kạn"
    assert [row.successor.code for row in bac_kan.successions_as_predecessor.all()] == ["19"]


def test_a_second_run_adds_and_changes_nothing():
    before = (
        AdministrativeUnit.objects.count(),
        UnitSuccession.objects.count(),
        AdministrativeUnit.history.count(),
        UnitSuccession.history.count(),
    )
    out = io.StringIO()
    call_command("load_admin_units", province="19", stdout=out)
    after = (
        AdministrativeUnit.objects.count(),
        UnitSuccession.objects.count(),
        AdministrativeUnit.history.count(),
        UnitSuccession.history.count(),
    )
    assert after == before
    assert "Units: 0 created, 391 already there" in out.getvalue()
    assert "Lineage links: 0 created, 284 already there" in out.getvalue()


def test_a_unit_a_coordinator_corrected_is_kept_by_a_second_run():
    dai_tu = unit("171")
    dai_tu.area_km2 = 574.25
    dai_tu.save()
    out = io.StringIO()
    call_command("load_admin_units", province="19", stdout=out)
    dai_tu.refresh_from_db()
    assert dai_tu.area_km2 == Decimal("574.25")
    assert "Units: 0 created, 391 already there" in out.getvalue()


@pytest.mark.parametrize("bad", ["abc", "99"])
def test_an_unknown_or_malformed_province_code_is_refused_clearly(bad):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="GSO code"):
        call_command("load_admin_units", province=bad)
