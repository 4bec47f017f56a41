"""Value-chain projects (list, page with the checklist of support conditions, the forms)
and OCOP products (list with counts by district and star, the form). Thin views, as in
:mod:`funding.views.cement`: a project outside the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import permission_required
from accounts.scope import unit_scope
from communes.models import UnitKind, UnitLevel
from core.forms import add_service_errors
from funding.forms.projects import CheckForm, OcopFilterForm, OcopForm, ProjectForm
from funding.models import ProjectStatus, SupportCondition, ValueChainProject
from funding.selectors.projects import (
    STARS,
    ocop_counts,
    ocop_products,
    project_detail,
    project_list,
    projects_in_scope,
)
from funding.services.projects import (
    OcopInput,
    ProjectInput,
    condition_check_set,
    ocop_product_create,
    project_create,
    project_update,
)
from funding.views.cement import posted_unit

OCOP_PER_PAGE = 200


def _communes(user):
    """Rural communes (xã) of the user's change scope, for a project."""
    return (
        unit_scope(user, for_change=True)
        .filter(kind=UnitKind.COMMUNE)
        .select_related("parent")
        .order_by("valid_until", "parent__code", "code")
    )


def _get(request, pk) -> tuple:
    try:
        return project_detail(visible=unit_scope(request.user), pk=pk)
    except (ValueChainProject.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_GET
@permission_required("funding.view_valuechainproject")
def project_list_view(request):
    """The value-chain projects in scope, with how many conditions each meets."""
    status = request.GET.get("status", "")
    if status not in ProjectStatus.values:
        status = ""
    rows = project_list(visible=unit_scope(request.user), status=status)
    return render(
        request,
        "funding/project_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": ProjectStatus.choices,
            "may_create": request.user.has_perm("funding.add_valuechainproject"),
            "has_demo": any(row.project.is_demo for row in rows),
        },
    )


def _project_input(data) -> ProjectInput:
    return ProjectInput(
        name=data["name"],
        partner_name=data["partner_name"],
        partner_kind=data["partner_kind"],
        product=data["product"],
        links_production=data["links_production"],
        links_processing=data["links_processing"],
        links_consumption=data["links_consumption"],
        support_requested=data["support_requested"],
        support_approved=data["support_approved"],
        area_ha=data["area_ha"],
        volume_tonnes=data["volume_tonnes"],
        status=data["status"],
        submission=data["submission"],
        note=data["note"],
        communes=tuple(data["communes"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.add_valuechainproject")
def project_create_view(request):
    """Record a value-chain project (coordinators)."""
    form = ProjectForm(request.POST or None, communes=_communes(request.user))
    if request.method == "POST":
        if form.is_valid():
            try:
                project = project_create(user=request.user, data=_project_input(form.cleaned_data))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Project recorded: %(name)s.") % {"name": project.name})
                return redirect("funding-project", pk=project.pk)
        return render(request, "funding/project_form.html", {"form": form}, status=400)
    return render(request, "funding/project_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.change_valuechainproject")
def project_edit_view(request, pk: int):
    """Change a project: status, support approved, communes... (coordinators)."""
    project, _items, _history = _get(request, pk)
    form = ProjectForm(
        request.POST or None, communes=_communes(request.user), initial=ProjectForm.initial_from(project)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                project_update(user=request.user, project=project, data=_project_input(form.cleaned_data))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Project saved."))
                return redirect("funding-project", pk=project.pk)
        return render(request, "funding/project_form.html", {"form": form, "project": project}, status=400)
    return render(request, "funding/project_form.html", {"form": form, "project": project})


@login_required
@require_GET
@permission_required("funding.view_valuechainproject")
def project_detail_view(request, pk: int):
    """A project: what it links, its support, communes, OCOP products, and the checklist
    of support conditions with who checked each and when."""
    project, items, history = _get(request, pk)
    return render(
        request,
        "funding/project_detail.html",
        {
            "project": project,
            "items": items,
            "history": history,
            "may_vet": request.user.has_perm("funding.change_valuechainproject"),
            "check_form": CheckForm(),
        },
    )


@login_required
@require_POST
@permission_required("funding.change_valuechainproject")
def project_check_view(request, pk: int, condition: int):
    """Record one condition's check on a project (coordinators); errors are shown as
    messages on the project's page."""
    project, _items, _history = _get(request, pk)
    condition_obj = get_object_or_404(SupportCondition, pk=condition)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            condition_check_set(
                user=request.user,
                project=project,
                condition=condition_obj,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Check recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return redirect(f"{reverse('funding-project', args=[project.pk])}#condition-{condition_obj.pk}")


@login_required
@require_GET
@permission_required("funding.view_ocopproduct")
def ocop_list_view(request):
    """OCOP products in scope (optionally of a number of stars) and their counts by
    district and star."""
    visible = unit_scope(request.user)
    form = OcopFilterForm(request.GET)
    stars = form.cleaned_data.get("stars") if form.is_valid() else None
    products = list(ocop_products(visible=visible, stars=stars)[:OCOP_PER_PAGE])
    return render(
        request,
        "funding/ocop_list.html",
        {
            "form": form,
            "products": products,
            "counts": ocop_counts(visible=visible),
            "stars_list": STARS,
            "stars": stars,
            "may_create": request.user.has_perm("funding.add_ocopproduct"),
            "has_demo": any(p.is_demo for p in products),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("funding.add_ocopproduct")
def ocop_create_view(request):
    """Record an OCOP product of a commune in the change scope (district officers,
    coordinators)."""
    commune = posted_unit(request, "commune") if request.method == "POST" else None
    communes = (
        unit_scope(request.user, for_change=True)
        .filter(level=UnitLevel.COMMUNE)
        .select_related("parent")
        .order_by("valid_until", "parent__code", "code")
    )
    form = OcopForm(
        request.POST or None,
        communes=communes,
        projects=projects_in_scope(visible=unit_scope(request.user)).order_by("name"),
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                product = ocop_product_create(
                    user=request.user,
                    data=OcopInput(
                        name=data["name"],
                        group=data["group"],
                        producer_name=data["producer_name"],
                        producer_kind=data["producer_kind"],
                        commune=commune,
                        stars=data["stars"],
                        rating_decision=data["rating_decision"],
                        rating_year=data["rating_year"],
                        project=data["project"],
                    ),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("OCOP product recorded: %(product)s.") % {"product": product})
                return redirect("funding-ocop")
        return render(request, "funding/ocop_form.html", {"form": form}, status=400)
    return render(request, "funding/ocop_form.html", {"form": form})
