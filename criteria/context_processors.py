"""Template context of the criteria app shared by every page (the menu)."""

from criteria.services.assessments import starts_assessments


def reporting(request):
    """``may_report``: whether the user's role sends criteria reports (lazy, for the menu)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"may_report": False}
    return {"may_report": lambda: starts_assessments(user)}
