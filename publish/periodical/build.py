"""Building one issue: read its articles, lay the issue out (again, until its pages
settle), then render every edition of every article (each now knowing its pages), the
issue's PDF and EPUB and its contents page, all in memory before any is written."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Collector, Diagnostic, ManuscriptError, display_path
from ..document import Document
from ..editions.paging import page_range
from ..editions.registry import EDITIONS, edition_file
from ..options import Options, Pagination
from ..pipeline.outcome import Outcome, Rendered
from ..pipeline.reading import deposit_warnings, read_manuscript
from . import articles, contents, pages
from .blocks import styled
from .contents import ARCHIVE_EDITION, SUMMARY
from .schema import Issue, load

if TYPE_CHECKING:
    from .layout import Placement


def render_issue(outcome: Outcome, options: Options) -> Rendered:
    """Every edition of the issue whose ``issue.yaml`` is the outcome's source and of each
    of its articles, by path in the output folder, or none of them (the outcome says why,
    and its ``uses`` are the files they were made from). A ManuscriptError or a template's
    error is left to ``build.render_one``, which reports it as for a manuscript."""
    source = outcome.source
    folder = source.parent
    report = Collector(source, options.strict)
    issue = load(folder, report)
    outcome.diagnostics.extend(report.items)
    if issue is None or outcome.failed:
        return {}
    if any(p.stem == issue.name for p in issue.articles):
        # Both would be built into build/<name>/, and overwrite each other's stamp.
        outcome.diagnostics.append(
            Diagnostic(
                source,
                None,
                f"the issue's folder and its article {issue.name}.md share the name "
                f"'{issue.name}': rename the folder or the article",
            )
        )
        return {}
    from . import epub, pdf

    docs: list[Document] = []
    for path in issue.articles:
        try:
            alone = read_manuscript(path, options)
            doc = articles.with_issue(alone, issue, options.strict)
        except ManuscriptError as exc:
            outcome.diagnostics.extend(exc.diagnostics)
            continue
        if alone.meta.date is None and doc.meta.date:
            # Dated by the issue (a month, often): what its deposit says of that date.
            found = deposit_warnings(doc, options)
            doc = replace(doc, diagnostics=(*doc.diagnostics, *found))
        outcome.diagnostics.extend(doc.diagnostics)
        docs.append(doc)
    outcome.uses = [*issue.articles, *([issue.cover] if issue.cover else [])]
    outcome.uses += [p for d in docs for p in (*(r.path for r in d.resources.values()), *d.inputs)]
    if outcome.failed:
        return {}
    laid = pdf.render(issue, docs, options)
    files: Rendered = {}
    for doc, placement, styles in zip(docs, laid.pages.articles, laid.styles, strict=True):
        paged = _with_pages(doc, placement.first, placement.last, options)
        outcome.diagnostics.extend(paged.diagnostics[len(doc.diagnostics) :])
        files.update(_article_editions(issue, paged, placement, styles, options))
    if outcome.failed:  # --strict, and an article gives other pages than its own
        return {}
    name = issue.name
    # The issue's own table: how each edition that is written whole is made of it.
    whole = {
        "pdf": lambda: laid.pdf,
        "epub": lambda: epub.render(issue, docs, laid.pages, options),
        "crossref": lambda: issue_deposit(issue, docs, laid.pages.articles, options),
    }
    for fmt in options.formats:
        if EDITIONS[fmt].whole_issue:
            data = whole[fmt]()
            if data is not None:
                files[edition_file(name, fmt)] = data
    summary = contents.summary(issue, docs, laid.pages)
    files[f"{name}/index.html"] = contents.issue_page(summary, options)
    files[f"{name}/{SUMMARY}"] = json.dumps(summary, indent=1, ensure_ascii=False).encode()
    return files


def issue_deposit(
    issue: Issue, docs: list[Document], placements: list[Placement], options: Options
) -> bytes | None:
    """The issue's Crossref deposit (its ``journal_issue`` and every article with a DOI,
    with its pages from the layout), or None when no article has a DOI."""
    if not any(d.meta.doi for d in docs):
        return None
    from ..editions import crossref
    from ..settings import Settings

    pages = [(str(p.first), str(p.last)) for p in placements]
    return crossref.issue_deposit(
        docs, crossref.IssueData.of(issue), options.settings or Settings(), pages
    )


def _with_pages(doc: Document, first: int, last: int, options: Options) -> Document:
    """The article with its issue pages as its ``firstpage``/``lastpage``, which its
    editions' metadata (Highwire tags, JSON-LD, XMP) carry; pages it gives itself that
    are not these are a warning at their line."""
    report = Collector(doc.source, options.strict)
    lines = articles.key_lines(doc.source)
    for key, value in (("firstpage", str(first)), ("lastpage", str(last))):
        given = getattr(doc.meta, key)
        if given is not None and given != value:
            report.warning(
                lines.get(key),
                f"'{key}: {given}' is not where the article is printed in its issue "
                f"({value}): remove it, the issue's layout gives the pages",
            )
    meta = replace(doc.meta, firstpage=str(first), lastpage=str(last))
    return replace(doc, meta=meta, diagnostics=doc.diagnostics + tuple(report.items))


def pagination(issue: Issue, doc: Document, first: int, last: int) -> Pagination:
    return Pagination(
        first,
        last,
        source=f"{issue.label} (print), {issue.identifier}",
        citation=f"{issue.citation}: {page_range(first, last)}",
        lang=pages.publication_lang(doc.meta, issue.lang, issue.publication),
    )


def _article_editions(
    issue: Issue, doc: Document, placement: Placement, styles: dict[int, str], options: Options
) -> Rendered:
    """Every edition of one article, with its pages; the PDF's own layout keeps the
    issue's folios, the HTML and EPUB mark where each printed page begins."""
    opts = replace(options, pages=pagination(issue, doc, placement.first, placement.last))
    found = {}
    for fmt in options.formats:
        entry = EDITIONS[fmt]
        if entry.issue_pages == "layout":
            edition = replace(doc, body=styled(doc.body, styles))
        elif entry.issue_pages == "none":
            edition = doc
        else:
            epub = entry.issue_pages == "epub-markers"
            edition = pages.with_breaks(doc, placement.breaks, epub=epub)
        found.update(entry.files(edition, opts))
    return found


def write_archive_pages(options: Options, quiet: bool) -> None:
    """The archive's pages over every issue built so far (``contents.write_archive``)."""
    if ARCHIVE_EDITION in options.formats:
        for path in contents.write_archive(options.out, options):
            if not quiet:
                print(f"wrote {display_path(path)}")


def issue_outputs(folders: list[Path], options: Options) -> list[tuple[Path, str]]:
    """(build folder, name) of every issue and of each of its articles."""
    found = []
    for folder in folders:
        found.append((options.out / folder.name, folder.name))
        articles = json.loads(_summary_text(options.out / folder.name)).get("articles", [])
        found += [(options.out / a["slug"], a["slug"]) for a in articles]
    return found


def _summary_text(folder: Path) -> str:
    try:
        return (folder / SUMMARY).read_text(encoding="utf-8")
    except OSError:
        return "{}"
