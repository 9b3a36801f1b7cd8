"""Contents pages: ``build/<issue>/index.html`` for each issue, and for the whole build
folder ``build/index.html`` (every publication, its volumes and issues, newest first,
and the articles outside any issue), ``sitemap.xml`` and an Atom feed (these two need
``--base-url``: they list absolute addresses).

Pages are self-contained like the articles (inline style and fonts, no script) and link
relatively, so the build folder can be copied to any server or opened from disk.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin
from xml.etree import ElementTree as ET

from ..document import Document, human_date
from ..editions.common import is_rtl
from ..editions.registry import EDITIONS, edition_file
from ..fonts import embed_fonts
from ..images import data_uri, for_screen
from ..labels import labels_for
from ..options import Options
from ..templates import asset, environment
from . import status
from .schema import Issue

if TYPE_CHECKING:
    from .layout import Pages

FORMATS = tuple((e.name, e.label) for e in EDITIONS.values() if e.reader)
"""The editions a reader is offered (JATS and deposits are delivered, not linked)."""
"""(name, label) of every edition, as a reader is offered them."""
ARCHIVE_EDITION = "html"
"""The archive's pages are written with the article pages they link to."""
SUMMARY = ".publish-issue.json"
"""What the archive needs to know of a built issue, kept beside its editions."""
FEED_ENTRIES = 20


def summary(issue: Issue, docs: list[Document], laid: Pages) -> dict[str, Any]:
    """What the contents pages say about an issue, kept beside its editions."""
    from ..editions.paging import page_range
    from .articles import names

    articles = []
    for doc, placement in zip(docs, laid.articles, strict=True):
        meta = doc.meta
        articles.append(
            {
                "slug": doc.slug,
                "title_html": meta.title.html,
                "title_text": meta.title.text,
                "byline_html": names(meta),
                "authors": [a.name.text for a in meta.authors],
                "abstract_html": meta.abstract.html if meta.abstract else "",
                "abstract_text": meta.abstract.text if meta.abstract else "",
                "date": meta.date or issue.date,
                "identifier": meta.identifier,
                "type": "ScholarlyArticle" if meta.abstract else "Article",
                "lang": meta.lang,
                "rtl": is_rtl(meta.lang),
                "first": placement.first,
                "last": placement.last,
                "pages": page_range(placement.first, placement.last),
                # Its notices, or what it updates if it is a notice (issue 23).
                **status.of_document(doc),
            }
        )
    image = issue.cover_image
    cover = data_uri(image, for_screen(image)) if image is not None else None
    return {
        "name": issue.name,
        "label": issue.label,
        "lang": issue.lang,
        "publication": issue.publication,
        "volume": issue.volume,
        "issue": issue.issue,
        "numbering": list(issue.numbering),
        "date": issue.date,
        "date_text": issue.date_text,
        "title": issue.title,
        "issn": issue.issn,
        "publisher": issue.publisher,
        "editors": list(issue.editors),
        "identifier": issue.identifier,
        "cover": cover,
        "articles": articles,
    }


def issue_page(s: dict[str, Any], options: Options) -> bytes:
    """``build/<issue>/index.html``."""
    for article in s["articles"]:
        slug = article["slug"]
        article["links"] = {
            # Quoted: a folder or file name may hold spaces and other letters.
            fmt: quote(f"../{edition_file(slug, fmt)}") if fmt in options.formats else None
            for fmt, _ in FORMATS
        }
    downloads = [
        (f"The whole issue ({e.label})", quote(f"{s['name']}{e.suffix}"))
        for e in EDITIONS.values()
        if e.whole_issue and e.reader and e.name in options.formats
    ]
    page = (
        environment("issue", options.templates)
        .get_template("index.html.j2")
        .render(
            s=s,
            rtl=is_rtl(s["lang"]),
            cover=s["cover"],
            downloads=downloads,
            formats=FORMATS,
            contents_label=labels_for(s["lang"]).contents,
            css=asset("issue", "contents.css", options.templates),
            jsonld=_safe_json(_issue_ld(s)),
        )
    )
    return embed_fonts(page).encode("utf-8")


def _issue_ld(s: dict[str, Any]) -> dict[str, Any]:
    periodical: dict[str, Any] = {"@type": "Periodical", "name": s["publication"]}
    if s["issn"]:
        periodical["issn"] = s["issn"]
    if s["publisher"]:
        periodical["publisher"] = {"@type": "Organization", "name": s["publisher"]}
    # A special issue may have no number, and belong to no volume but the periodical.
    volume = {"@type": "PublicationVolume", "volumeNumber": s["volume"], "isPartOf": periodical}
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "PublicationIssue",
        **({"issueNumber": s["issue"]} if s["issue"] else {}),
        "datePublished": s["date"],
        "identifier": s["identifier"],
        "isPartOf": volume if s["volume"] else periodical,
        "hasPart": [
            {
                "@type": a["type"],
                "headline": a["title_text"],
                "author": [{"@type": "Person", "name": n} for n in a["authors"]],
                "identifier": a["identifier"],
                "pageStart": str(a["first"]),
                "pageEnd": str(a["last"]),
                "pagination": a["pages"],
                **({"creativeWorkStatus": a["status"]} if a.get("status") else {}),
                **({"url": a["links"]["html"]} if a.get("links", {}).get("html") else {}),
            }
            for a in s["articles"]
        ],
    }
    if s["title"]:
        node["name"] = s["title"]
    if s["editors"]:
        node["editor"] = [{"@type": "Person", "name": n} for n in s["editors"]]
    return node


def _safe_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2).replace("<", "\\u003c")


# The archive of the whole build folder.


def write_archive(out: Path, options: Options) -> list[Path]:
    """``index.html`` (and with a base URL ``sitemap.xml`` and ``feed.xml``) in ``out``,
    from what is there: every built issue and every article outside one."""
    from ..output import write_atomically

    issues = _issues(out)
    inside = {a["slug"] for s in issues for a in s["articles"]}
    pages = _loose(out)
    loose = [a for a in pages if a["slug"] not in inside]
    if not issues:
        return []
    for s in issues:
        s["statuses"] = status.counts(s["articles"])
    written = []
    page = (
        environment("issue", options.templates)
        .get_template("archive.html.j2")
        .render(
            heading=_heading(issues),
            lang=issues[0]["lang"],
            rtl=is_rtl(issues[0]["lang"]),
            publications=_grouped(issues),
            loose=loose,
            feed="feed.xml" if options.base_url else None,
            css=asset("issue", "contents.css", options.templates),
        )
    )
    files = {out / "index.html": embed_fonts(page).encode("utf-8")}
    if options.base_url:
        base = options.base_url.rstrip("/") + "/"
        updated = {a["href"]: a["updated"] for a in pages if a.get("updated")}
        files[out / "sitemap.xml"] = _sitemap(out, base, updated)
        files[out / "feed.xml"] = _feed(issues, loose, base, _heading(issues))
    for path, data in files.items():
        # Unchanged pages are left alone: a build with nothing to do writes nothing.
        if not path.is_file() or path.read_bytes() != data:
            write_atomically(path, data)
            written.append(path)
    return written


def _issues(out: Path) -> list[dict[str, Any]]:
    found = []
    for path in sorted(out.glob(f"*/{SUMMARY}")):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return found


META_RE = re.compile(r'<meta name="([^"]+)" content="([^"]*)">')
TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


def _loose(out: Path) -> list[dict[str, Any]]:
    """Articles built on their own, as their HTML editions describe themselves."""
    found = []
    for page in sorted(out.glob("*/*.html")):
        if page.stem != page.parent.name:
            continue
        head = page.read_text(encoding="utf-8", errors="replace").split("</head>", 1)[0]
        metas: dict[str, list[str]] = {}
        for name, value in META_RE.findall(head):
            metas.setdefault(name, []).append(html.unescape(value))
        title = TITLE_RE.search(head)
        date = (metas.get("DC.date") or [""])[0]
        # Its status and, for a notice, its kind, from its JSON-LD (issue 23); then the
        # title without the status its <title> begins with.
        said = status.of_page_head(head)
        found.append(
            {
                "slug": page.stem,
                "href": quote(f"{page.parent.name}/{page.name}"),
                "title": said.pop("headline", None)
                or (html.unescape(title.group(1)) if title else page.stem),
                "authors": metas.get("DC.creator", []),
                "date": date,
                "date_text": human_date(date) if date else "",
                "identifier": (metas.get("DC.identifier") or [""])[0],
                **said,
            }
        )
    return sorted(found, key=lambda a: (a["date"], a["title"]), reverse=True)


def _heading(issues: list[dict[str, Any]]) -> str:
    names = list(dict.fromkeys(s["publication"] for s in issues))
    return names[0] if len(names) == 1 else "Archive"


def _grouped(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Publications by name; their volumes and issues newest first."""

    def number(text: str) -> tuple[int, str]:
        return (int(text), "") if text.isdigit() else (0, text)

    publications = []
    for name in sorted({s["publication"] for s in issues}):
        mine = [s for s in issues if s["publication"] == name]
        volumes = []
        for volume in sorted({s["volume"] for s in mine}, key=number, reverse=True):
            these = [s for s in mine if s["volume"] == volume]
            these.sort(key=lambda s: (s["date"], number(s["issue"])), reverse=True)
            volumes.append({"number": volume, "issues": these})
        publications.append({"name": name, "volumes": volumes})
    return publications


def _sitemap(out: Path, base: str, updated: dict[str, str]) -> bytes:
    """Every page; an article that a notice updated (or a later version of it) with its
    ``lastmod``, the date of its latest notice or version."""
    ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
    root = ET.Element("urlset", xmlns=ns)
    pages = sorted(p.relative_to(out).as_posix() for p in out.glob("**/*.html"))
    for page in [
        "index.html",
        *[p for p in pages if p != "index.html" and "/proof/" not in f"/{p}"],
    ]:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = urljoin(base, quote(page))
        if quote(page) in updated:
            ET.SubElement(url, "lastmod").text = updated[quote(page)]
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _feed(
    issues: list[dict[str, Any]], loose: list[dict[str, Any]], base: str, title: str
) -> bytes:
    """An Atom feed of the newest articles."""
    entries = []
    for s in issues:
        for a in s["articles"]:
            entries.append(
                {
                    "title": a["title_text"],
                    "authors": a["authors"],
                    "date": a["date"],
                    "identifier": a["identifier"],
                    "href": quote(edition_file(a["slug"], ARCHIVE_EDITION)),
                    "summary": a["abstract_text"]
                    or f"{s['label']}, {s['date_text']}, {_pages_word(a['pages'])} {a['pages']}",
                    **{k: a[k] for k in ("status", "mark", "notice") if k in a},
                    **({"updated": status.latest(a)} if status.latest(a) else {}),
                }
            )
    entries += [{**a, "summary": ""} for a in loose]
    entries.sort(key=lambda e: (e["date"], e["title"]), reverse=True)
    entries = entries[:FEED_ENTRIES]
    ns = "http://www.w3.org/2005/Atom"
    feed = ET.Element("feed", xmlns=ns)
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "id").text = base
    ET.SubElement(feed, "link", rel="self", href=urljoin(base, "feed.xml"))
    ET.SubElement(feed, "link", rel="alternate", href=base)
    latest = (max(e["date"], e.get("updated", "")) for e in entries)
    ET.SubElement(feed, "updated").text = _stamp(max(latest, default="1980"))
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = title
    for e in entries:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = status.title_marked(e["title"], e)
        ET.SubElement(entry, "id").text = e["identifier"] or urljoin(base, e["href"])
        ET.SubElement(
            entry, "link", rel="alternate", type="text/html", href=urljoin(base, e["href"])
        )
        # Updated by a notice: when, and when it was first published (issue 23).
        changed = max(e["date"], e.get("updated", ""))
        ET.SubElement(entry, "updated").text = _stamp(changed)
        if changed != e["date"]:
            ET.SubElement(entry, "published").text = _stamp(e["date"])
        for name in e["authors"]:
            ET.SubElement(ET.SubElement(entry, "author"), "name").text = name
        for term in (e.get("status"), e.get("notice")):
            if term:
                ET.SubElement(entry, "category", term=term)
        if e["summary"]:
            ET.SubElement(entry, "summary").text = e["summary"]
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def _stamp(date: str) -> str:
    """A manuscript's date (YYYY, YYYY-MM, YYYY-MM-DD) as an Atom date-time."""
    parts = (date or "1980").split("-") + ["01", "01"]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def _pages_word(pages: str) -> str:
    """ "page 4", but "pages 4–7" (a range is written with an en dash)."""
    return "pages" if "–" in pages else "page"
