"""The build's relations, found from the register before any unit is built: which
articles each notice updates (``updates:`` by slug or DOI, resolved to the articles of
the build), the notices each article carries, and each manuscript's version.

The result is ``Relations``: plain frozen data that travels in ``Options`` to worker
processes and Dask workers, from which ``pipeline.reading`` fills ``Document.updates``.
A digest of what each manuscript's ``Updates`` hold is recorded in its unit's stamp, so
that a new, changed or removed notice rebuilds the articles it updates, and a changed
title or DOI of an article rebuilds its notices.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity, display_path
from .model import KINDS, Link, Notice, Updates, Version

if TYPE_CHECKING:
    from .facts import Facts


@dataclass(frozen=True)
class Relations:
    """What every manuscript of a build is told of the others, by slug."""

    updates: dict[str, Updates] = field(default_factory=dict)
    """Each manuscript's ``Updates`` (for a unit being built, with its earlier versions)."""
    findings: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)
    """Located errors and warnings of the relations (an ``updates`` naming nothing, a
    version lower than the one built), at the manuscript's lines."""
    current: dict[str, Version] = field(default_factory=dict)
    """The version each manuscript's editions are (``version:``, else 1; dated)."""
    version_lines: dict[str, int] = field(default_factory=dict)
    """The line of each manuscript's ``version:``, for errors found when writing."""
    version_dated: frozenset[str] = frozenset()
    """The manuscripts that give a ``version-date:`` (one that does not is told so when
    it is read)."""

    def of(self, slug: str) -> Updates:
        return self.updates.get(slug, Updates())

    def only(self, slugs: list[str]) -> Relations:
        """What these manuscripts are told (each entry is its own manuscript's): what a
        worker building them needs, and no more, since it travels with every task."""
        return Relations(
            updates={s: self.updates[s] for s in slugs if s in self.updates},
            findings={s: self.findings[s] for s in slugs if s in self.findings},
            current={s: self.current[s] for s in slugs if s in self.current},
            version_lines={s: self.version_lines[s] for s in slugs if s in self.version_lines},
            version_dated=self.version_dated & frozenset(slugs),
        )

    def without(self, notices: set[str]) -> tuple[Relations, list[str]]:
        """These relations without the notices named (notices whose build failed: their
        articles would link to a page that is not there, and show a status nobody
        published), and the manuscripts that carried one of them."""
        changed = {}
        for slug, updates in self.updates.items():
            kept = tuple(n for n in updates.notices if n.link.slug not in notices)
            if kept != updates.notices:
                changed[slug] = replace(updates, notices=kept)
        return replace(self, updates={**self.updates, **changed}), sorted(changed)

    def digests(self) -> dict[str, str]:
        """Per manuscript that has any, a digest of what its ``Updates`` and findings
        hold (a manuscript no notice touches keeps the stamp it had)."""
        found = {}
        for slug in sorted({*self.updates, *self.findings}):
            # Earlier versions are the build folder's, not the sources': not here.
            updates = replace(self.of(slug), earlier=())
            findings = self.findings.get(slug, ())
            text = repr((updates, [(d.line, d.message, d.severity) for d in findings]))
            found[slug] = hashlib.sha256(text.encode()).hexdigest()
        return found


def relate(facts: list[Facts]) -> Relations:
    """The relations among ``facts`` (this build's manuscripts first: they win a slug
    or DOI over those an earlier build registered)."""
    by_slug: dict[str, Facts] = {}
    by_doi: dict[str, Facts] = {}
    for f in facts:
        by_slug.setdefault(f.slug, f)
        if f.doi:
            by_doi.setdefault(f.doi.lower(), f)
    found = {slug: _own(f) for slug, f in by_slug.items()}
    findings: dict[str, list[Diagnostic]] = {}
    notices: dict[str, list[Notice]] = {}
    for notice in by_slug.values():
        kind = KINDS.get(notice.notice or "")
        if kind is None:
            continue
        targets = []
        carried: list[tuple[str, Notice]] = []
        failed = False
        seen: set[str] = set()
        for ref, line in zip(notice.updates, _lines(notice), strict=True):
            target, problem = _resolve(notice, ref, by_slug, by_doi)
            # The same article named twice (its slug and its DOI) is updated once.
            key = _key(target)
            if key is not None and key in seen:
                continue
            if key is not None:
                seen.add(key)
            if problem is not None:
                message, severity = problem
                failed = failed or severity == "error"
                findings.setdefault(notice.slug, []).append(
                    Diagnostic(Path(notice.source), line, message, severity)
                )
            if target is None:
                continue
            targets.append(_link(target, notice.slug) if not isinstance(target, Link) else target)
            if not isinstance(target, Link):
                carried.append((target.slug, Notice(kind, notice.date, _link(notice, target.slug))))
        if not failed:
            # A notice with an error in its 'updates' is not built: the articles it
            # names would link to a page that does not exist.
            for slug, carried_notice in carried:
                notices.setdefault(slug, []).append(carried_notice)
        found[notice.slug] = replace(found[notice.slug], targets=tuple(targets))
    for slug, its in notices.items():
        # Oldest first; an undated notice after the dated ones, then by name.
        ordered = sorted(its, key=lambda n: (n.date is None, n.date or "", n.link.slug or ""))
        found[slug] = replace(found[slug], notices=tuple(ordered))
    return Relations(
        updates={k: v for k, v in found.items() if v != Updates()},
        findings={k: tuple(v) for k, v in findings.items()},
        current={s: _version(f) for s, f in by_slug.items()},
        version_lines={s: f.version_line for s, f in by_slug.items() if f.version_line},
        version_dated=frozenset(s for s, f in by_slug.items() if f.version_date),
    )


def _key(target: Facts | Link | None) -> str | None:
    """What makes two of a notice's targets the same article."""
    if target is None:
        return None
    if isinstance(target, Link):
        return f"doi:{(target.doi or '').lower()}"
    return f"slug:{target.slug}"


def _own(f: Facts) -> Updates:
    version = _version(f) if f.version is not None else None
    return Updates(notice=KINDS.get(f.notice or ""), version=version)


def _version(f: Facts) -> Version:
    return Version(f.version or 1, f.version_date or f.date, f.version_note)


def _lines(notice: Facts) -> tuple[int | None, ...]:
    lines = notice.updates_lines
    if len(lines) == len(notice.updates):
        return lines
    return (None,) * len(notice.updates)


Problem = tuple[str, Severity]
"""A message and its severity."""


def _resolve(
    notice: Facts, ref: str, by_slug: dict[str, Facts], by_doi: dict[str, Facts]
) -> tuple[Facts | Link | None, Problem | None]:
    """The article ``ref`` names (or, for a DOI outside the build, a link to it), and what
    is wrong with it."""
    if ref.startswith("doi:"):
        bare = ref.removeprefix("doi:")
        target = by_doi.get(bare.lower())
        if target is None:
            return Link(slug=None, doi=bare), (
                f"'updates: {bare}' is no article of this build: the notice links to "
                f"https://doi.org/{bare} (check the DOI if that article is built here)",
                "warning",
            )
    else:
        target = by_slug.get(ref)
        if target is None:
            return None, (
                f"'updates: {ref}' names no article of this build{_hint(notice, ref, by_slug)}",
                "error",
            )
    if target.slug == notice.slug:
        return None, ("a notice cannot update itself: name the article it corrects", "error")
    return target, None


def _hint(notice: Facts, ref: str, by_slug: dict[str, Facts]) -> str:
    import difflib

    beside = Path(notice.source).parent / f"{ref}.md"
    if beside.is_file():
        # Built alone, a notice knows the articles built into the same folder before.
        return f": {display_path(beside)} was never built here; build it too"
    close = difflib.get_close_matches(ref, sorted(by_slug), n=1)
    if close:
        return f": did you mean '{close[0]}'?"
    return ": name an article by its file name without '.md', or by its DOI"


def _link(target: Facts, here: str) -> Link:
    """``target`` as linked from ``build/<here>/`` (its sibling folder)."""
    del here  # every article's folder is a sibling of every other's
    return Link(
        slug=target.slug,
        title_html=html.escape(target.title_text, quote=False),
        title_text=target.title_text,
        doi=target.doi,
        date=target.date,
        href=f"../{target.slug}/{target.slug}.html",
    )
