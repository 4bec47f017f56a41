"""The interface speaks Vietnamese by default, English on request; dd/mm/yyyy dates."""

import pytest
from django.urls import reverse
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def test_login_page_is_in_vietnamese_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập vào Cổng NTM" in page
    assert 'lang="vi"' in page


def test_english_is_available(client, coordinator):
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("home"), {"on": "2025-01-01"}).content.decode()
    assert "Structure in force on 01/01/2025." in page


def test_numbers_use_a_decimal_comma_and_a_thousands_dot():
    with translation.override("vi"):
        assert formats.number_format(17.23, 2) == "17,23"
        assert formats.number_format(1234567, use_l10n=True, force_grouping=True) == "1.234.567"
        import datetime

        assert formats.date_format(datetime.date(2020, 7, 6), "SHORT_DATE_FORMAT") == "06/07/2020"


def test_date_input_is_day_first():
    from communes.forms import TreeDateForm

    form = TreeDateForm({"on": "05/07/2020"})
    assert form.is_valid()
    assert form.cleaned_data["on"].isoformat() == "2020-07-05"


def test_an_english_browser_still_gets_vietnamese(client):
    page = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert "Đăng nhập vào Cổng NTM" in page


def test_a_form_without_its_security_token_is_refused_in_vietnamese():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
