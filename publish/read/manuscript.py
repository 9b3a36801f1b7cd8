"""Reading a manuscript: decode, front matter, metadata schema, the one pandoc run,
sanitising, diagnosis and the trust boundary. ``read`` is the only entry point."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Collector, in_order
from ..document import Document, Markers, Note
from ..fonts import without_glyphs
from ..images import warn_missing_alt
from . import citations, limits, pandoc, rewrite
from .boundary import Finder, OutsideError, inside, resolve_images
from .diagnose import inspect_text
from .frontmatter import FrontMatter, split
from .markup import Unreadable, depth, parse, serialize
from .metadata import validate
from .sanitize import sanitize

MAX_BYTES = limits.MANUSCRIPT_MB * 1024 * 1024


def read(
    path: Path,
    strict: bool = False,
    base_url: str | None = None,
    resource_path: tuple[Path, ...] = (),
) -> Document:
    """Read, convert and validate one manuscript; raise ManuscriptError listing every error.

    ``resource_path``: folders besides the manuscript's own that images may come from."""
    report = Collector(path, strict)
    text = _decode(path, report)
    report.raise_if_errors()
    fm = split(text, report)
    report.raise_if_errors()
    assert fm is not None
    _nesting(text, fm.body_line, report)
    resource_path = (*resource_path, *_resource_path(path, fm, report))
    report.raise_if_errors()
    cites = citations.plan(fm.data, fm.lines, path.parent, report, text)
    report.raise_if_errors()
    markers = Markers()
    try:
        converted = pandoc.convert(_cells_as_code(fm.for_pandoc(text)), markers, cites.before)
    except pandoc.PandocFailed as exc:
        failure = citations.pandoc_failure(exc.stderr, cites)
        if failure is not None:
            raise failure from None
        report.error(None, str(exc))
        report.raise_if_errors()
        raise
    converted = replace(converted, log=citations.diagnose(converted.log, text, cites, report))
    _counts(text, converted, report)
    report.raise_if_errors()
    rich = _clean_meta(converted.meta, fm, text, report)
    slug = path.stem
    meta = validate(fm, rich, slug, report)
    if meta is not None and base_url and not meta.base_url:
        meta = replace(meta, base_url=base_url)
    inspect_text(text, fm.body_line, converted, report)
    find = Finder(text, default=fm.body_line)
    fragments = [
        _clean(fragment, find, report, images=converted.images)
        for fragment in (converted.body, *converted.notes)
    ]
    try:
        trees = [parse(f) for f in fragments]
    except Unreadable:
        report.error(
            None,
            f"the text's HTML nests more than {limits.NESTING} levels deep (the limit) "
            "and cannot be read: simplify it",
        )
        report.raise_if_errors()
        raise
    if not _elements(trees, report):
        report.raise_if_errors()
    tree = rewrite.Tree(trees[0], trees[1:])
    folder = path.parent
    rewrite.unique_ids(tree, Finder(text, fm.body_line), report)
    rewrite.headings(tree, converted.shifted, Finder(text, fm.body_line), report)
    rewrite.links(
        tree,
        Finder(text, fm.body_line),
        report,
        meta.base_url if meta else base_url,
        lambda target: _is_file(folder, target),
    )
    images = rewrite.images(tree)
    resources = resolve_images(
        path, images, Finder(text, fm.body_line), report, markers, resource_path
    )
    warn_missing_alt(images, Finder(text, fm.body_line).first, report)
    _warn_without_glyphs(text, report)
    _warn_code_cells(text, fm.body_line, report)
    rewrite.point_images(tree, resources)
    rewrite.captions_with_calls(tree)
    report.raise_if_errors()
    assert meta is not None
    return Document(
        source=path,
        slug=slug,
        meta=meta,
        body=serialize(tree.body),
        notes=tuple(
            Note(i, serialize(note).strip(), rewrite.inline(note))
            for i, note in enumerate(tree.notes, start=1)
        ),
        resources=resources,
        diagnostics=tuple(in_order(report.items)),
        inputs=cites.files,
        headings=tuple(tree.headings),
        markers=markers,
    )


def _warn_without_glyphs(text: str, report: Collector) -> None:
    """A script no font on this machine has would be empty boxes in the PDF: said once,
    at the first line that uses it, with what to install."""
    missing = without_glyphs(text)
    if not missing:
        return
    scripts = sorted({_script(c) for c in missing})
    shown = ", ".join(f"'{c}'" for c in missing[:5]) + (", …" if len(missing) > 5 else "")
    first = next(i for i, c in enumerate(text) if c in missing)
    report.warning(
        text.count("\n", 0, first) + 1,
        f"the PDF would show empty boxes for {len(missing)} characters ({shown}; "
        f"{', '.join(scripts)}) that no font on this machine has: install one that has "
        "them (on Debian, fonts-noto-core has most scripts) and build again",
    )


# A Quarto or R Markdown code cell: ```{r}, ```{python echo=FALSE}, ~~~{julia}.
CODE_CELL_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})\s*\{([A-Za-z][\w-]*)[\s,}]", re.M)
CELL_FENCE_RE = re.compile(r"^( {0,3}(?:`{3,}|~{3,}))\s*\{([A-Za-z][\w-]*)[^}\n]*\}[ \t]*$", re.M)


def _cells_as_code(text: str) -> str:
    """```{r} is no attribute list pandoc knows: it read the cell as a paragraph of
    inline code, its lines run together. As ```{.r .cell} it is a code block in its
    language (the options after the name, such as echo=FALSE, go; lines stay lines)."""
    return CELL_FENCE_RE.sub(lambda m: f"{m.group(1)}{{.{m.group(2)} .cell}}", text)


def _warn_code_cells(text: str, body_line: int, report: Collector) -> None:
    """Code a notebook would run is shown as code here: what it makes (a figure, a
    table) is missing, which the author should know where it happens."""
    start = len("\n".join(text.split("\n")[: body_line - 1]))
    for match in CODE_CELL_RE.finditer(text, start):
        report.warning(
            text.count("\n", 0, match.start()) + 1,
            f"code cell '{{{match.group(1)}}}' is not run (publish runs no code): it is "
            "shown as code, and what it would make (a figure, a table) is not there; "
            "put its output in the manuscript instead",
        )


def _script(char: str) -> str:
    """'Devanagari' for 'क' (the first word of its Unicode name); 'symbols' for the rest."""
    if unicodedata.category(char)[0] not in "LM":
        return "symbols"
    return unicodedata.name(char, "?").split()[0].title()


def _resource_path(path: Path, fm: FrontMatter, report: Collector) -> tuple[Path, ...]:
    """The folders the manuscript's ``resource-path`` names, relative to its own."""
    value = fm.data.get("resource-path")
    if value is None:
        return ()
    names = value.split(":") if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        report.error(
            fm.lines.get("resource-path", 1),
            "'resource-path' must be folder names, as a list or separated by ':'",
        )
        return ()
    folders = tuple(path.parent / n for n in names if n)
    for folder in folders:
        if not folder.is_dir():
            report.error(
                fm.lines.get("resource-path", 1),
                f"resource-path: '{folder.relative_to(path.parent)}' is not a folder",
            )
    return folders


def _is_file(folder: Path, target: str) -> bool:
    try:
        return inside(folder, target.split("#")[0]).is_file()
    except OutsideError:
        return False


def _decode(path: Path, report: Collector) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        report.error(None, f"cannot read the manuscript: {exc.strerror}")
        return ""
    except ValueError:
        report.error(None, "the file name holds a NUL character: rename the file")
        return ""
    if size > MAX_BYTES:
        report.error(
            None,
            f"the file is {size / 1048576:.1f} MB, above the limit of "
            f"{MAX_BYTES // 1048576} MB: split it into several manuscripts",
        )
        return ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error(None, f"cannot read the manuscript: {exc.strerror}")
        return ""
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


CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


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


QUOTE_RE = re.compile(r"^[ \t]*((?:>[ \t]?)+)", re.M)
INDENT_RE = re.compile(r"^([ \t]*)[-+*]|^([ \t]*)\d{1,9}[.)]", re.M)


def _nesting(text: str, body_line: int, report: Collector) -> None:
    """Blocks nested deeper than the limit, found in the text before pandoc reads it
    (pandoc's time grows fast with depth): quotations by their '>', lists by their
    indentation (two spaces at least per level)."""
    for match in QUOTE_RE.finditer(text):
        if match.group(1).count(">") > limits.NESTING:
            _too_deep(text, match.start(), report)
            return
    for match in INDENT_RE.finditer(text):
        indent = (match.group(1) or match.group(2) or "").expandtabs(4)
        if len(indent) > 2 * limits.NESTING + 8:
            _too_deep(text, match.start(), report)
            return


def _too_deep(text: str, at: int, report: Collector) -> None:
    report.error(
        text.count("\n", 0, at) + 1,
        f"blocks nest more than {limits.NESTING} levels deep here (the limit): "
        "flatten the lists or quotations",
    )


def _counts(text: str, converted: pandoc.Converted, report: Collector) -> None:
    if len(converted.notes) > limits.NOTES:
        report.error(
            None,
            f"the text has {len(converted.notes):,} notes, above the limit of "
            f"{limits.NOTES:,}: split it into several manuscripts",
        )
    if converted.raw_count > limits.RAW_HTML:
        report.error(
            None,
            f"the text has {converted.raw_count:,} pieces of raw HTML, above the limit of "
            f"{limits.RAW_HTML:,}: write it in Markdown",
        )


def _elements(trees: list, report: Collector) -> bool:
    """Whether the text stays within the limits on elements and their depth."""
    before = len(report.errors)
    count = sum(1 for tree in trees for _ in tree.iter())
    if count > limits.ELEMENTS:
        report.error(
            None,
            f"the text makes {count:,} HTML elements, above the limit of "
            f"{limits.ELEMENTS:,}: split it into several manuscripts",
        )
    deepest = max((depth(tree) for tree in trees), default=0)
    if deepest > limits.NESTING + 8:
        report.error(
            None,
            f"the text's elements nest {deepest} levels deep, above the limit of "
            f"{limits.NESTING}: flatten its lists, quotations or HTML",
        )
    return len(report.errors) == before


def _clean(
    fragment: str,
    find: Finder,
    report: Collector,
    line: int | None = None,
    images: tuple[str, ...] = (),
) -> str:
    """``fragment`` through the one sanitising policy and without control characters, a
    warning for each thing removed."""
    fragment = _no_controls(fragment, find, report, line)
    clean, removals = sanitize(fragment, images)
    for removal in removals:
        where = line or find.first(removal.needle, removal.also) or find.default
        if removal.image is None:
            (report.error if removal.error else report.warning)(where, removal.message)
        elif removal.image.lower().startswith("data:"):
            report.error(
                where,
                "only a picture saved as a file may be shown: save the image data as a "
                "file beside the manuscript and refer to it by its name",
            )
        else:
            try:
                inside(report.path.parent, removal.image)
                reason = "is not a PNG, JPEG, GIF, SVG or WebP file"
                report.error(where, f"image '{removal.image}' {reason}")
                continue
            except OutsideError as exc:
                reason = str(exc)
            report.error(where, f"image '{removal.image}': {reason}")
    return clean


def _no_controls(fragment: str, find: Finder, report: Collector, line: int | None) -> str:
    # From character references (&#1;) in the text or escapes ("\x01") in the YAML.
    for match in CONTROL_RE.finditer(fragment):
        code = ord(match.group())
        report.warning(
            line
            or find.first(f"&#{code};", f"&#x{code:x};", f"&#x{code:X};", f"x{code:02x}")
            or find.default,
            f"control character U+{code:04X} removed: no edition can show it",
        )
    return CONTROL_RE.sub("", fragment)


def _clean_meta(
    meta: dict[str, dict[str, str]], fm: FrontMatter, text: str, report: Collector
) -> dict[str, dict[str, str]]:
    """The metadata's Markdown fields through the same policy as the text."""
    find = Finder(text)
    clean = {}
    for path, value in meta.items():
        real = path
        while real and real not in fm.lines:
            real = real.rpartition(".")[0]
        line = fm.lines.get(real, 1)
        clean[path] = {
            "html": _clean(value["html"], find, report, line),
            "text": _no_controls(value["text"], find, Collector(report.path), line),
        }
    return clean
