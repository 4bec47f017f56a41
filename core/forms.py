"""Form fields and helpers that every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError

from core.text import clean

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


class CleanCharField(forms.CharField):
    """A text field whose value goes through :func:`core.text.clean` before it is
    validated: NFC, single spaces, no zero-width or control characters (so a stray NUL
    is dropped instead of answered with Django's "Null characters are not allowed")."""

    def to_python(self, value):
        value = super().to_python(value)
        return clean(value) if isinstance(value, str) else value


class BootstrapBoundField(forms.BoundField):
    """Adds Bootstrap's ``is-invalid`` to the widget of a field that has errors, so that
    its ``invalid-feedback`` messages show and the control is outlined."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            widget = widget or self.field.widget
            classes = [widget.attrs.get("class", ""), attrs.get("class", ""), "is-invalid"]
            attrs["class"] = " ".join(name for name in classes if name)
        return attrs


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's :class:`ValidationError` on ``form``: messages keyed by one of the
    form's fields go on that field, the others on the form as a whole."""
    for field, messages in error.message_dict.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
