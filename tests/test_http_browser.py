"""End-to-end dashboard tests in headless Chromium (Debian's package) driven by Playwright.

They serve the real app on a loopback port and use it as an analyst would: ingest the
seed article through the ingest page, search its events, open the CONSULT event and
check the evidence is highlighted; and check that an article full of markup stays text.
Screenshots go to artifacts/ for CI.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from http_samples import CHROMIUM, CHROMIUM_ARGS, LiveServer, build_store
from tidings.http import create_app
from tidings.service import web

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
SEED = ROOT / "examples" / "000_e391cc00f0f64659.txt"
TOKEN = "browser-token-0123456789"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

expect.set_options(timeout=20_000)  # CI machines are shared: be patient, not flaky


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    db = build_store(tmp_path_factory.mktemp("browser") / "store.db")
    with LiveServer(create_app(db, token=TOKEN)) as server:
        yield server
    web.close_stores()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.set_default_timeout(20_000)
    yield page
    context.close()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def settled(page: Page) -> None:
    """Wait until the view has finished rendering the route in the address bar."""
    page.wait_for_function("() => { const view = document.getElementById('view');"
                           " return view.dataset.rendered === location.hash"
                           " && view.getAttribute('aria-busy') === 'false'; }")


def test_dashboard_loads_with_the_event_table(page, live):
    page.goto(live.url + "/")
    settled(page)
    expect(page.locator("#event-results tbody tr")).to_have_count(4)
    expect(page.locator("nav a.active")).to_have_text("Events")
    assert page.errors == []


def test_filters_narrow_the_table_and_live_in_the_url(page, live):
    page.goto(live.url + "/#/events")
    settled(page)
    page.fill("#f-actor", "NOR")
    page.select_option("#f-certainty", "denied")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#event-results tbody tr")).to_have_count(1)
    assert "certainty=denied" in page.url
    expect(page.locator("#event-results tbody tr")).to_contain_text("SANCTION")


def test_an_article_with_markup_renders_inert(page, live):
    page.goto(live.url + "/#/events?country=PRT")
    settled(page)
    page.click("#event-results a")
    settled(page)
    expect(page.locator("#article-text")).to_contain_text("<script>window.__pwned = 1</script>")
    expect(page.locator("h2").first).to_have_text('<img src=x onerror="window.__pwned = 3">')
    expect(page.locator(".lede")).to_contain_text('<svg onload="window.__pwned = 4">')
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#view script, #view img, #view svg[onload]").count() == 0
    assert page.errors == []
    shoot(page, "dashboard-xss-inert.png")


def test_map_network_and_dyad_pages_draw(page, live):
    page.goto(live.url + "/#/map")
    settled(page)
    expect(page.locator("circle.place-dot")).to_have_count(2)
    page.goto(live.url + "/#/network")
    settled(page)
    expect(page.locator("svg.network .node")).to_have_count(2)
    page.goto(live.url + "/#/dyad/NOR/KEN?by=week")
    settled(page)
    expect(page.locator("svg.chart rect.bar")).to_have_count(1)
    assert page.errors == []
    shoot(page, "dashboard-dyad.png")


def test_ingest_page_uploads_a_file_and_lists_its_rejections(page, live, tmp_path):
    upload = tmp_path / "batch.jsonl"
    upload.write_text('{"id": "x1", "date": "2025-02-30", "text": "A day that is not."}\n'
                      'this line is not JSON\n', "utf-8")
    page.goto(live.url + "/#/ingest")
    settled(page)
    page.fill("#f-token", TOKEN)
    page.set_input_files("#f-file", str(upload))
    expect(page.locator("#f-format")).to_have_value("application/x-ndjson")
    page.click("form.ingest button[type=submit]")
    rows = page.locator("#rejections tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("upload:batch.jsonl:1")
    expect(rows.nth(0)).to_contain_text("E103")
    expect(rows.nth(1)).to_contain_text("E105")
    assert page.errors == []


@pytest.mark.parametrize("route", ["#/events", "#/map", "#/dyad/NOR/KEN", "#/network",
                                   "#/ingest", "#/api"])
def test_pages_fit_a_narrow_window(page, live, route):
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(live.url + "/" + route)
    settled(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    assert page.errors == []


def test_seed_article_from_ingest_to_highlighted_consult_event(page, live):
    page.goto(live.url + "/#/ingest")
    settled(page)
    page.fill("#f-token", TOKEN)
    page.fill("#f-text", SEED.read_text("utf-8"))
    page.click("form.ingest button[type=submit]")
    page.wait_for_selector("#ingest-report, #view .error", timeout=120_000)
    assert page.locator("#view .error").count() == 0, page.locator("#view .error").inner_text()
    report = page.locator("#ingest-report")
    expect(report).to_contain_text("1 stored")
    expect(report).to_contain_text("Nothing was rejected")
    report.locator(".links a").first.click()
    settled(page)
    expect(page.locator("#event-results tbody tr").first).to_be_visible()

    page.goto(live.url + "/#/events?actor=IND&from=2025-02-01&to=2025-02-28")
    settled(page)
    consult = page.locator("#event-results tr[data-event-type=CONSULT]",
                           has_text="Rajnath Singh").first
    expect(consult).to_contain_text("Pete Hegseth")
    consult.locator("a").click()
    settled(page)

    trigger = page.locator("#article-text mark.hl-trigger")
    expect(trigger.first).to_be_visible()
    sentence = page.locator("#article-text mark.hl-sentence")
    sentence_text = "".join(sentence.all_inner_texts())
    assert "telephonic conversation" in sentence_text
    assert "".join(trigger.all_inner_texts()) in sentence_text
    expect(page.locator("#article-text mark.hl-actor").first).to_contain_text("Rajnath Singh")
    expect(page.locator("#article-text mark.hl-recipient").first).to_contain_text("counterpart")
    expect(page.locator("table.provenance")).to_contain_text("event_type")
    expect(page.locator("#mentions li.current")).to_contain_text("this mention")
    assert page.errors == []
    shoot(page, "dashboard-seed-consult.png")
    page.set_viewport_size({"width": 420, "height": 900})
    shoot(page, "dashboard-seed-consult-narrow.png")
