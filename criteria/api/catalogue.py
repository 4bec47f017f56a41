"""REST API of the criteria catalogue, the reporting periods, the recognitions and the
overview of a period.

Who reads: every signed-in caller (a person or a token), as on the pages. The catalogue
and the periods are reference data with no scope (``criteria.views.catalogue``: "Every
signed-in user may read the catalogue"); recognitions are limited to the caller's units
(``criteria.views.overview.recognition_list``), and the overview counts only them. Only
the provincial coordinator role holds ``criteria.view_*`` in ``accounts.roles`` (for the
admin), so these view sets set no ``read_permission``: they follow the pages, which show
all of it to every role. Who writes: only a provincial coordinator, through the same
services as the pages (403 for anyone else, a read-only token included).

* ``GET /api/v1/criteria-sets/`` and ``/{id}/``: a set answers ``{"id", "code", "name",
  "level", "decision", "decision_date", "effective_from", "effective_until", "region",
  "based_on_id", "province_id", "notes", "criterion_count", "indicator_count",
  "missing_target_count"}``; its detail adds ``"empty_criterion_count"``,
  ``"commune_groups": [{"id", "code", "name", "description"}]`` and ``"criteria"``
  (each as ``/criteria/{id}/`` answers it, in number order), as the set's page lays it
  out (:func:`criteria.selectors.catalogue.criteria_set_catalogue`).
  ``POST /api/v1/criteria-sets/{id}/copy/`` ``{"code", "name", "province_id",
  "decision", "decision_date"}`` copies the set into a provincial variant
  (:func:`criteria.services.catalogue.criteria_set_copy`): 201 with the new set.
* ``GET /api/v1/criteria/`` and ``/{id}/``: ``{"id", "criteria_set_id", "number",
  "name", "group", "responsible_agency_id", "responsible_agency", "indicators": [...]}``.
  ``PATCH /{id}/`` ``{"responsible_agency_id"}`` makes an active provincial department
  answer for it (:func:`criteria.services.catalogue.criterion_set_responsible_agency`).
* ``GET /api/v1/indicators/`` and ``/{id}/``: ``{"id", "criterion_id",
  "criteria_set_id", "code", "name", "measure_type", "unit", "comparison", "target",
  "needs_target", "verification", "source", "position", "group_targets":
  [{"commune_group_id", "commune_group_code", "commune_group", "target"}]}``.
  ``target`` is a decimal string in the indicator's unit (a percent is 0-100: "85.00"
  for 85 %; a number is in ``unit``, e.g. triệu đồng/người/năm), ``null`` where the
  source did not give it (``needs_target`` is then true for a numeric indicator: the
  appraiser judges it Đạt / Không đạt until a coordinator sets it).
  ``PATCH /{id}/`` ``{"target", "comparison", "group_targets": {"<group id>": target}}``
  (any of them; ``null`` clears a target) sets the target as the indicator's target page
  does (:func:`criteria.services.catalogue.indicator_set_target`); its verification
  becomes "coordinator".
* ``GET /api/v1/periods/`` and ``/{id}/``: ``{"id", "code", "name", "kind", "start",
  "end", "submission_deadline", "lock_date", "is_locked"}`` (``is_locked``: today is
  after the lock date, khóa sổ). Read only: periods are kept in the admin.
* ``GET /api/v1/periods/{id}/overview/?criteria_set=<id>``: the overview page's figures
  (:func:`criteria.selectors.overview.province_overview`, with
  :func:`~criteria.selectors.overview.approved_coverage`) for the caller's units, under
  ``criteria_set`` or the set the page opens on. Averages and percents are decimal
  strings ("17.23", "60.0"), ``null`` when no commune was assessed.
* ``GET /api/v1/recognitions/`` and ``/{id}/``: ``{"id", "unit_id", "unit_code",
  "unit_name", "parent_id", "parent_name", "level", "criteria_set_id",
  "criteria_set_code", "decision_number", "decision_date", "signer", "is_demo"}``.
  ``POST`` ``{"unit_id", "level", "criteria_set_id", "decision_number",
  "decision_date", "signer"}`` records a decision
  (:func:`criteria.services.recognitions.recognition_create`): 201.

Errors: a body naming a unit, set or agency that does not exist or lies outside the
caller's scope is a 400 on that field; the services' refusals are 400 naming the field of
the body (``group_targets.<id>`` for a commune group's target).
"""

import re
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Agency
from accounts.roles import is_coordinator
from communes.models import AdministrativeUnit
from core.api.filters import IsoDateFilter, PortalFilterSet, WholeNumberFilter, YearFilter, YesNoFilter
from core.api.views import PortalReadOnlyViewSet, PortalViewSet
from core.exceptions import ROLE_REFUSED_MESSAGE
from criteria.models import (
    Comparison,
    CriteriaSet,
    CriteriaSetLevel,
    Criterion,
    Indicator,
    IndicatorGroupTarget,
    MeasureType,
    PeriodKind,
    Recognition,
    RecognitionLevel,
    ReportingPeriod,
    Verification,
)
from criteria.selectors.catalogue import (
    criteria_set_catalogue,
    criteria_sets_overview,
    criteria_with_indicators,
    indicators_with_targets,
)
from criteria.selectors.overview import (
    UNDER_HIGH,
    UNDER_LOW,
    approved_coverage,
    default_criteria_set,
    province_overview,
)
from criteria.selectors.recognitions import recognised_by_level, recognitions_in_scope
from criteria.services.catalogue import (
    criteria_set_copy,
    criterion_set_responsible_agency,
    indicator_set_target,
)
from criteria.services.recognitions import recognition_create

# --- who may write -------------------------------------------------------------------


class CoordinatorWrites(permissions.BasePermission):
    """Reads for every signed-in caller; writes only for a provincial coordinator, as the
    pages' ``coordinator_required`` (403 for anyone else, before the body is read)."""

    message = ROLE_REFUSED_MESSAGE

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_coordinator(request.user)


@contextmanager
def _service_fields(rename):
    """Re-raise a service's ValidationError with its keys as the body names them:
    ``rename(key)`` -> the body's field (e.g. "group-7" -> "group_targets.7")."""
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise DjangoValidationError(
            {rename(key): errors for key, errors in error.error_dict.items()}
        ) from None


def _not_found(field: str, message) -> exceptions.ValidationError:
    return exceptions.ValidationError({field: [message]})


class StrictInput(serializers.Serializer):
    """A body that names only the fields it may change: any other key is a 400 on it."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("This field cannot be set here.")] for key in unknown}
                )
        return super().to_internal_value(data)


# --- the catalogue ---------------------------------------------------------------------


class GroupTargetSerializer(serializers.ModelSerializer):
    """An indicator's target for one commune group (QĐ 51/2025/QĐ-TTg), in its unit."""

    commune_group_id = serializers.IntegerField()
    commune_group_code = serializers.CharField(source="commune_group.code")
    commune_group = serializers.CharField(source="commune_group.name")

    class Meta:
        model = IndicatorGroupTarget
        fields = ["commune_group_id", "commune_group_code", "commune_group", "target"]


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its targets by commune group (see the module docstring)."""

    criterion_id = serializers.IntegerField()
    criteria_set_id = serializers.IntegerField(source="criterion.criteria_set_id")
    needs_target = serializers.BooleanField()
    group_targets = GroupTargetSerializer(many=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "criterion_id",
            "criteria_set_id",
            "code",
            "name",
            "measure_type",
            "unit",
            "comparison",
            "target",
            "needs_target",
            "verification",
            "source",
            "position",
            "group_targets",
        ]


class CriterionSerializer(serializers.ModelSerializer):
    """A criterion with its department and its indicators, in the order of its page."""

    criteria_set_id = serializers.IntegerField()
    responsible_agency_id = serializers.IntegerField(allow_null=True)
    responsible_agency = serializers.CharField(source="responsible_agency.name", allow_null=True)
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "criteria_set_id",
            "number",
            "name",
            "group",
            "responsible_agency_id",
            "responsible_agency",
            "indicators",
        ]


class CommuneGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class CriteriaSetSerializer(serializers.ModelSerializer):
    """A criteria set with its counts (``missing_target_count``: numeric indicators with
    no target yet)."""

    based_on_id = serializers.IntegerField(allow_null=True)
    province_id = serializers.IntegerField(allow_null=True)
    criterion_count = serializers.IntegerField()
    indicator_count = serializers.IntegerField()
    missing_target_count = serializers.IntegerField()

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "code",
            "name",
            "level",
            "decision",
            "decision_date",
            "effective_from",
            "effective_until",
            "region",
            "based_on_id",
            "province_id",
            "notes",
            "criterion_count",
            "indicator_count",
            "missing_target_count",
        ]


class CriteriaSetDetailSerializer(CriteriaSetSerializer):
    """A set as its page lays it out: commune groups, then criteria with indicators."""

    empty_criterion_count = serializers.SerializerMethodField()
    commune_groups = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()

    class Meta(CriteriaSetSerializer.Meta):
        fields = [*CriteriaSetSerializer.Meta.fields, "empty_criterion_count", "commune_groups", "criteria"]

    def _catalogue(self, criteria_set):
        cached = getattr(criteria_set, "_api_catalogue", None)
        if cached is None:
            cached = criteria_set._api_catalogue = criteria_set_catalogue(criteria_set=criteria_set)
        return cached

    def get_empty_criterion_count(self, criteria_set) -> int:
        return self._catalogue(criteria_set).empty_criterion_count

    @extend_schema_field(CommuneGroupSerializer(many=True))
    def get_commune_groups(self, criteria_set):
        return CommuneGroupSerializer(self._catalogue(criteria_set).commune_groups, many=True).data

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, criteria_set):
        rows = [row.criterion for group in self._catalogue(criteria_set).groups for row in group.criteria]
        return CriterionSerializer(rows, many=True).data


class CriteriaSetFilter(PortalFilterSet):
    updated_via = (
        (Criterion.history.model, "criteria_set_id"),
        (Indicator.history.model, "criterion__criteria_set_id"),
        (IndicatorGroupTarget.history.model, "indicator__criterion__criteria_set_id"),
    )

    code = django_filters.CharFilter(label=_("code"))
    level = django_filters.ChoiceFilter(choices=CriteriaSetLevel.choices, label=_("level"))
    based_on = WholeNumberFilter(field_name="based_on_id", label=_("copied from (set id)"))
    province = WholeNumberFilter(field_name="province_id", label=_("province (unit id)"))
    in_force_on = IsoDateFilter(method="filter_in_force_on", label=_("in force on (date)"))

    class Meta:
        model = CriteriaSet
        fields = []

    def filter_in_force_on(self, queryset, name, value):
        return queryset.filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=value),
            Q(effective_until__isnull=True) | Q(effective_until__gte=value),
        )


class CriteriaSetCopyInput(StrictInput):
    code = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=255)
    province_id = serializers.IntegerField()
    decision = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(summary=_("List the criteria sets with their counts")),
    retrieve=extend_schema(summary=_("Read a criteria set with its criteria and indicators")),
)
class CriteriaSetViewSet(PortalReadOnlyViewSet):
    """Criteria sets (bộ tiêu chí), oldest in force first, with their counts; one set
    with its commune groups and its criteria in number order, each with its department
    and indicators. Every signed-in caller reads them; a coordinator copies a set into a
    provincial variant."""

    queryset = CriteriaSet.objects.none()  # the schema's model; get_queryset reads the selector
    permission_classes = [*PortalReadOnlyViewSet.permission_classes, CoordinatorWrites]
    filterset_class = CriteriaSetFilter
    ordering_fields = ("code", "name", "level", "decision_date", "effective_from", "effective_until")
    ordering = ("effective_from", "code")
    search_fields = ("name", "decision")

    def get_queryset(self):
        return criteria_sets_overview()

    def get_serializer_class(self):
        return CriteriaSetSerializer if self.action == "list" else CriteriaSetDetailSerializer

    @extend_schema(
        request=CriteriaSetCopyInput,
        responses={201: CriteriaSetDetailSerializer},
        summary=_("Copy a criteria set into a provincial variant (coordinators)"),
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def copy(self, request, pk=None):
        """Copy the set, with its criteria, indicators, targets and commune groups, into
        a provincial variant ``code`` / ``name`` of province ``province_id``
        (:func:`criteria.services.catalogue.criteria_set_copy`). 400 on ``code`` (not a
        slug, or used), ``name`` (shorter than 5 characters), ``province_id`` (not a
        province in the caller's scope), ``decision_date`` (after today)."""
        body = CriteriaSetCopyInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        province = request.user.unit_scope().filter(pk=data["province_id"]).first()
        if province is None:
            raise _not_found("province_id", _("There is no unit with this id in your scope."))
        with (
            self.guarded() as source,
            _service_fields(lambda key: "province_id" if key == "province" else key),
        ):
            copy = criteria_set_copy(
                user=request.user,
                source=source,
                code=data["code"],
                name=data["name"],
                province=province,
                decision=data["decision"],
                decision_date=data["decision_date"],
            )
        created = criteria_sets_overview().get(pk=copy.pk)
        return Response(CriteriaSetDetailSerializer(created).data, status=status.HTTP_201_CREATED)


class CriterionFilter(PortalFilterSet):
    updated_via = (
        (Indicator.history.model, "criterion_id"),
        (IndicatorGroupTarget.history.model, "indicator__criterion_id"),
    )

    criteria_set = WholeNumberFilter(field_name="criteria_set_id", label=_("criteria set (id)"))
    number = WholeNumberFilter(label=_("criterion number"), min_value=1, max_value=32767)
    group = django_filters.CharFilter(label=_("group of criteria"))
    responsible_agency = WholeNumberFilter(
        field_name="responsible_agency_id", label=_("responsible department (agency id)")
    )

    class Meta:
        model = Criterion
        fields = []


class CriterionAgencyInput(StrictInput):
    responsible_agency_id = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(summary=_("List the criteria with their indicators")),
    retrieve=extend_schema(summary=_("Read a criterion with its indicators")),
)
class CriterionViewSet(PortalReadOnlyViewSet):
    """Criteria (tiêu chí) of every set, by set and number, with their department (sở,
    ngành) and their indicators. A coordinator changes the department (PATCH)."""

    serializer_class = CriterionSerializer
    queryset = Criterion.objects.none()  # the schema's model; get_queryset reads the selector
    permission_classes = [*PortalReadOnlyViewSet.permission_classes, CoordinatorWrites]
    filterset_class = CriterionFilter
    ordering_fields = ("number", "name", "group")
    ordering = ("criteria_set_id", "number")
    search_fields = ("name",)

    def get_queryset(self):
        return criteria_with_indicators()

    @extend_schema(
        request=CriterionAgencyInput,
        responses=CriterionSerializer,
        summary=_("Make a department responsible for a criterion (coordinators)"),
    )
    def partial_update(self, request, pk=None):
        """``{"responsible_agency_id"}``: an active provincial department (sở, ngành)
        answers for the criterion (:func:`criteria.services.catalogue.
        criterion_set_responsible_agency`); 400 on ``responsible_agency_id`` otherwise."""
        body = CriterionAgencyInput(data=request.data)
        body.is_valid(raise_exception=True)
        agency = Agency.objects.filter(pk=body.validated_data["responsible_agency_id"]).first()
        if agency is None:
            raise _not_found("responsible_agency_id", _("There is no agency with this id."))
        rename = {"agency": "responsible_agency_id"}.get
        with self.guarded() as criterion, _service_fields(lambda key: rename(key, key)):
            criterion_set_responsible_agency(user=request.user, criterion=criterion, agency=agency)
        return Response(self.representation(self.get_object()))


class IndicatorFilter(PortalFilterSet):
    updated_via = ((IndicatorGroupTarget.history.model, "indicator_id"),)

    criteria_set = WholeNumberFilter(field_name="criterion__criteria_set_id", label=_("criteria set (id)"))
    criterion = WholeNumberFilter(field_name="criterion_id", label=_("criterion (id)"))
    code = django_filters.CharFilter(label=_("code"))
    measure_type = django_filters.ChoiceFilter(choices=MeasureType.choices, label=_("measure type"))
    comparison = django_filters.ChoiceFilter(choices=Comparison.choices, label=_("comparison"))
    verification = django_filters.ChoiceFilter(choices=Verification.choices, label=_("verification"))
    needs_target = YesNoFilter(method="filter_needs_target", label=_("numeric with no target yet"))

    class Meta:
        model = Indicator
        fields = []

    def filter_needs_target(self, queryset, name, value):
        if value is None:
            return queryset
        needs = Q(target__isnull=True) & ~Q(comparison=Comparison.ACHIEVED)
        return queryset.filter(needs) if value else queryset.exclude(needs)


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "26.7"})
class TargetField(serializers.Field):
    """A target: a JSON number or a string with a decimal point ("26.7"); ``null``
    clears it. Its range and decimals are checked by the service, as on the page."""

    default_error_messages = {"invalid": _("Enter a number with a decimal point, for example 26.7.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        text = str(data).strip()
        if isinstance(data, str) and not _DECIMAL.fullmatch(text):
            self.fail("invalid")
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        return value

    def to_representation(self, value):
        return None if value is None else str(value)


class IndicatorTargetInput(StrictInput):
    """Any of ``target``, ``comparison`` (">=", "<=", "="), ``group_targets``
    (``{"<commune group id>": target}``); a target left out is kept."""

    target = TargetField(required=False, allow_null=True)
    comparison = serializers.CharField(required=False)
    group_targets = serializers.DictField(child=TargetField(allow_null=True), required=False)

    def validate_group_targets(self, value):
        try:
            return {int(key): target for key, target in value.items()}
        except ValueError:
            raise serializers.ValidationError(
                _("Name each commune group by its id (a whole number).")
            ) from None

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Send at least one of: target, comparison, group_targets."))
        return attrs


def _target_field(key: str) -> str:
    """The service's "group-<id>" is the body's "group_targets.<id>"."""
    return f"group_targets.{key.removeprefix('group-')}" if key.startswith("group-") else key


@extend_schema_view(
    list=extend_schema(summary=_("List the indicators with their targets")),
    retrieve=extend_schema(summary=_("Read an indicator with its targets")),
)
class IndicatorViewSet(PortalReadOnlyViewSet):
    """Indicators (chỉ tiêu) of every set with their target in the indicator's unit (a
    decimal string; a percent is 0-100; null where the source gave none) and their
    targets by commune group. A coordinator sets a target (PATCH)."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()  # the schema's model; get_queryset reads the selector
    permission_classes = [*PortalReadOnlyViewSet.permission_classes, CoordinatorWrites]
    filterset_class = IndicatorFilter
    ordering_fields = ("code", "name", "position", "target", "criterion_number")
    ordering = ("criterion__criteria_set_id", "criterion__number", "position", "code")
    search_fields = ("name",)

    def get_queryset(self):
        return indicators_with_targets().annotate(criterion_number=F("criterion__number"))

    @extend_schema(
        request=IndicatorTargetInput,
        responses=IndicatorSerializer,
        summary=_("Set an indicator's target and its targets by commune group (coordinators)"),
    )
    def partial_update(self, request, pk=None):
        """Set, or with ``null`` clear, the target of a numeric indicator, its
        comparison and its targets by commune group, as its target page does
        (:func:`criteria.services.catalogue.indicator_set_target`). 400 on ``target``
        for a Đạt / Không đạt indicator, a negative value, a percent over 100, more than
        2 decimals; on ``comparison``; on ``group_targets.<id>`` naming the group.
        Nothing is saved when any of them is wrong."""
        body = IndicatorTargetInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with self.guarded() as indicator, _service_fields(_target_field):
            indicator_set_target(
                user=request.user,
                indicator=indicator,
                target=data.get("target", indicator.target),
                comparison=data.get("comparison"),
                group_targets=data.get("group_targets"),
            )
        return Response(self.representation(self.get_object()))


# --- reporting periods and the overview --------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    is_locked = serializers.SerializerMethodField()

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "start",
            "end",
            "submission_deadline",
            "lock_date",
            "is_locked",
        ]

    def get_is_locked(self, period) -> bool:
        """After the lock date (khóa sổ) only a coordinator may edit its assessments."""
        return period.is_locked_on(timezone.localdate())


class PeriodFilter(PortalFilterSet):
    code = django_filters.CharFilter(label=_("code"))
    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label=_("kind"))
    year = YearFilter(field_name="start", lookup_expr="year", label=_("year the period starts in"))
    on = IsoDateFilter(method="filter_on", label=_("contains the day"))
    locked = YesNoFilter(method="filter_locked", label=_("locked today (after the lock date)"))

    class Meta:
        model = ReportingPeriod
        fields = []

    def filter_on(self, queryset, name, value):
        return queryset.filter(start__lte=value, end__gte=value)

    def filter_locked(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(lock_date__lt=today) if value else queryset.filter(lock_date__gte=today)


class _RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    """Headline figures: ``recognised`` by decision, ``meeting_standard`` by the approved
    assessment (always apart); ``under_low`` / ``under_high`` communes with fewer than
    ``under_low_threshold`` / ``under_high_threshold`` criteria met."""

    assessed = serializers.IntegerField()
    meeting_standard = serializers.IntegerField()
    recognised = serializers.IntegerField()
    criteria_met_total = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    under_low = serializers.IntegerField()
    under_high = serializers.IntegerField()


class DistrictFiguresSerializer(serializers.Serializer):
    """One district's figures (as :class:`FiguresSerializer`); ``district_id`` null for
    the communes directly under the province."""

    district_id = serializers.IntegerField(source="district.pk", allow_null=True)
    district_code = serializers.CharField(source="district.code", allow_null=True)
    district_name = serializers.CharField(source="district.name", allow_null=True)
    assessed = serializers.IntegerField(source="figures.assessed")
    meeting_standard = serializers.IntegerField(source="figures.meeting_standard")
    recognised = serializers.IntegerField(source="figures.recognised")
    criteria_met_total = serializers.IntegerField(source="figures.criteria_met_total")
    average = serializers.DecimalField(
        source="figures.average", max_digits=6, decimal_places=2, allow_null=True
    )
    under_low = serializers.IntegerField(source="figures.under_low")
    under_high = serializers.IntegerField(source="figures.under_high")


class CriterionFiguresSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField(source="criterion.pk")
    number = serializers.IntegerField(source="criterion.number")
    name = serializers.CharField(source="criterion.name")
    responsible_agency_id = serializers.IntegerField(
        source="criterion.responsible_agency_id", allow_null=True
    )
    met = serializers.IntegerField()
    not_met = serializers.IntegerField()
    assessed = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class UnmetSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField(source="criterion.pk")
    number = serializers.IntegerField(source="criterion.number")
    communes = _RefSerializer(many=True)


class DepartmentSerializer(serializers.Serializer):
    """A department and the criteria it answers for that some commune does not meet;
    ``agency_id`` null for criteria the set gives no department."""

    agency_id = serializers.IntegerField(source="agency.pk", allow_null=True)
    agency_name = serializers.CharField(source="agency.name", allow_null=True)
    commune_count = serializers.IntegerField()
    unmet = UnmetSerializer(many=True)


class LevelCountSerializer(serializers.Serializer):
    level = serializers.CharField()
    count = serializers.IntegerField()


class MergerRowSerializer(serializers.Serializer):
    unit = _RefSerializer()
    formed_from = serializers.IntegerField()
    recognised = serializers.IntegerField()
    by_level = LevelCountSerializer(many=True)


class MergersSerializer(serializers.Serializer):
    """After 01/07/2025: the new communes with no recognition decision of their own yet."""

    communes = serializers.IntegerField()
    former_communes = serializers.IntegerField()
    recognised = serializers.IntegerField()
    has_demo = serializers.BooleanField()
    rows = MergerRowSerializer(many=True)


class _DistributionSerializer(serializers.Serializer):
    criteria_met = serializers.IntegerField()
    communes = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):
    approved = serializers.IntegerField()
    total = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    """The overview of a period under a set for the caller's units (the overview page)."""

    period = _RefSerializer(source="overview.period")
    criteria_set = _RefSerializer(source="overview.criteria_set")
    criteria_total = serializers.IntegerField(source="overview.criteria_total")
    coverage = CoverageSerializer()
    under_low_threshold = serializers.SerializerMethodField()
    under_high_threshold = serializers.SerializerMethodField()
    totals = FiguresSerializer(source="overview.totals")
    distribution = serializers.SerializerMethodField()
    districts = DistrictFiguresSerializer(source="overview.districts", many=True)
    criteria = CriterionFiguresSerializer(source="overview.criteria", many=True)
    departments = DepartmentSerializer(source="overview.departments", many=True)
    districts_without_model = _RefSerializer(source="overview.districts_without_model", many=True)
    districts_in_force = serializers.IntegerField(source="overview.districts_in_force")
    has_demo = serializers.BooleanField(source="overview.has_demo")
    mergers = MergersSerializer(source="overview.mergers", allow_null=True)
    recognised_by_level = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_(
            "Units in force at the period's end recognised at each level (standard, advanced, model: "
            "rural communes; model_hamlet: hamlets) by a decision dated up to its end."
        ),
    )

    def get_under_low_threshold(self, answer) -> int:
        return UNDER_LOW

    def get_under_high_threshold(self, answer) -> int:
        return UNDER_HIGH

    @extend_schema_field(_DistributionSerializer(many=True))
    def get_distribution(self, answer):
        return [
            {"criteria_met": met, "communes": communes}
            for met, communes in answer["overview"].distribution.items()
        ]


class OverviewQuery(serializers.Serializer):
    criteria_set = serializers.IntegerField(required=False, min_value=1)


@extend_schema_view(
    list=extend_schema(summary=_("List the reporting periods")),
    retrieve=extend_schema(summary=_("Read a reporting period")),
)
class PeriodViewSet(PortalReadOnlyViewSet):
    """Reporting periods (kỳ báo cáo), newest first: first and last day, submission
    deadline (hạn nộp, the last day that counts as on time) and lock date (khóa sổ, after
    which only a coordinator edits); and the overview of each. Read only: periods are
    kept in the admin."""

    serializer_class = PeriodSerializer
    queryset = ReportingPeriod.objects.none()  # the schema's model; get_queryset reads them all
    filterset_class = PeriodFilter
    ordering_fields = ("code", "name", "kind", "start", "end", "submission_deadline", "lock_date")
    ordering = ("-start", "kind")
    search_fields = ("name",)

    def get_queryset(self):
        return ReportingPeriod.objects.all()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "criteria_set",
                int,
                description=str(_("The criteria set's id; by default the one the overview page opens on.")),
            )
        ],
        responses=OverviewSerializer,
        summary=_("The overview of a period for the caller's units"),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def overview(self, request, pk=None):
        """The overview page's figures of this period for the caller's units (a district
        officer: their district), under ``criteria_set`` or the set most approved
        assessments of the period use (:func:`criteria.selectors.overview.
        default_criteria_set`). Counts only approved assessments of rural communes (xã);
        recognitions at the NTM standard decided by the period's end. 400 on an unknown
        ``criteria_set``."""
        query = OverviewQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = self.get_object()
        visible = request.user.unit_scope()
        if "criteria_set" in query.validated_data:
            criteria_set = CriteriaSet.objects.filter(pk=query.validated_data["criteria_set"]).first()
            if criteria_set is None:
                raise _not_found("criteria_set", _("There is no criteria set with this id."))
        else:
            criteria_set = default_criteria_set(visible=visible, period=period)
            if criteria_set is None:
                raise exceptions.NotFound(_("There is no criteria set to count this period under."))
        answer = {
            "overview": province_overview(visible=visible, period=period, criteria_set=criteria_set),
            "coverage": approved_coverage(visible=visible, period=period, criteria_set=criteria_set),
            "recognised_by_level": recognised_by_level(visible=visible, on=period.end),
        }
        return Response(OverviewSerializer(answer).data)


# --- recognitions ------------------------------------------------------------------------


class RecognitionSerializer(serializers.ModelSerializer):
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    parent_id = serializers.IntegerField(source="unit.parent_id", allow_null=True)
    parent_name = serializers.CharField(source="unit.parent.name", allow_null=True)
    criteria_set_id = serializers.IntegerField()
    criteria_set_code = serializers.CharField(source="criteria_set.code")

    class Meta:
        model = Recognition
        fields = [
            "id",
            "unit_id",
            "unit_code",
            "unit_name",
            "parent_id",
            "parent_name",
            "level",
            "criteria_set_id",
            "criteria_set_code",
            "decision_number",
            "decision_date",
            "signer",
            "is_demo",
        ]


class RecognitionFilter(PortalFilterSet):
    unit = WholeNumberFilter(field_name="unit_id", label=_("unit (id)"))
    within = WholeNumberFilter(method="filter_within", label=_("the unit and the units below it (id)"))
    level = django_filters.ChoiceFilter(choices=RecognitionLevel.choices, label=_("level"))
    criteria_set = WholeNumberFilter(field_name="criteria_set_id", label=_("criteria set (id)"))
    year = YearFilter(field_name="decision_date", lookup_expr="year", label=_("year of the decision"))
    decided_after = IsoDateFilter(
        field_name="decision_date", lookup_expr="gte", label=_("decided on or after")
    )
    decided_before = IsoDateFilter(
        field_name="decision_date", lookup_expr="lte", label=_("decided on or before")
    )
    is_demo = YesNoFilter(method="filter_is_demo", label=_("illustrative demo data"))

    class Meta:
        model = Recognition
        fields = []

    def filter_within(self, queryset, name, value):
        return queryset.filter(unit__in=AdministrativeUnit.objects.within(AdministrativeUnit(pk=value)))

    def filter_is_demo(self, queryset, name, value):
        return queryset if value is None else queryset.filter(is_demo=value)


class RecognitionInput(StrictInput):
    unit_id = serializers.IntegerField()
    level = serializers.ChoiceField(choices=RecognitionLevel.choices)
    criteria_set_id = serializers.IntegerField()
    decision_number = serializers.CharField(max_length=60)
    decision_date = serializers.DateField()
    signer = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(summary=_("List the recognitions of the caller's units")),
    retrieve=extend_schema(summary=_("Read a recognition")),
)
class RecognitionViewSet(PortalViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Recognitions (công nhận) of the communes and hamlets in the caller's scope, newest
    decision first (another unit's is a 404); a coordinator records one (POST)."""

    serializer_class = RecognitionSerializer
    queryset = Recognition.objects.none()  # the schema's model; get_queryset scopes
    permission_classes = [*PortalViewSet.permission_classes, CoordinatorWrites]
    filterset_class = RecognitionFilter
    ordering_fields = ("decision_date", "decision_number", "level", "unit_name")
    ordering = ("-decision_date", "unit_name")
    search_fields = ("unit__name", "decision_number")

    def get_queryset(self):
        return recognitions_in_scope(visible=self.request.user.unit_scope()).annotate(
            unit_name=F("unit__name")
        )

    @extend_schema(
        request=RecognitionInput,
        responses={201: RecognitionSerializer},
        summary=_("Record a recognition decision (coordinators)"),
    )
    def create(self, request):
        """Record that a unit of the caller's scope was recognised at ``level`` under
        ``criteria_set_id`` by decision ``decision_number`` of ``decision_date``
        (:func:`criteria.services.recognitions.recognition_create`, as the recognition
        form). 400 on ``unit_id`` (unknown or outside the caller's scope, not a xã for a
        commune level, not a hamlet for a model hamlet, already recognised so),
        ``criteria_set_id``, ``decision_number``, ``decision_date`` (in the future, before
        the set was issued, after it ceased to apply, a day the unit was not in force)."""
        body = RecognitionInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        unit = request.user.unit_scope(for_change=True).filter(pk=data["unit_id"]).first()
        if unit is None:
            raise _not_found("unit_id", _("There is no unit with this id that you may change."))
        criteria_set = CriteriaSet.objects.filter(pk=data["criteria_set_id"]).first()
        if criteria_set is None:
            raise _not_found("criteria_set_id", _("There is no criteria set with this id."))
        with _service_fields(lambda key: "unit_id" if key == "unit" else key):
            recognition = recognition_create(
                user=request.user,
                unit=unit,
                level=data["level"],
                criteria_set=criteria_set,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                signer=data["signer"],
            )
        created = self.get_queryset().get(pk=recognition.pk)
        return Response(self.representation(created), status=status.HTTP_201_CREATED)


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [
    ("criteria-sets", CriteriaSetViewSet, "criteria-set-api"),
    ("criteria", CriterionViewSet, "criterion-api"),
    ("indicators", IndicatorViewSet, "indicator-api"),
    ("periods", PeriodViewSet, "period-api"),
    ("recognitions", RecognitionViewSet, "recognition-api"),
]
