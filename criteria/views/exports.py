"""Downloads of the criteria results: the summary workbook and the indicator values
(workbook and CSV) of the period and set the overview page shows.

They take the overview's query string (``?period=<code>&set=<code>``, both optional,
the same defaults) and the same scope (:func:`accounts.scope.unit_scope`): everyone
logged in downloads what they may read, a district officer their district only. A
code the form does not know sends the user back to the overview with the same query
string, where the notice names the field, rather than handing out a file of another
period than the one asked for; so does a portal with no period or set yet.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.scope import unit_scope
from core.downloads import CSV, XLSX, attachment
from criteria.exports.summary import summary_filename, summary_workbook
from criteria.exports.values import values_csv, values_filename, values_workbook
from criteria.forms.overview import OverviewFilterForm
from criteria.selectors.exports import assessment_export
from criteria.selectors.overview import default_criteria_set, default_period, province_overview


def _scope_name(user) -> str:
    """The name of the unit whose subtree the user reads ("Huyện Đại Từ")."""
    agency = getattr(user, "agency", None)
    if user.is_superuser or agency is None:
        return _("All administrative units")
    return agency.scope.name


def _selection(request):
    """(visible units, period, set) of the query string, or (None, redirect) when the
    query string names something unknown or there is nothing to export."""
    visible = unit_scope(request.user)
    form = OverviewFilterForm(request.GET)
    query = request.GET.urlencode()
    back = redirect(reverse("criteria-overview") + (f"?{query}" if query else ""))
    if not form.is_valid():
        return None, back
    period = form.cleaned_data.get("period") or default_period(visible=visible)
    criteria_set = form.cleaned_data.get("set") or default_criteria_set(visible=visible, period=period)
    if period is None or criteria_set is None:
        return None, back
    return (visible, period, criteria_set), None


@login_required
@require_GET
def export_summary(request):
    """The summary workbook (.xlsx): the overview's figures, by district, commune by
    criterion and by criterion, for the approved assessments in the user's scope."""
    selection, answer = _selection(request)
    if answer is not None:
        return answer
    visible, period, criteria_set = selection
    overview = province_overview(visible=visible, period=period, criteria_set=criteria_set)
    communes = assessment_export(
        visible=visible, period=period, criteria_set=criteria_set, approved_only=True, with_values=False
    )
    data = summary_workbook(
        overview, communes, scope_name=_scope_name(request.user), generated_on=timezone.localdate()
    )
    return attachment(data, filename=summary_filename(period), content_type=XLSX)


def _values(request):
    """Every assessment in scope of the selection, whatever its status (the files carry a
    status column): officers check values still in draft or returned before approval."""
    selection, answer = _selection(request)
    if answer is not None:
        return None, answer
    visible, period, criteria_set = selection
    return assessment_export(
        visible=visible, period=period, criteria_set=criteria_set, approved_only=False
    ), None


@login_required
@require_GET
def export_values(request):
    """The indicator values workbook (.xlsx): one row per commune, one column per indicator."""
    export, answer = _values(request)
    if answer is not None:
        return answer
    data = values_workbook(export, scope_name=_scope_name(request.user), generated_on=timezone.localdate())
    return attachment(data, filename=values_filename(export.period, "xlsx"), content_type=XLSX)


@login_required
@require_GET
def export_values_csv(request):
    """The indicator values in long format (.csv, UTF-8 with a BOM): one row per commune
    and indicator, with evidence notes."""
    export, answer = _values(request)
    if answer is not None:
        return answer
    return attachment(values_csv(export), filename=values_filename(export.period, "csv"), content_type=CSV)
