"""Pages of a draft of a new directive: paste the text (a draft is made and opened), the
draft's page (the directive's fields, the proposed tasks 50 a page, per-task actions
and bulk changes), a task's own edit, split and add pages, confirm, delete.

Thin views: ``directives.add_directive`` (coordinators; else 403), the user's own draft
(``draft_of``: another's is 404), one service per POST, then back to the page of the
draft the action started from (post/redirect/get) with what was done or refused in the
messages. Agencies (badges, choices) are read once per request.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import permission_required
from accounts.models import Agency
from core.forms import add_service_errors
from directives import task_lists
from directives.forms import DraftBulkForm, DraftFieldsForm, DraftSplitForm, DraftTaskForm, PasteForm
from directives.models import Recurrence
from directives.selectors.drafts import draft_of
from directives.services import drafts as services
from directives.services.drafts import draft_input

PER_PAGE = 50
ADD = "directives.add_directive"


def _agencies() -> dict[int, Agency]:
    """The agencies that take new work, by id, in the order of the forms (one query)."""
    return {
        agency.pk: agency
        for agency in Agency.objects.assignable()
        .order_by("kind", "name")
        .only("pk", "name", "short_name", "kind")
    }


def _choices(agencies: dict[int, Agency]) -> list[tuple[int, str]]:
    return [(pk, agency.short_name) for pk, agency in agencies.items()]


def _page_of(number: int) -> int:
    return (max(number, 1) - 1) // PER_PAGE + 1


def _back(draft, number: int | None = None, *, page: str | int | None = None):
    """Redirect to the page of the draft holding task ``number`` (or page ``page``)."""
    url = reverse("directive-draft", args=[draft.pk])
    if number is not None:
        return redirect(f"{url}?page={_page_of(number)}#task-{number}")
    return redirect(f"{url}?page={page}" if page else url)


def _revision(request) -> int | None:
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


def _refused(request, error: ValidationError) -> None:
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


def _fields_initial(data) -> dict:
    return {
        "number": data.number,
        "kind": data.kind,
        "issuer": data.issuer,
        "signer": data.signer,
        "issued_on": data.issued_on,
        "title": data.title,
        "recipients": list(data.recipient_ids),
    }


def _badges(ids, agencies):
    return [
        (agencies[pk].short_name, agencies[pk].name)
        if pk in agencies
        else (f"#{pk}", _("unknown or inactive agency"))
        for pk in ids
    ]


def _draft_page(request, draft, *, fields_form=None, bulk_form=None, confirm_errors=None, status=200):
    """The draft's page: its fields form, one page of its tasks, the bulk form."""
    agencies = _agencies()
    choices = _choices(agencies)
    data = draft_input(draft.data)
    recurrences = dict(Recurrence.choices)
    page = Paginator(data.tasks, PER_PAGE).get_page(request.GET.get("page"))
    offset = page.start_index()
    # The tasks' URLs, built from one reversed prefix (not five reverses a task).
    prefix = reverse("directive-draft-task", args=[draft.pk, 1])[: -len("1/")]
    add = reverse("directive-draft-task-add", args=[draft.pk])
    rows = [
        {
            "number": str(offset + i),
            "edit": f"{prefix}{offset + i}/",
            "split": f"{prefix}{offset + i}/split/",
            "merge": f"{prefix}{offset + i}/merge/",
            "delete": f"{prefix}{offset + i}/delete/",
            "add": f"{add}?after={offset + i}",
            "task": task,
            "parent": str(task.parent_index + 1) if task.parent_index is not None else None,
            "recurrence": recurrences.get(task.recurrence, task.recurrence),
            "leads": _badges(task.lead_ids, agencies),
            "cooperating": _badges(task.cooperating_ids, agencies),
            "last": offset + i == len(data.tasks),
        }
        for i, task in enumerate(page.object_list)
    ]
    return render(
        request,
        "directives/draft.html",
        {
            "draft": draft,
            "data": data,
            "revision": draft.data.get("revision") or 0,
            "page": page,
            "rows": rows,
            "task_count": len(data.tasks),
            "fields_form": fields_form or DraftFieldsForm(initial=_fields_initial(data), agencies=choices),
            "bulk_form": bulk_form or DraftBulkForm(agencies=choices, task_count=len(data.tasks)),
            "recipients": _badges(data.recipient_ids, agencies),
            "confirm_errors": confirm_errors or [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(ADD)
def draft_new(request):
    """Paste the text (GET shows the form); POST makes a draft of the parser's proposal
    and opens it."""
    paste = PasteForm(request.POST or None)
    if request.method == "POST" and paste.is_valid():
        try:
            draft = services.draft_create(user=request.user, text=paste.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(paste, error)
        else:
            count = len(draft.data["tasks"])
            messages.success(
                request, _("The portal proposes %(n)s tasks: check them, then confirm.") % {"n": count}
            )
            return redirect("directive-draft", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "directives/new.html", {"paste": paste}, status=status)


@login_required
@require_http_methods(["GET"])
@permission_required(ADD)
def draft_detail(request, pk: int):
    """The draft's page (``?page=`` of its tasks)."""
    return _draft_page(request, draft_of(user=request.user, pk=pk))


@login_required
@require_POST
@permission_required(ADD)
def draft_fields(request, pk: int):
    """Save the directive's own fields ("Lưu")."""
    draft = draft_of(user=request.user, pk=pk)
    form = DraftFieldsForm(request.POST, agencies=_choices(_agencies()))
    if form.is_valid():
        values = form.cleaned_data
        try:
            services.draft_fields_save(
                user=request.user,
                draft=draft,
                number=values["number"],
                kind=values["kind"],
                issuer=values["issuer"],
                signer=values["signer"],
                issued_on=values["issued_on"],
                title=values["title"],
                recipient_ids=values["recipients"],
                revision=_revision(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The directive's fields are saved in the draft."))
            return _back(draft, page=request.POST.get("page"))
    messages.error(request, _("Nothing was saved: correct what is marked below."))
    return _draft_page(request, draft, fields_form=form, status=400)


def _task_page(request, draft, *, form, number: int, adding: bool, status=200):
    return render(
        request,
        "directives/draft_task.html",
        {
            "draft": draft,
            "form": form,
            "number": number,
            "adding": adding,
            "revision": draft.data.get("revision") or 0,
            "back": f"{reverse('directive-draft', args=[draft.pk])}?page={_page_of(number)}#task-{number}",
        },
        status=status,
    )


def _task_or_404(draft, number: int):
    tasks = draft.data.get("tasks") or []
    if not 1 <= number <= len(tasks):
        raise Http404
    return services.task_input(tasks[number - 1])


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(ADD)
def draft_task_edit(request, pk: int, number: int):
    """Edit task ``number`` alone: text, deadline, recurrence, criterion, agencies."""
    draft = draft_of(user=request.user, pk=pk)
    task = _task_or_404(draft, number)
    choices = _choices(_agencies())
    if request.method == "GET":
        form = DraftTaskForm(
            initial={
                "text": task.text,
                "deadline": task.deadline,
                "recurrence": task.recurrence,
                "recurrence_day": task.recurrence_day,
                "criterion": task.criterion_id,
                "leads": list(task.lead_ids),
                "cooperating": list(task.cooperating_ids),
            },
            agencies=choices,
        )
        return _task_page(request, draft, form=form, number=number, adding=False)
    form = DraftTaskForm(request.POST, agencies=choices)
    if form.is_valid():
        try:
            services.draft_task_save(
                user=request.user,
                draft=draft,
                number=number,
                values=form.values(),
                revision=_revision(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Task %(n)s saved.") % {"n": number})
            return _back(draft, number)
    return _task_page(request, draft, form=form, number=number, adding=False, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(ADD)
def draft_task_add(request, pk: int):
    """Add a task after task ``?after=`` (0: first; the last task when not given)."""
    draft = draft_of(user=request.user, pk=pk)
    count = len(draft.data.get("tasks") or [])
    raw = request.POST.get("after", request.GET.get("after", ""))
    after = min(int(raw), count) if raw.isdigit() else count
    choices = _choices(_agencies())
    if request.method == "GET":
        form = DraftTaskForm(agencies=choices)
        return _task_page(request, draft, form=form, number=after + 1, adding=True)
    form = DraftTaskForm(request.POST, agencies=choices)
    if form.is_valid():
        try:
            services.draft_task_add(
                user=request.user, draft=draft, after=after, values=form.values(), revision=_revision(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Task %(n)s added.") % {"n": after + 1})
            return _back(draft, after + 1)
    return _task_page(request, draft, form=form, number=after + 1, adding=True, status=400)


def _boundaries(text: str) -> list[tuple[int, str]]:
    return [(offset, text[offset : offset + 60] + "…") for offset in task_lists.sentence_boundaries(text)]


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(ADD)
def draft_task_split(request, pk: int, number: int):
    """Cut task ``number`` in two: at a sentence boundary, or into two typed parts."""
    draft = draft_of(user=request.user, pk=pk)
    task = _task_or_404(draft, number)
    boundaries = _boundaries(task.text)
    form = DraftSplitForm(request.POST or None, boundaries=boundaries)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if values["boundary"] is not None:
            first, second = task_lists.split_text(task.text, values["boundary"])
        else:
            first, second = values["first"], values["second"]
        try:
            services.draft_task_split(
                user=request.user,
                draft=draft,
                number=number,
                first=first,
                second=second,
                revision=_revision(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Task %(n)s is now two tasks.") % {"n": number})
            return _back(draft, number)
    if request.method == "GET":
        form = DraftSplitForm(initial={"first": task.text}, boundaries=boundaries)
    return render(
        request,
        "directives/draft_split.html",
        {
            "draft": draft,
            "form": form,
            "number": number,
            "task": task,
            "revision": draft.data.get("revision") or 0,
            "back": f"{reverse('directive-draft', args=[draft.pk])}?page={_page_of(number)}#task-{number}",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@permission_required(ADD)
def draft_task_merge(request, pk: int, number: int):
    """Merge task ``number`` with the next one."""
    draft = draft_of(user=request.user, pk=pk)
    try:
        services.draft_task_merge(user=request.user, draft=draft, number=number, revision=_revision(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("Tasks %(n)s and %(next)s are now one task.") % {"n": number, "next": number + 1}
        )
    return _back(draft, number)


@login_required
@require_POST
@permission_required(ADD)
def draft_task_delete(request, pk: int, number: int):
    """Delete task ``number``."""
    draft = draft_of(user=request.user, pk=pk)
    try:
        services.draft_task_delete(user=request.user, draft=draft, number=number, revision=_revision(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Task %(n)s deleted.") % {"n": number})
    return _back(draft, max(1, min(number, len(draft.data.get("tasks") or []))))


@login_required
@require_POST
@permission_required(ADD)
def draft_bulk(request, pk: int):
    """Apply one change to the tasks ticked on the page, or to every task of the draft."""
    draft = draft_of(user=request.user, pk=pk)
    form = DraftBulkForm(
        request.POST, agencies=_choices(_agencies()), task_count=len(draft.data.get("tasks") or [])
    )
    page = request.POST.get("page")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields and form.fields[field].label else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return _back(draft, page=page)
    values = form.cleaned_data
    try:
        services.draft_bulk(
            user=request.user,
            draft=draft,
            action=values["action"],
            numbers=None if values["scope"] == "all" else values["tasks"],
            agency_ids=values["agencies"],
            deadline=values["deadline"],
            revision=_revision(request),
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        count = len(draft.data["tasks"]) if values["scope"] == "all" else len(values["tasks"])
        messages.success(request, _("Done for %(n)s tasks.") % {"n": count})
    return _back(draft, page=page)


@login_required
@require_POST
@permission_required(ADD)
def draft_confirm(request, pk: int):
    """Save the draft as a directive ("Xác nhận và lưu"); its errors on the draft's page."""
    draft = draft_of(user=request.user, pk=pk)
    try:
        directive = services.draft_confirm(user=request.user, draft=draft, revision=_revision(request))
    except ValidationError as error:
        confirm_errors = []
        for key, field_messages in error.message_dict.items():
            if key.startswith("tasks-") and key[6:].isdigit():
                number = int(key[6:]) + 1
                for message in field_messages:
                    confirm_errors.append({"number": number, "page": _page_of(number), "message": message})
            else:
                confirm_errors.extend({"number": None, "message": message} for message in field_messages)
        messages.error(request, _("Nothing was saved: correct what is listed below, then confirm again."))
        return _draft_page(request, draft, confirm_errors=confirm_errors, status=400)
    messages.success(
        request,
        _("Directive %(number)s saved with %(n)s tasks.")
        % {"number": directive.number, "n": directive.tasks.count()},
    )
    return redirect("directive-detail", pk=directive.pk)


@login_required
@require_POST
@permission_required(ADD)
def draft_delete(request, pk: int):
    """Throw the draft away; back to the list of directives."""
    services.draft_delete(user=request.user, draft=draft_of(user=request.user, pk=pk))
    messages.success(request, _("Draft deleted."))
    return redirect("directive-list")
