"""Read queries on administrative units.

``communes`` imports no other app, so these take the units the caller may see as a
queryset (``accounts.scope.unit_scope(user)``) rather than the user.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from communes.models import AdministrativeUnit, UnitKind, UnitLevel, UnitSuccession
from core.text import vi_sort_key

URBAN_KINDS = frozenset({UnitKind.WARD, UnitKind.TOWNSHIP})
# The loaded data (vietnamadminunits) describe the pre-reform structure as it stood from
# 1 December 2024 (NQ 1240/NQ-UBTVQH15 for Thái Nguyên) until 30 June 2025; earlier
# structures are not recorded, so a tree for an earlier day shows that one.
EARLIEST_RECORDED_STRUCTURE = datetime.date(2024, 12, 1)


def _closing_order(valid_until: datetime.date | None) -> tuple:
    """Sorts units in force (no closing day) first, then the most recently closed."""
    return (valid_until is not None, -(valid_until.toordinal() if valid_until else 0))


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
    Communes are in Vietnamese alphabetical order (:func:`core.text.vi_sort_key`),
    districts in GSO code order; roots by level, those in force longest first.
    """
    units = sorted(
        visible.valid_on(on).exclude(level=UnitLevel.HAMLET), key=lambda unit: vi_sort_key(unit.name)
    )
    by_id = {unit.pk: unit for unit in units}
    roots = [unit for unit in units if unit.parent_id not in by_id]
    # Higher levels first; among equals, the unit in force longest (Thái Nguyên before
    # the Bắc Kạn merged into it), then Vietnamese order (``units`` is already in it).
    roots.sort(
        key=lambda unit: (
            ("province", "district", "commune").index(unit.level),
            _closing_order(unit.valid_until),
        )
    )
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
    formed_from = sorted(
        unit.successions_as_successor.select_related("predecessor__parent"),
        key=lambda row: vi_sort_key(row.predecessor.name),
    )
    merged_into = sorted(
        unit.successions_as_predecessor.select_related("successor__parent"),
        key=lambda row: vi_sort_key(row.successor.name),
    )
    related = {row.predecessor_id for row in formed_from} | {row.successor_id for row in merged_into}
    visible_ids = frozenset(visible.filter(pk__in=related).values_list("pk", flat=True))
    return UnitLineage(formed_from=formed_from, merged_into=merged_into, visible_ids=visible_ids)


@dataclass
class UnitSearchResults:
    """The first ``limit`` matches of a search (``units``) and how many there are in all."""

    units: list[AdministrativeUnit]
    total: int

    @property
    def is_truncated(self) -> bool:
        return self.total > len(self.units)


def unit_search(*, visible: QuerySet[AdministrativeUnit], text: str, limit: int = 50) -> UnitSearchResults:
    """Units of ``visible`` whose name matches ``text`` without regard to accents,
    case or Unicode spelling: units in force first (then the most recently closed), then
    by level, then in Vietnamese alphabetical order; the first ``limit`` of them and the
    number of matches. Two queries: the sort keys of every match (Vietnamese order is
    not the database's, so the first ``limit`` can only be chosen here), then the
    ``limit`` units shown with their parents."""
    keys = list(visible.search(text).values_list("pk", "name", "level", "valid_until"))
    keys.sort(key=lambda row: (_closing_order(row[3]), row[2], vi_sort_key(row[1])))
    shown = [row[0] for row in keys[:limit]]
    by_pk = AdministrativeUnit.objects.select_related("parent").in_bulk(shown) if shown else {}
    return UnitSearchResults(units=[by_pk[pk] for pk in shown], total=len(keys))


def unit_children(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The units directly below ``unit``: those in force first (then the most recently
    closed), each group in Vietnamese alphabetical order."""
    return sorted(
        unit.children.all(), key=lambda child: (_closing_order(child.valid_until), vi_sort_key(child.name))
    )


def unit_ancestors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The units above ``unit``, from the province down to its parent."""
    ancestors = []
    node = unit.parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    return ancestors


def visible_unit_ids(
    *, visible: QuerySet[AdministrativeUnit], units: list[AdministrativeUnit]
) -> frozenset[int]:
    """Which of ``units`` lie in ``visible`` (a user's scope), in one query: the pages link
    only to those."""
    if not units:
        return frozenset()
    return frozenset(visible.filter(pk__in=[unit.pk for unit in units]).values_list("pk", flat=True))
