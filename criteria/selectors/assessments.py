"""Read queries for the assessment pages, always from the user's visible units."""

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit
from core.formatting import decimal_text
from criteria.models import Assessment, AssessmentComment, AssessmentStatus, Criterion, IndicatorValue


def assessment_list(*, visible: QuerySet[AdministrativeUnit]) -> QuerySet[Assessment]:
    """Assessments of communes in ``visible``, newest period first (filter them with
    :class:`criteria.filters.AssessmentFilter`); commune, district, period and set loaded in
    the same query (a fixed number of queries whatever the count)."""
    rows = Assessment.objects.filter(commune__in=visible).select_related(
        "commune__parent", "period", "criteria_set"
    )
    return rows.order_by("-period__start", "commune__parent__name", "commune__name")


def assessment_page(rows: QuerySet[Assessment], *, number, per_page: int) -> Page:
    """Page ``number`` of ``rows`` (an :func:`assessment_list`, filtered), ``per_page`` a
    page, a number past the last giving the last (Django's ``get_page``). The page's ids
    are sorted and cut first, then only its rows are loaded in full: three queries (the
    count, the ids, the rows) whatever the page, where sorting every full row of the
    country (46,000) to show 50 costs 4x more on the last pages."""
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    loaded = rows.in_bulk(ids)
    page.object_list = [loaded[pk] for pk in ids]
    return page


def assessment_people(assessments) -> dict:
    """``{user id: user}`` of who created, submitted and decided ``assessments`` (names
    only loaded), in one query whatever they hold (for no one too), so that a page of the
    API's list costs the same queries however many people it names."""
    ids = {
        getattr(row, field)
        for row in assessments
        for field in ("created_by_id", "submitted_by_id", "decided_by_id")
    } - {None}
    people = get_user_model().objects.only("id", "username", "first_name", "last_name")
    return {person.pk: person for person in people.filter(pk__in=ids or [0])}


def assessment_in_scope(*, visible: QuerySet[AdministrativeUnit], pk) -> Assessment:
    """The assessment ``pk`` if its commune is in ``visible``; Assessment.DoesNotExist else."""
    return Assessment.objects.select_related(
        "commune__parent", "period", "criteria_set", "submitted_by", "decided_by"
    ).get(pk=pk, commune__in=visible)


def assessment_sheet(assessment: Assessment) -> list[Criterion]:
    """The criteria of the assessment's set with, on each, ``indicators`` carrying their
    stored ``value`` and ``comments`` and ``result``: the whole form in five queries."""
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(assessment=assessment)}
    results = {r.criterion_id: r.met for r in assessment.criterion_results.all()}
    criteria = list(
        assessment.criteria_set.criteria.select_related("responsible_agency").prefetch_related(
            "indicators",
            Prefetch(
                "comments",
                queryset=AssessmentComment.objects.filter(assessment=assessment).select_related("author"),
                to_attr="assessment_comments",
            ),
        )
    )
    for criterion in criteria:
        criterion.met = results.get(criterion.pk, False)
        for indicator in criterion.indicators.all():
            indicator.value = values.get(indicator.pk)
    return criteria


def _changes(records, fields: list[str]):
    """Consecutive history records of the same row -> (later record, change) pairs, in
    memory (no query per record)."""
    previous_by_row = {}
    for record in records:
        previous = previous_by_row.get(record.id)
        previous_by_row[record.id] = record
        if previous is None:
            continue
        for change in record.diff_against(previous, included_fields=fields).changes:
            yield record, change


def _shown(field: str, value) -> str:
    """A history value as a person reads it: Đạt / Không đạt, 85 not 85.0000, a status's
    label, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if field == "achieved":
        return _("Đạt") if value else _("Không đạt")
    if field == "number":
        return decimal_text(value)  # 1.234,5 and 100, as everywhere else
    if field == "status":
        return str(AssessmentStatus(value).label)
    return str(value)


_FIELD_LABELS = {"status": gettext_lazy("Status"), "status_reason": gettext_lazy("Reason")}
_VALUE_LABELS = {
    "number": gettext_lazy("value"),
    "achieved": gettext_lazy("Đạt / Không đạt"),
    "evidence": gettext_lazy("evidence"),
}


def value_changes(assessment: Assessment) -> list[dict]:
    """Every change of the assessment's indicator values, oldest first: when, who, what
    (indicator code), old, new, and the assessment version it produced (or None)."""
    codes = dict(assessment.values.values_list("indicator_id", "indicator__code"))
    records = (
        IndicatorValue.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    return [
        {
            "when": record.history_date,
            "who": record.history_user,
            "what": f"{codes.get(record.indicator_id, '?')} ({_VALUE_LABELS[change.field]})",
            "old": _shown(change.field, change.old),
            "new": _shown(change.field, change.new),
            "version": int(record.history_change_reason)
            if (record.history_change_reason or "").isdigit()
            else None,
        }
        for record, change in _changes(records, ["number", "achieved", "evidence"])
    ]


def assessment_history(assessment: Assessment, limit: int = 200) -> list[dict]:
    """Every recorded change of the assessment and its values, newest first: when, who,
    what (a field's label, or an indicator code with what of it changed) and old -> new
    as a person reads them. Three queries."""
    records = list(assessment.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    if records:
        first = records[0]
        entries.append(
            {
                "when": first.history_date,
                "who": first.history_user,
                "what": _FIELD_LABELS["status"],
                "old": "—",
                "new": _shown("status", first.status),
            }
        )
    for record, change in _changes(records, ["status", "status_reason"]):
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": _FIELD_LABELS[change.field],
                "old": _shown(change.field, change.old),
                "new": _shown(change.field, change.new),
            }
        )
    entries += value_changes(assessment)
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:limit]
