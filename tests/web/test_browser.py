"""The web app in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import REPO
from tests.web.conftest import PASSWORD

ARTIFACTS = REPO / "build" / "artifacts"


def signed_in_page(browser: Browser, live_server: str, email: str = "ann@example.org") -> Page:
    """A new page with an account registered and signed in through the real forms."""
    page = browser.new_page()
    sign_in_through(page, live_server + "/register", email)
    return page


def sign_in_through(page: Page, form_url: str, email: str) -> None:
    """Fill the sign-in (or registration) form and check the account is signed in."""
    page.goto(form_url)
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    assert page.locator("form[action='/signout']").count() == 1


def _screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    page.screenshot(path=str(target), full_page=True)
    return target


@pytest.mark.browser
@pytest.mark.covers("cauda_equina")
def test_a_person_who_reports_bladder_change_is_told_to_get_emergency_care(
    browser: Browser, live_server: str
) -> None:
    page = signed_in_page(browser, live_server)
    page.goto(live_server + "/check")
    page.check("[data-key='cauda_equina.bladder'] input")
    page.click("main button[value=ticked]")
    assert page.locator("section.action h1").inner_text() == "Get emergency care now"
    assert page.locator("form[action='/plan']").count() == 0
    shot = _screenshot(page, "web-emergency.png")
    assert shot.stat().st_size > 10_000
    page.close()


@pytest.mark.browser
def test_the_browser_refuses_to_continue_until_a_safety_question_is_answered(
    browser: Browser, live_server: str
) -> None:
    page = signed_in_page(browser, live_server)
    page.goto(live_server + "/check")
    first_key = page.locator("main [data-key]").first.get_attribute("data-key")
    page.click("main button[value=ticked]")  # nothing ticked: asked again, nothing dropped
    assert page.url.endswith("/check")
    assert "None of these" in page.locator("#form-error").inner_text()
    assert page.locator("main [data-key]").first.get_attribute("data-key") == first_key
    _screenshot(page, "web-safety-questions.png")
    page.close()


@pytest.mark.browser
def test_a_diary_entry_typed_in_the_browser_lands_on_the_progress_page(
    browser: Browser, live_server: str
) -> None:
    page = signed_in_page(browser, live_server)
    page.goto(live_server + "/diary")
    page.fill("input[name=pain_now]", "4")
    page.fill("input[name=pain_worst]", "6")
    page.check("input[name=locations][value=low_back_central]")
    page.click("main button[type=submit]")
    assert page.url.endswith("/progress")
    assert "Days tracked" in page.content()
    _screenshot(page, "web-progress.png")
    page.close()
