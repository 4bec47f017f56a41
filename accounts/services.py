"""Writes to users and agencies."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, AgencyKind, User
from accounts.roles import Role
from communes.models import AdministrativeUnit

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


DEMO_USERS = (
    DemoUser("admin", "Quản trị hệ thống", Role.COORDINATOR, "vpdp-ntm-tinh", True, True),
    DemoUser("dieuphoi", "Nguyễn Thị Điều Phối", Role.COORDINATOR, "vpdp-ntm-tinh", is_staff=True),
    DemoUser("daitu", "Trần Văn Đại Từ", Role.DISTRICT_OFFICER, "vpdp-ntm-huyen-dai-tu"),
    DemoUser("phubinh", "Lê Thị Phú Bình", Role.DISTRICT_OFFICER, "vpdp-ntm-huyen-phu-binh"),
    DemoUser("sogtvt", "Phạm Văn Giao Thông", Role.DEPARTMENT_OFFICER, "so-giao-thong-van-tai"),
    DemoUser("lanhdao", "Hoàng Văn Lãnh Đạo", Role.LEADER, "ubnd-tinh"),
    DemoUser("apiclient", "Hệ thống báo cáo tỉnh", Role.API_CLIENT, "he-thong-bao-cao-demo"),
)


@transaction.atomic
def demo_users_ensure() -> list[tuple[DemoUser, bool]]:
    """Create the demo users (one per role) that do not exist yet; return each with
    whether it was created. An existing user is left as it is (its password included).

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


def notifications_mark_read(*, user) -> int:
    """Mark every unread notification of ``user`` as read now; return how many were."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
