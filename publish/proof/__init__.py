"""`publish proof`: the built editions as pictures on one contact sheet.

For one built folder (build/<slug>/) it writes proof/ beside the editions:
  1. every PDF page as a PNG (pdftoppm);
  2. the HTML page in Chromium at phone and desktop width, light and dark;
  3. the EPUB's title block and first text page, as a reader would open them;
  4. index.html, all of the above side by side with the editions' figures.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from ..editions.registry import EDITIONS
from ..epub_pages import unpack
from ..templates import environment
from .browser import View, chromium, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PDF_DPI = 60
HTML_VIEWS = (View(390, 844), View(390, 844, "dark"), View(1280, 800), View(1280, 800, "dark"))
# About a six-inch e-reader's page in CSS pixels.
EREADER = View(540, 720)
# The margins a reading system puts around the text (the EPUB's CSS leaves them to it).
READER_CSS = "body { margin: 2.5em 1.75em; }"
# Where the running text of an EPUB document begins, past its title block.
TEXT_START = (".text p", "main p", "body > p")


@dataclass(frozen=True)
class Picture:
    """One image on the contact sheet."""

    file: str
    """Its name inside proof/."""
    caption: str


@dataclass(frozen=True)
class Edition:
    """One built file and what the sheet says about it."""

    name: str
    file: str
    size: int
    pictures: list[Picture]


def proof_folder(folder: Path, slug: str, paper: str = "a4") -> Path:
    """Make folder/proof/ from the editions built in `folder`; return its index.html."""
    out = folder / "proof"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    # Pictures are made of the editions this knows how to picture, each its own way.
    pdf = folder / f"{slug}{EDITIONS['pdf'].suffix}"
    html = folder / f"{slug}{EDITIONS['html'].suffix}"
    epub = folder / f"{slug}{EDITIONS['epub'].suffix}"
    editions = []
    if pdf.exists():
        editions.append(_edition("PDF", pdf, pdf_pages(pdf, out)))
    if html.exists() or epub.exists():
        with chromium() as browser:
            if html.exists():
                editions.append(_edition("HTML", html, html_shots(browser, html, out)))
            if epub.exists():
                editions.append(_edition("EPUB", epub, epub_shots(browser, epub, out)))
    page_count = page_count_of(pdf) if pdf.exists() else None
    index = out / "index.html"
    sheet = environment("proof").get_template("index.html.j2")
    index.write_text(
        sheet.render(slug=slug, paper=paper, editions=editions, page_count=page_count),
        encoding="utf-8",
    )
    return index


def _edition(name: str, path: Path, pictures: list[Picture]) -> Edition:
    return Edition(name, path.name, path.stat().st_size, pictures)


def page_count_of(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def pdf_pages(pdf: Path, out: Path) -> list[Picture]:
    """Every page as pdf-page-N.png, numbered with pdftoppm's zero padding."""
    subprocess.run(
        ["pdftoppm", "-r", str(PDF_DPI), "-png", str(pdf), str(out / "pdf-page")],
        check=True,
        capture_output=True,
    )
    files = sorted(out.glob("pdf-page-*.png"))
    return [Picture(f.name, f"page {n}") for n, f in enumerate(files, start=1)]


def html_shots(browser: Browser, html: Path, out: Path) -> list[Picture]:
    """The top of the page, two screens deep, in each of HTML_VIEWS."""
    pictures = []
    for view in HTML_VIEWS:
        name = f"html-{view.name}.png"
        screenshot(browser, html.resolve().as_uri(), out / name, view, screens=2)
        pictures.append(Picture(name, f"{view.width} px, {view.scheme}"))
    return pictures


def epub_shots(browser: Browser, epub: Path, out: Path) -> list[Picture]:
    """The first document's top (the title block) and the first page of running text."""
    with tempfile.TemporaryDirectory(prefix="publish-proof-") as tmp:
        documents = unpack(epub, Path(tmp))
        if not documents:
            return []
        first = documents[0].as_uri()
        screenshot(browser, first, out / "epub-title.png", EREADER, user_css=READER_CSS)
        text = documents[1].as_uri() if len(documents) > 1 else first
        screenshot(
            browser, text, out / "epub-text.png", EREADER, start_at=TEXT_START, user_css=READER_CSS
        )
    return [Picture("epub-title.png", "title block"), Picture("epub-text.png", "first text page")]
