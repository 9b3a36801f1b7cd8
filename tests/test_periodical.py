"""An issue folder, built as a reader gets it: the issue's PDF and EPUB, each article's
editions with its pages, the contents pages, sitemap and feed.

The test issue (tests/issues/terrorism-monitor-3-2) has three articles: the sample,
one with a figure, one with two authors; each has notes.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pikepdf
import pytest
from conftest import ROOT, pdftotext, run_publish
from lxml import etree, html

from publish.diagnostics import Collector
from publish.options import Options
from publish.periodical import schema
from publish.periodical.blocks import END, START, Break, insert_breaks, number
from publish.periodical.links import check_links
from publish.pipeline import stamps
from publish.pipeline.outcome import Outcome
from publish.pipeline.stamps import shared_digest

ISSUE = ROOT / "tests" / "issues" / "terrorism-monitor-3-2"
NAME = ISSUE.name
ARTICLES = [
    "mojahedin-e-khalq-in-post-saddam-iraq",
    "border-crossings",
    "financing-networks",
]
TITLES = [
    "The Disintegration of Mojahedin-e Khalq in Post-Saddam Iraq",
    "Counting the Crossings on the Syrian Border",
    "Small Sums, Long Chains",
]
BASE = "https://example.org/archive/"
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("issue-build")
    result = run_publish("build", ISSUE, "--out", out, "--base-url", BASE)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def starts(built: Path) -> list[int]:
    """The page each article's title is printed on, found in the issue PDF's text."""
    pdf = built / NAME / f"{NAME}.pdf"
    pages = pikepdf.open(pdf).pages
    # Past the cover and the contents page, which name every article too.
    texts = {n: _squash(pdftotext(pdf, n, n)[:300]) for n in range(3, len(pages) + 1)}
    return [next(n for n, text in texts.items() if _squash(title) in text) for title in TITLES]


def _squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010\u200b-\u200f]+", "", text).casefold()


def test_contents_page_numbers_are_where_articles_begin(built: Path, starts: list[int]) -> None:
    pdf = built / NAME / f"{NAME}.pdf"
    contents = pdftotext(pdf, 2, 2, raw=True)
    numbers = [int(line) for line in contents.splitlines() if line.strip().isdigit()]
    assert numbers == [*starts, 2]  # the contents page's own folio comes last
    assert starts[0] == 3 and starts == sorted(starts)
    # The bookmarks lead to the same pages.
    with pikepdf.open(pdf) as doc:
        outline = {item.title: item for item in doc.open_outline().root}
        for title, start in zip(TITLES, starts, strict=True):
            page = outline[title].destination[0]
            assert [p.objgen for p in doc.pages].index(page.objgen) + 1 == start
            assert outline[title].children, "headings are bookmarked below their article"


def test_folios_and_page_labels_are_continuous(built: Path) -> None:
    pdf = built / NAME / f"{NAME}.pdf"
    with pikepdf.open(pdf) as doc:
        total = len(doc.pages)
        assert doc.Root.PageLabels.Nums[1].S == "/D"
    for n in (4, total):
        lines = [line for line in pdftotext(pdf, n, n).splitlines() if line.strip()]
        assert lines[-1].strip() == str(n)


def test_notes_restart_per_article_and_stay_on_their_call_page(
    built: Path, starts: list[int]
) -> None:
    pdf = built / NAME / f"{NAME}.pdf"
    with pikepdf.open(pdf) as doc:
        pages = [p.objgen for p in doc.pages]
        names = pikepdf.NameTree(doc.Root.Names.Dests)
        where = {str(k): pages.index(v[0].objgen) + 1 for k, v in names.items()}
        calls: dict[int, list[int]] = {}
        for index, page in enumerate(doc.pages, start=1):
            for annot in page.obj.get("/Annots", []):
                dest = str(annot.get("/Dest", annot.get("/A", {}).get("/D", "")))
                match = re.fullmatch(r"a(\d+)-fn(\d+)", dest)
                if match:
                    article, note = int(match.group(1)), int(match.group(2))
                    calls.setdefault(article, []).append(note)
                    assert where[dest] == index, f"note {dest} is not on the page of its call"
    assert sorted(calls) == [1, 2, 3]
    for notes in calls.values():
        assert notes == list(range(1, len(notes) + 1))
    # Each article's first note, as printed, is numbered 1.
    for start in starts:
        assert re.search(r"^1\. ", pdftotext(pdf, start, start + 1), re.M)


def test_articles_carry_their_issue_pages(built: Path, starts: list[int]) -> None:
    total = len(pikepdf.open(built / NAME / f"{NAME}.pdf").pages)
    ends = [s - 1 for s in starts[1:]] + [total]
    for slug, first, last in zip(ARTICLES, starts, ends, strict=True):
        page = (built / slug / f"{slug}.html").read_text(encoding="utf-8")
        assert f'<meta name="citation_firstpage" content="{first}">' in page
        assert f'<meta name="citation_lastpage" content="{last}">' in page
        data = json.loads(
            html.fromstring(page).xpath("//script[@type='application/ld+json']")[0].text
        )
        assert (data["pageStart"], data["pageEnd"]) == (str(first), str(last))
        for n in range(first, last + 1):
            assert f'role="doc-pagebreak" id="page-{n}"' in page
        with pikepdf.open(built / slug / f"{slug}.pdf") as pdf:
            assert int(pdf.Root.PageLabels.Nums[1].St) == first
            count = len(pdf.pages)
        # The folio printed on the article's second page is its issue page.
        second = [
            line
            for line in pdftotext(built / slug / f"{slug}.pdf", 2, 2).splitlines()
            if line.strip()
        ]
        assert count >= 2 and second[-1].strip() == str(first + 1)
        with zipfile.ZipFile(built / slug / f"{slug}.epub") as epub:
            opf = epub.read("EPUB/content.opf").decode()
            nav = epub.read("EPUB/nav.xhtml").decode()
        assert f"Terrorism Monitor 3(2): {first}–{last}" in opf
        assert 'property="source-of"' in opf
        assert re.findall(r'href="article.xhtml#page-(\d+)"', nav) == [
            str(n) for n in range(first, last + 1)
        ]


def test_article_pdfs_break_their_pages_where_the_issue_does(
    built: Path, starts: list[int]
) -> None:
    """Page 5 of an article's own PDF is page 5 of the issue: same words, same notes."""
    issue = built / NAME / f"{NAME}.pdf"

    def body(pdf: Path, n: int) -> list[str]:
        # Without the running head (or first line) and the folio, which differ.
        return [line for line in pdftotext(pdf, n, n).splitlines() if line.strip()][1:-1]

    for slug, first in zip(ARTICLES, starts, strict=True):
        pdf = built / slug / f"{slug}.pdf"
        for k in range(len(pikepdf.open(pdf).pages)):
            assert body(pdf, k + 1) == body(issue, first + k), (slug, k + 1)


def test_issue_epub_has_a_document_per_article_and_a_page_list(
    built: Path, starts: list[int]
) -> None:
    pdf = built / NAME / f"{NAME}.pdf"
    total = len(pikepdf.open(pdf).pages)
    with zipfile.ZipFile(built / NAME / f"{NAME}.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        spine = re.findall(r'<itemref idref="([^"]+)"', opf)
        assert spine == ["title", "contents", "article1", "article2", "article3"]
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        toc = nav.xpath("//x:nav[@epub:type='toc']//text()", namespaces=XHTML)
        for title in TITLES:
            assert any(title in t for t in toc)
        assert any("Mara Testwriter, Pavel Sample" in t for t in toc)
        entries = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=XHTML)
        assert [a.text for a in entries] == [str(n) for n in range(1, total + 1)]
        documents = {}
        for a in entries:
            name, _, fragment = a.get("href").partition("#")
            if name not in documents:
                documents[name] = etree.fromstring(epub.read(f"EPUB/{name}"))
            marker = documents[name].xpath(f"//*[@id='{fragment}']")
            assert marker and marker[0].get("role") == "doc-pagebreak"
            page = int(a.text)
            article = sum(1 for s in starts if s <= page)
            if article:
                assert name == f"article-{article}.xhtml"
                _assert_page_begins_at(pdf, page, marker[0])
        assert re.search(r'<meta[^>]*refines="#editor1"[^>]*>edt</meta>', opf)
        assert opf.count("<dc:contributor") == 4
        assert "<dc:title>Terrorism Monitor, Volume 3, Issue 2</dc:title>" in opf
        ids = [i for d in documents.values() for i in d.xpath("//@id")]
        notes = [i for i in ids if re.fullmatch(r"a\d+-fn\d+", i)]
        assert {"a1-fn1", "a2-fn1", "a3-fn1"} <= set(notes)


def _assert_page_begins_at(pdf: Path, page: int, marker: etree._Element) -> None:
    """The text after a page's marker is printed on that page (a word split across the
    page break may begin on the page before)."""
    after = "".join(marker.xpath("following::text()"))[:200]
    words = after.split()
    text = _squash(pdftotext(pdf, page, page))
    assert _squash(" ".join(words[:6])) in text or _squash(" ".join(words[1:7])) in text, (
        page,
        words[:6],
    )


def test_contents_pages_link_only_to_files_that_exist(built: Path) -> None:
    for page in (built / "index.html", built / NAME / "index.html"):
        result = check_links(page)
        assert result.passed, result.findings
    issue_page = (built / NAME / "index.html").read_text(encoding="utf-8")
    for slug in ARTICLES:
        for fmt in ("html", "pdf", "epub"):
            assert f'href="../{slug}/{slug}.{fmt}"' in issue_page
    data = json.loads(
        html.fromstring(issue_page).xpath("//script[@type='application/ld+json']")[0].text
    )
    assert data["@type"] == "PublicationIssue"
    assert data["isPartOf"]["isPartOf"] == {
        "@type": "Periodical",
        "name": "Terrorism Monitor",
        "issn": "1234-5679",
        "publisher": {"@type": "Organization", "name": "The Jamestown Foundation"},
    }
    assert [p["headline"] for p in data["hasPart"]] == TITLES
    assert f'href="{NAME}/index.html"' in (built / "index.html").read_text(encoding="utf-8")


def test_sitemap_and_feed(built: Path) -> None:
    sitemap = ET.parse(built / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{BASE}index.html" in locs and f"{BASE}{NAME}/index.html" in locs
    assert f"{BASE}border-crossings/border-crossings.html" in locs
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built / "feed.xml").getroot()
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert sorted(titles) == sorted(TITLES)


def test_unchanged_issue_is_not_rebuilt(built: Path, tmp_path: Path) -> None:
    result = run_publish("build", ISSUE, "--out", built, "--base-url", BASE)
    assert result.returncode == 0, result.stderr
    assert "up to date 1" in result.stdout and "wrote" not in result.stdout
    # A changed article makes its issue out of date (its pages may have moved).
    folder = shutil.copytree(ISSUE, tmp_path / NAME)
    options = Options(out=tmp_path / "out")
    shared = shared_digest(options)
    unit = folder / "issue.yaml"
    stamps.write(Outcome(unit, uses=[folder / "crossings.png"]), options, shared)
    assert stamps.is_current(unit, options, shared)
    (folder / "financing-networks.md").write_text(
        (folder / "financing-networks.md").read_text() + "\nOne more line.\n"
    )
    assert not stamps.is_current(unit, options, shared)


def _load(folder: Path, strict: bool = False) -> tuple[schema.Issue | None, list[str]]:
    report = Collector(folder / "issue.yaml", strict)
    issue = schema.load(folder, report)
    return issue, [f"{d.line}: {d.severity}: {d.message}" for d in report.items]


def test_issue_yaml_errors_are_located(tmp_path: Path) -> None:
    folder = shutil.copytree(ISSUE, tmp_path / NAME)
    text = (folder / "issue.yaml").read_text()
    (folder / "issue.yaml").write_text(
        text.replace("editors:", "edtors:").replace(
            "  - financing-networks.md", "  - financing-network.md"
        )
    )
    (folder / "extra.md").write_text("---\ntitle: Extra\n---\n\nText.\n")
    issue, messages = _load(folder)
    lines = text.splitlines()
    assert issue is None
    typo = lines.index("editors:") + 1
    assert f"{typo}: warning: unknown issue key 'edtors': did you mean 'editors'?" in messages
    missing = lines.index("  - financing-networks.md") + 1
    assert (
        f"{missing}: error: article 'financing-network.md' does not exist: "
        "did you mean 'financing-networks.md'?"
    ) in messages
    assert any("extra.md is in the issue's folder but not in 'articles'" in m for m in messages)
    # --strict: the warnings are errors too.
    (folder / "issue.yaml").write_text(text.replace("editors:", "edtors:"))
    assert _load(folder)[0] is not None
    assert _load(folder, strict=True)[0] is None


def test_bad_issue_fails_the_build_with_a_located_error(tmp_path: Path) -> None:
    folder = shutil.copytree(ISSUE, tmp_path / NAME)
    text = (folder / "issue.yaml").read_text()
    (folder / "issue.yaml").write_text(text.replace("date: 2005-01", "date: 2005-13"))
    line = text.splitlines().index("date: 2005-01") + 1
    result = run_publish("build", folder, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert f"issue.yaml:{line}: error: 'date: 2005-13' is not a real date" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / NAME / f"{NAME}.pdf").exists()


def test_article_contradicting_its_issue_is_warned_at_its_line(tmp_path: Path) -> None:
    from publish.periodical.articles import read_articles

    folder = shutil.copytree(ISSUE, tmp_path / NAME)
    sample = folder / f"{ARTICLES[0]}.md"
    sample.write_text(sample.read_text().replace("volume: 3", "volume: 4"))
    issue, _ = _load(folder)
    assert issue is not None
    docs = read_articles(issue, strict=False, base_url=None)
    line = sample.read_text().splitlines().index("volume: 4") + 1
    warnings = [str(d) for d in docs[0].diagnostics]
    assert any(
        f":{line}: warning: 'volume: 4' contradicts the issue's 'volume: 3'" in w for w in warnings
    )
    # Keys an article does not set come from its issue.
    assert docs[1].meta.issn == "1234-5679" and docs[1].meta.volume == "3"


def test_page_breaks_land_before_the_word_a_page_begins_with() -> None:
    body = "<h2>Head</h2><p>One two <em>three</em> four</p><ul><li>item</li></ul>"
    assert number(body).count("data-pb=") == 4
    breaks = [Break(5, START), Break(6, 1, 6), Break(7, 3, 0), Break(8, END)]
    marked = insert_breaks(body, breaks, lambda n: f"[{n}]")
    assert (
        marked
        == "[5]<h2>Head</h2><p>One two <em>[6]three</em> four</p><ul><li>[7]item</li></ul>[8]"
    )


def test_recto_issue_with_a_cover_image(tmp_path: Path) -> None:
    """With 'recto: true' every article starts on an odd page; the blank versos are in
    the page-list too, and the cover image is the issue's first page."""
    from publish.periodical import epub, pdf
    from publish.periodical.articles import read_articles

    folder = shutil.copytree(ISSUE, tmp_path / NAME)
    shutil.copy(folder / "crossings.png", folder / "cover.png")
    (folder / "issue.yaml").write_text(
        (folder / "issue.yaml").read_text() + "recto: true\ncover: cover.png\n"
    )
    issue, messages = _load(folder)
    assert issue is not None, messages
    docs = read_articles(issue, strict=False, base_url=None)
    laid = pdf.render(issue, docs, Options())
    starts = [a.first for a in laid.pages.articles]
    assert all(s % 2 == 1 for s in starts), starts
    book = epub.render(issue, docs, laid.pages, Options())
    (tmp_path / "issue.pdf").write_bytes(laid.pdf)
    with pikepdf.open(tmp_path / "issue.pdf") as doc:
        assert len(doc.pages) == laid.pages.total
        first = doc.pages[0]
        images = [first.Resources.XObject[k] for k in first.Resources.XObject.keys()]
        assert any(x.get("/Subtype") == "/Image" for x in images)
    (tmp_path / "issue.epub").write_bytes(book)
    with zipfile.ZipFile(tmp_path / "issue.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        opf = archive.read("EPUB/content.opf").decode()
    pages = nav.xpath("//x:nav[@epub:type='page-list']//x:a/text()", namespaces=XHTML)
    assert pages == [str(n) for n in range(1, laid.pages.total + 1)]
    assert 'properties="cover-image"' in opf


def test_publish_check_is_clean_on_the_issue_and_its_pages(built: Path) -> None:
    """EPUBCheck, Ace, Nu, axe and the PDF checks on the issue's editions, its contents
    page, the archive home, and an article with page-break markers and a figure."""
    import io

    from publish.check import check_paths

    report = io.StringIO()
    paths = [built / NAME, built / "index.html", built / "border-crossings"]
    status = check_paths(paths, None, stream=report)
    assert status == 0, report.getvalue()
    assert "links" in report.getvalue()


def test_a_broken_article_fails_its_issue_and_keeps_the_last_good_build(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    folder = shutil.copytree(ISSUE, tmp_path / NAME)
    good = (out / NAME / f"{NAME}.pdf").read_bytes()
    article = folder / "border-crossings.md"
    article.write_text(article.read_text().replace("[^4]: A longer", "[^9]: A longer"))
    result = run_publish("build", folder, "--out", out)
    assert result.returncode == 1
    assert "border-crossings.md:" in result.stderr and "[^4]" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / NAME / f"{NAME}.pdf").read_bytes() == good


def test_lists_tables_and_a_persian_article_in_one_issue(tmp_path: Path) -> None:
    """The features manuscript (lists, a table, a quotation, a figure, a Persian passage)
    and a whole article in Persian: every page is found in the text, notes stay on their
    call's page, and each article's own PDF breaks its pages where the issue does."""
    from publish.editions import pdf as article_pdf
    from publish.periodical import pdf
    from publish.periodical.articles import read_articles
    from publish.periodical.blocks import styled
    from publish.periodical.build import pagination

    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in ("features/features.md", "features/gradient.png", "persian/persian.md"):
        shutil.copy(ROOT / "tests" / "manuscripts" / name, folder)
    (folder / "issue.yaml").write_text("publication: Test\nvolume: 1\nissue: 1\ndate: 2020-03\n")
    issue, messages = _load(folder)
    assert issue is not None, messages
    docs = read_articles(issue, strict=False, base_url=None)
    laid = pdf.render(issue, docs, Options())
    assert laid.pages.misplaced == []
    (tmp_path / "issue.pdf").write_bytes(laid.pdf)
    for doc, placement, styles in zip(docs, laid.pages.articles, laid.styles, strict=True):
        assert [b.page for b in placement.breaks] == list(
            range(placement.first, placement.last + 1)
        )
        options = Options(pages=pagination(issue, doc, placement.first, placement.last))
        own = article_pdf.render(replace(doc, body=styled(doc.body, styles)), options)
        (tmp_path / f"{doc.slug}.pdf").write_bytes(own)
        for k in range(placement.last - placement.first + 1):
            mine = pdftotext(tmp_path / f"{doc.slug}.pdf", k + 1, k + 1).splitlines()
            theirs = pdftotext(tmp_path / "issue.pdf", placement.first + k, placement.first + k)
            assert [x for x in mine if x.strip()][1:-1] == [
                x for x in theirs.splitlines() if x.strip()
            ][1:-1], (doc.slug, k + 1)


def test_an_issue_in_french_is_numbered_and_dated_in_french(tmp_path: Path) -> None:
    folder = shutil.copytree(ISSUE, tmp_path / NAME)
    text = (folder / "issue.yaml").read_text(encoding="utf-8")
    (folder / "issue.yaml").write_text(
        text.replace("date: 2005-01", "date: 2005-02") + "lang: fr\n", encoding="utf-8"
    )
    issue, messages = _load(folder)
    assert issue is not None, messages
    assert issue.numbering == ("Volume 3", "Numéro 2")
    assert issue.date_text == "février 2005"


def test_a_note_longer_than_a_page_is_kept_whole_in_the_issue_too(tmp_path: Path) -> None:
    """The issue sets it after its article's text, as the article's own PDF does, so
    that both still break their pages alike."""
    import io

    import pdfplumber

    folder = tmp_path / "long-notes"
    folder.mkdir()
    long = " ".join(f"Sentence {i} of a very long note." for i in range(1, 200))
    (folder / "a.md").write_text(
        "---\ntitle: A\n---\n\nA short note.[^a] A long one.[^b]\n\n"
        f"[^a]: Short.\n\n[^b]: {long}\n",
        encoding="utf-8",
    )
    (folder / "b.md").write_text("---\ntitle: B\n---\n\nText of B.\n", encoding="utf-8")
    (folder / "issue.yaml").write_text("publication: P\nvolume: 1\nissue: 1\ndate: 2020\n")
    result = run_publish("build", folder, "--out", tmp_path / "build", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    issue = (tmp_path / "build" / "long-notes" / "long-notes.pdf").read_bytes()
    pages = pdfplumber.open(io.BytesIO(issue)).pages
    text = re.sub("\u2010\\s*\n", "", "\n".join(p.extract_text() for p in pages))
    found = {int(n) for n in re.findall(r"Sentence (\d+) of", " ".join(text.split()))}
    assert found == set(range(1, 200))
    for p in pages:  # nothing drawn above the top margin
        assert all(c["top"] >= 0 for c in p.chars)
    summary = json.loads((tmp_path / "build" / "long-notes" / ".publish-issue.json").read_text())
    own = pdfplumber.open(tmp_path / "build" / "a" / "a.pdf").pages
    first, last = summary["articles"][0]["first"], summary["articles"][0]["last"]
    assert len(own) == last - first + 1


def test_a_page_that_begins_with_a_paragraph_takes_no_line_of_its_own(built: Path) -> None:
    """The marker of a page that begins with a block stands between blocks: on the web
    page it adds no empty line, and its number is level with the block's first line."""
    from publish.proof.browser import chromium

    article = built / "financing-networks" / "financing-networks.html"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(article.as_uri())
        found = page.evaluate(
            """() => [...document.querySelectorAll('.text > .pagebreak')].map(m => [
                m.getBoundingClientRect().height, getComputedStyle(m, '::after').content,
            ])"""
        )
        page.close()
    assert found, "the article's first page begins at its text"
    for height, label in found:
        assert height == 0 and label.strip('"').isdigit(), found
