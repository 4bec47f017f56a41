"""Read queries of value-chain projects and OCOP products, taking the units the caller
may see (``visible = accounts.scope.unit_scope(user)``) like :mod:`funding.selectors.cement`,
each in a fixed number of queries (``tests/funding/test_projects.py`` counts them)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from communes.models import AdministrativeUnit, UnitLevel
from funding.models import CheckOutcome, ConditionCheck, OcopProduct, SupportCondition, ValueChainProject
from funding.selectors.history import HistoryEntry, check_history, project_history


def projects_in_scope(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[ValueChainProject]:
    """Projects with a commune in ``visible``; projects with no commune yet only for
    those who see a whole province (the office vets them before they are placed)."""
    sees_province = (
        Q(pk__in=[]) if not visible.filter(level=UnitLevel.PROVINCE).exists() else Q(communes=None)
    )
    in_scope = ValueChainProject.objects.filter(Q(communes__in=visible) | sees_province).values("pk")
    return ValueChainProject.objects.filter(pk__in=in_scope)


@dataclass(frozen=True)
class ProjectRow:
    """A project and how many active conditions it meets, does not meet, of ``conditions``."""

    project: ValueChainProject
    met: int
    not_met: int
    conditions: int

    @property
    def unchecked(self) -> int:
        """Active conditions not checked yet."""
        return max(self.conditions - self.met - self.not_met, 0)


def project_list(*, visible: QuerySet[AdministrativeUnit], status: str = "") -> list[ProjectRow]:
    """The projects in scope (optionally of one status) with their checklist counts.
    Five queries."""
    projects = projects_in_scope(visible=visible)
    if status:
        projects = projects.filter(status=status)
    projects = _with_check_counts(projects).prefetch_related("communes__parent")
    conditions = active_condition_count()
    return [
        ProjectRow(project=p, met=p.met, not_met=p.not_met, conditions=conditions)
        for p in projects.order_by("name", "pk")
    ]


def _with_check_counts(projects: QuerySet[ValueChainProject]) -> QuerySet[ValueChainProject]:
    """``projects`` annotated with ``met`` and ``not_met``: their checks of active conditions."""
    return projects.annotate(
        met=Count("checks", filter=Q(checks__outcome=CheckOutcome.MET, checks__condition__is_active=True)),
        not_met=Count(
            "checks", filter=Q(checks__outcome=CheckOutcome.NOT_MET, checks__condition__is_active=True)
        ),
    )


def active_condition_count() -> int:
    """How many support conditions are in use (one query)."""
    return SupportCondition.objects.filter(is_active=True).count()


def projects_with_checklist(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[ValueChainProject]:
    """The projects in scope (:func:`projects_in_scope`) annotated with ``met`` and
    ``not_met`` as :func:`project_list` counts them, with their communes and
    ``active_checks`` (their checks of active conditions, in the checklist's order)
    prefetched: three queries for any number of projects, besides the count."""
    checks = (
        ConditionCheck.objects.filter(condition__is_active=True)
        .select_related("condition", "checked_by")
        .order_by("condition__position", "condition__code")
    )
    return _with_check_counts(projects_in_scope(visible=visible)).prefetch_related(
        "communes", Prefetch("checks", queryset=checks, to_attr="active_checks")
    )


@dataclass(frozen=True)
class ProjectHistory:
    """A project's history: its own changes (status, amounts, fields) and its checks."""

    changes: list[HistoryEntry]
    checks: list[HistoryEntry]


@dataclass(frozen=True)
class ChecklistItem:
    """One active condition and the project's check of it (None if not checked yet)."""

    condition: SupportCondition
    check: ConditionCheck | None


def project_detail(
    *, visible: QuerySet[AdministrativeUnit], pk
) -> tuple[ValueChainProject, list[ChecklistItem], list]:
    """The project (404-able: raises ``ValueChainProject.DoesNotExist`` outside scope),
    its checklist over the active conditions, and its history: the project's own
    changes and the checks (:class:`ProjectHistory`, newest first). Eleven queries."""
    project = (
        projects_in_scope(visible=visible)
        .select_related("created_by")
        .prefetch_related("communes__parent", "ocop_products__commune")
        .get(pk=pk)
    )
    checks = {c.condition_id: c for c in project.checks.select_related("checked_by")}
    items = [
        ChecklistItem(condition=condition, check=checks.get(condition.pk))
        for condition in SupportCondition.objects.filter(is_active=True).order_by("position", "code")
    ]
    history = ProjectHistory(changes=project_history(project=project), checks=check_history(project=project))
    return project, items, history


@dataclass(frozen=True)
class OcopCounts:
    """OCOP products by district and star: ``rows`` are (district or None for communes
    directly under the province, {3: n, 4: n, 5: n}, total); ``totals`` by star."""

    rows: tuple[tuple[AdministrativeUnit | None, dict[int, int], int], ...]
    totals: dict[int, int]
    total: int


STARS = (3, 4, 5)


def ocop_products(
    *, visible: QuerySet[AdministrativeUnit], stars: int | None = None
) -> QuerySet[OcopProduct]:
    """OCOP products of communes in ``visible`` (optionally of ``stars``), best first."""
    products = OcopProduct.objects.filter(commune__in=visible)
    if stars:
        products = products.filter(stars=stars)
    return products.select_related("commune", "commune__parent", "project").order_by("-stars", "name", "pk")


def ocop_counts(*, visible: QuerySet[AdministrativeUnit]) -> OcopCounts:
    """Counts of OCOP products by district and star (two queries)."""
    counts: dict[int | None, dict[int, int]] = defaultdict(lambda: dict.fromkeys(STARS, 0))
    for parent_id, parent_level, stars, n in (
        OcopProduct.objects.filter(commune__in=visible)
        .values_list("commune__parent_id", "commune__parent__level", "stars")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = parent_id if parent_level == UnitLevel.DISTRICT else None
        counts[key][stars] = counts[key].get(stars, 0) + n
    districts = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=[k for k in counts if k])}
    ordered = sorted(counts, key=lambda k: (k is None, districts[k].code if k else ""))
    rows = tuple((districts.get(k), counts[k], sum(counts[k].values())) for k in ordered)
    totals = {star: sum(row[1].get(star, 0) for row in rows) for star in STARS}
    return OcopCounts(rows=rows, totals=totals, total=sum(totals.values()))
