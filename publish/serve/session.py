"""The building side of ``publish serve``: the first build, then a rebuild of what each
batch of changed files affects, through the same pipeline as ``publish build``."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from ..diagnostics import ManuscriptError, display_path
from ..executors.local import default_jobs
from ..executors.recycled import RecycledWorkers
from ..options import Options
from ..pipeline import units
from ..pipeline.outcome import Outcome, Plan
from ..pipeline.reading import read_manuscript
from ..pipeline.run import build_out_of_date
from ..pipeline.units import ISSUE_FILE
from .state import State


class Interrupted(Exception):
    """Ctrl-C arrived during a build (the pipeline swallows the KeyboardInterrupt)."""


class Session:
    def __init__(self, paths: list[Path], options: Options, plan: Plan, state: State) -> None:
        self.paths = paths or [Path("source")]
        self.options = options
        self.plan = plan
        self.state = state
        self.sources: list[Path] = []
        self.uses: dict[Path, set[Path]] = {}
        """Per manuscript, the files besides itself that it used when last read."""
        self.unit_of: dict[Path, Path] = {}
        """Per manuscript, the unit it is built in: itself, or its issue's ``issue.yaml``
        (an article's pages depend on the articles before it, as in ``publish build``)."""
        self._refused: set[Path] = set()
        self.workers = RecycledWorkers(plan.jobs or default_jobs())
        """Every build runs there, never in the server's process: the workers are
        replaced now and then, and the server's memory stays flat."""

    def roots(self) -> list[Path]:
        """The folders to watch: those named, the folders of the manuscripts named, and
        the user's templates folder (a manuscript's files live inside its folder)."""
        found = [p if p.is_dir() else p.parent for p in self.paths]
        if self.options.templates is not None:
            found.append(self.options.templates)
        return [p for p in found if p.is_dir()]

    def start(self) -> bool:
        """Build what is out of date (with the worker processes of ``publish build``);
        False when there is nothing to serve."""
        self.sources = self._discover()
        if not self.sources:
            print("publish: error: no manuscripts (*.md) found", file=sys.stderr)
            return False
        for source in self.sources:
            self.state.put(source)
        self._build(self.sources, self.plan, read_skipped=False)
        return True

    def read_skipped(self) -> None:
        """Read the manuscripts the first build found up to date, for the warnings and
        used files that only reading tells (their editions are not touched)."""
        for source in self.sources:
            if source not in self.uses:
                self._read(source)

    def close(self) -> None:
        """End the worker processes."""
        self.workers.close()

    def changed(self, paths: set[Path]) -> None:
        """Rebuild what a batch of changed files affects, one manuscript after another,
        in a worker process (started by the fork server: forking this process while the
        server's threads run could leave a child holding a lock no thread releases)."""
        changed = {p.resolve() for p in paths}
        before = set(self.sources)
        self.sources = self._discover()
        for gone in before - set(self.sources):
            self.state.remove(gone.stem)
            self.uses.pop(gone, None)
        affected = [s for s in self.sources if s not in before or self._affects(s, changed)]
        for source in affected:
            self.state.put(source)
        if affected:
            self._build(affected, replace(self.plan, jobs=1, force=False))

    def _affects(self, source: Path, changed: set[Path]) -> bool:
        if source.resolve() in changed or self.uses.get(source, set()) & changed:
            return True
        templates = self.options.templates
        if templates is not None and _any_below(changed, templates.resolve()):
            return True
        # An issue's metadata is shared by the manuscripts in its folder.
        if any(
            p.name == "issue.yaml" and source.resolve().is_relative_to(p.parent) for p in changed
        ):
            return True
        # A failed manuscript may be waiting for a file it names (an image not there yet).
        article = self.state.get(source.stem)
        return bool(article and article.failed and _any_below(changed, source.parent.resolve()))

    def _build(self, sources: list[Path], plan: Plan, read_skipped: bool = True) -> None:
        slugs = [s.stem for s in sources]
        self.state.building(slugs, True)
        built: set[Path] = set()
        work = list(dict.fromkeys(self.unit_of.get(s, s) for s in sources))
        # By unit, resolved: a unit brought in by its relations (the article a saved
        # notice updates) may be named otherwise than as discovered.
        members_of: dict[Path, list[Path]] = {}
        for s in self.sources:
            members_of.setdefault(self.unit_of.get(s, s).resolve(), []).append(s)

        def observe(outcome: Outcome) -> None:
            # An issue's outcome is that of each of its articles: the messages at the
            # article's own file, and those at no other article's (issue.yaml, say).
            members = members_of.get(outcome.source.resolve(), [])
            others = set(members)
            for source in members:
                built.add(source)
                used = {p.resolve() for p in outcome.uses}
                if not outcome.failed:
                    self.uses[source] = used
                else:
                    self.uses[source] = self.uses.get(source, set()) | used
                own = [d for d in outcome.diagnostics if d.path == source or d.path not in others]
                self.state.built(source.stem, own, bool(outcome.written))

        try:
            summary = build_out_of_date(work, self.options, plan, observe, self.workers.build_all)
        finally:
            self.state.building(slugs, False)
        if summary is None:
            raise Interrupted
        if not read_skipped:
            return
        for source in sources:
            article = self.state.get(source.stem)
            # Up to date, so not built: after a failure, the text is back to that of the
            # editions on disk; reading it again tells its warnings.
            if source not in built and (source not in self.uses or (article and article.failed)):
                self._read(source)

    def _read(self, source: Path) -> None:
        try:
            doc = read_manuscript(source, self.options)
        except ManuscriptError as exc:
            self.state.built(source.stem, exc.diagnostics, wrote=False)
            return
        used = [r.path for r in doc.resources.values()] + list(doc.inputs)
        self.uses[source] = {p.resolve() for p in used}
        self.state.built(source.stem, doc.diagnostics, wrote=False)

    def _discover(self) -> list[Path]:
        """The manuscripts named, less any whose editions would share a folder with an
        earlier one's (each refused once, with a message)."""
        kept: dict[str, Path] = {}
        found = units.find(self.paths)
        for source in found.loose:
            self.unit_of[source] = source
        for folder in found.issues:
            for source in folder.glob("*.md"):
                self.unit_of[source] = folder / ISSUE_FILE
        for source in found.manuscripts:
            if not source.is_file():
                continue
            if source.stem in kept:
                if source not in self._refused:
                    self._refused.add(source)
                    print(
                        f"publish: error: {display_path(source)} would be built into the "
                        f"same folder as {display_path(kept[source.stem])}: rename one of them",
                        file=sys.stderr,
                    )
                continue
            kept[source.stem] = source
        return list(kept.values())


def _any_below(paths: set[Path], folder: Path) -> bool:
    return any(p.is_relative_to(folder) for p in paths)
