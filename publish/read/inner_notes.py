"""Notes called from inside other notes (issue 25).

pandoc reads no note call inside a note: ``[^b]: see [^c].`` keeps ``[^c]`` as text, and
the definition of ``[^c]``, called nowhere else, is dropped without a word. No edition
can nest notes either (a pop-up inside a pop-up, a footnote of a footnote), so publish
does what it already does with an inline note inside a note: the inner note's text is
set in parentheses where it is called, ``see (text of c).``, and a warning at the call
says so. A note that calls itself loses that call. ``unnest`` makes that change to the
text before pandoc reads it, keeping every line where it was; ``inner_calls`` finds the
same calls for the warnings (diagnose.py), so that both agree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

# Linear in the length of the line: no nested repetition.
START_RE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
CALL_RE = re.compile(r"([ \t]*)\[\^([^\]\s]+)\](?!:)")
"""A call, with the spaces before it (which go with a call that is removed)."""
FENCE_RE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class Definition:
    """One note definition: where its text is, line by line."""

    label: str
    parts: tuple[tuple[int, int], ...]
    """(line index, column where its text starts) for each line of the definition."""


@dataclass(frozen=True)
class InnerCall:
    """A call of a defined note from inside a note's definition."""

    label: str
    outer: str
    line: int
    """1-based line of the call."""


def definitions(text: str, body_line: int = 1) -> dict[str, Definition]:
    """Every note definition of the body, by label (a label defined twice: the last one,
    as pandoc takes it)."""
    lines = text.split("\n")
    found: dict[str, Definition] = {}
    fenced = False
    index = body_line - 1
    while index < len(lines):
        line = lines[index]
        if FENCE_RE.match(line):
            fenced = not fenced
        match = None if fenced else START_RE.match(line)
        if match is None:
            index += 1
            continue
        parts = [(index, match.end())]
        index += 1
        while index < len(lines) and not START_RE.match(lines[index]):
            if lines[index].strip():
                parts.append((index, _indent(lines[index])))
                index += 1
                continue
            following = index + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following < len(lines) and lines[following].startswith(("    ", "\t")):
                index = following  # an indented block after blank lines: still the note
                continue
            break
        found[match.group(1)] = Definition(match.group(1), tuple(parts))
    return found


def _indent(line: str) -> int:
    """Where a continuation line's text starts."""
    return len(line) - len(line.lstrip())


def inner_calls(text: str, body_line: int = 1) -> list[InnerCall]:
    """Each call, inside a note's definition, of a note that is defined, in text order."""
    lines = text.split("\n")
    defined = definitions(text, body_line)
    calls = []
    for definition in defined.values():
        for index, start in definition.parts:
            for match in CALL_RE.finditer(lines[index], start):
                if match.group(2) in defined:
                    calls.append(InnerCall(match.group(2), definition.label, index + 1))
    return sorted(calls, key=lambda c: c.line)


def called_from_text(text: str, body_line: int = 1) -> set[str]:
    """Labels of the notes called outside every note's definition."""
    lines = text.split("\n")
    inside = {i for d in definitions(text, body_line).values() for i, _ in d.parts}
    return {
        match.group(2)
        for index in range(body_line - 1, len(lines))
        if index not in inside
        for match in CALL_RE.finditer(lines[index])
    }


def unnest(text: str, body_line: int = 1) -> str:
    """``text`` with each call of a defined note inside another note replaced by the
    inner note's text as an inline note (``^[text]``), which pandoc reads and the
    collecting filter sets in parentheses; a note's call of itself removed. Lines stay
    where they were (the inner text is put on the call's line)."""
    lines = text.split("\n")
    defined = definitions(text, body_line)
    if not defined or "[^" not in text:
        return text
    changed = list(lines)
    for definition in defined.values():
        inline = partial(_inline, outer=definition.label, defined=defined, lines=lines)
        for index, start in definition.parts:
            changed[index] = changed[index][:start] + CALL_RE.sub(inline, changed[index][start:])
    return "\n".join(changed)


def _inline(
    call: re.Match[str], outer: str, defined: dict[str, Definition], lines: list[str]
) -> str:
    spaces, label = call.groups()
    if label not in defined:
        return call.group()  # no note of that name: diagnose.py says so
    if label == outer:
        return ""
    # The inner note's own calls stay as text (a cycle would never end); said in its place.
    return f"{spaces}^[{_joined(lines, defined[label])}]"


def text_of(text: str, definition: Definition) -> str:
    """A definition's text on one line, as ``unnest`` sets it."""
    return _joined(text.split("\n"), definition)


def _joined(lines: list[str], definition: Definition) -> str:
    return " ".join(lines[i][start:].strip() for i, start in definition.parts).strip()


def words(text: str) -> str:
    """Letters and digits only: to recognise an inner note's text in pandoc's rendering."""
    return "".join(c for c in text if c.isalnum())
