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
    """An optional criterion the task serves ("1980/QĐ-TTg · 2. Giao thông"): the set by its decision."""

    def __init__(self, **kwargs):
        super().__init__(criteria_choices(), empty_label="—", **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.criteria_set.decision} · {obj}"


# Drafts of a new directive (directives/views/drafts.py). The agencies come as choices
# read once per request (``agencies``: (id, short name) pairs), never one query per field.


class AgencyIdsField(forms.TypedMultipleChoiceField):
    """Agency ids among ``choices`` (the assignable agencies by kind then name, shown by
    short name), ticked in an :class:`AgencyChecklist` unless another widget is given."""

    def __init__(self, *, choices=(), widget=None, **kwargs):
        super().__init__(
            choices=choices, coerce=int, required=False, widget=widget or AgencyChecklist, **kwargs
        )


class DraftFieldsForm(DirectiveForm):
    """The directive's own fields in a draft; the recipients among ``agencies``. Empty
    values may be saved (the confirmation asks for them); the body stays as pasted."""

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["body"]
        for name in ("number", "kind", "issuer", "issued_on", "title"):
            self.fields[name].required = False
        self.fields["recipients"] = AgencyIdsField(
            label=_("Recipients (nơi nhận)"),
            choices=list(agencies),
            widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
        )


class DraftTaskForm(forms.Form):
    """One task of a draft, edited alone; the agencies among ``agencies``."""

    bound_field_class = BootstrapBoundField

    text = CleanCharField(
        label=_("Task"), max_length=20000, widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 4})
    )
    deadline = _date_field(_("Deadline"), required=False)
    recurrence = forms.ChoiceField(
        label=_("Recurrence"),
        choices=[("", "—"), *Recurrence.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    recurrence_day = forms.IntegerField(
        label=_("Due day of each period"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Day of the period's last month; empty: its last day."),
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 31}),
    )
    criterion = CriterionChoiceField(
        label=_("Criterion"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    leads = AgencyIdsField(label=_("Lead agencies"))
    cooperating = AgencyIdsField(label=_("Cooperating agencies"))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leads"].choices = list(agencies)
        self.fields["cooperating"].choices = list(agencies)

    def values(self) -> dict:
        """The cleaned values as :func:`directives.services.drafts.draft_task_save` takes them."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "deadline": data.get("deadline"),
            "recurrence": data.get("recurrence") or "",
            "recurrence_day": data.get("recurrence_day"),
            "criterion_id": data["criterion"].pk if data.get("criterion") else None,
            "lead_ids": list(data.get("leads") or ()),
            "cooperating_ids": list(data.get("cooperating") or ()),
        }


class DraftSplitForm(forms.Form):
    """Where to cut a task: at a sentence boundary (an offset among ``boundaries``, as
    (offset, label) pairs), or the two parts' texts typed."""

    bound_field_class = BootstrapBoundField

    boundary = forms.TypedChoiceField(
        label=_("Cut before the sentence"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    first = CleanCharField(
        label=_("First part"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 3}),
    )
    second = CleanCharField(
        label=_("Second part"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 3}),
    )

    def __init__(self, *args, boundaries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["boundary"].choices = [("", _("none: I type the two parts")), *boundaries]


class DraftBulkForm(forms.Form):
    """A change to many tasks of a draft: those ticked (``tasks``: their numbers) or,
    with ``scope`` "all", every task of the draft."""

    bound_field_class = BootstrapBoundField

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("", "—"),
            ("set_leads", _("Set the lead agencies")),
            ("add_cooperating", _("Add cooperating agencies")),
            ("remove_agencies", _("Remove these agencies")),
            ("set_deadline", _("Set the deadline")),
            ("delete", _("Delete the tasks")),
        ],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[("ticked", _("the tasks ticked")), ("all", _("all tasks of the draft"))],
        initial="ticked",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    tasks = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.MultipleHiddenInput)
    agencies = AgencyIdsField(
        label=_("Agencies"),
        widget=forms.SelectMultiple(attrs={"class": "form-select form-select-sm", "size": 5}),
    )
    deadline = date_field(
        _("Deadline"),
        required=False,
        attrs={"class": "form-control form-control-sm", "placeholder": "dd/mm/yyyy"},
    )

    def __init__(self, *args, agencies=(), task_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = list(agencies)
        self.fields["tasks"].choices = [(n, n) for n in range(1, task_count + 1)]

    def clean(self):
        data = super().clean()
        if data.get("scope") == "ticked" and not data.get("tasks") and "tasks" not in self.errors:
            self.add_error("tasks", _("Tick at least one task."))
        return data


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


# Editing a saved directive (directives.views.editing). Each form carries the version
# it was read at (directives.selectors.editing), compared by the service before it saves.


def _assignable_or(current):
    """Agencies that take new work, and those of ``current`` (ids) whatever their state."""
    ids = set(Agency.objects.assignable().values_list("pk", flat=True)) | set(current)
    return Agency.objects.filter(pk__in=ids).order_by("kind", "name")


class DirectiveEditForm(DirectiveForm):
    """The directive's own fields, as saved, for correcting; the recipients it already
    has stay choosable even if one has since been merged away."""

    body = None
    version = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, directive=None, **kwargs):
        super().__init__(*args, **kwargs)
        if directive is not None:
            current = directive.recipients.values_list("pk", flat=True)
            self.fields["recipients"].queryset = _assignable_or(current)


class TaskEditForm(forms.Form):
    """One task of a saved directive: text, section, deadline or recurrence (with the
    due day of each period), criterion, lead and cooperating agencies. The agencies it
    already has stay choosable even if one has since been merged away."""

    bound_field_class = BootstrapBoundField

    text = CleanCharField(
        label=_("Task"), max_length=20000, widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 4})
    )
    section_number = CleanCharField(
        label=_("Section"), max_length=10, required=False, widget=forms.TextInput(attrs=TEXT_WIDGET)
    )
    section_heading = CleanCharField(
        label=_("Section heading"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={**TEXT_WIDGET, "rows": 2}),
    )
    deadline = _date_field(_("Deadline"), required=False)
    recurrence = forms.ChoiceField(
        label=_("Recurrence"),
        choices=[("", "—"), *Recurrence.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    recurrence_day = forms.IntegerField(
        label=_("Due day of each period (1-31)"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Of the period's last month; empty: its last day."),
        widget=forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 31}),
    )
    criterion = CriterionChoiceField(
        label=_("Criterion"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    leads = AgencyChoiceField(label=_("Lead agencies"))
    cooperating = AgencyChoiceField(label=_("Cooperating agencies"))
    version = forms.CharField(max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        if task is not None:
            current = task.assignments.values_list("agency_id", flat=True)
            queryset = _assignable_or(current)
            self.fields["leads"].queryset = queryset
            self.fields["cooperating"].queryset = queryset


class VersionForm(forms.Form):
    """A confirmation (deleting a task) carrying the version it was read at."""

    version = forms.CharField(max_length=40, widget=forms.HiddenInput)
