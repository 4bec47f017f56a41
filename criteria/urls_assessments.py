"""URLs of the assessment pages."""

from django.urls import path

from criteria.views import assessments

urlpatterns = [
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
]
