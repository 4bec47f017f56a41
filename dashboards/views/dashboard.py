"""The leadership dashboard and the page a user lands on after logging in.

Everyone logged in reads the dashboard, inside their scope: a district officer sees
their district, a commune officer their commune, a leader or coordinator the province
(and may narrow it to a former district or a commune). A unit outside the scope answers
404, like every page; a bad query value is named in a notice and the default shown.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import Role, has_role
from communes.models import UnitLevel
from core.formatting import date_text
from criteria.selectors.map import commune_map
from dashboards.charts import dashboard_charts
from dashboards.selectors.dashboard import Dashboard, leadership_dashboard
from dashboards.views.selection import read_selection
from directives.selectors.assignments import BUCKET_ORDER, assignment_scope
from directives.status import BUCKET_COLOURS

# The most communes the dashboard draws on its map: more than any province has (Thanh Hóa,
# the largest, had fewer than 600 xã before 2025).
MAP_COMMUNES = 1500


@login_required
@require_GET
def landing(request):
    """Where login leads: a leader to the dashboard, everyone else to the province tree."""
    return redirect("dashboard" if has_role(request.user, Role.LEADER) else "home")


@login_required
@require_GET
def dashboard_view(request):
    """The dashboard of ``?period=`` under ``?set=`` for ``?unit=`` (default: the
    latest period with an approved assessment in scope, its set, the user's whole scope;
    :mod:`dashboards.views.selection`)."""
    chosen = read_selection(request)
    period, criteria_set, scope_unit = chosen.period, chosen.criteria_set, chosen.scope_unit
    context = chosen.context()
    if period is not None and criteria_set is not None:
        agency = request.user.agency
        result = leadership_dashboard(
            visible=chosen.visible,
            assignments=assignment_scope(request.user),
            period=period,
            criteria_set=criteria_set,
            scope_unit=scope_unit,
            target_unit=scope_unit or (agency.scope if agency is not None else None),
            today=timezone.localdate(),
        )
        context |= {
            "dashboard": result,
            "links": _links(result, request.user),
            "buckets": [(bucket, BUCKET_COLOURS[bucket]) for bucket in BUCKET_ORDER],
            "charts": dashboard_charts(result),
            # A map of every commune of the country is no use on a dashboard (and half its
            # time): above MAP_COMMUNES it says to pick a province, or open the large map.
            "commune_map": commune_map(visible=chosen.visible, period=period, criteria_set=criteria_set)
            if result.coverage.total <= MAP_COMMUNES
            else None,
            "map_too_large": result.coverage.total > MAP_COMMUNES,
        }
    return render(request, "dashboards/dashboard.html", context)


def _links(result: Dashboard, user) -> dict[str, str]:
    """The page behind each tile, showing what the tile counts: the dashboard's period,
    set and area, the day it counts up to. Cement and funds of a district or commune
    go to that unit's own funding page."""

    def url(name: str, *args, **query) -> str:
        path = reverse(name, args=args)
        return f"{path}?{urlencode(query)}" if query else path

    period, criteria_set, area = result.period, result.criteria_set, result.scope_unit
    within = {"unit": area.pk} if area is not None else {}
    chosen = {"period": period.code, "set": criteria_set.code, **within}
    listed = {"period": period.code, "criteria_set": criteria_set.code, **within}
    decided = {"until": period.end.isoformat(), **within}
    year = result.year
    if area is not None and area.level in (UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        cement = funds = url("funding-unit", area.pk, year=year)
    else:
        cement = url("funding-cement", year=year)
        funds = url("funding-funds", year=year, as_of=date_text(result.cutoffs.funds))
    return {
        "overview": url("criteria-overview", **chosen),
        "assessments": url("assessment-list", **listed),
        "approved": url("assessment-list", **listed, status="approved"),
        "meeting": url("assessment-list", **listed, status="approved", meets_standard="true"),
        "recognitions": url("recognition-list", **decided),
        "standard": url("recognition-list", level="standard", **decided),
        "levels": url("recognition-list", **decided),
        "model": url("recognition-list", level="model", **decided),
        "cement": cement,
        "funds": funds,
        "directives": url(
            "directive-board" if has_role(user, Role.COORDINATOR, Role.LEADER) else "directive-list"
        ),
        "staffing": url("agency-staffing"),
        "targets": url("programme-target-list"),
        "scoreboard": url("dashboard-scoreboard", year=year),
        "map": url("dashboard-map", **chosen),
    }
