"""A manuscript read as a build's options say: the one call both kinds of unit make."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, ManuscriptError
from ..options import Options

if TYPE_CHECKING:
    from ..document import Document


def read_manuscript(source: Path, options: Options) -> Document:
    """The manuscript read as the options say (``strict``, ``base_url``, ``resource_path``),
    with what the build's other manuscripts say of it (``options.relations``: its
    notices, what it updates, its earlier versions) in ``Document.updates``; an error of
    those relations (an ``updates`` naming no article) fails it, at its line."""
    from ..read import read

    doc = read(
        source,
        strict=options.strict,
        base_url=options.base_url,
        resource_path=options.resource_path,
        settings=options.settings,
    )
    relations = options.relations
    if relations is None:
        return _with_deposit_warnings(doc, options)
    slug = source.stem
    # Located at this manuscript as the build names it (here, or on a Dask worker).
    findings = [replace(d, path=source) for d in relations.findings.get(slug, ())]
    if options.strict:
        findings = [replace(d, severity="error") for d in findings]
    if any(d.severity == "error" for d in findings):
        errors = [d for d in findings if d.severity == "error"]
        raise ManuscriptError(sorted(errors, key=lambda d: d.line or 0))
    found = relations.of(slug)
    own = doc.updates
    updates = replace(found, notice=own.notice, version=own.version or found.version)
    diagnostics = tuple(sorted((*doc.diagnostics, *findings), key=lambda d: d.line or 0))
    # After the relations: what the deposit leaves out depends on the notice's targets.
    return _with_deposit_warnings(replace(doc, updates=updates, diagnostics=diagnostics), options)


def _with_deposit_warnings(doc: Document, options: Options) -> Document:
    """A notice's Crossref deposit may leave out what it updates (no Crossmark policy in
    publish.yaml, a target without a DOI): an edition returns bytes only, so the build
    reports it here, beside the manuscript's own warnings, at its ``notice:`` line."""
    found = deposit_warnings(doc, options)
    if not found:
        return doc
    return replace(doc, diagnostics=(*doc.diagnostics, *found))


def deposit_warnings(doc: Document, options: Options) -> list[Diagnostic]:
    """What a notice's deposit leaves out, at its ``notice:`` line; new ones only (an
    article of an issue is asked again once it has the issue's date)."""
    if "crossref" not in options.formats or doc.updates.notice is None:
        return []
    from ..editions import crossref

    found = crossref.warnings(doc, options)
    if not found:
        return []
    from ..read.frontmatter import key_lines

    line = key_lines(doc.source).get("notice")
    found = [replace(d, line=line) if d.line == 1 and line else d for d in found]
    known = {d.message for d in doc.diagnostics}
    return [d for d in found if d.message not in known]
