"""Every page in a real Chromium at phone and laptop widths: nothing wider than the screen,
touch targets of at least 44 px, axe-core (WCAG 2.1 AA) without a violation, and the check
done with the keyboard alone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from backstride.config import Settings
from backstride.web.app import create_app
from tests.web.conftest import serve
from tests.web.test_browser import ARTIFACTS, sign_in_through
from tests.web.ui_world import EMAIL, html_pages, seed

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (320, 390, 1280)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: What must be at least 44 px tall to be easy to touch (links inside sentences excepted).
TARGETS = (
    "button, .button, nav a, label.pick, label.tick, input[type=number], input[type=date], select"
)
#: Pages kept as screenshots (a run's own page is "activity").
SHOTS = {"/": "home", "/together": "pain-and-training", "/training": "training",
         "/check": "check-first-page", "/diary": "diary", "/training/shoes": "shoes",
         "/plan": "plan"}  # fmt: skip
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= 0) continue;  // hidden, or the skip link parked left
    if (box.right > width + 1) wide.push(el.tagName + "." + el.className);
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""
SMALL_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .filter(el => el.getBoundingClientRect().height < 44)
  .map(el => el.outerHTML.slice(0, 80))"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str], Any]]:
    """A served app with a runner's check, diary and runs (SQLite)."""
    home = tmp_path_factory.mktemp("ui") / "home"
    settings = Settings(home=home, database_url=f"sqlite:///{home.parent / 'ui.sqlite3'}",
                        registration="open")  # fmt: skip
    app = create_app(settings)
    ids = seed(app, today=date.today())
    server = serve(settings)
    url = next(server)
    yield url, ids, app
    server.close()


@pytest.fixture(scope="module")
def context(browser: Browser, world: tuple[str, dict[str, str], Any]) -> Iterator[BrowserContext]:
    """One signed-in browser context (scripts may be injected: axe needs that)."""
    url, _ids, _app = world
    ctx = browser.new_context(bypass_csp=True)
    page = ctx.new_page()
    sign_in_through(page, url + "/signin", EMAIL)
    page.close()
    yield ctx
    ctx.close()


def layout_problems(page: Page) -> list[str]:
    """What is wider than the screen or too small to touch on the page shown."""
    found = page.evaluate(OVERFLOW_JS)
    problems = [f"scrolls sideways ({found['scroll']} > {found['width']})"] if (
        found["scroll"] > found["width"]) else []  # fmt: skip
    problems += [f"too wide: {w}" for w in found["wide"]]
    problems += [f"under 44 px: {s}" for s in page.evaluate(SMALL_JS, TARGETS)]
    return problems


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page shown."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [f"{v['id']}: {v['nodes'][0]['target']} {v['help']}" for v in result["violations"]]


def test_every_page_fits_from_320_px_to_a_laptop_and_axe_finds_no_violation(
    context: BrowserContext, world: tuple[str, dict[str, str], Any]
) -> None:
    url, ids, app = world
    pages = html_pages(app, ids)
    assert {"/", "/check", "/diary", "/together", "/training"} <= set(pages)
    page = context.new_page()
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 1000 else 900})
        for path in pages:
            page.goto(url + path)
            problems += [f"{width} px {path}: {p}" for p in layout_problems(page)]
            problems += [f"axe {width} px {path}: {v}" for v in axe_violations(page)]
            run = path.startswith("/training/activities/")
            name = "activity" if run else SHOTS.get(path)
            if name:
                page.screenshot(path=str(_artifact(f"{name}-{width}.png")), full_page=True)
    page.close()
    assert problems == [], "\n".join(problems)


def test_the_charts_are_drawn_with_uplot_and_keep_their_svg_without_scripts(
    browser: Browser, context: BrowserContext, world: tuple[str, dict[str, str], Any]
) -> None:
    url, _ids, _app = world
    page = context.new_page()
    page.goto(url + "/together")
    page.wait_for_selector("figure.drawn .uplot")
    assert page.locator(".uplot").count() == 3  # pain, distance and runs on one time axis
    axis_text = page.locator("figure.drawn").inner_text()
    assert "pain 0–10" in axis_text
    assert "km per day" in axis_text
    page.close()
    cookies = context.cookies()
    quiet = browser.new_context(java_script_enabled=False)
    quiet.add_cookies(cookies)
    still = quiet.new_page()
    still.goto(url + "/together")
    svg = still.locator("figure.chart svg.chart-svg")
    assert svg.count() == 1
    assert re.search(r"\d{2} \w{3} \d{4}", svg.text_content() or "")  # dates on the time axis
    quiet.close()


def test_the_check_can_be_done_with_the_keyboard_alone(
    context: BrowserContext, world: tuple[str, dict[str, str], Any]
) -> None:
    url, _ids, _app = world
    page = context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "/check")
    problems: list[str] = []
    for _step in range(60):
        if page.locator("form[action='/check']").count() == 0:
            break
        problems += [f"{page.title()}: {p}" for p in layout_problems(page)]
        problems += [f"axe {page.title()}: {v}" for v in axe_violations(page)]
        _answer_by_keyboard(page)
    assert page.locator("form[action='/check']").count() == 0, "the check did not finish"
    assert page.locator("section.action h1").count() == 1
    problems += [f"result: {p}" for p in layout_problems(page) + axe_violations(page)]
    assert problems == [], "\n".join(problems)
    page.close()


def _answer_by_keyboard(page: Page) -> None:
    """Answer the page shown with Tab, Space, typing and Enter only."""
    if page.locator("button[value=none]").count():
        _tab_to(page, "button[value=none]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        return
    for index in range(page.locator("main [data-key]").count()):
        block = page.locator("main [data-key]").nth(index)
        key = block.get_attribute("data-key") or ""
        number = block.locator("input[type=number][required]")
        radio = block.locator("input[type=radio][required]")
        if number.count():
            _tab_to(page, f"[data-key='{key}'] input[type=number]")
            page.keyboard.type("35" if key == "age" else number.get_attribute("min") or "0")
        elif radio.count():
            _tab_to(page, f"[data-key='{key}'] input[type=radio]")
            page.keyboard.press("Space")
    _tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _tab_to(page: Page, selector: str, *, limit: int = 80) -> None:
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.covers("cauda_equina")
def test_one_yes_on_the_first_list_leads_with_the_call_button_and_what_to_say(
    context: BrowserContext, world: tuple[str, dict[str, str], Any]
) -> None:
    url, _ids, _app = world
    page = context.new_page()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(url + "/check")
        page.check("[data-key='cauda_equina.bladder'] input")
        page.click("button[value=ticked]")
        assert page.locator("section.action h1").inner_text() == "Get emergency care now"
        call = page.locator("a.call").first
        assert call.get_attribute("href") == "tel:112"
        assert call.bounding_box()["height"] >= 44  # type: ignore[index]
        assert "Tell them" in page.locator("p.say").inner_text()
        assert page.locator("form[action='/plan']").count() == 0
        assert layout_problems(page) + axe_violations(page) == []
        page.screenshot(path=str(_artifact(f"emergency-{width}.png")), full_page=True)
    page.close()


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
