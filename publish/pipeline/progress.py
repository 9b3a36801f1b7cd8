"""What a build tells the person waiting for it: a progress bar on a terminal, plain
lines in a log, nothing but errors with ``--quiet``; and a summary at the end."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import display_path

if TYPE_CHECKING:
    from rich.progress import TaskID

    from .outcome import Outcome


@dataclass
class Summary:
    """The counts a build ends with."""

    total: int
    built: int = 0
    skipped: int = 0
    """Up to date, so not built again."""
    failed: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1
    peak_mb: float | None = None
    """Peak memory of the busiest worker process, when anything was built."""

    def line(self) -> str:
        text = (
            f"built {self.built}, up to date {self.skipped}, failed {len(self.failed)} "
            f"in {self.seconds:.1f} s"
        )
        if self.peak_mb is not None:
            if self.jobs == 1:
                text += f" (1 process, peak memory {self.peak_mb:.0f} MB)"
            else:
                text += f" ({self.jobs} workers, peak memory {self.peak_mb:.0f} MB per worker)"
        return text

    def record(self, outcome: Outcome) -> None:
        if outcome.failed:
            self.failed.append(outcome.source)
        else:
            self.built += 1


class Reporter:
    """Plain lines: one per edition written, then the summary (for logs and pipes)."""

    def __init__(self, summary: Summary) -> None:
        self.summary = summary

    def start(self, to_build: int) -> None:
        pass

    def done(self, outcome: Outcome) -> None:
        self.summary.record(outcome)
        self._diagnostics(outcome)
        for path in outcome.written:
            if not path.name.startswith("."):  # the build's own records (an issue's summary)
                print(f"wrote {display_path(path)}")

    def finish(self) -> None:
        print(self.summary.line())
        self._failures()

    def _diagnostics(self, outcome: Outcome) -> None:
        for diagnostic in outcome.diagnostics:
            print(diagnostic, file=sys.stderr)

    def _failures(self) -> None:
        failed = self.summary.failed
        if failed:
            names = ", ".join(display_path(s) for s in sorted(failed))
            print(
                f"publish: {len(failed)} of {self.summary.total} manuscripts failed: {names}",
                file=sys.stderr,
            )


class QuietReporter(Reporter):
    """Only what went wrong."""

    def done(self, outcome: Outcome) -> None:
        self.summary.record(outcome)
        self._diagnostics(outcome)

    def finish(self) -> None:
        self._failures()


class BarReporter(Reporter):
    """A rich progress bar on the terminal, with messages printed above it."""

    def __init__(self, summary: Summary) -> None:
        super().__init__(summary)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True, highlight=False)
        self.bar = Progress(
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=self.console,
            transient=True,
        )
        self.task: TaskID | None = None

    def start(self, to_build: int) -> None:
        # Started only now, after the workers were forked: rich redraws from a thread,
        # and a process should not fork while other threads run.
        self.task = self.bar.add_task("", total=to_build)
        self.bar.start()

    def done(self, outcome: Outcome) -> None:
        self.summary.record(outcome)
        for diagnostic in outcome.diagnostics:
            self.console.print(str(diagnostic), markup=False)
        if self.task is not None:
            self.bar.update(self.task, advance=1, description=display_path(outcome.source))

    def finish(self) -> None:
        if self.task is not None:
            self.bar.stop()
        self.console.print(self.summary.line(), markup=False)
        self._failures()


def reporter(summary: Summary, quiet: bool = False) -> Reporter:
    """The reporter that suits where the output goes."""
    if quiet:
        return QuietReporter(summary)
    if sys.stderr.isatty():
        return BarReporter(summary)
    return Reporter(summary)
