"""Paging of every API list: ``?page=2&page_size=100``.

Answers ``{"count", "next", "previous", "results"}``. ``page_size`` is 50 unless given,
at most :attr:`ApiPagination.max_page_size` (a larger one is cut to it). A ``page`` or
``page_size`` that is not a whole number of at least 1 is a 400 naming the parameter;
a page past the last is a 404 (page 1 of an empty list is an empty page).
"""

from django.core.paginator import InvalidPage as DjangoInvalidPage
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

from core.api.errors import InvalidPage


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def _whole(self, request, parameter: str) -> int | None:
        raw = request.query_params.get(parameter)
        if raw is None:
            return None
        if not raw.isdigit() or int(raw) < 1:
            raise InvalidPage(
                parameter,
                _("“%(parameter)s” must be a whole number of at least 1.") % {"parameter": parameter},
            )
        return int(raw)

    def get_page_size(self, request):
        size = self._whole(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        number = self._whole(request, self.page_query_param) or 1
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        try:
            self.page = paginator.page(number)
        except DjangoInvalidPage:
            raise exceptions.NotFound(
                _("Page %(page)s is past the last page (%(last)s).")
                % {"page": number, "last": paginator.num_pages}
            ) from None
        return list(self.page)
