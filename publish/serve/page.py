"""The pages the server makes itself (the home page, the PDF viewer) and the one line it
adds to the pages it serves. Everything shown here may carry manuscript text (titles,
diagnostics quoting a line), so templates escape by default and the script gets its
data from escaped attributes, never from inline code."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2

from ..diagnostics import display_path
from ..editions.registry import EDITIONS, edition_file
from .state import Article, sorted_diagnostics

VIEWERS = {"pdf": "/_serve/pdf/{slug}", "epub": "/_serve/epub/{slug}/"}
"""Editions the server shows in a viewer of its own (by edition name), at these addresses."""
DOWNLOADS = {"epub"}
"""Editions offered as a file too, beside their viewer: a reader's own device opens them."""
STATIC = Path(__file__).resolve().parent / "static"
SCRIPT = "/_serve/live.js"
TITLE_RE = re.compile(rb"<title>(.*?)</title>", re.S)
BODY_END_RE = re.compile(rb"</body\s*>", re.I)

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(STATIC),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Entry:
    """One article on the home page."""

    article: Article
    title: str
    links: list[tuple[str, str]]
    """(label, address) of each edition on disk."""
    problems: list[tuple[str, str]]
    """(severity, text) of each diagnostic."""


def home(
    articles: list[Article], out: Path, formats: tuple[str, ...], version: int, server: str
) -> bytes:
    """The list of articles: links to their editions, their state, their problems."""
    entries = [_entry(a, out, formats) for a in articles]
    return (
        _templates.get_template("home.html.j2")
        .render(entries=entries, out=display_path(out), version=version, server=server)
        .encode()
    )


def pdf_viewer(article: Article, server: str) -> bytes:
    """A page around the browser's own PDF viewer, so that it can follow the builds."""
    slug = quote(article.slug)
    return (
        _templates.get_template("pdf.html.j2")
        .render(article=article, pdf=f"/{slug}/{slug}.pdf", server=server)
        .encode()
    )


def not_found(what: str) -> bytes:
    return _templates.get_template("missing.html.j2").render(what=what).encode()


def script_tag(data: dict[str, str | int]) -> bytes:
    """The element that brings the live script, its data in escaped attributes; valid
    in HTML and in XHTML alike."""
    attributes = "".join(
        f' data-{name}="{html.escape(str(value), quote=True)}"' for name, value in data.items()
    )
    return f'<script src="{SCRIPT}"{attributes}></script>'.encode()


def inject(page: bytes, tag: bytes) -> bytes:
    """``page`` with ``tag`` before its last ``</body>`` (at the end when it has none)."""
    ends = list(BODY_END_RE.finditer(page))
    if not ends:
        return page + tag
    at = ends[-1].start()
    return page[:at] + tag + b"\n" + page[at:]


def title_of(article: Article, out: Path) -> str:
    """The title in the article's HTML edition, else its slug (the editions are ours,
    so their ``<title>`` is plain escaped text)."""
    try:
        with open(out / article.slug / f"{article.slug}.html", "rb") as page:
            head = page.read(16384)
    except OSError:
        return article.slug
    found = TITLE_RE.search(head)
    if not found:
        return article.slug
    return html.unescape(found.group(1).decode("utf-8", "replace")).strip() or article.slug


def _entry(article: Article, out: Path, formats: tuple[str, ...]) -> Entry:
    slug = quote(article.slug)
    links = []
    for edition in EDITIONS.values():  # the page first: it is what an editor checks most
        name, file = edition.name, edition_file(article.slug, edition.name)
        if name not in formats or not (out / file).is_file():
            continue
        viewer = VIEWERS.get(name)
        # Without a viewer of ours the browser shows the file as it is.
        links.append((name.upper(), viewer.format(slug=slug) if viewer else quote(f"/{file}")))
        if viewer and name in DOWNLOADS:  # the file itself too, for an e-reader
            links.append((f"{name.upper()} file", quote(f"/{file}")))
    problems: list[tuple[str, str]] = [(d.severity, str(d)) for d in sorted_diagnostics(article)]
    return Entry(article, title_of(article, out), links, problems)
