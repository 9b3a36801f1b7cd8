"""Other sites' figure idioms, read without running anything: Hugo's ``figure`` shortcode
(and ``ref``/``relref`` links, callouts as asides), Jekyll's includes whose parameters
name an image and its caption (The Programming Historian's ``figure.html``), and R
Markdown or Quarto chunks whose only statement is ``knitr::include_graphics("x.png")``.

Each becomes the Markdown figure it stands for, on the line it was on (the lines below
stay where they were, so that every message keeps its line). Any other shortcode or
include is left out, with a warning at its line; any other chunk stays code (see
``diagnose.py``)."""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Collector
from .boundary import OutsideError, inside

# key="value", key='value', key=value, or a value alone ("x" as Hugo's ref takes it).
PARAM_RE = re.compile(
    r"""(?:([A-Za-z_][\w.-]*)\s*=\s*)?("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"'=,]+)"""
)
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
CHUNK_RE = re.compile(r"^\{r([ ,][^}]*)?\}\s*$")
GRAPHICS_RE = re.compile(
    r"""^(?:knitr::)?include_graphics\(\s*(?:path\s*=\s*)?("[^"\n]*"|'[^'\n]*')\s*"""
    r"""(?:,[^()]*)?\)\s*;?\s*$"""
)
OPTION_RE = re.compile(r"^#\|\s*([\w.-]+)\s*:\s*(.*?)\s*$")
IMAGE_KEYS = ("src", "img", "image", "filename", "file", "path", "url")
CAPTION_KEYS = ("caption", "title", "cap")
CALLOUTS = {"notice", "callout", "alert", "admonition", "hint", "note", "tip", "warning"}
CALLOUTS |= {"info", "important", "caution", "danger", "aside"}
LINKS = {"ref", "relref"}


@dataclass(frozen=True)
class Figure:
    """One figure an idiom stands for, with the path as written."""

    src: str
    caption: str = ""
    alt: str | None = None
    ident: str = ""

    def markdown(self) -> str:
        caption = " ".join(self.caption.split())
        if caption.count("[") != caption.count("]"):
            caption = caption.replace("[", "\\[").replace("]", "\\]")
        src = self.src if not re.search(r"[\s()<>]", self.src) else f"<{self.src}>"
        attrs = [f"#{self.ident}"] if self.ident else []
        if self.alt is not None:
            alt = " ".join(self.alt.split()).replace("\\", "\\\\").replace('"', '\\"')
            attrs.append(f'fig-alt="{alt}"')
        return f"![{caption}]({src})" + ("{" + " ".join(attrs) + "}" if attrs else "")


def params(text: str) -> tuple[dict[str, str], list[str]]:
    """Named and positional parameters of a shortcode or include, unquoted."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in PARAM_RE.finditer(text):
        key, value = match.groups()
        if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
            value = value[1:-1]
            if match.group(2).startswith('"'):
                # Only the quote and the backslash are escaped: "$\theta$" keeps its TeX.
                value = re.sub(r'\\(["\\])', r"\1", value)
        if key:
            named[key.lower()] = value
        else:
            positional.append(value)
    return named, positional


def rewrite(
    text: str, body_line: int, path: Path, roots: tuple[Path, ...], report: Collector
) -> str:
    """``text`` with every idiom read: a figure where one stands for a figure, nothing
    (and a warning) where it stands for what only its site can make."""
    lines = text.split("\n")
    out: list[str] = []
    fence = ""
    number = 0
    while number < len(lines):
        line = lines[number]
        opening = FENCE_RE.match(line)
        if number + 1 < body_line:
            out.append(line)
        elif fence:
            if opening and opening.group(1).startswith(fence) and not opening.group(2).strip():
                fence = ""
            out.append(line)
        elif opening:
            chunk = _chunk(lines, number, opening, report)
            if chunk is None:
                fence = opening.group(1)
                out.append(line)
            else:
                figure, end = chunk
                shown = _described(figure, line.strip(), number + 1, report)
                out.extend(_alone(out, shown, lines, end) if shown else [""])
                out.extend([""] * (end - number))
                number = end
        else:
            out.append(line)
        number += 1
    return _tags("\n".join(out), body_line, path, roots, report)


def _alone(before: list[str], markdown: str, lines: list[str], end: int) -> list[str]:
    """A figure is a paragraph of its own: blank lines around it where there are none
    (the only case where the lines below move)."""
    after = lines[end + 1] if end + 1 < len(lines) else ""
    head = [""] if before and before[-1].strip() else []
    tail = [""] if after.strip() else []
    return [*head, markdown, *tail]


def _chunk(
    lines: list[str], start: int, opening: re.Match[str], report: Collector
) -> tuple[Figure, int] | None:
    """A knitr chunk whose only statement shows a picture by its literal path, read as
    that figure (caption and alt text from the chunk's options); None for any other."""
    header = CHUNK_RE.match(opening.group(2).strip())
    if header is None:
        return None
    fence = opening.group(1)
    options, positional = params(header.group(1) or "")
    statements: list[str] = []
    end = start + 1
    while end < len(lines):
        line = lines[end].strip()
        if line.startswith(fence[0] * len(fence)) and not line.strip(fence[0]):
            break
        option = OPTION_RE.match(line)
        if option:
            value = option.group(2)
            if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
                value = value[1:-1]
            options[option.group(1).lower()] = value
        elif line and not line.startswith("#"):
            statements.append(line)
        end += 1
    if end == len(lines) or len(statements) != 1:
        return None
    shown = GRAPHICS_RE.match(statements[0])
    if shown is None:
        return None
    label = options.get("label") or (positional[0] if positional else "")
    caption = options.get("fig-cap", options.get("fig.cap", ""))
    # bookdown numbers a labelled chunk with fig.cap as fig:<label> (\@ref(fig:label));
    # Quarto, a chunk whose label begins with fig-.
    if "fig.cap" in options and re.fullmatch(r"[\w-]+", label):
        label = f"fig-{label}"
    alt = options.get("fig-alt", options.get("fig.alt"))
    return (
        Figure(
            src=shown.group(1)[1:-1],
            caption=caption,
            alt=alt,
            ident=label if re.fullmatch(r"fig-[\w-]+", label) else "",
        ),
        end,
    )


class _Next:
    """The next occurrence of a string at or after a position, searched again only once
    passed: every character of the text is looked at a bounded number of times, however
    many tags open and never close."""

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle, self.found = text, needle, -2

    def at(self, position: int) -> int:
        if self.found == -1 or 0 <= position <= self.found:
            return self.found
        self.found = self.text.find(self.needle, position)
        return self.found


def _tags(text: str, body_line: int, path: Path, roots: tuple[Path, ...], report: Collector) -> str:
    """Hugo shortcodes and Jekyll includes outside code, each replaced in place."""
    out: list[str] = []
    at = _offset(text, body_line)
    out.append(text[:at])
    code = _code_spans(text)
    openings = {o: _Next(text, o) for o in ("{{<", "{{%", "{%")}
    closings = {c: _Next(text, c) for c in (">}}", "%}}", "%}")}
    blank = _Next(text, "\n\n")
    line, counted = 1, 0  # the line number at offset ``counted``
    line_start = 0
    ticks, ticked = 0, 0  # backticks between the start of the line and ``ticked``
    while True:
        starts = [i for i in (n.at(at) for n in openings.values()) if i >= 0]
        if not starts:
            break
        start = min(starts)
        newlines = text.count("\n", counted, start)
        if newlines:
            line_start = text.rfind("\n", counted, start) + 1
        line, counted = line + newlines, start
        if ticked < line_start:
            ticks, ticked = 0, line_start
        ticks, ticked = ticks + text.count("`", ticked, start), start
        closing = {"{{<": ">}}", "{{%": "%}}", "{%": "%}"}[_opening(text, start)]
        end = closings[closing].at(start + 2)
        inside_code = code and _within(code, start) or ticks % 2
        if inside_code or end < 0 or 0 <= blank.at(start) < end:
            # In code (an example, not a tag), or never closed within its paragraph.
            out.append(text[at : start + 2])
            at = start + 2
            continue
        end += len(closing)
        replacement = _replace(text[start:end], line, path, roots, report)
        out.append(text[at:start])
        if replacement is None:
            out.append(text[start:end])
        elif replacement.startswith(("![", ":::")):
            # A fence needs a blank line before it (an opening one) or none (a closing one).
            fence = replacement.startswith(":::")
            out.append(
                replacement
                if replacement == ":::"
                else _paragraph(text, start, end, replacement, after=not fence)
            )
            out.append("\n" * text.count("\n", start, end))
        else:
            # The lines the tag took stay lines, so that the text below keeps its numbers.
            out.append(replacement + "\n" * text.count("\n", start, end))
        at = end
    out.append(text[at:])
    return "".join(out)


def _within(spans: list[tuple[int, int]], position: int) -> bool:
    index = bisect.bisect_right(spans, (position, sys.maxsize)) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1]


def _paragraph(text: str, start: int, end: int, figure: str, after: bool = True) -> str:
    """A figure (or a fence of an aside) is a paragraph of its own: blank lines around it
    where the tag had text or a line of text next to it (the only case where the lines
    below move)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = _end_of_line(text, end)
    previous = ""
    if line_start > 0:
        previous = text[text.rfind("\n", 0, line_start - 1) + 1 : line_start - 1]
    following = text[line_end + 1 : _end_of_line(text, line_end + 1)]
    before = text[line_start:start].strip() or previous.strip()
    glued = text[end:line_end].strip() or following.strip()
    return ("\n\n" if before else "") + figure + ("\n\n" if after and glued else "")


def _end_of_line(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _offset(text: str, line: int) -> int:
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return len(text)
    return at


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where fenced code blocks are: a tag shown in code is an example, not a tag."""
    spans = []
    fence = ""
    begin = 0
    at = 0
    for line in text.split("\n"):
        opening = FENCE_RE.match(line)
        if fence and opening and opening.group(1).startswith(fence):
            spans.append((begin, at + len(line)))
            fence = ""
        elif not fence and opening:
            fence, begin = opening.group(1), at
        at += len(line) + 1
    return spans


def _opening(text: str, start: int) -> str:
    for opening in ("{{<", "{{%"):
        if text.startswith(opening, start):
            return opening
    return "{%"


TAG_RE = re.compile(r"^\{(?:\{[<%]|%)-?\s*(/?)\s*([\w./-]+)(.*?)-?\s*[>%]?\}\}?$", re.S)


def _replace(
    tag: str, line: int, path: Path, roots: tuple[Path, ...], report: Collector
) -> str | None:
    """What a tag becomes; None to keep it as it is (Liquid that is not an include)."""
    match = TAG_RE.match(tag)
    if match is None:
        return None
    closing, name, rest = match.groups()
    liquid = tag.startswith("{%") and not tag.startswith("{{")
    if liquid:
        if name != "include":
            return None  # {% raw %}, {% if %}...: diagnose.py says they are kept as text
        return _include(rest.strip(), tag, line, path, roots, report)
    return _shortcode(name, closing == "/", rest, tag, line, report)


def _shortcode(name: str, closing: bool, rest: str, tag: str, line: int, report: Collector) -> str:
    """Hugo: a figure, a link target, an aside, or nothing (with a warning)."""
    named, positional = params(rest)
    if name == "figure" and not closing and named.get("src"):
        caption = next((named[k] for k in CAPTION_KEYS if named.get(k)), "")
        return _described(Figure(named["src"], caption, named.get("alt")), tag, line, report)
    if name in LINKS and not closing and (positional or named.get("path")):
        return positional[0] if positional else named["path"]
    if name in CALLOUTS:
        if closing:
            return ":::"
        kind = named.get("type") or (positional[0] if positional else name)
        kind = re.sub(r"[^\w-]", "", kind) or name
        return f"::: {{.aside .callout-{kind}}}"
    report.warning(
        line,
        f"Hugo shortcode '{_short(tag)}' is left out: only its site can make what it "
        "shows; write it in Markdown (an image is ![caption](file.png))",
    )
    return ""


def _include(
    rest: str, tag: str, line: int, path: Path, roots: tuple[Path, ...], report: Collector
) -> str:
    """Jekyll: an include whose parameters name an image is that figure; any other
    include is left out, with a warning."""
    name, _, arguments = rest.partition(" ")
    named, _ = params(arguments)
    key = next((k for k in IMAGE_KEYS if named.get(k)), None)
    if key is None or "{{" in named[key] and key == "filename":
        report.warning(
            line,
            f"Jekyll include '{_short(tag)}' is left out: only its site can make what it "
            "shows; write it in Markdown (an image is ![caption](file.png))",
        )
        return ""
    caption = next((named[k] for k in CAPTION_KEYS if named.get(k)), "")
    src = named[key]
    if key == "filename":
        # The Programming Historian's figure.html: the picture is images/<lesson>/<name>
        # from the site's root; a folder of the lesson's own holds it beside the text.
        candidates = (f"images/{path.stem}/{src}", src)
        found = next((c for c in candidates if _exists(path.parent, c, roots)), None)
        if found is None:
            report.warning(
                line,
                f"include '{name}' shows '{src}', which is neither at "
                f"{candidates[0]} nor beside the manuscript (nor in a --resource-path "
                "folder): the figure is left out and its caption kept as text; put the "
                "picture in one of these places",
            )
            return caption
        src = found
    return _described(Figure(src, caption, named.get("alt")), tag, line, report)


def _described(figure: Figure, tag: str, line: int, report: Collector) -> str:
    """The figure's Markdown; nothing, with a warning, when it has neither caption nor
    alt text: a picture no reader could be told about (its site showed it with alt="")."""
    if figure.caption.strip() or (figure.alt or "").strip():
        return figure.markdown()
    report.warning(
        line,
        f"'{_short(tag)}' gives its picture neither a caption nor alt text, so it is "
        'left out: say what it shows with caption="…" or alt="…"',
    )
    return ""


def _exists(folder: Path, target: str, roots: tuple[Path, ...]) -> bool:
    try:
        return inside(folder, target, roots).is_file()
    except OutsideError:
        return False


def _short(tag: str) -> str:
    tag = " ".join(tag.split())
    return tag if len(tag) <= 60 else tag[:57] + "..."
