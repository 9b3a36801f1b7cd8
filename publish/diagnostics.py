"""Messages about a manuscript, in the form editors and their editors' tools know:
``path:line[:column]: error: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One message about one place in one file."""

    path: Path
    line: int | None
    message: str
    severity: Severity = "error"
    column: int | None = None

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


class PublishError(Exception):
    """A problem ``publish`` reports to its user as a message, never as a traceback.

    Anything raised that is not one of these is a bug in publish or a library."""


class ManuscriptError(PublishError):
    """Raised when a manuscript cannot be built; carries every message found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


class ToolMissing(PublishError):
    """A program or package a command needs is not installed; says how to install it."""

    def __init__(self, what: str, install: str) -> None:
        super().__init__(f"{what} is not installed; install it with: {install}")
        self.what = what
        self.install = install


class Collector:
    """Gathers the messages of one manuscript so that all are reported at once."""

    SAME = 10
    """Times one message is given in full; the rest are counted in one more line (a
    text with 20,000 copies of one mistake would otherwise print 20,000 lines)."""

    def __init__(self, path: Path, strict: bool = False) -> None:
        self.path = path
        self.strict = strict
        self.items: list[Diagnostic] = []
        self._same: dict[tuple[str, str], list[int]] = {}  # [count, index of the summary]

    def error(self, line: int | None, message: str, column: int | None = None) -> None:
        self._add(Diagnostic(self.path, line, message, "error", column))

    def warning(self, line: int | None, message: str, column: int | None = None) -> None:
        severity: Severity = "error" if self.strict else "warning"
        self._add(Diagnostic(self.path, line, message, severity, column))

    def warning_in(self, path: Path, line: int | None, message: str) -> None:
        """A warning at a line of another file the manuscript uses (its bibliography)."""
        severity: Severity = "error" if self.strict else "warning"
        self._add(Diagnostic(path, line, message, severity))

    def _add(self, diagnostic: Diagnostic) -> None:
        seen = self._same.setdefault((diagnostic.severity, diagnostic.message), [0, -1])
        seen[0] += 1
        if seen[0] <= self.SAME:
            self.items.append(diagnostic)
            return
        more = seen[0] - self.SAME
        if seen[1] < 0:
            seen[1] = len(self.items)
            self.items.append(diagnostic)
            first = diagnostic
        else:
            first = self.items[seen[1]]
        times = "once more" if more == 1 else f"{more:,} more times"
        self.items[seen[1]] = Diagnostic(
            first.path,
            first.line,
            f"{diagnostic.message} (and {times} from this line on)",
            first.severity,
            first.column,
        )

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ManuscriptError(in_order(self.items))


def in_order(items: list[Diagnostic]) -> list[Diagnostic]:
    """Messages as an editor reads the file: top to bottom."""
    return sorted(items, key=lambda d: (d.line or 0, d.column or 0))


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
