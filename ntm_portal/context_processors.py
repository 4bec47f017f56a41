"""Template context shared by every page."""

from django.conf import settings


def portal(request):
    """``demo_mode``: the banner that says the data shown is illustrative demo data;
    ``unread_notifications``: a lazy count for the navigation bar (one query, if shown);
    ``may_report``: whether the user's role sends criteria reports (lazy); ``can``: the
    user's role permissions for menus (``can.funding.add_cementuse``), read from the
    roles cached on the user instead of ``perms`` (two queries per page)."""
    from accounts.roles import RolePermissions
    from criteria.services import starts_assessments

    user = getattr(request, "user", None)
    unread = (
        (lambda: user.notifications.filter(read_at__isnull=True).count())
        if user is not None and user.is_authenticated
        else 0
    )
    authenticated = user is not None and user.is_authenticated
    return {
        "demo_mode": settings.DEMO_DATA,
        "unread_notifications": unread,
        "may_report": (lambda: starts_assessments(user)) if authenticated else False,
        "can": RolePermissions(user) if authenticated else {},
    }
