"""What the server knows about each manuscript, shared between the thread that builds and
the threads that answer browsers.

Every change bumps one counter and wakes every waiting event stream, which then sends
what it follows if that changed. A manuscript's ``generation`` counts the builds that
wrote its editions: a page loaded at generation 3 reloads when it hears of 4.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import Diagnostic, display_path


@dataclass(frozen=True)
class Article:
    """One manuscript as the preview shows it."""

    source: Path
    generation: int = 0
    failed: bool = False
    building: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
    """Of the last build or reading: errors when it failed, else its warnings."""

    @property
    def slug(self) -> str:
        return self.source.stem

    def public(self) -> dict[str, object]:
        """What a browser is told, as JSON."""
        return {
            "slug": self.slug,
            "source": display_path(self.source),
            "generation": self.generation,
            "failed": self.failed,
            "building": self.building,
            "diagnostics": [
                {"severity": d.severity, "text": str(d)} for d in sorted_diagnostics(self)
            ],
        }


def sorted_diagnostics(article: Article) -> list[Diagnostic]:
    """Errors first, then warnings, each as an editor reads the file."""
    return sorted(
        article.diagnostics,
        key=lambda d: (d.severity != "error", str(d.path), d.line or 0, d.column or 0),
    )


@dataclass
class State:
    articles: dict[str, Article] = field(default_factory=dict)
    version: int = 0
    closing: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def get(self, slug: str) -> Article | None:
        with self._changed:
            return self.articles.get(slug)

    def all(self) -> list[Article]:
        with self._changed:
            return sorted(self.articles.values(), key=lambda a: a.slug)

    def put(self, source: Path) -> None:
        """Follow a manuscript (kept as it is when already followed)."""
        with self._change():
            self.articles.setdefault(source.stem, Article(source))

    def remove(self, slug: str) -> None:
        with self._change():
            self.articles.pop(slug, None)

    def building(self, slugs: list[str], now: bool) -> None:
        with self._change():
            for slug in slugs:
                if slug in self.articles:
                    self.articles[slug] = replace(self.articles[slug], building=now)

    def built(self, slug: str, diagnostics: Sequence[Diagnostic], wrote: bool) -> None:
        """Record a build's outcome: a failure keeps the generation, so pages keep
        showing the last good edition under the errors."""
        failed = any(d.severity == "error" for d in diagnostics)
        with self._change():
            old = self.articles.get(slug)
            if old is None:
                return
            self.articles[slug] = replace(
                old,
                generation=old.generation + (1 if wrote else 0),
                failed=failed,
                diagnostics=tuple(diagnostics),
            )

    def close(self) -> None:
        with self._change():
            self.closing = True

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the version passes ``seen`` (or the timeout or closing); the
        version then."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.closing, timeout)
            return self.version

    @contextmanager
    def _change(self) -> Iterator[None]:
        with self._changed:
            yield
            self.version += 1
            self._changed.notify_all()
