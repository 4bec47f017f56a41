"""Roles (vai trò) as Django groups, and the permissions each holds.

The group names are the role keys below; what a person reads is the role's label.
:func:`sync_role_groups` runs after every ``migrate`` and makes each group hold exactly
the permissions listed here, so the table in this module is the one place to change.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "provincial_coordinator", _("Provincial coordinator")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    LEADER = "leader", _("Leader")
    API_CLIENT = "api_client", _("API client")


# Roles that may change data inside their scope; the others only read.
CHANGING_ROLES = frozenset({Role.COORDINATOR, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER})

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
            )
            for action in ("view", "add", "change")
        ),
        "criteria.view_assessment",
    ],
    Role.DISTRICT_OFFICER: _READ_REFERENCE + ["communes.add_administrativeunit"],
    Role.DEPARTMENT_OFFICER: list(_READ_REFERENCE),
    Role.LEADER: list(_READ_REFERENCE),
    Role.API_CLIENT: list(_READ_REFERENCE),
}


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


def is_coordinator(user) -> bool:
    """True when ``user`` holds the provincial coordinator role (a superuser does): the
    role that keeps the catalogue, records recognitions and approves assessments."""
    return Role.COORDINATOR in user_roles(user)


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
