"""The timeliness scoreboard (bảng xếp hạng tính kịp thời) of a year, for the year-end
emulation ranking (thi đua): the agencies ranked by their lead tasks done on time, the
reporting units by their assessments submitted by the deadline; as a page (printable on
A4) and as a workbook.

Everyone logged in reads it inside their scope: the assignments they may see
(:func:`directives.selectors.assignments.assignment_scope`: the whole province for
coordinators and leaders, their own agencies' for the others) and the units they may
see (:func:`accounts.scope.unit_scope`: a district officer their district). ``?year=``
is optional; a bad one is named in a notice and the default shown: the latest year, up
to this one, with a lead task or a reporting period due in it, else this year.
"""

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.roles import Role, has_role
from accounts.scope import unit_scope
from core.downloads import XLSX, attachment
from core.formatting import date_text
from core.forms import query_notices
from criteria.selectors.timeliness import submission_timeliness, submission_years
from dashboards.exports.scoreboard import (
    agency_rule_text,
    cutoff_text,
    scoreboard_filename,
    scoreboard_workbook,
    unit_rule_text,
)
from directives.selectors.assignments import acting_agency_ids, assignment_scope
from directives.selectors.timeliness import agency_timeliness, timeliness_years

FIRST_YEAR = 2000
LAST_YEAR = 2100
_YEAR = re.compile(r"^\d{4}$")


class ScoreboardYearForm(forms.Form):
    """``?year=YYYY``, optional; four digits from 2000 to 2100."""

    year = forms.CharField(label=gettext_lazy("Year"), required=False)

    def clean_year(self) -> int | None:
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        if not _YEAR.match(text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            raise forms.ValidationError(
                _("“%(value)s” is not a year from %(first)s to %(last)s.")
                % {"value": text, "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return int(text)


def _scope_name(user) -> str:
    """The name of the unit whose subtree the user reads ("Huyện Đại Từ")."""
    agency = getattr(user, "agency", None)
    if user.is_superuser or agency is None:
        return _("All administrative units")
    return agency.scope.name


def _selection(request):
    """(form, year, years with data, assignments, visible units, today) of the request."""
    today = timezone.localdate()
    assignments = assignment_scope(request.user)
    form = ScoreboardYearForm(request.GET)
    form.is_valid()
    years = sorted(
        {y for y in timeliness_years(assignments=assignments) + submission_years() if y <= today.year},
        reverse=True,
    )
    year = form.cleaned_data.get("year") or (years[0] if years else today.year)
    return form, year, years, assignments, unit_scope(request.user), today


def _agency_links(user, rows) -> list[tuple]:
    """Each agency row with the list behind its figures: the overdue board for who may
    open it (coordinators, leaders), else "my agency's tasks" for the agencies the user
    acts for, else none."""
    if has_role(user, Role.COORDINATOR, Role.LEADER):
        board = reverse("directive-board")
        return [(row, board) for row in rows]
    mine = acting_agency_ids(user)
    my_tasks = reverse("directive-my-tasks")
    return [(row, my_tasks if row.agency.pk in mine else None) for row in rows]


def _period_links(periods) -> list[dict]:
    """Each period counted with the assessment lists behind it (by period, by status)."""
    base = reverse("assessment-list")
    links = []
    for period in periods:
        by_status = {
            status: f"{base}?{urlencode({'period': period.code, 'status': status})}"
            for status in ("submitted", "approved", "returned", "draft")
        }
        links.append(
            {
                "period": period,
                "deadline": date_text(period.submission_deadline),
                "all": f"{base}?{urlencode({'period': period.code})}",
                **by_status,
            }
        )
    return links


@login_required
@require_GET
def scoreboard(request):
    """The scoreboard of ``?year=`` (default: the latest year with data) in the user's scope."""
    form, year, years, assignments, visible, today = _selection(request)
    agencies = agency_timeliness(assignments=assignments, year=year, today=today)
    units = submission_timeliness(visible=visible, year=year, today=today)
    context = {
        "form": form,
        "notices": query_notices(form),
        "year": year,
        "years": sorted({*years, year, today.year}, reverse=True),
        "today": today,
        "cutoff": cutoff_text(today),
        "agency_rows": _agency_links(request.user, agencies),
        "units": units,
        "periods": _period_links(units.periods),
        "agency_rule": agency_rule_text(),
        "unit_rule": unit_rule_text(),
        "scope_name": _scope_name(request.user),
        "xlsx": f"{reverse('dashboard-scoreboard-xlsx')}?{urlencode({'year': year})}",
    }
    return render(request, "dashboards/scoreboard.html", context)


@login_required
@require_GET
def scoreboard_xlsx(request):
    """The scoreboard of ``?year=`` as a workbook (.xlsx). A bad year sends the user back
    to the page with the same query string, where the notice names the field, rather
    than handing out another year's file than the one asked for (as the criteria
    exports do)."""
    form, year, _years, assignments, visible, today = _selection(request)
    if form.errors:
        return redirect(f"{reverse('dashboard-scoreboard')}?{request.GET.urlencode()}")
    data = scoreboard_workbook(
        year=year,
        agencies=agency_timeliness(assignments=assignments, year=year, today=today),
        units=submission_timeliness(visible=visible, year=year, today=today),
        scope_name=_scope_name(request.user),
        cutoff=today,
    )
    return attachment(data, filename=scoreboard_filename(year), content_type=XLSX)
