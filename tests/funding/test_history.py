"""The history users read on the portal: a unit's page lists every change of its cement
allocations (regular and reserve), deliveries, use reports, fund allocations and
disbursements; a project's page lists its own changes (old → new) and every check with
the condition's text. Who, when, values the Vietnamese way, a fixed number of queries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from funding.models import ConditionCheck, ProjectStatus, SupportCondition, ValueChainProject
from funding.selectors.history import unit_history
from funding.services.cement import cement_batch_create, cement_delivery_create
from funding.services.funds import disbursement_create, fund_allocation_create
from tests.conftest import unit
from tests.funding.factories import commune, source
from tests.funding.test_projects import _project

pytestmark = pytest.mark.django_db


def _unit_page_writes(coordinator):
    dai_tu = unit("171")
    cement_batch_create(
        user=coordinator,
        year=2020,
        kind="regular",
        decision_number="512/QĐ-UBND",
        decision_date=datetime.date(2020, 3, 10),
        allocations={dai_tu: Decimal("200")},
    )
    cement_batch_create(
        user=coordinator,
        year=2020,
        kind="reserve",
        decision_number="2050/QĐ-UBND",
        decision_date=datetime.date(2020, 7, 20),
        allocations={dai_tu: Decimal("12.5")},
    )
    cement_delivery_create(
        user=coordinator, unit=dai_tu, year=2020, delivered_on=datetime.date(2020, 4, 1), tonnes=Decimal("50")
    )
    allocation = fund_allocation_create(
        user=coordinator, unit=dai_tu, year=2020, source=source(), amount=Decimal(1_234_567_000)
    )
    disbursement_create(
        user=coordinator,
        unit=dai_tu,
        year=2020,
        source=source(),
        paid_on=datetime.date(2020, 6, 1),
        amount=Decimal(1_234_567),
    )
    return allocation


def test_the_unit_page_lists_every_kind_of_change_with_who_and_vietnamese_values(client, coordinator):
    allocation = _unit_page_writes(coordinator)
    allocation.amount = Decimal(1_500_000_000)
    allocation._history_user = coordinator
    allocation.save()
    client.force_login(coordinator)
    response = client.get(reverse("funding-unit", args=[unit("171").pk]), {"year": "2020"})
    kinds = [entry.kind for entry in response.context["data"].history]
    assert sorted(kinds) == sorted(
        [
            "cement_allocation",
            "cement_allocation",
            "delivery",
            "fund_allocation",
            "fund_allocation",
            "disbursement",
        ]
    )
    assert {entry.user for entry in response.context["data"].history} == {str(coordinator)}
    page = response.content.decode()
    assert "2050/QĐ-UBND" in page  # the approved reserve batch
    assert "12,5 tấn" in page and "1.234.567 đ" in page and "01/06/2020" in page
    assert "1.234.567.000 đ → 1.500.000.000 đ" in page  # old → new


def test_the_unit_history_reads_a_fixed_number_of_queries(coordinator, django_assert_num_queries):
    _unit_page_writes(coordinator)
    dai_tu = unit("171")
    with django_assert_num_queries(5):
        first = unit_history(unit=dai_tu, year=2020)
    _unit_page_writes_more(coordinator)
    with django_assert_num_queries(5):
        second = unit_history(unit=dai_tu, year=2020)
    assert len(second) > len(first)


def _unit_page_writes_more(coordinator):
    for day in (2, 3, 4):
        cement_delivery_create(
            user=coordinator,
            unit=unit("171"),
            year=2020,
            delivered_on=datetime.date(2020, 4, day),
            tonnes=Decimal("1"),
        )


def test_the_project_page_shows_its_changes_old_to_new_and_checks_by_condition_text(client, coordinator):
    call_command("load_missing", "support_conditions_4781", stdout=io.StringIO())
    client.force_login(coordinator)
    client.post(reverse("funding-project-new"), _project())
    project = ValueChainProject.objects.get()
    edited = _project(
        status="vetting", support_requested="2.400.000.000", communes=[str(commune("Xã La Bằng").pk)]
    )
    assert client.post(reverse("funding-project-edit", args=[project.pk]), edited).status_code == 302
    condition = SupportCondition.objects.order_by("position").first()
    # A check written without an acting user (e.g. loaded) still names its checker.
    ConditionCheck.objects.create(
        project=project,
        condition=condition,
        outcome="met",
        checked_by=coordinator,
        checked_at=datetime.datetime(2020, 7, 10, 9, 0, tzinfo=datetime.UTC),
    )
    response = client.get(reverse("funding-project", args=[project.pk]))
    history = response.context["history"]
    assert all(entry.user == str(coordinator) for entry in history.changes)
    with translation.override("vi"):
        status_change = f"{ProjectStatus.PROPOSED.label} → {ProjectStatus.VETTING.label}"
        requested = capfirst(str(ValueChainProject._meta.get_field("support_requested").verbose_name))
        communes = capfirst(str(ValueChainProject._meta.get_field("communes").verbose_name))
    # The edit (newest first: its communes, then its fields) after the creation.
    edit = [entry for entry in history.changes if all(c.old is not None for c in entry.changes)][:2]
    changed = {change.label: (change.old, change.new) for entry in edit for change in entry.changes}
    assert changed[requested] == ("2.500.000.000 đ", "2.400.000.000 đ")
    assert changed[communes] == ("Xã La Bằng, Xã Hoàng Nông", "Xã La Bằng")  # by GSO code
    assert len(changed) == 3  # status, support asked and communes, nothing else
    check = history.checks[0]
    assert (check.subject, check.user) == (condition.text, str(coordinator))
    page = response.content.decode()
    assert status_change in page and "proposed → vetting" not in page
    assert "2.500.000.000 đ → 2.400.000.000 đ" in page
    checks_part = page.split('data-testid="check-history"')[1].split("</ul>")[0]
    assert condition.text in checks_part and condition.code not in checks_part
