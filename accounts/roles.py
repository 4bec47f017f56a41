"""Roles (vai trò) as Django groups, and the permissions each holds.

The group names are the role keys below; what a person reads is the role's label.
:func:`sync_role_groups` runs after every ``migrate`` and makes each group hold exactly
the permissions listed here, so the table in this module is the one place to change.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "provincial_coordinator", _("Provincial coordinator")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    # Cán bộ xã: the People's Committee of one commune of the structure in force since
    # 01/07/2025 (no district level any more); scope = that commune.
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    LEADER = "leader", _("Leader")
    API_CLIENT = "api_client", _("API client")


# Roles that may change data inside their scope; the others only read.
CHANGING_ROLES = frozenset(
    {Role.COORDINATOR, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER, Role.DEPARTMENT_OFFICER}
)

_READ_REFERENCE = [
    "communes.view_administrativeunit",
    "communes.view_unitsuccession",
    "accounts.view_agency",
]

# "app_label.codename" per role. Later apps add their permissions here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COORDINATOR: _READ_REFERENCE
    + [
        "communes.add_administrativeunit",
        "communes.change_administrativeunit",
        "communes.add_unitsuccession",
        "communes.change_unitsuccession",
        "accounts.add_agency",
        "accounts.change_agency",
        "accounts.view_agencysuccession",
        "accounts.add_agencysuccession",
        "accounts.change_agencysuccession",
        # The criteria catalogue and the reporting calendar (hạn nộp, khóa sổ) in the admin.
        *(
            f"criteria.{action}_{model}"
            for model in (
                "criteriaset",
                "criterion",
                "indicator",
                "communegroup",
                "indicatorgrouptarget",
                "reportingperiod",
                "recognition",
                "programmetarget",
            )
            for action in ("view", "add", "change")
        ),
        "criteria.view_assessment",
    ],
    Role.DISTRICT_OFFICER: _READ_REFERENCE + ["communes.add_administrativeunit"],
    Role.COMMUNE_OFFICER: _READ_REFERENCE + ["communes.add_administrativeunit"],
    Role.DEPARTMENT_OFFICER: list(_READ_REFERENCE),
    Role.LEADER: list(_READ_REFERENCE),
    Role.API_CLIENT: list(_READ_REFERENCE),
}

# Directives (issue 5): every role reads directives and their tasks; district, commune
# and department officers report on their own agency's assignments; coordinators also write
# directives, decide extensions and edit the reminder policy (admin).
_READ_DIRECTIVES = [
    "directives.view_directive",
    "directives.view_task",
    "directives.view_assignment",
    "directives.view_progressreport",
]
_REPORT_ON_TASKS = ["directives.add_progressreport", "directives.add_extensionrequest"]
ROLE_PERMISSIONS[Role.COORDINATOR] += [
    *_READ_DIRECTIVES,
    *_REPORT_ON_TASKS,
    "directives.add_directive",
    "directives.change_directive",
    "directives.change_extensionrequest",
    "directives.view_reminderpolicy",
    "directives.change_reminderpolicy",
    "directives.view_reminderdigest",
    "directives.view_reminderledger",
    "directives.view_reminderrun",
]
ROLE_PERMISSIONS[Role.DISTRICT_OFFICER] += [*_READ_DIRECTIVES, *_REPORT_ON_TASKS]
ROLE_PERMISSIONS[Role.COMMUNE_OFFICER] += [*_READ_DIRECTIVES, *_REPORT_ON_TASKS]
ROLE_PERMISSIONS[Role.DEPARTMENT_OFFICER] += [*_READ_DIRECTIVES, *_REPORT_ON_TASKS]
ROLE_PERMISSIONS[Role.LEADER] += list(_READ_DIRECTIVES)
ROLE_PERMISSIONS[Role.API_CLIENT] += list(_READ_DIRECTIVES)

# Cement and funds (issue 6): every role reads allocations, use, disbursements, projects
# and OCOP products inside its scope; district (and commune) officers report cement use,
# deliveries, disbursements and OCOP products for their district (commune); coordinators also allocate
# (batches, the approved reserve, fund allocations), set the expected disbursement
# rates, keep the communes registered to reach the standard, the roads still to harden,
# the fund sources and the QĐ 4781 conditions (admin), and vet value-chain projects.
_FUNDING_MODELS = (
    "cementbatch",
    "cementallocation",
    "cementdelivery",
    "cementuse",
    "standardtarget",
    "roadbacklog",
    "fundsource",
    "fundallocation",
    "disbursement",
    "disbursementmilestone",
    "supportcondition",
    "valuechainproject",
    "conditioncheck",
    "ocopproduct",
)
_READ_FUNDING = [f"funding.view_{model}" for model in _FUNDING_MODELS]
_REPORT_FUNDING = [
    "funding.add_cementuse",
    "funding.add_cementdelivery",
    "funding.add_disbursement",
    "funding.add_ocopproduct",
]
ROLE_PERMISSIONS[Role.COORDINATOR] += [
    f"funding.{action}_{model}" for model in _FUNDING_MODELS for action in ("view", "add", "change")
]
ROLE_PERMISSIONS[Role.DISTRICT_OFFICER] += [*_READ_FUNDING, *_REPORT_FUNDING]
ROLE_PERMISSIONS[Role.COMMUNE_OFFICER] += [*_READ_FUNDING, *_REPORT_FUNDING]
ROLE_PERMISSIONS[Role.DEPARTMENT_OFFICER] += list(_READ_FUNDING)
ROLE_PERMISSIONS[Role.LEADER] += list(_READ_FUNDING)
ROLE_PERMISSIONS[Role.API_CLIENT] += list(_READ_FUNDING)


def user_roles(user) -> frozenset[Role]:
    """The roles of ``user`` (empty for an anonymous user; a superuser is also a
    coordinator); cached on the user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_ntm_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(
            role for role in Role if role.value in names or (user.is_superuser and role == Role.COORDINATOR)
        )
        user._ntm_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    """True when ``user`` holds one of ``roles`` (a superuser holds the coordinator's)."""
    return bool(user_roles(user) & set(roles))


def is_coordinator(user) -> bool:
    """True when ``user`` holds the provincial coordinator role (a superuser does): the
    role that keeps the catalogue, records recognitions and approves assessments."""
    return has_role(user, Role.COORDINATOR)


def require_role(user, *roles: Role, message: str | None = None) -> None:
    """Raise ``PermissionDenied`` (403, with ``message`` when given) unless ``user``
    holds one of ``roles``: what a service or view checks when a rule names roles
    ("coordinators only") rather than a permission."""
    if not has_role(user, *roles):
        raise PermissionDenied(message) if message else PermissionDenied


def require_permission(user, permission: str, *, message: str | None = None) -> None:
    """Raise ``PermissionDenied`` (403, with ``message`` when given) unless ``user``
    holds ``permission`` ("app.codename", Django's ``has_perm``)."""
    if not user.has_perm(permission):
        raise PermissionDenied(message) if message else PermissionDenied


def sync_role_groups(**_kwargs) -> None:
    """Create each role's group and give it exactly the permissions of
    :data:`ROLE_PERMISSIONS`. Permissions not created yet (an app not migrated yet) are
    skipped; they are added on the next run, which every ``migrate`` triggers."""
    available = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = {available[name] for name in names if name in available}
        if set(group.permissions.values_list("pk", flat=True)) != wanted:
            group.permissions.set(wanted)


def role_grants(user, permission: str) -> bool:
    """Whether one of ``user``'s roles holds ``permission`` ("app.codename") in
    :data:`ROLE_PERMISSIONS`: the same answer as ``user.has_perm`` for role permissions,
    from the roles cached on the user (no query after the first), for menus shown on
    every page. A superuser holds every permission."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(permission in ROLE_PERMISSIONS[role] for role in user_roles(user))


class RolePermissions:
    """``can.funding.add_cementuse`` in a template: :func:`role_grants` for the user."""

    def __init__(self, user, app: str | None = None):
        self.user, self.app = user, app

    def __getitem__(self, name: str):
        if self.app is None:
            return RolePermissions(self.user, name)
        return role_grants(self.user, f"{self.app}.{name}")
