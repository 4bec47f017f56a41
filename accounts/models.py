"""Users, the agencies they belong to, and API tokens.

A user belongs to an agency (cơ quan, đơn vị); the agency's scope is an administrative
unit, and the user sees and changes only what lies in that unit's subtree
(:func:`accounts.scope.unit_scope`). What a user may do there is their role
(:class:`accounts.roles.Role`), held as a Django group.
"""

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit


class AgencyKind(models.TextChoices):
    """Kinds of agency named in the province's documents (e.g. the Nơi nhận of 58/TB-UBND)."""

    PROVINCIAL_DEPARTMENT = "department", _("Provincial department (sở, ngành)")
    COORDINATION_OFFICE = "coordination_office", _("NTM coordination office (Văn phòng Điều phối)")
    DISTRICT_COMMITTEE = "district_committee", _("District People's Committee (UBND cấp huyện)")
    # One per commune-level unit in force since 01/07/2025 (xã, phường), made from the
    # units table by ``manage.py load_commune_agencies``.
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee (UBND cấp xã)")
    STEERING_COMMITTEE = "steering_committee", _("Steering committee (Ban Chỉ đạo)")
    LEADERSHIP = "leadership", _("Provincial leadership")
    EXTERNAL_SYSTEM = "external_system", _("External system")
    OTHER = "other", _("Other recipient")


def validate_email_lines(value: str) -> None:
    """Each non-empty line of ``value`` must be an e-mail address; the error names the line."""
    for number, line in enumerate(value.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            validate_email(line)
        except ValidationError:
            raise ValidationError(
                _("Line %(line)s is not a valid e-mail address: %(value)s"),
                params={"line": number, "value": line},
                code="invalid_email_line",
            ) from None


class AgencyQuerySet(models.QuerySet):
    def assignable(self):
        """The agencies a directive entered today is sent to and its tasks assigned to:
        active, and not merged into another (an agency merged in 2025 keeps its users and
        its old assignments, but new work goes to its successor)."""
        return self.filter(is_active=True, merger__isnull=True)


class AgencyManager(models.Manager.from_queryset(AgencyQuerySet)):
    def get_by_natural_key(self, code: str):
        """Fixtures name an agency by its code."""
        return self.get(code=code)


class Agency(models.Model):
    """An agency (cơ quan, đơn vị): a provincial department, a coordination office, a
    district committee (before 01/07/2025), a commune committee, the leadership, or
    another system using the API. One merged into another in 2025 stays, with its users
    and assignments, as history (:class:`AgencySuccession`).

    ``scope`` is the administrative unit whose subtree the agency's users work on.
    ``contact_emails`` holds one address per line. The two staff counts apply to
    coordination offices only (the NTM staff they should have and have: notice
    58/TB-UBND says district offices lack them).
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    scope = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    contact_emails = models.TextField(
        _("contact e-mails"), blank=True, validators=[validate_email_lines], help_text=_("One per line.")
    )
    head_email = models.EmailField(_("head's e-mail"), blank=True)
    ntm_staff_required = models.PositiveSmallIntegerField(
        _("full-time NTM staff required"), null=True, blank=True
    )
    ntm_staff_actual = models.PositiveSmallIntegerField(
        _("full-time NTM staff in post"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = AgencyManager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="coordination_office")
                | (Q(ntm_staff_required__isnull=True) & Q(ntm_staff_actual__isnull=True)),
                name="agency_staff_counts_only_for_coordination_offices",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    @property
    def merged_into(self) -> "Agency | None":
        """The agency this one was merged into (``self.merger``, an
        :class:`AgencySuccession`, says when), or None while it is in force."""
        merger = getattr(self, "merger", None)
        return merger.successor if merger is not None else None

    @property
    def email_list(self) -> list[str]:
        """The contact e-mails as a list, blank lines dropped."""
        return [line.strip() for line in self.contact_emails.splitlines() if line.strip()]

    @property
    def staff_shortfall(self) -> int | None:
        """How many full-time NTM staff a coordination office lacks (0 if none), or None."""
        if self.ntm_staff_required is None or self.ntm_staff_actual is None:
            return None
        return max(self.ntm_staff_required - self.ntm_staff_actual, 0)


class AgencySuccessionManager(models.Manager):
    def get_by_natural_key(self, predecessor_code: str, successor_code: str):
        """Fixtures name a merger by the codes of the two agencies."""
        return self.get(predecessor__code=predecessor_code, successor__code=successor_code)


class AgencySuccession(models.Model):
    """A merger (hợp nhất, sáp nhập): ``predecessor`` went into ``successor`` on
    ``effective_date`` (its last day is the day before), e.g. Sở Giao thông vận tải into
    Sở Xây dựng in 2025. The predecessor stays, with its users and its assignments, as
    history; it is no longer offered for new work (:meth:`AgencyQuerySet.assignable`).
    An agency goes into one successor at most. ``notes`` give the legal basis and how
    sure the fact is (what is recalled rather than read in a source says so).

    A row of its own rather than a field of the old agency: ``load_missing`` adds rows
    and never changes one already there, so the links of a fixture reach a database that
    already holds the old agencies."""

    predecessor = models.OneToOneField(
        Agency,
        verbose_name=_("merged agency"),
        on_delete=models.PROTECT,
        related_name="merger",
    )
    successor = models.ForeignKey(
        Agency,
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        related_name="merged_in",
    )
    effective_date = models.DateField(_("effective date"))
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = AgencySuccessionManager()

    class Meta:
        verbose_name = _("agency merger")
        verbose_name_plural = _("agency mergers")
        ordering = ["effective_date", "successor__name", "predecessor__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="agency_succession_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"

    def natural_key(self):
        return (self.predecessor.code, self.successor.code)

    natural_key.dependencies = ["accounts.agency"]

    @property
    def predecessor_last_day(self):
        """The last day the predecessor was in force."""
        return self.effective_date - datetime.timedelta(days=1)


class User(AbstractUser):
    """A person (or an API client account) of the portal, member of one agency."""

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def unit_scope(self, *, for_change: bool = False):
        """The units this user may see, or change: :func:`accounts.scope.unit_scope`."""
        return unit_scope(self, for_change=for_change)

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names (``last_name``), then the given name
        (``first_name``): "Nguyễn Thị" + "Lan" -> "Nguyễn Thị Lan"."""
        return f"{self.last_name} {self.first_name}".strip()


class Notification(models.Model):
    """An in-portal notification (thông báo) for one user: what happened, and a link to
    it. Assessment returns and deadline reminders create them."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        # The navigation bar counts a user's unread notifications on every page.
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.message[:80]


class TokenAccess(models.TextChoices):
    """What an API token may do: read only, or read and write as its agency's users do."""

    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    """An API token (khóa truy cập API) a coordinator issued to an agency for another
    provincial system. The system sends ``Authorization: Bearer <key>``; the key is
    shown once when issued and only its SHA-256 digest is kept (``key_hash``), with its
    first characters (``prefix``) to find it and to tell tokens apart on screen.

    The token acts through its own account (``user``): a member of ``agency`` with the
    role a person of that agency has (:func:`accounts.services.token_role`), so it sees
    exactly what such a person sees and its writes are in the history under its name.
    A read-only token may only read. It stops working when it expires (``expires_at``)
    or is revoked (``revoked_at``).
    """

    name = models.CharField(_("name"), max_length=120, help_text=_("The system that will use the token."))
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    user = models.OneToOneField(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="api_token"
    )
    access = models.CharField(_("access"), max_length=20, choices=TokenAccess.choices)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="issued_api_tokens"
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_api_tokens",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime.datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and self.expires_at > now

    @property
    def read_only(self) -> bool:
        return self.access == TokenAccess.READ
