"""The map of the communes in a real browser (headless Chromium, Debian's package): the
demo leader opens /dashboard/map/, the script draws one mark per commune and a legend
with the counts, under the Content Security Policy, with no request leaving the portal.
Screenshots (colour, greyscale, deuteranopia) and a print-to-PDF land in test-artifacts/.

The dataset: a 19-criterion set, period 2020-h1; 40 of the 121 xã of Thái Nguyên in force
on 30/06/2020 (every third by GSO code) have an approved assessment, meeting in turn
19, 18, 17, 16, 12, 8, 19, 15 criteria: 10 at the standard, 5 at 18, 15 at 15-17, 5 at
10-14, 5 under 10; the other 81 have none.
"""

import datetime

import pytest

from accounts.services import DEMO_PASSWORD
from communes.models import AdministrativeUnit, UnitKind
from criteria.models import Assessment, CriteriaSet, Criterion, ReportingPeriod
from tests.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date
PATTERN = (19, 18, 17, 16, 12, 8, 19, 15)


@pytest.fixture
def assessed(loaded_db):
    period = ReportingPeriod.objects.create(
        code="2020-h1", name="6 tháng đầu năm 2020", kind="half_year", start=D(2020, 1, 1), end=D(2020, 6, 30),
        submission_deadline=D(2020, 7, 15), lock_date=D(2020, 8, 14),
    )  # fmt: skip
    criteria_set = CriteriaSet.objects.create(
        code="qd-1980-2016",
        name="Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2016-2020",
        level="standard",
    )
    Criterion.objects.bulk_create(
        Criterion(criteria_set=criteria_set, number=n, name=f"Tiêu chí {n}") for n in range(1, 20)
    )
    xa = list(
        AdministrativeUnit.objects.filter(
            kind=UnitKind.COMMUNE, parent__parent__name="Tỉnh Thái Nguyên", valid_until=D(2025, 6, 30)
        ).order_by("code")
    )
    assert len(xa) == 121
    chosen = xa[::3][:40]
    Assessment.objects.bulk_create(
        Assessment(
            commune=commune, period=period, criteria_set=criteria_set, status="approved",
            criteria_met=PATTERN[i % len(PATTERN)], criteria_total=19, meets_standard=PATTERN[i % len(PATTERN)] == 19,
        )
        for i, commune in enumerate(chosen)
    )  # fmt: skip
    return chosen


def log_in(page, live_server, next_path):
    page.goto(live_server.url + "/login/?next=" + next_path)
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**" + next_path)


def test_the_demo_leader_sees_every_commune_on_the_map_with_the_legend_counts(page, live_server, assessed):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, live_server, "/dashboard/map/")
    container = page.locator("#commune-map[data-drawn=true]")
    container.wait_for()
    assert container.get_attribute("data-markers") == "121"
    assert page.locator("#commune-map svg a").count() == 121
    counts = {
        key: page.locator(f'.commune-map-legend-row[data-band="{key}"] .commune-map-count').text_content()
        for key in ("0-9", "10-14", "15-17", "18-18", "standard", "unassessed")
    }
    assert counts == {
        "0-9": "5",
        "10-14": "5",
        "15-17": "15",
        "18-18": "5",
        "standard": "10",
        "unassessed": "81",
    }
    legend = page.locator(".commune-map-legend").text_content()
    assert "Dưới 10 tiêu chí" in legend and "Đạt cả 19 tiêu chí (đạt chuẩn)" in legend
    # The communes at the standard are the diamonds; each mark names its commune.
    assert page.locator('#commune-map a[data-band="standard"] polygon').count() == 10
    first = assessed[0]
    link = page.locator(f'#commune-map a[href="/units/{first.pk}/"]')
    assert link.locator("title").text_content() == (
        f"{first.name} ({first.parent.name}): 19/19 tiêu chí, đạt chuẩn"
    )
    # Nothing left the portal: no tile server, no font or script from elsewhere.
    assert requests, "the page made no request at all"
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    assert page.console_errors == []

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-leader.png"), full_page=True)
    # As a reader with no colour vision, and one with deuteranopia, would see it.
    cdp = page.context.new_cdp_session(page)
    for deficiency in ("achromatopsia", "deuteranopia"):
        cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": deficiency})
        page.locator("[data-testid=map-card]").screenshot(path=str(ARTIFACTS / f"map-{deficiency}.png"))
    cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": "none"})
    page.emulate_media(media="print")
    page.pdf(path=str(ARTIFACTS / "map-leader.pdf"), format="A4", print_background=True)
    page.emulate_media(media="screen")

    # A mark is a link reached from the keyboard: Enter on it opens the commune's page.
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/units/{first.pk}/"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/units/{first.pk}/")
    assert first.name in page.locator("h1").inner_text()
