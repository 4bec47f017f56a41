"""The demo's funds: 2020 allocations of the 9 districts from up to four sources (million
VND), disbursed by 25/06 and 25/09 behind the expected rates (40 % by 30/06, 65 % by
30/09, 90 % by 31/12), so the slow list has entries."""

import datetime
from decimal import Decimal

from funding.models import Disbursement, DisbursementMilestone, FundAllocation, FundSource
from funding.services.demo.cement import BATCHES
from funding.services.demo.common import SIGNER_NOTE, YEAR, save

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


def load_funds(districts) -> int:
    """Write what is missing of the demo's funds for ``districts`` (by GSO code) and the
    expected rates: how many allocations and disbursements were added."""
    written = 0
    sources = {s.code: s for s in FundSource.objects.all()}
    for code, by_source in FUNDS.items():
        district = districts[code]
        for source_code, (allocated, by_june, by_september) in by_source.items():
            source = sources[source_code]
            if not FundAllocation.objects.filter(
                unit=district, year=YEAR, source=source, is_demo=True
            ).exists():
                save(
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
                    save(
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
            save(DisbursementMilestone(year=YEAR, due_on=day, expected_percent=percent, is_demo=True))
    return written
