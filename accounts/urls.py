from django.urls import path

from accounts import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("tokens/", views.api_token_list, name="api-token-list"),
    path("tokens/new/", views.api_token_new, name="api-token-new"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
    path("agencies/staffing/", views.agency_staffing, name="agency-staffing"),
]
