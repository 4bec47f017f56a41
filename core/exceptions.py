"""The one scope error of the portal, and the message of a read-only refusal."""

from django.http import Http404
from django.utils.translation import gettext_lazy


class OutOfScope(Http404):
    """What was asked for lies outside what the acting user may see or change: a unit
    outside their agency's subtree, an assessment of such a unit, another agency's
    assignment. Answered as 404, never 403, so that a user cannot even learn that it
    exists (``ARCHITECTURE.md``: "404 for what lies outside the scope")."""


# The 403 message of a role that may read something but not change it (a leader, an API
# client, a department officer on a district's cement use).
READ_ONLY_MESSAGE = gettext_lazy("Your role can read this but not change it.")

# The 403 message of a role that may not do this at all (a district officer allocating
# cement, a commune officer approving): not a read-only refusal, the role lacks the step.
ROLE_REFUSED_MESSAGE = gettext_lazy("Your role may not do this.")
