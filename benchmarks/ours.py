"""Measuring publish: whole builds through the real command, and one article's parts in
one warm process."""

from __future__ import annotations

import json
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")

# Runs a command and reports its wall time, the CPU time of its whole tree (less
# disturbed than wall time by other work on the machine), and the peak memory of the largest process
# of its tree (the command, its workers or a pandoc they started): the kernel keeps the
# largest descendant's peak for the process that waits on them.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "cpu_seconds": usage.ru_utime + usage.ru_stime,
    "largest_process_mb": usage.ru_maxrss / 1024,
    "returncode": done.returncode,
    "stdout": done.stdout,
    "stderr": done.stderr,
}))
"""
SUMMARY = re.compile(
    r"built (\d+), up to date (\d+), failed (\d+) in [\d.]+ s"
    r"(?: \((?:1 process|\d+ workers), peak memory (\d+) MB)?"
)


def publish_build(paths: list[Path], out: Path, *extra: str) -> dict[str, object]:
    """``publish build`` as a user runs it; wall time, counts and memory."""
    argv = [sys.executable, "-m", "publish", "build", *map(str, paths), "--out", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout)
    if result["returncode"] != 0:
        raise RuntimeError(f"publish build failed:\n{result['stderr']}")
    found = SUMMARY.search(result["stdout"])
    assert found, result["stdout"]
    built, skipped, failed, peak = found.groups()
    return {
        "seconds": result["seconds"],
        "cpu_seconds": result["cpu_seconds"],
        "built": int(built),
        "up_to_date": int(skipped),
        "failed": int(failed),
        "peak_worker_mb": float(peak) if peak else None,
        "largest_process_mb": result["largest_process_mb"],
    }


def cpu_seconds() -> float:
    """CPU time of this process, of its finished children (pandoc's one-shot runs) and of
    its long-lived pandoc, so far."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = sys.modules.get("publish.read.pandoc_process")
    live = process._instance.cpu_seconds() if process and process._instance else 0.0
    return time.process_time() + children.ru_utime + children.ru_stime + live


def parts(sources: list[Path], out: Path) -> dict[str, object]:
    """One article at a time in this (warm) process: ``build_one`` against the sum of
    its parts, and each stage's time, as medians over ``sources``."""
    sys.path.insert(0, str(ROOT))
    from weasyprint import HTML

    from publish.build import build_one
    from publish.compat import weasyprint_artifacts
    from publish.diagnostics import Collector
    from publish.document import Markers
    from publish.editions import epub, html, pdf
    from publish.options import Options
    from publish.read import pandoc, read
    from publish.read.frontmatter import split

    options = Options(out=out)
    build_one(sources[0], options)  # warm-up: fonts, caches, the pandoc binary found
    names = ("build_one", "pandoc", "weasyprint", "read", "pdf", "epub", "html")
    stages: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}

    def timed(stage: str, work: Callable[..., T], *args: object, **kwargs: object) -> T:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        value = work(*args, **kwargs)
        stages[stage].append(time.perf_counter() - started)
        cpu[stage].append(cpu_seconds() - cpu_started)
        return value

    house, fonts = pdf.house_style(options.paper, False, None, True)

    def weasyprint(page: str, base: str) -> bytes:
        # As the PDF edition calls it: the worker's parsed house style and fonts.
        with weasyprint_artifacts.furniture_as_artifacts():
            return HTML(string=page, base_url=base).write_pdf(
                stylesheets=[house], font_config=fonts, pdf_variant="pdf/ua-1"
            )

    for source in sources:
        timed("build_one", build_one, source, options)
        text = source.read_text(encoding="utf-8")
        # As read() hands it over: the front matter as JSON, fresh markers.
        front = split(text, Collector(source))
        assert front is not None
        timed("pandoc", pandoc.convert, front.for_pandoc(text), Markers())
        doc = timed("read", read, source)
        timed("weasyprint", weasyprint, pdf.html_for_print(doc, options, ""), f"{doc.folder}/")
        for fmt, render in (("pdf", pdf.render), ("epub", epub.render), ("html", html.render)):
            timed(fmt, render, doc, options)
    median = {k: statistics.median(v) for k, v in stages.items()}
    whole = median["build_one"]
    sum_of_parts = median["pandoc"] + median["weasyprint"] + median["epub"] + median["html"]
    return {
        "articles": len(sources),
        "median_seconds": median,
        "median_cpu_seconds": {k: statistics.median(v) for k, v in cpu.items()},
        "sum_of_parts_seconds": sum_of_parts,
        "overhead_ratio": whole / sum_of_parts,
    }
