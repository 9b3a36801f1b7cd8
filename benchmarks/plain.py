"""The baseline: plain pandoc making the same three editions, one process per file, as a
Makefile would run it (serially, or with ``make -j N``)."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypandoc

FORMATS = ("html", "epub", "pdf")


def commands(source: Path, out: Path) -> list[tuple[str, list[str]]]:
    """(edition, argv) for the three conversions of one manuscript."""
    pandoc = pypandoc.get_pandoc_path()
    stem = out / source.stem
    return [
        ("html", [pandoc, "-s", str(source), "-o", f"{stem}.html"]),
        ("epub", [pandoc, str(source), "-o", f"{stem}.epub"]),
        ("pdf", [pandoc, str(source), "--pdf-engine=weasyprint", "-o", f"{stem}.pdf"]),
    ]


def environment(venv_bin: Path) -> dict[str, str]:
    """pandoc finds the ``weasyprint`` command on PATH: the one installed with publish."""
    env = dict(os.environ)
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    return env


def build(sources: list[Path], out: Path, jobs: int, venv_bin: Path) -> dict[str, object]:
    """Run every conversion, ``jobs`` at a time; the wall time and each edition's mean
    time per article."""
    out.mkdir(parents=True, exist_ok=True)
    env = environment(venv_bin)
    work = [job for source in sources for job in commands(source, out)]

    def run(job: tuple[str, list[str]]) -> tuple[str, float]:
        edition, argv = job
        started = time.perf_counter()
        subprocess.run(argv, env=env, check=True, capture_output=True)
        return edition, time.perf_counter() - started

    cpu_before = _children_cpu()
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        timings = list(pool.map(run, work))
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    per_edition = {fmt: sum(t for e, t in timings if e == fmt) / len(sources) for fmt in FORMATS}
    return {
        "jobs": jobs,
        "articles": len(sources),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "articles_per_second": len(sources) / seconds,
        "seconds_per_article_by_edition": per_edition,
    }


def _children_cpu() -> float:
    """CPU time of every finished child process so far (pandoc and the WeasyPrint it
    starts included: each waits for its own)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
