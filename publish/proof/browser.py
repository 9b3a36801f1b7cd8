"""Screenshots in Debian's Chromium, driven by Playwright: the one door to a browser.

Playwright's own browser downloads cannot work on our machines, so the
system Chromium is launched by path; PUBLISH_CHROMIUM overrides it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path(os.environ.get("PUBLISH_CHROMIUM", "/usr/bin/chromium"))

# Quiet, offline, reproducible: no first-run UI, no update or sync traffic.
FLAGS = [
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class View:
    """A window to look through: its size in CSS pixels and colour scheme."""

    width: int
    height: int
    scheme: str = "light"

    @property
    def name(self) -> str:
        return f"{self.width}-{self.scheme}"


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of a with block."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} not found: install Debian's chromium package")
    args = list(FLAGS)
    if os.geteuid() == 0:
        # Chromium refuses to start its sandbox as root (CI and our machines run as root).
        args.append("--no-sandbox")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(
    browser: Browser,
    url: str,
    out: Path,
    view: View,
    *,
    screens: int = 1,
    start_at: tuple[str, ...] = (),
    user_css: str = "",
) -> Path:
    """Photograph `screens` window heights of the page at `url` into `out` (PNG).

    `start_at` lists CSS selectors in order of preference: the picture begins
    where the first element matching one of them begins, not at the top.
    `user_css` is added after the page's own styles, as a reading system adds its own.
    """
    context = browser.new_context(
        viewport={"width": view.width, "height": view.height},
        color_scheme=view.scheme,
        device_scale_factor=1,
    )
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        if user_css:
            page.add_style_tag(content=user_css)
        page.evaluate("document.fonts.ready.then(() => true)")
        top = 0
        if start_at:
            top = page.evaluate(
                "selectors => { for (const s of selectors) { const e = document.querySelector(s);"
                " if (e) return Math.floor(e.getBoundingClientRect().top + scrollY) } return 0 }",
                list(start_at),
            )
        full = page.evaluate("document.documentElement.scrollHeight")
        height = max(1, min(view.height * screens, full - top))
        clip = {"x": 0, "y": top, "width": view.width, "height": height}
        page.screenshot(path=str(out), full_page=True, clip=clip)
    finally:
        context.close()
    return out
