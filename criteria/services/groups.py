"""Writes of the commune groups (nhóm xã) of a period: which group each commune is in.

QĐ 51/2025/QĐ-TTg sets the thresholds of its indicators for three groups of communes; the
province decides which group each of its communes is in, and may decide again for a
later period. The group of a commune for a period decides the targets its assessment of
that period is judged by (:func:`criteria.services.assessments.indicator_target`: the
group's target where the indicator has one, else the indicator's own target).

The function is keyword-only, runs in one transaction and takes the acting ``user``:
only a provincial coordinator assigns groups (``PermissionDenied``, 403), and only to the
communes of their scope (:class:`~core.exceptions.OutOfScope`, 404). Every change is in
the history (simple_history) with the acting user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role, require_role
from accounts.scope import unit_scope
from core.exceptions import OutOfScope
from core.history import changes_save
from criteria.models import (
    Assessment,
    AssessmentStatus,
    CommuneGroupAssignment,
    CriteriaSet,
    ReportingPeriod,
)
from criteria.selectors.groups import communes_in_force_during, set_in_force_during
from criteria.services.assessments import recompute


@dataclass(frozen=True)
class AssignmentResult:
    """What a save changed: assignments ``created``, ``changed`` (another group) and
    ``cleared``, and the open assessments of the period ``reevaluated`` by the new
    group's targets."""

    created: int = 0
    changed: int = 0
    cleared: int = 0
    reevaluated: int = 0

    @property
    def total(self) -> int:
        return self.created + self.changed + self.cleared


@transaction.atomic
def commune_groups_assign(
    *, user, criteria_set: CriteriaSet, period: ReportingPeriod, groups: Mapping[int, int | None]
) -> AssignmentResult:
    """Put each commune of ``groups`` (a commune's id -> the id of a commune group of
    ``criteria_set``, or None for no group) in that group for ``period``. Communes not in
    ``groups`` are left as they are. Writes only what differs from what is stored.

    The open assessments (draft, submitted, returned) of a commune whose group changed,
    for ``period`` under ``criteria_set``, take the new group and are judged again by its
    targets. An approved assessment is locked, so the group of its commune cannot change
    until a coordinator reopens it.

    Raises PermissionDenied unless ``user`` is a provincial coordinator; OutOfScope for
    a commune outside the user's scope; ValidationError on "criteria_set" (a set without
    commune groups), on "period" (the set is not in force during it), and keyed
    "commune-<id>" naming the commune: not a xã in force during the period, a group that
    is not one of the set's, an approved assessment. Nothing is saved when any commune
    is refused.
    """
    require_role(user, Role.COORDINATOR)
    set_groups = {group.pk: group for group in criteria_set.commune_groups.all()}
    if not set_groups:
        raise ValidationError({"criteria_set": _("%(set)s has no commune groups.") % {"set": criteria_set}})
    if not set_in_force_during(criteria_set, period):
        raise ValidationError(
            {
                "period": _("%(set)s is not in force during %(period)s.")
                % {"set": criteria_set, "period": period}
            }
        )
    visible = {unit.pk: unit for unit in unit_scope(user).filter(pk__in=list(groups))}
    if len(visible) < len(set(groups)):
        raise OutOfScope
    in_force = set(communes_in_force_during(period).filter(pk__in=list(groups)).values_list("pk", flat=True))
    stored = {
        row.commune_id: row
        for row in CommuneGroupAssignment.objects.select_for_update().filter(
            period=period, criteria_set=criteria_set, commune_id__in=list(groups)
        )
    }
    approved = set(
        Assessment.objects.filter(
            period=period,
            criteria_set=criteria_set,
            commune_id__in=list(groups),
            status=AssessmentStatus.APPROVED,
        ).values_list("commune_id", flat=True)
    )
    names = ", ".join(group.name for group in sorted(set_groups.values(), key=lambda group: group.code))
    errors = {}
    wanted = {}
    for commune_id, group_id in groups.items():
        commune = visible[commune_id]
        current = stored[commune_id].commune_group_id if commune_id in stored else None
        if group_id == current:
            continue
        if commune_id not in in_force:
            errors[f"commune-{commune_id}"] = _(
                "%(commune)s: only a rural commune (xã) in force during the period is given a group."
            ) % {"commune": commune.name}
        elif group_id is not None and group_id not in set_groups:
            errors[f"commune-{commune_id}"] = _(
                "%(commune)s: choose one of the groups of the set (%(groups)s)."
            ) % {
                "commune": commune.name,
                "groups": names,
            }
        elif commune_id in approved:
            errors[f"commune-{commune_id}"] = _(
                "%(commune)s: its assessment for this period is approved, so its group cannot change. "
                "Reopen the assessment first."
            ) % {"commune": commune.name}
        else:
            wanted[commune_id] = group_id
    if errors:
        raise ValidationError(errors)

    created, changed, cleared = [], [], []
    for commune_id, group_id in wanted.items():
        row = stored.get(commune_id)
        if group_id is None:
            cleared.append(row)
        elif row is None:
            created.append(
                CommuneGroupAssignment(
                    commune_id=commune_id, period=period, criteria_set=criteria_set, commune_group_id=group_id
                )
            )
        else:
            row.commune_group_id = group_id
            changed.append(row)
    changes_save(
        CommuneGroupAssignment,
        created=created,
        changed=changed,
        fields=["commune_group"],
        deleted=cleared,
        user=user,
    )
    reevaluated = _reevaluate(user, criteria_set, period, wanted)
    return AssignmentResult(
        created=len(created), changed=len(changed), cleared=len(cleared), reevaluated=reevaluated
    )


def _reevaluate(
    user, criteria_set: CriteriaSet, period: ReportingPeriod, wanted: dict[int, int | None]
) -> int:
    """Give the open assessments of the communes in ``wanted`` their new group and judge
    them again by its targets (one more version each, in the history)."""
    assessments = (
        Assessment.objects.select_for_update()
        .filter(period=period, criteria_set=criteria_set, commune_id__in=list(wanted))
        .exclude(status=AssessmentStatus.APPROVED)
    )
    count = 0
    for assessment in assessments:
        assessment.commune_group_id = wanted[assessment.commune_id]
        recompute(assessment, user=user)
        assessment.version += 1
        assessment._history_user = user
        assessment.save(
            update_fields=[
                "commune_group",
                "criteria_met",
                "criteria_total",
                "meets_standard",
                "version",
                "updated_at",
            ]
        )
        count += 1
    return count
