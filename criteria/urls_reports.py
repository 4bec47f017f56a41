"""URLs of the Excel report pages (mounted under /criteria/)."""

from django.urls import path

from criteria.views import reports

urlpatterns = [
    path("reports/", reports.report_index, name="report-index"),
    path("reports/template/", reports.report_template_view, name="report-template"),
    path("reports/upload/", reports.report_upload_view, name="report-upload-create"),
    path("reports/uploads/<int:pk>/", reports.report_upload_detail, name="report-upload"),
    path("reports/uploads/<int:pk>/progress/", reports.report_upload_progress, name="report-upload-progress"),
    path("reports/uploads/<int:pk>/confirm/", reports.report_upload_confirm, name="report-upload-confirm"),
    path("reports/uploads/<int:pk>/cancel/", reports.report_upload_cancel, name="report-upload-cancel"),
]
