"""Assignment pages: one agency's task (reports, deadline history, extension requests,
the forms to report, mark done, ask for more time), "my agency's tasks", and the
overdue board for coordinators and leaders.

An assignment outside the user's scope answers 404 (:func:`_get`); a role that may read
it but not report on it gets 403 from the service (:mod:`directives.services.assignments`),
which checks scope and role itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import coordinator_required, role_required
from accounts.roles import Role, is_coordinator, require_role
from directives.forms import DecisionForm, DoneForm, ExtensionForm, ProgressForm, ReopenForm
from directives.models import Assignment, ExtensionRequest, ProgressReport
from directives.selectors.assignments import (
    BUCKET_ORDER,
    assignment_in_scope,
    assignment_page,
    assignment_scope,
    may_report,
    my_assignments,
    overdue_board,
    pending_extensions,
)
from directives.selectors.reminders import last_reminder_run, undelivered_digests
from directives.services.assignments import (
    assignment_mark_done,
    assignment_reopen,
    extension_decide,
    extension_request_create,
    progress_report_create,
)
from directives.status import BUCKET_COLOURS, days_overdue


def _get(request, pk) -> Assignment:
    try:
        return assignment_in_scope(request.user, pk)
    except (Assignment.DoesNotExist, ValueError):
        raise Http404 from None


def _errors_to_messages(request, form, error: ValidationError | None = None) -> None:
    if error is not None:
        for field, errors in error.message_dict.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def _colours():
    return {bucket.value: colour for bucket, colour in BUCKET_COLOURS.items()}


@login_required
@require_GET
def assignment_detail(request, pk: int):
    """One agency's assignment: the task, deadline and its history, status, reports,
    extension requests; the forms the user may use."""
    return _page(request, _get(request, pk))


def _page(request, assignment: Assignment, *, status: int = 200, **forms):
    """The assignment page; ``forms`` replace the empty forms (a refused form comes back
    with what the user typed)."""
    context = assignment_page(assignment) | {
        "assignment": assignment,
        "bucket": assignment.bucket,
        "bucket_colour": BUCKET_COLOURS[assignment.bucket],
        "may_report_task": may_report(request.user, assignment),
        "is_coordinator": is_coordinator(request.user),
        "progress_form": ProgressForm(initial={"percent": assignment.percent}),
        "done_form": DoneForm(),
        "extension_form": ExtensionForm(),
        "decision_form": DecisionForm(),
        "reopen_form": ReopenForm(),
        **forms,
    }
    return render(request, "directives/assignment.html", context, status=status)


@login_required
@require_POST
def assignment_progress(request, pk: int):
    """Post a progress report (text, percent, optional file)."""
    assignment = _get(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return _page(request, assignment, status=400, progress_form=form)
    try:
        progress_report_create(
            user=request.user,
            assignment=assignment,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            attachment=form.cleaned_data.get("attachment"),
        )
    except ValidationError as error:
        _errors_to_messages(request, form, error)
        return _page(request, assignment, status=400, progress_form=form)
    messages.success(request, _("Progress report saved."))
    return redirect("directive-assignment", pk=pk)


@login_required
@require_POST
def assignment_done(request, pk: int):
    """Mark the assignment done today."""
    assignment = _get(request, pk)
    form = DoneForm(request.POST)
    form.is_valid()
    try:
        assignment_mark_done(user=request.user, assignment=assignment, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        _errors_to_messages(request, form, error)
    else:
        messages.success(request, _("The task is marked done."))
    return redirect("directive-assignment", pk=pk)


@login_required
@require_POST
def assignment_reopen_view(request, pk: int):
    """Reopen an assignment marked done by mistake (coordinators, with a reason). The
    assignment is found first, so that one outside the user's scope answers 404 rather
    than 403; then the role."""
    assignment = _get(request, pk)
    require_role(request.user, Role.COORDINATOR)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("directive-assignment", pk=pk)
    try:
        assignment_reopen(user=request.user, assignment=assignment, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _errors_to_messages(request, form, error)
    else:
        messages.success(request, _("The task is open again."))
    return redirect("directive-assignment", pk=pk)


@login_required
@require_POST
def assignment_extension(request, pk: int):
    """Ask for a later deadline."""
    assignment = _get(request, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return _page(request, assignment, status=400, extension_form=form)
    try:
        extension_request_create(
            user=request.user,
            assignment=assignment,
            requested_deadline=form.cleaned_data["requested_deadline"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        _errors_to_messages(request, form, error)
        return _page(request, assignment, status=400, extension_form=form)
    messages.success(request, _("Extension requested; a coordinator will decide."))
    return redirect("directive-assignment", pk=pk)


@login_required
@require_POST
@coordinator_required
def extension_decide_view(request, pk: int):
    """Grant or refuse an extension request (coordinators)."""
    try:
        extension = ExtensionRequest.objects.get(pk=pk, assignment__in=assignment_scope(request.user))
    except (ExtensionRequest.DoesNotExist, ValueError):
        raise Http404 from None
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("directive-assignment", pk=extension.assignment_id)
    try:
        extension_decide(
            user=request.user,
            extension=extension,
            grant=form.cleaned_data["decision"] == "grant",
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as error:
        _errors_to_messages(request, form, error)
    else:
        messages.success(request, _("Decision saved."))
    return redirect("directive-assignment", pk=extension.assignment_id)


@login_required
@require_GET
def report_file(request, pk: int):
    """Download the file of a progress report on an assignment the user may see."""
    try:
        report = ProgressReport.objects.get(pk=pk, assignment__in=assignment_scope(request.user))
        handle = report.attachment.open("rb")
    except (ProgressReport.DoesNotExist, FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=report.attachment.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def my_tasks(request):
    """The assignments of the agencies the user acts for, open ones first."""
    rows = list(my_assignments(request.user, today=timezone.localdate()))
    return render(request, "directives/my_tasks.html", {"rows": rows, "colours": _colours()})


@login_required
@require_GET
@role_required(Role.COORDINATOR, Role.LEADER)
def board(request):
    """The overdue board: per agency, lead assignments in the four buckets; the overdue
    list; for coordinators, pending extension requests, undelivered reminder e-mails
    and the last run of the reminder job. Coordinators and leaders only (else 403)."""
    coordinator = is_coordinator(request.user)
    today = timezone.localdate()
    table, overdue = overdue_board(today=today)
    rows = list(overdue[:500])
    for row in rows:
        row.days_overdue = days_overdue(deadline=row.deadline, today=today)
    context = {
        "table": table,
        "overdue": rows,
        "overdue_count": overdue.count(),
        "today": today,
        "buckets": [(bucket, BUCKET_COLOURS[bucket]) for bucket in BUCKET_ORDER],
        "is_coordinator": coordinator,
    }
    if coordinator:
        context |= {
            "undelivered": undelivered_digests(),
            "extensions": pending_extensions(),
            "last_run": last_reminder_run(),
        }
    return render(request, "directives/board.html", context)
