"""The demo data of ``make run`` (manage.py load_demo_funding)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from funding.models import (
    CementBatch,
    CementUse,
    Disbursement,
    FundAllocation,
    OcopProduct,
    ValueChainProject,
)

pytestmark = pytest.mark.django_db

MODELS = (CementBatch, CementUse, FundAllocation, Disbursement, ValueChainProject, OcopProduct)


def test_the_demo_loads_once_and_a_second_run_changes_nothing(client, coordinator):
    call_command("load_demo_funding", stdout=io.StringIO())
    counts = [model.objects.count() for model in MODELS]
    assert counts[0] == 2 and all(counts)
    call_command("load_demo_funding", stdout=io.StringIO())
    assert [model.objects.count() for model in MODELS] == counts
    assert all(not model.objects.filter(is_demo=False).exists() for model in MODELS)
    client.force_login(coordinator)
    response = client.get(reverse("funding-cement"), {"year": "2020"})
    overview = response.context["overview"]
    assert len(overview.rows) == 9 and overview.has_demo
    assert 'data-testid="demo-badge"' in response.content.decode()
    # The mountain districts use their cement slowly, as the notice complains.
    assert {row.unit.name for row in overview.rows if row.band == "low"} == {
        "Huyện Định Hóa",
        "Huyện Võ Nhai",
    }
    proposal = client.get(reverse("funding-reserve"), {"year": "2020", "level": "district", "reserve": "500"})
    assert sum(item["row"].share for item in proposal.context["rows"]) == 500
    funds = client.get(reverse("funding-funds"), {"year": "2020"}).context["overview"]
    assert funds.slow_units and funds.expected == 90


def test_the_demo_is_refused_where_demo_data_is_off(settings):
    settings.DEMO_DATA = False
    with pytest.raises(CommandError):
        call_command("load_demo_funding", stdout=io.StringIO())
