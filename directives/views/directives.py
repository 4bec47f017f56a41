"""Directive pages: the list (with the user's drafts), a directive's page (tasks by
section, each agency's status in colour), attachments. A new directive is entered as a
draft (:mod:`directives.views.drafts`). Thin views: say the permission
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
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import permission_required
from accounts.roles import Role, has_role
from core.forms import add_service_errors
from directives.forms import AttachmentForm
from directives.models import Directive, DirectiveAttachment
from directives.selectors.assignments import assignment_scope
from directives.selectors.directives import directive_detail, directive_list
from directives.selectors.drafts import drafts_of
from directives.services.directives import attachment_add
from directives.status import BUCKET_COLOURS, Bucket


@login_required
@require_GET
@permission_required("directives.view_directive")
def directive_list_view(request):
    """Every directive with the counts of its lead assignments in the four buckets."""
    rows = directive_list(today=timezone.localdate())
    may_create = request.user.has_perm("directives.add_directive")
    return render(
        request,
        "directives/list.html",
        {
            "rows": rows,
            "may_create": may_create,
            "drafts": drafts_of(user=request.user) if may_create else [],
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
        directive, sections, counts, page = directive_detail(
            pk=pk, today=timezone.localdate(), page=request.GET.get("page")
        )
    except Directive.DoesNotExist:
        raise Http404 from None
    shown = [task.pk for section in sections for task in section.tasks]
    visible = set(assignment_scope(request.user).filter(task_id__in=shown).values_list("pk", flat=True))
    return render(
        request,
        "directives/detail.html",
        {
            "directive": directive,
            "sections": sections,
            "counts": counts,
            "page": page,
            "visible": visible,
            "colours": {bucket.value: colour for bucket, colour in BUCKET_COLOURS.items()},
            "buckets": _buckets(),
            "may_attach": request.user.has_perm("directives.change_directive"),
            "attachment_form": AttachmentForm(),
        },
    )


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
