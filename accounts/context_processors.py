"""Template context of the signed-in user, shared by every page."""

from accounts.roles import RolePermissions, is_coordinator


def portal(request):
    """``unread_notifications``: a lazy count for the navigation bar (one query, if shown);
    ``can``: the user's role permissions for menus (``can.funding.add_cementuse``), read
    from the roles cached on the user instead of ``perms`` (two queries per page);
    ``may_issue_tokens``: whether the menu links the API keys (coordinators; lazy)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "can": {}, "may_issue_tokens": False}
    return {
        "unread_notifications": lambda: user.notifications.filter(read_at__isnull=True).count(),
        "can": RolePermissions(user),
        "may_issue_tokens": lambda: is_coordinator(user),
    }
