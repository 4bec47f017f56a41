"""A page outside the user's scope answers the portal's Vietnamese 404 page even in DEBUG
(the demo), and the language switch on a page rendered after a refused POST goes back to
the page the form was on, not to an address that only answers POST."""

import pytest
from django.test import override_settings
from django.urls import reverse

from communes.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_another_districts_unit_is_the_portals_404_page_even_in_debug(client, phu_binh_officer):
    client.force_login(phu_binh_officer)
    unit = AdministrativeUnit.objects.get(name="Xã Phúc Lương")
    response = client.get(reverse("unit-detail", args=[unit.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Trang này không tồn tại, hoặc nằm ngoài phạm vi đơn vị bạn phụ trách." in page
    assert "URLconf" not in page and "DEBUG = True" not in page


def test_the_language_switch_after_a_refused_post_returns_to_the_referring_page(client, dai_tu_officer):
    client.force_login(dai_tu_officer)
    response = client.post(
        reverse("report-upload-create"), {}, HTTP_REFERER="http://testserver/criteria/reports/"
    )
    assert response.status_code == 400
    assert (
        'name="next" type="hidden" value="http://testserver/criteria/reports/"' in response.content.decode()
    )
