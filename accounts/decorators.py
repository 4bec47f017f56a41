"""How a view says who may call it, in one vocabulary with the services' checks.

Put under ``@login_required`` (an anonymous visitor is sent to the login page first)
and the HTTP-method decorator (a wrong method is 405 whoever calls it):

    @login_required
    @require_http_methods(["GET", "POST"])
    @coordinator_required
    def set_copy(request, code): ...

A caller who lacks the role or permission gets 403. What lies outside the user's scope
is not checked here but where the object is found (``communes.scope.get_unit_or_404``,
the apps' scoped selectors) and again in the service that writes: 404.
"""

from functools import wraps

from accounts.roles import Role, require_permission, require_role


def role_required(*roles: Role, message: str | None = None):
    """The view answers 403 (with ``message``) unless the user holds one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_role(request.user, *roles, message=message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def coordinator_required(view):
    """The view answers 403 unless the user is a provincial coordinator."""
    return role_required(Role.COORDINATOR)(view)


def permission_required(permission: str):
    """The view answers 403 unless the user holds ``permission`` ("app.codename")."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_permission(request.user, permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
