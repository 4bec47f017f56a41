"""Administrative units (đơn vị hành chính) and their lineage across the 2025 reform.

A unit is valid from ``valid_from`` to ``valid_until`` inclusive (either may be empty:
"since before our records" / "still in force"). Units are never deleted: when Vietnam
abolished the district level on 1 July 2025 (Law 72/2025/QH15, NQ 1683/NQ-UBTVQH15 for
Thái Nguyên), the old districts and communes were closed on 30 June 2025 and
:class:`UnitSuccession` rows say which new units each old one went into.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text import fold

# Province > district > commune > hamlet: a subtree is at most this many levels deep.
MAX_TREE_DEPTH = 4


class UnitLevel(models.TextChoices):
    """The tier of a unit in the hierarchy (cấp)."""

    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    HAMLET = "hamlet", _("Hamlet")


class UnitKind(models.TextChoices):
    """The legal kind of a unit (loại đơn vị hành chính)."""

    PROVINCE = "tinh", _("Province (tỉnh)")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally-run city")
    CITY = "thanh_pho", _("City (thành phố)")
    TOWN = "thi_xa", _("Town (thị xã)")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    COMMUNE = "xa", _("Commune (xã)")
    WARD = "phuong", _("Ward (phường)")
    TOWNSHIP = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")
    HAMLET = "xom", _("Hamlet (xóm, thôn, bản)")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Residential group (tổ dân phố)")


# Only rural communes (xã) carry out the New Rural Development programme and are
# assessed against its criteria (QĐ 1980/QĐ-TTg, QĐ 318/QĐ-TTg, QĐ 51/2025/QĐ-TTg).
ASSESSED_KINDS = frozenset({UnitKind.COMMUNE})


class AdministrativeUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Units in force on ``day`` (bounds inclusive; an empty bound is open)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )

    def within(self, *roots: "AdministrativeUnit"):
        """The ``roots`` and every unit below them, in one query (the tree is at most
        :data:`MAX_TREE_DEPTH` levels deep)."""
        ids = [root.pk for root in roots]
        condition = Q(pk__in=ids)
        path = "parent"
        for _level in range(MAX_TREE_DEPTH - 1):
            condition |= Q(**{f"{path}__in": ids})
            path += "__parent"
        return self.filter(condition)

    def merged_into(self, unit: "AdministrativeUnit"):
        """Units of the same level that were merged whole into ``unit`` (Tỉnh Bắc Kạn into
        Tỉnh Thái Nguyên on 01/07/2025, NQ 202/2025/QH15)."""
        return self.filter(level=unit.level, successions_as_predecessor__successor=unit)

    def assessed(self):
        """Rural communes (xã): the only units assessed against NTM criteria."""
        return self.filter(kind__in=ASSESSED_KINDS)

    def search(self, text: str):
        """Accent- and case-insensitive match on the name: ``"dong hy"``, ``"Đồng Hỷ"``
        and its NFD spelling all find Huyện Đồng Hỷ."""
        key = fold(text)
        return self.filter(search_key__contains=key) if key else self.none()


class AdministrativeUnitManager(models.Manager.from_queryset(AdministrativeUnitQuerySet)):
    def get_by_natural_key(self, code: str, valid_until: str | None):
        """Fixtures name a unit by its GSO code and closing day (None while in force)."""
        return self.get(code=code, valid_until=valid_until)


class AdministrativeUnit(models.Model):
    """An administrative unit (đơn vị hành chính): province, district, commune or hamlet.

    ``code`` is the GSO code (mã đơn vị hành chính, e.g. ``"19"`` for Thái Nguyên,
    ``"171"`` for Huyện Đại Từ); hamlets have none. A code is unique among the units in
    force and among the units closed on the same day (new 2025 communes reuse codes of
    old ones). ``latitude``/``longitude`` are the centroid in decimal degrees (WGS 84).
    """

    code = models.CharField(_("GSO code"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("Full name, e.g. Xã Phúc Xuân."))
    short_name = models.CharField(_("short name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    # fold(name): what accent-insensitive search matches against.
    search_key = models.CharField(max_length=200, editable=False, db_index=True)

    history = HistoricalRecords()
    objects = AdministrativeUnitManager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_until__isnull=True) & ~Q(code=""),
                name="unit_code_unique_in_force",
            ),
            models.UniqueConstraint(
                fields=["code", "valid_until"],
                condition=Q(valid_until__isnull=False) & ~Q(code=""),
                name="unit_code_unique_per_closing_day",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
                name="unit_valid_from_before_until",
            ),
            models.CheckConstraint(
                condition=Q(level=UnitLevel.PROVINCE) | Q(parent__isnull=False),
                name="unit_below_province_has_parent",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = fold(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def is_assessed(self) -> bool:
        """True for a rural commune (xã), the only kind assessed against NTM criteria."""
        return self.kind in ASSESSED_KINDS

    def is_valid_on(self, day: datetime.date) -> bool:
        """Whether the unit is in force on ``day`` (bounds inclusive)."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def natural_key(self):
        return (self.code, self.valid_until.isoformat() if self.valid_until else None)


class UnitSuccession(models.Model):
    """Lineage (kế thừa): ``predecessor`` went wholly or partly into ``successor`` on
    ``effective_date``. An old commune split between several new ones has one row per
    new commune; ``is_primary`` marks the one that took its name or most of it (the
    package's ``isDefaultNewWard``)."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions_as_predecessor",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="successions_as_successor",
    )
    effective_date = models.DateField(_("effective date"))
    is_partial = models.BooleanField(
        _("partial"), default=False, help_text=_("Only part of the predecessor went into this successor.")
    )
    is_primary = models.BooleanField(_("primary successor"), default=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["effective_date", "successor__name", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="succession_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"
