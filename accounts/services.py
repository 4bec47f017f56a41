"""Writes to users, agencies and API tokens."""

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, AgencyKind, ApiToken, TokenAccess, User
from accounts.roles import Role, is_coordinator, require_permission, require_role
from accounts.selectors import STAFFING_BASELINE_REASON, STAFFING_REASON, agency_version
from accounts.staffing import staffing_errors
from communes.models import AdministrativeUnit, UnitLevel
from communes.scope import require_unit
from core.history import fields_save

# Shown in the README and printed by `make run`. Demo only: never created in production.
DEMO_PASSWORD = "Demo@2026"  # noqa: S105 (published demo password, refused in production)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    agency_code: str
    is_staff: bool = False
    is_superuser: bool = False


# The agency of a commune's People's Committee is named by the commune's GSO code (the
# code of the unit in force: new communes of 2025 reuse codes of old ones).
COMMUNE_AGENCY_PREFIX = "ubnd-xa-"


def commune_agency_code(gso_code: str) -> str:
    """``"05908"`` (Xã Phú Bình, in force since 01/07/2025) -> ``"ubnd-xa-05908"``."""
    return f"{COMMUNE_AGENCY_PREFIX}{gso_code}"


DEMO_USERS = (
    DemoUser("admin", "Quản trị hệ thống", Role.COORDINATOR, "vpdp-ntm-tinh", True, True),
    DemoUser("dieuphoi", "Nguyễn Thị Điều Phối", Role.COORDINATOR, "vpdp-ntm-tinh", is_staff=True),
    DemoUser("daitu", "Trần Văn Đại Từ", Role.DISTRICT_OFFICER, "vpdp-ntm-huyen-dai-tu"),
    DemoUser("phubinh", "Lê Thị Phú Bình", Role.DISTRICT_OFFICER, "vpdp-ntm-huyen-phu-binh"),
    # Two communes of the structure in force: Xã Phú Bình (05908) and Xã Tân Cương (05503).
    DemoUser("xaphubinh", "Vũ Thị Bình", Role.COMMUNE_OFFICER, commune_agency_code("05908")),
    DemoUser("xatancuong", "Đỗ Văn Cương", Role.COMMUNE_OFFICER, commune_agency_code("05503")),
    DemoUser("sogtvt", "Phạm Văn Giao Thông", Role.DEPARTMENT_OFFICER, "so-giao-thong-van-tai"),
    DemoUser("lanhdao", "Hoàng Văn Lãnh Đạo", Role.LEADER, "ubnd-tinh"),
    DemoUser("apiclient", "Hệ thống báo cáo tỉnh", Role.API_CLIENT, "he-thong-bao-cao-demo"),
)


@transaction.atomic
def demo_users_ensure() -> list[tuple[DemoUser, bool]]:
    """Create the demo users (one per role, two commune officers) that do not exist yet;
    return each with whether it was created. An existing user is left as it is (its
    password included). The People's Committees of the demo users' communes are created
    if missing (:func:`commune_agencies_ensure`, as ``load_commune_agencies`` does).

    Raises :class:`ImproperlyConfigured` where demo data is off (production mode), and
    :class:`Agency.DoesNotExist` if the agencies fixture was not loaded first.
    """
    if not settings.DEMO_DATA:
        raise ImproperlyConfigured("Demo users are never created when DEMO_DATA is off (production).")
    province = AdministrativeUnit.objects.get(code="19", valid_until=None)
    Agency.objects.get_or_create(
        code="he-thong-bao-cao-demo",
        defaults={
            "name": "Hệ thống báo cáo tổng hợp của tỉnh (minh họa)",
            "short_name": "Hệ thống báo cáo (minh họa)",
            "kind": AgencyKind.EXTERNAL_SYSTEM,
            "scope": province,
        },
    )
    communes = [
        demo.agency_code.removeprefix(COMMUNE_AGENCY_PREFIX)
        for demo in DEMO_USERS
        if demo.agency_code.startswith(COMMUNE_AGENCY_PREFIX)
    ]
    commune_agencies_ensure(units=AdministrativeUnit.objects.filter(code__in=communes, valid_until=None))
    results = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        created = user is None
        if created:
            family, _, given = demo.full_name.rpartition(" ")
            user = User(
                username=demo.username,
                first_name=given,
                last_name=family,
                email=f"{demo.username}@example.gov.vn",
                agency=Agency.objects.get(code=demo.agency_code),
                is_staff=demo.is_staff,
                is_superuser=demo.is_superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=demo.role.value))
        results.append((demo, created))
    return results


@dataclass(frozen=True)
class CommuneAgencies:
    """What :func:`commune_agencies_ensure` did: agencies created, units that had one."""

    created: int
    kept: int


@transaction.atomic
def commune_agencies_ensure(
    *, units: QuerySet[AdministrativeUnit] | None = None, province_code: str = "19"
) -> CommuneAgencies:
    """Give each commune-level unit in force (xã, phường: the 92 of Thái Nguyên since
    01/07/2025, NQ 1683/NQ-UBTVQH15) its People's Committee, an agency of kind
    :attr:`AgencyKind.COMMUNE_COMMITTEE` whose scope is the unit: code
    ``ubnd-xa-<GSO code>`` (:func:`commune_agency_code`), name "Ủy ban nhân dân xã Phú
    Bình", short name "UBND xã Phú Bình". Read from the units table, never from a list.

    ``units`` (default: the commune-level units in force under the province in force with
    GSO ``province_code``) are the units to cover; units that are not commune-level or
    not in force are skipped. A unit that already has a commune committee, or whose
    code is taken, is left as it is: an agency a coordinator edited is never overwritten,
    so a second run creates nothing. Raises ``AdministrativeUnit.DoesNotExist`` when the
    province is not loaded (``manage.py load_admin_units --province 19``).
    """
    if units is None:
        province = AdministrativeUnit.objects.get(code=province_code, valid_until=None)
        units = AdministrativeUnit.objects.within(province)
    units = list(units.filter(level=UnitLevel.COMMUNE, valid_until__isnull=True).order_by("code"))
    taken_codes = set(Agency.objects.values_list("code", flat=True))
    covered = set(
        Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, scope__in=units).values_list(
            "scope_id", flat=True
        )
    )
    created = 0
    for unit in units:
        code = commune_agency_code(unit.code)
        if unit.pk in covered or code in taken_codes:
            continue
        # "Xã Phú Bình" -> "xã Phú Bình", as the province writes it after "Ủy ban nhân dân".
        named = unit.name[:1].lower() + unit.name[1:]
        Agency.objects.create(
            code=code,
            name=f"Ủy ban nhân dân {named}",
            short_name=f"UBND {named}",
            kind=AgencyKind.COMMUNE_COMMITTEE,
            scope=unit,
        )
        created += 1
    return CommuneAgencies(created=created, kept=len(units) - created)


def notifications_mark_read(*, user) -> int:
    """Mark every unread notification of ``user`` as read now; return how many were."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


# --- API tokens ------------------------------------------------------------------------

# The role a person of each kind of agency has (the demo users are so): the token of an
# agency acts with it. A coordination office is the coordinators' when its scope is the
# province, a district's officers' otherwise.
_ROLE_OF_KIND = {
    AgencyKind.PROVINCIAL_DEPARTMENT: Role.DEPARTMENT_OFFICER,
    AgencyKind.DISTRICT_COMMITTEE: Role.DISTRICT_OFFICER,
    AgencyKind.COMMUNE_COMMITTEE: Role.COMMUNE_OFFICER,
    AgencyKind.STEERING_COMMITTEE: Role.LEADER,
    AgencyKind.LEADERSHIP: Role.LEADER,
    AgencyKind.EXTERNAL_SYSTEM: Role.API_CLIENT,
    AgencyKind.OTHER: Role.API_CLIENT,
}
# The longest a token may live: a year, then the coordinator issues a new one.
TOKEN_MAX_DAYS = 366
TOKEN_KEY_PREFIX = "ntm_"  # noqa: S105 (the visible start of every key, not a secret)


def token_role(agency: Agency) -> Role:
    """The role the token of ``agency`` acts with: that of a person of the agency
    (Sở -> department officer, UBND huyện -> district officer, UBND xã -> commune
    officer, lãnh đạo -> leader, another system -> API client; the provincial
    coordination office -> coordinator, a district's -> district officer)."""
    if agency.kind == AgencyKind.COORDINATION_OFFICE:
        return Role.COORDINATOR if agency.scope.level == UnitLevel.PROVINCE else Role.DISTRICT_OFFICER
    return _ROLE_OF_KIND[agency.kind]


def token_digest(key: str) -> str:
    """The SHA-256 hex digest kept in place of a token's key (64 characters). The key
    holds 190 random bits, so a fast digest is enough: no one can guess back from it."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A token just issued, with its key: the only time the key is known."""

    token: ApiToken
    key: str


@transaction.atomic
def api_token_issue(
    *, user, agency: Agency, name: str, access: str, expires_on: datetime.date
) -> IssuedToken:
    """Issue a token to ``agency`` for the system ``name``: ``access`` one of
    :class:`~accounts.models.TokenAccess`, valid until the end of ``expires_on`` (a
    date, Vietnam time, at most :data:`TOKEN_MAX_DAYS` ahead). Creates the token's own
    account (username ``api-<prefix>``, no password: it cannot log in to the pages) in
    ``agency`` with :func:`token_role`. Returns the token and its key
    (``ntm_<prefix>_<secret>``), which is never shown again.

    Raises ``PermissionDenied`` unless ``user`` is a coordinator, and
    ``ValidationError`` naming the field (``name``, ``access``, ``agency``,
    ``expires_on``) for a blank or too long name, an unknown access, an inactive or merged agency,
    or an expiry date not in the future or too far ahead.
    """
    if not is_coordinator(user):
        raise PermissionDenied(_("Only a provincial coordinator issues API tokens."))
    errors = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Name the system that will use the token.")
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = _("The name is too long: at most %(max)s characters.") % {
            "max": ApiToken._meta.get_field("name").max_length
        }
    if access not in TokenAccess.values:
        errors["access"] = _("Choose read only or read and write.")
    if not agency.is_active or hasattr(agency, "merger"):
        errors["agency"] = _("This agency no longer receives new work; choose the agency in force.")
    today = timezone.localdate()
    if expires_on <= today:
        errors["expires_on"] = _("The expiry date must be after today.")
    elif expires_on > today + datetime.timedelta(days=TOKEN_MAX_DAYS):
        errors["expires_on"] = _("A token lives at most a year; choose an earlier date.")
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4 billion
        prefix = secrets.token_hex(4)
    key = f"{TOKEN_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(24)}"
    account = User(username=f"api-{prefix}", first_name=name[:150], last_name="API", agency=agency)
    account.set_unusable_password()
    account.save()
    account.groups.add(Group.objects.get(name=token_role(agency).value))
    end = datetime.datetime.combine(expires_on + datetime.timedelta(days=1), datetime.time())
    token = ApiToken.objects.create(
        name=name,
        agency=agency,
        user=account,
        access=access,
        prefix=prefix,
        key_hash=token_digest(key),
        created_by=user,
        expires_at=timezone.make_aware(end),
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> ApiToken:
    """Revoke ``token`` now (its account is deactivated too): every later call with its
    key answers 401. Revoking a revoked token changes nothing. Raises
    ``PermissionDenied`` unless ``user`` is a coordinator."""
    if not is_coordinator(user):
        raise PermissionDenied(_("Only a provincial coordinator revokes API tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), user
        token.save(update_fields=["revoked_at", "revoked_by"])
        token.user.is_active = False
        token.user.save(update_fields=["is_active"])
    return token


# --- Staffing of the coordination offices ------------------------------------------------


class StaleStaffing(Exception):
    """Someone saved the agency after the version the user's form was read at;
    ``message`` says who and asks to reload, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StaffingInput:
    """One row of the staffing form: the office, its two counts (None: not reported) and
    the version the form was read at (:func:`accounts.selectors.agency_version`)."""

    agency: Agency
    required: int | None
    actual: int | None
    version: str | None = None


class StaffingRefused(Exception):
    """Rows of :func:`agency_staffing_update_all` that could not be saved (so none was):
    ``errors`` the ValidationError of each refused row and ``stale`` the
    :class:`StaleStaffing` of each row changed by someone else meanwhile, both by the
    row's index in the rows given."""

    def __init__(self, *, errors: dict[int, ValidationError], stale: dict[int, StaleStaffing]):
        super().__init__(f"{len(errors)} invalid, {len(stale)} stale")
        self.errors, self.stale = errors, stale


def _require_staffing_role(user) -> None:
    """403, saying why, unless ``user`` is a provincial coordinator."""
    require_role(
        user,
        Role.COORDINATOR,
        message=_("Only a provincial coordinator keeps the staffing of the coordination offices."),
    )


@transaction.atomic
def agency_staffing_update(
    *, user, agency: Agency, required: int | None, actual: int | None, version: str | None = None
) -> bool:
    """Set the full-time NTM staff a coordination office should have (``required``) and
    has (``actual``), whole numbers from 0 to 999 or None (not reported); ``actual`` may
    exceed ``required``, but needs it (:func:`accounts.staffing.staffing_errors`). Notice
    58/TB-UBND of 06/07/2020 says the district offices lack staff.

    ``version`` is the one the user's form was read at
    (:func:`accounts.selectors.agency_version`); None skips the check. The history row
    names ``user`` with the change reason ``STAFFING_REASON``; an agency with no history
    yet (loaded from a fixture) first gets a row of its counts as they stood
    (``STAFFING_BASELINE_REASON``), so the history shows old and new. Nothing is written
    when the counts do not change. Returns whether they changed.

    Raises ``PermissionDenied`` unless ``user`` is a provincial coordinator holding
    ``accounts.change_agency``; :class:`~core.exceptions.OutOfScope` when the office's
    unit lies outside their change scope; :class:`StaleStaffing` when someone saved the
    agency after ``version``; ``ValidationError`` keyed by field ("required", "actual",
    "agency" for an agency that is not a coordination office)."""
    _require_staffing_role(user)
    require_permission(user, "accounts.change_agency")
    agency = Agency.objects.select_for_update().select_related("scope").get(pk=agency.pk)
    require_unit(user, agency.scope)
    if version is not None and agency_version(agency.pk) != version:
        raise StaleStaffing(
            _("Someone else has just changed the staffing of %(agency)s: reload the page.")
            % {"agency": agency.name}
        )
    if agency.kind != AgencyKind.COORDINATION_OFFICE:
        raise ValidationError(
            {
                "agency": _("%(agency)s is not a coordination office: only those keep staff counts.")
                % {"agency": agency.name}
            }
        )
    errors = staffing_errors(required, actual)
    if errors:
        raise ValidationError(errors)
    if (agency.ntm_staff_required, agency.ntm_staff_actual) == (required, actual):
        return False
    fields_save(
        agency,
        user=user,
        values={"ntm_staff_required": required, "ntm_staff_actual": actual},
        reason=STAFFING_REASON,
        baseline_reason=STAFFING_BASELINE_REASON,
    )
    return True


@transaction.atomic
def agency_staffing_update_all(*, user, rows: Sequence[StaffingInput]) -> list[Agency]:
    """Save the rows of the staffing form together (:func:`agency_staffing_update` each):
    all of them, or, if one is invalid or stale, none. Returns the agencies whose counts
    changed. Raises :class:`StaffingRefused` naming every refused row (its
    ``ValidationError`` or :class:`StaleStaffing`), ``PermissionDenied`` and
    :class:`~core.exceptions.OutOfScope` as the single update does."""
    _require_staffing_role(user)
    errors: dict[int, ValidationError] = {}
    stale: dict[int, StaleStaffing] = {}
    changed = []
    for index, row in enumerate(rows):
        try:
            with transaction.atomic():  # a savepoint: the next rows are still checked
                if agency_staffing_update(
                    user=user,
                    agency=row.agency,
                    required=row.required,
                    actual=row.actual,
                    version=row.version,
                ):
                    changed.append(row.agency)
        except StaleStaffing as refusal:
            stale[index] = refusal
        except ValidationError as error:
            errors[index] = error
    if errors or stale:
        raise StaffingRefused(errors=errors, stale=stale)
    return changed
