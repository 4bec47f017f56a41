"""The portal's URLs plus two bare DRF list views over the same rows (bench/api_bench.py):
a generic ListAPIView, a ModelSerializer of every column, DRF's page-number paging, no
authentication, scope, filters or throttle."""

from django.urls import path
from rest_framework import generics, pagination, permissions, serializers

from criteria.models import Assessment
from directives.models import Assignment
from ntm_portal.urls import urlpatterns as portal


class _Paging(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"


def bare_list(model):
    class Serializer(serializers.ModelSerializer):
        class Meta:
            fields = "__all__"

    Serializer.Meta.model = model
    return generics.ListAPIView.as_view(
        queryset=model.objects.order_by("pk"),
        serializer_class=Serializer,
        pagination_class=_Paging,
        authentication_classes=[],
        permission_classes=[permissions.AllowAny],
        throttle_classes=[],
        filter_backends=[],
    )


urlpatterns = [
    path("bench/bare/assessments/", bare_list(Assessment)),
    path("bench/bare/assignments/", bare_list(Assignment)),
    *portal,
]
