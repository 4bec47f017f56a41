"""Rows for the funding tests, written straight to the database (the services are what
the tests exercise): cement batches by district code, use reports, fund allocations,
disbursements, registered communes. Districts are the pre-2025 ones (GSO codes: 164 TP
Thái Nguyên, 167 Định Hóa, 170 Võ Nhai, 171 Đại Từ, 173 Phú Bình...).

The factories (factory_boy ``DjangoModelFactory``) hold the defaults: a 2020 row of
Huyện Đại Từ (171); the helper functions below (``batch(d171="100")``, ``use("171",
"50")``, ``fund("171", 1000)``...) are what the tests call, and build through them."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from communes.models import AdministrativeUnit
from funding.models import (
    BatchKind,
    CementAllocation,
    CementBatch,
    CementUse,
    Disbursement,
    FundAllocation,
    FundSource,
    StandardTarget,
    UsePurpose,
)
from tests.conftest import unit

PRE_REFORM = datetime.date(2025, 6, 30)


def commune(name: str) -> AdministrativeUnit:
    """A pre-2025 commune by name (e.g. "Xã Phúc Lương", Đại Từ)."""
    return AdministrativeUnit.objects.get(name=name, valid_until=PRE_REFORM)


def source(code="ngan-sach-trung-uong") -> FundSource:
    """A fund source of migration 0002 by code (default: the central budget)."""
    return FundSource.objects.get(code=code)


class CementBatchFactory(DjangoModelFactory):
    """A regular 2020 batch, decision 512/QĐ-UBND of 10/03/2020."""

    class Meta:
        model = CementBatch

    year = 2020
    kind = BatchKind.REGULAR
    decision_number = "512/QĐ-UBND"
    decision_date = datetime.date(2020, 3, 10)


class CementAllocationFactory(DjangoModelFactory):
    """100 t of a new batch to Huyện Đại Từ."""

    class Meta:
        model = CementAllocation

    batch = factory.SubFactory(CementBatchFactory)
    unit = factory.LazyFunction(lambda: unit("171"))
    tonnes = Decimal(100)


class CementUseFactory(DjangoModelFactory):
    """10 t of Đại Từ's 2020 cement used on 05/05/2020 for a cultural house (no length)."""

    class Meta:
        model = CementUse

    unit = factory.LazyFunction(lambda: unit("171"))
    year = 2020
    used_on = datetime.date(2020, 5, 5)
    tonnes = Decimal(10)
    purpose = UsePurpose.CULTURAL_HOUSE
    description = "Nhà văn hóa xóm"
    evidence = "Biên bản nghiệm thu số 1"


class FundAllocationFactory(DjangoModelFactory):
    """1.000.000 đ of the central budget to Đại Từ for 2020."""

    class Meta:
        model = FundAllocation

    unit = factory.LazyFunction(lambda: unit("171"))
    year = 2020
    source = factory.LazyFunction(source)
    amount = Decimal(1_000_000)


class DisbursementFactory(DjangoModelFactory):
    """100.000 đ of Đại Từ's 2020 central budget disbursed on 01/06/2020."""

    class Meta:
        model = Disbursement

    unit = factory.LazyFunction(lambda: unit("171"))
    year = 2020
    source = factory.LazyFunction(source)
    paid_on = datetime.date(2020, 6, 1)
    amount = Decimal(100_000)


class StandardTargetFactory(DjangoModelFactory):
    """Xã Phúc Lương (Đại Từ) registered to reach the standard in 2020."""

    class Meta:
        model = StandardTarget

    commune = factory.LazyFunction(lambda: commune("Xã Phúc Lương"))
    year = 2020


def batch(*, year=2020, number="512/QĐ-UBND", day=datetime.date(2020, 3, 10), kind="regular", **tonnes):
    """A batch of ``year`` giving ``tonnes`` to districts by code: ``batch(d171="100")``."""
    row = CementBatchFactory(year=year, kind=kind, decision_number=number, decision_date=day)
    for key, value in tonnes.items():
        CementAllocationFactory(batch=row, unit=unit(key.removeprefix("d")), tonnes=Decimal(value))
    return row


def use(code: str, tonnes: str, *, year=2020, day=datetime.date(2020, 5, 5)) -> CementUse:
    """A use report of ``tonnes`` by the district ``code`` (a cultural house, no length)."""
    return CementUseFactory(unit=unit(code), year=year, used_on=day, tonnes=Decimal(tonnes))


def fund(code: str, amount: int, *, source_code="ngan-sach-trung-uong", year=2020) -> FundAllocation:
    """``amount`` VND of ``source_code`` allocated to the district ``code`` for ``year``."""
    return FundAllocationFactory(
        unit=unit(code), year=year, source=source(source_code), amount=Decimal(amount)
    )


def paid(
    code: str, amount: int, *, day=datetime.date(2020, 6, 1), source_code="ngan-sach-trung-uong", year=2020
) -> Disbursement:
    """``amount`` VND of ``source_code`` disbursed by the district ``code`` on ``day``."""
    return DisbursementFactory(
        unit=unit(code), year=year, source=source(source_code), paid_on=day, amount=Decimal(amount)
    )


def registered(*names: str, year=2020) -> None:
    """The communes ``names`` (pre-2025) registered to reach the standard in ``year``."""
    for name in names:
        StandardTargetFactory(commune=commune(name), year=year)
