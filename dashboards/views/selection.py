"""What the dashboard and the map show, read from the query string: ``?period=<code>``,
``?set=<code>`` and ``?unit=<id>`` (the province, a former district, a commune), each
optional. Both pages read it the same way, so a link from one to the other keeps it."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit, UnitLevel
from communes.scope import area_of
from core.formatting import date_text
from core.forms import query_notices
from criteria.forms.overview import AreaFilterForm
from criteria.models import CriteriaSet, ReportingPeriod
from criteria.selectors.overview import default_criteria_set, default_period


@dataclass(frozen=True)
class Selection:
    """``visible`` is the user's scope narrowed to ``scope_unit``'s subtree (None: the
    whole scope); ``period`` and ``criteria_set`` are None only when the portal has none;
    ``areas`` are the provinces of the scope in force at the period's end and the
    districts of the one being read, offered in the area list; ``notices`` name the query values that were not understood."""

    form: AreaFilterForm
    notices: list[str]
    visible: QuerySet[AdministrativeUnit]
    scope_unit: AdministrativeUnit | None
    period: ReportingPeriod | None
    criteria_set: CriteriaSet | None
    areas: list[AdministrativeUnit]

    def context(self) -> dict:
        """The template context of the filter form (``dashboards/_filter.html``)."""
        return {
            "form": self.form,
            "notices": self.notices,
            "period": self.period,
            "criteria_set": self.criteria_set,
            "scope_unit": self.scope_unit,
            "areas": self.areas,
            "periods": ReportingPeriod.objects.order_by("-start", "kind"),
            "sets": CriteriaSet.objects.order_by("-effective_from", "code"),
        }


def read_selection(request) -> Selection:
    """The selection of ``request``'s query string, with the defaults: the latest period
    with an approved assessment in scope, the set most of its approved assessments use,
    the user's whole scope. Raises :class:`core.exceptions.OutOfScope` (404) for a unit
    outside the user's scope; an unknown value is a notice, not an error."""
    form = AreaFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    scope_unit, visible = area_of(request.user, data.get("unit"))
    period = data.get("period") or default_period(visible=visible)
    criteria_set = data.get("set") or default_criteria_set(visible=visible, period=period)
    areas = []
    if period is not None:
        areas = _areas(request.user, scope_unit, on=period.end)
    notices = query_notices(form)
    if scope_unit is not None and period is not None and not _in_force(scope_unit, period):
        notices.append(
            _("%(unit)s was not in force during %(period)s (%(start)s – %(end)s): its figures are empty.")
            % {
                "unit": scope_unit.name,
                "period": period.name,
                "start": date_text(scope_unit.valid_from) or "…",
                "end": date_text(scope_unit.valid_until) or "…",
            }
        )
    return Selection(
        form=form,
        notices=notices,
        visible=visible,
        scope_unit=scope_unit,
        period=period,
        criteria_set=criteria_set,
        areas=areas,
    )


def _areas(user, scope_unit: AdministrativeUnit | None, *, on) -> list[AdministrativeUnit]:
    """The provinces of the user's scope in force on ``on``, the one being read
    (``scope_unit``'s, else the user's own) first and followed by its districts: the area list
    stays short even for a national scope (63 provinces, not 700 districts). Two queries."""
    scope = unit_scope(user).valid_on(on)
    provinces = list(scope.filter(level=UnitLevel.PROVINCE).order_by("code", "name"))
    current = scope_unit or (user.agency.scope if user.agency is not None else None)
    while current is not None and current.level != UnitLevel.PROVINCE:
        current = current.parent
    if current is None and len(provinces) == 1:
        current = provinces[0]
    districts = []
    if current is not None:
        districts = list(scope.filter(level=UnitLevel.DISTRICT, parent=current).order_by("code", "name"))
    if current not in provinces:  # a district officer's scope holds no province
        return provinces + districts
    provinces.sort(key=lambda province: province != current)  # the one being read first
    areas = []
    for province in provinces:
        areas.append(province)
        if province == current:
            areas.extend(districts)
    return areas


def _in_force(unit: AdministrativeUnit, period: ReportingPeriod) -> bool:
    """Whether ``unit`` was in force on some day of ``period`` (Huyện Đại Từ, closed on
    30/06/2025, is not in a 2025-H2 period)."""
    return (unit.valid_from is None or unit.valid_from <= period.end) and (
        unit.valid_until is None or unit.valid_until >= period.start
    )
