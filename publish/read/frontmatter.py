"""Splits a manuscript into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Collector
from . import limits, schemas


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: we validate them ourselves, with a line number,
    instead of letting ``2005-02-30`` raise deep inside the parser."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Explicit tags whose values are no metadata: bytes, sets (in no fixed order, so no
# reproducible edition), pairs and dates made elsewhere than in ``date``'s check. A
# value with one of them is an error at its line, as an unknown tag is.
_Loader.yaml_constructors = {
    tag: construct
    for tag, construct in yaml.SafeLoader.yaml_constructors.items()
    if tag
    not in {f"tag:yaml.org,2002:{name}" for name in ("binary", "set", "omap", "pairs", "timestamp")}
}


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int]
    """1-based line of each key, by dotted path (``author.0.note``)."""
    body_line: int
    """1-based line at which the body starts."""

    def for_pandoc(self, text: str) -> str:
        """``text`` with its front matter as the JSON of what PyYAML read, on as many
        lines as before: pandoc never parses the YAML itself (no alias to expand, no
        duplicate key or odd escape to read another way), and its line numbers still
        match the manuscript's."""
        lines = text.split("\n")
        closing = self.body_line - 2
        if closing < 2:
            return text  # an empty front matter: nothing for pandoc to misread
        data = json.dumps(self.data, ensure_ascii=True, default=str)
        padding = [""] * max(closing - 2, 0)
        return "\n".join(["---", data, *padding, *lines[closing:]])


def key_lines(source: Path) -> dict[str, int]:
    """The line of each top-level key of a manuscript's front matter ({} without one):
    for messages about a key that are found after the manuscript was read."""
    text = source.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    fm = split(text, Collector(source))
    if fm is None:
        return {}
    return {k: v for k, v in fm.lines.items() if "." not in k and k}


def split(text: str, report: Collector) -> FrontMatter | None:
    """Read the front matter; None (with errors reported) when there is none usable."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        first = next((i for i, line in enumerate(lines) if line.strip()), 0)
        if lines[first].strip().startswith("---") and set(lines[first].strip()) == {"-"}:
            # Almost a front matter: say what keeps it from being one.
            if lines[first].strip() != "---":
                problem = "must be exactly three dashes"
            elif first > 0:
                problem = "must be on the file's first line, with no blank line before it"
            else:
                problem = "must not be indented"
            report.error(
                first + 1,
                f"the front matter's opening '---' {problem}: write '---' alone at the start "
                "of the first line",
            )
            return None
        report.error(
            1,
            "no YAML front matter: start the file with a line '---', then "
            "'title: ...', then a closing '---'",
        )
        return None
    closing = [i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in ("---", "...")]
    if not closing:
        report.error(
            1,
            "the front matter opened here is never closed: add a line '---' "
            "after the last metadata line",
        )
        return None
    index = closing[0]
    # With its last line's newline: a block scalar that ends the front matter
    # (`abstract: |` as the last key) keeps its final newline, which is what tells pandoc
    # that the value is paragraphs; without it several paragraphs ran into one, with
    # line breaks, and a list in an abstract lost its items.
    source = "\n".join(lines[1:index]) + "\n"
    if len(source.encode("utf-8")) > limits.YAML_BYTES:
        report.error(
            2,
            f"the front matter is larger than {limits.YAML_BYTES // 1000} KB (the limit): "
            "keep long texts in the body",
        )
        return None
    try:
        node = yaml.compose(source, Loader=_Loader)
        if not _bounded(node, report):
            return None
        data = yaml.load(source, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        _yaml_error(exc, report)
        return None
    except RecursionError:
        report.error(
            2,
            f"the front matter nests lists or mappings more than {limits.YAML_DEPTH} "
            "deep (the limit): flatten it",
        )
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        report.error(
            2,
            f"the front matter must be 'key: value' lines, not {kind}: begin it with 'title: ...'",
        )
        return None
    positions: dict[str, int] = {}
    _record(node, "", positions)
    # Front matter written for JOSS, rticles, Jekyll or Hugo, in the shape read here.
    schemas.normalise(data, positions, report)
    return FrontMatter(data=data, lines=positions, body_line=index + 2)


def _bounded(root: yaml.Node | None, report: Collector) -> bool:
    """Whether the front matter stays inside the limits, each crossing an error at its
    line: nodes once aliases are expanded, depth, size of a value, keys that are text,
    characters that are characters, each key once."""
    sizes: dict[int, int] = {}
    ok = True

    def line(node: yaml.Node) -> int:
        return node.start_mark.line + 2

    def fail(node: yaml.Node, message: str) -> None:
        nonlocal ok
        ok = False
        report.error(line(node), message)

    def size(node: yaml.Node, depth: int) -> int:
        # Memoised on the node: an alias is the node it names, so that a bomb's
        # expanded size is computed without expanding it.
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > limits.YAML_DEPTH:
            fail(
                node,
                f"lists or mappings nest more than {limits.YAML_DEPTH} deep here "
                "(the limit): flatten them",
            )
            raise _Stop
        total = 1
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            if len(value) > limits.YAML_VALUE_CHARS:
                fail(
                    node,
                    f"this value has {len(value):,} characters, above the limit of "
                    f"{limits.YAML_VALUE_CHARS:,}: move long texts into the body",
                )
            elif node.tag == "tag:yaml.org,2002:int" and len(value) > 100:
                # Python refuses to convert integers of more than 4,300 digits.
                fail(node, f"this number has {len(value):,} digits: put it in quotes if it is text")
            elif any("\ud800" <= c <= "\udfff" for c in value):
                fail(
                    node,
                    "this value holds an escape such as '\\ud800' that is no character: remove it",
                )
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item, depth + 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    fail(
                        key,
                        "the YAML merge key '<<' is not allowed in the front matter: "
                        "write the keys out",
                    )
                elif not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                    fail(
                        key,
                        "a metadata key must be a word, not a number, list or "
                        "mapping: write it as 'name: value'",
                    )
                elif key.value in keys:
                    report.warning(
                        line(key),
                        f"key '{key.value}' is given twice: the "
                        "later value is used; delete one of them",
                    )
                keys.add(str(key.value))
                total += size(key, depth + 1) + size(value, depth + 1)
        sizes[id(node)] = total
        if total > limits.YAML_NODES:
            fail(
                node,
                f"the front matter expands to more than {limits.YAML_NODES:,} "
                "values (the limit; aliases count each time they are used): "
                "write it out plainly, and keep long lists in the text",
            )
            raise _Stop
        return total

    if root is None:
        return True
    try:
        size(root, 0)
    except _Stop:
        return False
    return ok


class _Stop(Exception):
    """Enough is known: the front matter crosses a limit."""


def _yaml_error(exc: yaml.MarkedYAMLError, report: Collector) -> None:
    """Where the parser gave up, or, when it ran off the end (an unclosed quote or
    bracket), where the thing it was reading began: that is the line to fix."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "cannot be read"
    tag = re.search(r"constructor for the tag '([^']*)'", problem)
    if tag:
        name = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        report.error(
            mark.line + 2 if mark else 1,
            f"the YAML tag '{name}' is not allowed in the front matter: remove it (a "
            "value is text, a number, true or false, a list or a mapping)",
            mark.column + 1 if mark else None,
        )
        return
    if exc.context_mark and "end of stream" in problem:
        mark = exc.context_mark
        problem = (
            f"{(exc.context or '').removeprefix('while scanning ')} begun here is never closed"
        )
    line = mark.line + 2 if mark else 1
    column = mark.column + 1 if mark else None
    report.error(
        line,
        f"malformed YAML front matter: {problem}; check the quoting and indentation of this line",
        column,
    )


def _record(node: yaml.Node | None, path: str, out: dict[str, int]) -> None:
    if node is None:
        return
    out.setdefault(path, node.start_mark.line + 2)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            out[child] = key.start_mark.line + 2
            _record(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _record(value, f"{path}.{i}" if path else str(i), out)


# The public names of what ``periodical/schema.py`` reads an issue.yaml with, the same
# way as a front matter.
Loader = _Loader
bounded = _bounded
record_lines = _record
