"""The one scope error of the portal."""

from django.http import Http404


class OutOfScope(Http404):
    """What was asked for lies outside what the acting user may see or change: a unit
    outside their agency's subtree, an assessment of such a unit, another agency's
    assignment. Answered as 404, never 403, so that a user cannot even learn that it
    exists (``ARCHITECTURE.md``: "404 for what lies outside the scope")."""
