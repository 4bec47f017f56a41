"""REST API of cement: batches with their allocations, allocations, deliveries and use
reports (``/api/v1/cement-batches/``, ``cement-allocations/``, ``cement-deliveries/``,
``cement-uses/``). Tonnes are decimal strings with three decimals (``"12.500"``), dates
ISO; see :mod:`funding.api.common` for what every funding endpoint shares.

Reads show what the cement pages show the caller: a batch only when it gives cement to a
unit in the caller's scope, with only those allocations (:func:`funding.selectors.cement.batch_in_scope`);
allocations, deliveries and use reports of the holders in scope (a unit's page). Writes
go through :mod:`funding.services.cement`, as the pages' forms do: coordinators record a
batch with its allocations (``funding.add_cementbatch``); district and commune officers
(and coordinators) report deliveries (``funding.add_cementdelivery``) and use
(``funding.add_cementuse``) for the holders in their change scope. A use report that would
take its holder beyond the year's allocation, or deliveries beyond it, are refused with
the page's message on ``tonnes`` (400); nothing is saved then.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.api.filters import PortalFilterSet, WholeNumberFilter, date_range
from funding.api import common
from funding.api.common import FundingViewSet, InputSerializer, TextField, UserNameField
from funding.api.reserve import ReserveActions
from funding.checks import check_tonnes
from funding.models import (
    BatchKind,
    CementAllocation,
    CementBatch,
    CementDelivery,
    CementUse,
    RoadKind,
    UsePurpose,
)
from funding.selectors.cement import (
    allocations_in_scope,
    batches_in_scope,
    deliveries_in_scope,
    uses_in_scope,
)
from funding.services.cement import cement_batch_create, cement_delivery_create, cement_use_create

# --- Batches ------------------------------------------------------------------------------


class BatchAllocationSerializer(serializers.ModelSerializer):
    """One allocation of a batch: the holder and its tonnes."""

    class Meta:
        model = CementAllocation
        fields = ["id", "unit_id", "tonnes"]


class CementBatchSerializer(serializers.ModelSerializer):
    """A batch: ``{"id", "year", "kind" (regular | reserve), "decision_number",
    "decision_date", "note", "tonnes" (its allocations in the caller's scope added up),
    "allocations": [{"id", "unit_id", "tonnes"}] (those in scope, by GSO code), "basis"
    (for an approved reserve: the proposal as approved, one object per unit with numbers
    as strings, as the batch's page shows it), "created_by", "created_at", "is_demo"}``."""

    tonnes = serializers.SerializerMethodField()
    allocations = BatchAllocationSerializer(source="visible_allocations", many=True, read_only=True)
    basis = serializers.JSONField(read_only=True)
    created_by = UserNameField()

    class Meta:
        model = CementBatch
        fields = [
            "id",
            "year",
            "kind",
            "decision_number",
            "decision_date",
            "note",
            "tonnes",
            "allocations",
            "basis",
            "created_by",
            "created_at",
            "is_demo",
        ]

    def get_tonnes(self, batch) -> str:
        return common.tonnes_text_value(sum(a.tonnes for a in batch.visible_allocations))


class AllocationInput(InputSerializer):
    unit_id = common.id_field(gettext_lazy("Locality"))
    tonnes = common.number_field(gettext_lazy("Tonnes"))


class BatchInput(InputSerializer):
    """A batch as the batch form takes it; ``allocations`` lists the holders (districts or
    communes in force in ``year``) with their tonnes (0 leaves a unit out)."""

    year = serializers.IntegerField(label=gettext_lazy("Year"))
    kind = serializers.ChoiceField(
        label=gettext_lazy("Kind"), choices=BatchKind.choices, default=BatchKind.REGULAR
    )
    decision_number = TextField(label=gettext_lazy("Decision number"), max_length=60)
    decision_date = serializers.DateField(label=gettext_lazy("Decision date"))
    note = common.optional_text(gettext_lazy("Note"), 1000)
    allocations = AllocationInput(
        many=True, label=gettext_lazy("Allocations"), allow_empty=False, max_length=2000
    )


class BatchFilter(PortalFilterSet):
    year = common.year_filter()
    kind = django_filters.ChoiceFilter(choices=BatchKind.choices, label=gettext_lazy("kind"))
    unit = WholeNumberFilter(method="filter_unit", label=gettext_lazy("Gives cement to this unit"))
    district = common.within_filter(gettext_lazy("Gives cement to this unit or a unit under it"))
    decision_date_after, decision_date_before = date_range("decision_date", gettext_lazy("decision date"))

    updated_via = ((CementAllocation.history.model, "batch_id"),)

    class Meta:
        model = CementBatch
        fields = []

    def _allocations(self):
        return CementAllocation.objects.filter(unit__in=self.request.user.unit_scope())

    def filter_unit(self, queryset, name, value):
        return queryset.filter(pk__in=self._allocations().filter(unit_id=value).values("batch_id"))

    def filter_within(self, queryset, name, value):
        return queryset.filter(
            pk__in=self._allocations().filter(common.under("unit", value)).values("batch_id")
        )


def batch_allocations(data: list[dict], changeable_unit) -> dict:
    """The holders and tonnes of a batch body: each unit found in the caller's change
    scope (404 otherwise), its tonnes checked as the service checks them
    (:func:`funding.checks.check_tonnes`) but under the API's field names
    (``allocations`` > item > ``tonnes``); a unit listed twice is a 400."""
    wanted, errors = {}, {}
    for index, row in enumerate(data):
        unit = changeable_unit(row["unit_id"])
        if unit in wanted:
            message = _("%(unit)s is listed twice.") % {"unit": unit.name}
            common.merge(errors, common.nested(("allocations", index, "unit_id"), [message]))
            continue
        try:
            wanted[unit] = check_tonnes(row["tonnes"], field="tonnes", label=unit.name, allow_zero=True)
        except DjangoValidationError as error:
            common.merge(
                errors, common.nested(("allocations", index, "tonnes"), error.message_dict["tonnes"])
            )
            wanted[unit] = None
    if errors:
        raise serializers.ValidationError(errors)
    return wanted


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the cement batches that give cement to the caller's units")
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("Read a cement batch with its allocations in the caller's scope")
    ),
    approve_reserve=extend_schema(responses={201: CementBatchSerializer}),
)
class CementBatchViewSet(ReserveActions, FundingViewSet):
    """Cement allocation batches (đợt phân bổ xi măng) that give cement to the caller's
    scope; coordinators record one with its allocations, or approve the reserve
    (:class:`funding.api.reserve.ReserveActions`)."""

    serializer_class = CementBatchSerializer
    queryset = CementBatch.objects.none()  # the schema's model; get_queryset scopes
    read_permission = "funding.view_cementbatch"
    action_permissions = {"create": "funding.add_cementbatch", **ReserveActions.reserve_permissions}
    filterset_class = BatchFilter
    ordering_fields = ("year", "decision_date", "decision_number", "created_at")
    ordering = ("-year", "decision_date")
    search_fields = ("decision_number", "note")

    def get_queryset(self):
        return batches_in_scope(visible=self.visible())

    @extend_schema(
        request=BatchInput,
        responses={201: CementBatchSerializer},
        summary=gettext_lazy("Record a cement batch with its allocations (coordinators)"),
    )
    def create(self, request, *args, **kwargs):
        """Record a batch (``funding.add_cementbatch``) as the batch form does:
        :func:`funding.services.cement.cement_batch_create`. Errors of a holder (not a
        district or commune in force that year, inside another holder of the year)
        name the item of ``allocations`` and its ``unit_id``; a unit outside the change
        scope is a 404."""
        data = common.read_input(BatchInput, request)
        wanted = batch_allocations(data["allocations"], self.changeable_unit)
        index = {unit.pk: i for i, unit in enumerate(wanted)}

        def key(name: str):
            if name.startswith("unit-") and name[5:].isdigit() and int(name[5:]) in index:
                return ("allocations", index[int(name[5:])], "unit_id")
            return None

        with common.service_errors(key=key):
            batch = cement_batch_create(
                user=request.user,
                year=data["year"],
                kind=data["kind"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                note=data["note"],
                allocations=wanted,
            )
        return self.answer_created(batch)


# --- Allocations --------------------------------------------------------------------------


class CementAllocationSerializer(serializers.ModelSerializer):
    """An allocation: ``{"id", "batch_id", "year", "kind", "decision_number", "unit_id",
    "tonnes"}`` (the year, kind and decision are the batch's)."""

    year = serializers.IntegerField(source="batch.year", read_only=True)
    kind = serializers.ChoiceField(source="batch.kind", choices=BatchKind.choices, read_only=True)
    decision_number = serializers.CharField(source="batch.decision_number", read_only=True)

    class Meta:
        model = CementAllocation
        fields = ["id", "batch_id", "year", "kind", "decision_number", "unit_id", "tonnes"]


class AllocationFilter(common.HolderFilterMixin, PortalFilterSet):
    batch = WholeNumberFilter(field_name="batch_id", label=gettext_lazy("batch"))
    year = common.year_filter("batch__year")
    kind = django_filters.ChoiceFilter(
        field_name="batch__kind", choices=BatchKind.choices, label=gettext_lazy("kind")
    )
    unit = common.unit_filter()
    district = common.within_filter()

    class Meta:
        model = CementAllocation
        fields = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the cement allocations of the caller's units")),
    retrieve=extend_schema(summary=gettext_lazy("Read a cement allocation")),
)
class CementAllocationViewSet(FundingViewSet):
    """The tonnes each batch gives each holder in the caller's scope (read only: an
    allocation is recorded with its batch, ``POST /api/v1/cement-batches/``)."""

    serializer_class = CementAllocationSerializer
    queryset = CementAllocation.objects.none()
    read_permission = "funding.view_cementallocation"
    filterset_class = AllocationFilter
    ordering_fields = ("year", "decision_date", "unit_code", "tonnes")
    ordering = ("-year", "decision_date", "unit_code")
    search_fields = ("unit__name", "batch__decision_number")

    def get_queryset(self):
        return allocations_in_scope(visible=self.visible()).annotate(
            year=F("batch__year"), decision_date=F("batch__decision_date"), unit_code=F("unit__code")
        )


# --- Deliveries ---------------------------------------------------------------------------


class CementDeliverySerializer(serializers.ModelSerializer):
    """A delivery: ``{"id", "unit_id", "year" (of the allocation), "delivered_on",
    "tonnes", "reference" (the delivery record), "created_by", "is_demo"}``."""

    created_by = UserNameField()

    class Meta:
        model = CementDelivery
        fields = ["id", "unit_id", "year", "delivered_on", "tonnes", "reference", "created_by", "is_demo"]


class DeliveryInput(InputSerializer):
    unit_id = common.id_field(gettext_lazy("Locality"))
    year = serializers.IntegerField(label=gettext_lazy("Allocation year"))
    delivered_on = serializers.DateField(label=gettext_lazy("Delivery date"))
    tonnes = common.number_field(gettext_lazy("Tonnes delivered"))
    reference = common.optional_text(gettext_lazy("Delivery record"), 150)


class DeliveryFilter(common.HolderFilterMixin, PortalFilterSet):
    unit = common.unit_filter()
    district = common.within_filter()
    year = common.year_filter()
    delivered_on_after, delivered_on_before = date_range("delivered_on", gettext_lazy("delivery date"))

    class Meta:
        model = CementDelivery
        fields = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the cement deliveries to the caller's units")),
    retrieve=extend_schema(summary=gettext_lazy("Read a cement delivery")),
)
class CementDeliveryViewSet(FundingViewSet):
    """Cement handed over to the holders in the caller's scope; officers record them."""

    serializer_class = CementDeliverySerializer
    queryset = CementDelivery.objects.none()
    read_permission = "funding.view_cementdelivery"
    action_permissions = {"create": "funding.add_cementdelivery"}
    filterset_class = DeliveryFilter
    ordering_fields = ("delivered_on", "year", "tonnes")
    ordering = ("-delivered_on",)
    search_fields = ("reference", "unit__name")

    def get_queryset(self):
        return deliveries_in_scope(visible=self.visible())

    @extend_schema(
        request=DeliveryInput,
        responses={201: CementDeliverySerializer},
        summary=gettext_lazy("Record cement handed over to a holder"),
    )
    def create(self, request, *args, **kwargs):
        """Record a delivery (``funding.add_cementdelivery``) as the delivery form does:
        :func:`funding.services.cement.cement_delivery_create`; deliveries beyond the
        year's allocation are refused on ``tonnes``."""
        data = common.read_input(DeliveryInput, request)
        unit = self.changeable_unit(data["unit_id"])
        with common.service_errors({"unit": "unit_id"}):
            delivery = cement_delivery_create(
                user=request.user,
                unit=unit,
                year=data["year"],
                delivered_on=data["delivered_on"],
                tonnes=data["tonnes"],
                reference=data["reference"],
            )
        return self.answer_created(delivery)


# --- Use reports --------------------------------------------------------------------------


class CementUseSerializer(serializers.ModelSerializer):
    """A use report: ``{"id", "unit_id" (the holder), "year" (of the allocation),
    "used_on", "tonnes", "purpose", "road_kind" ("" unless a road), "length_km" (km, a
    decimal string, or null), "place_id" (the commune or hamlet, or null),
    "description", "evidence", "created_by", "created_at", "is_demo"}``."""

    created_by = UserNameField()

    class Meta:
        model = CementUse
        fields = [
            "id",
            "unit_id",
            "year",
            "used_on",
            "tonnes",
            "purpose",
            "road_kind",
            "length_km",
            "place_id",
            "description",
            "evidence",
            "created_by",
            "created_at",
            "is_demo",
        ]


class UseInput(InputSerializer):
    unit_id = common.id_field(gettext_lazy("Locality"))
    year = serializers.IntegerField(label=gettext_lazy("Allocation year"))
    used_on = serializers.DateField(label=gettext_lazy("Date of use"))
    tonnes = common.number_field(gettext_lazy("Tonnes used"))
    purpose = serializers.ChoiceField(label=gettext_lazy("Purpose"), choices=UsePurpose.choices)
    road_kind = serializers.ChoiceField(
        label=gettext_lazy("Road kind"),
        choices=RoadKind.choices,
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
    )
    length_km = common.number_field(gettext_lazy("Length (km)"), required=False)
    place_id = common.id_field(gettext_lazy("Commune or hamlet"), required=False)
    description = TextField(label=gettext_lazy("Works"), max_length=300)
    evidence = TextField(label=gettext_lazy("Evidence"), max_length=2000)


class UseFilter(common.HolderFilterMixin, PortalFilterSet):
    unit = common.unit_filter()
    district = common.within_filter()
    year = common.year_filter()
    purpose = django_filters.ChoiceFilter(choices=UsePurpose.choices, label=gettext_lazy("purpose"))
    place = WholeNumberFilter(field_name="place_id", label=gettext_lazy("commune or hamlet"))
    used_on_after, used_on_before = date_range("used_on", gettext_lazy("date of use"))

    class Meta:
        model = CementUse
        fields = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the cement use reports of the caller's units")),
    retrieve=extend_schema(summary=gettext_lazy("Read a cement use report")),
)
class CementUseViewSet(FundingViewSet):
    """Use reports (báo cáo sử dụng xi măng) of the holders in the caller's scope; officers
    report them."""

    serializer_class = CementUseSerializer
    queryset = CementUse.objects.none()
    read_permission = "funding.view_cementuse"
    action_permissions = {"create": "funding.add_cementuse"}
    filterset_class = UseFilter
    ordering_fields = ("used_on", "year", "tonnes", "created_at")
    ordering = ("-used_on", "-pk")
    search_fields = ("description", "evidence", "unit__name")

    def get_queryset(self):
        return uses_in_scope(visible=self.visible())

    @extend_schema(
        request=UseInput,
        responses={201: CementUseSerializer},
        summary=gettext_lazy("Report cement used by a holder"),
    )
    def create(self, request, *args, **kwargs):
        """Report use (``funding.add_cementuse``) as the use form does:
        :func:`funding.services.cement.cement_use_create`. A report beyond the holder's
        allocation of the year is refused on ``tonnes`` saying what is left; ``place_id``
        must lie in the holder (400) and in the change scope (404)."""
        data = common.read_input(UseInput, request)
        unit = self.changeable_unit(data["unit_id"])
        place = self.changeable_unit(data["place_id"]) if data["place_id"] else None
        with common.service_errors({"place": "place_id", "unit": "unit_id"}):
            use = cement_use_create(
                user=request.user,
                unit=unit,
                year=data["year"],
                used_on=data["used_on"],
                tonnes=data["tonnes"],
                purpose=data["purpose"],
                road_kind=data["road_kind"] or "",
                length_km=data["length_km"],
                place=place,
                description=data["description"],
                evidence=data["evidence"],
            )
        return self.answer_created(use)


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [
    ("cement-batches", CementBatchViewSet, "cement-batch-api"),
    ("cement-allocations", CementAllocationViewSet, "cement-allocation-api"),
    ("cement-deliveries", CementDeliveryViewSet, "cement-delivery-api"),
    ("cement-uses", CementUseViewSet, "cement-use-api"),
]
