"""The signed-in user's own pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.services import notifications_mark_read


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The user's notifications, newest first; a POST marks them all read."""
    rows = request.user.notifications.all()
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("notifications")
    return render(request, "accounts/notifications.html", {"rows": rows[:200]})
