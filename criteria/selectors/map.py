"""The map of the communes: each xã of a scope at its centroid, with the number of
criteria its approved assessment of a period meets under a criteria set.

The coordinates are ``AdministrativeUnit.latitude``/``longitude``, the centroids in
decimal degrees (WGS 84) loaded from the ``vietnamadminunits`` package. The page draws
them itself (``static/js/commune-map.js``, an SVG): no tile server, no request leaves the
portal.

Like :mod:`criteria.selectors.overview`, this takes the units the caller may see
(``visible = accounts.scope.unit_scope(user)``, perhaps narrowed with ``.within(unit)``),
never the user. Three queries whatever the number of communes
(``tests/criteria/test_map.py`` counts them).
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from communes.models import AdministrativeUnit, UnitLevel
from core.formatting import decimal_text
from criteria.bands import Band, band_index, bands
from criteria.models import CriteriaSet, ReportingPeriod
from criteria.selectors.overview import approved_assessments, covered_communes

# A stand-in primary key, replaced in the reversed URL of the unit page.
_PK_SLOT = 2147483647


@dataclass(frozen=True)
class MapCommune:
    """One xã on the map.

    ``latitude``/``longitude`` are floats in decimal degrees (WGS 84): enough for drawing
    (the stored six decimals are about 0,1 m; a float keeps far more), never for sums.
    ``criteria_met`` is None when the xã has no APPROVED assessment of the period under
    the set; ``criteria_total`` is then the number of criteria of the set, otherwise the
    assessment's own. ``band`` is the index into :attr:`CommuneMap.bands` (the last band,
    "no approved assessment", for None). ``url`` is the path of the unit page.
    """

    pk: int
    name: str
    district: str | None
    latitude: float
    longitude: float
    criteria_met: int | None
    criteria_total: int
    meets_standard: bool
    band: int
    url: str

    @property
    def assessed(self) -> bool:
        return self.criteria_met is not None


@dataclass(frozen=True)
class MapBand:
    """A band of the legend: ``band`` is None for "no approved assessment"; ``count`` is
    the number of communes on the map in it."""

    band: Band | None
    count: int

    @property
    def key(self) -> str:
        return self.band.key if self.band is not None else "unassessed"

    @property
    def label(self) -> str:
        """The legend's text, in the active language ("Dưới 10 tiêu chí", "Đạt cả 19 tiêu chí")."""
        band = self.band
        if band is None:
            return _("No approved assessment")
        if band.standard:
            return _("All %(n)s criteria (the standard)") % {"n": band.high}
        if band.low == 0 and band.high > 0:
            return _("Under %(n)s criteria") % {"n": band.high + 1}
        if band.low == band.high:
            return _("%(n)s criteria") % {"n": band.low}
        return _("%(low)s–%(high)s criteria") % {"low": band.low, "high": band.high}


@dataclass(frozen=True)
class CommuneMap:
    """The communes of a scope on the map, for one period under one criteria set.

    ``communes`` are the xã with coordinates, by district code then commune code;
    ``without_coordinates`` counts the xã of the same selection that have none (shown
    as a note under the map). ``bands`` are the legend, lowest first, then the standard,
    then "no approved assessment".
    """

    period: ReportingPeriod
    criteria_set: CriteriaSet
    criteria_total: int
    communes: tuple[MapCommune, ...]
    without_coordinates: int
    bands: tuple[MapBand, ...]

    @property
    def assessed(self) -> int:
        return sum(1 for commune in self.communes if commune.assessed)

    def as_json(self) -> dict:
        """The plain dict ``static/js/commune-map.js`` reads (through ``json_script``).

        ``{"communes": [{"id", "name", "district", "lat", "lon", "met", "total",
        "standard", "band", "url"}], "bands": [{"key", "label", "count", "count_text",
        "standard", "unassessed"}], "labels": {...}}``. Every text a reader sees is here,
        already translated; ``labels`` holds the marker titles as Python %-templates
        (``%(place)s: %(met)s/%(total)s criteria``) that the script fills in.
        """
        return {
            "communes": [
                {
                    "id": commune.pk,
                    "name": commune.name,
                    "district": commune.district,
                    "lat": commune.latitude,
                    "lon": commune.longitude,
                    "met": commune.criteria_met,
                    "total": commune.criteria_total,
                    "standard": commune.meets_standard,
                    "band": commune.band,
                    "url": commune.url,
                }
                for commune in self.communes
            ],
            "bands": [
                {
                    "key": item.key,
                    "label": item.label,
                    "count": item.count,
                    "count_text": decimal_text(item.count),
                    "standard": item.band is not None and item.band.standard,
                    "unassessed": item.band is None,
                }
                for item in self.bands
            ],
            "labels": {
                "map": _("Map of the communes by number of criteria met, %(period)s, %(set)s")
                % {"period": self.period.name, "set": self.criteria_set.name},
                "legend": _("Criteria met"),
                "place": _("%(name)s (%(district)s)"),
                "assessed": _("%(place)s: %(met)s/%(total)s criteria"),
                "standard": _("%(place)s: %(met)s/%(total)s criteria, meets the standard"),
                "unassessed": _("%(place)s: no approved assessment"),
                "scale": _("%(n)s km"),
                "north": pgettext("compass point", "N"),
                "empty": _("No commune of this scope has coordinates."),
            },
        }


def commune_map(
    *, visible: QuerySet[AdministrativeUnit], period: ReportingPeriod, criteria_set: CriteriaSet
) -> CommuneMap:
    """The xã of ``visible`` on the map of ``period`` under ``criteria_set``.

    The xã are those the period covers, as the coverage counts them
    (:func:`criteria.selectors.overview.covered_communes`). A xã's
    ``criteria_met`` comes from its APPROVED assessment of the period under the set
    (:func:`~criteria.selectors.overview.approved_assessments`), None without one.

    Three queries whatever the number of communes: the xã, their approved assessments,
    the number of criteria of the set.
    """
    assessed_qs = approved_assessments(visible=visible, period=period, criteria_set=criteria_set)
    # 1: the xã, with their parent's name and level (a district's name is shown).
    rows = list(
        covered_communes(visible=visible, period=period, criteria_set=criteria_set)
        .order_by("parent__code", "code", "pk")
        .values_list("pk", "name", "parent__name", "parent__level", "latitude", "longitude")
    )
    # 2: their approved assessments (one per commune, period and set).
    results = {
        commune_id: (met, total, standard)
        for commune_id, met, total, standard in assessed_qs.values_list(
            "commune_id", "criteria_met", "criteria_total", "meets_standard"
        )
    }
    # 3: the criteria of the set.
    set_total = criteria_set.criteria.count()

    all_bands = bands(set_total)
    unassessed_index = len(all_bands)
    url_template = reverse("unit-detail", args=[_PK_SLOT])
    communes = []
    without_coordinates = 0
    for pk, name, parent_name, parent_level, latitude, longitude in rows:
        if latitude is None or longitude is None:
            without_coordinates += 1
            continue
        met, total, standard = results.get(pk, (None, set_total, False))
        communes.append(
            MapCommune(
                pk=pk,
                name=name,
                district=parent_name if parent_level == UnitLevel.DISTRICT else None,
                latitude=float(latitude),
                longitude=float(longitude),
                criteria_met=met,
                criteria_total=total,
                meets_standard=standard,
                band=unassessed_index
                if met is None
                else band_index(met=met, meets_standard=standard, total=set_total),
                url=url_template.replace(str(_PK_SLOT), str(pk)),
            )
        )
    counts = [0] * (unassessed_index + 1)
    for commune in communes:
        counts[commune.band] += 1
    legend = (
        *(MapBand(band=band, count=counts[index]) for index, band in enumerate(all_bands)),
        MapBand(band=None, count=counts[unassessed_index]),
    )
    return CommuneMap(
        period=period,
        criteria_set=criteria_set,
        criteria_total=set_total,
        communes=tuple(communes),
        without_coordinates=without_coordinates,
        bands=legend,
    )
