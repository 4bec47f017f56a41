"""Objects and POST data for the permission matrix rows of the cement and funds pages
(tests/test_permission_matrix.py, block "Funding (issue 6)").

The factories build what a URL needs and return its arguments (or None when the URL has
none and only the database must hold something). Unit and source ids in the POST data
are :class:`Pk` objects: the test client writes ``str(value)``, which looks the id up
at request time, inside the test's database."""

import datetime
import io
from decimal import Decimal

from django.core.management import call_command

from communes.models import AdministrativeUnit
from funding.models import (
    CementAllocation,
    CementBatch,
    CementUse,
    FundAllocation,
    FundSource,
    SupportCondition,
    ValueChainProject,
)

PRE_REFORM = datetime.date(2025, 6, 30)


class Pk:
    """The id of a unit (by name, pre-2025) or a fund source (by code), as text."""

    def __init__(self, *, unit: str = "", source: str = ""):
        self.unit, self.source = unit, source

    def __str__(self):
        if self.source:
            return str(FundSource.objects.get(code=self.source).pk)
        return str(AdministrativeUnit.objects.get(name=self.unit, valid_until=PRE_REFORM).pk)


def _dai_tu() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code="171", valid_until=PRE_REFORM)


def cement_2020():
    """A 2020 batch giving Huyện Đại Từ 100 t, 50 t of them used; no URL argument."""
    batch = CementBatch.objects.create(
        year=2020, decision_number="512/QĐ-UBND", decision_date=datetime.date(2020, 3, 10)
    )
    CementAllocation.objects.create(batch=batch, unit=_dai_tu(), tonnes=Decimal(100))
    CementUse.objects.create(
        unit=_dai_tu(), year=2020, used_on=datetime.date(2020, 4, 1), tonnes=Decimal(50), purpose="school",
        description="Sân trường", evidence="Biên bản",
    )  # fmt: skip
    return None


def batch_pk() -> int:
    """The batch of :func:`cement_2020` (only Đại Từ: 404 for Phú Bình's officer)."""
    cement_2020()
    return CementBatch.objects.get().pk


def dai_tu_pk() -> int:
    return _dai_tu().pk


def funds_2020():
    """1.000.000.000 đ of the central budget for Đại Từ in 2020; no URL argument."""
    FundAllocation.objects.create(
        unit=_dai_tu(),
        year=2020,
        source=FundSource.objects.get(code="ngan-sach-trung-uong"),
        amount=Decimal(10**9),
    )
    return None


def project_pk() -> int:
    """A project in Xã La Bằng (Đại Từ)."""
    project = ValueChainProject.objects.create(
        name="Liên kết chè", partner_name="HTX", partner_kind="cooperative", product="Chè",
        links_production=True, support_requested=Decimal(10**9),
    )  # fmt: skip
    project.communes.add(AdministrativeUnit.objects.get(name="Xã La Bằng", valid_until=PRE_REFORM))
    return project.pk


def project_check_args() -> list[int]:
    """[project, its first QĐ 4781 condition]."""
    call_command("load_missing", "support_conditions_4781", stdout=io.StringIO())
    return [project_pk(), SupportCondition.objects.order_by("position").first().pk]


USE_DATA = {
    "unit": Pk(unit="Huyện Đại Từ"),
    "year": "2020",
    "used_on": "05/05/2020",
    "tonnes": "10",
    "purpose": "school",
    "description": "Sân trường",
    "evidence": "Biên bản nghiệm thu",
}
DELIVERY_DATA = {
    "unit": Pk(unit="Huyện Đại Từ"),
    "year": "2020",
    "delivered_on": "20/03/2020",
    "tonnes": "10",
}
FUND_DATA = {
    "unit": Pk(unit="Huyện Đại Từ"),
    "year": "2020",
    "source": Pk(source="ngan-sach-tinh"),
    "amount": "1.000.000",
}
DISBURSEMENT_DATA = {
    "unit": Pk(unit="Huyện Đại Từ"),
    "year": "2020",
    "source": Pk(source="ngan-sach-trung-uong"),
    "paid_on": "01/06/2020",
    "amount": "1.000.000",
}
OCOP_DATA = {
    "name": "Chè búp khô",
    "producer_name": "HTX chè",
    "producer_kind": "cooperative",
    "commune": Pk(unit="Xã La Bằng"),
    "stars": "4",
    "rating_decision": "2150/QĐ-UBND",
    "rating_year": "2019",
}
