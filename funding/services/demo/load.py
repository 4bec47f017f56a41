"""Load the illustrative cement, funds, value-chain projects and OCOP products for the demo
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

from dataclasses import dataclass

from django.core.management import call_command
from django.db import transaction

from communes.models import AdministrativeUnit, UnitLevel
from funding.services.demo.cement import CEMENT, load_cement
from funding.services.demo.common import STRUCTURE_DAY
from funding.services.demo.funds import load_funds
from funding.services.demo.projects import load_ocop, load_projects


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


@transaction.atomic
def demo_funding_load() -> DemoResult:
    """Load the demo cement, funds, projects and OCOP products (and the fund sources and
    QĐ 4781 conditions fixtures where missing). Needs Thái Nguyên's units (raises
    :class:`DemoPreconditionError` naming what is missing). Writes only what is missing."""
    districts = _districts()
    # The sources come with migration 0002; a flushed database (transactional tests) lacks them.
    call_command("load_missing", "fund_sources", "support_conditions_4781", verbosity=0, stdout=_Null())
    batches, uses = load_cement(districts)
    fund_rows = load_funds(districts)
    projects, created = load_projects(districts)
    ocop = load_ocop(districts, projects)
    return DemoResult(batches=batches, uses=uses, fund_rows=fund_rows, projects=created, ocop=ocop)


class _Null:
    def write(self, *_args, **_kwargs):
        return None

    def flush(self):
        return None
