"""Forms of the commune groups page: which period, and the group chosen for each commune.
The rules (which groups, which communes, approved assessments) are in
:mod:`criteria.services.groups`."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The select of commune ``<id>`` is named "commune-<id>", the key the service gives its
# error for that commune; its value is a group's id, or "" for no group.
COMMUNE_FIELD_PREFIX = "commune-"
# What an unreadable choice becomes: an id no group has, so the service refuses it
# naming the commune instead of the page answering 400 or 500.
UNKNOWN_GROUP = -1
# Longer "ids" are not ids (and would overflow a database integer): ignored or unknown.
MAX_ID_DIGITS = 18


class PeriodForm(forms.Form):
    """The period whose groups are shown, by code, among ``periods``."""

    period = forms.ChoiceField(
        label=_("Reporting period"),
        error_messages={
            "required": _("Choose one of the periods in the list."),
            "invalid_choice": _("Choose one of the periods in the list."),
        },
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {period.code: period for period in periods}
        self.fields["period"].choices = [(period.code, period.name) for period in periods]

    def chosen(self):
        """The chosen period (call after ``is_valid()``)."""
        return self.periods[self.cleaned_data["period"]]


def read_groups(data) -> dict[int, int | None]:
    """The group chosen for each commune in the posted ``data``: {commune id: group id,
    or None for no group}. A value that is not a number maps to :data:`UNKNOWN_GROUP`."""
    groups: dict[int, int | None] = {}
    for key, value in data.items():
        if not key.startswith(COMMUNE_FIELD_PREFIX):
            continue
        commune = key.removeprefix(COMMUNE_FIELD_PREFIX)
        if not (commune.isascii() and commune.isdigit() and len(commune) <= MAX_ID_DIGITS):
            continue
        value = value.strip()
        if not value:
            groups[int(commune)] = None
        elif value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS:
            groups[int(commune)] = int(value)
        else:
            groups[int(commune)] = UNKNOWN_GROUP
    return groups
