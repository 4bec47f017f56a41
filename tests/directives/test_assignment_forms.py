"""The assignment page's forms keep what the assignee typed when the portal refuses it."""

import datetime

import pytest
from django.urls import reverse

from .conftest import make_task

pytestmark = pytest.mark.django_db


def test_a_refused_progress_report_comes_back_with_the_text_typed(client, department_officer):
    assignment = make_task(agency_code="so-giao-thong-van-tai", deadline=datetime.date(2026, 12, 15))
    client.force_login(department_officer)
    response = client.post(
        reverse("directive-progress", args=[assignment.pk]),
        {"text": "Đã rà soát 12 tuyến đường trục xã", "percent": "150"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Đã rà soát 12 tuyến đường trục xã" in page
    assert 'value="150"' in page
    assert assignment.reports.count() == 0


def test_my_tasks_lists_the_most_overdue_first_and_standing_tasks_last(client, department_officer):
    standing = make_task(agency_code="so-giao-thong-van-tai", deadline=None, number="1/T")
    later = make_task(agency_code="so-giao-thong-van-tai", deadline=datetime.date(2026, 12, 20), number="2/T")
    overdue = make_task(
        agency_code="so-giao-thong-van-tai", deadline=datetime.date(2026, 11, 1), number="3/T"
    )
    client.force_login(department_officer)
    page = client.get(reverse("directive-my-tasks")).content.decode()
    positions = [page.index(f"/directives/assignments/{a.pk}/") for a in (overdue, later, standing)]
    assert positions == sorted(positions)


def test_a_refused_extension_request_comes_back_with_the_reason_typed(client, department_officer):
    assignment = make_task(agency_code="so-giao-thong-van-tai", deadline=datetime.date(2026, 12, 15))
    client.force_login(department_officer)
    response = client.post(
        reverse("directive-extension", args=[assignment.pk]),
        {"requested_deadline": "31/02/2027", "reason": "Chờ kết quả khảo sát hiện trường"},
    )
    assert response.status_code == 400
    assert "Chờ kết quả khảo sát hiện trường" in response.content.decode()
