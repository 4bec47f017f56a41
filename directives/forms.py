"""Forms of the directive pages: paste a text, correct the proposal, report progress,
ask for and decide an extension. Dates are typed dd/mm/yyyy (or ISO); every text is
cleaned (NFC, single spaces) by :class:`~core.forms.CleanCharField`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from core.forms import BootstrapBoundField, CleanCharField, date_field
from criteria.selectors.catalogue import criteria_choices
from directives.models import DirectiveKind, Recurrence

TEXT_WIDGET = {"class": "form-control"}


def _date_field(label, *, required=True):
    return date_field(label, required=required, attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"})


class PasteForm(forms.Form):
    """Step 1: the directive's text, as copied from the signed document."""

    bound_field_class = BootstrapBoundField

    text = forms.CharField(
        label=_("Text of the directive"),
        max_length=200000,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 18}),
    )


class DirectiveForm(forms.Form):
    """Step 2: the directive's own fields, proposed by the parser, corrected by the
    coordinator. ``body`` travels as a hidden field."""

    bound_field_class = BootstrapBoundField

    number = CleanCharField(
        label=_("Number and symbol"), max_length=60, widget=forms.TextInput(attrs=TEXT_WIDGET)
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "—"), *DirectiveKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    issuer = CleanCharField(
        label=_("Issuing body"), max_length=255, widget=forms.TextInput(attrs=TEXT_WIDGET)
    )
    signer = CleanCharField(
        label=_("Signer"), max_length=150, required=False, widget=forms.TextInput(attrs=TEXT_WIDGET)
    )
    issued_on = _date_field(_("Date of issue"))
    title = CleanCharField(
        label=_("Summary (trích yếu)"),
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 2}),
    )
    recipients = forms.ModelMultipleChoiceField(
        Agency.objects.assignable().order_by("kind", "name"),
        label=_("Recipients (nơi nhận)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 8}),
    )
    body = forms.CharField(max_length=200000, required=False, widget=forms.HiddenInput)


class AgencyChecklist(forms.CheckboxSelectMultiple):
    """Checkboxes of agencies (short names) folded under a summary of those ticked, so
    a task given to the nine district committees stays one line until opened."""

    template_name = "directives/widgets/agency_checklist.html"


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    """Agencies that take new work (active, not merged into another:
    ``Agency.objects.assignable()``) by kind then name, shown by short name ("Sở GTVT",
    "UBND Đại Từ")."""

    widget = AgencyChecklist

    def __init__(self, **kwargs):
        super().__init__(Agency.objects.assignable().order_by("kind", "name"), required=False, **kwargs)

    def label_from_instance(self, obj):
        return obj.short_name


class CriterionChoiceField(forms.ModelChoiceField):
    """An optional criterion the task serves ("1980-2016 · 2. Giao thông")."""

    def __init__(self, **kwargs):
        super().__init__(criteria_choices(), empty_label="—", **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.criteria_set.code} · {obj}"


class TaskForm(forms.Form):
    """One proposed task of step 2."""

    bound_field_class = BootstrapBoundField

    keep = forms.BooleanField(label=_("Keep"), required=False, initial=True)
    section_number = CleanCharField(max_length=10, required=False, widget=forms.HiddenInput)
    section_heading = CleanCharField(max_length=2000, required=False, widget=forms.HiddenInput)
    text = CleanCharField(
        label=_("Task"), max_length=20000, widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 3})
    )
    deadline = _date_field(_("Deadline"), required=False)
    deadline_phrase = CleanCharField(max_length=120, required=False, widget=forms.HiddenInput)
    recurrence = forms.ChoiceField(
        label=_("Recurrence"),
        choices=[("", "—"), *Recurrence.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    parent_index = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    criterion = CriterionChoiceField(
        label=_("Criterion"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    leads = AgencyChoiceField(label=_("Lead agencies"))
    cooperating = AgencyChoiceField(label=_("Cooperating agencies"))


TaskFormSet = forms.formset_factory(TaskForm, extra=0, max_num=300, validate_max=True)


class ProgressForm(forms.Form):
    """A progress report: what was done, percent 0-100, an optional file."""

    bound_field_class = BootstrapBoundField

    text = CleanCharField(
        label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 3})
    )
    percent = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100}),
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )


class DoneForm(forms.Form):
    """Mark done, with an optional closing note (kept as a last progress report)."""

    bound_field_class = BootstrapBoundField

    note = CleanCharField(
        label=_("Closing note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 2}),
    )


class ExtensionForm(forms.Form):
    """An extension request: the new deadline (dd/mm/yyyy) and why."""

    bound_field_class = BootstrapBoundField

    requested_deadline = _date_field(_("New deadline"))
    reason = CleanCharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 2})
    )


class DecisionForm(forms.Form):
    """A coordinator's decision on an extension: grant or refuse, with a note."""

    bound_field_class = BootstrapBoundField

    decision = forms.ChoiceField(choices=[("grant", _("Grant")), ("refuse", _("Refuse"))])
    note = CleanCharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.TextInput(attrs=TEXT_WIDGET)
    )


class ReopenForm(forms.Form):
    """Reopen a task marked done by mistake: the reason."""

    bound_field_class = BootstrapBoundField

    reason = CleanCharField(label=_("Reason"), max_length=2000, widget=forms.TextInput(attrs=TEXT_WIDGET))


class AttachmentForm(forms.Form):
    """A file for a directive, and the name to show (the file's name if empty)."""

    bound_field_class = BootstrapBoundField

    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(attrs={"class": "form-control"}))
    name = CleanCharField(
        label=_("Name"), max_length=255, required=False, widget=forms.TextInput(attrs=TEXT_WIDGET)
    )
