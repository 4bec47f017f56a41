"""URLs of the cement and funds pages, mounted at /funding/."""

from django.urls import path

from funding.views import cement as views_cement
from funding.views import funds as views_funds
from funding.views import projects as views_projects

urlpatterns = [
    path("cement/", views_cement.cement_overview_view, name="funding-cement"),
    path("cement/batches/new/", views_cement.batch_create, name="funding-batch-new"),
    path("cement/batches/<int:pk>/", views_cement.batch_detail, name="funding-batch"),
    path("cement/use/new/", views_cement.use_create, name="funding-use-new"),
    path("cement/deliveries/new/", views_cement.delivery_create, name="funding-delivery-new"),
    path("cement/reserve/", views_cement.reserve_view, name="funding-reserve"),
    path("cement/reserve/export/", views_cement.reserve_export, name="funding-reserve-export"),
    path("units/<int:pk>/", views_cement.unit_detail, name="funding-unit"),
    path("funds/", views_funds.funds_overview_view, name="funding-funds"),
    path(
        "funds/allocations/new/", views_funds.fund_allocation_create_view, name="funding-fund-allocation-new"
    ),
    path("funds/disbursements/new/", views_funds.disbursement_create_view, name="funding-disbursement-new"),
    path("funds/expected-rates/", views_funds.milestone_set_view, name="funding-milestone"),
    path("projects/", views_projects.project_list_view, name="funding-projects"),
    path("projects/new/", views_projects.project_create_view, name="funding-project-new"),
    path("projects/<int:pk>/", views_projects.project_detail_view, name="funding-project"),
    path("projects/<int:pk>/edit/", views_projects.project_edit_view, name="funding-project-edit"),
    path(
        "projects/<int:pk>/conditions/<int:condition>/",
        views_projects.project_check_view,
        name="funding-project-check",
    ),
    path("ocop/", views_projects.ocop_list_view, name="funding-ocop"),
    path("ocop/new/", views_projects.ocop_create_view, name="funding-ocop-new"),
]
