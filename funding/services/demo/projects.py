"""The demo's value-chain projects (four, at different stages of vetting against the
QĐ 4781 conditions) and OCOP products (3 to 5 stars, some made by a project).
Enterprises and cooperatives carry "(minh họa)" in their names."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from communes.models import AdministrativeUnit
from funding.models import (
    CheckOutcome,
    ConditionCheck,
    OcopGroup,
    OcopProduct,
    PartnerKind,
    ProjectStatus,
    SupportCondition,
    ValueChainProject,
)
from funding.services.demo.common import SIGNER_NOTE, communes_of, save


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


def load_projects(districts) -> tuple[list[ValueChainProject], int]:
    """Write what is missing of the demo projects (placed in ``districts``' communes) and
    their checks: (every demo project, in :data:`PROJECTS` order; how many were added)."""
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
            save(project)
            project.communes.set(communes_of(districts[plan.district])[: plan.communes])
            created += 1
        for code, (outcome, note) in plan.checks.items():
            condition = conditions.get(code)
            if (
                condition is not None
                and not ConditionCheck.objects.filter(project=project, condition=condition).exists()
            ):
                save(
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


def load_ocop(districts, projects) -> int:
    """Write the missing demo OCOP products (``projects`` as :func:`load_projects`
    answers them): how many were added."""
    created = 0
    for name, group, producer, kind, district_code, where, stars, decision, year, project_index in OCOP:
        if OcopProduct.objects.filter(name=name, is_demo=True).exists():
            continue
        if district_code is None:
            commune = AdministrativeUnit.objects.filter(code=where, valid_until__isnull=True).first()
            if commune is None:
                continue
        else:
            commune = communes_of(districts[district_code])[where]
        save(
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
