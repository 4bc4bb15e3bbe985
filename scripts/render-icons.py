"""Render the app icons (PNG) from src/backstride/web/static/icons/icon.svg with Chromium.

Run after changing the SVG: .venv/bin/python scripts/render-icons.py
The maskable icon keeps the drawing inside the middle 80 % on a full-bleed background.
"""

from __future__ import annotations

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "src" / "backstride" / "web" / "static" / "icons"
BACKGROUND = "#1f4f78"


def page_for(svg: str, size: int, *, maskable: bool) -> str:
    data = base64.b64encode(svg.encode()).decode()
    inner = int(size * 0.8) if maskable else size
    return (f'<html><body style="margin:0;background:{BACKGROUND if maskable else "transparent"};'
            f'width:{size}px;height:{size}px;display:flex;align-items:center;'
            f'justify-content:center"><img src="data:image/svg+xml;base64,{data}" '
            f'width="{inner}" height="{inner}"></body></html>')  # fmt: skip


def main() -> None:
    svg = (ICONS / "icon.svg").read_text()
    targets = [("icon-192.png", 192, False), ("icon-512.png", 512, False),
               ("icon-maskable-512.png", 512, True)]  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--headless"])  # fmt: skip
        for name, size, maskable in targets:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(page_for(svg, size, maskable=maskable))
            page.screenshot(path=str(ICONS / name), omit_background=not maskable)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
