"""URLs of the criteria app, mounted at /criteria/."""

from django.urls import path

from criteria.views import assessments, catalogue, exports, groups, overview, reports, targets

urlpatterns = [
    # The catalogue: criteria sets, indicators and targets, commune groups, departments.
    path("sets/", catalogue.criteria_set_list, name="criteria-set-list"),
    path("sets/<slug:code>/", catalogue.criteria_set_detail, name="criteria-set-detail"),
    path("sets/<slug:code>/copy/", catalogue.criteria_set_copy_view, name="criteria-set-copy"),
    path("sets/<slug:code>/groups/", groups.commune_groups_view, name="criteria-set-groups"),
    path("indicators/<int:pk>/target/", catalogue.indicator_target, name="indicator-target"),
    path("indicators/<int:pk>/edit/", catalogue.indicator_edit_view, name="indicator-edit"),
    path("indicators/<int:pk>/delete/", catalogue.indicator_delete_view, name="indicator-delete"),
    path("criteria/<int:pk>/agency/", catalogue.criterion_agency, name="criterion-agency"),
    path("criteria/<int:pk>/indicators/new/", catalogue.indicator_create_view, name="indicator-create"),
    # The overview of a period and the recognitions.
    path("overview/", overview.overview, name="criteria-overview"),
    path("recognitions/", overview.recognition_list, name="recognition-list"),
    path("recognitions/new/", overview.recognition_create_view, name="recognition-create"),
    path("recognitions/recheck/", overview.recognition_recheck_view, name="recognition-recheck"),
    # The programme's targets (how many communes recognised by when).
    path("targets/", targets.programme_target_list, name="programme-target-list"),
    path("targets/new/", targets.programme_target_create_view, name="programme-target-create"),
    path("targets/<int:pk>/edit/", targets.programme_target_edit_view, name="programme-target-edit"),
    # Assessments and their workflow.
    path("assessments/", assessments.assessment_list_view, name="assessment-list"),
    path("assessments/new/", assessments.assessment_create_view, name="assessment-create"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/evaluate/", assessments.assessment_evaluate, name="assessment-evaluate"),
    path("assessments/<int:pk>/comment/", assessments.assessment_comment_view, name="assessment-comment"),
    path(
        "assessments/<int:pk>/<str:action>/",
        assessments.assessment_transition_view,
        name="assessment-transition",
    ),
    # Exports (inside the user's scope).
    path("exports/summary.xlsx", exports.export_summary, name="export-summary"),
    path("exports/values.xlsx", exports.export_values, name="export-values"),
    path("exports/values.csv", exports.export_values_csv, name="export-values-csv"),
    # The summary workbook built in the background: start (POST), progress, download.
    path("exports/summary/", exports.export_summary_start, name="export-summary-start"),
    path("exports/jobs/<int:pk>/", exports.export_job, name="export-job"),
    path("exports/jobs/<int:pk>/progress/", exports.export_job_progress, name="export-job-progress"),
    path("exports/jobs/<int:pk>/download/", exports.export_job_download, name="export-job-download"),
    # Excel reports: template, upload, preview, confirm.
    path("reports/", reports.report_index, name="report-index"),
    path("reports/template/", reports.report_template_view, name="report-template"),
    path("reports/upload/", reports.report_upload_view, name="report-upload-create"),
    path("reports/uploads/<int:pk>/", reports.report_upload_detail, name="report-upload"),
    path("reports/uploads/<int:pk>/progress/", reports.report_upload_progress, name="report-upload-progress"),
    path("reports/uploads/<int:pk>/confirm/", reports.report_upload_confirm, name="report-upload-confirm"),
    path("reports/uploads/<int:pk>/cancel/", reports.report_upload_cancel, name="report-upload-cancel"),
]
