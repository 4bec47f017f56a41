"""Which commune group (nhóm xã) each commune belongs to, period by period.

QĐ 51/2025/QĐ-TTg gives each indicator of the 2026-2030 set its own threshold for three
groups of communes (group 1: peri-urban or little agriculture; group 3: area II/III
ethnic-minority and mountain communes; group 2: the others). Which group a commune is in
is decided by the province and may change from one period to the next, so it is stored
per (commune, period, criteria set) and kept in the history.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import AdministrativeUnit
from criteria.models.catalogue import CommuneGroup, CriteriaSet
from criteria.models.periods import ReportingPeriod


class CommuneGroupAssignmentQuerySet(models.QuerySet):
    def group_of(self, *, commune, period, criteria_set) -> CommuneGroup | None:
        """The group ``commune`` is in for ``period`` under ``criteria_set``, or None
        when a coordinator has not assigned one (the indicators' own targets apply)."""
        assignment = (
            self.filter(commune=commune, period=period, criteria_set=criteria_set)
            .select_related("commune_group")
            .first()
        )
        return assignment.commune_group if assignment else None


class CommuneGroupAssignment(models.Model):
    """Commune ``commune`` is in group ``commune_group`` for ``period``.

    ``criteria_set`` is the set of ``commune_group``, stored again so that the database
    holds one group per commune, period and set (the services keep the two equal).
    """

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="commune_group_assignments",
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="+"
    )
    commune_group = models.ForeignKey(
        CommuneGroup, verbose_name=_("commune group"), on_delete=models.PROTECT, related_name="assignments"
    )

    history = HistoricalRecords()
    objects = CommuneGroupAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune group of a commune")
        verbose_name_plural = _("commune groups of communes")
        ordering = ["period", "commune__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "period", "criteria_set"], name="commune_group_assignment_unique"
            )
        ]

    def __str__(self):
        return f"{self.commune} · {self.period}: {self.commune_group}"
