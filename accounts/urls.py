from django.urls import path

from accounts import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
]
