"""REST API of funds: sources, allocations and disbursements (``/api/v1/fund-sources/``,
``fund-allocations/``, ``disbursements/``). Amounts are VND, whole dong, written as the
models store them (``DECIMAL(18, 0)``): decimal strings without decimals (``"1000000"``);
a body may send a JSON integer or such a string. Dates ISO; see :mod:`funding.api.common`.

Reads show what the funds pages show: every source (reference data), the allocations and
disbursements of the holders in the caller's scope. Writes go through
:mod:`funding.services.funds`, as the pages' forms do: coordinators allocate
(``funding.add_fundallocation``); district and commune officers (and coordinators)
report disbursements (``funding.add_disbursement``) of the holders in their change scope.
A disbursement beyond what its holder was allocated from that source that year is
refused with the page's message on ``amount`` (400); nothing is saved then.
"""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.api.filters import PortalFilterSet, WholeNumberFilter, YesNoFilter, date_range
from funding.api.common import (
    FundingViewSet,
    HolderFilterMixin,
    InputSerializer,
    UserNameField,
    id_field,
    number_field,
    optional_text,
    read_input,
    service_errors,
    unit_filter,
    within_filter,
    year_filter,
)
from funding.models import Disbursement, FundAllocation, FundSource, SourceKind
from funding.selectors.funds import disbursements_in_scope, fund_allocations_in_scope
from funding.services.funds import disbursement_create, fund_allocation_create

_RENAMED = {"unit": "unit_id", "source": "source_id"}


def active_source(pk: int) -> FundSource:
    """The active source ``pk``, or a 400 on ``source_id`` (sources are reference data,
    not scoped: the forms offer the active ones)."""
    found = FundSource.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise serializers.ValidationError({"source_id": [_("Source: no source in use has this id.")]})
    return found


# --- Sources ------------------------------------------------------------------------------


class FundSourceSerializer(serializers.ModelSerializer):
    """A source of funds: ``{"id", "code", "name", "kind", "position", "is_active"}``."""

    class Meta:
        model = FundSource
        fields = ["id", "code", "name", "kind", "position", "is_active"]


class FundSourceFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label=gettext_lazy("kind"))
    is_active = YesNoFilter(label=gettext_lazy("active"))

    class Meta:
        model = FundSource
        fields = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the sources of funds")),
    retrieve=extend_schema(summary=gettext_lazy("Read a source of funds")),
)
class FundSourceViewSet(FundingViewSet):
    """The sources of funds (nguồn vốn), in their order; kept by coordinators in the admin."""

    serializer_class = FundSourceSerializer
    queryset = FundSource.objects.none()
    read_permission = "funding.view_fundsource"
    filterset_class = FundSourceFilter
    ordering_fields = ("position", "name", "code")
    ordering = ("position", "name")
    search_fields = ("name", "code")

    def get_queryset(self):
        return FundSource.objects.all()


# --- Allocations --------------------------------------------------------------------------


class FundAllocationSerializer(serializers.ModelSerializer):
    """Funds allocated to a holder: ``{"id", "unit_id", "year", "source_id", "amount"
    (VND), "decision_number", "decision_date", "note", "created_by", "is_demo"}``."""

    created_by = UserNameField()

    class Meta:
        model = FundAllocation
        fields = [
            "id",
            "unit_id",
            "year",
            "source_id",
            "amount",
            "decision_number",
            "decision_date",
            "note",
            "created_by",
            "is_demo",
        ]


class FundAllocationInput(InputSerializer):
    unit_id = id_field(gettext_lazy("Locality"))
    year = serializers.IntegerField(label=gettext_lazy("Year"))
    source_id = id_field(gettext_lazy("Source"))
    amount = number_field(gettext_lazy("Amount (VND)"))
    decision_number = optional_text(gettext_lazy("Decision number"), 60)
    decision_date = serializers.DateField(
        label=gettext_lazy("Decision date"), required=False, allow_null=True, default=None
    )
    note = optional_text(gettext_lazy("Note"), 300)


class FundAllocationFilter(HolderFilterMixin, PortalFilterSet):
    unit = unit_filter()
    district = within_filter()
    year = year_filter()
    source = WholeNumberFilter(field_name="source_id", label=gettext_lazy("source"))
    decision_date_after, decision_date_before = date_range("decision_date", gettext_lazy("decision date"))

    class Meta:
        model = FundAllocation
        fields = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the fund allocations of the caller's units")),
    retrieve=extend_schema(summary=gettext_lazy("Read a fund allocation")),
)
class FundAllocationViewSet(FundingViewSet):
    """Funds allocated (vốn được giao) to the holders in the caller's scope; coordinators
    allocate."""

    serializer_class = FundAllocationSerializer
    queryset = FundAllocation.objects.none()
    read_permission = "funding.view_fundallocation"
    action_permissions = {"create": "funding.add_fundallocation"}
    filterset_class = FundAllocationFilter
    ordering_fields = ("year", "amount", "decision_date")
    ordering = ("-year",)
    search_fields = ("decision_number", "note", "unit__name")

    def get_queryset(self):
        return fund_allocations_in_scope(visible=self.visible())

    @extend_schema(
        request=FundAllocationInput,
        responses={201: FundAllocationSerializer},
        summary=gettext_lazy("Allocate funds to a holder (coordinators)"),
    )
    def create(self, request, *args, **kwargs):
        """Record an allocation (``funding.add_fundallocation``) as the allocation form
        does: :func:`funding.services.funds.fund_allocation_create`. A unit that cannot
        hold funds that year is a 400 on ``unit_id``."""
        data = read_input(FundAllocationInput, request)
        unit = self.changeable_unit(data["unit_id"])
        source = active_source(data["source_id"])
        with service_errors(_RENAMED):
            row = fund_allocation_create(
                user=request.user,
                unit=unit,
                year=data["year"],
                source=source,
                amount=data["amount"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                note=data["note"],
            )
        return self.answer_created(row)


# --- Disbursements ------------------------------------------------------------------------


class DisbursementSerializer(serializers.ModelSerializer):
    """A disbursement: ``{"id", "unit_id", "year" (of the allocation), "source_id",
    "paid_on", "amount" (VND), "note", "created_by", "created_at", "is_demo"}``."""

    created_by = UserNameField()

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "unit_id",
            "year",
            "source_id",
            "paid_on",
            "amount",
            "note",
            "created_by",
            "created_at",
            "is_demo",
        ]


class DisbursementInput(InputSerializer):
    unit_id = id_field(gettext_lazy("Locality"))
    year = serializers.IntegerField(label=gettext_lazy("Allocation year"))
    source_id = id_field(gettext_lazy("Source"))
    paid_on = serializers.DateField(label=gettext_lazy("Disbursement date"))
    amount = number_field(gettext_lazy("Amount (VND)"))
    note = optional_text(gettext_lazy("Note"), 300)


class DisbursementFilter(HolderFilterMixin, PortalFilterSet):
    unit = unit_filter()
    district = within_filter()
    year = year_filter()
    source = WholeNumberFilter(field_name="source_id", label=gettext_lazy("source"))
    paid_on_after, paid_on_before = date_range("paid_on", gettext_lazy("disbursement date"))

    class Meta:
        model = Disbursement
        fields = []


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("List the disbursements of the caller's units")),
    retrieve=extend_schema(summary=gettext_lazy("Read a disbursement")),
)
class DisbursementViewSet(FundingViewSet):
    """Disbursements (giải ngân) of the holders in the caller's scope; officers report them."""

    serializer_class = DisbursementSerializer
    queryset = Disbursement.objects.none()
    read_permission = "funding.view_disbursement"
    action_permissions = {"create": "funding.add_disbursement"}
    filterset_class = DisbursementFilter
    ordering_fields = ("paid_on", "year", "amount", "created_at")
    ordering = ("-paid_on", "-pk")
    search_fields = ("note", "unit__name")

    def get_queryset(self):
        return disbursements_in_scope(visible=self.visible())

    @extend_schema(
        request=DisbursementInput,
        responses={201: DisbursementSerializer},
        summary=gettext_lazy("Report a disbursement of a holder"),
    )
    def create(self, request, *args, **kwargs):
        """Report a disbursement (``funding.add_disbursement``) as the disbursement form
        does: :func:`funding.services.funds.disbursement_create`; beyond the allocation of
        its source that year it is refused on ``amount`` saying what is left, with no
        allocation of that source on ``source_id``."""
        data = read_input(DisbursementInput, request)
        unit = self.changeable_unit(data["unit_id"])
        source = active_source(data["source_id"])
        with service_errors(_RENAMED):
            row = disbursement_create(
                user=request.user,
                unit=unit,
                year=data["year"],
                source=source,
                paid_on=data["paid_on"],
                amount=data["amount"],
                note=data["note"],
            )
        return self.answer_created(row)


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [
    ("fund-sources", FundSourceViewSet, "fund-source-api"),
    ("fund-allocations", FundAllocationViewSet, "fund-allocation-api"),
    ("disbursements", DisbursementViewSet, "disbursement-api"),
]
