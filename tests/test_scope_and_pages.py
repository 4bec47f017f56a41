"""Who sees what: every page goes through accounts.scope; outside the scope is 404."""

import unicodedata

import pytest
import time_machine
from django.urls import reverse

from accounts.scope import unit_scope
from communes.models import AdministrativeUnit
from tests.conftest import BEFORE_REFORM, unit

pytestmark = pytest.mark.django_db


def commune(name, *, current=False):
    return AdministrativeUnit.objects.get(name=name, valid_until__isnull=current)


def test_dai_tu_officer_sees_dai_tus_communes_and_nothing_of_phu_binh(dai_tu_officer):
    visible = unit_scope(dai_tu_officer)
    dai_tu = unit("171")
    assert set(visible.filter(level="commune")) == set(dai_tu.children.all())
    assert visible.filter(level="commune").count() == 27
    assert not visible.filter(pk=unit("173").pk).exists()


def test_dai_tu_officer_gets_404_for_a_phu_binh_commune(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    ban_dat = commune("Xã Bàn Đạt")
    assert client.get(reverse("unit-detail", args=[ban_dat.pk])).status_code == 404
    own = commune("Xã Phúc Lương")
    assert client.get(reverse("unit-detail", args=[own.pk])).status_code == 200


def test_provincial_users_also_see_the_former_bac_kan_province(coordinator, dai_tu_officer):
    cho_don = AdministrativeUnit.objects.get(name="Huyện Chợ Đồn")
    assert unit_scope(coordinator).filter(pk=cho_don.pk).exists()
    assert unit_scope(coordinator).filter(pk=unit("06").pk).exists()
    assert not unit_scope(dai_tu_officer).filter(pk=cho_don.pk).exists()


def test_leader_sees_every_unit_and_can_change_none(client, leader):
    assert unit_scope(leader).count() == AdministrativeUnit.objects.count()
    assert unit_scope(leader, for_change=True).count() == 0
    client.force_login(leader)
    target = commune("Xã Phú Bình", current=True)
    assert client.get(reverse("unit-detail", args=[target.pk])).status_code == 200
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": "Xóm Mới", "kind": "xom"})
    assert response.status_code == 403
    assert not target.children.exists()


def test_user_without_agency_sees_nothing(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    assert unit_scope(user).count() == 0
    client.force_login(user)
    assert client.get(reverse("unit-detail", args=[unit("19", current=True).pk])).status_code == 404


def test_coordinator_adds_a_hamlet_to_a_current_commune_and_it_is_in_history(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Phú Bình", current=True)
    nfd_name = unicodedata.normalize("NFD", "Xóm  Đồng\u00a0Quan")
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": nfd_name, "kind": "xom"})
    assert response.status_code == 302
    hamlet = target.children.get()
    assert hamlet.name == "Xóm Đồng Quan"  # NFC, single spaces
    assert hamlet.level == "hamlet"
    assert hamlet.valid_from.isoformat() == "2026-11-30"
    record = hamlet.history.get()
    assert record.history_user == coordinator
    assert record.history_type == "+"


def test_a_duplicate_hamlet_name_is_refused_with_the_field_named_in_vietnamese(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Phú Bình", current=True)
    client.post(reverse("unit-detail", args=[target.pk]), {"name": "Xóm Đồng Quan", "kind": "xom"})
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": "xom dong quan", "kind": "xom"})
    assert response.status_code == 200
    assert "Tên xóm: Xã Phú Bình đã có xóm Xóm Đồng Quan." in response.content.decode()
    assert target.children.count() == 1


def test_an_empty_hamlet_name_is_refused(client, coordinator):
    client.force_login(coordinator)
    target = commune("Xã Phú Bình", current=True)
    response = client.post(reverse("unit-detail", args=[target.pk]), {"name": "   ", "kind": "xom"})
    assert response.status_code == 200
    assert "Tên xóm: Trường này là bắt buộc." in response.content.decode()
    assert not target.children.exists()


def test_district_officer_adds_a_hamlet_in_own_district_before_the_reform(
    client, dai_tu_officer, phu_binh_officer
):
    with time_machine.travel(BEFORE_REFORM, tick=False):
        client.force_login(dai_tu_officer)
        own = commune("Xã Phúc Lương")
        assert (
            client.post(
                reverse("unit-detail", args=[own.pk]), {"name": "Xóm Đèo Khế", "kind": "xom"}
            ).status_code
            == 302
        )
        assert own.children.get().name == "Xóm Đèo Khế"
        client.force_login(phu_binh_officer)
        assert (
            client.post(
                reverse("unit-detail", args=[own.pk]), {"name": "Xóm Khác", "kind": "xom"}
            ).status_code
            == 404
        )
        assert own.children.count() == 1


def test_a_closed_commune_offers_no_hamlet_form(client, coordinator):
    client.force_login(coordinator)
    closed = commune("Xã Phúc Lương")
    page = client.get(reverse("unit-detail", args=[closed.pk])).content.decode()
    assert 'name="name"' not in page
    assert (
        client.post(reverse("unit-detail", args=[closed.pk]), {"name": "Xóm X", "kind": "xom"}).status_code
        == 403
    )


def test_unit_page_shows_lineage_both_ways(client, coordinator):
    client.force_login(coordinator)
    new = commune("Xã Phú Bình", current=True)
    page = client.get(reverse("unit-detail", args=[new.pk])).content.decode()
    assert "Hình thành từ" in page and "Xã Thượng Đình" in page and "Xã Úc Kỳ" in page
    old = commune("Xã Thượng Đình")
    page = client.get(reverse("unit-detail", args=[old.pk])).content.decode()
    assert "Sáp nhập vào" in page and "Xã Điềm Thụy" in page and "Xã Phú Bình" in page
    assert "01/07/2025" in page


def test_dai_tu_officer_sees_successors_outside_scope_as_text_not_links(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    old = commune("Xã Phúc Lương")
    successor = old.successions_as_predecessor.get().successor
    page = client.get(reverse("unit-detail", args=[old.pk])).content.decode()
    assert successor.name in page
    assert reverse("unit-detail", args=[successor.pk]) not in page


def test_mark_all_as_read_clears_the_bell(client, dai_tu_officer, coordinator):
    from accounts.models import Notification

    Notification.objects.create(recipient=dai_tu_officer, message="Phiếu bị trả lại", link="/")
    Notification.objects.create(recipient=coordinator, message="Của người khác", link="/")
    client.force_login(dai_tu_officer)
    assert 'badge text-bg-danger">1</span>' in client.get(reverse("notifications")).content.decode()
    assert client.post(reverse("notifications")).status_code == 302
    assert not dai_tu_officer.notifications.filter(read_at__isnull=True).exists()
    assert coordinator.notifications.filter(read_at__isnull=True).count() == 1
    assert 'badge text-bg-danger">' not in client.get(reverse("notifications")).content.decode()
