"""What the assessment endpoints read: fields with their errors in the portal's words
(DRF's own Vietnamese is incomplete: whole-number ids, texts, lists, objects by id,
numbers of indicator values, the cells of a bulk call), and the bodies of
:mod:`criteria.api.assessments` (start, change values, workflow actions). Every message
is an English msgid."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.text import nfc
from criteria.forms.assessments import EVIDENCE_MAX
from criteria.models import CriteriaSet, IndicatorValue, MeasureType, ReportingPeriod
from criteria.services.assessments import ValueInput, validate_value
from criteria.services.report_preview import STORED_LIMIT, STORED_PLACES

REASON_MAX = 2000  # as the page's form (criteria.forms.assessments.ReasonForm)

REQUIRED = gettext_lazy("This field is required.")
NOT_NULL = gettext_lazy("This field may not be null.")
WHOLE_NUMBER = gettext_lazy("Give a whole number.")
AT_LEAST_ONE = gettext_lazy("Give a whole number of at least 1.")
NOT_AN_OBJECT = gettext_lazy("Send a JSON object here.")
NOT_A_LIST = gettext_lazy("Send a list here.")
NOT_TEXT = gettext_lazy("Give a text.")
MARK_ERRORS = {"invalid": gettext_lazy("Give true (Đạt), false (Không đạt) or null."), "null": NOT_NULL}


def id_field(**kwargs) -> serializers.IntegerField:
    """An id: a whole number of at least 1."""
    return serializers.IntegerField(
        min_value=1,
        error_messages={
            "required": REQUIRED,
            "null": NOT_NULL,
            "invalid": WHOLE_NUMBER,
            "min_value": AT_LEAST_ONE,
        },
        **kwargs,
    )


def text_field(max_length: int, **kwargs) -> serializers.CharField:
    """A text of at most ``max_length`` characters (in NFC, see :class:`JsonObject`)."""
    return serializers.CharField(
        max_length=max_length,
        error_messages={
            "required": REQUIRED,
            "null": NOT_NULL,
            "invalid": NOT_TEXT,
            "blank": REQUIRED,
            "max_length": gettext_lazy("At most {max_length} characters."),
        },
        **kwargs,
    )


def related_field(queryset, missing) -> serializers.PrimaryKeyRelatedField:
    """An object of ``queryset`` by id; ``missing`` says there is none (``{pk_value}``)."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset,
        error_messages={
            "required": REQUIRED,
            "null": NOT_NULL,
            "does_not_exist": missing,
            "incorrect_type": WHOLE_NUMBER,
        },
    )


class JsonList(serializers.ListSerializer):
    """A list of :class:`JsonObject` (``Item(many=True, max_length=…)``), its errors in
    the portal's words."""

    default_error_messages = {
        "not_a_list": NOT_A_LIST,
        "empty": gettext_lazy("Give at least one."),
        "max_length": gettext_lazy("At most {max_length} in one call."),
        "min_length": gettext_lazy("At least {min_length}."),
    }


class JsonObject(serializers.Serializer):
    """A JSON object of the body (anything else is a 400 saying so); texts in NFC."""

    default_error_messages = {"invalid": NOT_AN_OBJECT}

    class Meta:
        list_serializer_class = JsonList

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        return {key: nfc(value) if isinstance(value, str) else value for key, value in values.items()}


class OneOf:
    """Mixed into a :class:`JsonObject` that names something by exactly one of two
    ``keys`` (``("indicator_id", "indicator_code")``): 400 on the first otherwise."""

    keys: tuple[str, str]

    def validate(self, attrs):
        first, second = self.keys
        if (first in attrs) == (second in attrs):
            raise serializers.ValidationError(
                {
                    first: [
                        _("Give %(first)s or %(second)s (one of them).") % {"first": first, "second": second}
                    ]
                }
            )
        return attrs


@extend_schema_field({"type": "number", "nullable": True, "example": 85.5})
class NumberField(serializers.Field):
    """A JSON number (or a decimal written with a point: "85.5"), kept to 4 decimals, as
    ``IndicatorValue.number`` stores it."""

    default_error_messages = {
        "invalid": gettext_lazy("Give a number, with a point for decimals (85.5)."),
        "too_large": gettext_lazy("The value is too large."),
        "null": NOT_NULL,
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        try:
            number = Decimal(str(data).strip())
        except InvalidOperation:
            self.fail("invalid")
        if not number.is_finite():
            self.fail("invalid")
        if abs(number) >= STORED_LIMIT:
            self.fail("too_large")
        return number.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)

    def to_representation(self, value):
        return value


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "boolean"}], "nullable": True})
class NumberOrMarkField(NumberField):
    """A number (a number or percent indicator) or true / false (Đạt / Không đạt)."""

    def to_internal_value(self, data):
        return data if isinstance(data, bool) else super().to_internal_value(data)


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string"}, {"type": "boolean"}], "nullable": True, "example": 85}
)
class CellField(serializers.Field):
    """What a cell of the Excel template may hold: a number, a text (read as the template
    reads it: 17,23 · 1.234,5 · 85% · Đạt · Không đạt) or true / false."""

    default_error_messages = {"invalid": gettext_lazy("Give a number, a text or true / false.")}

    def to_internal_value(self, data):
        if isinstance(data, bool | int | float | str):
            return nfc(data) if isinstance(data, str) else data
        self.fail("invalid")

    def to_representation(self, value):
        return value


# --- The bodies of the assessment endpoints ---------------------------------------------


class CreateInput(JsonObject):
    """The commune, period and criteria set of a new draft."""

    commune_id = id_field(help_text=gettext_lazy("The commune (xã): an administrative unit id."))
    period_id = related_field(
        ReportingPeriod.objects.all(), gettext_lazy("There is no reporting period with the id {pk_value}.")
    )
    criteria_set_id = related_field(
        CriteriaSet.objects.all(), gettext_lazy("There is no criteria set with the id {pk_value}.")
    )


class ValueChange(OneOf, JsonObject):
    """One indicator's new value; the indicator by id or by code."""

    keys = ("indicator_id", "indicator_code")
    indicator_id = id_field(required=False)
    indicator_code = text_field(10, required=False)
    value = NumberOrMarkField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Short for number (number, percent 0-100) or achieved (a yes/no indicator)."),
    )
    number = NumberField(
        required=False, allow_null=True, help_text=gettext_lazy("A number; a percent as 0-100.")
    )
    achieved = serializers.BooleanField(
        required=False,
        allow_null=True,
        error_messages=MARK_ERRORS,
        help_text=gettext_lazy("true = Đạt, false = Không đạt (also the appraiser's conclusion)."),
    )
    evidence = text_field(EVIDENCE_MAX, required=False, allow_blank=True)


class ValuesInput(JsonObject):
    """The values to change, by indicator; ``version`` optional (the one read)."""

    values = ValueChange(many=True, allow_empty=False, max_length=1000)
    version = id_field(
        required=False,
        help_text=gettext_lazy("The version read; a save based on an older one is refused (409)."),
    )

    def validate_values(self, changes):
        """Each change as the service's input (by indicator id), merged with what is
        stored (an omitted field keeps it); errors at ``values[i].<field>``, naming the
        indicator, with the service's own checks (:func:`validate_value`)."""
        stored = {value.indicator_id: value for value in self.context["assessment"].values.all()}
        by_code: dict[str, list[IndicatorValue]] = {}
        for value in stored.values():
            by_code.setdefault(value.indicator.code, []).append(value)
        errors: list[dict] = [{} for _change in changes]
        result: dict[int, ValueInput] = {}
        seen: set[int] = set()
        for change, error in zip(changes, errors, strict=True):
            key = "indicator_id" if "indicator_id" in change else "indicator_code"
            if key == "indicator_id":
                rows = [stored[change[key]]] if change[key] in stored else []
            else:
                rows = by_code.get(change[key].strip(), [])
            if len(rows) != 1:
                error[key] = [_unknown_indicator(key, change[key], several=bool(rows))]
                continue
            row = rows[0]
            code = row.indicator.code
            if row.indicator_id in seen:
                error[key] = [_("Indicator %(code)s is given twice.") % {"code": code}]
                continue
            seen.add(row.indicator_id)
            field = "number"
            if "value" in change:
                field = "achieved" if row.indicator.measure_type == MeasureType.BOOLEAN else "number"
                if field in change:
                    error["value"] = [_("Give value or %(field)s, not both.") % {"field": field}]
                    continue
                if change["value"] is not None and isinstance(change["value"], bool) != (field == "achieved"):
                    error["value"] = [f"{code}: " + _mismatch(field)]
                    continue
                change = {**change, field: change["value"]}
            value = ValueInput(
                number=change.get("number", row.number),
                achieved=change.get("achieved", row.achieved),
                evidence=change.get("evidence", row.evidence).strip(),
            )
            if message := validate_value(row.indicator, value):
                error["value" if "value" in change else "number"] = [f"{code}: {message}"]
                continue
            result[row.indicator_id] = value
        if any(errors):
            raise serializers.ValidationError(errors)
        return result


def _unknown_indicator(key: str, given, *, several: bool) -> str:
    if several:
        return _("Several indicators of the set have the code “%(code)s”: give indicator_id.") % {
            "code": given
        }
    if key == "indicator_id":
        return _("The assessment's criteria set has no indicator with the id %(id)s.") % {"id": given}
    return _("The assessment's criteria set has no indicator with the code “%(code)s”.") % {"code": given}


def _mismatch(field: str) -> str:
    if field == "achieved":
        return _("This indicator is judged Đạt / Không đạt, not by a number.")
    return _("Give a number for this indicator.")


class TransitionInput(JsonObject):
    """``version`` optional (the one read); ``reason`` to return or reopen."""

    version = id_field(
        required=False,
        help_text=gettext_lazy("The version read; a change based on an older one is refused (409)."),
    )
    reason = text_field(
        REASON_MAX,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Why: required to return or reopen; the submitter is told."),
    )
