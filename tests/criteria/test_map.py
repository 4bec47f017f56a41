"""The map of the communes: the bands of criteria met (pure), and the selector on a small
hand-made dataset.

The dataset (period 2020-h1, a 19-criterion set "map-19", the real Thái Nguyên xã and
their centroids as loaded from vietnamadminunits):

    commune (Đại Từ unless said)   approved assessment   band
    a                              19/19                 standard
    b                              18/19                 18
    c                              16/19                 15-17
    d                              12/19                 10-14
    e                               5/19                 under 10
    f                              submitted 19/19       no approved assessment
    g                              approved, other set   no approved assessment
    h (coordinates removed)        approved 17/19        not on the map, counted apart
    p (Phú Bình)                   17/19                 15-17
    every other xã                 none                  no approved assessment

A xã of the former Bắc Kạn province (merged into Thái Nguyên on 01/07/2025) is not on a
2020 map: in 2020 it belonged to another province's programme.
"""

import datetime

import pytest
from django.utils import translation

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit, UnitKind
from criteria.bands import Band, band_index, bands
from criteria.models import Assessment, CriteriaSet, Criterion, ReportingPeriod
from criteria.selectors.map import commune_map
from tests.conftest import unit

D = datetime.date


# The bands: pure, no database.


def test_a_set_of_19_criteria_has_the_provinces_five_bands():
    assert [band.key for band in bands(19)] == ["0-9", "10-14", "15-17", "18-18", "standard"]
    assert bands(19)[-1] == Band(19, 19, standard=True)


def test_a_small_set_keeps_only_the_floors_below_its_total():
    assert [band.key for band in bands(3)] == ["0-2", "standard"]
    assert [band.key for band in bands(12)] == ["0-9", "10-11", "standard"]
    assert [band.key for band in bands(0)] == ["standard"]


def test_a_commune_falls_in_the_band_of_its_count():
    assert [band_index(met=n, meets_standard=False, total=19) for n in (0, 9, 10, 14, 15, 17, 18)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
    ]
    assert band_index(met=19, meets_standard=True, total=19) == 4
    # Every criterion counted but not stored as meeting the standard: the band below it.
    assert band_index(met=19, meets_standard=False, total=19) == 3


def test_a_negative_total_is_refused():
    with pytest.raises(ValueError, match="negative"):
        bands(-1)


# The selector.


def xa_of(district_code: str) -> list[AdministrativeUnit]:
    return list(unit(district_code).children.filter(kind=UnitKind.COMMUNE).order_by("code"))


def make_set(code: str, criteria: int) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(code=code, name=f"Bộ {code}", level="standard")
    Criterion.objects.bulk_create(
        Criterion(criteria_set=criteria_set, number=n, name=f"Tiêu chí {n}") for n in range(1, criteria + 1)
    )
    return criteria_set


def assess(commune, period, criteria_set, met: int, *, status="approved", total=19) -> Assessment:
    return Assessment.objects.create(
        commune=commune,
        period=period,
        criteria_set=criteria_set,
        status=status,
        criteria_met=met,
        criteria_total=total,
        meets_standard=met == total,
    )


@pytest.fixture
def period(db):
    return ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=D(2020, 1, 1), end=D(2020, 6, 30),
        submission_deadline=D(2020, 7, 15), lock_date=D(2020, 8, 14),
    )  # fmt: skip


@pytest.fixture
def data(period):
    map_set, other_set = make_set("map-19", 19), make_set("other-19", 19)
    a, b, c, d, e, f, g, h = xa_of("171")[:8]
    p = xa_of("173")[0]
    for commune, met in ((a, 19), (b, 18), (c, 16), (d, 12), (e, 5), (h, 17), (p, 17)):
        assess(commune, period, map_set, met)
    assess(f, period, map_set, 19, status="submitted")
    assess(g, period, other_set, 19)
    AdministrativeUnit.objects.filter(pk=h.pk).update(latitude=None, longitude=None)
    return {"set": map_set, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h, "p": p}


def by_pk(result):
    return {commune.pk: commune for commune in result.communes}


def test_the_leader_sees_every_xa_of_thai_nguyen_in_force_with_its_criteria(leader, period, data):
    result = commune_map(visible=unit_scope(leader), period=period, criteria_set=data["set"])
    communes = by_pk(result)
    thai_nguyen_xa = set(
        AdministrativeUnit.objects.filter(kind=UnitKind.COMMUNE, parent__parent=unit("19", current=True))
        .filter(valid_until=D(2025, 6, 30))
        .values_list("pk", flat=True)
    )
    assert len(thai_nguyen_xa) == 121
    # The 120 xã with coordinates; the one without is counted apart.
    assert set(communes) == thai_nguyen_xa - {data["h"].pk}
    assert result.without_coordinates == 1
    a = communes[data["a"].pk]
    assert (a.name, a.district, a.criteria_met, a.criteria_total, a.meets_standard) == (
        data["a"].name,
        "Huyện Đại Từ",
        19,
        19,
        True,
    )
    assert a.url == f"/units/{data['a'].pk}/"
    assert (a.latitude, a.longitude) == (float(data["a"].latitude), float(data["a"].longitude))
    assert 21.3 < a.latitude < 22.0 and 105.4 < a.longitude < 106.2  # Đại Từ, west of Thái Nguyên city
    met = {key: communes[data[key].pk].criteria_met for key in "bcdefgp"}
    assert met == {"b": 18, "c": 16, "d": 12, "e": 5, "f": None, "g": None, "p": 17}
    assert communes[data["p"].pk].district == "Huyện Phú Bình"
    assert communes[data["f"].pk].criteria_total == 19  # the set's, with no approved assessment
    assert [(band.key, band.count) for band in result.bands] == [
        ("0-9", 1),
        ("10-14", 1),
        ("15-17", 2),
        ("18-18", 1),
        ("standard", 1),
        ("unassessed", 114),
    ]
    assert result.assessed == 6


def test_no_xa_of_the_former_bac_kan_province_is_on_a_2020_map(leader, period, data):
    bac_kan_xa = AdministrativeUnit.objects.filter(
        kind=UnitKind.COMMUNE, parent__parent__name="Tỉnh Bắc Kạn"
    ).values_list("pk", flat=True)
    assert bac_kan_xa.exists()
    result = commune_map(visible=unit_scope(leader), period=period, criteria_set=data["set"])
    assert set(by_pk(result)) & set(bac_kan_xa) == set()


def test_a_district_officer_sees_only_the_xa_of_their_district(dai_tu_officer, period, data):
    result = commune_map(visible=unit_scope(dai_tu_officer), period=period, criteria_set=data["set"])
    communes = by_pk(result)
    assert set(communes) == {commune.pk for commune in xa_of("171")} - {data["h"].pk}
    assert data["p"].pk not in communes
    assert {commune.district for commune in result.communes} == {"Huyện Đại Từ"}
    assert [band.count for band in result.bands][:5] == [1, 1, 1, 1, 1]


def test_the_json_for_the_page_holds_the_communes_and_translated_labels(dai_tu_officer, period, data):
    result = commune_map(visible=unit_scope(dai_tu_officer), period=period, criteria_set=data["set"])
    with translation.override("vi"):
        payload = result.as_json()
    a = next(item for item in payload["communes"] if item["id"] == data["a"].pk)
    assert a == {
        "id": data["a"].pk,
        "name": data["a"].name,
        "district": "Huyện Đại Từ",
        "lat": float(data["a"].latitude),
        "lon": float(data["a"].longitude),
        "met": 19,
        "total": 19,
        "standard": True,
        "band": 4,
        "url": f"/units/{data['a'].pk}/",
    }
    f = next(item for item in payload["communes"] if item["id"] == data["f"].pk)
    assert (f["met"], f["band"]) == (None, 5)
    assert [band["label"] for band in payload["bands"]] == [
        "Dưới 10 tiêu chí",
        "10–14 tiêu chí",
        "15–17 tiêu chí",
        "18 tiêu chí",
        "Đạt cả 19 tiêu chí (đạt chuẩn)",
        "Chưa có phiếu đánh giá đã duyệt",
    ]
    assert payload["labels"]["assessed"] % {"place": "Xã X (Huyện Y)", "met": 17, "total": 19} == (
        "Xã X (Huyện Y): 17/19 tiêu chí"
    )


def test_the_map_takes_three_queries_for_3_or_12_communes(period, django_assert_num_queries):
    map_set = make_set("map-19", 19)
    xa = xa_of("171")[:12]
    for index, commune in enumerate(xa):
        assess(commune, period, map_set, 10 + index % 10)
    for size in (3, 12):
        visible = AdministrativeUnit.objects.filter(pk__in=[commune.pk for commune in xa[:size]])
        with django_assert_num_queries(3):
            result = commune_map(visible=visible, period=period, criteria_set=map_set)
        assert len(result.communes) == size
        assert result.assessed == size
