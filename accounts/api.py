"""REST API of agencies: ``/api/v1/agencies/``.

An agency answers ``{"id", "code", "name", "short_name", "kind", "scope_id",
"is_active", "assignable", "merged_into_id", "merged_on"}``: every agency of the
province (the bodies a directive is sent to are public), those merged in 2025 with
their successor and the day the merger took effect. Read only: agencies are kept by
coordinators in the admin.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from accounts.models import Agency, AgencyKind
from core.api.filters import PortalFilterSet, WholeNumberFilter, YesNoFilter
from core.api.views import PortalReadOnlyViewSet


class AgencySerializer(serializers.ModelSerializer):
    assignable = serializers.SerializerMethodField()
    merged_into_id = serializers.SerializerMethodField()
    merged_on = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "scope_id",
            "is_active",
            "assignable",
            "merged_into_id",
            "merged_on",
        ]

    def get_assignable(self, agency) -> bool:
        """Active and not merged: new work goes to it."""
        return agency.is_active and getattr(agency, "merger", None) is None

    def get_merged_into_id(self, agency) -> int | None:
        merger = getattr(agency, "merger", None)
        return merger.successor_id if merger else None

    def get_merged_on(self, agency) -> str | None:
        merger = getattr(agency, "merger", None)
        return merger.effective_date.isoformat() if merger else None


class AgencyFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices, label=_("kind"))
    is_active = YesNoFilter(label=_("active"))
    assignable = YesNoFilter(method="filter_assignable", label=_("receives new work"))
    scope = WholeNumberFilter(field_name="scope_id", label=_("scope"))

    class Meta:
        model = Agency
        fields = []

    def filter_assignable(self, queryset, name, value):
        assignable = queryset.assignable()
        return assignable if value else queryset.exclude(pk__in=assignable.values("pk"))


@extend_schema_view(
    list=extend_schema(summary=_("The province's agencies, with the mergers of 2025")),
    retrieve=extend_schema(summary=_("An agency: its kind, scope and successor if merged")),
)
class AgencyViewSet(PortalReadOnlyViewSet):
    """The province's agencies (sở, ngành, UBND huyện and xã, the coordination offices)."""

    serializer_class = AgencySerializer
    queryset = Agency.objects.none()  # the schema's model; get_queryset reads
    read_permission = "accounts.view_agency"
    filterset_class = AgencyFilter
    ordering_fields = ("name", "code", "kind")
    ordering = ("kind", "name")
    search_fields = ("name", "short_name")

    def get_queryset(self):
        return Agency.objects.select_related("merger")


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [("agencies", AgencyViewSet, "agency-api")]
