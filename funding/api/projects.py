"""REST API of value-chain projects and OCOP products (``/api/v1/value-chain-projects/``,
``/api/v1/ocop-products/``). VND are whole dong as decimal strings, hectares and tonnes
decimal strings; see :mod:`funding.api.common`.

Reads show what the pages show (:mod:`funding.selectors.projects`): the projects with a
commune in the caller's scope (those with no commune yet to whoever sees the whole
province), with their checklist of the support conditions of QĐ 4781/QĐ-BNN-VPĐP, and
the OCOP products of the communes in scope. Writes go through
:mod:`funding.services.projects`, as the pages do: district and commune officers (and
coordinators) record OCOP products of communes in their change scope
(``funding.add_ocopproduct``); coordinators record projects, change them and check their
conditions (``funding.add_valuechainproject``, ``funding.change_valuechainproject``).

A change of a project (``PATCH``) or a check honours ``If-Match`` (412 when stale). A
status the project may not move to from where it stands (:mod:`funding.project_status`),
or approval while a condition is unchecked or not met, is a 409 with the page's message
when it is the only error; other errors are 400 naming the field.
"""

from contextlib import contextmanager

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import Conflict
from core.api.filters import PortalFilterSet, WholeNumberFilter
from core.exceptions import OutOfScope
from funding.api.common import (
    FundingViewSet,
    IdListField,
    InputSerializer,
    TextField,
    UserNameField,
    id_field,
    number_field,
    optional_text,
    read_input,
    service_errors,
    under,
)
from funding.models import (
    CheckOutcome,
    ConditionCheck,
    OcopGroup,
    OcopProduct,
    PartnerKind,
    ProjectStatus,
    SupportCondition,
    ValueChainProject,
)
from funding.selectors.projects import (
    active_condition_count,
    ocop_products,
    projects_in_scope,
    projects_with_checklist,
)
from funding.services.projects import (
    OcopInput,
    ProjectInput,
    condition_check_set,
    ocop_product_create,
    project_create,
    project_update,
)

# --- Value-chain projects -----------------------------------------------------------------


class CheckSerializer(serializers.ModelSerializer):
    """One condition's check: ``{"condition_id", "condition_code", "outcome", "note",
    "checked_by", "checked_at"}``."""

    condition_code = serializers.CharField(source="condition.code", read_only=True)
    checked_by = UserNameField()

    class Meta:
        model = ConditionCheck
        fields = ["condition_id", "condition_code", "outcome", "note", "checked_by", "checked_at"]


class ValueChainProjectSerializer(serializers.ModelSerializer):
    """A project: ``{"id", "name", "partner_name", "partner_kind", "product",
    "links_production", "links_processing", "links_consumption", "area_ha",
    "volume_tonnes" (a year), "support_requested", "support_approved" (VND, null until
    decided), "status", "submission", "note", "commune_ids", "conditions_met",
    "conditions_not_met", "conditions_unchecked" (of the active conditions), "checks"
    (the checks of active conditions, in the checklist's order), "created_by",
    "is_demo"}``."""

    commune_ids = serializers.SerializerMethodField()
    conditions_met = serializers.IntegerField(source="met", read_only=True)
    conditions_not_met = serializers.IntegerField(source="not_met", read_only=True)
    conditions_unchecked = serializers.SerializerMethodField()
    checks = CheckSerializer(source="active_checks", many=True, read_only=True)
    created_by = UserNameField()

    class Meta:
        model = ValueChainProject
        fields = [
            "id",
            "name",
            "partner_name",
            "partner_kind",
            "product",
            "links_production",
            "links_processing",
            "links_consumption",
            "area_ha",
            "volume_tonnes",
            "support_requested",
            "support_approved",
            "status",
            "submission",
            "note",
            "commune_ids",
            "conditions_met",
            "conditions_not_met",
            "conditions_unchecked",
            "checks",
            "created_by",
            "is_demo",
        ]

    def get_commune_ids(self, project) -> list[int]:
        return sorted(unit.pk for unit in project.communes.all())

    def get_conditions_unchecked(self, project) -> int:
        return max(self.context["conditions"] - project.met - project.not_met, 0)


_PROJECT_FIELDS = (
    "name",
    "partner_name",
    "partner_kind",
    "product",
    "links_production",
    "links_processing",
    "links_consumption",
    "support_requested",
    "status",
    "support_approved",
    "area_ha",
    "volume_tonnes",
    "submission",
    "note",
)


class ProjectBody(InputSerializer):
    """A project as the project form takes it; ``commune_ids`` are rural communes (xã) of
    the caller's change scope (404 otherwise)."""

    name = TextField(label=gettext_lazy("Name"), max_length=300)
    partner_name = TextField(label=gettext_lazy("Lead enterprise or cooperative"), max_length=200)
    partner_kind = serializers.ChoiceField(label=gettext_lazy("Kind of lead"), choices=PartnerKind.choices)
    product = TextField(label=gettext_lazy("Product"), max_length=150)
    links_production = serializers.BooleanField(label=gettext_lazy("Production linkage"), default=False)
    links_processing = serializers.BooleanField(label=gettext_lazy("Processing linkage"), default=False)
    links_consumption = serializers.BooleanField(label=gettext_lazy("Consumption linkage"), default=False)
    area_ha = number_field(gettext_lazy("Area (ha)"), required=False)
    volume_tonnes = number_field(gettext_lazy("Volume (tonnes a year)"), required=False)
    support_requested = number_field(gettext_lazy("Support asked (VND)"))
    support_approved = number_field(gettext_lazy("Support approved (VND)"), required=False)
    status = serializers.ChoiceField(
        label=gettext_lazy("Status"), choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    submission = optional_text(gettext_lazy("Submission"), 150)
    note = optional_text(gettext_lazy("Note"), 2000)
    commune_ids = IdListField(label=gettext_lazy("In communes"), required=False, default=list)


class CheckInput(InputSerializer):
    condition_id = id_field(gettext_lazy("Condition"))
    outcome = serializers.ChoiceField(label=gettext_lazy("Outcome"), choices=CheckOutcome.choices)
    note = optional_text(gettext_lazy("Note"), 500)


@contextmanager
def status_conflict():
    """A service's refusal that is only about the status (a move the table refuses,
    approval with open conditions) as a 409 with its message."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict") and set(error.message_dict) == {"status"}:
            raise Conflict(" ".join(error.message_dict["status"])) from None
        raise


class ProjectFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label=gettext_lazy("status"))
    commune = WholeNumberFilter(method="filter_commune", label=gettext_lazy("commune"))
    district = WholeNumberFilter(
        method="filter_within", label=gettext_lazy("In a commune of this unit (a district, or the province)")
    )
    partner_kind = django_filters.ChoiceFilter(
        choices=PartnerKind.choices, label=gettext_lazy("kind of lead")
    )

    updated_via = ((ConditionCheck.history.model, "project_id"),)

    class Meta:
        model = ValueChainProject
        fields = []

    def filter_commune(self, queryset, name, value):
        return queryset.filter(pk__in=ValueChainProject.objects.filter(communes=value).values("pk"))

    def filter_within(self, queryset, name, value):
        return queryset.filter(pk__in=ValueChainProject.objects.filter(under("communes", value)).values("pk"))


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the value-chain projects in the caller's scope with their checklist")
    ),
    retrieve=extend_schema(summary=gettext_lazy("Read a value-chain project with its checklist")),
)
class ValueChainProjectViewSet(FundingViewSet):
    """Value-chain projects (dự án liên kết chuỗi giá trị) in the caller's scope, with
    their checklist; coordinators record, change and vet them."""

    serializer_class = ValueChainProjectSerializer
    queryset = ValueChainProject.objects.none()
    read_permission = "funding.view_valuechainproject"
    action_permissions = {
        "create": "funding.add_valuechainproject",
        "partial_update": "funding.change_valuechainproject",
        "checks": "funding.change_valuechainproject",
    }
    filterset_class = ProjectFilter
    ordering_fields = ("name", "status", "support_requested", "support_approved")
    ordering = ("name",)
    search_fields = ("name", "partner_name", "product")

    def get_queryset(self):
        return projects_with_checklist(visible=self.visible()).select_related("created_by")

    def get_serializer_context(self):
        return super().get_serializer_context() | {"conditions": active_condition_count()}

    def _communes(self, ids: list[int]) -> tuple:
        """The communes ``ids`` in the caller's change scope; 404 if one is not."""
        found = list(self.request.user.unit_scope(for_change=True).filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise OutOfScope
        return tuple(found)

    @staticmethod
    def _input(data: dict, communes: tuple, project: ValueChainProject | None = None) -> ProjectInput:
        current = {name: getattr(project, name) for name in _PROJECT_FIELDS} if project else {}
        merged = current | {name: data[name] for name in _PROJECT_FIELDS if name in data}
        return ProjectInput(**merged, communes=communes)

    @extend_schema(
        request=ProjectBody,
        responses={201: ValueChainProjectSerializer},
        summary=gettext_lazy("Record a value-chain project (coordinators)"),
    )
    def create(self, request, *args, **kwargs):
        """Record a project (``funding.add_valuechainproject``) as the project form does:
        :func:`funding.services.projects.project_create`."""
        data = read_input(ProjectBody, request)
        communes = self._communes(data["commune_ids"])
        with service_errors({"communes": "commune_ids"}), status_conflict():
            project = project_create(user=request.user, data=self._input(data, communes))
        return self.answer_created(project)

    @extend_schema(
        request=ProjectBody(partial=True),
        responses={200: ValueChainProjectSerializer},
        summary=gettext_lazy("Change a value-chain project (coordinators)"),
    )
    def partial_update(self, request, *args, **kwargs):
        """Change the fields given (``funding.change_valuechainproject``), the others kept,
        as the project's edit form does: :func:`funding.services.projects.project_update`.
        ``If-Match`` with the ETag of a GET: 412 when the project changed since."""
        data = read_input(ProjectBody, request, partial=True)
        with self.guarded() as project:
            if "commune_ids" in data:
                communes = self._communes(data["commune_ids"])
            else:
                communes = tuple(project.communes.all())
            with service_errors({"communes": "commune_ids"}), status_conflict():
                project_update(user=request.user, project=project, data=self._input(data, communes, project))
        return Response(self.representation(self.get_object()))

    @extend_schema(
        request=CheckInput,
        responses={200: ValueChainProjectSerializer},
        summary=gettext_lazy("Record whether a project meets a support condition (coordinators)"),
    )
    @action(detail=True, methods=["post"])
    def checks(self, request, *args, **kwargs):
        """Record one condition's check (``funding.change_valuechainproject``), as the
        project's page does: :func:`funding.services.projects.condition_check_set`; a
        second check of the condition replaces the first. Answers the project.
        ``If-Match`` with the project's ETag: 412 when it changed since."""
        data = read_input(CheckInput, request)
        with self.guarded() as project:
            condition = SupportCondition.objects.filter(pk=data["condition_id"]).first()
            if condition is None:
                raise serializers.ValidationError(
                    {"condition_id": [_("Condition: no support condition has this id.")]}
                )
            with service_errors({"condition": "condition_id"}):
                condition_check_set(
                    user=request.user,
                    project=project,
                    condition=condition,
                    outcome=data["outcome"],
                    note=data["note"],
                )
        return Response(self.representation(self.get_object()))


# --- OCOP products ------------------------------------------------------------------------


class OcopProductSerializer(serializers.ModelSerializer):
    """An OCOP product: ``{"id", "name", "group" ("" when not given), "producer_name",
    "producer_kind", "commune_id", "stars" (3 to 5), "rating_decision", "rating_year",
    "project_id" (a value-chain project, or null), "created_by", "is_demo"}``."""

    created_by = UserNameField()

    class Meta:
        model = OcopProduct
        fields = [
            "id",
            "name",
            "group",
            "producer_name",
            "producer_kind",
            "commune_id",
            "stars",
            "rating_decision",
            "rating_year",
            "project_id",
            "created_by",
            "is_demo",
        ]


class OcopBody(InputSerializer):
    name = TextField(label=gettext_lazy("Product"), max_length=200)
    group = serializers.ChoiceField(
        label=gettext_lazy("Product group"),
        choices=OcopGroup.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    producer_name = TextField(label=gettext_lazy("Producer"), max_length=200)
    producer_kind = serializers.ChoiceField(
        label=gettext_lazy("Kind of producer"), choices=PartnerKind.choices
    )
    commune_id = id_field(gettext_lazy("Commune"))
    stars = serializers.IntegerField(label=gettext_lazy("Stars"))
    rating_decision = TextField(label=gettext_lazy("Rating decision"), max_length=60)
    rating_year = serializers.IntegerField(label=gettext_lazy("Rating year"))
    project_id = id_field(gettext_lazy("Value-chain project"), required=False)


class OcopFilter(PortalFilterSet):
    commune = WholeNumberFilter(field_name="commune_id", label=gettext_lazy("commune"))
    district = WholeNumberFilter(
        method="filter_within", label=gettext_lazy("In a commune of this unit (a district, or the province)")
    )
    stars = WholeNumberFilter(label=gettext_lazy("stars"))
    group = django_filters.ChoiceFilter(choices=OcopGroup.choices, label=gettext_lazy("product group"))
    rating_year = WholeNumberFilter(label=gettext_lazy("rating year"))
    project = WholeNumberFilter(field_name="project_id", label=gettext_lazy("value-chain project"))

    class Meta:
        model = OcopProduct
        fields = []

    def filter_within(self, queryset, name, value):
        return queryset.filter(under("commune", value))


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the OCOP products of the caller's communes")),
    retrieve=extend_schema(summary=gettext_lazy("Read an OCOP product")),
)
class OcopProductViewSet(FundingViewSet):
    """OCOP products of the communes in the caller's scope; officers record them."""

    serializer_class = OcopProductSerializer
    queryset = OcopProduct.objects.none()
    read_permission = "funding.view_ocopproduct"
    action_permissions = {"create": "funding.add_ocopproduct"}
    filterset_class = OcopFilter
    ordering_fields = ("stars", "name", "rating_year")
    ordering = ("-stars", "name")
    search_fields = ("name", "producer_name")

    def get_queryset(self):
        return ocop_products(visible=self.visible()).select_related("created_by")

    @extend_schema(
        request=OcopBody,
        responses={201: OcopProductSerializer},
        summary=gettext_lazy("Record an OCOP product of a commune"),
    )
    def create(self, request, *args, **kwargs):
        """Record a product (``funding.add_ocopproduct``) as the OCOP form does:
        :func:`funding.services.projects.ocop_product_create`. ``commune_id`` outside the
        change scope is a 404; ``project_id`` must be a project the caller sees (400)."""
        data = read_input(OcopBody, request)
        commune = self.changeable_unit(data["commune_id"])
        project = None
        if data["project_id"] is not None:
            project = projects_in_scope(visible=self.visible()).filter(pk=data["project_id"]).first()
            if project is None:
                raise serializers.ValidationError(
                    {"project_id": [_("Value-chain project: no project in your scope has this id.")]}
                )
        with service_errors({"commune": "commune_id", "project": "project_id"}):
            product = ocop_product_create(
                user=request.user,
                data=OcopInput(
                    name=data["name"],
                    group=data["group"],
                    producer_name=data["producer_name"],
                    producer_kind=data["producer_kind"],
                    commune=commune,
                    stars=data["stars"],
                    rating_decision=data["rating_decision"],
                    rating_year=data["rating_year"],
                    project=project,
                ),
            )
        return self.answer_created(product)


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [
    ("value-chain-projects", ValueChainProjectViewSet, "value-chain-project-api"),
    ("ocop-products", OcopProductViewSet, "ocop-product-api"),
]
