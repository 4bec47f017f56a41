"""Form fields and helpers that every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.formatting import DATE
from core.numbers import NumberFormatError, parse_decimal
from core.text import clean

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label, *, required: bool = True, attrs: dict | None = None) -> forms.DateField:
    """A date typed dd/mm/yyyy (or ISO, as a browser's date picker sends it; never
    month-first) and shown back dd/mm/yyyy; ``attrs`` are the input's HTML attributes."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(format=DATE, attrs=attrs or {}),
    )


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


def query_notices(form: forms.Form) -> list[str]:
    """One sentence per query-string field ``form`` could not use, naming the field
    ("Kỳ báo cáo: … Đang hiển thị giá trị mặc định."): a page filtered by its query
    string shows these and its default instead of failing. Call after ``is_valid()``."""
    return [
        _("%(field)s: %(error)s The default is shown instead.")
        % {"field": form.fields[name].label, "error": " ".join(errors)}
        for name, errors in form.errors.items()
        if name in form.fields
    ]


class WholeNumberField(forms.IntegerField):
    """A whole number as a Vietnamese officer types it: "1.000" is one thousand (Django's
    own field reads it as 1), "1000" and " 12 " are read as they look; a fraction
    ("2,5") or text is the field's ``invalid`` error. The bounds of ``min_value`` and
    ``max_value`` apply after reading."""

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = parse_decimal(str(value))
        except NumberFormatError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(number)
