"""HTML validators: the Nu HTML Checker (npm ``vnu-jar``) and axe-core in headless Chromium.

Each runs once for a whole batch of pages: one JVM for Nu, one browser for axe,
because their start-up costs more than checking a page.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from ..diagnostics import ToolMissing
from ..proof import browser
from . import tools
from .result import CheckResult, finding, not_installed

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_ERROR_IMPACTS = {"critical", "serious"}


def nu(pages: list[Path]) -> list[CheckResult]:
    """Run the Nu HTML Checker on every page in one JVM; errors and warnings both fail."""
    java, jar = tools.java(), tools.vnu_jar()
    if java is None:
        return [not_installed(p, "Nu", "Java 17", tools.INSTALL_JAVA) for p in pages]
    if jar is None:
        return [
            not_installed(p, "Nu", "Nu HTML Checker (npm vnu-jar)", tools.INSTALL_NPM)
            for p in pages
        ]
    if not pages:
        return []
    started = time.perf_counter()
    results = {p.resolve(): CheckResult(p, "Nu") for p in pages}
    command = [java, *tools.JAVA_FLAGS, "-jar", str(jar), "--format", "json", "--exit-zero-always"]
    run = tools.run([*command, *map(str, results)])
    try:
        messages = json.loads(run.stderr)["messages"]
    except (ValueError, KeyError):
        for result in results.values():
            result.error(f"Nu HTML Checker did not run: {run.stderr.strip()[-300:]}")
        messages = []
    for message in messages:
        severity = _nu_severity(message)
        if severity is None:
            continue
        path = _path_of(message.get("url", ""))
        found = results.get(path) if path is not None else None
        where = f"line {message['lastLine']}" if "lastLine" in message else ""
        if found is None:  # A message about no page in particular concerns them all.
            for each in results.values():
                each.error(message.get("message", ""), where)
        else:
            found.findings.append(finding(severity, message.get("message", ""), where))
    _share_time(list(results.values()), time.perf_counter() - started)
    return list(results.values())


def _nu_severity(message: dict) -> str | None:
    kind = message.get("type")
    if kind == "info":  # Only the "warning" flavour of info counts; plain info is advice.
        return "warning" if message.get("subType") == "warning" else None
    return "error"  # "error" and "non-document-error" (I/O, fatal) both fail.


def _path_of(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None


def axe(pages: list[Path]) -> list[CheckResult]:
    """Run axe-core on every page in one headless Chromium with all network requests blocked."""
    script = tools.axe_script()
    if tools.chromium() is None:
        return [not_installed(p, "axe", "Chromium", tools.INSTALL_CHROMIUM) for p in pages]
    if script is None:
        return [
            not_installed(p, "axe", "axe-core (npm axe-core)", tools.INSTALL_NPM) for p in pages
        ]
    if not pages:
        return []
    started = time.perf_counter()
    source = script.read_text(encoding="utf-8")
    try:
        with browser.chromium() as session:
            results = [_axe_page(session, page, source) for page in pages]
    except ToolMissing as missing:
        return [not_installed(p, "axe", missing.what, missing.install) for p in pages]
    _share_time(results, time.perf_counter() - started)
    return results


def _axe_page(session: Browser, page: Path, source: str) -> CheckResult:
    result = CheckResult(page, "axe")
    # bypass_csp: a page may forbid scripts (ours do); axe must still be injected.
    context = session.new_context(bypass_csp=True, java_script_enabled=True)
    url = page.resolve().as_uri()
    blocked: list[str] = []

    def only_the_page(route: Route) -> None:
        # The page itself loads from disk; anything else would be a request a
        # reader's browser makes, which a self-contained edition must not need.
        if route.request.url == url:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_page)
    try:
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        tab.add_script_tag(content=source)
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        report = tab.evaluate("options => axe.run(document, options)", options)
    finally:
        context.close()
    for violation in report["violations"]:
        impact = violation.get("impact") or ""
        severity = "error" if impact in AXE_ERROR_IMPACTS else "warning"
        nodes = violation.get("nodes", [])
        targets = ", ".join(" ".join(map(str, n.get("target", []))) for n in nodes[:3])
        message = f"{violation['id']} ({impact}, {len(nodes)} nodes): {violation.get('help', '')}"
        snippet = " ".join(str(n.get("html", "")) for n in nodes[:1])
        result.findings.append(finding(severity, message, targets, snippet))
    for request in blocked:
        result.warning(f"request blocked (edition is not self-contained): {request}")
    return result


def _share_time(results: list[CheckResult], seconds: float) -> None:
    for result in results:
        result.seconds = seconds / max(len(results), 1)
