"""Every workaround for a bug or gap in a library we drive, in one place.

Each module here works around one upstream behaviour, names it, and calls ``require``
with its entry below when imported: that checks the installed version is the one the
workaround was written for, so moving a pin makes the workaround's test fail loudly
instead of the editions changing without a word. ``python -m publish.compat`` lists
them with their upstream links.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from ..diagnostics import PublishError


@dataclass(frozen=True)
class Workaround:
    name: str
    """The module in this package that holds it."""
    package: str
    """The distribution it works around, as pip names it."""
    written_for: str
    """The version whose behaviour (and, where it patches, source) it was checked against."""
    upstream: str
    """The upstream issue or the exact place in the upstream source."""
    what: str


WORKAROUNDS = (
    Workaround(
        name="weasyprint_lang",
        package="weasyprint",
        written_for="70.0",
        upstream="https://github.com/Kozea/WeasyPrint/blob/v70.0/weasyprint/pdf/tags.py "
        "(_build_box_tree drops the HTML lang attribute from structure elements)",
        what="a passage in another language keeps its /Lang in the tagged PDF (PDF/UA-1 7.2)",
    ),
    # Guarded by a check of the version and of the exact source it replaces, but it
    # does not call require(): with another WeasyPrint the PDF edition falls back to
    # the multi-column box, with a warning, rather than failing.
    Workaround(
        name="weasyprint_footnotes",
        package="weasyprint",
        written_for="70.0",
        upstream="https://github.com/Kozea/WeasyPrint/pull/2437 (layout/block.py, "
        "_linebox_layout: notes already called on a page reported to the next one)",
        what="page-foot notes stay on the page of their call without a multi-column box",
    ),
    # Guarded by the version and the exact source the memo relies on, without require():
    # with another WeasyPrint the area is laid out as shipped (slower, the same pages).
    Workaround(
        name="weasyprint_footnote_area",
        package="weasyprint",
        written_for="70.0",
        upstream="https://github.com/Kozea/WeasyPrint/blob/v70.0/weasyprint/layout/__init__.py "
        "(LayoutContext._update_footnote_area lays the page's whole footnote area out again "
        "for every note added: quadratic in a page's notes)",
        what="each page-foot note is laid out once per page, the same boxes and bytes",
    ),
    # The same kind of guard: with another pydyf the tuple is built on each read, as shipped.
    Workaround(
        name="pydyf_page_references",
        package="pydyf",
        written_for="0.13.0",
        upstream="https://github.com/CourtBouillon/pydyf/blob/v0.13.0/pydyf/__init__.py "
        "(PDF.page_references formats one reference per page on every read; WeasyPrint's "
        "tagging reads it once per structure element)",
        what="a tagged PDF's structure tree in time linear in its pages",
    ),
    # Version-guarded without require() too: with another WeasyPrint the PDF edition
    # rewrites the finished PDF with pikepdf instead (editions/pdf_artifacts.py).
    Workaround(
        name="weasyprint_artifacts",
        package="weasyprint",
        written_for="70.0",
        upstream="https://github.com/Kozea/WeasyPrint/blob/v70.0/weasyprint/pdf/tags.py "
        "(margin boxes get MCIDs their structure elements never link to the tree)",
        what="running heads and page numbers are /Artifact sequences in the tagged PDF",
    ),
    # Not a bug: the two private attributes of WeasyPrint's objects we read, reached
    # only through this module.
    Workaround(
        name="weasyprint_internals",
        package="weasyprint",
        written_for="70.0",
        upstream="https://github.com/Kozea/WeasyPrint/blob/v70.0/weasyprint/document.py "
        "(Page._page_box) and weasyprint/text/fonts.py (FontConfiguration._folder)",
        what="a laid-out page's box tree (figures, notes, issue pages) and the fonts' "
        "temporary folder (removed when a worker exits)",
    ),
    Workaround(
        name="pandoc_brackets",
        package="pypandoc-binary",
        written_for="1.17",
        upstream="https://github.com/jgm/pandoc/issues/1735 and /11687 (pandoc 3.9's "
        "Markdown reader takes time exponential in brackets nested or left open, or holding "
        "an emphasis mark that pairs with nothing, in one paragraph)",
        what="a paragraph with brackets nested or open too deep is an error at its line, "
        "before pandoc runs, instead of a build that hangs",
    ),
    Workaround(
        name="ebooklib_lang",
        package="ebooklib",
        written_for="0.20",
        upstream="https://github.com/aerkalov/ebooklib/blob/v0.20/ebooklib/epub.py "
        "(EpubWriter._write_opf_file: no way to set xml:lang on <package>)",
        what="xml:lang on the OPF <package> element, which Ace requires (rule epub-lang)",
    ),
    Workaround(
        name="ebooklib_zip",
        package="ebooklib",
        written_for="0.20",
        upstream="https://github.com/aerkalov/ebooklib/blob/v0.20/ebooklib/epub.py "
        "(EpubWriter.write: entries stamped with the clock, in insertion order)",
        what="the EPUB's ZIP entries in a fixed order with fixed times (reproducible bytes)",
    ),
)
BY_NAME = {w.name: w for w in WORKAROUNDS}


class VersionMismatch(PublishError):
    """A workaround meets a library version it was not written for."""


def installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def require(name: str) -> Workaround:
    """The workaround ``name``, after checking the library is the version it was written
    for."""
    workaround = BY_NAME[name]
    found = installed(workaround.package)
    if found != workaround.written_for:
        raise VersionMismatch(
            f"publish.compat.{name} was written for {workaround.package} "
            f"{workaround.written_for}, but {found} is installed: check {workaround.upstream} "
            "and update the workaround (or remove it if upstream fixed the bug)"
        )
    return workaround


def listing() -> str:
    return "\n".join(
        f"{w.name}: {w.package} {w.written_for} (installed {installed(w.package)})\n"
        f"  {w.what}\n  {w.upstream}"
        for w in WORKAROUNDS
    )
