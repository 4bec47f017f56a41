"""Read a province's administrative units, before and after the 2025 reform, from the
MIT-licensed ``vietnamadminunits`` package (GSO codes, names, centroids, and its
old-to-new conversion tables). Pure reading: no Django, no database of ours.

The package's legacy table is the structure in force just before 1 July 2025 (for
Thái Nguyên: the 172 commune-level units of NQ 1240/NQ-UBTVQH15, in force from
1 December 2024); its current table is the structure from 1 July 2025.
"""

import datetime
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

# Law 72/2025/QH15 and the Standing Committee resolutions: the new structure is in force
# from 1 July 2025; the old units were in force until 30 June 2025 inclusive.
REFORM_DATE = datetime.date(2025, 7, 1)
LAST_DAY_BEFORE_REFORM = datetime.date(2025, 6, 30)
PROVINCE_MERGER_BASIS = "NQ 202/2025/QH15"
# Commune arrangement resolutions of the Standing Committee of the National Assembly,
# by province code; where unknown, the lineage rows carry no legal basis.
COMMUNE_ARRANGEMENT_BASIS = {"19": "NQ 1683/NQ-UBTVQH15"}

# The package's Vietnamese type words -> our UnitKind values.
DISTRICT_KINDS = {"Thành phố": "thanh_pho", "Thị xã": "thi_xa", "Huyện": "huyen", "Quận": "quan"}
COMMUNE_KINDS = {"Xã": "xa", "Phường": "phuong", "Thị trấn": "thi_tran", "Đặc khu": "dac_khu"}


@dataclass(frozen=True)
class UnitRecord:
    """One unit as the source gives it. ``parent_ref`` and ``ref`` are the package's
    ASCII keys (``"tinhthainguyen_huyendaitu_xaphucxuan"``), used only to link rows."""

    ref: str
    parent_ref: str | None
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    latitude: Decimal | None
    longitude: Decimal | None
    area_km2: Decimal | None = None


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor_ref: str
    successor_ref: str
    is_partial: bool
    is_primary: bool
    legal_basis: str


@dataclass
class ProvinceData:
    """Everything loaded for one province: the units (old and new) and the lineage."""

    units: list[UnitRecord] = field(default_factory=list)
    successions: list[SuccessionRecord] = field(default_factory=list)


class UnknownProvince(ValueError):
    """The code names no province in the package's current (2025) table."""


def _decimal(value, places: int) -> Decimal | None:
    return None if value is None else round(Decimal(str(value)), places)


def _commune(row, *, ref: str, parent_ref: str, valid_from, valid_until, area_km2=None) -> UnitRecord:
    """The commune-level unit of a row of the package's tables (``ward*`` columns)."""
    return UnitRecord(
        ref=ref,
        parent_ref=parent_ref,
        code=row["wardCode"],
        name=row["ward"],
        short_name=row["wardShort"],
        kind=COMMUNE_KINDS[row["wardType"]],
        level="commune",
        valid_from=valid_from,
        valid_until=valid_until,
        latitude=_decimal(row["wardLat"], 6),
        longitude=_decimal(row["wardLon"], 6),
        area_km2=area_km2,
    )


def _data_file(name: str):
    return resources.files("vietnamadminunits") / "data" / name


def _converter_tables() -> dict:
    return json.loads(_data_file("converter_2025.json").read_text(encoding="utf-8"))


def _query(sql: str, params: tuple) -> list[dict]:
    """Rows of the package's own SQLite dataset, opened read-only."""
    with sqlite3.connect(f"file:{_data_file('dataset.db')}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


def read_province(province_code: str) -> ProvinceData:
    """Read the province whose 2025 GSO code is ``province_code`` (``"19"``: Thái Nguyên):
    the province itself; every pre-2025 province merged into it with its districts and
    communes (closed on 30/06/2025); its 2025 communes (in force from 01/07/2025); and
    every old-commune -> new-commune link, splits included.

    Raises :class:`UnknownProvince` when no current province has that code.
    """
    current = _query("SELECT * FROM admin_units WHERE provinceCode = ? ORDER BY wardCode", (province_code,))
    if not current:
        raise UnknownProvince(province_code)
    province_key = current[0]["provinceKey"]
    tables = _converter_tables()
    old_province_keys = tables["DICT_PROVINCE"][province_key]

    data = ProvinceData()
    data.units.append(_current_province(current[0]))

    placeholders = ",".join("?" * len(old_province_keys))
    legacy = _query(
        f"SELECT * FROM admin_units_legacy WHERE provinceKey IN ({placeholders}) "  # noqa: S608 (only "?"s)
        "ORDER BY provinceCode, districtCode, wardCode",
        tuple(old_province_keys),
    )

    def merged_province(row: dict) -> None:
        # An old province merged into this one (Bắc Kạn into Thái Nguyên).
        data.units.append(_legacy_province(row, valid_until=LAST_DAY_BEFORE_REFORM))
        data.successions.append(
            SuccessionRecord(row["provinceKey"], province_key, False, True, PROVINCE_MERGER_BASIS)
        )

    _add_legacy_rows(data, legacy, seen_refs={province_key}, add_province=merged_province)

    for row in current:
        data.units.append(
            _commune(
                row,
                ref=f"{province_key}:{row['wardKey']}",
                parent_ref=province_key,
                valid_from=REFORM_DATE,
                valid_until=None,
                area_km2=_decimal(row["wardAreaKm2"], 2),
            )
        )

    basis = COMMUNE_ARRANGEMENT_BASIS.get(province_code, "")
    for new_key, old_refs in tables["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {}).items():
        for old_ref in old_refs:
            data.successions.append(
                SuccessionRecord(old_ref, f"{province_key}:{new_key}", False, True, basis)
            )
    for old_ref, parts in tables["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {}).items():
        for part in parts:
            data.successions.append(
                SuccessionRecord(
                    old_ref,
                    f"{province_key}:{part['newWardKey']}",
                    True,
                    bool(part["isDefaultNewWard"]),
                    basis,
                )
            )
    return data


def _current_province(row: dict) -> UnitRecord:
    """The province of a row of the current (2025) table, in force: from before our
    records (it holds its pre-2025 districts too) and still."""
    return UnitRecord(
        ref=row["provinceKey"],
        parent_ref=None,
        code=row["provinceCode"],
        name=row["province"],
        short_name=row["provinceShort"],
        kind="tinh",
        level="province",
        valid_from=None,
        valid_until=None,
        latitude=_decimal(row["provinceLat"], 6),
        longitude=_decimal(row["provinceLon"], 6),
    )


def _legacy_province(row: dict, *, valid_until: datetime.date | None) -> UnitRecord:
    """The province of a legacy row, closed on ``valid_until``."""
    return UnitRecord(
        ref=row["provinceKey"],
        parent_ref=None,
        code=row["provinceCode"],
        name=row["province"],
        short_name=row["provinceShort"],
        kind="tinh",
        level="province",
        valid_from=None,
        valid_until=valid_until,
        latitude=_decimal(row["provinceLat"], 6),
        longitude=_decimal(row["provinceLon"], 6),
    )


def _add_legacy_rows(
    data: ProvinceData, rows: list[dict], *, seen_refs: set[str], add_province: Callable[[dict], None]
) -> None:
    """Append to ``data`` the districts and communes of the legacy ``rows`` (one row per
    commune-level unit, ordered by province, district and commune code), each district
    once, parents before children; ``add_province(row)`` is called at the first row of a
    province whose key is not in ``seen_refs``. A district with no commune-level unit
    (the island districts Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) comes as one
    row with no ward: the district is read, with no commune."""
    for row in rows:
        if row["provinceKey"] not in seen_refs:
            seen_refs.add(row["provinceKey"])
            add_province(row)
        district_ref = f"{row['provinceKey']}_{row['districtKey']}"
        if district_ref not in seen_refs:
            seen_refs.add(district_ref)
            data.units.append(
                UnitRecord(
                    ref=district_ref,
                    parent_ref=row["provinceKey"],
                    code=row["districtCode"],
                    name=row["district"],
                    short_name=row["districtShort"],
                    kind=DISTRICT_KINDS[row["districtType"]],
                    level="district",
                    valid_from=None,
                    valid_until=LAST_DAY_BEFORE_REFORM,
                    latitude=_decimal(row["districtLat"], 6),
                    longitude=_decimal(row["districtLon"], 6),
                )
            )
        if row["wardCode"] is None:
            continue
        data.units.append(
            _commune(
                row,
                ref=f"{district_ref}_{row['wardKey']}",
                parent_ref=district_ref,
                valid_from=None,
                valid_until=LAST_DAY_BEFORE_REFORM,
            )
        )


def read_legacy(province_codes: Iterable[str] = ()) -> ProvinceData:
    """Read the structure in force just before 1 July 2025 (the package's legacy table:
    63 provinces, 696 districts, 10,035 commune-level units) of the whole country, or of
    the pre-2025 provinces whose GSO code is in ``province_codes`` (``"06"``: Bắc Kạn):
    every province, district and commune-level unit, parents before children. Nothing
    of the 2025 structure and no lineage: ``successions`` is empty.

    The units are read as :func:`read_province` reads them, so that both loads name a
    unit by the same (code, valid-until day): a province that went on after the reform
    under its name (Hà Nội; Thái Nguyên, with Bắc Kạn merged into it) is the province in
    force, with its 2025 code and no closing day (Lào Cai, code 10 before the reform,
    reads as the Lào Cai of code 15 in force); one merged into another (Bắc Kạn, Yên
    Bái) and every district and commune closed on 30/06/2025.

    Raises :class:`UnknownProvince` naming the first code no pre-2025 province has.
    """
    codes = tuple(dict.fromkeys(province_codes))
    where, params = "", ()
    if codes:
        where, params = f"WHERE provinceCode IN ({','.join('?' * len(codes))}) ", codes
    rows = _query(
        f"SELECT * FROM admin_units_legacy {where}"  # noqa: S608 (only "?"s)
        "ORDER BY provinceCode, districtCode, wardCode",
        params,
    )
    found = {row["provinceCode"] for row in rows}
    for code in codes:
        if code not in found:
            raise UnknownProvince(code)
    in_force = {
        row["provinceKey"]: row
        for row in _query(
            "SELECT provinceKey, provinceCode, province, provinceShort, provinceLat, provinceLon "
            "FROM admin_units GROUP BY provinceKey",
            (),
        )
    }
    data = ProvinceData()

    def province(row: dict) -> None:
        current = in_force.get(row["provinceKey"])
        if current is not None:
            data.units.append(_current_province(current))
        else:
            data.units.append(_legacy_province(row, valid_until=LAST_DAY_BEFORE_REFORM))

    _add_legacy_rows(data, rows, seen_refs=set(), add_province=province)
    return data
