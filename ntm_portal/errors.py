"""Error pages that Django would otherwise show in English."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """The form expired or came from elsewhere (CSRF check failed): 403, in the user's
    language, with what to do."""
    return render(request, "403_csrf.html", status=403)
