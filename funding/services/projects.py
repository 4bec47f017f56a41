"""Writes of value-chain projects (with their checklist of support conditions) and of
OCOP products. Same shape as :mod:`funding.services.cement`: keyword-only, one transaction,
404 outside the scope, 403 for a role without the permission, ValidationError keyed by
field in the user's language; every row carries the acting user in its history.

Who: the provincial coordination office records and vets value-chain projects (notice
58/TB-UBND asks it to); district officers and coordinators record OCOP products of the
communes in their change scope.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_permission
from accounts.scope import unit_scope
from communes.models import AdministrativeUnit, UnitKind, UnitLevel
from communes.scope import require_unit
from core.exceptions import READ_ONLY_MESSAGE, OutOfScope
from funding.checks import MAX_TONNES, MAX_VND, decimal_places
from funding.models import (
    CheckOutcome,
    ConditionCheck,
    OcopGroup,
    OcopProduct,
    PartnerKind,
    ProjectStatus,
    SupportCondition,
    ValueChainProject,
)
from funding.project_status import status_errors
from funding.selectors.projects import projects_in_scope

MAX_AREA = Decimal("99999999.99")


@dataclass(frozen=True)
class ProjectInput:
    """A project as entered: amounts in VND (``support_approved`` None until decided),
    ``area_ha`` in hectares, ``volume_tonnes`` a year."""

    name: str
    partner_name: str
    partner_kind: str
    product: str
    links_production: bool
    links_processing: bool
    links_consumption: bool
    support_requested: Decimal
    status: str = ProjectStatus.PROPOSED
    support_approved: Decimal | None = None
    area_ha: Decimal | None = None
    volume_tonnes: Decimal | None = None
    submission: str = ""
    note: str = ""
    communes: tuple[AdministrativeUnit, ...] = ()


def _open_conditions(project: ValueChainProject | None) -> list[str]:
    """Texts of the active conditions ``project`` has not met (not checked, or not met)."""
    met = set()
    if project is not None:
        met = set(
            ConditionCheck.objects.filter(project=project, outcome=CheckOutcome.MET).values_list(
                "condition_id", flat=True
            )
        )
    return [
        condition.text
        for condition in SupportCondition.objects.filter(is_active=True).order_by("position", "code")
        if condition.pk not in met
    ]


def _validate_project(user, data: ProjectInput, *, project: ValueChainProject | None = None) -> None:
    errors = {}
    for name, label in (
        ("name", _("Name")),
        ("partner_name", _("Lead enterprise or cooperative")),
        ("product", _("Product")),
    ):
        if not (getattr(data, name) or "").strip():
            errors[name] = _("%(label)s: required.") % {"label": label}
    if data.partner_kind not in PartnerKind.values:
        errors["partner_kind"] = _("Kind of lead: choose one.")
    if data.status not in ProjectStatus.values:
        errors["status"] = _("Status: choose one.")
    if not (data.links_production or data.links_processing or data.links_consumption):
        errors["links_production"] = _(
            "Linkage: tick at least one of production, processing, consumption (a value-chain project links them)."
        )
    for name, label, maximum in (
        ("support_requested", _("Support asked (VND)"), MAX_VND),
        ("support_approved", _("Support approved (VND)"), MAX_VND),
    ):
        value = getattr(data, name)
        if value is None:
            if name == "support_requested":
                errors[name] = _("%(label)s: enter an amount in dong.") % {"label": label}
            continue
        if value < 0 or decimal_places(value) > 0 or value > maximum:
            errors[name] = _("%(label)s: a whole number of dong, from 0.") % {"label": label}
    if (
        "support_requested" not in errors
        and "support_approved" not in errors
        and data.support_approved is not None
        and data.support_approved > data.support_requested
    ):
        errors["support_approved"] = _("Support approved (VND): cannot be more than the support asked.")
    if data.status == ProjectStatus.APPROVED and data.support_approved is None:
        errors["support_approved"] = _("Support approved (VND): enter it to approve the project.")
    for name, label, maximum in (
        ("area_ha", _("Area (ha)"), MAX_AREA),
        ("volume_tonnes", _("Volume (tonnes a year)"), MAX_TONNES),
    ):
        value = getattr(data, name)
        if value is not None and (
            value < 0 or value > maximum or decimal_places(value) > (2 if name == "area_ha" else 3)
        ):
            errors[name] = _("%(label)s: a number from 0.") % {"label": label}
    changeable = unit_scope(user, for_change=True)
    outside = [c for c in data.communes if not changeable.filter(pk=c.pk).exists()]
    if outside:
        raise OutOfScope
    not_communes = [c for c in data.communes if c.level != UnitLevel.COMMUNE]
    if not_communes:
        errors["communes"] = _("Communes: %(units)s are not communes.") % {
            "units": ", ".join(c.name for c in not_communes)
        }
    if "status" not in errors:
        for key, message in status_errors(
            previous=project.status if project is not None else None,
            status=data.status,
            support_approved=data.support_approved,
            open_conditions=_open_conditions(project) if data.status == ProjectStatus.APPROVED else [],
        ).items():
            errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors)


def _fill(project: ValueChainProject, data: ProjectInput) -> None:
    for name in (
        "partner_kind",
        "links_production",
        "links_processing",
        "links_consumption",
        "support_requested",
        "support_approved",
        "area_ha",
        "volume_tonnes",
        "status",
    ):
        setattr(project, name, getattr(data, name))
    for name in ("name", "partner_name", "product", "submission", "note"):
        setattr(project, name, (getattr(data, name) or "").strip())


def _check_project_scope(user, project: ValueChainProject) -> None:
    """:class:`~core.exceptions.OutOfScope` (404) unless ``project`` lies in the user's
    change scope (:func:`funding.selectors.projects.projects_in_scope`: a commune of it
    in the scope, or no commune yet and a scope that holds the province)."""
    if not projects_in_scope(visible=unit_scope(user, for_change=True)).filter(pk=project.pk).exists():
        raise OutOfScope


@transaction.atomic
def project_create(*, user, data: ProjectInput, is_demo: bool = False) -> ValueChainProject:
    """Record a value-chain project (``funding.add_valuechainproject``: coordinators).
    ValidationError keyed by field (see :class:`ProjectInput`): a name, lead and product
    are required, at least one linkage, support approved never above support asked and
    required to approve; :class:`~core.exceptions.OutOfScope` for a commune outside the
    change scope."""
    require_permission(user, "funding.add_valuechainproject", message=READ_ONLY_MESSAGE)
    _validate_project(user, data)
    project = ValueChainProject(created_by=user, is_demo=is_demo)
    _fill(project, data)
    project._history_user = user
    project.save()
    project.communes.set(data.communes)
    return project


@transaction.atomic
def project_update(*, user, project: ValueChainProject, data: ProjectInput) -> ValueChainProject:
    """Change a project (``funding.change_valuechainproject``); validated as
    :func:`project_create`, and its status moves only as :mod:`funding.project_status`
    allows (approval needs every active condition met). :class:`~core.exceptions.OutOfScope`
    for a project outside the user's change scope."""
    require_permission(user, "funding.change_valuechainproject", message=READ_ONLY_MESSAGE)
    _check_project_scope(user, project)
    project = ValueChainProject.objects.select_for_update().get(pk=project.pk)
    _validate_project(user, data, project=project)
    _fill(project, data)
    project._history_user = user
    project.save()
    if {c.pk for c in project.communes.all()} != {c.pk for c in data.communes}:
        project.communes.set(data.communes)
    return project


@transaction.atomic
def condition_check_set(
    *, user, project: ValueChainProject, condition: SupportCondition, outcome: str, note: str = ""
) -> ConditionCheck:
    """Record that ``project`` meets (or does not meet) ``condition``, checked by
    ``user`` now (``funding.change_valuechainproject``: coordinators). A second check of
    the same condition replaces the first; the history keeps both. ValidationError on
    "outcome" (not met / met), "note" (required when not met: say why), "condition"
    (inactive); :class:`~core.exceptions.OutOfScope` for a project outside the user's
    change scope."""
    require_permission(user, "funding.change_valuechainproject", message=READ_ONLY_MESSAGE)
    _check_project_scope(user, project)
    if outcome not in CheckOutcome.values:
        raise ValidationError({"outcome": _("Outcome: choose met or not met.")})
    note = (note or "").strip()
    if outcome == CheckOutcome.NOT_MET and not note:
        raise ValidationError({"note": _("Note: say why the condition is not met.")})
    if not condition.is_active:
        raise ValidationError({"condition": _("This condition is no longer used.")})
    check = ConditionCheck.objects.select_for_update().filter(
        project=project, condition=condition
    ).first() or ConditionCheck(project=project, condition=condition)
    check.outcome = outcome
    check.note = note
    check.checked_by = user
    check.checked_at = timezone.now()
    check._history_user = user
    check.save()
    return check


@dataclass(frozen=True)
class OcopInput:
    """An OCOP product as entered."""

    name: str
    producer_name: str
    producer_kind: str
    commune: AdministrativeUnit
    stars: int
    rating_decision: str
    rating_year: int
    group: str = ""
    project: ValueChainProject | None = None


@transaction.atomic
def ocop_product_create(*, user, data: OcopInput, is_demo: bool = False) -> OcopProduct:
    """Record an OCOP product of ``data.commune`` (``funding.add_ocopproduct``, in the
    change scope: 404 outside, 403 for a read-only role). ValidationError keyed by
    field: 3 to 5 stars, a rating year from 2018 (the OCOP programme, QĐ 490/QĐ-TTg)
    up to this year, a commune-level unit, the rating decision."""
    require_unit(user, data.commune, permission="funding.add_ocopproduct")
    errors = {}
    for name, label in (
        ("name", _("Product")),
        ("producer_name", _("Producer")),
        ("rating_decision", _("Rating decision")),
    ):
        if not (getattr(data, name) or "").strip():
            errors[name] = _("%(label)s: required.") % {"label": label}
    if data.producer_kind not in PartnerKind.values:
        errors["producer_kind"] = _("Kind of producer: choose one.")
    if data.group and data.group not in OcopGroup.values:
        errors["group"] = _("Product group: choose one.")
    if data.stars not in (3, 4, 5):
        errors["stars"] = _("Stars: from 3 to 5.")
    this_year = timezone.localdate().year
    if not isinstance(data.rating_year, int) or not 2018 <= data.rating_year <= this_year:
        errors["rating_year"] = _("Rating year: from 2018 to %(year)s.") % {"year": this_year}
    if data.commune.level != UnitLevel.COMMUNE or data.commune.kind not in (
        UnitKind.COMMUNE,
        UnitKind.WARD,
        UnitKind.TOWNSHIP,
    ):
        errors["commune"] = _("Commune: choose a commune, ward or township.")
    if errors:
        raise ValidationError(errors)
    product = OcopProduct(
        name=data.name.strip(),
        group=data.group,
        producer_name=data.producer_name.strip(),
        producer_kind=data.producer_kind,
        commune=data.commune,
        stars=data.stars,
        rating_decision=data.rating_decision.strip(),
        rating_year=data.rating_year,
        project=data.project,
        created_by=user,
        is_demo=is_demo,
    )
    product._history_user = user
    product.save()
    return product


def may_vet(user) -> bool:
    """Whether ``user`` records and vets value-chain projects (coordinators)."""
    return user.has_perm("funding.change_valuechainproject")
