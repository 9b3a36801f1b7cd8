"""Checks of the converted text that pandoc lets pass: note calls without a note, notes
never called, template tags it cannot read, links to pages that are not there."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from ..diagnostics import Collector
from .boundary import OutsideError, inside, line_of, raw_links
from .pandoc import Converted
from .sanitize import sanitize

DEFINITION_RE = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
CALL_RE = r"\[\^{}\](?!:)"
LIQUID_RE = re.compile(r"\{%-?\s*(\w+).*?%\}|\{\{.*?\}\}")
FENCE_RE = re.compile(r"^(```|~~~)")
ID_RE = re.compile(r'\sid="([^"]*)"')
NOTE_ID_RE = re.compile(r"^fn(?:ref)?\d+$")
RESERVED_IDS = ("title", "notes-heading", "about-author-heading")
"""Ids the templates give; with ``fnN`` and ``fnrefN`` for notes and their calls."""
ATTACHMENT_RE = re.compile(r'\srel="[^"]*\battachment\b[^"]*"', re.I)
LINK_RE = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.S)


def inspect_text(
    text: str, body_line: int, converted: Converted, report: Collector, base_url: str | None = None
) -> tuple[str, list[str]]:
    """Report what pandoc would let pass silently; return body and notes made safe."""
    _notes(text, converted, report)
    _liquid(text, body_line, report)
    _pandoc_log(text, converted.log, report)
    body, notes = converted.body, list(converted.notes)
    if converted.raw_html:
        body = sanitize(body, text, report)
        notes = [sanitize(n, text, report) for n in notes]
    body, notes = (
        _no_attachments(body, text, report),
        [_no_attachments(n, text, report) for n in notes],
    )
    body, notes = _unique_ids(body, notes, text, report)
    links = converted.links + raw_links(converted.raw_html)
    folder_links = _links(text, links, report, base_url)
    body = _relink(body, folder_links)
    notes = [_relink(n, folder_links) for n in notes]
    return body, notes


def _notes(text: str, converted: Converted, report: Collector) -> None:
    for label in dict.fromkeys(converted.unresolved_notes):
        report.error(
            line_of(text, f"[^{label}]"),
            f"note [^{label}] is called but never defined: add a line "
            f"'[^{label}]: text of the note' after the paragraph, or remove the call",
        )
    for nested in converted.nested_notes:
        report.warning(
            line_of(text, nested.split(" ")[0]),
            f"a note is called inside another note ('{_short(nested)}'): it is set in "
            "parentheses there; move the call into the text",
        )
    for match in DEFINITION_RE.finditer(text):
        label = match.group(1)
        if not re.search(CALL_RE.format(re.escape(label)), text):
            line = text.count("\n", 0, match.start()) + 1
            report.warning(
                line,
                f"note [^{label}] is defined but never called, so no edition "
                f"shows it: add [^{label}] where it belongs, or delete it",
            )


FORMAT_NAMES = {"tex": "TeX", "latex": "LaTeX", "html": "HTML", "openxml": "OpenXML"}
# Messages of pandoc's that checks above already give in our words.
ALREADY_REPORTED = {"NoteDefinedButNotUsed"}


def _pandoc_log(text: str, log: tuple[dict, ...], report: Collector) -> None:
    """What pandoc read but could not render: said as a warning naming it."""
    for entry in log:
        kind = entry.get("type", "")
        if kind in ALREADY_REPORTED:
            continue
        if kind in ("InlineNotRendered", "BlockNotRendered"):
            fmt, raw = entry["contents"]["c"]
            report.warning(
                line_of(text, raw.split("\n")[0]),
                f"raw {FORMAT_NAMES.get(fmt, fmt)} '{_short(raw)}' is left out of every edition: "
                "write it in Markdown instead",
            )
        elif kind == "CouldNotConvertTeXMath":
            math = entry.get("contents", "")
            # Its first non-empty line: a display formula often opens with a newline,
            # and the empty string is found at the very start (line 1).
            first = next((ln.strip() for ln in math.split("\n") if ln.strip()), math)
            report.warning(
                line_of(text, first),
                f"TeX math '{_short(math)}' could not be read by pandoc and is shown "
                "as TeX source: check its syntax (braces, commands)",
            )
        elif kind == "DuplicateNoteReference":
            label = entry.get("contents", "")
            report.warning(
                entry.get("line") or line_of(text, f"[^{label}]:"),
                f"note [^{label}] is defined a second time here, and this definition "
                "replaces the first: give one of them a label of its own, or delete one",
            )
        elif entry.get("verbosity") == "WARNING":
            line = (
                entry.get("line")
                or (entry.get("openpos") or {}).get("line")
                or line_of(text, str(entry.get("contents", "")), 1)
            )
            report.warning(line, f"pandoc: {entry.get('pretty', kind)}")


def _liquid(text: str, body_line: int, report: Collector) -> None:
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if number < body_line:
            continue
        if FENCE_RE.match(line.lstrip()):
            fenced = not fenced
        if fenced:
            continue
        for match in LIQUID_RE.finditer(line):
            report.warning(
                number,
                f"template tag '{_short(match.group(0))}' is not Markdown "
                "and is kept as text: replace it with Markdown (an image "
                "is ![description](file.png))",
            )


def _links(
    text: str, links: tuple[str, ...], report: Collector, base: str | None
) -> dict[str, str | None]:
    """Local links that do not lead to a usable target: a new address, or None to unlink."""
    rewrite: dict[str, str | None] = {}
    for target in dict.fromkeys(links):
        if not target or target.startswith("#") or _is_remote(target):
            continue
        if target.lower().startswith("file:"):
            report.warning(
                line_of(text, target),
                f"link to '{target}' points to a file on one computer, not to a web "
                "page: it is kept as plain text; link to a web address instead",
            )
            rewrite[target] = None
            continue
        if base:
            # Resolved as the original site's pages did: '/en/x' from the site's root,
            # 'x.html' from the folder the base names.
            rewrite[target] = urljoin(base.rstrip("/") + "/", target)
            continue
        try:
            exists = inside(report.path.parent, target.split("#")[0]).is_file()
        except OutsideError:
            exists = False
        what = "a file next to the manuscript" if exists else "a page that is not in this build"
        report.warning(
            line_of(text, target),
            f"link to '{target}' leads to {what}: it is kept "
            "as plain text; give 'base-url' (or --base-url) to "
            "link it to the original site",
        )
        rewrite[target] = None
    return rewrite


def _unique_ids(body: str, notes: list[str], text: str, report: Collector) -> tuple[str, list[str]]:
    """Each ``id`` once: raw HTML may repeat one, or take one the editions use (the title,
    a note), and a link to it would then lead to the wrong place (EPUBCheck: RSC-005)."""
    seen = set(RESERVED_IDS)
    repeats: dict[str, int] = {}

    def one(match: re.Match[str]) -> str:
        ident = match.group(1)
        if ident not in seen and not NOTE_ID_RE.match(ident):
            seen.add(ident)
            return match.group(0)
        repeats[ident] = repeats.get(ident, 0) + 1
        needle = f'id="{ident}"'
        at = -1
        for _ in range(repeats[ident] + (ident not in RESERVED_IDS)):
            at = text.find(needle, at + 1)
        report.warning(
            text.count("\n", 0, at) + 1 if at >= 0 else line_of(text, ident),
            f"id '{ident}' is used twice, or by the editions themselves: it is removed "
            "here; give each element its own id",
        )
        return ""

    return ID_RE.sub(one, body), [ID_RE.sub(one, n) for n in notes]


def _is_remote(target: str) -> bool:
    """An address with a scheme of its own, other than ``file:`` (a local path in disguise)."""
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", target, re.I)
    return scheme is not None and scheme.group(1).lower() != "file"


def _no_attachments(fragment: str, text: str, report: Collector) -> str:
    """Without ``rel="attachment"`` (``[x](file){rel=attachment}``): WeasyPrint would embed
    the file it points to in the PDF."""

    def one(match: re.Match[str]) -> str:
        report.warning(
            line_of(text, "attachment"),
            "rel=attachment removed from a link: editions embed no files; put the "
            "file on a web site and link to it there",
        )
        return ""

    return ATTACHMENT_RE.sub(one, fragment)


def _relink(fragment: str, rewrite: dict[str, str | None]) -> str:
    if not rewrite:
        return fragment
    escaped = {html.escape(k): v for k, v in rewrite.items()}

    def one(match: re.Match[str]) -> str:
        href = match.group(1)
        if href not in escaped:
            return match.group(0)
        new = escaped[href]
        if new is None:
            return match.group(3)
        return f'<a href="{html.escape(new)}"{match.group(2)}>{match.group(3)}</a>'

    return LINK_RE.sub(one, fragment)


def _short(tag: str) -> str:
    """``tag`` on one line and at most 60 characters, to quote it in a message."""
    tag = " ".join(tag.split())
    return tag if len(tag) <= 60 else tag[:57] + "..."
