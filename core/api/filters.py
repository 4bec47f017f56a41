"""Filters of the API lists that fail loudly instead of ignoring what they cannot read.

* :class:`StableOrderingFilter`: ``?ordering=-deadline,text``; only the view's
  ``ordering_fields``, else 400 naming ``ordering``; always ends with the primary key,
  so that paging never repeats or skips a row when many share a value.
* :class:`FoldedSearchFilter`: ``?search=dong hy`` finds "Đồng Hỷ": every word, in any
  of the view's ``search_fields``, without accents or case (:class:`core.db.Folded`).
* :class:`PortalFilterSet`: a django-filter set with ``updated_since`` (ISO 8601 date
  and time) for incremental sync: the rows created or changed since then, read from
  their history (and from the history of the ``updated_via`` children).
* The filters every list uses, each refusing (400 naming the parameter) what
  django-filter's own would ignore or pass on to the database: :class:`YesNoFilter`
  (``true``/``false``), :class:`WholeNumberFilter` (ids, stars: "1.5" or a number past
  the database's 64 bits), :class:`YearFilter` (1900-2200), :class:`IsoDateFilter`
  (``YYYY-MM-DD`` only: the interface's dd/mm/yyyy would be read month first by many
  systems) and :func:`date_range`.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter

from core.db import Folded
from core.text import fold


class StableOrderingFilter(OrderingFilter):
    """``?ordering=`` among ``view.ordering_fields`` (comma-separated, ``-`` for
    descending); the view's ``ordering`` otherwise; the primary key last."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            terms = list(self.get_default_ordering(view) or [])
        else:
            terms = [term.strip() for term in raw.split(",") if term.strip()]
            allowed = set(getattr(view, "ordering_fields", ()))
            wrong = [term for term in terms if term.lstrip("-") not in allowed]
            if wrong or not terms:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("Cannot order by “%(value)s”. Choose among: %(allowed)s.")
                            % {"value": ", ".join(wrong) or raw, "allowed": ", ".join(sorted(allowed))}
                        ]
                    }
                )
        if not any(term.lstrip("-") in ("pk", "id") for term in terms):
            terms.append("pk")
        return terms


class FoldedSearchFilter(BaseFilterBackend):
    """``?search=`` over ``view.search_fields``, accent- and case-insensitive; each word
    must be found in one of the fields."""

    search_param = "search"

    def filter_queryset(self, request, queryset, view):
        fields = getattr(view, "search_fields", ())
        words = fold(request.query_params.get(self.search_param, "")).split()
        if not fields or not words:
            return queryset
        names = {field: f"_folded_{index}" for index, field in enumerate(fields)}
        queryset = queryset.alias(**{alias: Folded(field) for field, alias in names.items()})
        for word in words:
            matches = Q()
            for alias in names.values():
                matches |= Q(**{f"{alias}__contains": word})
            queryset = queryset.filter(matches)
        return queryset.distinct() if any("__" in field for field in fields) else queryset

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", ()):
            return []
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": str(gettext_lazy("Words to find, with or without accents.")),
                "schema": {"type": "string"},
            }
        ]


class _UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date and time, given back in UTC: PostgreSQL refuses the offsets
    beyond ±15:59 that ISO 8601 allows (``-19:57`` was a 500), and a time near year 1 or
    9999 that does not exist in UTC is a 400."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                _("Give a date and time between the years 1 and 9999."), code="invalid"
            ) from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UtcIsoDateTimeField


class PortalFilterSet(django_filters.FilterSet):
    """Base of every API filter set: ``updated_since`` on the model's history, and on
    the history of the children named in ``updated_via`` (pairs of a historical model
    and the field naming the parent, e.g. ``(Task.history.model, "directive_id")``)."""

    updated_via: tuple = ()

    updated_since = UtcIsoDateTimeFilter(
        method="filter_updated_since", label=gettext_lazy("Created or changed since (ISO 8601)")
    )

    def filter_updated_since(self, queryset, name, value):
        model = queryset.model
        changed = Q(pk__in=model.history.filter(history_date__gte=value).values("id"))
        for historical, link in self.updated_via:
            changed |= Q(pk__in=historical.objects.filter(history_date__gte=value).values(link))
        return queryset.filter(changed)


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class YesNoFilter(django_filters.TypedChoiceFilter):
    """``true`` or ``false``, nothing else (django-filter's BooleanFilter ignores another
    value silently)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", (("true", "true"), ("false", "false")))
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


_BIGINT = 2**63 - 1


class _WholeNumberField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -_BIGINT)
        kwargs.setdefault("max_value", _BIGINT)
        super().__init__(*args, **kwargs)


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number: an id, a number of stars. "1.5" is a 400, not 1; one past the
    database's 64-bit integers is a 400, not a 500."""

    field_class = _WholeNumberField


class YearFilter(WholeNumberFilter):
    """A year from 1900 to 2200 (``lookup_expr="year"`` on a date, or a year column):
    year 0 is not a date the database can hold."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2200)
        super().__init__(*args, **kwargs)


ISO_DATE_FORMATS = ["%Y-%m-%d"]


class IsoDateFilter(django_filters.DateFilter):
    """A date written ``YYYY-MM-DD``, as every answer writes it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ISO_DATE_FORMATS)
        super().__init__(*args, **kwargs)


def date_range(field_name: str, label) -> tuple[IsoDateFilter, IsoDateFilter]:
    """``(on or after, on or before)`` filters of ``field_name``, both bounds included:
    ``deadline_after, deadline_before = date_range("deadline", _("deadline"))``."""
    return (
        IsoDateFilter(field_name=field_name, lookup_expr="gte", label=label),
        IsoDateFilter(field_name=field_name, lookup_expr="lte", label=label),
    )
