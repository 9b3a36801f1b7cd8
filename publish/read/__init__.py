"""Reading a manuscript: decode, front matter, metadata schema, the one pandoc run,
diagnosis and the trust boundary. ``read`` is the only entry point."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Collector, in_order
from ..document import Document, Note
from ..images import warn_missing_alt
from . import citations, pandoc
from .boundary import raw_images, resolve_images
from .diagnose import inspect_text
from .frontmatter import split
from .metadata import validate

MAX_BYTES = 20 * 1024 * 1024


def read(path: Path, strict: bool = False, base_url: str | None = None) -> Document:
    """Read, convert and validate one manuscript; raise ManuscriptError listing every error."""
    report = Collector(path, strict)
    text = _decode(path, report)
    report.raise_if_errors()
    fm = split(text, report)
    report.raise_if_errors()
    assert fm is not None
    cites = citations.plan(fm.data, fm.lines, path.parent, report, text)
    report.raise_if_errors()
    try:
        converted = pandoc.convert(text, cites.before)
    except RuntimeError as exc:
        failure = citations.pandoc_failure(str(exc), cites)
        if failure is None:
            raise
        raise failure from None
    converted = replace(converted, log=citations.diagnose(converted.log, text, cites, report))
    slug = path.stem
    meta = validate(fm, converted.meta, slug, report)
    if meta is not None and base_url and not meta.base_url:
        meta = replace(meta, base_url=base_url)
    body, notes = inspect_text(
        text, fm.body_line, converted, report, meta.base_url if meta else base_url
    )
    images = converted.images + raw_images(converted.raw_html)
    resources = resolve_images(path, text, images, report)
    warn_missing_alt(text, images, report)
    report.raise_if_errors()
    assert meta is not None
    return Document(
        source=path,
        slug=slug,
        meta=meta,
        body=body,
        notes=tuple(Note(i, html) for i, html in enumerate(notes, start=1)),
        resources=resources,
        diagnostics=tuple(in_order(report.items)),
        inputs=cites.files,
    )


def _decode(path: Path, report: Collector) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        report.error(None, f"cannot read the manuscript: {exc.strerror}")
        return ""
    if size > MAX_BYTES:
        report.error(
            None,
            f"the file is {size / 1048576:.1f} MB, above the limit of "
            f"{MAX_BYTES // 1048576} MB: split it into several manuscripts",
        )
        return ""
    data = path.read_bytes()
    if not data.strip():
        report.error(
            1, "the file is empty: a manuscript needs a front matter with a title and a text"
        )
        return ""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(
            line,
            f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}): save it "
            "as UTF-8 in your editor",
            column,
        )
        return ""
    return _without_controls(text, report)


CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_controls(text: str, report: Collector) -> str:
    """The text without control characters, which XML (so EPUB) cannot contain at all;
    each is a warning, since it is usually debris from a copy and paste."""
    for match in CONTROL_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        report.warning(
            line,
            f"control character U+{ord(match.group()):04X} removed: no edition can show it",
            column,
        )
    return CONTROL_RE.sub("", text)
