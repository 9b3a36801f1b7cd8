"""Screenshots in Debian's Chromium, driven by Playwright: the one door to a browser.

Playwright's own browser downloads cannot work on our machines, so the
system Chromium is launched by path; PUBLISH_CHROMIUM overrides it. ``publish proof``
and the checks of ``publish check`` that need a browser all start it here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote, urlsplit

from .. import programs
from ..diagnostics import ToolMissing

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, FloatRect, Route

# Quiet, offline, reproducible: no first-run UI, no update or sync traffic.
FLAGS = [
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_args() -> list[str]:
    # Chromium refuses to start its sandbox as root (CI and our machines run as root).
    return [*FLAGS, "--no-sandbox"] if os.geteuid() == 0 else list(FLAGS)


@dataclass(frozen=True)
class View:
    """A window to look through: its size in CSS pixels and colour scheme."""

    width: int
    height: int
    scheme: Literal["light", "dark"] = "light"

    @property
    def name(self) -> str:
        return f"{self.width}-{self.scheme}"


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of a with block; ToolMissing, saying how to
    install it, when Chromium or Playwright is not there."""
    path = programs.chromium()
    if path is None:
        raise ToolMissing("Chromium", programs.INSTALL_CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ToolMissing("Python Playwright", programs.INSTALL_CHECK) from None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=launch_args())
        try:
            yield browser
        finally:
            browser.close()


def confine(context: BrowserContext, folder: Path) -> None:
    """Let pages in ``context`` load files below ``folder`` only: an edition is looked at
    as it is, and nothing it names on the network or elsewhere on the machine is fetched.
    (Scripts are off as well: ``java_script_enabled=False`` when the context is made.)"""
    root = folder.resolve()

    def decide(route: Route) -> None:
        address = urlsplit(route.request.url)
        if address.scheme == "data":
            route.continue_()
            return
        path = Path(unquote(address.path)).resolve() if address.scheme == "file" else None
        if path is not None and path.is_relative_to(root):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", decide)


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
        java_script_enabled=False,
    )
    confine(context, Path(unquote(urlsplit(url).path)).parent)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        if user_css:
            # Not add_style_tag: it waits for a load event, which never comes with
            # scripts off.
            page.evaluate(
                "css => { const s = document.createElement('style'); s.textContent = css;"
                " (document.head || document.documentElement).appendChild(s) }",
                user_css,
            )
        # Scripts are off, so no promise settles: ask for the fonts' status until loaded.
        for _ in range(100):
            if page.evaluate("document.fonts.status") == "loaded":
                break
            page.wait_for_timeout(50)
        top = 0
        if start_at:
            top = page.evaluate(
                "selectors => { for (const s of selectors) { const e = document.querySelector(s);"
                " if (e) return Math.floor(e.getBoundingClientRect().top + scrollY) } return 0 }",
                list(start_at),
            )
        full = page.evaluate("document.documentElement.scrollHeight")
        height = max(1, min(view.height * screens, full - top))
        clip: FloatRect = {"x": 0, "y": top, "width": view.width, "height": height}
        page.screenshot(path=str(out), full_page=True, clip=clip)
    finally:
        context.close()
    return out
