"""REST API of the cement reserve (coordinators, ``funding.add_cementbatch``, as the
reserve page):

* ``GET /api/v1/cement-batches/reserve-proposal/?year=2020&level=district&reserve=500`` (and
  optionally ``usage``, ``per_registered``, ``per_road_km``: the points of each
  priority, 0 to 1000, defaults of :class:`funding.allocation.Weights`) answers the
  proposal the page shows: ``{"year", "level", "reserve", "weights": {"usage",
  "per_registered", "per_road_km"}, "total_points", "rows": [{"unit_id", "code",
  "name", "rank", "allocated", "used", "ratio", "registered", "road_km", "points",
  "proposed"}], "nested_holder_ids"}``: tonnes and km as decimal strings with three
  decimals, the usage ratio (percent, null with nothing allocated) and points as exact
  decimal strings, ``proposed`` whole tonnes; ``nested_holder_ids`` are the districts holding
  cement of the year, whose communes' reserve would count it twice (the page's
  warning). Nothing is saved.
* ``POST /api/v1/cement-batches/approve-reserve/`` with the same question, ``shares`` (``[{"unit_id",
  "tonnes"}]``, adding up exactly to the reserve; a unit left out gets 0) and the
  decision (``decision_number``, ``decision_date``, ``note``) records the reserve batch
  (:func:`funding.services.reserve.reserve_approve`) and answers it as
  ``GET /api/v1/cement-batches/<id>/`` does (201).

Errors name the parameter or field: ``reserve``, ``year``, ``level``, ``shares`` (the
total and the difference), ``shares[<i>].tonnes``; a unit outside the caller's change
scope is a 404.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from funding.allocation import MAX_RESERVE, Weights
from funding.api.common import (
    InputSerializer,
    TextField,
    changeable_unit,
    id_field,
    merge,
    nested,
    number_field,
    optional_text,
    service_errors,
    tonnes_text_value,
)
from funding.selectors.cement import Level
from funding.selectors.reserve import district_holders
from funding.services.reserve import reserve_approve
from funding.services.reserve import reserve_proposal as propose_reserve


class ReserveLevel(models.TextChoices):
    """Among which units a reserve is shared (the reserve page's "Share among")."""

    DISTRICT = Level.DISTRICT, gettext_lazy("District level")
    COMMUNE = Level.COMMUNE, gettext_lazy("Commune level")


_LEVELS = ReserveLevel.choices


def plain(value: Decimal | None) -> str | None:
    """A ratio or points as a plain decimal string, as exact as computed, without
    trailing zeros or an exponent ("43.125", "0", "8.3333333333")."""
    return None if value is None else format(value.normalize(), "f")


def _points(label):
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        label=label,
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=1000,
    )


class ProposalQuery(InputSerializer):
    """The reserve page's question."""

    year = serializers.IntegerField(label=gettext_lazy("Year"), min_value=2010, max_value=2100)
    level = serializers.ChoiceField(label=gettext_lazy("Share among"), choices=_LEVELS)
    reserve = serializers.IntegerField(
        label=gettext_lazy("Reserve (tonnes)"), min_value=1, max_value=MAX_RESERVE
    )
    usage = _points(gettext_lazy("Points for using all the cement"))
    per_registered = _points(gettext_lazy("Points per commune registered this year"))
    per_road_km = _points(gettext_lazy("Points per km of road to harden"))

    def messages_of(self, name, field):
        messages = super().messages_of(name, field)
        if name in ("usage", "per_registered", "per_road_km"):
            points = _("From 0 to 1.000 points.")
            messages |= {"min_value": points, "max_value": points}
        return messages

    @staticmethod
    def weights(data: dict) -> Weights:
        """The weights asked for, the defaults for those not given."""
        default = Weights()
        return Weights(
            **{
                name: data[name] if data.get(name) is not None else getattr(default, name)
                for name in ("usage", "per_registered", "per_road_km")
            }
        )


class ShareInput(InputSerializer):
    unit_id = id_field(gettext_lazy("Locality"))
    tonnes = number_field(gettext_lazy("Tonnes"))


class ApproveInput(ProposalQuery):
    shares = ShareInput(many=True, label=gettext_lazy("Shares"), max_length=2000)
    decision_number = TextField(label=gettext_lazy("Decision number"), max_length=60)
    decision_date = serializers.DateField(label=gettext_lazy("Decision date"))
    note = optional_text(gettext_lazy("Note"), 1000)


_ROWS = inline_serializer(
    "ReserveProposalRow",
    many=True,
    fields={
        "unit_id": serializers.IntegerField(),
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "rank": serializers.IntegerField(),
        "allocated": serializers.CharField(),
        "used": serializers.CharField(),
        "ratio": serializers.CharField(allow_null=True),
        "registered": serializers.IntegerField(),
        "road_km": serializers.CharField(),
        "points": serializers.CharField(),
        "proposed": serializers.IntegerField(),
    },
)
_PROPOSAL = inline_serializer(
    "ReserveProposal",
    {
        "year": serializers.IntegerField(),
        "level": serializers.ChoiceField(choices=_LEVELS),
        "reserve": serializers.IntegerField(),
        "weights": inline_serializer(
            "ReserveWeights",
            {
                "usage": serializers.CharField(),
                "per_registered": serializers.CharField(),
                "per_road_km": serializers.CharField(),
            },
        ),
        "total_points": serializers.CharField(),
        "rows": _ROWS,
        "nested_holder_ids": serializers.ListField(child=serializers.IntegerField()),
    },
)


class ReserveActions:
    """The reserve page's two calls as actions of the batches' view set (see the module
    docstring); both need ``funding.add_cementbatch``."""

    reserve_permissions = {
        "reserve_proposal": "funding.add_cementbatch",
        "approve_reserve": "funding.add_cementbatch",
    }

    def _query(self, serializer_class, data):
        serializer = serializer_class(data=data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _proposal(self, data):
        with service_errors():
            return propose_reserve(
                user=self.request.user,
                year=data["year"],
                level=data["level"],
                reserve=data["reserve"],
                weights=ProposalQuery.weights(data),
            )

    @extend_schema(
        parameters=[ProposalQuery],
        responses={200: _PROPOSAL},
        summary=gettext_lazy("Propose how to share a year's cement reserve (coordinators)"),
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="reserve-proposal",
        filter_backends=[],
        pagination_class=None,
    )
    def reserve_proposal(self, request):
        """The proposal of the reserve page (see the module docstring); nothing is saved."""
        data = self._query(ProposalQuery, request.query_params)
        _units, proposal = self._proposal(data)
        rows = [
            {
                "unit_id": row.candidate.key,
                "code": row.candidate.code,
                "name": row.candidate.name,
                "rank": row.rank,
                "allocated": tonnes_text_value(row.candidate.allocated),
                "used": tonnes_text_value(row.candidate.used),
                "ratio": plain(row.priority.ratio),
                "registered": row.candidate.registered,
                "road_km": tonnes_text_value(row.candidate.road_km),
                "points": plain(row.priority.points),
                "proposed": row.share,
            }
            for row in proposal.rows
        ]
        holders = []
        if data["level"] == Level.COMMUNE:
            changeable = request.user.unit_scope(for_change=True)
            holders = [unit.pk for unit in district_holders(visible=changeable, year=data["year"])]
        weights = proposal.weights
        return Response(
            {
                "year": data["year"],
                "level": data["level"],
                "reserve": proposal.reserve,
                "weights": {
                    "usage": plain(weights.usage),
                    "per_registered": plain(weights.per_registered),
                    "per_road_km": plain(weights.per_road_km),
                },
                "total_points": plain(proposal.total_points),
                "rows": rows,
                "nested_holder_ids": holders,
            }
        )

    @extend_schema(
        request=ApproveInput,  # answered as a batch: see funding.api.cement
        summary=gettext_lazy("Approve the cement reserve: record the reserve batch (coordinators)"),
    )
    @action(detail=False, methods=["post"], url_path="approve-reserve", filter_backends=[])
    def approve_reserve(self, request):
        """Approve the reserve with the coordinator's shares, as the reserve page does
        (see the module docstring)."""
        data = self._query(ApproveInput, request.data)
        shares, index, errors = {}, {}, {}
        for position, row in enumerate(data["shares"]):
            unit = changeable_unit(request.user, row["unit_id"])
            if unit.pk in shares:
                message = _("%(unit)s is listed twice.") % {"unit": unit.name}
                merge(errors, nested(("shares", position, "unit_id"), [message]))
            shares[unit.pk], index[unit.pk] = row["tonnes"], position
        if errors:
            raise serializers.ValidationError(errors)

        def key(name: str):
            if name.startswith("share-") and name[6:].isdigit() and int(name[6:]) in index:
                return ("shares", index[int(name[6:])], "tonnes")
            if name.startswith("unit-"):
                return "shares"
            return None

        with service_errors(key=key):
            batch = reserve_approve(
                user=request.user,
                year=data["year"],
                level=data["level"],
                reserve=data["reserve"],
                weights=ProposalQuery.weights(data),
                shares=shares,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                note=data["note"],
            )
        return self.answer_created(batch)
