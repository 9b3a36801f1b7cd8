"""Checks of the text that pandoc lets pass: note calls without a note, notes never
called, template tags it cannot read, what pandoc itself logged."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Collector
from . import inner_notes
from .boundary import line_of
from .pandoc import Converted
from .site_paths import in_image_address

# Every expression here runs over the manuscript's text: each is linear in its length
# (no nested or overlapping repetition), so that no text can make it take long.
DEFINITION_RE = re.compile(r"^\[\^([^\]\s]+)\]:", re.M)
CALL_RE = re.compile(r"\[\^([^\]\s]+)\]")
FENCE_RE = re.compile(r"^(```|~~~)")
BEGIN_RE = re.compile(r"\\begin\{([A-Za-z]+\*?)\}")
TAG_NAME_RE = re.compile(r"-?\s*(\w+)")
# A heading with no words (`#`, `## {#id}`), which filters/typography.lua leaves out.
EMPTY_HEADING_RE = re.compile(r" {0,3}#{1,6}(?:[ \t]+\{[^}]*\})?(?:[ \t]+#*)?[ \t]*")


def inspect_text(text: str, body_line: int, converted: Converted, report: Collector) -> None:
    """Report what pandoc would let pass silently: notes, template tags, its own log."""
    _notes(text, body_line, converted, report)
    _liquid(text, body_line, report)
    _chunks(text, body_line, report)
    _empty_headings(text, body_line, report)
    _pandoc_log(text, converted.log, report)


def _outside_code(text: str, body_line: int) -> Iterator[tuple[int, str]]:
    """(number, line) of the body's lines outside fenced code."""
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if number < body_line:
            continue
        if FENCE_RE.match(line.lstrip()):
            fenced = not fenced
        elif not fenced:
            yield number, line


def _empty_headings(text: str, body_line: int, report: Collector) -> None:
    for number, line in _outside_code(text, body_line):
        if line.lstrip().startswith("#") and EMPTY_HEADING_RE.fullmatch(line):
            report.warning(
                number,
                "a heading with no words is left out (it would be an empty entry in the "
                "contents, with no name for screen readers): for space between parts, "
                "leave a blank line or write * * *",
            )


def _notes(text: str, body_line: int, converted: Converted, report: Collector) -> None:
    inner = inner_notes.inner_calls(text, body_line)
    defined = inner_notes.definitions(text, body_line)
    for label in dict.fromkeys(converted.unresolved_notes):
        if label in defined:
            continue  # called from inside a note: said below, at that call
        report.error(
            line_of(text, f"[^{label}]"),
            f"note [^{label}] is called but never defined: add a line "
            f"'[^{label}]: text of the note' after the paragraph, or remove the call",
        )
    shown = inner_notes.called_from_text(text, body_line)
    _inner_calls(inner, set(converted.unresolved_notes), shown, report)
    # The inner notes set in parentheses by inner_notes.unnest: said once, above.
    unnested = {
        inner_notes.words(inner_notes.text_of(text, defined[c.label]))
        for c in inner
        if c.label != c.outer
    }
    for nested in converted.nested_notes:
        if inner_notes.words(nested) in unnested:
            continue
        report.warning(
            line_of(text, nested.split(" ")[0]),
            f"a note is called inside another note ('{_short(nested)}'): it is set in "
            "parentheses there; move the call into the text",
        )
    called = {m.group(1) for m in CALL_RE.finditer(text) if not text.startswith(":", m.end())}
    for match in DEFINITION_RE.finditer(text):
        label = match.group(1)
        if label not in called:
            line = text.count("\n", 0, match.start()) + 1
            report.warning(
                line,
                f"note [^{label}] is defined but never called, so no edition "
                f"shows it: add [^{label}] where it belongs, or delete it",
            )


CHUNK_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[ \t]*\{([A-Za-z][\w-]*)[ \t,}]", re.M)


def _chunks(text: str, body_line: int, report: Collector) -> None:
    """Quarto's and R Markdown's code chunks (```{r}): nothing here runs code, so what
    the chunk would have made (a plot, a table) is missing; the code itself shows."""
    for match in CHUNK_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line < body_line:
            continue
        report.warning(
            line,
            f"code chunk '{{{match.group(1)}}}' is shown as code and not run, so what it "
            "makes is missing: put its output in the text (a plot as an image, a table "
            "in Markdown)",
        )


def _inner_calls(
    calls: list[inner_notes.InnerCall], as_text: set[str], shown: set[str], report: Collector
) -> None:
    """Notes called from inside notes, which pandoc does not nest (inner_notes.py). A
    call pandoc still kept as text is said to be so: in a note that is shown only inside
    another (``shown``: the notes the text itself calls), or one pandoc read as text."""
    for call in calls:
        kept = call.label in as_text or call.outer not in shown
        if call.label == call.outer:
            what = "the call is kept as text" if kept else "the call is left out"
            report.warning(call.line, f"note [^{call.label}] calls itself: {what}; delete it")
            continue
        what = (
            f"the call is kept as text '[^{call.label}]'"
            if kept
            else f"the text of note [^{call.label}] is set in parentheses at the call"
        )
        report.warning(
            call.line,
            f"note [^{call.label}] is called inside note [^{call.outer}], and no note can "
            f"hold another: {what}; call [^{call.label}] from the text to make it a note "
            "of its own",
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
            # A block that holds environments (a table pandoc's LaTeX reader could not
            # read) loses their text: name them, not only the block's first words.
            kinds = list(dict.fromkeys(BEGIN_RE.findall(raw)))
            named = ", ".join("\\begin{" + k + "}" for k in kinds[:4])
            what = f" (with {named}: its text is lost)" if kinds else ""
            report.warning(
                line_of(text, raw.split("\n")[0]),
                f"raw {FORMAT_NAMES.get(fmt, fmt)} '{_short(raw)}'{what} is left out of every "
                "edition: write it in Markdown instead",
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
        elif kind == "DuplicateIdentifier":
            # Said once, at the second element, by the cross-references (crossref.lua)
            # or by the ids' own check (rewrite.unique_ids); pandoc's line is off.
            continue
        elif entry.get("verbosity") == "WARNING":
            line = (
                entry.get("line")
                or (entry.get("openpos") or {}).get("line")
                or line_of(text, str(entry.get("contents", "")), 1)
            )
            report.warning(line, f"pandoc: {entry.get('pretty', kind)}")


def _liquid(text: str, body_line: int, report: Collector) -> None:
    for number, line in _outside_code(text, body_line):
        for tag in template_tags(line):
            if in_image_address(line, tag):
                continue  # a site variable in an image's address: read as a path
            report.warning(
                number,
                f"template tag '{_short(tag)}' is not Markdown "
                "and is kept as text: replace it with Markdown (an image "
                "is ![description](file.png))",
            )


def template_tags(line: str) -> list[str]:
    """``{% tag ... %}`` and ``{{ ... }}`` in ``line``, found in one pass: a regular
    expression with a lazy ``.*?`` takes quadratic time on a line of unclosed braces."""
    found: list[str] = []
    at = 0
    # The next "{%" and "{{" at or after ``at``, each searched again only once passed,
    # so that every character is looked at a bounded number of times.
    following = {"{%": line.find("{%"), "{{": line.find("{{")}
    while True:
        for opening, where in following.items():
            if 0 <= where < at:
                following[opening] = line.find(opening, at)
        starts = [i for i in following.values() if i >= 0]
        if not starts:
            return found
        start = min(starts)
        liquid = line.startswith("{%", start)
        end = line.find("%}" if liquid else "}}", start + 2)
        if end < 0:
            # No closing anywhere after: nor for any later opening of this kind.
            following["{%" if liquid else "{{"] = -1
            continue
        if not liquid or TAG_NAME_RE.match(line, start + 2):
            found.append(line[start : end + 2])
        at = end + 2


def _short(tag: str) -> str:
    """``tag`` on one line and at most 60 characters, to quote it in a message."""
    tag = " ".join(tag.split())
    return tag if len(tag) <= 60 else tag[:57] + "..."
