"""The dashboard's charts as plain data for Chart.js (``static/js/dashboard.js`` reads
them from a ``json_script`` block). Pure: it reads a computed
:class:`~dashboards.selectors.dashboard.Dashboard` and touches no database.

Every label a reader sees is translated here, on the server; numbers go out as JSON
numbers (tonnes, percent, criteria) and the script formats them for the page's locale
(``vi-VN``: 1.234,5), so the script holds no text of its own.
"""

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboards.selectors.dashboard import Dashboard

# Chart.js formats with Intl.NumberFormat: the page's language as a BCP 47 locale.
LOCALES = {"vi": "vi-VN", "en": "en-GB"}


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _unit_label(unit) -> str:
    return unit.short_name or unit.name


def dashboard_charts(result: Dashboard) -> dict:
    """``{"locale": "vi-VN", "charts": {name: spec}}`` where each spec has ``labels``,
    ``datasets`` (``label``, ``data``, optional ``kind`` "line" and ``axis`` "y1") and
    axis titles; a chart with no data is left out (the page says so in words)."""
    overview = result.overview
    charts: dict[str, dict] = {}
    if overview.distribution:
        top = max([overview.criteria_total, *overview.distribution])
        numbers = range(min(overview.distribution), top + 1)
        charts["distribution"] = {
            "labels": [str(n) for n in numbers],
            "datasets": [
                {"label": _("Communes"), "data": [overview.distribution.get(n, 0) for n in numbers]}
            ],
            "x_title": _("Criteria met"),
            "y_title": _("Communes"),
        }
    rows = [row for row in overview.districts if row.figures.assessed]
    if rows:
        charts["districts"] = {
            "labels": [
                _unit_label(row.district) if row.district else _("Directly under the province")
                for row in rows
            ],
            "datasets": [
                {"label": _("Meeting the standard"), "data": [row.figures.meeting_standard for row in rows]},
                {
                    "label": _("Not yet meeting it"),
                    "data": [row.figures.assessed - row.figures.meeting_standard for row in rows],
                },
            ],
            "stacked": True,
            "y_title": _("Communes assessed"),
        }
    if overview.totals.assessed:
        charts["criteria"] = {
            "labels": [f"{row.criterion.number}. {row.criterion.name}" for row in overview.criteria],
            "datasets": [
                {
                    "label": _("Communes meeting it (%)"),
                    "data": [_number(row.percent) for row in overview.criteria],
                }
            ],
            "horizontal": True,
            "percent": True,
            "x_title": _("Share of communes assessed (%)"),
        }
    if result.trend:
        charts["trend"] = {
            "labels": [point.period.name for point in result.trend],
            "datasets": [
                {
                    "label": _("Average criteria met per commune"),
                    "data": [_number(point.average) for point in result.trend],
                    "kind": "line",
                },
                {
                    "label": _("Communes meeting the standard (%)"),
                    "data": [_number(point.meeting_percent) for point in result.trend],
                    "kind": "line",
                    "axis": "y1",
                },
            ],
            "y_title": _("Criteria"),
            "y1_title": _("Percent"),
        }
    if result.cement.rows:
        charts["cement"] = {
            "labels": [_unit_label(row.unit) for row in result.cement.rows],
            "datasets": [
                {
                    "label": _("Allocated (tonnes)"),
                    "data": [_number(row.allocated) for row in result.cement.rows],
                },
                {"label": _("Used (tonnes)"), "data": [_number(row.used) for row in result.cement.rows]},
            ],
            "y_title": _("Tonnes"),
        }
    if result.funds.by_unit:
        by_unit = result.funds.by_unit
        charts["funds"] = {
            "labels": [_unit_label(row.key) for row in by_unit],
            "datasets": [
                {"label": _("Disbursed (%)"), "data": [_number(row.rate) for row in by_unit]},
                {
                    "label": _("Expected by now (%)"),
                    "data": [_number(result.funds.expected)] * len(by_unit),
                    "kind": "line",
                },
            ],
            "percent": True,
            "y_title": _("Percent of the allocation"),
        }
    return {"locale": LOCALES.get((get_language() or "vi")[:2], "vi-VN"), "charts": charts}
