"""Read queries on administrative units.

``communes`` imports no other app, so these take the units the caller may see as a
queryset (``accounts.scope.unit_scope(user)``) rather than the user.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, QuerySet

from communes.models import AdministrativeUnit, UnitKind, UnitLevel, UnitSuccession

URBAN_KINDS = frozenset({UnitKind.WARD, UnitKind.TOWNSHIP})


@dataclass
class CommuneGroup:
    """The commune-level units under one district (``district`` is None for communes
    directly under the province, as everywhere from 1 July 2025)."""

    district: AdministrativeUnit | None
    communes: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def rural_count(self) -> int:
        """Rural communes (xã), the units assessed against NTM criteria."""
        return sum(1 for unit in self.communes if unit.is_assessed)

    @property
    def urban_count(self) -> int:
        """Wards and townships (phường, thị trấn)."""
        return sum(1 for unit in self.communes if unit.kind in URBAN_KINDS)


@dataclass
class UnitTree:
    """One root of the user's scope on a day, with its commune-level units by district."""

    root: AdministrativeUnit
    groups: list[CommuneGroup]

    @property
    def district_count(self) -> int:
        return sum(1 for group in self.groups if group.district is not None)

    @property
    def commune_count(self) -> int:
        return sum(len(group.communes) for group in self.groups)

    @property
    def rural_count(self) -> int:
        return sum(group.rural_count for group in self.groups)

    @property
    def urban_count(self) -> int:
        return sum(group.urban_count for group in self.groups)


def unit_trees(*, visible: QuerySet[AdministrativeUnit], on: datetime.date) -> list[UnitTree]:
    """The province tree as seen through ``visible`` (a user's scope) on ``on``: for each topmost unit of the
    scope in force that day, its districts (if any) and their commune-level units, with
    counts of xã and of phường/thị trấn. One query whatever the number of units.

    A scope whose root is not in force on ``on`` (a district after 30/06/2025) gives [].
    """
    units = list(visible.valid_on(on).exclude(level=UnitLevel.HAMLET).order_by("name"))
    by_id = {unit.pk: unit for unit in units}
    roots = [unit for unit in units if unit.parent_id not in by_id]
    roots.sort(key=lambda unit: ("province", "district", "commune").index(unit.level))
    trees = []
    for root in roots:
        if root.level == UnitLevel.COMMUNE:
            trees.append(UnitTree(root=root, groups=[CommuneGroup(district=None, communes=[root])]))
            continue
        groups: dict[int | None, CommuneGroup] = {}
        if root.level == UnitLevel.DISTRICT:
            groups[root.pk] = CommuneGroup(district=root)
        for unit in units:
            if unit.level == UnitLevel.DISTRICT and unit.parent_id == root.pk:
                groups.setdefault(unit.pk, CommuneGroup(district=unit))
        for unit in units:
            if unit.level != UnitLevel.COMMUNE:
                continue
            if unit.parent_id == root.pk and root.level == UnitLevel.PROVINCE:
                groups.setdefault(None, CommuneGroup(district=None)).communes.append(unit)
            elif unit.parent_id in groups:
                groups[unit.parent_id].communes.append(unit)
        ordered = sorted(
            groups.values(), key=lambda g: (g.district is None, g.district.code if g.district else "")
        )
        trees.append(UnitTree(root=root, groups=ordered))
    return trees


@dataclass
class UnitLineage:
    """What a unit was formed from and what it went into, split by what the user may open."""

    formed_from: list[UnitSuccession]
    merged_into: list[UnitSuccession]
    visible_ids: frozenset[int]


def unit_lineage(*, visible: QuerySet[AdministrativeUnit], unit: AdministrativeUnit) -> UnitLineage:
    """The lineage rows of ``unit`` (both directions) with the related units loaded, and
    which of those units lie in ``visible`` (the page links only to those)."""
    formed_from = list(
        unit.successions_as_successor.select_related("predecessor__parent").order_by("predecessor__name")
    )
    merged_into = list(
        unit.successions_as_predecessor.select_related("successor__parent").order_by("successor__name")
    )
    related = {row.predecessor_id for row in formed_from} | {row.successor_id for row in merged_into}
    visible_ids = frozenset(visible.filter(pk__in=related).values_list("pk", flat=True))
    return UnitLineage(formed_from=formed_from, merged_into=merged_into, visible_ids=visible_ids)


def unit_search(
    *, visible: QuerySet[AdministrativeUnit], text: str, limit: int = 50
) -> list[AdministrativeUnit]:
    """Units of ``visible`` whose name matches ``text`` without regard to accents,
    case or Unicode spelling; units in force first, then by name."""
    return list(
        visible.search(text)
        .select_related("parent")
        .order_by(F("valid_until").desc(nulls_first=True), "level", "name")[:limit]
    )


def unit_ancestors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The units above ``unit``, from the province down to its parent."""
    ancestors = []
    node = unit.parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    return ancestors
