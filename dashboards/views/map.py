"""The map of the communes on a page of its own, large and printable.

Everyone logged in reads it, inside their scope, like the dashboard (and with the same
query string, :mod:`dashboards.views.selection`). A unit outside the scope answers 404;
a bad query value is named in a notice and the default shown.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from criteria.selectors.map import commune_map
from dashboards.views.selection import read_selection


@login_required
@require_GET
def map_view(request):
    """The communes of ``?unit=`` (default: the user's whole scope) at their centroids,
    coloured by the criteria their approved assessment of ``?period=`` meets under
    ``?set=`` (default: the latest period with an approved assessment in scope, its set)."""
    chosen = read_selection(request)
    result = None
    if chosen.period is not None and chosen.criteria_set is not None:
        result = commune_map(visible=chosen.visible, period=chosen.period, criteria_set=chosen.criteria_set)
    return render(request, "dashboards/map.html", {**chosen.context(), "commune_map": result})
