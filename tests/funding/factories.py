"""Rows for the funding tests, written straight to the database (the services are what
the tests exercise): cement batches by district code, use reports, fund allocations,
disbursements, registered communes. Districts are the pre-2025 ones (GSO codes: 164 TP
Thái Nguyên, 167 Định Hóa, 170 Võ Nhai, 171 Đại Từ, 173 Phú Bình...)."""

import datetime
from decimal import Decimal

from communes.models import AdministrativeUnit
from funding.models import (
    CementAllocation,
    CementBatch,
    CementUse,
    Disbursement,
    FundAllocation,
    FundSource,
    StandardTarget,
)
from tests.conftest import unit


def commune(name: str) -> AdministrativeUnit:
    """A pre-2025 commune by name (e.g. "Xã Phúc Lương", Đại Từ)."""
    return AdministrativeUnit.objects.get(name=name, valid_until=datetime.date(2025, 6, 30))


def batch(*, year=2020, number="512/QĐ-UBND", day=datetime.date(2020, 3, 10), kind="regular", **tonnes):
    """A batch of ``year`` giving ``tonnes`` to districts by code: ``batch(d171="100")``."""
    row = CementBatch.objects.create(year=year, kind=kind, decision_number=number, decision_date=day)
    for key, value in tonnes.items():
        CementAllocation.objects.create(batch=row, unit=unit(key.removeprefix("d")), tonnes=Decimal(value))
    return row


def use(code: str, tonnes: str, *, year=2020, day=datetime.date(2020, 5, 5)) -> CementUse:
    """A use report of ``tonnes`` by the district ``code`` (a cultural house, no length)."""
    return CementUse.objects.create(
        unit=unit(code),
        year=year,
        used_on=day,
        tonnes=Decimal(tonnes),
        purpose="cultural_house",
        description="Nhà văn hóa xóm",
        evidence="Biên bản nghiệm thu số 1",
    )


def source(code="ngan-sach-trung-uong") -> FundSource:
    return FundSource.objects.get(code=code)


def fund(code: str, amount: int, *, source_code="ngan-sach-trung-uong", year=2020) -> FundAllocation:
    return FundAllocation.objects.create(
        unit=unit(code), year=year, source=source(source_code), amount=Decimal(amount)
    )


def paid(
    code: str, amount: int, *, day=datetime.date(2020, 6, 1), source_code="ngan-sach-trung-uong", year=2020
):
    return Disbursement.objects.create(
        unit=unit(code), year=year, source=source(source_code), paid_on=day, amount=Decimal(amount)
    )


def registered(*names: str, year=2020) -> None:
    for name in names:
        StandardTarget.objects.create(commune=commune(name), year=year)
