"""Reading a manuscript: decode, front matter, metadata schema, the one pandoc run,
sanitising, diagnosis and the trust boundary. ``read`` is the only entry point."""

from __future__ import annotations

import codecs
import re
import stat
import unicodedata
from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..compat import pandoc_brackets
from ..diagnostics import Collector, in_order
from ..document import Document, Markers, Note
from ..fonts import without_glyphs
from ..images import warn_missing_alt
from ..settings import Settings, under
from ..settings import find as find_settings
from ..settings import load as load_settings
from ..updates import keys as update_keys
from . import citations, controls, idioms, inner_notes, limits, pandoc, rewrite
from .boundary import NOT_A_PICTURE, Finder, OutsideError, inside, resolve_images
from .diagnose import inspect_text
from .frontmatter import FrontMatter, split
from .markup import Unreadable, depth, parse, serialize, unwrap
from .metadata import own_updates, validate
from .sanitize import sanitize

MAX_BYTES = limits.MANUSCRIPT_MB * 1024 * 1024


def read(
    path: Path,
    strict: bool = False,
    base_url: str | None = None,
    resource_path: tuple[Path, ...] = (),
    settings: Settings | None = None,
) -> Document:
    """Read, convert and validate one manuscript; raise ManuscriptError listing every error.

    ``resource_path``: folders besides the manuscript's own that images may come from.
    ``settings``: the publication's ``publish.yaml``, merged under the front matter;
    None: the one beside the manuscript's folder, if any."""
    if settings is None:
        settings = load_settings(find_settings(path))
    report = Collector(path, strict)
    text = _decode(path, report)
    report.raise_if_errors()
    fm = split(text, report)
    report.raise_if_errors()
    assert fm is not None
    fm = under(fm, settings)
    fm = controls.front_matter(fm, report)
    _nesting(text, fm.body_line, report)
    resource_path = (*resource_path, *_resource_path(path, fm, report))
    report.raise_if_errors()
    # Other sites' figure idioms as the Markdown figures they stand for, line for line.
    body = idioms.rewrite(text, fm.body_line, path, resource_path, report)
    cites = citations.plan(fm.data, fm.lines, path.parent, report, body)
    report.raise_if_errors()
    markers = Markers()
    try:
        converted = pandoc.convert(
            inner_notes.unnest(_cells_as_code(fm.for_pandoc(body)), fm.body_line),
            markers,
            cites.before,
        )
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
    own = own_updates(fm, report)
    if meta is not None and base_url and not meta.base_url:
        meta = replace(meta, base_url=base_url)
    inspect_text(body, fm.body_line, converted, report)
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
    if not _elements(trees, text, report):
        report.raise_if_errors()
    tree = rewrite.Tree(trees[0], trees[1:])
    citations.unresolved(trees, text, cites, report)
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
    _images_without_a_name(text, fm.body_line, report)
    # Found in the text as pandoc read it: an idiom's picture is written there.
    resources = resolve_images(
        path, images, Finder(body, fm.body_line), report, markers, resource_path
    )
    warn_missing_alt(images, Finder(body, fm.body_line).first, report)
    _warn_without_glyphs(text, report)
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
        # publish.yaml shapes every edition: a change to it makes them out of date.
        inputs=(*cites.files, *([settings.path] if settings.path else [])),
        headings=tuple(tree.headings),
        markers=markers,
        updates=update_keys.own_updates(own, meta.date),
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


# A Quarto or R Markdown code cell: ```{r}, ```{python echo=FALSE}, ~~~{julia}
# (diagnose.py warns that it is not run).
CELL_FENCE_RE = re.compile(r"^( {0,3}(?:`{3,}|~{3,}))\s*\{([A-Za-z][\w-]*)[^}\n]*\}[ \t]*$", re.M)


def _cells_as_code(text: str) -> str:
    """```{r} is no attribute list pandoc knows: it read the cell as a paragraph of
    inline code, its lines run together. As ```{.r .cell} it is a code block in its
    language (the options after the name, such as echo=FALSE, go; lines stay lines)."""
    return CELL_FENCE_RE.sub(lambda m: f"{m.group(1)}{{.{m.group(2)} .cell}}", text)


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
            "'resource-path' must be folder names, as a list or separated by ':', such as "
            "'resource-path: images:figures'",
        )
        return ()
    line = fm.lines.get("resource-path", 1)
    # A manuscript may widen its boundary only inside the project being built (the
    # working folder; its own folder when it lies elsewhere): a folder elsewhere is the
    # user's to name, with --resource-path, never the text's.
    here = path.parent.resolve()
    project = Path.cwd().resolve()
    root = project if here.is_relative_to(project) else here
    folders = []
    for name in names:
        if not name:
            continue
        folder = (path.parent / name).resolve()
        if name.startswith("/") or not folder.is_relative_to(root):
            report.error(
                line,
                f"resource-path: '{name}' is outside the folder being built: name a folder "
                "inside it, or give --resource-path on the command line",
            )
            continue
        if not folder.is_dir():
            report.error(
                line,
                f"resource-path: '{name}' is not a folder: create it, or correct the name",
            )
            continue
        folders.append(folder)
    return tuple(folders)


def _images_without_a_name(text: str, body_line: int, report: Collector) -> None:
    """``![words]()``: pandoc makes an image of nothing, which no edition can show, so
    the words would go without a word said."""
    start = 0
    for _ in range(body_line - 1):
        start = text.find("\n", start) + 1
    at = text.find("]()", start)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        opening = text.rfind("![", line_start, at)
        if opening >= 0:
            report.warning(
                text.count("\n", 0, at) + 1,
                f"image '{text[opening : at + 3][:60]}' names no file, so it is left out: "
                "write the picture's file name between the parentheses",
            )
        at = text.find("]()", at + 3)


def _is_file(folder: Path, target: str) -> bool:
    try:
        return inside(folder, target.split("#")[0]).is_file()
    except OutsideError:
        return False


def _decode(path: Path, report: Collector) -> str:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        # Bytes that are no UTF-8 (from another system's file name encoding): the name is
        # the editions' names and part of their identifier.
        report.error(None, "the file name is not UTF-8 text: rename the file")
        return ""
    try:
        status = path.stat()
    except FileNotFoundError:
        report.error(None, "the file does not exist: check its name and folder")
        return ""
    except OSError as exc:
        report.error(None, f"cannot read the manuscript: {exc.strerror}; check its permissions")
        return ""
    except ValueError:
        report.error(None, "the file name holds a NUL character: rename the file")
        return ""
    if not stat.S_ISREG(status.st_mode):
        # A pipe or a device (/dev/zero, /dev/urandom) would never end.
        report.error(None, "this is not a regular file: name a Markdown file")
        return ""
    size = status.st_size
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
        report.error(None, f"cannot read the manuscript: {exc.strerror}; check its permissions")
        return ""
    if not data.strip():
        report.error(
            1, "the file is empty: a manuscript needs a front matter with a title and a text"
        )
        return ""
    wide = _wide_encoding(data)
    if wide:
        report.error(1, f"the file is {wide} text, not UTF-8: save it as UTF-8 in your editor")
        return ""
    try:
        # Line ends as Windows (CRLF) and old Mac OS (CR alone) write them are lines too.
        text = data.decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
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


def _wide_encoding(data: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when the bytes are text in one of them (by its byte order mark,
    or, without one, by a NUL in every other byte), which UTF-8 would read as a stream of
    NULs or reject at the first byte."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    head = data[:4096]
    if len(head) >= 8 and head.count(0) * 3 >= len(head):
        return "UTF-32" if head.count(0) * 4 >= len(head) * 3 else "UTF-16"
    return None


CONTROL_WARNINGS = 10
"""Control characters reported one by one; the rest in one message (a file full of them
would otherwise print one line for each)."""


def _without_controls(text: str, report: Collector) -> str:
    """The text without control characters, which XML (so EPUB) cannot contain at all;
    each is a warning, since it is usually debris from a copy and paste."""
    for count, match in enumerate(CONTROL_RE.finditer(text)):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        if count == CONTROL_WARNINGS:
            rest = len(CONTROL_RE.findall(text, match.start()))
            report.warning(
                line,
                f"{rest:,} more control characters removed from here on: no edition can "
                "show them; look for debris of a copy and paste",
                column,
            )
            break
        report.warning(
            line,
            f"control character U+{ord(match.group()):04X} removed: no edition can show it",
            column,
        )
    return CONTROL_RE.sub("", text)


QUOTE_RE = re.compile(r"^[ \t]*((?:>[ \t]?)+)", re.M)
INDENT_RE = re.compile(r"^([ \t]*)[-+*]|^([ \t]*)\d{1,9}[.)]", re.M)
DIV_RE = re.compile(r"^[ ]{0,3}:{3,}[ \t]*(\S?)", re.M)
# A tag's name ends at a space, '/' or '>': '<https://x>' and '<a@b.org>' are autolinks.
TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,30})(?=[\s/>])[^<>]{0,2000}?(/?)>")
# Elements that hold nothing, or whose end tag HTML lets one leave out: they open nothing
# a later tag has to close.
UNNESTED = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody",
}  # fmt: skip


def _nesting(text: str, body_line: int, report: Collector) -> None:
    """Lines too long and blocks nested deeper than the limit, found in the text before
    pandoc reads it (pandoc's time grows fast with depth and line length): quotations by
    their '>', lists by their indentation (two spaces at least per level), fenced divs by
    their ':::', raw HTML by its tags, brackets by paragraph."""
    lines = text.count("\n") + 1
    if lines > limits.LINES:
        report.error(
            None,
            f"the file has {lines:,} lines, above the limit of {limits.LINES:,}: split it "
            "into several manuscripts",
        )
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limits.LINE_CHARS:
            advice = (
                "write the value on the lines below 'key: |', broken into lines"
                if number < body_line
                else "break it into lines (a blank line between paragraphs)"
            )
            report.error(
                number,
                f"this line has {len(line):,} characters, above the limit of "
                f"{limits.LINE_CHARS:,}: {advice}",
            )
            return
    for match in QUOTE_RE.finditer(text):
        if match.group(1).count(">") > limits.NESTING:
            _too_deep(text, match.start(), report)
            return
    for match in INDENT_RE.finditer(text):
        indent = (match.group(1) or match.group(2) or "").expandtabs(4)
        if len(indent) > 2 * limits.NESTING + 8:
            _too_deep(text, match.start(), report)
            return
    depth = 0
    for match in DIV_RE.finditer(text):
        depth = depth + 1 if match.group(1) else max(depth - 1, 0)
        if depth > limits.NESTING:
            _too_deep(text, match.start(), report, "fenced divs (':::')")
            return
    depth = 0
    for match in TAG_RE.finditer(text):
        closing, name, empty = match.groups()
        if empty or name.lower() in UNNESTED:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > limits.NESTING:
            _too_deep(text, match.start(), report, "HTML elements")
            return
    _same_headings(text, report)
    brackets = pandoc_brackets.too_deep(text, body_line)
    if brackets and brackets[1] > pandoc_brackets.LIMIT:
        report.error(
            brackets[0],
            f"this paragraph has {brackets[1]} brackets '[' open at once, above the limit "
            f"of {pandoc_brackets.LIMIT} (pandoc's time doubles with each): close each '[' "
            "with its ']', or write a bracket meant as text as '\\['",
        )
    elif brackets:
        report.error(
            brackets[0],
            f"this paragraph has {brackets[2]} bracketed passages with a lone '_' or '*' "
            f"(such as '[a.__b__]'), above the limit of {pandoc_brackets.LONE_MARKS} "
            "(pandoc's time doubles with each): put code in backticks, or write a mark "
            "meant as text as '\\_' or '\\*'",
        )


HEADING_RE = re.compile(r"^#{1,6}[ \t]+([^\n]*)$", re.M)


def _same_headings(text: str, report: Collector) -> None:
    """Headings that would all get one id: pandoc numbers them (h, h-1, h-2...) in time
    that grows with the square of their number; 5,000 take it seconds."""
    seen: dict[str, int] = {}
    for match in HEADING_RE.finditer(text):
        if "{#" in match.group(1):
            continue  # an id of its own
        key = "".join(c for c in match.group(1).lower() if c.isalnum())
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > limits.SAME_HEADINGS:
            report.error(
                text.count("\n", 0, match.start()) + 1,
                f"more than {limits.SAME_HEADINGS:,} headings read '{match.group(1)[:40]}' "
                "(the limit; each needs an id of its own): give them different words, or "
                "ids of their own ({#id})",
            )
            return


def _too_deep(text: str, at: int, report: Collector, what: str = "") -> None:
    report.error(
        text.count("\n", 0, at) + 1,
        f"blocks nest more than {limits.NESTING} levels deep here (the limit): "
        f"flatten the {what or 'lists or quotations'}",
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


def _elements(trees: list, text: str, report: Collector) -> bool:
    """Whether the text stays within the limits on elements and their depth."""
    before = len(report.errors)
    count = sum(1 for tree in trees for _ in tree.iter())
    if count > limits.ELEMENTS:
        report.error(
            None,
            f"the text makes {count:,} HTML elements, above the limit of "
            f"{limits.ELEMENTS:,}: split it into several manuscripts",
        )
    widest = max(
        (len(row) for tree in trees for row in tree.iter("tr")),
        default=0,
    )
    if widest > limits.TABLE_COLUMNS:
        # A pipe table's rows are lines with a '|' between cells: the first such is where.
        line = next(
            (i for i, row in enumerate(text.split("\n"), 1) if row.count("|") >= widest - 1),
            None,
        )
        report.error(
            line,
            f"a table has {widest:,} columns, above the limit of {limits.TABLE_COLUMNS}: "
            "no page is that wide; split the table, or turn it round (rows for columns)",
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
                reason = NOT_A_PICTURE
                report.error(where, f"image '{removal.image}' {reason}")
                continue
            except OutsideError as exc:
                reason = str(exc)
            report.error(where, f"image '{removal.image}': {reason}")
    return clean


def _no_controls(fragment: str, find: Finder, report: Collector, line: int | None) -> str:
    # From character references (&#1;) in the text or escapes ("\x01") in the YAML.
    where = line or find.default
    for count, match in enumerate(CONTROL_RE.finditer(fragment)):
        if count == CONTROL_WARNINGS:
            rest = len(CONTROL_RE.findall(fragment, match.start()))
            report.warning(
                where,
                f"{rest:,} more control characters removed after this one: no edition can "
                "show them; look for character references such as '&#1;'",
            )
            break
        code = ord(match.group())
        where = (
            line
            or find.first(f"&#{code};", f"&#x{code:x};", f"&#x{code:X};", f"x{code:02x}")
            or find.default
        )
        report.warning(where, f"control character U+{code:04X} removed: no edition can show it")
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
        html = _clean(value["html"], find, report, line)
        clean[path] = {
            "html": _text_only(path, html, line, report),
            "text": _no_controls(value["text"], find, Collector(report.path), line),
        }
    return clean


def _text_only(path: str, html: str, line: int, report: Collector) -> str:
    """A metadata field without images and notes: an image there would be shown from
    wherever its address points (no edition checks a title's pictures), and a note in
    a heading would put a list of notes inside it."""
    if "<img" not in html and "footnote" not in html:
        return html
    try:
        root = parse(html)
    except Unreadable:
        return html  # _elements' limits speak for the text; a field this deep is rare
    for img in list(root.iter("img")):
        report.error(
            line,
            f"'{path}' shows an image ('{img.get('src', '')[:60]}'): a metadata field holds "
            "text only; put the image in the text",
        )
        unwrap(img)
    for element in list(root.iter()):
        classes = (element.get("class") or "").split()
        if "footnote-ref" in classes:
            report.warning(
                line,
                f"a note in '{path}' is left out: a metadata field holds no notes; put the "
                "note in the text, or its words in the field",
            )
            _drop(element)
        elif "footnotes" in classes or element.get("role") == "doc-endnotes":
            _drop(element)
    return serialize(root).strip()


def _drop(element: etree._Element) -> None:
    """Take ``element`` and what it holds out of the tree; the text after it stays."""
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
