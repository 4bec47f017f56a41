"""Forms of the cement and funds pages. Numbers are read as people in the province write
them (:func:`core.numbers.parse_decimal`: "1.234.567" đ, "12,5" tấn); dates as
dd/mm/yyyy. A unit is chosen by id among those the user may change: the view finds it
with ``get_unit_or_404`` first, so a unit outside the scope answers 404, not a form
error. The rules that need the database (allocation limits) are the services'."""

import datetime
from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import AdministrativeUnit, UnitLevel
from core.forms import DATE_INPUTS, BootstrapBoundField, CleanCharField
from core.numbers import NumberFormatError, parse_decimal
from core.templatetags.ntm_format import decimal_input
from funding.allocation import Weights
from funding.models import (
    BatchKind,
    CheckOutcome,
    FundSource,
    OcopGroup,
    PartnerKind,
    ProjectStatus,
    RoadKind,
    UsePurpose,
    ValueChainProject,
)
from funding.selectors.cement import Level

YEAR_BOUNDS = {"min_value": 2010, "max_value": 2100}


class NumberInput(forms.TextInput):
    """A text box that shows a stored ``Decimal`` the way the field reads it back:
    decimal comma, no grouping, no trailing zeros (120.000 t -> "120", 50.50 ha ->
    "50,5"), so that editing never turns 120,000 into a hundred and twenty thousand."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int):
            return decimal_input(value)
        return super().format_value(value)


class NumberField(forms.Field):
    """A number written the Vietnamese way ("1.234.567", "12,5"), as ``Decimal``; empty
    is None (``required=False``)."""

    widget = NumberInput

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in ("", None):
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value))
        except NumberFormatError:
            raise forms.ValidationError(
                _("“%(value)s” is not a number (write 1.234.567 or 12,5)."),
                params={"value": value},
                code="invalid",
            ) from None


def unit_label(unit: AdministrativeUnit) -> str:
    """ "Xã Phúc Lương — Huyện Đại Từ (05767)"."""
    label = unit.name
    if unit.parent_id and unit.parent.level != UnitLevel.PROVINCE:
        label += f" — {unit.parent.name}"
    return f"{label} ({unit.code})" if unit.code else label


def unit_choices(units) -> list[tuple[str, str]]:
    """Select options (id, label) for ``units``, with an empty first option."""
    return [("", "—"), *((str(u.pk), unit_label(u)) for u in units)]


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; ``is-invalid`` on fields with errors."""

    bound_field_class = BootstrapBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css
            if isinstance(field, forms.DateField):
                widget.attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "maxlength": "10"})
                widget.format = "%d/%m/%Y"


def _date_field(label, *, required=True):
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUTS)


def _year_field(label=None, *, required=True):
    return forms.IntegerField(label=label or gettext_lazy("Year"), required=required, **YEAR_BOUNDS)


# --- Cement -------------------------------------------------------------------------------


class YearForm(forms.Form):
    """``?year=`` of an overview page (optional)."""

    year = _year_field(required=False)


class UnitField(forms.TypedChoiceField):
    """A unit chosen by id among ``units`` (a list or queryset given at init)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class BatchForm(StyledForm):
    """A cement batch's decision; the tonnes of each unit are read by :func:`read_amounts`."""

    year = _year_field()
    level = forms.ChoiceField(
        label=gettext_lazy("Allocated to"),
        choices=[
            (Level.DISTRICT, gettext_lazy("District level")),
            (Level.COMMUNE, gettext_lazy("Commune level")),
        ],
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=BatchKind.choices)
    decision_number = CleanCharField(label=gettext_lazy("Decision number"), max_length=60)
    decision_date = _date_field(gettext_lazy("Decision date"))
    note = CleanCharField(
        label=gettext_lazy("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def read_amounts(data, units, *, prefix: str) -> tuple[dict, dict[str, str]]:
    """Read the inputs ``<prefix>-<unit id>`` of ``units``: ({unit: Decimal}, errors keyed
    ``<prefix>-<unit id>`` naming the unit). Empty inputs are left out."""
    values, errors = {}, {}
    for unit in units:
        raw = (data.get(f"{prefix}-{unit.pk}") or "").strip()
        if not raw:
            continue
        try:
            values[unit] = parse_decimal(raw)
        except NumberFormatError:
            errors[f"{prefix}-{unit.pk}"] = _("%(unit)s: “%(value)s” is not a number.") % {
                "unit": unit.name,
                "value": raw,
            }
    return values, errors


class CementUseForm(StyledForm):
    """A use report. ``holders`` are the units the user may report for; ``places`` the
    communes and hamlets the cement may have gone to."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = _year_field(gettext_lazy("Allocation year"))
    used_on = _date_field(gettext_lazy("Date of use"))
    tonnes = NumberField(label=gettext_lazy("Tonnes used"))
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=[("", "—"), *UsePurpose.choices])
    road_kind = forms.ChoiceField(
        label=gettext_lazy("Road kind"), choices=[("", "—"), *RoadKind.choices], required=False
    )
    length_km = NumberField(label=gettext_lazy("Length (km)"), required=False)
    place = UnitField(label=gettext_lazy("Commune or hamlet"), required=False)
    description = CleanCharField(label=gettext_lazy("Works"), max_length=300)
    evidence = CleanCharField(
        label=gettext_lazy("Evidence"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "E.g. acceptance record no. 12/BB-NT of 15/09/2020, photos kept by the commune."
        ),
    )

    def __init__(self, *args, holders, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(holders)
        self.fields["place"].choices = unit_choices(places)


class DeliveryForm(StyledForm):
    """Cement handed over to one of ``holders``."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = _year_field(gettext_lazy("Allocation year"))
    delivered_on = _date_field(gettext_lazy("Delivery date"))
    tonnes = NumberField(label=gettext_lazy("Tonnes delivered"))
    reference = CleanCharField(label=gettext_lazy("Delivery record"), max_length=150, required=False)

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(holders)


class ReserveForm(StyledForm):
    """The proposal's question (query string): year, level, reserve in whole tonnes, and
    the points of each priority (defaults: :class:`funding.allocation.Weights`)."""

    year = _year_field()
    level = forms.ChoiceField(
        label=gettext_lazy("Share among"),
        choices=[
            (Level.DISTRICT, gettext_lazy("District level")),
            (Level.COMMUNE, gettext_lazy("Commune level")),
        ],
    )
    reserve = NumberField(label=gettext_lazy("Reserve (tonnes)"))
    usage = NumberField(label=gettext_lazy("Points for using all the cement"), required=False)
    per_registered = NumberField(
        label=gettext_lazy("Points per commune registered this year"), required=False
    )
    per_road_km = NumberField(label=gettext_lazy("Points per km of road to harden"), required=False)

    def clean_reserve(self):
        value = self.cleaned_data["reserve"]
        if value is None or value != value.to_integral_value() or not 1 <= value <= 10_000_000:
            raise forms.ValidationError(_("A whole number of tonnes, from 1 to 10.000.000."))
        return int(value)

    def _points(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and (value < 0 or value > 1000):
            raise forms.ValidationError(_("From 0 to 1.000 points."))
        return value

    def clean_usage(self):
        return self._points("usage")

    def clean_per_registered(self):
        return self._points("per_registered")

    def clean_per_road_km(self):
        return self._points("per_road_km")

    def weights(self) -> Weights:
        """The weights entered, defaults for the empty ones."""
        default = Weights()
        data = self.cleaned_data
        return Weights(
            usage=data.get("usage") if data.get("usage") is not None else default.usage,
            per_registered=data.get("per_registered")
            if data.get("per_registered") is not None
            else default.per_registered,
            per_road_km=data.get("per_road_km")
            if data.get("per_road_km") is not None
            else default.per_road_km,
        )


class ApproveForm(StyledForm):
    """The decision that approves the reserve; the shares are read by :func:`read_amounts`."""

    decision_number = CleanCharField(label=gettext_lazy("Decision number"), max_length=60)
    decision_date = _date_field(gettext_lazy("Decision date"))
    note = CleanCharField(label=gettext_lazy("Note"), max_length=1000, required=False)


# --- Funds --------------------------------------------------------------------------------


class FundsFilterForm(forms.Form):
    """``?year=&as_of=dd/mm/yyyy`` of the funds overview (both optional)."""

    year = _year_field(required=False)
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False, input_formats=DATE_INPUTS)


def _source_field():
    return forms.ModelChoiceField(
        label=gettext_lazy("Source"),
        queryset=FundSource.objects.filter(is_active=True).order_by("position", "name"),
        empty_label="—",
    )


class FundAllocationForm(StyledForm):
    """Funds allocated to one of ``units`` (districts and communes of the change scope)."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = _year_field()
    source = _source_field()
    amount = NumberField(label=gettext_lazy("Amount (VND)"))
    decision_number = CleanCharField(label=gettext_lazy("Decision number"), max_length=60, required=False)
    decision_date = _date_field(gettext_lazy("Decision date"), required=False)
    note = CleanCharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)


class DisbursementForm(StyledForm):
    """A disbursement by one of ``holders`` (units with a fund allocation)."""

    unit = UnitField(label=gettext_lazy("Locality"))
    year = _year_field(gettext_lazy("Allocation year"))
    source = _source_field()
    paid_on = _date_field(gettext_lazy("Disbursement date"))
    amount = NumberField(label=gettext_lazy("Amount (VND)"))
    note = CleanCharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, holders, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(holders)
        if sources is not None:
            self.fields["source"].queryset = sources


class MilestoneForm(StyledForm):
    """The disbursement rate (percent) expected of a year's funds by a date."""

    year = _year_field()
    due_on = _date_field(gettext_lazy("By date"))
    expected_percent = NumberField(label=gettext_lazy("Expected rate (%)"))


# --- Projects and OCOP --------------------------------------------------------------------


class ProjectForm(StyledForm):
    """A value-chain project; ``communes`` are the xã it may be placed in."""

    name = CleanCharField(label=gettext_lazy("Name"), max_length=300)
    partner_name = CleanCharField(label=gettext_lazy("Lead enterprise or cooperative"), max_length=200)
    partner_kind = forms.ChoiceField(label=gettext_lazy("Kind of lead"), choices=PartnerKind.choices)
    product = CleanCharField(label=gettext_lazy("Product"), max_length=150)
    links_production = forms.BooleanField(label=gettext_lazy("Production linkage"), required=False)
    links_processing = forms.BooleanField(label=gettext_lazy("Processing linkage"), required=False)
    links_consumption = forms.BooleanField(label=gettext_lazy("Consumption linkage"), required=False)
    area_ha = NumberField(label=gettext_lazy("Area (ha)"), required=False)
    volume_tonnes = NumberField(label=gettext_lazy("Volume (tonnes a year)"), required=False)
    support_requested = NumberField(label=gettext_lazy("Support asked (VND)"))
    support_approved = NumberField(label=gettext_lazy("Support approved (VND)"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ProjectStatus.choices)
    submission = CleanCharField(label=gettext_lazy("Submission"), max_length=150, required=False)
    communes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("In communes"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    note = CleanCharField(
        label=gettext_lazy("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, communes: QuerySet[AdministrativeUnit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
        self.fields["communes"].label_from_instance = unit_label
        self.fields["communes"].widget.attrs["size"] = "8"

    @staticmethod
    def initial_from(project: ValueChainProject) -> dict:
        """The form's initial values from a stored project."""
        names = [f.name for f in ValueChainProject._meta.fields]
        data = {name: getattr(project, name) for name in names}
        data["communes"] = list(project.communes.all())
        return data


class CheckForm(StyledForm):
    """One condition's check on a project: met or not met, and a note (why not)."""

    outcome = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=CheckOutcome.choices)
    note = CleanCharField(label=gettext_lazy("Note"), max_length=500, required=False)


class OcopForm(StyledForm):
    """An OCOP product of one of ``communes``, optionally in one of ``projects``."""

    name = CleanCharField(label=gettext_lazy("Product"), max_length=200)
    group = forms.ChoiceField(
        label=gettext_lazy("Product group"), choices=[("", "—"), *OcopGroup.choices], required=False
    )
    producer_name = CleanCharField(label=gettext_lazy("Producer"), max_length=200)
    producer_kind = forms.ChoiceField(label=gettext_lazy("Kind of producer"), choices=PartnerKind.choices)
    commune = UnitField(label=gettext_lazy("Commune"))
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"), coerce=int, choices=[("3", "3 ★"), ("4", "4 ★"), ("5", "5 ★")]
    )
    rating_decision = CleanCharField(label=gettext_lazy("Rating decision"), max_length=60)
    rating_year = forms.IntegerField(label=gettext_lazy("Rating year"), min_value=2018, max_value=2100)
    project = forms.ModelChoiceField(
        label=gettext_lazy("Value-chain project"),
        queryset=ValueChainProject.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, communes, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = unit_choices(communes)
        self.fields["project"].queryset = projects
        if not self.is_bound:
            self.initial.setdefault("rating_year", timezone.localdate().year)


class OcopFilterForm(forms.Form):
    """``?stars=3|4|5`` of the OCOP list (optional)."""

    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), ("3", "3 ★"), ("4", "4 ★"), ("5", "5 ★")],
    )


def default_year(years: list[int], today: datetime.date) -> int:
    """The newest year with data, or this year."""
    return years[0] if years else today.year
