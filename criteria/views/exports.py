"""Downloads of the criteria results: the summary workbook and the indicator values
(workbook and CSV) of the period and set the overview page shows.

They take the overview's query string (``?period=<code>&set=<code>``, both optional,
the same defaults) and the same scope (:func:`accounts.scope.unit_scope`): everyone
logged in downloads what they may read, a district officer their district only. A
code the form does not know sends the user back to the overview with the same query
string, where the notice names the field, rather than handing out a file of another
period than the one asked for; so does a portal with no period or set yet.

The summary workbook is also built in the background (what the overview's button does,
for scopes of any size): a POST starts a job (:mod:`criteria.services.exports`), whose
page shows a progress bar that htmx refreshes every second, then the download. A job is
seen by the user who asked for it and by coordinators; 404 for anyone else. Leaders,
read-only elsewhere, start jobs too: an export changes no data.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.scope import unit_scope
from communes.scope import get_unit_or_404
from core.downloads import CSV, XLSX, attachment, file_attachment
from core.exceptions import OutOfScope
from criteria.exports.summary import summary_filename
from criteria.exports.values import values_csv, values_filename, values_workbook
from criteria.forms.overview import AreaFilterForm, OverviewFilterForm
from criteria.models import ExportJob, ExportState
from criteria.selectors.exports import assessment_export, export_job_for
from criteria.selectors.overview import default_criteria_set, default_period
from criteria.services.exports import KEEP_FOR, export_job_start, export_scope_name, summary_export


def _selection(request, form=None):
    """(visible units, period, set) of the query string (or of ``form``, bound to a
    POST), or (None, redirect) when it names something unknown or there is nothing to
    export: the redirect goes back to the overview with the same period and set."""
    visible = unit_scope(request.user)
    if form is None:
        form, query = OverviewFilterForm(request.GET), request.GET.urlencode()
    else:
        query = urlencode([(name, form.data[name]) for name in ("period", "set") if form.data.get(name)])
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
    _visible, period, criteria_set = selection
    data = summary_export(user=request.user, period=period, criteria_set=criteria_set)
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
    data = values_workbook(
        export, scope_name=export_scope_name(request.user), generated_on=timezone.localdate()
    )
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


# --- The summary workbook built in the background ----------------------------------------


@login_required
@require_POST
def export_summary_start(request):
    """Start building the summary workbook of the posted period, set and (optional) unit,
    and go to the job's page. A unit outside the user's scope is 404; an unknown code goes
    back to the overview, which names the field."""
    form = AreaFilterForm(request.POST)
    selection, answer = _selection(request, form)
    if answer is not None:
        return answer
    _visible, period, criteria_set = selection
    unit = form.cleaned_data.get("unit")
    if unit is not None:
        unit = get_unit_or_404(request.user, unit.pk)
    job = export_job_start(user=request.user, period=period, criteria_set=criteria_set, unit=unit)
    return redirect("export-job", pk=job.pk)


def _job(request, pk) -> ExportJob:
    """The job ``pk`` if the user asked for it or is a coordinator; 404 otherwise."""
    try:
        return export_job_for(user=request.user, pk=pk)
    except (ExportJob.DoesNotExist, ValueError):
        raise OutOfScope from None


@login_required
@require_GET
def export_job(request, pk):
    """The job's page: its selection, the progress bar while it is built, then the
    download button (or what went wrong)."""
    job = _job(request, pk)
    query = urlencode({"period": job.period.code, "set": job.criteria_set.code})
    return render(
        request,
        "criteria/exports/job.html",
        {
            "job": job,
            "scope_name": export_scope_name(job.requested_by, job.unit),
            "overview_url": f"{reverse('criteria-overview')}?{query}",
            "keep_hours": int(KEEP_FOR.total_seconds() // 3600),
        },
    )


@login_required
@require_GET
def export_job_progress(request, pk):
    """The progress bar (htmx polls it every second); once the job has finished, the page
    reloads to show the download or the error."""
    job = _job(request, pk)
    if job.finished:
        return HttpResponseClientRefresh()
    return render(request, "criteria/exports/_progress.html", {"job": job})


@login_required
@require_GET
def export_job_download(request, pk):
    """The job's workbook under its Vietnamese name; back to the job's page while it is
    not ready, 404 once its file was deleted (after 24 hours)."""
    job = _job(request, pk)
    if job.state != ExportState.DONE:
        return redirect("export-job", pk=job.pk)
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return file_attachment(handle, filename=job.filename, content_type=XLSX)
