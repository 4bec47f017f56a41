"""Template filters for recurring tasks ("báo cáo định kỳ hằng quý"): the period an
assignment's deadline is for, in the current language.

``{% load directive_periods %}``, then ``{% with period=row|current_period %}``: a
:class:`directives.recurrence.CurrentPeriod` (``text`` "Kỳ quý III/2020 · hạn
15/09/2020", ``missed_text`` "còn thiếu 2 kỳ", ``recurrence`` "Hằng quý, hạn ngày 15
của tháng cuối kỳ") for an open recurring assignment with a deadline, else None; and
``{{ task|recurrence_text }}``.
"""

from django import template
from django.utils import timezone

from directives import recurrence

register = template.Library()


@register.filter
def current_period(assignment) -> recurrence.CurrentPeriod | None:
    """The current period of ``assignment`` (an ``Assignment`` read with its task)
    today (local date); None if its task does not recur, it is done or has no deadline."""
    task = assignment.task
    if not task.recurrence or assignment.completed_on is not None or assignment.deadline is None:
        return None
    return recurrence.current_period(
        task.recurrence, task.recurrence_day, assignment.deadline, timezone.localdate()
    )


@register.filter
def recurrence_text(task) -> str:
    """ "Hằng quý, hạn ngày 15 của tháng cuối kỳ" for a recurring ``task``; "" otherwise."""
    if not task.recurrence:
        return ""
    return recurrence.recurrence_text(task.recurrence, task.recurrence_day)
