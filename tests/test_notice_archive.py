"""What the pages around the articles say of notices (issue 23): an issue's contents page
(each article's status with its notices, a notice shown as a notice), the archive's home
(the statuses of an issue's articles, a loose article's status read from its page), the
sitemap (an updated article's ``lastmod``) and the Atom feed (a status as a category and
before a retracted title, the notice as an entry of its own).

The issue's summary is made by ``contents.summary`` from the real issue and documents,
with the pages the layout would give (the layout itself is tested in test_periodical);
the loose articles' pages are rendered in process."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import copy_manuscript, pdftotext
from lxml import html

from publish.diagnostics import Collector
from publish.document import Document
from publish.editions.registry import EDITIONS
from publish.options import Options
from publish.periodical import contents, schema
from publish.periodical.articles import with_issue
from publish.periodical.layout import Pages, Placement
from publish.read import read
from publish.updates.model import KINDS, Link, Notice, Updates

BASE = "https://journal.example/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ISSUE_YAML = """publication: Small Samples Quarterly
volume: 4
issue: 1
date: 2026-03
articles:
  - samples.md
  - correction.md
  - plain.md
"""


def manuscript(title: str, date: str) -> str:
    return f'---\ntitle: "{title}"\nauthor:\n  - name: Ada Example\ndate: {date}\n---\n\nText.\n'


def link(slug: str, title: str, date: str, doi: str | None = None) -> Link:
    return Link(slug, title, title, doi, date, f"../{slug}/{slug}.html")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("source")


@pytest.fixture(scope="module")
def issue(source: Path) -> tuple[schema.Issue, list[Document]]:
    """The issue, its first article corrected by its second, a correction."""
    folder = source / "ssq-4-1"
    folder.mkdir()
    (folder / "issue.yaml").write_text(ISSUE_YAML, encoding="utf-8")
    titles = {
        "samples": "On Small Samples",
        "correction": "Correction to: On Small Samples",
        "plain": "A Plain Article",
    }
    for slug, title in titles.items():
        copy_manuscript(manuscript(title, "2026-03-01"), folder, f"{slug}.md")
    issue = schema.load(folder, Collector(folder / "issue.yaml"))
    assert issue is not None
    docs = [with_issue(read(p), issue, False) for p in issue.articles]
    correction = link("correction", titles["correction"], "2026-03-01")
    samples = link("samples", titles["samples"], "2026-03-01")
    docs[0] = replace(
        docs[0],
        updates=Updates(notices=(Notice(KINDS["correction"], "2026-03-01", correction),)),
    )
    docs[1] = replace(docs[1], updates=Updates(notice=KINDS["correction"], targets=(samples,)))
    return issue, docs


@pytest.fixture(scope="module")
def out(
    tmp_path_factory: pytest.TempPathFactory,
    source: Path,
    issue: tuple[schema.Issue, list[Document]],
) -> Path:
    out = tmp_path_factory.mktemp("build")
    issue, docs = issue
    laid = Pages(6, [Placement(1, 2), Placement(3, 3), Placement(4, 6)])
    summary = contents.summary(issue, docs, laid)
    (out / issue.name).mkdir()
    (out / issue.name / contents.SUMMARY).write_text(json.dumps(summary), encoding="utf-8")
    (out / issue.name / "index.html").write_bytes(contents.issue_page(summary, Options()))
    # Loose articles: one retracted (in June) with its notice, one that nothing updates.
    loose = {
        "retracted": manuscript("A Retracted Study", "2026-02-01"),
        "retraction": manuscript("Retraction of: A Retracted Study", "2026-06-10"),
        "untouched": manuscript("An Untouched Study", "2026-01-15"),
    }
    retraction = link("retraction", "Retraction of: A Retracted Study", "2026-06-10", "10.5555/r")
    updates = {
        "retracted": Updates(notices=(Notice(KINDS["retraction"], "2026-06-10", retraction),)),
        "retraction": Updates(
            notice=KINDS["retraction"],
            targets=(link("retracted", "A Retracted Study", "2026-02-01"),),
        ),
        "untouched": Updates(),
    }
    for slug, text in loose.items():
        doc: Document = replace(
            read(copy_manuscript(text, source / slug, f"{slug}.md")), updates=updates[slug]
        )
        (out / slug).mkdir()
        (out / slug / f"{slug}.html").write_bytes(EDITIONS["html"](doc, Options()))
    contents.write_archive(out, Options(out=out, base_url=BASE))
    return out


def _text(element: html.HtmlElement) -> str:
    return " ".join("".join(element.itertext()).split())


def test_contents_page_shows_status_and_notices(out: Path) -> None:
    page = html.fromstring((out / "ssq-4-1" / "index.html").read_bytes())
    items = page.xpath("//ol[@class='articles']/li")
    assert len(items) == 3
    status = items[0].xpath(".//p[@class='status']")
    assert _text(status[0]) == (
        "Corrected: Correction, March 1, 2026 (Correction to: On Small Samples)"
    )
    assert status[0].find(".//a").get("href") == "../correction/correction.html"
    # The notice is shown as a notice, with the article it corrects.
    assert _text(items[1].xpath(".//p[@class='notice-kind']")[0]) == "Correction"
    notice_of = items[1].xpath(".//p[@class='notice-of']")[0]
    assert _text(notice_of) == "Correction notice for: On Small Samples"
    assert notice_of.find(".//a").get("href") == "../samples/samples.html"
    assert not items[2].xpath(".//p[@class='status' or @class='notice-of']")
    data = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert [p.get("creativeWorkStatus") for p in data["hasPart"]] == ["Corrected", None, None]


def test_archive_home_shows_each_status(out: Path) -> None:
    page = html.fromstring((out / "index.html").read_bytes())
    (issue,) = page.xpath("//div[@class='volume']//li")
    assert _text(issue).endswith("(3 articles; 1 corrected)")
    loose = {_text(li) for li in page.xpath("//ul[@class='loose']/li")}
    assert "A Retracted Study · Ada Example · February 1, 2026 · Retracted" in loose
    assert (
        "Retraction of: A Retracted Study · Ada Example · June 10, 2026 · Retraction notice"
        in loose
    )
    assert "An Untouched Study · Ada Example · January 15, 2026" in loose


def test_sitemap_dates_an_updated_article_by_its_notice(out: Path) -> None:
    root = ET.parse(out / "sitemap.xml").getroot()
    lastmod = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in root.iter(f"{SITEMAP}url")
    }
    assert lastmod[f"{BASE}retracted/retracted.html"] == "2026-06-10"
    assert lastmod[f"{BASE}untouched/untouched.html"] is None
    assert lastmod[f"{BASE}retraction/retraction.html"] is None


def test_feed_shows_status_and_the_notice_as_an_entry(out: Path) -> None:
    feed = ET.parse(out / "feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    retracted = entries["Retracted: A Retracted Study"]
    assert [c.get("term") for c in retracted.iter(f"{ATOM}category")] == ["Retracted"]
    assert retracted.findtext(f"{ATOM}updated") == "2026-06-10T00:00:00Z"
    assert retracted.findtext(f"{ATOM}published") == "2026-02-01T00:00:00Z"
    notice = entries["Retraction of: A Retracted Study"]
    assert [c.get("term") for c in notice.iter(f"{ATOM}category")] == ["Retraction"]
    corrected = entries["On Small Samples"]
    assert [c.get("term") for c in corrected.iter(f"{ATOM}category")] == ["Corrected"]
    assert [
        c.get("term") for c in entries["Correction to: On Small Samples"].iter(f"{ATOM}category")
    ] == ["Correction"]
    untouched = entries["An Untouched Study"]
    assert untouched.find(f"{ATOM}category") is None
    assert untouched.find(f"{ATOM}published") is None


def test_contents_pages_pass_nu_and_link_to_what_exists(out: Path) -> None:
    from publish.check import html as checks
    from publish.periodical.links import check_links

    pages = [out / "index.html", out / "ssq-4-1" / "index.html"]
    for result in checks.nu(pages):
        assert result.passed, [f.message for f in result.findings]
    # The issue's own articles were not rendered here: only the archive's home is
    # complete enough for its links to be followed.
    result = check_links(out / "index.html")
    assert result.passed, [f.message for f in result.findings]


def test_issue_pdf_marks_the_pages_of_a_retracted_article(
    issue: tuple[schema.Issue, list[Document]],
) -> None:
    from publish.periodical import pdf

    the_issue, docs = issue
    retraction = link("retraction", "Retraction of: On Small Samples", "2026-06-10")
    docs = [
        replace(docs[0], updates=Updates(notices=(Notice(KINDS["retraction"], None, retraction),))),
        *docs[1:],
    ]
    laid = pdf.render(the_issue, docs, Options())
    first, last = laid.pages.articles[0].first, laid.pages.articles[0].last
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "issue.pdf"
        path.write_bytes(laid.pdf)
        marked = [n for n in range(1, last + 2) if "RETRACTED" in pdftotext(path, n, n)]
        assert "Retracted: On Small Samples" in " ".join(pdftotext(path, first, first).split())
        # and so does the issue's list of contents, before it
        before = " ".join(pdftotext(path, 1, first - 1).split())
        assert "Retracted: On Small Samples" in before
    assert marked == list(range(first, last + 1))  # its pages, and only its


def test_publish_check_takes_the_sitemap_and_feed_for_no_edition(out: Path) -> None:
    from publish.check import find_editions

    found = find_editions([out])
    assert out / "index.html" in found and out / "retracted" / "retracted.html" in found
    assert out / "sitemap.xml" not in found and out / "feed.xml" not in found
