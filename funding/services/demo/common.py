"""What the demo loaders of each topic share (:mod:`funding.services.demo.cement`,
:mod:`funding.services.demo.funds`, :mod:`funding.services.demo.projects`; loaded
together by :func:`funding.services.demo.load.demo_funding_load`): the year shown, the
day whose units it uses, the words that mark a row as illustrative, and how a row is
written (without an acting user, with its history row)."""

import datetime

from communes.models import AdministrativeUnit, UnitKind

YEAR = 2020
STRUCTURE_DAY = datetime.date(2020, 6, 30)
EVIDENCE = "Biên bản nghiệm thu (minh họa), không phải số liệu chính thức."
SIGNER_NOTE = "Dữ liệu minh họa."


def communes_of(district: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The rural communes (xã) of ``district`` on :data:`STRUCTURE_DAY`, by GSO code."""
    return list(
        AdministrativeUnit.objects.filter(parent=district, kind=UnitKind.COMMUNE)
        .valid_on(STRUCTURE_DAY)
        .order_by("code")
    )


def save(obj) -> None:
    """Save a demo row; its history row names no user (the demo, not a person)."""
    obj._history_user = None
    obj.save()
