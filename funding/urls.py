"""URLs of the cement and funds pages, mounted at /funding/."""

from django.urls import path

from funding.views import cement, funds, projects, reserve

urlpatterns = [
    path("cement/", cement.cement_overview_view, name="funding-cement"),
    path("cement/batches/new/", cement.batch_create, name="funding-batch-new"),
    path("cement/batches/<int:pk>/", cement.batch_detail, name="funding-batch"),
    path("cement/use/new/", cement.use_create, name="funding-use-new"),
    path("cement/deliveries/new/", cement.delivery_create, name="funding-delivery-new"),
    path("cement/reserve/", reserve.reserve_view, name="funding-reserve"),
    path("cement/reserve/export/", reserve.reserve_export, name="funding-reserve-export"),
    path("units/<int:pk>/", cement.unit_detail, name="funding-unit"),
    path("funds/", funds.funds_overview_view, name="funding-funds"),
    path("funds/allocations/new/", funds.fund_allocation_create_view, name="funding-fund-allocation-new"),
    path("funds/disbursements/new/", funds.disbursement_create_view, name="funding-disbursement-new"),
    path("funds/expected-rates/", funds.milestone_set_view, name="funding-milestone"),
    path("projects/", projects.project_list_view, name="funding-projects"),
    path("projects/new/", projects.project_create_view, name="funding-project-new"),
    path("projects/<int:pk>/", projects.project_detail_view, name="funding-project"),
    path("projects/<int:pk>/edit/", projects.project_edit_view, name="funding-project-edit"),
    path(
        "projects/<int:pk>/conditions/<int:condition>/",
        projects.project_check_view,
        name="funding-project-check",
    ),
    path("ocop/", projects.ocop_list_view, name="funding-ocop"),
    path("ocop/new/", projects.ocop_create_view, name="funding-ocop-new"),
]
