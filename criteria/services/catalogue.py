"""Writes of the criteria catalogue: indicator targets, responsible departments, provincial
copies of a set, reporting periods. Adding, editing and deleting indicators, and their
targets by commune group, are in :mod:`criteria.services.indicators`.

Every function is keyword-only and runs in one transaction. The catalogue is changed by
provincial coordinators only: every write that a page reaches takes the acting ``user``
and raises ``PermissionDenied`` (403) for anyone else (:func:`accounts.roles.require_role`);
:func:`periods_ensure` is run by management commands, with no acting user. Bad input raises
:class:`django.core.exceptions.ValidationError` with a dict keyed by the field at fault,
so a form can show the message next to that field. History is recorded by
simple_history on every save (the request's user through its middleware).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Agency, AgencyKind
from accounts.roles import Role, require_role
from communes.models import AdministrativeUnit, UnitLevel
from core.formatting import date_text
from core.text import clean
from criteria.catalogue import year_periods
from criteria.models import (
    CommuneGroup,
    Comparison,
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorGroupTarget,
    MeasureType,
    ReportingPeriod,
    Verification,
)
from criteria.services.indicators import indicator_group_targets_set, target_error

NUMERIC_COMPARISONS = (Comparison.AT_LEAST, Comparison.AT_MOST, Comparison.EQUAL)
# The shortest name a provincial copy of a set may have (after spaces are normalised).
COPY_NAME_MIN_LENGTH = 5


@transaction.atomic
def indicator_set_target(
    *,
    user,
    indicator: Indicator,
    target: Decimal | None,
    comparison: str | None = None,
    group_targets: Mapping[int, Decimal | None] | None = None,
) -> Indicator:
    """Set (or, with ``target=None``, clear) the target of a numeric indicator, and
    optionally its comparison (">=", "<=" or "=") and its targets by commune group
    (``group_targets``: a group's id -> its target, None clears it; see
    :func:`criteria.services.indicators.indicator_group_targets_set`); the indicator's
    verification becomes "set by a coordinator".

    ``target`` is in the indicator's unit: a percent is 0-100 (85 for 85 %), a number is
    in ``indicator.unit`` (e.g. triệu đồng/người/năm). An indicator without a target is
    judged by the appraiser's Đạt / Không đạt (:mod:`criteria.evaluation`).

    Raises PermissionDenied unless ``user`` is a provincial coordinator; ValidationError
    on "target" for a Đạt / Không đạt indicator, a negative value, a percent over 100, more
    than 2 decimals or a value too large to store; on "comparison" for anything but ">=",
    "<=", "="; on "group-<id>" for a bad group target, naming the group. Nothing is saved
    when any of them is wrong.
    """
    require_role(user, Role.COORDINATOR)
    if indicator.measure_type == MeasureType.BOOLEAN or indicator.comparison == Comparison.ACHIEVED:
        raise ValidationError(
            {"target": _("This indicator is judged Đạt / Không đạt: it has no numeric target.")}
        )
    errors = {}
    if comparison is not None and comparison not in NUMERIC_COMPARISONS:
        errors["comparison"] = _("Choose at least, at most or equal to.")
    if message := target_error(indicator.measure_type, target):
        errors["target"] = message
    if group_targets:
        # A raise below rolls these back with the rest: the function is one transaction.
        try:
            indicator_group_targets_set(user=user, indicator=indicator, group_targets=group_targets)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    indicator.target = target
    if comparison is not None:
        indicator.comparison = comparison
    indicator.verification = Verification.SET_BY_COORDINATOR
    indicator.save(update_fields=["target", "comparison", "verification"])
    return indicator


@transaction.atomic
def criterion_set_responsible_agency(*, user, criterion: Criterion, agency: Agency) -> Criterion:
    """Make ``agency`` the provincial department (sở, ngành) that answers for ``criterion``.

    Raises PermissionDenied unless ``user`` is a provincial coordinator; ValidationError on
    "agency" when the agency is not an active department.
    """
    require_role(user, Role.COORDINATOR)
    if agency.kind != AgencyKind.PROVINCIAL_DEPARTMENT or not agency.is_active:
        raise ValidationError({"agency": _("Choose an active provincial department (sở, ngành).")})
    criterion.responsible_agency = agency
    criterion.save(update_fields=["responsible_agency"])
    return criterion


@transaction.atomic
def criteria_set_copy(
    *,
    user,
    source: CriteriaSet,
    code: str,
    name: str,
    province: AdministrativeUnit,
    decision: str = "",
    decision_date: datetime.date | None = None,
) -> CriteriaSet:
    """Copy ``source`` into a provincial variant (e.g. Thái Nguyên's own 2017-2020 set):
    a new set ``code`` / ``name`` with ``based_on=source`` and ``province``, holding a copy
    of every criterion (number, name, group, department), indicator (code, name, measure,
    unit, comparison, target, verification, source, position), commune group and
    per-group target. Level, region and dates of force are taken from ``source``;
    ``decision`` / ``decision_date`` are the province's own act. Changing the copy never
    changes ``source``.

    Raises PermissionDenied unless ``user`` is a provincial coordinator; ValidationError
    on "code" (not a slug, or already used), "name" (empty, or shorter than
    :data:`COPY_NAME_MIN_LENGTH` characters), "province" (not a province-level unit) or
    "decision_date" (after today).
    """
    require_role(user, Role.COORDINATOR)
    code = clean(code).lower()
    name = clean(name)
    errors = {}
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = _("Use only letters, digits, hyphens and underscores, e.g. tn-2017-2020.")
    else:
        if CriteriaSet.objects.filter(code=code).exists():
            errors["code"] = _("A criteria set with this code already exists.")
    if not name:
        errors["name"] = _("Give the new set a name.")
    elif len(name) < COPY_NAME_MIN_LENGTH:
        errors["name"] = _("The name of the set must be at least %(count)s characters long.") % {
            "count": COPY_NAME_MIN_LENGTH
        }
    if province.level != UnitLevel.PROVINCE:
        errors["province"] = _("Choose a province.")
    today = timezone.localdate()
    if decision_date is not None and decision_date > today:
        errors["decision_date"] = _("The decision date cannot be after today (%(today)s).") % {
            "today": date_text(today)
        }
    if errors:
        raise ValidationError(errors)

    copy = CriteriaSet.objects.create(
        code=code,
        name=name,
        level=source.level,
        decision=clean(decision),
        decision_date=decision_date,
        effective_from=source.effective_from,
        effective_until=source.effective_until,
        region=source.region,
        based_on=source,
        province=province,
        notes=source.notes,
    )

    groups = list(source.commune_groups.all())
    CommuneGroup.objects.bulk_create(
        [
            CommuneGroup(criteria_set=copy, code=group.code, name=group.name, description=group.description)
            for group in groups
        ]
    )
    # Read the new rows back by their keys: not every database returns pks from bulk_create.
    group_by_code = {group.code: group for group in CommuneGroup.objects.filter(criteria_set=copy)}

    criteria = list(source.criteria.order_by("number"))
    bulk_create_with_history(
        [
            Criterion(
                criteria_set=copy,
                number=criterion.number,
                name=criterion.name,
                group=criterion.group,
                responsible_agency_id=criterion.responsible_agency_id,
            )
            for criterion in criteria
        ],
        Criterion,
    )
    criterion_by_number = {criterion.number: criterion for criterion in copy.criteria.all()}

    indicators = list(Indicator.objects.filter(criterion__criteria_set=source).select_related("criterion"))
    bulk_create_with_history(
        [
            Indicator(
                criterion=criterion_by_number[indicator.criterion.number],
                code=indicator.code,
                name=indicator.name,
                measure_type=indicator.measure_type,
                unit=indicator.unit,
                comparison=indicator.comparison,
                target=indicator.target,
                verification=indicator.verification,
                source=indicator.source,
                position=indicator.position,
            )
            for indicator in indicators
        ],
        Indicator,
    )
    indicator_by_key = {
        (indicator.criterion.number, indicator.code): indicator
        for indicator in Indicator.objects.filter(criterion__criteria_set=copy).select_related("criterion")
    }
    group_targets = IndicatorGroupTarget.objects.filter(
        indicator__criterion__criteria_set=source
    ).select_related("indicator__criterion", "commune_group")
    bulk_create_with_history(
        [
            IndicatorGroupTarget(
                indicator=indicator_by_key[(row.indicator.criterion.number, row.indicator.code)],
                commune_group=group_by_code[row.commune_group.code],
                target=row.target,
            )
            for row in group_targets
        ],
        IndicatorGroupTarget,
    )
    return copy


@transaction.atomic
def periods_ensure(*, year: int) -> list[ReportingPeriod]:
    """The three reporting periods of ``year``, created if missing: the first half
    (code "2020-h1", 01/01-30/06), the second half ("2020-h2", 01/07-31/12) and the whole
    year ("2020", 01/01-31/12), in that order.

    A new period gets the portal's default dates (:mod:`criteria.catalogue`): submission
    deadline (hạn nộp) = last day + 15 days, lock date (khóa sổ) = last day + 45 days;
    coordinators may change them per period in the admin. Its name ("6 tháng đầu năm
    2020") is written in the portal's language (``LANGUAGE_CODE``), whoever runs it.
    A period that exists already (by code) is returned unchanged. Safe to run twice.

    Raises ValidationError on "year" for a year outside 1900-2200.
    """
    try:
        specs = year_periods(year)
    except ValueError:
        raise ValidationError({"year": _("Enter a year between 1900 and 2200.")}) from None
    with translation.override(settings.LANGUAGE_CODE):
        names = {
            "h1": _("First half of %(year)s") % {"year": year},
            "h2": _("Second half of %(year)s") % {"year": year},
            "year": _("Year %(year)s") % {"year": year},
        }
    periods = []
    for spec in specs:
        period, _created = ReportingPeriod.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": names[spec.key],
                "kind": spec.kind,
                "start": spec.start,
                "end": spec.end,
                "submission_deadline": spec.submission_deadline,
                "lock_date": spec.lock_date,
            },
        )
        periods.append(period)
    return periods
