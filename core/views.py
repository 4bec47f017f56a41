"""Pages that belong to no app: the health check, the favicon, the CSRF failure page."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection


@never_cache
@require_GET
def healthz(request):
    """JSON health of the portal: ``{"status": "ok"|"degraded", "database": ...,
    "broker": ...}``. 200 when the database answers, 503 when it does not. The broker is
    ``"eager"`` when Celery runs in-process (no broker configured)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # any driver error means the database is unreachable
        checks["database"] = f"error: {type(error).__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.CELERY_BROKER_URL:
        checks["broker"] = "eager"
    else:
        checks["broker"] = _broker_status()
    healthy = checks["database"] == "ok" and checks["broker"] in ("ok", "eager")
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks, "time": timezone.now().isoformat()},
        status=status,
    )


def _broker_status() -> str:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:  # kombu raises several unrelated types for "unreachable"
        return f"error: {type(error).__name__}"


def favicon(request):
    """Browsers ask for /favicon.ico on every page (the admin, JSON): send them to ours.
    Resolved per request, so production's hashed static name is used."""
    return redirect(static("img/favicon.svg"), permanent=True)


def csrf_failure(request, reason=""):
    """The form expired or came from elsewhere (CSRF check failed): 403, in the user's
    language, with what to do."""
    return render(request, "403_csrf.html", status=403)
