"""URLs of the directives app's pages, mounted at /directives/ (its REST API is mounted
by :mod:`ntm_portal.api_urls`)."""

from django.urls import path

from directives.views import assignments, directives, drafts, editing

urlpatterns = [
    path("", directives.directive_list_view, name="directive-list"),
    path("new/", drafts.draft_new, name="directive-new"),
    path("drafts/<int:pk>/", drafts.draft_detail, name="directive-draft"),
    path("drafts/<int:pk>/fields/", drafts.draft_fields, name="directive-draft-fields"),
    path("drafts/<int:pk>/tasks/add/", drafts.draft_task_add, name="directive-draft-task-add"),
    path("drafts/<int:pk>/tasks/<int:number>/", drafts.draft_task_edit, name="directive-draft-task"),
    path(
        "drafts/<int:pk>/tasks/<int:number>/split/",
        drafts.draft_task_split,
        name="directive-draft-task-split",
    ),
    path(
        "drafts/<int:pk>/tasks/<int:number>/merge/",
        drafts.draft_task_merge,
        name="directive-draft-task-merge",
    ),
    path(
        "drafts/<int:pk>/tasks/<int:number>/delete/",
        drafts.draft_task_delete,
        name="directive-draft-task-delete",
    ),
    path("drafts/<int:pk>/bulk/", drafts.draft_bulk, name="directive-draft-bulk"),
    path("drafts/<int:pk>/confirm/", drafts.draft_confirm, name="directive-draft-confirm"),
    path("drafts/<int:pk>/delete/", drafts.draft_delete, name="directive-draft-delete"),
    path("<int:pk>/", directives.directive_detail_view, name="directive-detail"),
    path("<int:pk>/attachments/", directives.directive_attachment_add, name="directive-attachment-add"),
    path("attachments/<int:pk>/", directives.directive_attachment, name="directive-attachment"),
    path("<int:pk>/edit/", editing.directive_edit, name="directive-edit"),
    path("<int:pk>/history/", editing.directive_history_view, name="directive-history"),
    path("tasks/<int:pk>/edit/", editing.task_edit, name="directive-task-edit"),
    path("tasks/<int:pk>/add-after/", editing.task_add_view, name="directive-task-add"),
    path("tasks/<int:pk>/delete/", editing.task_delete_view, name="directive-task-delete"),
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
