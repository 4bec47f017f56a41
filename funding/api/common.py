"""What the view sets of the funding API share: the write permission of each action,
the input fields (numbers as plain decimals, ISO dates, cleaned text, messages in the
caller's language naming the field), units and filters by unit, and the services'
errors under the API's field names.

Conventions of every funding endpoint:

- tonnes and km are decimal strings with up to three decimals (``"12.500"``); VND are
  whole dong as strings (``"1000000"``); in a body both may be a JSON number or a string
  with a point before the decimals (``"12.5"``), never grouped (``"1.000.000"`` is a 400);
- dates are ISO (``"2020-05-05"``), date-times ISO with the offset of Vietnam time;
- a unit (``unit_id``, ``place_id``, ``commune_id``) written to must lie in the caller's
  change scope, else 404 and nothing is saved, as the pages' forms answer;
- a write is allowed to the roles the page's ``@permission_required`` allows, else 403;
  the services check scope, permission and input again, with the pages' messages.
"""

from contextlib import contextmanager

from django.core import validators
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from communes.models import AdministrativeUnit
from core.api.filters import WholeNumberFilter, YearFilter
from core.api.views import PortalReadOnlyViewSet
from core.exceptions import ROLE_REFUSED_MESSAGE, OutOfScope
from core.text import clean

# --- Who may write ------------------------------------------------------------------------


class ActionPermission(permissions.BasePermission):
    """The permission ``view.action_permissions[view.action]`` ("app.codename") names, as
    the page of that write requires it (``@permission_required``): 403 otherwise."""

    message = ROLE_REFUSED_MESSAGE

    def has_permission(self, request, view):
        needed = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        return needed is None or request.user.has_perm(needed)


class FundingViewSet(PortalReadOnlyViewSet):
    """List and retrieve inside the caller's scope, and the writes each subclass adds;
    ``action_permissions`` maps an action to the permission it needs."""

    permission_classes = [*PortalReadOnlyViewSet.permission_classes, ActionPermission]
    action_permissions: dict[str, str] = {}

    def visible(self):
        """The units the caller may see (:func:`accounts.scope.unit_scope`)."""
        return self.request.user.unit_scope()

    def changeable_unit(self, pk) -> AdministrativeUnit:
        """The unit ``pk`` if the caller may change it, else 404 (``OutOfScope``)."""
        return changeable_unit(self.request.user, pk)

    def answer_created(self, obj) -> Response:
        """201 with ``obj`` read back as a GET reads it (so its ETag is the one a GET
        gives) and ``Location``."""
        fresh = self.get_queryset().get(pk=obj.pk)
        data = self.representation(fresh)
        location = reverse(f"{self.basename}-detail", args=[obj.pk], request=self.request)
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})


def changeable_unit(user, pk) -> AdministrativeUnit:
    """The unit ``pk`` (its parent loaded) if ``user`` may change it; ``OutOfScope`` (404)
    otherwise, also when it does not exist."""
    try:
        return user.unit_scope(for_change=True).select_related("parent").get(pk=pk)
    except (AdministrativeUnit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise OutOfScope from None


def nested(path: tuple, messages: list) -> dict:
    """``("allocations", 2, "tonnes")`` and messages as the nested error detail DRF gives
    for that field of a list item, so that the error format names it the same way."""
    detail = messages
    for part in reversed(path):
        detail = {part: detail}
    return detail


def merge(into: dict, detail: dict) -> dict:
    """``detail`` (nested error details) added into ``into``."""
    for name, value in detail.items():
        if isinstance(value, dict):
            merge(into.setdefault(name, {}), value)
        else:
            into.setdefault(name, []).extend(value)
    return into


@contextmanager
def service_errors(renamed: dict[str, str] | None = None, *, key=None):
    """Turn a service's ``ValidationError`` into a DRF one with the API's field names:
    ``renamed`` ({"unit": "unit_id"}) or ``key(name)`` (a field name, a path tuple such
    as ``("allocations", 2, "unit_id")``, or None to keep the name). Other errors pass
    (the error handler answers them)."""
    renamed = renamed or {}
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        detail: dict = {}
        for name, messages in error.message_dict.items():
            target = (key(name) if key else None) or renamed.get(name, name)
            merge(detail, nested(target if isinstance(target, tuple) else (target,), list(messages)))
        raise serializers.ValidationError(detail) from None


# --- Input --------------------------------------------------------------------------------


def _field_messages(label: str, field: serializers.Field) -> dict[str, str]:
    """Every message ``field`` can give, in the active language, naming ``label``. DRF
    fills the ``{...}`` parts."""

    def named(message: str) -> str:
        return message % {"label": label}

    required = named(_("%(label)s: required."))
    messages = {"required": required, "null": required, "blank": required}
    if isinstance(field, serializers.BooleanField):
        messages["invalid"] = named(_("%(label)s: true or false."))
    elif isinstance(field, serializers.IntegerField):
        messages |= {
            "invalid": named(_("%(label)s: a whole number.")),
            "max_string_length": named(_("%(label)s: the number is too large.")),
            "min_value": named(_("%(label)s: at least {min_value}.")),
            "max_value": named(_("%(label)s: at most {max_value}.")),
        }
    elif isinstance(field, serializers.DecimalField):
        messages |= {
            "invalid": named(_("%(label)s: a number such as 12.5, with a point before the decimals.")),
            "max_string_length": named(_("%(label)s: the number is too large.")),
            "min_value": named(_("%(label)s: at least {min_value}.")),
            "max_value": named(_("%(label)s: at most {max_value}.")),
        }
    elif isinstance(field, serializers.DateField):
        text = named(_("%(label)s: a date as YYYY-MM-DD."))
        messages |= {"invalid": text, "datetime": text}
    elif isinstance(field, serializers.ChoiceField):
        choices = ", ".join(str(key) for key in field.choices)
        messages["invalid_choice"] = _("%(label)s: “{input}” is not one of: %(choices)s.") % {
            "label": label,
            "choices": choices.replace("{", "{{").replace("}", "}}"),
        }
    elif isinstance(field, serializers.CharField):
        messages |= {
            "invalid": named(_("%(label)s: text expected.")),
            "max_length": named(_("%(label)s: at most {max_length} characters.")),
        }
    elif isinstance(field, serializers.ListField | serializers.ListSerializer):
        messages |= {
            "not_a_list": named(_("%(label)s: a list expected.")),
            "empty": named(_("%(label)s: give at least one.")),
            "max_length": named(_("%(label)s: at most {max_length} items.")),
        }
    return messages


_BOUNDS = (
    validators.MaxLengthValidator,
    validators.MinLengthValidator,
    validators.MaxValueValidator,
    validators.MinValueValidator,
)


def _with_messages(field: serializers.Field, messages: dict[str, str]) -> None:
    """Give ``field`` ``messages``, also to the bound validators DRF built with its own
    (English) messages when the field was made."""
    field.error_messages = {**field.error_messages, **messages}
    kept = [v for v in field.validators if not isinstance(v, _BOUNDS)]
    text = field.error_messages
    if isinstance(field, serializers.CharField) and field.max_length is not None:
        message = text["max_length"].format(max_length=field.max_length)
        kept.append(validators.MaxLengthValidator(field.max_length, message=message))
    if isinstance(field, serializers.IntegerField | serializers.DecimalField):
        if field.max_value is not None:
            message = text["max_value"].format(max_value=field.max_value)
            kept.append(validators.MaxValueValidator(field.max_value, message=message))
        if field.min_value is not None:
            message = text["min_value"].format(min_value=field.min_value)
            kept.append(validators.MinValueValidator(field.min_value, message=message))
    field.validators = kept


class InputSerializer(serializers.Serializer):
    """Base of the API's request bodies: every field's messages in the caller's language,
    naming the field's label (see :func:`_field_messages`, and :meth:`messages_of` for a
    subclass's own); a body that is not a JSON object is a 400 saying so."""

    def messages_of(self, name: str, field: serializers.Field) -> dict[str, str]:
        label = str(field.label) if field.label else name
        return _field_messages(label, field)

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            _with_messages(field, self.messages_of(name, field))
            child = getattr(field, "child", None)
            if isinstance(child, serializers.Field) and not isinstance(child, serializers.Serializer):
                _with_messages(child, self.messages_of(name, child))
        return fields

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [_("Send a JSON object.")]})
        return super().to_internal_value(data)


def read_input(serializer_class, request, **kwargs) -> dict:
    """The request's body validated by ``serializer_class`` (400 naming each field)."""
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TextField(serializers.CharField):
    """Text as the pages read it (:func:`core.text.clean`: NFC, single spaces, no
    control or zero-width characters)."""

    def to_internal_value(self, data):
        return clean(super().to_internal_value(data))


class IdListField(serializers.ListField):
    """A list of ids; a bad item is an error of the list itself (not of an index)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        super().__init__(child=id_field(kwargs.get("label")), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | dict) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        values = []
        for item in data:
            try:
                values.append(self.child.run_validation(item))
            except serializers.ValidationError as error:
                raise serializers.ValidationError(error.detail) from None
        return values


def optional_text(label, max_length: int) -> TextField:
    """Optional text, empty when left out."""
    return TextField(label=label, max_length=max_length, required=False, allow_blank=True, default="")


def number_field(label, *, required: bool = True) -> serializers.DecimalField:
    """A plain decimal ("12.5" or 12.5), bounds and decimals checked by the service (as
    on the pages, :mod:`funding.checks`)."""
    extra = {} if required else {"required": False, "allow_null": True, "default": None}
    return serializers.DecimalField(max_digits=None, decimal_places=None, label=label, **extra)


def id_field(label, *, required: bool = True) -> serializers.IntegerField:
    """The id of a row (a unit, a source...)."""
    extra = {} if required else {"required": False, "allow_null": True, "default": None}
    return serializers.IntegerField(label=label, min_value=1, max_value=2**63 - 1, **extra)


# --- Output -------------------------------------------------------------------------------


@extend_schema_field(serializers.CharField(allow_null=True))
class UserNameField(serializers.Field):
    """Who recorded a row, as the pages name them (full name, else username); None when
    unknown."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(value) if value is not None else None


def tonnes_text_value(value) -> str:
    """Tonnes as the API writes them: three decimals, ``"12.500"``."""
    return serializers.DecimalField(max_digits=15, decimal_places=3).to_representation(value)


# --- Filters ------------------------------------------------------------------------------


def under(path: str, pk) -> Q:
    """Rows whose unit at ``path`` ("unit", "commune", "communes") is ``pk`` or lies
    below it (in its district, or its province): :meth:`AdministrativeUnitQuerySet.within`."""
    return Q(**{f"{path}__in": AdministrativeUnit.objects.within(AdministrativeUnit(pk=pk))})


def unit_filter(field_name: str = "unit_id", label=None):
    return WholeNumberFilter(field_name=field_name, label=label or gettext_lazy("locality"))


def within_filter(label=None):
    return WholeNumberFilter(
        method="filter_within",
        label=label or gettext_lazy("District (or province): the unit and every unit under it"),
    )


def year_filter(field_name: str = "year"):
    return YearFilter(field_name=field_name, label=gettext_lazy("year"))


class HolderFilterMixin:
    """``filter_within`` for rows held by a unit (``unit``): the unit and those under it."""

    within_path = "unit"

    def filter_within(self, queryset, name, value):
        return queryset.filter(under(self.within_path, value))
