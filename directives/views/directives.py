"""Directive pages: the list, a directive's page (tasks by section, each agency's status
in colour), and the two-step "new directive" page (paste the text; correct the proposed
sections, tasks, deadlines and agencies; confirm). Thin views: say the permission
(``@permission_required``), call one selector or service, answer. Reading needs
``directives.view_directive`` (every role has it); creating ``directives.add_directive``
and attaching ``directives.change_directive`` (coordinators): else 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import permission_required
from accounts.roles import Role, has_role
from core.forms import add_service_errors
from directives.forms import AttachmentForm, DirectiveForm, PasteForm, TaskFormSet
from directives.models import Directive, DirectiveAttachment
from directives.selectors.assignments import assignment_scope
from directives.selectors.directives import directive_detail, directive_list
from directives.services.directives import (
    DirectiveInput,
    TaskInput,
    attachment_add,
    directive_create,
    proposal_from_text,
)
from directives.status import BUCKET_COLOURS, Bucket


@login_required
@require_GET
@permission_required("directives.view_directive")
def directive_list_view(request):
    """Every directive with the counts of its lead assignments in the four buckets."""
    rows = directive_list(today=timezone.localdate())
    return render(
        request,
        "directives/list.html",
        {
            "rows": rows,
            "may_create": request.user.has_perm("directives.add_directive"),
            "show_board": has_role(request.user, Role.COORDINATOR, Role.LEADER),
            "buckets": _buckets(),
        },
    )


def _buckets():
    return [(bucket, BUCKET_COLOURS[bucket]) for bucket in Bucket]


@login_required
@require_GET
@permission_required("directives.view_directive")
def directive_detail_view(request, pk: int):
    """A directive: its fields, recipients, files, and its tasks by section with every
    assigned agency in its status colour (links to the assignments the user may open)."""
    try:
        directive, sections, counts = directive_detail(pk=pk, today=timezone.localdate())
    except Directive.DoesNotExist:
        raise Http404 from None
    visible = set(
        assignment_scope(request.user).filter(task__directive=directive).values_list("pk", flat=True)
    )
    return render(
        request,
        "directives/detail.html",
        {
            "directive": directive,
            "sections": sections,
            "counts": counts,
            "visible": visible,
            "colours": {bucket.value: colour for bucket, colour in BUCKET_COLOURS.items()},
            "buckets": _buckets(),
            "may_attach": request.user.has_perm("directives.change_directive"),
            "attachment_form": AttachmentForm(),
        },
    )


def _proposal_forms(text: str):
    """Step 2's forms filled with the parser's proposal for ``text``."""
    proposal = proposal_from_text(text)
    form = DirectiveForm(
        initial={
            "number": proposal.number,
            "kind": proposal.kind,
            "issuer": proposal.issuer,
            "signer": proposal.signer,
            "issued_on": proposal.issued_on,
            "title": proposal.title,
            "recipients": list(proposal.recipient_ids),
            "body": proposal.body,
        }
    )
    formset = TaskFormSet(
        initial=[
            {
                "keep": True,
                "section_number": task.section_number,
                "section_heading": task.section_heading,
                "text": task.text,
                "deadline": task.deadline,
                "deadline_phrase": task.deadline_phrase,
                "recurrence": task.recurrence,
                "parent_index": task.parent_index,
                "leads": list(task.lead_ids),
                "cooperating": list(task.cooperating_ids),
                "warnings": task.warnings,
            }
            for task in proposal.tasks
        ],
        prefix="tasks",
    )
    return form, formset, proposal


def _confirmed(form: DirectiveForm, formset) -> tuple[DirectiveInput, list[int]]:
    """The confirmed directive, with the kept tasks only (a dropped "-" bullet's "+"
    bullets lose their parent), and for each kept task its form's index."""
    kept, new_index, tasks = [], {}, []
    for index, task_form in enumerate(formset.forms):
        data = task_form.cleaned_data
        if not data or not data.get("keep"):
            continue
        parent = data.get("parent_index")
        new_index[index] = len(tasks)
        kept.append(index)
        tasks.append(
            TaskInput(
                text=data["text"],
                section_number=data.get("section_number") or "",
                section_heading=data.get("section_heading") or "",
                deadline=data.get("deadline"),
                deadline_phrase=data.get("deadline_phrase") or "",
                recurrence=data.get("recurrence") or "",
                lead_ids=tuple(agency.pk for agency in data.get("leads") or ()),
                cooperating_ids=tuple(agency.pk for agency in data.get("cooperating") or ()),
                parent_index=new_index.get(parent) if parent is not None else None,
                criterion_id=data["criterion"].pk if data.get("criterion") else None,
            )
        )
    values = form.cleaned_data
    directive = DirectiveInput(
        number=values["number"],
        kind=values["kind"],
        issuer=values["issuer"],
        signer=values.get("signer") or "",
        issued_on=values["issued_on"],
        title=values["title"],
        body=values.get("body") or "",
        recipient_ids=tuple(agency.pk for agency in values.get("recipients") or ()),
        tasks=tuple(tasks),
    )
    return directive, kept


def _task_errors(formset, error: ValidationError, kept: list[int]) -> None:
    """Put a service error keyed "tasks-<n>" (n among the kept tasks) on that task's form."""
    for key, messages_ in error.message_dict.items():
        if key.startswith("tasks-") and key[6:].isdigit() and int(key[6:]) < len(kept):
            for message in messages_:
                formset.forms[kept[int(key[6:])]].add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("directives.add_directive")
def directive_new(request):
    """Step 1 (GET, or POST ``step=parse``): paste the text; the portal proposes. Step 2
    (POST ``step=confirm``): the corrected proposal is saved with its assignments."""
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "parse":
        paste = PasteForm(request.POST)
        if paste.is_valid():
            form, formset, proposal = _proposal_forms(paste.cleaned_data["text"])
            if not proposal.tasks:
                messages.warning(
                    request,
                    _(
                        "No task was found: tasks are the “- ” lines of the numbered sections. Check the text."
                    ),
                )
                return render(request, "directives/new.html", {"paste": paste}, status=400)
            return render(
                request, "directives/new.html", {"form": form, "formset": formset, "proposal": proposal}
            )
        return render(request, "directives/new.html", {"paste": paste}, status=400)
    if request.method == "POST" and step == "confirm":
        form, formset = DirectiveForm(request.POST), TaskFormSet(request.POST, prefix="tasks")
        if form.is_valid() and formset.is_valid():
            data, kept = _confirmed(form, formset)
            try:
                directive = directive_create(user=request.user, data=data)
            except ValidationError as error:
                add_service_errors(
                    form,
                    ValidationError(
                        {k: v for k, v in error.message_dict.items() if not k.startswith("tasks-")}
                    ),
                )
                _task_errors(formset, error, kept)
            else:
                messages.success(
                    request,
                    _("Directive %(number)s saved with %(n)s tasks.")
                    % {"number": directive.number, "n": len(data.tasks)},
                )
                return redirect("directive-detail", pk=directive.pk)
        messages.error(request, _("Nothing was saved: correct what is marked below."))
        return render(request, "directives/new.html", {"form": form, "formset": formset}, status=400)
    return render(request, "directives/new.html", {"paste": PasteForm()})


@login_required
@require_POST
@permission_required("directives.change_directive")
def directive_attachment_add(request, pk: int):
    """Attach a file to a directive (coordinators)."""
    try:
        directive = Directive.objects.get(pk=pk)
    except Directive.DoesNotExist:
        raise Http404 from None
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(
                user=request.user,
                directive=directive,
                upload=form.cleaned_data["file"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("File attached."))
            return redirect("directive-detail", pk=pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect("directive-detail", pk=pk)


@login_required
@require_GET
@permission_required("directives.view_directive")
def directive_attachment(request, pk: int):
    """Download a directive's file."""
    try:
        attachment = DirectiveAttachment.objects.get(pk=pk)
        handle = attachment.file.open("rb")
    except (DirectiveAttachment.DoesNotExist, FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1])
