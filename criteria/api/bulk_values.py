"""The body and the answer of ``POST /api/v1/assessments/bulk-values/`` (the action is
:meth:`criteria.api.assessments.AssessmentViewSet.bulk_values`; what it does is
:mod:`criteria.services.bulk_values`).

Body::

    {"period_id": 3, "criteria_set_id": 1, "unit_id": 232 (optional), "dry_run": true,
     "communes": [{"commune_id": 240 or "code": "05443", "version": 4 (optional),
                   "values": [{"indicator_id": 12 or "indicator_code": "1.2",
                               "number": 85, "achieved": true, "value": ...}]}]}

Answer::

    {"dry_run", "unit_id", "period_id", "criteria_set_id",
     "communes": [{"row", "code", "name", "unit_id", "errors": [...],
                   "changes": [{"indicator_id", "code", "name", "old", "new", "number",
                                "achieved"}],
                   "assessment_id", "version", "state", "met_before", "met_after",
                   "total", "meets_after"?, "result"?: {"status", "changed"?, "message"?}}],
     "summary": {"to_change", "with_errors", "unchanged", "imported"?, "refused"?}}

Each entry of ``communes`` is, key for key, the entry the Excel upload's preview shows for
the same row (:func:`criteria.services.report_preview.upload_preview`); ``result`` is
added when the call writes (``dry_run`` false).
"""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from criteria.api.inputs import CellField, JsonObject, OneOf, id_field, related_field, text_field
from criteria.models import CriteriaSet, ReportingPeriod
from criteria.selectors.reports import is_writable
from criteria.services.bulk_values import BULK_MAX_COMMUNES, BulkPreview, PostedCommune, PostedValue

VALUES_MAX = 1000  # per commune; a set has about 60 indicators


class BulkValue(OneOf, JsonObject):
    """One indicator's cells for one commune, the indicator by ``indicator_id`` or
    ``indicator_code``; each value read as the template's cell would be."""

    keys = ("indicator_id", "indicator_code")

    indicator_id = id_field(required=False)
    indicator_code = text_field(10, required=False)
    number = CellField(
        required=False, allow_null=True, help_text=gettext_lazy("A number; a percent as 0-100.")
    )
    achieved = CellField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Đạt / Không đạt (true / false) of a yes/no indicator, or the appraiser's conclusion of one "
            "with no target yet."
        ),
    )
    value = CellField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Short for number (number, percent 0-100) or achieved (a yes/no indicator)."),
    )


class BulkCommune(OneOf, JsonObject):
    """One commune (a row of the template), by ``commune_id`` or GSO ``code``."""

    keys = ("commune_id", "code")

    commune_id = id_field(required=False, help_text=gettext_lazy("The commune's unit id."))
    code = text_field(10, required=False, help_text=gettext_lazy("Or its GSO code (05443)."))
    version = id_field(
        required=False,
        help_text=gettext_lazy(
            "The version of its assessment the caller read: a commune changed since is refused, as an "
            "old template is."
        ),
    )
    values = BulkValue(many=True, max_length=VALUES_MAX)


class BulkInput(JsonObject):
    """The values of many communes of one period and criteria set (see the module
    docstring)."""

    period_id = related_field(
        ReportingPeriod.objects.all(), gettext_lazy("There is no reporting period with the id {pk_value}.")
    )
    criteria_set_id = related_field(
        CriteriaSet.objects.all(), gettext_lazy("There is no criteria set with the id {pk_value}.")
    )
    unit_id = id_field(
        required=False,
        help_text=gettext_lazy(
            "The unit whose template this stands for (a district, the province, a commune); the caller's "
            "own unit if omitted."
        ),
    )
    dry_run = serializers.BooleanField(
        default=True,
        error_messages={"invalid": gettext_lazy("Give true or false.")},
        help_text=gettext_lazy("true (the default): only the preview; false: write."),
    )
    communes = BulkCommune(many=True, max_length=BULK_MAX_COMMUNES, allow_empty=False)


def posted_communes(data: dict) -> list[PostedCommune]:
    """The validated body's communes as the service takes them."""
    return [
        PostedCommune(
            commune_id=item.get("commune_id"),
            code=item.get("code", "").strip(),
            version=item.get("version"),
            values=tuple(
                PostedValue(
                    indicator_id=value.get("indicator_id"),
                    indicator_code=value.get("indicator_code", "").strip(),
                    value=value.get("value"),
                    number=value.get("number"),
                    achieved=value.get("achieved"),
                )
                for value in item["values"]
            ),
        )
        for item in data["communes"]
    ]


def bulk_answer(preview: BulkPreview, outcomes: list[dict] | None) -> dict:
    """The answer: the preview's entries (with each one's ``result`` when written) and
    the counts."""
    entries = preview.entries
    summary = {
        "to_change": sum(1 for entry in entries if is_writable(entry)),
        "with_errors": sum(1 for entry in entries if entry["errors"]),
        "unchanged": sum(1 for entry in entries if not entry["changes"] and not entry["errors"]),
    }
    if outcomes is not None:
        entries = [entry | {"result": outcome} for entry, outcome in zip(entries, outcomes, strict=True)]
        summary["imported"] = sum(1 for outcome in outcomes if outcome["status"] == "imported")
        summary["refused"] = sum(1 for outcome in outcomes if outcome["status"] == "refused")
    return {
        "dry_run": outcomes is None,
        "unit_id": preview.target.unit.pk,
        "period_id": preview.target.period.pk,
        "criteria_set_id": preview.target.criteria_set.pk,
        "communes": entries,
        "summary": summary,
    }


# --- The answer, for the schema ---------------------------------------------------------


class BulkChange(serializers.Serializer):
    """One value the call changes (or would change)."""

    indicator_id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    old = serializers.CharField(help_text=gettext_lazy("As a person reads it: 1.234,5 · Đạt · —"))
    new = serializers.CharField()
    number = serializers.CharField(
        allow_null=True, help_text=gettext_lazy("The new number, a decimal string.")
    )
    achieved = serializers.BooleanField(allow_null=True)


class BulkOutcome(serializers.Serializer):
    """What became of a commune when written: imported, refused when written (changed
    meanwhile, the workflow), invalid (its errors say why) or unchanged."""

    status = serializers.ChoiceField(choices=["imported", "refused", "invalid", "unchanged"])
    changed = serializers.IntegerField(required=False, help_text=gettext_lazy("Values written."))
    message = serializers.CharField(
        required=False, help_text=gettext_lazy("Why it was refused when written.")
    )


class BulkEntry(serializers.Serializer):
    """One posted commune, as the Excel upload's preview shows its row."""

    row = serializers.IntegerField(
        help_text=gettext_lazy("The row of the equivalent template: communes[0] is row 3.")
    )
    code = serializers.CharField()
    name = serializers.CharField()
    unit_id = serializers.IntegerField(allow_null=True)
    errors = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("Why the commune is not changed.")
    )
    changes = BulkChange(many=True)
    assessment_id = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    state = serializers.CharField()
    met_before = serializers.IntegerField(allow_null=True)
    met_after = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)
    meets_after = serializers.BooleanField(required=False)
    result = BulkOutcome(required=False, help_text=gettext_lazy("Only when written (dry_run false)."))


class BulkSummary(serializers.Serializer):
    """How many communes change, have errors, change nothing (and, written, went in or
    were refused)."""

    to_change = serializers.IntegerField()
    with_errors = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    imported = serializers.IntegerField(required=False)
    refused = serializers.IntegerField(required=False)


class BulkAnswer(serializers.Serializer):
    """The preview of the equivalent Excel upload, per posted commune in order."""

    dry_run = serializers.BooleanField()
    unit_id = serializers.IntegerField()
    period_id = serializers.IntegerField()
    criteria_set_id = serializers.IntegerField()
    communes = BulkEntry(many=True)
    summary = BulkSummary()
