"""Forms of the portal's unit pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communes.models import UnitKind

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


class TreeDateForm(forms.Form):
    """The day whose structure the province tree shows (default: today)."""

    on = forms.DateField(label=_("Structure on"), required=False, input_formats=DATE_INPUTS)


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Unit name"), max_length=100, required=False)


class HamletForm(forms.Form):
    name = forms.CharField(label=_("Hamlet name"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (UnitKind.HAMLET, UnitKind.HAMLET.label),
            (UnitKind.RESIDENTIAL_GROUP, UnitKind.RESIDENTIAL_GROUP.label),
        ],
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's :class:`ValidationError` on ``form``: messages keyed by one of the
    form's fields go on that field, the others on the form as a whole."""
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
