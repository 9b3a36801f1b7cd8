"""The check report: a table for people, JSON for machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from .lines import locate
from .result import CheckResult, Finding

SHOWN_MESSAGES = 3


def write_table(results: list[CheckResult], stream: TextIO, seconds: float) -> None:
    """One row per edition and check, with the first few messages under each failure,
    each at its manuscript line when it comes from the manuscript's text."""
    locate(results)
    width = max([len(_name(r.edition)) for r in results] + [7])
    stream.write(f"{'edition':<{width}}  {'check':<9}  result\n")
    previous = None
    for result in results:
        name = _name(result.edition) if result.edition != previous else ""
        previous = result.edition
        stream.write(f"{name:<{width}}  {result.check:<9}  {_verdict(result)}\n")
        for found in result.findings[:SHOWN_MESSAGES]:
            stream.write(f"{'':<{width}}    - {_message(found)}\n")
        if len(result.findings) > SHOWN_MESSAGES:
            more = len(result.findings) - SHOWN_MESSAGES
            stream.write(f"{'':<{width}}    … and {more} more (see --json)\n")
    failed = sum(not r.passed for r in results)
    summary = "all checks passed" if not failed else f"{failed} of {len(results)} checks failed"
    stream.write(f"{summary} in {seconds:.1f} s\n")


def _message(found: Finding) -> str:
    """``source/x.md:12: error: message [where in the edition]``, as the build says it."""
    where = f" [{found.where}]" if found.where else ""
    at = f"{found.source}: " if found.source else ""
    return f"{at}{found.severity}: {found.message}{where}"


def _verdict(result: CheckResult) -> str:
    if result.passed:
        return "pass"
    errors, warnings = result.count("error"), result.count("warning")
    return f"FAIL  {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def to_json(results: list[CheckResult]) -> dict:
    """The full report: every finding of every check, grouped by edition."""
    locate(results)
    editions: dict[Path, list[dict]] = {}
    for result in results:
        editions.setdefault(result.edition, []).append(
            {
                "check": result.check,
                "passed": result.passed,
                "errors": result.count("error"),
                "warnings": result.count("warning"),
                "seconds": round(result.seconds, 3),
                "findings": [
                    {k: v for k, v in vars(f).items() if k != "snippet"} for f in result.findings
                ],
            }
        )
    return {
        "passed": all(r.passed for r in results),
        "editions": [{"path": _name(p), "checks": c} for p, c in editions.items()],
    }


def write_json(results: list[CheckResult], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(to_json(results), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
