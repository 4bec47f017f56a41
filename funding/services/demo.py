"""Illustrative cement, funds, value-chain projects and OCOP products for the demo
(``make run``), flagged ``is_demo=True`` and shown as "Dữ liệu minh họa": never
official data. Enterprises and cooperatives carry "(minh họa)" in their names.

The picture follows notice 58/TB-UBND (06/07/2020): two regular cement batches of 2020
for the 9 districts, used well in the plains and cities and slowly in the mountain
districts Định Hóa and Võ Nhai (which also have communes registered to reach the
standard in 2020: the last xã of each district by GSO code, those the criteria demo
leaves unrecognised); no reserve batch yet, so a coordinator can make the proposal;
2020 funds from four sources with disbursement behind the expected rates; four
value-chain projects at different stages of vetting; OCOP products of 3 to 5 stars.

Loading is idempotent: each row is looked up by its natural key (batch decision,
allocation unit, use report date and works, ...) and only what is missing is written,
with its history row.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction

from communes.models import AdministrativeUnit, UnitKind, UnitLevel
from funding.models import (
    BatchKind,
    CementAllocation,
    CementBatch,
    CementDelivery,
    CementUse,
    CheckOutcome,
    ConditionCheck,
    Disbursement,
    DisbursementMilestone,
    FundAllocation,
    FundSource,
    OcopGroup,
    OcopProduct,
    PartnerKind,
    ProjectStatus,
    RoadBacklog,
    RoadKind,
    StandardTarget,
    SupportCondition,
    UsePurpose,
    ValueChainProject,
)

YEAR = 2020
STRUCTURE_DAY = datetime.date(2020, 6, 30)
EVIDENCE = "Biên bản nghiệm thu (minh họa), không phải số liệu chính thức."
SIGNER_NOTE = "Dữ liệu minh họa."

# District GSO code -> (tonnes allocated in 2020, tonnes used by 30/06/2020).
CEMENT = {
    "164": (1500, 1455),
    "165": (800, 760),
    "167": (3200, 1380),
    "168": (2600, 2210),
    "169": (2400, 1740),
    "170": (3000, 1140),
    "171": (3500, 3150),
    "172": (1800, 1620),
    "173": (2200, 2090),
}
BATCHES = (
    ("512/QĐ-UBND", datetime.date(2020, 3, 10), Decimal("0.6")),
    ("1375/QĐ-UBND", datetime.date(2020, 5, 12), Decimal("0.4")),
)
# District -> how many of its last xã (by GSO code) registered to reach the standard in 2020.
REGISTERED = {"167": 2, "170": 2, "171": 1, "168": 1, "169": 1}
# Share of a district's use: (purpose, road kind, share of the tonnes, km per 100 t, works).
USES = (
    (UsePurpose.ROAD, RoadKind.HAMLET_AXIS, Decimal("0.5"), Decimal("1.2"), "Cứng hóa đường trục xóm"),
    (UsePurpose.CANAL, "", Decimal("0.3"), Decimal("0.9"), "Kiên cố hóa kênh mương nội đồng"),
    (UsePurpose.CULTURAL_HOUSE, "", Decimal("0.2"), None, "Sân, tường rào nhà văn hóa xóm"),
)
USE_DATES = (datetime.date(2020, 4, 20), datetime.date(2020, 5, 25), datetime.date(2020, 6, 22))

# District -> {source code: (allocated, disbursed by 30/06, disbursed by 30/09)} in million VND.
FUNDS = {
    "164": {
        "ngan-sach-trung-uong": (6000, 3100, 4800),
        "ngan-sach-tinh": (4000, 2300, 3400),
        "cong-dong": (1200, 700, 1000),
    },
    "165": {"ngan-sach-trung-uong": (3000, 1500, 2500), "ngan-sach-tinh": (2500, 1300, 2000)},
    "167": {
        "ngan-sach-trung-uong": (12000, 2600, 5200),
        "ngan-sach-tinh": (7000, 1900, 3600),
        "ngan-sach-huyen": (2000, 500, 900),
    },
    "168": {
        "ngan-sach-trung-uong": (9000, 4200, 6900),
        "ngan-sach-tinh": (5000, 2400, 3900),
        "cong-dong": (1500, 800, 1200),
    },
    "169": {"ngan-sach-trung-uong": (8500, 3300, 5600), "ngan-sach-tinh": (5000, 2000, 3300)},
    "170": {
        "ngan-sach-trung-uong": (11000, 2100, 4300),
        "ngan-sach-tinh": (6500, 1500, 2900),
        "ngan-sach-huyen": (1500, 300, 600),
    },
    "171": {
        "ngan-sach-trung-uong": (13000, 6200, 10100),
        "ngan-sach-tinh": (7500, 3600, 5900),
        "cong-dong": (2500, 1300, 2000),
    },
    "172": {"ngan-sach-trung-uong": (5000, 2600, 4100), "ngan-sach-tinh": (3500, 1700, 2800)},
    "173": {
        "ngan-sach-trung-uong": (9500, 4700, 7700),
        "ngan-sach-tinh": (6000, 3000, 4800),
        "ngan-sach-huyen": (1800, 900, 1450),
    },
}
MILLION = Decimal(1_000_000)
MILESTONES = (
    (datetime.date(2020, 6, 30), Decimal(40)),
    (datetime.date(2020, 9, 30), Decimal(65)),
    (datetime.date(2020, 12, 31), Decimal(90)),
)


@dataclass(frozen=True)
class ProjectPlan:
    """One demo project: what it is, where (the first ``communes`` xã of ``district``), its checks."""

    name: str
    partner: str
    kind: str
    product: str
    links: tuple[bool, bool, bool]
    area: Decimal | None
    volume: Decimal | None
    asked: int
    approved: int | None
    status: str
    district: str
    communes: int  # how many of the district's first xã by GSO code
    checks: dict[str, tuple[str, str]]  # condition code -> (outcome, note)


MET = CheckOutcome.MET
PROJECTS = (
    ProjectPlan(
        "Liên kết sản xuất, chế biến và tiêu thụ chè an toàn theo chuỗi giá trị",
        "Hợp tác xã chè La Bằng (minh họa)",
        PartnerKind.COOPERATIVE,
        "Chè búp khô",
        (True, True, True),
        Decimal("50"),
        Decimal("120"),
        2_500_000_000,
        2_000_000_000,
        ProjectStatus.APPROVED,
        "171",
        2,
        {
            "4781-cong-dong": (MET, ""),
            "4781-trong-diem": (MET, ""),
            "tb58-lien-ket-cu-the": (MET, "Hợp đồng bao tiêu với 180 hộ."),
            "tb58-vung-nguyen-lieu": (MET, "Vùng nguyên liệu 50 ha."),
        },
    ),
    ProjectPlan(
        "Liên kết chăn nuôi và tiêu thụ gà đồi thương phẩm",
        "Công ty TNHH Nông sản Phú Bình (minh họa)",
        PartnerKind.ENTERPRISE,
        "Gà đồi",
        (True, False, True),
        None,
        Decimal("300"),
        1_800_000_000,
        None,
        ProjectStatus.VETTING,
        "173",
        3,
        {
            "4781-cong-dong": (MET, ""),
            "tb58-lien-ket-cu-the": (MET, ""),
            "tb58-vung-nguyen-lieu": (CheckOutcome.NOT_MET, "Chưa xác định vùng chăn nuôi tập trung."),
        },
    ),
    ProjectPlan(
        "Liên kết sản xuất và chế biến gạo Bao thai chất lượng cao",
        "Hợp tác xã nông nghiệp Định Hóa (minh họa)",
        PartnerKind.COOPERATIVE,
        "Gạo Bao thai",
        (True, True, False),
        Decimal("100"),
        None,
        1_200_000_000,
        None,
        ProjectStatus.PROPOSED,
        "167",
        2,
        {},
    ),
    ProjectPlan(
        "Liên kết trồng và tiêu thụ na Võ Nhai",
        "Tổ hợp tác na La Hiên (minh họa)",
        PartnerKind.COOPERATIVE_GROUP,
        "Quả na",
        (True, False, True),
        Decimal("60"),
        Decimal("450"),
        900_000_000,
        750_000_000,
        ProjectStatus.IN_PROGRESS,
        "170",
        1,
        {
            "4781-cong-dong": (MET, ""),
            "4781-trong-diem": (MET, ""),
            "tb58-lien-ket-cu-the": (MET, ""),
            "tb58-vung-nguyen-lieu": (MET, ""),
        },
    ),
)
# (product, group, producer, kind, district code or None for a current commune, commune
# position in the district (by GSO code) or the commune's code, stars, decision, year,
# project index or None).
OCOP = (
    (
        "Chè búp khô La Bằng",
        OcopGroup.DRINKS,
        "Hợp tác xã chè La Bằng (minh họa)",
        PartnerKind.COOPERATIVE,
        "171",
        0,
        4,
        "2150/QĐ-UBND",
        2019,
        0,
    ),
    (
        "Trà xanh đặc sản",
        OcopGroup.DRINKS,
        "Hộ kinh doanh chè Phúc Xuân (minh họa)",
        PartnerKind.HOUSEHOLD,
        "164",
        1,
        4,
        "2150/QĐ-UBND",
        2019,
        None,
    ),
    (
        "Gạo Bao thai",
        OcopGroup.FOOD,
        "Hợp tác xã nông nghiệp Định Hóa (minh họa)",
        PartnerKind.COOPERATIVE,
        "167",
        0,
        3,
        "1024/QĐ-UBND",
        2020,
        2,
    ),
    (
        "Miến dong",
        OcopGroup.FOOD,
        "Hộ sản xuất miến Lam Vỹ (minh họa)",
        PartnerKind.HOUSEHOLD,
        "167",
        1,
        3,
        "1024/QĐ-UBND",
        2020,
        None,
    ),
    (
        "Gà đồi",
        OcopGroup.FOOD,
        "Công ty TNHH Nông sản Phú Bình (minh họa)",
        PartnerKind.ENTERPRISE,
        "173",
        0,
        3,
        "3317/QĐ-UBND",
        2020,
        1,
    ),
    (
        "Trứng gà sạch",
        OcopGroup.FOOD,
        "Hợp tác xã chăn nuôi Tân Khánh (minh họa)",
        PartnerKind.COOPERATIVE,
        "173",
        1,
        4,
        "2150/QĐ-UBND",
        2019,
        None,
    ),
    (
        "Quả na",
        OcopGroup.FOOD,
        "Tổ hợp tác na La Hiên (minh họa)",
        PartnerKind.COOPERATIVE_GROUP,
        "170",
        0,
        4,
        "2150/QĐ-UBND",
        2019,
        3,
    ),
    (
        "Bánh chưng",
        OcopGroup.FOOD,
        "Hộ kinh doanh bánh chưng Yên Ninh (minh họa)",
        PartnerKind.HOUSEHOLD,
        "168",
        0,
        3,
        "1024/QĐ-UBND",
        2020,
        None,
    ),
    (
        "Mật ong rừng",
        OcopGroup.FOOD,
        "Hợp tác xã ong Văn Lăng (minh họa)",
        PartnerKind.COOPERATIVE,
        "169",
        0,
        3,
        "3317/QĐ-UBND",
        2020,
        None,
    ),
    (
        "Chè Phúc Tân",
        OcopGroup.DRINKS,
        "Hợp tác xã chè Phúc Tân (minh họa)",
        PartnerKind.COOPERATIVE,
        "172",
        0,
        3,
        "3317/QĐ-UBND",
        2020,
        None,
    ),
    (
        "Chè Tân Cương đặc biệt",
        OcopGroup.DRINKS,
        "Hợp tác xã chè Tân Cương (minh họa)",
        PartnerKind.COOPERATIVE,
        None,
        "05503",
        5,
        "1518/QĐ-BNNMT",
        2025,
        None,
    ),
)


class DemoPreconditionError(Exception):
    """Something the demo builds on is missing (Thái Nguyên's units)."""


@dataclass(frozen=True)
class DemoResult:
    """How many rows of each kind the demo added."""

    batches: int
    uses: int
    fund_rows: int
    projects: int
    ocop: int


def _districts() -> dict[str, AdministrativeUnit]:
    districts = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.filter(
            level=UnitLevel.DISTRICT, code__in=CEMENT, parent__code="19"
        ).valid_on(STRUCTURE_DAY)
    }
    missing = sorted(set(CEMENT) - set(districts))
    if missing:
        raise DemoPreconditionError(
            f"Districts {', '.join(missing)} of Thái Nguyên are missing: run manage.py load_admin_units --province 19."
        )
    return districts


def _communes(district: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(
        AdministrativeUnit.objects.filter(parent=district, kind=UnitKind.COMMUNE)
        .valid_on(STRUCTURE_DAY)
        .order_by("code")
    )


def _save(obj) -> None:
    obj._history_user = None
    obj.save()


def _cement(districts) -> tuple[int, int]:
    batches = uses = 0
    for number, day, share in BATCHES:
        batch = CementBatch.objects.filter(year=YEAR, decision_number=number).first()
        if batch is None:
            batch = CementBatch(
                year=YEAR,
                kind=BatchKind.REGULAR,
                decision_number=number,
                decision_date=day,
                note=SIGNER_NOTE,
                is_demo=True,
            )
            _save(batch)
            batches += 1
        present = set(batch.allocations.values_list("unit_id", flat=True))
        for code, (allocated, _used) in CEMENT.items():
            if districts[code].pk not in present:
                _save(CementAllocation(batch=batch, unit=districts[code], tonnes=Decimal(allocated) * share))
    for code, (allocated, used) in CEMENT.items():
        district = districts[code]
        communes = _communes(district)
        if not CementDelivery.objects.filter(unit=district, year=YEAR, is_demo=True).exists():
            for (number, day, share), fraction in zip(BATCHES, (Decimal(1), Decimal("0.75")), strict=True):
                _save(
                    CementDelivery(
                        unit=district,
                        year=YEAR,
                        delivered_on=day + datetime.timedelta(days=12),
                        tonnes=Decimal(allocated) * share * fraction,
                        reference=f"Biên bản giao nhận theo QĐ {number} (minh họa)",
                        is_demo=True,
                    )
                )
        for index, ((purpose, road_kind, share, km_per_100, works), day) in enumerate(
            zip(USES, USE_DATES, strict=True)
        ):
            place = communes[index % len(communes)]
            description = f"{works} ({place.name})"
            if CementUse.objects.filter(
                unit=district, year=YEAR, used_on=day, description=description
            ).exists():
                continue
            tonnes = Decimal(used) * share
            _save(
                CementUse(
                    unit=district,
                    year=YEAR,
                    used_on=day,
                    tonnes=tonnes,
                    purpose=purpose,
                    road_kind=road_kind,
                    length_km=None
                    if km_per_100 is None
                    else (tonnes * km_per_100 / 100).quantize(Decimal("0.001")),
                    place=place,
                    description=description,
                    evidence=EVIDENCE,
                    is_demo=True,
                )
            )
            uses += 1
        for position, commune in enumerate(communes[::-1][: REGISTERED.get(code, 0)]):
            if not StandardTarget.objects.filter(commune=commune, year=YEAR).exists():
                _save(StandardTarget(commune=commune, year=YEAR, note=SIGNER_NOTE, is_demo=True))
            if not RoadBacklog.objects.filter(commune=commune, year=YEAR).exists():
                _save(
                    RoadBacklog(
                        commune=commune,
                        year=YEAR,
                        km=Decimal(4 + 3 * position),
                        note=SIGNER_NOTE,
                        is_demo=True,
                    )
                )
    return batches, uses


def _funds(districts) -> int:
    written = 0
    sources = {s.code: s for s in FundSource.objects.all()}
    for code, by_source in FUNDS.items():
        district = districts[code]
        for source_code, (allocated, by_june, by_september) in by_source.items():
            source = sources[source_code]
            if not FundAllocation.objects.filter(
                unit=district, year=YEAR, source=source, is_demo=True
            ).exists():
                _save(
                    FundAllocation(
                        unit=district,
                        year=YEAR,
                        source=source,
                        amount=Decimal(allocated) * MILLION,
                        decision_number=BATCHES[0][0],
                        decision_date=BATCHES[0][1],
                        note=SIGNER_NOTE,
                        is_demo=True,
                    )
                )
                written += 1
            for day, amount in (
                (datetime.date(2020, 6, 25), by_june),
                (datetime.date(2020, 9, 25), by_september - by_june),
            ):
                exists = Disbursement.objects.filter(
                    unit=district, year=YEAR, source=source, paid_on=day, is_demo=True
                ).exists()
                if not exists and amount > 0:
                    _save(
                        Disbursement(
                            unit=district,
                            year=YEAR,
                            source=source,
                            paid_on=day,
                            amount=Decimal(amount) * MILLION,
                            note=SIGNER_NOTE,
                            is_demo=True,
                        )
                    )
                    written += 1
    for day, percent in MILESTONES:
        if not DisbursementMilestone.objects.filter(year=YEAR, due_on=day).exists():
            _save(DisbursementMilestone(year=YEAR, due_on=day, expected_percent=percent, is_demo=True))
    return written


def _projects(districts) -> tuple[list[ValueChainProject], int]:
    conditions = {c.code: c for c in SupportCondition.objects.all()}
    projects, created = [], 0
    for plan in PROJECTS:
        project = ValueChainProject.objects.filter(name=plan.name, is_demo=True).first()
        if project is None:
            production, processing, consumption = plan.links
            project = ValueChainProject(
                name=plan.name,
                partner_name=plan.partner,
                partner_kind=plan.kind,
                product=plan.product,
                links_production=production,
                links_processing=processing,
                links_consumption=consumption,
                area_ha=plan.area,
                volume_tonnes=plan.volume,
                support_requested=Decimal(plan.asked),
                support_approved=None if plan.approved is None else Decimal(plan.approved),
                status=plan.status,
                submission="Tờ trình số 168/TTr-VPĐP ngày 15/6/2020",
                note=SIGNER_NOTE,
                is_demo=True,
            )
            _save(project)
            project.communes.set(_communes(districts[plan.district])[: plan.communes])
            created += 1
        for code, (outcome, note) in plan.checks.items():
            condition = conditions.get(code)
            if (
                condition is not None
                and not ConditionCheck.objects.filter(project=project, condition=condition).exists()
            ):
                _save(
                    ConditionCheck(
                        project=project,
                        condition=condition,
                        outcome=outcome,
                        note=note,
                        checked_at=datetime.datetime(2020, 7, 10, 9, 0, tzinfo=datetime.UTC),
                    )
                )
        projects.append(project)
    return projects, created


def _ocop(districts, projects) -> int:
    created = 0
    for name, group, producer, kind, district_code, where, stars, decision, year, project_index in OCOP:
        if OcopProduct.objects.filter(name=name, is_demo=True).exists():
            continue
        if district_code is None:
            commune = AdministrativeUnit.objects.filter(code=where, valid_until__isnull=True).first()
            if commune is None:
                continue
        else:
            commune = _communes(districts[district_code])[where]
        _save(
            OcopProduct(
                name=name,
                group=group,
                producer_name=producer,
                producer_kind=kind,
                commune=commune,
                stars=stars,
                rating_decision=decision,
                rating_year=year,
                project=None if project_index is None else projects[project_index],
                is_demo=True,
            )
        )
        created += 1
    return created


@transaction.atomic
def demo_funding_load() -> DemoResult:
    """Load the demo cement, funds, projects and OCOP products (and the fund sources and
    QĐ 4781 conditions fixtures where missing). Needs Thái Nguyên's units (raises
    :class:`DemoPreconditionError` naming what is missing). Writes only what is missing."""
    districts = _districts()
    # The sources come with migration 0002; a flushed database (transactional tests) lacks them.
    call_command("load_missing", "fund_sources", "support_conditions_4781", verbosity=0, stdout=_Null())
    batches, uses = _cement(districts)
    fund_rows = _funds(districts)
    projects, created = _projects(districts)
    ocop = _ocop(districts, projects)
    return DemoResult(batches=batches, uses=uses, fund_rows=fund_rows, projects=created, ocop=ocop)


class _Null:
    def write(self, *_args, **_kwargs):
        return None

    def flush(self):
        return None
