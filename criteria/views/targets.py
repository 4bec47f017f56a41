"""The programme targets (mục tiêu) page: how many communes of the province or of a
district are to be recognised at each level by the end of a year, and the decision or
notice that says so; a target not known yet reads "not determined yet".

Everyone signed in reads the targets of the units in their scope; a provincial
coordinator adds one and sets or changes its count and source (the others 403). Thin
views: find the target in the change scope (404), validate, call one service
(:mod:`criteria.services.targets`), answer: 302 to the list when saved, 400 with the
errors, 409 when someone else saved the target since the form was read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import coordinator_required
from accounts.roles import is_coordinator
from accounts.scope import unit_scope
from core.exceptions import OutOfScope
from core.forms import add_service_errors
from criteria.forms.targets import ProgrammeTargetEditForm, ProgrammeTargetForm
from criteria.models import ProgrammeTarget
from criteria.selectors.targets import target_in_scope, target_version, targets_in_scope
from criteria.services.targets import StaleTarget, programme_target_create, programme_target_update


@login_required
@require_GET
def programme_target_list(request):
    """The targets of the units in scope (the province's first, then the districts'),
    with their count (or "not determined yet"), source, and who changed them last; a
    coordinator also gets the form of a new target and a link to change each."""
    form = None
    if is_coordinator(request.user):
        form = ProgrammeTargetForm(units=unit_scope(request.user, for_change=True))
    context = {"rows": targets_in_scope(visible=unit_scope(request.user)), "form": form}
    return render(request, "criteria/targets/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def programme_target_create_view(request):
    """Add a target (provincial coordinators; others 403)."""
    form = ProgrammeTargetForm(request.POST or None, units=unit_scope(request.user, for_change=True))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                target = programme_target_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Target added: %(target)s.") % {"target": _describe(target)})
                return redirect("programme-target-list")
    return render(request, "criteria/targets/new.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@coordinator_required
def programme_target_edit_view(request, pk: int):
    """Set or change the count and source of a target (provincial coordinators; others
    403; a target outside their change scope 404)."""
    target = _target_or_404(request.user, pk)
    context = {"target": target, "refusal": ""}
    if request.method == "GET":
        initial = {"count": target.count, "source": target.source, "version": target_version(target.pk)}
        context["form"] = ProgrammeTargetEditForm(initial=initial)
        return render(request, "criteria/targets/edit.html", context)
    form = context["form"] = ProgrammeTargetEditForm(request.POST)
    if form.is_valid():
        try:
            changed = programme_target_update(user=request.user, target=target, **form.cleaned_data)
        except StaleTarget as refusal:
            context["refusal"] = refusal.message
            return render(request, "criteria/targets/edit.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                messages.success(request, _("Target saved: %(target)s.") % {"target": _describe(target)})
            else:
                messages.info(request, _("Nothing changed: the target was already so."))
            return redirect("programme-target-list")
    return render(request, "criteria/targets/edit.html", context, status=400)


def _target_or_404(user, pk: int) -> ProgrammeTarget:
    target = target_in_scope(visible=unit_scope(user, for_change=True), pk=pk)
    if target is None:
        raise OutOfScope
    return target


def _describe(target: ProgrammeTarget) -> str:
    return _("%(unit)s, %(level)s, by the end of %(year)s") % {
        "unit": target.unit.name,
        "level": target.get_level_display(),
        "year": target.year,
    }
