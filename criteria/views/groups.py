"""The commune groups page: a coordinator puts each commune in a group (nhóm xã) of a set
for a period, in one table saved at once.

Only a provincial coordinator may open it (403 for anyone else, on GET and POST). The
view finds the set (404 if unknown) and the period, reads the posted choices, calls one
service, and answers: a redirect to the same period after saving, or the table again
with the refusal next to each commune it names (and nothing saved).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.decorators import coordinator_required
from criteria.forms.groups import COMMUNE_FIELD_PREFIX, PeriodForm, read_groups
from criteria.selectors.catalogue import criteria_set_by_code
from criteria.selectors.groups import default_period, group_changes, group_table, periods_for_set
from criteria.services.groups import commune_groups_assign

TEMPLATE = "criteria/catalogue/commune_groups.html"


def _url(code: str, period) -> str:
    url = reverse("criteria-set-groups", args=[code])
    return f"{url}?period={period.code}" if period is not None else url


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def commune_groups_view(request, code: str):
    """The communes in force during the chosen period (``?period=<code>``, by default the
    period holding today) with a group select each; POST saves every select at once."""
    try:
        criteria_set = criteria_set_by_code(code)
    except ObjectDoesNotExist:
        raise Http404 from None
    periods = periods_for_set(criteria_set)
    data = request.POST if request.method == "POST" else request.GET
    form = PeriodForm(data if "period" in data else None, periods=periods)
    if form.is_bound:
        period = form.chosen() if form.is_valid() else None
    else:
        period = default_period(periods, timezone.localdate())
        if period is not None:
            form = PeriodForm(initial={"period": period.code}, periods=periods)
    errors: dict[str, list[str]] = {}
    posted: dict[int, int | None] = {}
    if request.method == "POST" and period is not None:
        posted = read_groups(request.POST)
        try:
            result = commune_groups_assign(
                user=request.user, criteria_set=criteria_set, period=period, groups=posted
            )
        except ValidationError as error:
            errors = error.message_dict
            for key in ("criteria_set", "period"):
                for message in errors.pop(key, []):
                    messages.error(request, message)
        else:
            if result.total:
                messages.success(
                    request,
                    ngettext(
                        "Saved the commune groups of %(period)s: %(count)s commune changed.",
                        "Saved the commune groups of %(period)s: %(count)s communes changed.",
                        result.total,
                    )
                    % {"period": period.name, "count": result.total},
                )
            else:
                messages.info(request, _("Nothing changed."))
            if result.reevaluated:
                messages.info(
                    request,
                    ngettext(
                        "%(count)s open assessment was judged again by its commune's new group.",
                        "%(count)s open assessments were judged again by their communes' new groups.",
                        result.reevaluated,
                    )
                    % {"count": result.reevaluated},
                )
            return redirect(_url(criteria_set.code, period))
    table = None
    rows = []
    has_groups = criteria_set.commune_groups.exists()
    if period is not None and has_groups:
        table = group_table(user=request.user, criteria_set=criteria_set, period=period)
        rows = [
            {
                "row": row,
                "selected": posted.get(row.commune.pk, row.shown_id) if posted else row.shown_id,
                "errors": errors.get(f"{COMMUNE_FIELD_PREFIX}{row.commune.pk}", []),
            }
            for row in table.rows
        ]
    context = {
        "criteria_set": criteria_set,
        "has_groups": has_groups,
        "form": form,
        "period": period,
        "periods": periods,
        "table": table,
        "rows": rows,
        "error_messages": sorted(message for found in errors.values() for message in found),
        "history": group_changes(criteria_set=criteria_set, period=period) if table else [],
    }
    return render(request, TEMPLATE, context, status=400 if errors else 200)
