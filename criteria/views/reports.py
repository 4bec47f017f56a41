"""The Excel report pages: download a template, upload a filled one, see the preview,
confirm, follow the progress, read the outcome. Only roles that start assessments
(district officers, coordinators) use them; an upload is seen by its uploader only.
A refused file answers 400 with the reason on the page, never 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.decorators import role_required
from accounts.scope import unit_scope
from core.downloads import XLSX, attachment
from core.exceptions import OutOfScope
from criteria.forms.reports import TemplateForm, UploadForm
from criteria.models import ReportUpload, UploadStatus
from criteria.selectors.overview import default_criteria_set, default_period
from criteria.selectors.reports import (
    own_upload,
    recent_uploads,
    report_template,
    template_units,
    upload_readout,
)
from criteria.services.assessments import STARTING_ROLES
from criteria.services.reports import REPORTERS_ONLY, upload_cancel, upload_confirm, upload_receive
from criteria.spreadsheet import MAX_BYTES, SpreadsheetRefused

RECENT_UPLOADS = 20


def _page(request, *, template_form=None, upload_form=None, refusal=None, status=200):
    units = template_units(changeable=unit_scope(request.user, for_change=True))
    return render(
        request,
        "criteria/reports/index.html",
        {
            "template_form": template_form
            or TemplateForm(user=request.user, units=units, initial=_initial(request.user, units)),
            "upload_form": upload_form or UploadForm(),
            "refusal": refusal,
            "uploads": recent_uploads(user=request.user, limit=RECENT_UPLOADS),
        },
        status=status,
    )


def _initial(user, units) -> dict:
    """The user's own unit (their district; the province for a coordinator), the period
    and the set the overview shows them first."""
    visible = unit_scope(user)
    period = default_period(visible=visible)
    criteria_set = default_criteria_set(visible=visible, period=period)
    own = units.filter(pk=getattr(user.agency, "scope_id", None)).first()
    return {
        "unit": own.pk if own else None,
        "period": period.code if period else None,
        "criteria_set": criteria_set.code if criteria_set else None,
    }


@login_required
@require_GET
@role_required(*STARTING_ROLES, message=REPORTERS_ONLY)
def report_index(request):
    """The page: template download form, upload form, the user's recent uploads."""
    return _page(request)


@login_required
@require_GET
@role_required(*STARTING_ROLES, message=REPORTERS_ONLY)
def report_template_view(request):
    """Download the template of a district, a commune or the province, period and set.
    A unit outside the user's change scope is 404, as every unit outside a scope is."""
    changeable = unit_scope(request.user, for_change=True)
    asked = request.GET.get("unit", "")
    if asked.isascii() and asked.isdigit() and not changeable.filter(pk=asked).exists():
        raise OutOfScope
    units = template_units(changeable=changeable)
    form = TemplateForm(request.GET, user=request.user, units=units)
    if not form.is_valid():
        return _page(request, template_form=form, status=400)
    template = report_template(
        unit=form.cleaned_data["unit"],
        period=form.cleaned_data["period"],
        criteria_set=form.cleaned_data["criteria_set"],
    )
    return attachment(template.data, filename=template.filename, content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
@role_required(*STARTING_ROLES, message=REPORTERS_ONLY)
def report_upload_view(request):
    """Receive a filled template and show its preview; a refused file answers 400. A GET
    (the language switch or a reload after a refusal) goes back to the reports page."""
    if request.method == "GET":
        return redirect("report-index")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_BYTES + 1)  # open_workbook refuses anything longer
    try:
        report = upload_receive(user=request.user, data=data, filename=upload.name)
    except SpreadsheetRefused as error:
        return _page(request, refusal=str(error), status=400)
    return redirect("report-upload", pk=report.pk)


def _own_upload(request, pk) -> ReportUpload:
    """The upload ``pk`` if the user sent it; :class:`~core.exceptions.OutOfScope` (404)
    otherwise."""
    try:
        return own_upload(user=request.user, pk=pk)
    except (ReportUpload.DoesNotExist, ValueError):
        raise OutOfScope from None


@login_required
@require_GET
def report_upload_detail(request, pk):
    """The preview of an upload (before confirmation), its progress, or its outcome."""
    upload = _own_upload(request, pk)
    readout = upload_readout(upload)
    return render(
        request,
        "criteria/reports/upload.html",
        {
            "upload": upload,
            "readout": readout,
            "finished": upload.status == UploadStatus.APPLIED,
        },
    )


@login_required
@require_GET
def report_upload_progress(request, pk):
    """The progress bar (htmx polls it); once the import is over, the page reloads."""
    upload = _own_upload(request, pk)
    if upload.status != UploadStatus.APPLYING:
        return HttpResponseClientRefresh()
    return render(request, "criteria/reports/_progress.html", {"upload": upload})


@login_required
@require_POST
def report_upload_confirm(request, pk):
    """Write the communes of the preview (once, however often it is posted)."""
    upload = _own_upload(request, pk)
    try:
        upload_confirm(user=request.user, upload=upload)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("report-upload", pk=upload.pk)


@login_required
@require_POST
def report_upload_cancel(request, pk):
    """Cancel an upload waiting for confirmation."""
    upload = _own_upload(request, pk)
    try:
        upload_cancel(user=request.user, upload=upload)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("report-upload", pk=upload.pk)
    messages.info(
        request,
        _("The upload of “%(name)s” was cancelled; nothing was imported.") % {"name": upload.filename},
    )
    return redirect("report-index")
