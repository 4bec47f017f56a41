"""The demo's cement (notice 58/TB-UBND, 06/07/2020): two regular 2020 batches for the 9
districts, delivered, and used well in the plains and cities and slowly in the mountain
districts Định Hóa and Võ Nhai, which also have communes registered to reach the
standard in 2020 (the last xã of each district by GSO code, those the criteria demo
leaves unrecognised) and roads still to harden. No reserve batch: the coordinator makes
the proposal."""

import datetime
from decimal import Decimal

from funding.models import (
    BatchKind,
    CementAllocation,
    CementBatch,
    CementDelivery,
    CementUse,
    RoadBacklog,
    RoadKind,
    StandardTarget,
    UsePurpose,
)
from funding.services.demo.common import EVIDENCE, SIGNER_NOTE, YEAR, communes_of, save

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


def load_cement(districts) -> tuple[int, int]:
    """Write what is missing of the demo's cement for ``districts`` (by GSO code):
    (batches, use reports) added."""
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
            save(batch)
            batches += 1
        present = set(batch.allocations.values_list("unit_id", flat=True))
        for code, (allocated, _used) in CEMENT.items():
            if districts[code].pk not in present:
                save(CementAllocation(batch=batch, unit=districts[code], tonnes=Decimal(allocated) * share))
    for code, (allocated, used) in CEMENT.items():
        district = districts[code]
        communes = communes_of(district)
        if not CementDelivery.objects.filter(unit=district, year=YEAR, is_demo=True).exists():
            for (number, day, share), fraction in zip(BATCHES, (Decimal(1), Decimal("0.75")), strict=True):
                save(
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
            save(
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
                save(StandardTarget(commune=commune, year=YEAR, note=SIGNER_NOTE, is_demo=True))
            if not RoadBacklog.objects.filter(commune=commune, year=YEAR).exists():
                save(
                    RoadBacklog(
                        commune=commune,
                        year=YEAR,
                        km=Decimal(4 + 3 * position),
                        note=SIGNER_NOTE,
                        is_demo=True,
                    )
                )
    return batches, uses
