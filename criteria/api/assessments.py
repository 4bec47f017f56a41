"""REST API of assessments: ``/api/v1/assessments/``.

Reads show exactly what the assessment pages show the caller: the assessments of the
communes in their scope (:func:`criteria.selectors.assessments.assessment_list` over
``user.unit_scope()``); another one is a 404. Every role that has the pages reads them,
as the pages let every logged-in person inside the scope read them (leaders, department
officers and API clients included): so no model permission is asked for reading
(``criteria.view_assessment`` is held by coordinators alone, for the admin).

* ``GET /api/v1/assessments/``: the list, 50 a page (``page``, ``page_size``), filtered
  by ``period``, ``criteria_set``, ``commune`` (ids), ``unit`` (a unit id: the communes at
  or under it, e.g. a district or the province), ``status`` (draft, submitted, returned,
  approved), ``updated_since`` (ISO 8601: the assessment or one of its indicator values
  changed since); ``search`` in the commune's name (accents optional); ``ordering``
  among ``updated_at``, ``commune__name``, ``status``, ``criteria_met``,
  ``submitted_at``, ``decided_at``, ``period__start``, ``id`` (``-`` for descending; the
  id always ends it). Each row: ``{"id", "commune_id", "commune_code", "commune_name",
  "period_id", "period_code", "criteria_set_id", "criteria_set_code",
  "commune_group_id", "status", "status_reason", "criteria_met", "criteria_total",
  "meets_standard", "version", "created_by", "submitted_by", "submitted_at",
  "decided_by", "decided_at", "updated_at", "is_demo"}``; a person is ``{"id", "name"}``.
* ``GET /api/v1/assessments/{id}/``: the same with ``"values"`` (per indicator: ``number``
  with 4 decimals, a percent as 0-100; ``achieved`` true = Đạt; ``evidence``; ``outcome``
  met / not_met / missing / undetermined; ``target``, the one that applies to the
  commune's group), ``"criterion_results"`` and ``"actions"`` (what the caller may do
  now: edit, submit, approve, return, reopen, comment). It has an ``ETag``.
* ``POST /api/v1/assessments/`` ``{"commune_id", "period_id", "criteria_set_id"}``: a new
  draft (:func:`~criteria.services.assessments.assessment_create`), 201.
* ``PATCH /api/v1/assessments/{id}/values/`` ``{"values": [{"indicator_id" or
  "indicator_code", "number"?, "achieved"?, "evidence"?}], "version"?}``: change those
  values (:func:`~criteria.services.assessments.assessment_update_values`); an omitted
  field keeps what is stored, null erases it; ``value`` may stand for ``number`` (a
  number or percent indicator) or ``achieved`` (a yes/no one).
* ``POST /api/v1/assessments/{id}/submit/``, ``approve/``, ``return/`` (``reason``
  required), ``reopen/`` (``reason`` required), body ``{"version"?, "reason"?}``
  (:func:`~criteria.services.assessments.assessment_transition`).
* ``POST /api/v1/assessments/bulk-values/``: many communes' values at once, judged as the
  Excel upload judges them (:mod:`criteria.services.bulk_values`); ``dry_run`` answers
  the upload's preview, otherwise each commune is written alone.

Writes answer the assessment as a GET does, with its new ETag. ``If-Match`` with an older
ETag, or a ``version`` that is not the current one, is refused (412, 409) and nothing is
saved. A role that may never do it: 403; what the workflow refuses now (a state, the
lock date, one's own submission): 409 with the reason and who can act; outside the
scope: 404; a bad value: 400 naming ``values[i].number`` and the indicator.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from communes.models import AdministrativeUnit
from communes.scope import get_unit_or_404
from core.api.errors import Conflict
from core.api.filters import PortalFilterSet, WholeNumberFilter
from core.api.views import PortalAPIMixin
from core.exceptions import ROLE_REFUSED_MESSAGE
from criteria.api.bulk_values import BulkAnswer, BulkInput, bulk_answer, posted_communes
from criteria.api.inputs import CreateInput, TransitionInput, ValuesInput
from criteria.models import Assessment, AssessmentStatus, CriterionResult, IndicatorValue
from criteria.selectors.assessments import assessment_list, assessment_people
from criteria.services.assessments import (
    StaleAssessment,
    WorkflowRefused,
    acting_roles,
    assessment_actions,
    assessment_create,
    assessment_transition,
    assessment_update_values,
    indicator_target,
    starts_assessments,
)
from criteria.services.bulk_values import bulk_values_apply, bulk_values_preview
from criteria.services.reports import REPORTERS_ONLY
from criteria.workflow import Action, role_allows

# --- Output -------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    """A person (or an API token's account): id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


def _person(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment as the list shows it (see the module docstring)."""

    commune_id = serializers.IntegerField(read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    period_id = serializers.IntegerField(read_only=True)
    period_code = serializers.CharField(source="period.code", read_only=True)
    criteria_set_id = serializers.IntegerField(read_only=True)
    criteria_set_code = serializers.CharField(source="criteria_set.code", read_only=True)
    commune_group_id = serializers.IntegerField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=AssessmentStatus.choices, read_only=True)
    created_by = serializers.SerializerMethodField()
    submitted_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "commune_id",
            "commune_code",
            "commune_name",
            "period_id",
            "period_code",
            "criteria_set_id",
            "criteria_set_code",
            "commune_group_id",
            "status",
            "status_reason",
            "criteria_met",
            "criteria_total",
            "meets_standard",
            "version",
            "created_by",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "updated_at",
            "is_demo",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_created_by(self, assessment) -> dict | None:
        return _person(assessment.created_by)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_submitted_by(self, assessment) -> dict | None:
        """Who submitted it last."""
        return _person(assessment.submitted_by)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_decided_by(self, assessment) -> dict | None:
        """Who approved, returned or reopened it last."""
        return _person(assessment.decided_by)


_TARGET = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


class IndicatorValueSerializer(serializers.ModelSerializer):
    """One indicator's value in an assessment."""

    indicator_id = serializers.IntegerField(read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    criterion_id = serializers.IntegerField(source="indicator.criterion_id", read_only=True)
    target = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator_id",
            "indicator_code",
            "criterion_id",
            "number",
            "achieved",
            "evidence",
            "outcome",
            "target",
        ]
        read_only_fields = fields

    @extend_schema_field(_TARGET)
    def get_target(self, value) -> str | None:
        """The target that applies: the commune group's where the indicator has one."""
        target = indicator_target(value.indicator, value.assessment)
        return None if target is None else _TARGET.to_representation(target)


class CriterionResultSerializer(serializers.ModelSerializer):
    """Whether a criterion is met: all its indicators met."""

    criterion_id = serializers.IntegerField(read_only=True)
    criterion_number = serializers.IntegerField(source="criterion.number", read_only=True)

    class Meta:
        model = CriterionResult
        fields = ["criterion_id", "criterion_number", "met"]
        read_only_fields = fields


class AssessmentListSerializer(AssessmentSerializer):
    """The list's rows: the same fields, the commune's, period's and set's codes and
    name read from the list query's own columns (:data:`_JOINED`), and the people from
    ``context["people"]`` (user id -> user), not from related objects built per row."""

    commune_code = serializers.CharField(read_only=True)
    commune_name = serializers.CharField(read_only=True)
    period_code = serializers.CharField(read_only=True)
    criteria_set_code = serializers.CharField(read_only=True)

    def _of(self, user_id):
        return _person(self.context["people"].get(user_id)) if user_id else None

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_created_by(self, assessment) -> dict | None:
        return self._of(assessment.created_by_id)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_submitted_by(self, assessment) -> dict | None:
        return self._of(assessment.submitted_by_id)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_decided_by(self, assessment) -> dict | None:
        return self._of(assessment.decided_by_id)


# The columns of related rows the list shows, as the list query selects them.
_JOINED = {
    "commune_code": F("commune__code"),
    "commune_name": F("commune__name"),
    "period_code": F("period__code"),
    "criteria_set_code": F("criteria_set__code"),
}


class AssessmentDetailSerializer(AssessmentSerializer):
    """An assessment with its values, criterion results and the caller's actions."""

    values = IndicatorValueSerializer(many=True, read_only=True)
    criterion_results = CriterionResultSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "values", "criterion_results", "actions"]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=[a.value for a in Action]))
    )
    def get_actions(self, assessment) -> list[str]:
        """What the caller may do now, by the workflow table, the lock date and their scope."""
        user = self.context["request"].user
        return sorted(assessment_actions(user=user, assessment=assessment))


# --- Filters ------------------------------------------------------------------------------


class AssessmentApiFilter(PortalFilterSet):
    period = WholeNumberFilter(field_name="period_id", label=gettext_lazy("Period (id)"))
    criteria_set = WholeNumberFilter(field_name="criteria_set_id", label=gettext_lazy("Criteria set (id)"))
    commune = WholeNumberFilter(field_name="commune_id", label=gettext_lazy("Commune (unit id)"))
    unit = WholeNumberFilter(
        method="filter_unit", label=gettext_lazy("Unit (id): the communes at or under it")
    )
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, label=gettext_lazy("Status"))

    updated_via = ((IndicatorValue.history.model, "assessment_id"),)

    class Meta:
        model = Assessment
        fields = []

    def filter_unit(self, queryset, name, value):
        root = AdministrativeUnit(pk=int(value))
        return queryset.filter(commune__in=AdministrativeUnit.objects.within(root))


# --- The view set -------------------------------------------------------------------------

_DETAIL = OpenApiResponse(AssessmentDetailSerializer)


# What the list reads of an assessment (the rest is not loaded).
_LIST_COLUMNS = (
    *(name for name in AssessmentSerializer.Meta.fields if not name.endswith(("_code", "_name", "_by"))),
    "created_by_id",
    "submitted_by_id",
    "decided_by_id",
)


class AssessmentViewSet(
    PortalAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Assessments of the caller's scope (see the module docstring)."""

    queryset = Assessment.objects.none()  # the schema's model; get_queryset scopes
    read_permission = None  # as the pages: every role reads inside its scope (module docstring)
    filterset_class = AssessmentApiFilter
    ordering_fields = (
        "updated_at",
        "commune__name",
        "status",
        "criteria_met",
        "submitted_at",
        "decided_at",
        "period__start",
        "id",
    )
    ordering = ("-period__start", "commune__parent__name", "commune__name")
    search_fields = ("commune__name",)

    def get_queryset(self):
        rows = assessment_list(visible=self.request.user.unit_scope())
        if self.action == "list":
            # The people come in one query of their own (:meth:`list`): joined into the
            # list's query they cost more in PostgreSQL's planning than the rest of it.
            return rows.select_related(None).only(*_LIST_COLUMNS).annotate(**_JOINED)
        rows = rows.select_related("created_by", "submitted_by", "decided_by")
        values = (
            IndicatorValue.objects.select_related("indicator")
            .prefetch_related("indicator__group_targets")
            .order_by("indicator__criterion__number", "indicator__position", "indicator__code", "pk")
        )
        results = CriterionResult.objects.select_related("criterion").order_by("criterion__number", "pk")
        return rows.prefetch_related(
            Prefetch("values", queryset=values), Prefetch("criterion_results", queryset=results)
        )

    def get_serializer_class(self):
        return AssessmentListSerializer if self.action == "list" else AssessmentDetailSerializer

    def representation(self, obj) -> dict:
        return AssessmentDetailSerializer(obj, context=self.get_serializer_context()).data

    def _fresh(self) -> dict:
        """The assessment of the URL as a GET answers it now."""
        return self.representation(self.get_object())

    def _require_role(self, act: Action) -> None:
        """403 when no role of the caller ever may ``act`` on an assessment (the
        workflow table): a leader, an API client, a department officer editing."""
        if not role_allows(act, acting_roles(self.request.user)):
            raise PermissionDenied(ROLE_REFUSED_MESSAGE)

    @extend_schema(summary=gettext_lazy("List assessments"))
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        people = assessment_people(page)
        serializer = self.get_serializer(
            page, many=True, context=self.get_serializer_context() | {"people": people}
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary=gettext_lazy("One assessment with its values"), responses=AssessmentDetailSerializer
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Start an assessment (a draft)"),
        request=CreateInput,
        responses={201: _DETAIL},
    )
    def create(self, request, *args, **kwargs):
        """A draft of ``commune_id`` for ``period_id`` under ``criteria_set_id``, one empty
        value per indicator. 403 for a role that does not start assessments (only
        commune and district officers and coordinators do), 404 for a commune outside
        the caller's change scope, 400 for a unit that is not a xã in force during the
        period, an incomplete set or an assessment that exists already, 409 after the
        period's lock date (coordinators excepted)."""
        if not starts_assessments(request.user):
            raise PermissionDenied(
                _("Only commune officers, district officers and provincial coordinators start assessments.")
            )
        body = CreateInput(data=request.data)
        body.is_valid(raise_exception=True)
        commune = get_unit_or_404(request.user, body.validated_data["commune_id"], for_change=True)
        try:
            assessment = assessment_create(
                user=request.user,
                commune=commune,
                period=body.validated_data["period_id"],
                criteria_set=body.validated_data["criteria_set_id"],
            )
        except WorkflowRefused as error:
            raise Conflict(" ".join(error.messages)) from None
        except DjangoValidationError as error:
            raise _renamed(error, {"commune": "commune_id", "criteria_set": "criteria_set_id"}) from None
        return Response(
            self.representation(self.get_queryset().get(pk=assessment.pk)),
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("assessment-api-detail", args=[assessment.pk])},
        )

    @extend_schema(summary=gettext_lazy("Change indicator values"), request=ValuesInput, responses=_DETAIL)
    @action(detail=True, methods=["patch"], url_path="values", url_name="values")
    def values(self, request, pk=None):
        """Store the values given (by indicator), recompute what is met, and answer the
        assessment. Nothing is saved when one value is refused (400 at
        ``values[i].<field>`` naming the indicator: a percent above 100, a negative
        value, a number for a Đạt / Không đạt indicator, an unknown indicator). 403 for a
        role that never edits, 409 when the assessment cannot be edited now (submitted,
        approved, the period locked) or ``version`` is not the current one, 412 on a
        stale ``If-Match``."""
        self.get_object()
        self._require_role(Action.EDIT)
        with self.guarded() as assessment:
            body = ValuesInput(data=request.data, context={"assessment": assessment})
            body.is_valid(raise_exception=True)
            try:
                assessment_update_values(
                    user=request.user,
                    assessment=assessment,
                    version=body.validated_data.get("version", assessment.version),
                    values=body.validated_data["values"],
                )
            except (StaleAssessment, WorkflowRefused) as error:
                raise Conflict(" ".join(error.messages)) from None
        return Response(self._fresh())

    def _transition(self, request, act: Action) -> Response:
        self.get_object()
        self._require_role(act)
        body = TransitionInput(data=request.data)
        body.is_valid(raise_exception=True)
        with self.guarded() as assessment:
            try:
                assessment_transition(
                    user=request.user,
                    assessment=assessment,
                    action=act,
                    version=body.validated_data.get("version", assessment.version),
                    reason=body.validated_data.get("reason", ""),
                )
            except (StaleAssessment, WorkflowRefused) as error:
                raise Conflict(" ".join(error.messages)) from None
        return Response(self._fresh())

    @extend_schema(summary=gettext_lazy("Submit for approval"), request=TransitionInput, responses=_DETAIL)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Draft or returned -> submitted (commune and district officers, coordinators;
        after the lock date coordinators only). 409 from another state."""
        return self._transition(request, Action.SUBMIT)

    @extend_schema(summary=gettext_lazy("Approve"), request=TransitionInput, responses=_DETAIL)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Submitted -> approved and locked (coordinators; not one's own submission unless
        ``ALLOW_SELF_APPROVAL``: 409)."""
        return self._transition(request, Action.APPROVE)

    @extend_schema(summary=gettext_lazy("Return with a reason"), request=TransitionInput, responses=_DETAIL)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Submitted -> returned (coordinators), ``reason`` required (400 without it); the
        submitter is told in the portal and by e-mail."""
        return self._transition(request, Action.RETURN)

    @extend_schema(summary=gettext_lazy("Reopen with a reason"), request=TransitionInput, responses=_DETAIL)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Approved -> draft (coordinators), ``reason`` required (400 without it)."""
        return self._transition(request, Action.REOPEN)

    @extend_schema(
        summary=gettext_lazy("Indicator values of many communes (preview or write)"),
        request=BulkInput,
        responses={200: BulkAnswer},
    )
    @action(detail=False, methods=["post"], url_path="bulk-values", url_name="bulk-values")
    def bulk_values(self, request):
        """Values of many communes of one period and criteria set, judged exactly as an
        uploaded Excel criteria report is: each commune of ``communes`` is a row of the
        template of ``unit_id`` (by default the caller's own unit), ``communes[0]`` row 3.

        ``dry_run`` true (the default) answers the upload's preview and writes nothing:
        per commune its ``changes`` (old -> new as a person reads them), its ``errors``
        (naming sheet row, indicator and commune, in Vietnamese: an unknown code, a
        commune outside the caller's area or the unit, a repeated commune, a value of the
        wrong type or out of range, an assessment submitted, approved or in a locked
        period, one changed since ``version``), ``met_before`` and ``met_after``.
        ``dry_run`` false writes each commune that has changes and no error, alone (a new
        draft where there is none), and adds its ``result``: imported, or refused when
        written (changed meanwhile); the others are ``invalid`` or ``unchanged``. A null
        value leaves the stored one (use ``PATCH …/values/`` to erase). At most 500
        communes a call. 403 for a role that does not upload reports, 404 for a unit
        outside the caller's change scope, 400 for a value that has no cell in the
        template (an indicator not in the set, a number for a yes/no indicator)."""
        if not starts_assessments(request.user):
            raise PermissionDenied(str(REPORTERS_ONLY))
        body = BulkInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        preview = bulk_values_preview(
            user=request.user,
            period=data["period_id"],
            criteria_set=data["criteria_set_id"],
            communes=posted_communes(data),
            unit_id=data.get("unit_id"),
        )
        outcomes = None if data["dry_run"] else bulk_values_apply(user=request.user, preview=preview)
        return Response(bulk_answer(preview, outcomes))


def _renamed(error: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """A service's ValidationError with its fields named as in the body."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {names.get(field, field): errors for field, errors in error.error_dict.items()}
    )


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [("assessments", AssessmentViewSet, "assessment-api")]
