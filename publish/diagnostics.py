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

    def __init__(self, path: Path, strict: bool = False) -> None:
        self.path = path
        self.strict = strict
        self.items: list[Diagnostic] = []

    def error(self, line: int | None, message: str, column: int | None = None) -> None:
        self.items.append(Diagnostic(self.path, line, message, "error", column))

    def warning(self, line: int | None, message: str, column: int | None = None) -> None:
        severity: Severity = "error" if self.strict else "warning"
        self.items.append(Diagnostic(self.path, line, message, severity, column))

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
