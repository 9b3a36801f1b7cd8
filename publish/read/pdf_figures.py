"""A figure saved as PDF (what matplotlib, R and LaTeX users export), made an SVG
drawing that every edition can show: the print PDF keeps it vector (WeasyPrint draws
SVG, not PDF), the HTML and EPUB show the same drawing.

The PDF is read by poppler's ``pdftocairo`` in a child process, never in ours: with a
time limit, a memory cap and no other file than a copy of the figure in a private
folder; only its first page is drawn (a figure is one page). Text becomes outlines, so
no edition depends on the fonts of the machine. The SVG depends on poppler's version,
which is part of every stamp's software digest (``pipeline/software.py``), so a new
poppler rebuilds what it draws.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from .pictures import BadPicture

PDF_BYTES = 20_000_000
"""Size of one PDF figure (a dense matplotlib scatter plot is about 2 MB)."""
PDF_SECONDS = 30
"""Time poppler may take to draw one PDF figure (a chart takes a tenth of a second)."""
PDF_MEMORY_MB = 1024
"""Memory poppler may use to draw one PDF figure."""
SVG_OUT_BYTES = 40_000_000
"""Size of the drawing made of one PDF figure (a figure holding a photograph holds it
as a PNG inside the SVG)."""


def pdf_figure(path: Path) -> bytes:
    """The first page of the PDF at ``path`` as SVG bytes, or BadPicture saying why not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadPicture(f"cannot be read: {exc.strerror}") from None
    if not data.lstrip()[:1024].startswith(b"%PDF-"):
        raise BadPicture("is not a PDF file (it does not start with %PDF-): export it again")
    if len(data) > PDF_BYTES:
        raise BadPicture(
            f"is larger than {PDF_BYTES // 1_000_000} MB (the limit for a PDF figure): "
            "simplify it, or export it as PNG"
        )
    return _drawn(data)


def tool_version() -> str:
    """pdftocairo's version, for cache keys (the SVG's bytes depend on it)."""
    return _version()


@lru_cache(maxsize=1)
def _version() -> str:
    tool = shutil.which("pdftocairo")
    if tool is None:
        return "none"
    done = subprocess.run([tool, "-v"], capture_output=True, timeout=10, check=False)
    return (done.stderr or done.stdout).decode("utf-8", "replace").split("\n")[0].strip()


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    cap = PDF_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


@lru_cache(maxsize=32)
def _drawn(data: bytes) -> bytes:
    tool = shutil.which("pdftocairo")
    if tool is None:
        raise BadPicture(
            "is a PDF figure, which needs poppler's pdftocairo to be drawn: install "
            "poppler-utils (apt, brew install poppler), or export the figure as SVG or PNG"
        )
    with tempfile.TemporaryDirectory(prefix="publish-pdf-") as work:
        source, target = Path(work) / "in.pdf", Path(work) / "out.svg"
        source.write_bytes(data)
        try:
            done = subprocess.run(
                [tool, "-svg", "-f", "1", "-l", "1", str(source), str(target)],
                capture_output=True,
                timeout=PDF_SECONDS,
                check=False,
                cwd=work,
                preexec_fn=_limit_memory,
                env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
            )
        except subprocess.TimeoutExpired:
            raise BadPicture(
                f"took longer than {PDF_SECONDS} s (the limit) to draw: simplify it, "
                "or export it as PNG"
            ) from None
        if done.returncode != 0 or not target.is_file():
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            why = f" ({said[-1][:120]})" if said else ""
            raise BadPicture(f"is a PDF that cannot be read{why}: export it again")
        if target.stat().st_size > SVG_OUT_BYTES:
            raise BadPicture(
                f"draws as more than {SVG_OUT_BYTES // 1_000_000} MB: simplify it, "
                "or export it as PNG"
            )
        return target.read_bytes()
