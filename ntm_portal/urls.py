"""Root URLs: each app's pages under its prefix, the REST API under /api/v1/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views as core_views
from core.api.docs import RedocView

admin.site.site_header = _("NTM Portal administration")
admin.site.site_title = _("NTM Portal")

urlpatterns = [
    path("", include("communes.urls")),
    path("", include("accounts.urls")),
    path("criteria/", include("criteria.urls")),
    path("directives/", include("directives.urls")),
    path("funding/", include("funding.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ntm_portal.api_urls")),
    # The API's schema and documentation, public (SPECTACULAR_SETTINGS, core.api.docs).
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
