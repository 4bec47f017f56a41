"""What a new commune's predecessors achieved, on its pages: the section of the unit page
(through :data:`communes.signals.unit_page_sections`) and the same table on the
commune's assessments. The rule and its source are in :mod:`criteria.selectors.lineage`."""

from django.template.loader import render_to_string

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit, UnitLevel
from criteria.selectors.lineage import CommuneLineage, commune_lineage


def lineage_of(request, unit: AdministrativeUnit) -> CommuneLineage | None:
    """The predecessors' results of a commune-level ``unit`` that was formed from at least
    one former xã, as the user may see them; None otherwise (nothing to show)."""
    if unit.level != UnitLevel.COMMUNE:
        return None
    lineage = commune_lineage(visible=unit_scope(request.user), unit=unit)
    return lineage if lineage is not None and lineage.former_communes else None


def unit_lineage_section(sender, *, request, unit, **kwargs) -> str | None:
    """The section "Results of the communes it was formed from" of a commune's unit page;
    None for a unit formed from no former xã."""
    lineage = lineage_of(request, unit)
    if lineage is None:
        return None
    return render_to_string("criteria/lineage/predecessors.html", {"lineage": lineage}, request=request)
