"""Editing a saved directive (coordinators, ``directives.change_directive``; others
403): its own fields, one task, a task added after another, a task deleted (after a
confirmation), and the history page of the directive, its tasks and assignments (every
role that reads directives). Thin views: find the object (404), validate the form, call
one service (:mod:`directives.services.editing`), answer: 302 to the directive's page
when saved, 400 with the errors, 409 with the reason when the task has progress or
someone saved since the form was read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import permission_required
from core.formatting import date_text
from core.forms import add_service_errors
from directives.forms import DirectiveEditForm, TaskEditForm, VersionForm
from directives.models import Assignment, Directive, Task
from directives.selectors.editing import (
    directive_history,
    directive_version,
    subtree_ids,
    task_lock_reason,
    task_version,
)
from directives.services.directives import DirectiveInput, TaskInput
from directives.services.editing import (
    EditRefused,
    TaskEditResult,
    directive_update,
    task_add,
    task_delete,
    task_update,
)

EDIT_PERMISSION = "directives.change_directive"


def _directive_or_404(pk: int) -> Directive:
    try:
        return Directive.objects.get(pk=pk)
    except Directive.DoesNotExist:
        raise Http404 from None


def _task_or_404(pk: int) -> Task:
    try:
        return Task.objects.select_related("directive", "criterion").get(pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None


def _task_form_post(request, context: dict, form: TaskEditForm, write, saved):
    """The POST of the task form (edit or add): ``write(cleaned_data)`` (a service), then
    ``saved(its result)``; a task or directive deleted meanwhile is a 404, a refusal
    (progress, a stale form) a 409 with its reason, bad input a 400 with the form."""
    context["form"] = form
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except (Task.DoesNotExist, Directive.DoesNotExist):  # deleted meanwhile
            raise Http404 from None
        except EditRefused as refusal:
            context["refusal"] = refusal.message
            return render(request, "directives/edit_task.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return saved(result)
    return render(request, "directives/edit_task.html", context, status=400)


def _task_anchor(task: Task) -> str:
    return reverse("directive-detail", args=[task.directive_id]) + f"#task-{task.pk}"


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def directive_edit(request, pk: int):
    """The directive's own fields (number, kind, issuer, signer, date, summary,
    recipients), always editable."""
    directive = _directive_or_404(pk)
    context = {"directive": directive}
    if request.method == "POST":
        form = DirectiveEditForm(request.POST, directive=directive)
        context["form"] = form
        if form.is_valid():
            values = form.cleaned_data
            data = DirectiveInput(
                number=values["number"],
                kind=values["kind"],
                issuer=values["issuer"],
                signer=values.get("signer") or "",
                issued_on=values["issued_on"],
                title=values["title"],
                recipient_ids=tuple(agency.pk for agency in values.get("recipients") or ()),
            )
            try:
                directive_update(user=request.user, directive=directive, data=data, version=values["version"])
            except EditRefused as refusal:
                context["refusal"] = refusal.message
                return render(request, "directives/edit_directive.html", context, status=409)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Directive %(number)s saved.") % {"number": data.number})
                return redirect("directive-detail", pk=pk)
        return render(request, "directives/edit_directive.html", context, status=400)
    context["form"] = DirectiveEditForm(
        directive=directive,
        initial={
            "number": directive.number,
            "kind": directive.kind,
            "issuer": directive.issuer,
            "signer": directive.signer,
            "issued_on": directive.issued_on,
            "title": directive.title,
            "recipients": list(directive.recipients.values_list("pk", flat=True)),
            "version": directive_version(directive.pk),
        },
    )
    return render(request, "directives/edit_directive.html", context)


def _task_input(values: dict) -> TaskInput:
    """The service's input from a valid :class:`TaskEditForm`."""
    return TaskInput(
        text=values["text"],
        section_number=values.get("section_number") or "",
        section_heading=values.get("section_heading") or "",
        deadline=values.get("deadline"),
        recurrence=values.get("recurrence") or "",
        recurrence_day=values.get("recurrence_day"),
        criterion_id=values["criterion"].pk if values.get("criterion") else None,
        lead_ids=tuple(agency.pk for agency in values.get("leads") or ()),
        cooperating_ids=tuple(agency.pk for agency in values.get("cooperating") or ()),
    )


def _task_initial(task: Task) -> dict:
    assignments = list(task.assignments.all())
    return {
        "text": task.text,
        "section_number": task.section_number,
        "section_heading": task.section_heading,
        "deadline": task.deadline,
        "recurrence": task.recurrence,
        "recurrence_day": task.recurrence_day,
        "criterion": task.criterion_id,
        "leads": [a.agency_id for a in assignments if a.role == "lead"],
        "cooperating": [a.agency_id for a in assignments if a.role == "cooperating"],
        "version": task_version(task.pk),
    }


def _own_deadlines(task: Task) -> list:
    """The assignments whose deadline is no longer the task's (moved apart): a new
    deadline of the task leaves them as they are."""
    if task.recurrence:
        return []
    return [a for a in task.assignments.select_related("agency") if a.deadline != task.deadline]


def _edit_messages(request, result: TaskEditResult) -> None:
    messages.success(request, _("Task saved."))
    if result.added:
        messages.info(request, _("Assigned to: %(names)s.") % {"names": "; ".join(result.added)})
    if result.removed:
        messages.info(request, _("No longer assigned to: %(names)s.") % {"names": "; ".join(result.removed)})
    if result.moved:
        messages.info(request, _("Deadline moved for %(n)s assignments.") % {"n": result.moved})
    for name, deadline in result.kept:
        messages.warning(
            request,
            _("%(agency)s keeps its own deadline %(day)s: it was moved apart from the task's.")
            % {"agency": name, "day": date_text(deadline) or "—"},
        )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def task_edit(request, pk: int):
    """One task: text, section, deadline, recurrence, criterion, agencies; refused
    (the page says why; a POST answers 409) once it has progress."""
    task = _task_or_404(pk)
    context = {"task": task, "directive": task.directive, "own_deadlines": _own_deadlines(task)}
    if request.method == "POST":

        def saved(result):
            _edit_messages(request, result)
            return redirect(_task_anchor(task))

        return _task_form_post(
            request,
            context,
            TaskEditForm(request.POST, task=task),
            lambda data: task_update(
                user=request.user, task=task, data=_task_input(data), version=data["version"]
            ),
            saved,
        )
    context["refusal"] = task_lock_reason([task.pk])
    context["form"] = TaskEditForm(task=task, initial=_task_initial(task))
    return render(request, "directives/edit_task.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def task_add_view(request, pk: int):
    """A new task after the task ``pk`` (and its sub-tasks), at its level."""
    after = _task_or_404(pk)
    context = {"after": after, "directive": after.directive, "adding": True}
    if request.method == "POST":

        def saved(task):
            messages.success(request, _("Task added."))
            return redirect(_task_anchor(task))

        return _task_form_post(
            request,
            context,
            TaskEditForm(request.POST),
            lambda data: task_add(
                user=request.user, after=after, data=_task_input(data), version=data["version"]
            ),
            saved,
        )
    context["form"] = TaskEditForm(
        initial={
            "section_number": after.section_number,
            "section_heading": after.section_heading,
            "version": task_version(after.pk),
        }
    )
    return render(request, "directives/edit_task.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(EDIT_PERMISSION)
def task_delete_view(request, pk: int):
    """Confirm (GET), then delete (POST) a task without progress and its sub-tasks."""
    task = _task_or_404(pk)
    ids = subtree_ids(task)
    context = {
        "task": task,
        "directive": task.directive,
        "subtasks": Task.objects.filter(pk__in=ids).exclude(pk=task.pk).order_by("position"),
        "assignment_count": Assignment.objects.filter(task_id__in=ids).count(),
    }
    if request.method == "POST":
        form = VersionForm(request.POST)
        context["form"] = form
        if form.is_valid():
            try:
                count = task_delete(user=request.user, task=task, version=form.cleaned_data["version"])
            except (Task.DoesNotExist, Directive.DoesNotExist):  # deleted meanwhile
                raise Http404 from None
            except EditRefused as refusal:
                context["refusal"] = refusal.message
                return render(request, "directives/edit_task_delete.html", context, status=409)
            messages.success(request, _("%(n)s task(s) deleted.") % {"n": count})
            return redirect("directive-detail", pk=task.directive_id)
        return render(request, "directives/edit_task_delete.html", context, status=400)
    context["refusal"] = task_lock_reason(ids)
    context["form"] = VersionForm(initial={"version": task_version(task.pk)})
    return render(request, "directives/edit_task_delete.html", context)


@login_required
@require_GET
@permission_required("directives.view_directive")
def directive_history_view(request, pk: int):
    """Lịch sử sửa đổi: who changed what of the directive, its tasks and assignments."""
    directive = _directive_or_404(pk)
    return render(
        request,
        "directives/edit_history.html",
        {
            "directive": directive,
            "entries": directive_history(directive=directive),
            "may_edit": request.user.has_perm(EDIT_PERMISSION),
        },
    )
