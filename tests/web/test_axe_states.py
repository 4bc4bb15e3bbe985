"""axe-core and the phone layout on the states the page walk does not reach: forms showing a
refused answer, and the plan with every fold open, at 320, 390 and 1280 px."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.web.test_ui_browser import WIDTHS, axe_violations, context, layout_problems, world

pytestmark = pytest.mark.browser
__all__ = ["context", "world"]  # the signed-in browser and served app of the page walk


def _submit_unchecked(page: Page, form: str, values: dict[str, str]) -> None:
    """Fill `form` and send it past the browser's own checks, as an old browser would."""
    page.evaluate("(f) => { document.querySelector(f).noValidate = true; }", form)
    for name, value in values.items():
        page.fill(f"{form} [name={name}]", value)
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def _shoe_refused(page: Page, url: str, _ids: dict[str, str]) -> None:
    page.goto(url + "/training/shoes")
    _submit_unchecked(page, "form[action='/training/shoes']", {"name": " ", "start_km": "-3"})


def _shoe_change_refused(page: Page, url: str, ids: dict[str, str]) -> None:
    page.goto(url + f"/training/shoes/{ids['shoe_id']}")
    action = f"form[action='/training/shoes/{ids['shoe_id']}']"
    _submit_unchecked(page, action, {"name": " ", "start_km": "9999"})


def _diary_refused(page: Page, url: str, _ids: dict[str, str]) -> None:
    page.goto(url + "/diary")
    _submit_unchecked(page, "main form[action='/diary']", {"on": "1900-01-01", "pain_now": "3"})


def _checkin_refused(page: Page, url: str, _ids: dict[str, str]) -> None:
    page.goto(url + "/checkin")
    _submit_unchecked(page, "form[action='/checkin']", {"pain": "14", "function": "5",
                                                        "sessions_done": "2"})  # fmt: skip


def _plan_unfolded(page: Page, url: str, _ids: dict[str, str]) -> None:
    page.goto(url + "/plan")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")


STATES: dict[str, Callable[[Page, str, dict[str, str]], None]] = {
    "a new pair refused": _shoe_refused, "a change to a pair refused": _shoe_change_refused,
    "a diary day refused": _diary_refused, "a check-in refused": _checkin_refused,
    "the plan with every fold open": _plan_unfolded,
}  # fmt: skip


@pytest.mark.parametrize("state", list(STATES))
def test_the_state_fits_every_width_and_axe_finds_no_violation(
    context: BrowserContext, world: tuple[str, dict[str, str], object], state: str
) -> None:
    url, ids, _app = world
    page = context.new_page()
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 1000 else 900})
        STATES[state](page, url, ids)
        if "refused" in state:
            assert page.locator("[role=alert]").count() >= 1, f"{state}: no message shown"
        problems += [f"{width} px: {p}" for p in layout_problems(page)]
        problems += [f"axe {width} px: {v}" for v in axe_violations(page)]
    page.close()
    assert problems == [], "\n".join(problems)
