"""REST API of administrative units: ``/api/v1/units/``.

A unit answers ``{"id", "code", "name", "short_name", "kind", "level", "parent_id",
"valid_from", "valid_until", "in_force", "latitude", "longitude", "area_km2",
"predecessors": [{"unit_id", "effective_date", "is_partial", "is_primary",
"legal_basis"}], "successors": [...]}``: its lineage through the 2025 mergers
(NQ 1683/NQ-UBTVQH15), limited to the units the caller may see. Only the caller's
scope is listed; another unit is a 404. Read only: units are loaded from the GSO list.
"""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from communes.models import AdministrativeUnit, UnitKind, UnitLevel, UnitSuccession
from core.api.filters import PortalFilterSet, WholeNumberFilter, YesNoFilter
from core.api.views import PortalReadOnlyViewSet


class _LinkSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    effective_date = serializers.DateField()
    is_partial = serializers.BooleanField()
    is_primary = serializers.BooleanField()
    legal_basis = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer):
    """A unit with its lineage (see the module docstring)."""

    in_force = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta:
        model = AdministrativeUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "parent_id",
            "valid_from",
            "valid_until",
            "in_force",
            "latitude",
            "longitude",
            "area_km2",
            "predecessors",
            "successors",
        ]

    def get_in_force(self, unit) -> bool:
        return unit.valid_until is None

    @staticmethod
    def _links(rows, side: str) -> list[dict]:
        return [
            {
                "unit_id": getattr(row, f"{side}_id"),
                "effective_date": row.effective_date,
                "is_partial": row.is_partial,
                "is_primary": row.is_primary,
                "legal_basis": row.legal_basis,
            }
            for row in rows
        ]

    @extend_schema_field(_LinkSerializer(many=True))
    def get_predecessors(self, unit):
        return self._links(unit.visible_predecessors, "predecessor")

    @extend_schema_field(_LinkSerializer(many=True))
    def get_successors(self, unit):
        return self._links(unit.visible_successors, "successor")


class UnitFilter(PortalFilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, label=_("level"))
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label=_("kind"))
    parent = WholeNumberFilter(field_name="parent_id", label=_("parent unit"))
    code = django_filters.CharFilter(label=_("GSO code"))
    in_force = YesNoFilter(field_name="valid_until", lookup_expr="isnull", label=_("in force"))

    class Meta:
        model = AdministrativeUnit
        fields = []


@extend_schema_view(
    list=extend_schema(summary=_("Administrative units of the caller's scope, with their lineage")),
    retrieve=extend_schema(summary=_("An administrative unit with its predecessors and successors")),
)
class UnitViewSet(PortalReadOnlyViewSet):
    """Administrative units of the caller's scope, with their lineage."""

    serializer_class = UnitSerializer
    queryset = AdministrativeUnit.objects.none()  # the schema's model; get_queryset scopes
    read_permission = "communes.view_administrativeunit"
    filterset_class = UnitFilter
    ordering_fields = ("code", "name", "level", "valid_from", "valid_until")
    ordering = ("code",)
    search_fields = ("name",)

    def get_queryset(self):
        visible = self.request.user.unit_scope()
        links = UnitSuccession.objects.order_by("effective_date", "pk")
        return visible.prefetch_related(
            Prefetch(
                "successions_as_successor",
                queryset=links.filter(predecessor__in=visible),
                to_attr="visible_predecessors",
            ),
            Prefetch(
                "successions_as_predecessor",
                queryset=links.filter(successor__in=visible),
                to_attr="visible_successors",
            ),
        )


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [("units", UnitViewSet, "unit-api")]
