"""URLs of the directives app: the pages (``urlpatterns``, mounted at /directives/) and
the REST API (``api_urlpatterns``, mounted at /api/v1/directives/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from directives import api
from directives.views import assignments, directives

urlpatterns = [
    path("", directives.directive_list_view, name="directive-list"),
    path("new/", directives.directive_new, name="directive-new"),
    path("<int:pk>/", directives.directive_detail_view, name="directive-detail"),
    path("<int:pk>/attachments/", directives.directive_attachment_add, name="directive-attachment-add"),
    path("attachments/<int:pk>/", directives.directive_attachment, name="directive-attachment"),
    path("my-tasks/", assignments.my_tasks, name="directive-my-tasks"),
    path("board/", assignments.board, name="directive-board"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="directive-assignment"),
    path("assignments/<int:pk>/progress/", assignments.assignment_progress, name="directive-progress"),
    path("assignments/<int:pk>/done/", assignments.assignment_done, name="directive-done"),
    path("assignments/<int:pk>/reopen/", assignments.assignment_reopen_view, name="directive-reopen"),
    path("assignments/<int:pk>/extension/", assignments.assignment_extension, name="directive-extension"),
    path(
        "extensions/<int:pk>/decide/",
        assignments.extension_decide_view,
        name="directive-extension-decide",
    ),
    path("reports/<int:pk>/file/", assignments.report_file, name="directive-report-file"),
]

router = SimpleRouter()
router.register("", api.DirectiveViewSet, basename="directive-api")

api_urlpatterns = [path("parse/", api.parse_view, name="directive-api-parse"), *router.urls]
