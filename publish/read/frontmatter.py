"""Splits a manuscript into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..diagnostics import Collector


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: we validate them ourselves, with a line number,
    instead of letting ``2005-02-30`` raise deep inside the parser."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class FrontMatter:
    data: dict[str, Any]
    lines: dict[str, int]
    """1-based line of each key, by dotted path (``author.0.note``)."""
    body_line: int
    """1-based line at which the body starts."""


def split(text: str, report: Collector) -> FrontMatter | None:
    """Read the front matter; None (with errors reported) when there is none usable."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
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
    source = "\n".join(lines[1:index])
    try:
        node = yaml.compose(source, Loader=_Loader)
        data = yaml.load(source, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        _yaml_error(exc, report)
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(2, f"the front matter must be 'key: value' lines, not a {type(data).__name__}")
        return None
    positions: dict[str, int] = {}
    _record(node, "", positions)
    return FrontMatter(data=data, lines=positions, body_line=index + 2)


def _yaml_error(exc: yaml.MarkedYAMLError, report: Collector) -> None:
    """Where the parser gave up, or, when it ran off the end (an unclosed quote or
    bracket), where the thing it was reading began: that is the line to fix."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "cannot be read"
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
