"""Read queries of the Excel round trip: which units a template can be made for, the
layout of a template (columns and communes) and the values it is prefilled with, all in
a fixed number of queries whatever the number of communes."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import AdministrativeUnit, UnitLevel
from criteria.models import (
    Assessment,
    CriteriaSet,
    Indicator,
    IndicatorValue,
    MeasureType,
    ReportingPeriod,
    ReportUpload,
)
from criteria.report_workbook import Column, Commune, Field, Layout, build_template


def template_units(*, changeable: QuerySet[AdministrativeUnit]) -> QuerySet[AdministrativeUnit]:
    """The provinces and districts in ``changeable`` (the user's change scope), and the
    communes at the top of it (a commune officer's own commune, since 01/07/2025 directly
    under the province: its parent is outside the scope, and it was not merged into a
    unit of the scope as the old communes of its history were): the units a template is
    made for, province first, then districts, then the commune, by name."""
    inside = changeable.values("pk")
    return changeable.filter(
        Q(level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT])
        | (
            Q(level=UnitLevel.COMMUNE)
            & ~Q(parent__in=inside)
            & ~Q(successions_as_predecessor__successor__in=inside)
        )
    ).order_by("-level", "name", "-valid_until")


def report_communes(*, unit: AdministrativeUnit, period: ReportingPeriod) -> QuerySet[AdministrativeUnit]:
    """The xã under ``unit`` in force on the period's last day: the template's rows.
    The last day decides, so a 2025 year template lists the communes formed on
    01/07/2025, and codes are unique among the units it lists."""
    return (
        AdministrativeUnit.objects.within(unit)
        .assessed()
        .valid_on(period.end)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def _columns(indicators: list[Indicator]) -> tuple[Column, ...]:
    columns = []
    for indicator in indicators:
        criterion = indicator.criterion
        if indicator.measure_type == MeasureType.BOOLEAN:
            kinds = [Field.ACHIEVED]
        else:
            kinds = [Field.PERCENT if indicator.measure_type == MeasureType.PERCENT else Field.NUMBER]
            if indicator.needs_target:
                kinds.append(Field.JUDGEMENT)
        columns += [
            Column(
                indicator_id=indicator.pk,
                indicator_code=indicator.code,
                indicator_name=indicator.name,
                unit=indicator.unit,
                criterion_number=criterion.number,
                criterion_name=criterion.name,
                field=kind,
            )
            for kind in kinds
        ]
    return tuple(columns)


def set_indicators(criteria_set: CriteriaSet) -> list[Indicator]:
    """The indicators of a set in form order, each with its criterion and group targets."""
    return list(
        Indicator.objects.filter(criterion__criteria_set=criteria_set)
        .select_related("criterion")
        .prefetch_related("group_targets")
        .order_by("criterion__number", "position", "code")
    )


def report_layout(
    *,
    unit: AdministrativeUnit,
    period: ReportingPeriod,
    criteria_set: CriteriaSet,
    indicators: list[Indicator],
) -> Layout:
    """The layout of the template of ``unit`` for ``period`` under ``criteria_set``."""
    return Layout(
        criteria_set_code=criteria_set.code,
        criteria_set_name=criteria_set.name,
        period_code=period.code,
        period_name=period.name,
        unit_id=unit.pk,
        unit_code=unit.code,
        unit_name=unit.name,
        columns=_columns(indicators),
        communes=tuple(
            Commune(unit_id=commune.pk, code=commune.code, name=commune.name)
            for commune in report_communes(unit=unit, period=period)
        ),
    )


def report_assessments(
    *, unit_ids: list[int], period: ReportingPeriod, criteria_set: CriteriaSet
) -> dict[int, Assessment]:
    """The assessments of these communes for the period and set, by commune id, each with
    ``stored`` (its values by indicator id)."""
    assessments = (
        Assessment.objects.filter(commune_id__in=unit_ids, period=period, criteria_set=criteria_set)
        .select_related("period")
        .prefetch_related(Prefetch("values", queryset=IndicatorValue.objects.all(), to_attr="value_rows"))
    )
    found = {}
    for assessment in assessments:
        assessment.stored = {value.indicator_id: value for value in assessment.value_rows}
        found[assessment.commune_id] = assessment
    return found


def cell_value(column: Column, value: IndicatorValue | None):
    """What a template cell shows for a stored value (Decimal, bool or None)."""
    if value is None:
        return None
    return value.achieved if column.field.is_mark else value.number


@dataclass(frozen=True)
class Template:
    """A template ready to download: its file name and bytes."""

    filename: str
    data: bytes


def report_template(
    *, unit: AdministrativeUnit, period: ReportingPeriod, criteria_set: CriteriaSet
) -> Template:
    """The template workbook of ``unit`` (the caller checked it is in the user's change
    scope) prefilled with the stored values; a fixed number of queries."""
    layout = report_layout(
        unit=unit, period=period, criteria_set=criteria_set, indicators=set_indicators(criteria_set)
    )
    assessments = report_assessments(
        unit_ids=[commune.unit_id for commune in layout.communes], period=period, criteria_set=criteria_set
    )
    current = {}
    versions = {unit_id: assessment.version for unit_id, assessment in assessments.items()}
    for commune in layout.communes:
        assessment = assessments.get(commune.unit_id)
        if assessment is None:
            continue
        for column in layout.columns:
            value = cell_value(column, assessment.stored.get(column.indicator_id))
            if value is not None:
                current[(commune.unit_id, column.key)] = value
    now = timezone.localtime()
    data = build_template(layout, current, versions=versions, generated_at=now)
    filename = _("NTM criteria report - %(unit)s - %(period)s.xlsx") % {
        "unit": unit.name,
        "period": period.name,
    }
    return Template(filename=filename.replace("/", "-"), data=data)


def is_writable(entry: dict) -> bool:
    """Whether a preview entry (see :mod:`criteria.services.reports`) goes in on
    confirmation: it changes something and has no error."""
    return bool(entry["changes"]) and not entry["errors"]


def recent_uploads(*, user, limit: int = 20) -> QuerySet[ReportUpload]:
    """The user's own uploads, newest first, without their files and previews."""
    return (
        ReportUpload.objects.filter(uploaded_by=user)
        .select_related("unit", "period")
        .defer("data", "preview")[:limit]
    )


def own_upload(*, user, pk) -> ReportUpload:
    """The upload ``pk`` if ``user`` sent it; ReportUpload.DoesNotExist otherwise (an
    upload is its uploader's alone)."""
    return ReportUpload.objects.select_related("unit", "period", "criteria_set").get(pk=pk, uploaded_by=user)


@dataclass(frozen=True)
class UploadReadout:
    """What the upload page shows: ``entries`` with a change or an error (each with its
    ``result`` after confirmation, None before or when it had an error), the communes to
    write, with errors, unchanged, imported and refused, and the values to change."""

    entries: list[dict]
    to_change: list[dict]
    with_errors: list[dict]
    unchanged: list[dict]
    imported: list[dict]
    refused: list[dict]

    @property
    def values_to_change(self) -> int:
        return sum(len(entry["changes"]) for entry in self.to_change)

    @property
    def not_imported(self) -> int:
        return len(self.refused) + len(self.with_errors)


def upload_readout(upload: ReportUpload) -> UploadReadout:
    """The preview and outcome of ``upload`` sorted for its page (no query)."""
    entries = upload.preview
    for entry in entries:
        known = entry["unit_id"] and not entry["errors"]
        entry["result"] = upload.outcome.get(str(entry["unit_id"])) if known else None
    return UploadReadout(
        entries=[e for e in entries if e["changes"] or e["errors"]],
        to_change=[e for e in entries if is_writable(e)],
        with_errors=[e for e in entries if e["errors"]],
        unchanged=[e for e in entries if not e["changes"] and not e["errors"]],
        imported=[e for e in entries if e["result"] and e["result"]["status"] == "imported"],
        refused=[e for e in entries if e["result"] and e["result"]["status"] == "refused"],
    )
