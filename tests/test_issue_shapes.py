"""Issues of other shapes than the test issue's, built once as a user builds them:

- ``harbour-special``: a special issue (no volume, no number) of twelve articles, with a
  cover image, two editors and every article on a right-hand page; one article without
  notes, one with a hundred, one with four authors, one with code;
- ``apparatus``: the scholarly manuscript (citations as notes in Chicago's style, a
  figure, a table, a labelled equation) and the figures manuscript (figures moved to
  fill their pages, formulas, code, long tables);
- ``fa issue (2023)``: an issue in Persian, right to left, with an English article.

What is asserted is what a reader gets: the contents page gives the pages where the
articles begin, folios and running heads are right, blank pages are blank, every
article's own PDF has the pages it has in the issue, the EPUBs' page-lists are whole,
formulas are tagged, and bad ``issue.yaml`` files get located errors.
"""

from __future__ import annotations

import io
import json
import random
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, run_publish
from lxml import etree, html
from reading import formula_alts

from publish.diagnostics import Collector
from publish.periodical import schema
from publish.periodical.contents import SUMMARY
from publish.periodical.links import check_links

MANUSCRIPTS = ROOT / "tests" / "manuscripts"
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
WORDS = (
    "harbour ledger cargo customs merchant tariff voyage quay warehouse clerk manifest "
    "pilot tide crane barge anchor charter broker freight insurance"
).split()
NAMES = [
    "Ana Lima",
    "Bo Chen",
    "Chidi Okafor",
    "Dara Ní Bhriain",
    "Emil Žák",
    "Fatima Zahra",
    "Gunnar Åberg",
    "Hana Kimura",
    "Ines Duarte",
    "Jonas Weber",
    "Kofi Mensah",
    "Lea Roux",
]
CODE = "`x::y -> z // ok != no`"
"""Code whose characters a ligature-drawing font would hide from the PDF's text."""


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def _article(
    rng: random.Random, title: str, authors: list[str], paragraphs: int, notes: int, extra: str = ""
) -> str:
    body, definitions, n = [], [], 0
    per = -(-notes // paragraphs) if notes else 0
    for i in range(paragraphs):
        if i % 5 == 0:
            body.append(f"## Part {i // 5 + 1}\n")
        text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        for _ in range(per):
            if n < notes:
                n += 1
                text += f"[^{n}]"
                definitions.append(f"[^{n}]: {_sentence(rng, 3, 8)}")
        body.append(text + "\n")
    people = "\n".join(f"  - name: {a}" for a in authors)
    return (
        f"---\ntitle: {title}\nauthor:\n{people}\nabstract: {_sentence(rng)}\n---\n\n"
        + "\n".join(body)
        + extra
        + "\n\n"
        + "\n\n".join(definitions)
        + "\n"
    )


def _special(folder: Path) -> None:
    from PIL import Image

    folder.mkdir()
    rng = random.Random(12)
    listed = []
    for i in range(12):
        notes = {2: 0, 6: 100}.get(i, 1 + i % 3)
        authors = NAMES[i : i + (4 if i == 4 else 1 + i % 2)]
        title = f"Article {i + 1} on " + " ".join(rng.choice(WORDS) for _ in range(3)).title()
        extra = f"\nThe ledger reads {CODE} in its margin.\n" if i == 1 else ""
        name = f"{i + 1:02d}-article.md"
        paragraphs = 24 if i == 6 else 1 + i % 4
        (folder / name).write_text(
            _article(rng, title, authors, paragraphs, notes, extra), encoding="utf-8"
        )
        listed.append(name)
    # A photograph's cover, with where it was taken: that must not be published.
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"
    exif[0x8825] = {1: "N", 2: (59.0, 26.0, 0.0)}
    Image.new("RGB", (300, 420), (30, 60, 110)).save(folder / "cover.jpg", exif=exif)
    (folder / "issue.yaml").write_text(
        "publication: Harbour Studies\ndate: 2024-11\nissn: 2049-3630\npublisher: Quay Press\n"
        "title: Ports and their ledgers\neditors:\n  - Mira Stone\n  - name: Olu Bello\n"
        "recto: true\ncover: cover.jpg\narticles:\n" + "".join(f"  - {n}\n" for n in listed),
        encoding="utf-8",
    )


def _apparatus(folder: Path) -> None:
    folder.mkdir()
    for name in ("scholarly/refs.bib", "scholarly/chart.png", "figures/figures.md"):
        shutil.copy(MANUSCRIPTS / name, folder)
    for name in ("chart.svg", "photograph.jpg", "routes.svg"):
        shutil.copy(MANUSCRIPTS / "figures" / name, folder)
    text = (MANUSCRIPTS / "scholarly" / "scholarly.md").read_text(encoding="utf-8")
    # Citations as notes: numbered with the article's own notes, per article.
    text = text.replace(
        "bibliography: refs.bib\n", "bibliography: refs.bib\ncsl: chicago-notes-bibliography\n"
    )
    (folder / "scholarly.md").write_text(text, encoding="utf-8")
    (folder / "issue.yaml").write_text(
        "publication: Journal of Print Culture\nvolume: 7\nissue: 3\ndate: 2025-06\n"
        "issn: 2049-3630\narticles:\n  - scholarly.md\n  - figures.md\n",
        encoding="utf-8",
    )


def _persian(folder: Path) -> None:
    folder.mkdir()
    text = (MANUSCRIPTS / "persian" / "persian.md").read_text(encoding="utf-8")
    keep = [x for x in text.splitlines() if not x.startswith(("publication:", "volume:", "issue:"))]
    (folder / "a-persian.md").write_text("\n".join(keep) + "\n", encoding="utf-8")
    rng = random.Random(3)
    english = _article(rng, "Ports and Ledgers", ["Ana Lima"], 3, 2)
    (folder / "b-english.md").write_text(english.replace("---\n\n", "lang: en\n---\n\n", 1))
    (folder / "issue.yaml").write_text(
        "publication: مطالعات کتاب\nvolume: 2\nissue: 1\ndate: 2023\nlang: fa\nrecto: true\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    issues = tmp_path_factory.mktemp("shapes")
    _special(issues / "harbour-special")
    _apparatus(issues / "apparatus")
    _persian(issues / "fa issue (2023)")
    build = issues.parent / f"{issues.name}-build"
    result = run_publish("build", issues, "--out", build, "--base-url", "https://example.org/")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return build


def _summary(out: Path, name: str) -> dict:
    return json.loads((out / name / SUMMARY).read_text(encoding="utf-8"))


def _text(pdf: Path, page: int) -> str:
    import subprocess

    args = ["pdftotext", "-enc", "UTF-8", "-layout", "-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True).stdout


def _lines(text: str) -> list[str]:
    text = re.sub("[\u200e\u200f\u202a-\u202e]", "", text)  # bidi marks pdftotext adds
    return [" ".join(x.split()) for x in text.splitlines() if x.strip()]


def _squash(text: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010\u200b-\u200f]+", "", text).casefold()


def _pages(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


ISSUES = ["harbour-special", "apparatus", "fa issue (2023)"]


@pytest.mark.parametrize("name", ISSUES)
def test_contents_gives_the_pages_where_articles_begin(out: Path, name: str) -> None:
    pdf = out / name / f"{name}.pdf"
    contents = _lines(_text(pdf, 2))
    articles = _summary(out, name)["articles"]
    for i, article in enumerate(articles):
        first = article["first"]
        assert _squash(article["title_text"])[:25] in _squash(_text(pdf, first))[:600], article
        if first - 1 > 2:  # not already on the page before (a number one too high)
            before = _squash(_text(pdf, first - 1))
            assert _squash(article["title_text"])[:25] not in before, article
        # The contents line with the title ends with (LTR) or starts with (RTL) its page.
        line = next(x for x in contents if _squash(article["title_text"])[:12] in _squash(x))
        assert re.search(rf"(^{first}\b|\b{first}$)", line), (line, first)
        if i + 1 < len(articles):
            assert article["last"] < articles[i + 1]["first"]
    assert articles[-1]["last"] == _pages(pdf)


def test_a_contents_page_with_twelve_articles_and_bylines_without_links(out: Path) -> None:
    pdf = out / "harbour-special" / "harbour-special.pdf"
    text = _squash(_text(pdf, 2))
    assert all(_squash(n) in text for n in NAMES)
    assert "orcid" not in text
    page = html.fromstring((out / "harbour-special" / "index.html").read_bytes())
    for byline in page.xpath("//p[@class='byline']"):
        assert byline.xpath(".//a") == [] and byline.xpath(".//sup") == []
    scholarly = html.fromstring((out / "apparatus" / "index.html").read_bytes())
    assert scholarly.xpath("//p[@class='byline']//a") == []  # the article's ORCID links


def test_folios_running_heads_and_blank_versos(out: Path) -> None:
    """Every page but the cover carries its folio; a right-hand page its article's head
    ('et al.' past two authors), a left-hand one the publication's; the pages left blank
    before a right-hand start carry nothing."""
    name = "harbour-special"
    pdf = out / name / f"{name}.pdf"
    articles = _summary(out, name)["articles"]
    assert all(a["first"] % 2 == 1 for a in articles)
    owner = {p: a for a in articles for p in range(a["first"], a["last"] + 1)}
    for page in range(2, _pages(pdf) + 1):
        lines = _lines(_text(pdf, page))
        if page not in owner and page != 2:
            assert lines == [], (page, lines)  # blank verso
            continue
        assert lines[-1] == str(page), (page, lines[-1])
        article = owner.get(page)
        if article is None or page == article["first"]:
            continue
        if page % 2:
            authors = article["authors"]
            who = f"{authors[0]} et al." if len(authors) > 2 else " and ".join(authors)
            assert lines[0].startswith(who), (page, lines[0])
        else:
            assert lines[0] == "Harbour Studies", (page, lines[0])
    with pikepdf.open(pdf) as doc:
        labels = doc.Root.PageLabels.Nums
        assert list(labels) == [0, pikepdf.Dictionary(S=pikepdf.Name.D)]


def test_cover_image_published_without_its_camera_metadata(out: Path) -> None:
    from PIL import Image

    name = "harbour-special"
    with zipfile.ZipFile(out / name / f"{name}.epub") as archive:
        data = archive.read("EPUB/images/cover.jpg")
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
    with pikepdf.open(out / name / f"{name}.pdf") as doc:
        first = doc.pages[0]
        images = [first.Resources.XObject[k] for k in first.Resources.XObject.keys()]
        assert any(x.get("/Subtype") == "/Image" for x in images)
        assert b"Camera Maker" not in b"".join(x.read_raw_bytes() for x in images)
    page = (out / name / "index.html").read_text(encoding="utf-8")
    assert 'src="data:image/jpeg;base64,' in page


def test_special_issue_is_named_without_volume_or_number(out: Path) -> None:
    name = "harbour-special"
    pdf = out / name / f"{name}.pdf"
    assert "Volume" not in _text(pdf, 2) and "Issue" not in _text(pdf, 2)
    with zipfile.ZipFile(out / name / f"{name}.epub") as archive:
        opf = archive.read("EPUB/content.opf").decode()
    assert "<dc:title>Harbour Studies: Ports and their ledgers</dc:title>" in opf
    assert 'id="volume"' not in opf
    page = (out / name / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'ld\+json">\s*(.*?)</script>', page, re.S).group(1))
    assert data["isPartOf"]["@type"] == "Periodical" and "issueNumber" not in data
    archive = (out / "index.html").read_text(encoding="utf-8")
    assert "Special issues" in archive and "Volume 7" in archive
    # An article of the issue cites it by its name.
    article = (out / "01-article" / "01-article.html").read_text(encoding="utf-8")
    assert 'name="citation_journal_title" content="Harbour Studies"' in article
    assert 'name="citation_volume"' not in article
    with zipfile.ZipFile(out / "01-article" / "01-article.epub") as archive:
        opf = archive.read("EPUB/content.opf").decode()
    pages = _summary(out, name)["articles"][0]["pages"]
    assert f"Harbour Studies (November 2024): {pages}<" in opf


def test_notes_per_article_none_and_a_hundred(out: Path) -> None:
    """Notes numbered from 1 in each article: the hundredth article note is in the issue,
    on the pages of its article; the article without notes has no note area."""
    name = "harbour-special"
    pdf = out / name / f"{name}.pdf"
    articles = _summary(out, name)["articles"]
    hundred = articles[6]
    text = "".join(_text(pdf, p) for p in range(hundred["first"], hundred["last"] + 1))
    assert re.search(r"^\s*100\. ", text, re.M)
    none = articles[2]
    text = "".join(_text(pdf, p) for p in range(none["first"], none["last"] + 1))
    assert not re.search(r"^\s*1\. \w", text, re.M)


@pytest.mark.parametrize("name", ISSUES)
def test_each_article_pdf_has_its_issue_pages(out: Path, name: str) -> None:
    """Its own PDF breaks its pages where the issue does (figures moved alike, notes
    kept with their calls): the same lines on each page, running heads aside."""
    pdf = out / name / f"{name}.pdf"
    for article in _summary(out, name)["articles"]:
        own = out / article["slug"] / f"{article['slug']}.pdf"
        count = article["last"] - article["first"] + 1
        assert _pages(own) == count, article["slug"]
        for k in range(count):
            mine = _lines(_text(own, k + 1))[1:-1]
            theirs = _lines(_text(pdf, article["first"] + k))[1:-1]
            if k == count - 1 and not theirs:
                continue
            assert mine == theirs, (article["slug"], k + 1)


def test_code_keeps_its_characters_in_the_pdf(out: Path) -> None:
    pdf = out / "harbour-special" / "harbour-special.pdf"
    article = _summary(out, "harbour-special")["articles"][1]
    text = "".join(_text(pdf, p) for p in range(article["first"], article["last"] + 1))
    assert CODE.strip("`") in " ".join(text.split())


def test_scholarly_apparatus_in_the_issue_pdf(out: Path) -> None:
    """Citations as notes restart per article with its own notes; the bibliography, the
    table and the figure are there; formulas are tagged /Formula with their TeX."""
    pdf = out / "apparatus" / "apparatus.pdf"
    article = _summary(out, "apparatus")["articles"][0]
    text = "".join(_text(pdf, p) for p in range(article["first"], article["last"] + 1))
    assert "Grafton" in text and "Table 1" in text and "Figure 1" in text
    assert re.search(r"^\s*1\. ", text, re.M)
    formulas = formula_alts(pdf)
    assert "r = n / p" in formulas
    assert all(not f.startswith("\u2063") for f in formulas)
    assert len(formulas) >= 4  # the scholarly article's and the figures article's


@pytest.mark.parametrize("name", ISSUES)
def test_issue_epub_page_list_reaches_every_printed_page(out: Path, name: str) -> None:
    total = _pages(out / name / f"{name}.pdf")
    with zipfile.ZipFile(out / name / f"{name}.epub") as archive:
        nav = etree.fromstring(archive.read("EPUB/nav.xhtml"))
        links = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=XHTML)
        assert [a.text for a in links] == [str(n) for n in range(1, total + 1)]
        for link in links:
            document, _, fragment = link.get("href").partition("#")
            tree = etree.fromstring(archive.read(f"EPUB/{document}"))
            assert tree.xpath(f"//*[@id='{fragment}']"), link.get("href")
        articles = nav.xpath("//x:nav[@epub:type='toc']/x:ol/x:li", namespaces=XHTML)
        assert len(articles) == 1 + len(_summary(out, name)["articles"])


def test_right_to_left_issue(out: Path) -> None:
    """The contents documents of an issue in Persian are right to left; each article
    keeps its own language and direction; a recto is a left-hand page there, and still
    has an odd folio."""
    name = "fa issue (2023)"
    assert all(a["first"] % 2 == 1 for a in _summary(out, name)["articles"])
    with zipfile.ZipFile(out / name / f"{name}.epub") as archive:
        for document in ("contents.xhtml", "nav.xhtml", "title.xhtml"):
            root = etree.fromstring(archive.read(f"EPUB/{document}"))
            assert root.get("dir") == "rtl", document
        opf = archive.read("EPUB/content.opf").decode()
    assert 'page-progression-direction="rtl"' in opf
    page = html.fromstring((out / name / "index.html").read_bytes())
    assert page.get("dir") == "rtl"
    # The folder's name, with spaces, in a link: quoted, and reaching the file.
    hrefs = page.xpath("//a/@href")
    assert "fa%20issue%20%282023%29.pdf" in hrefs
    assert check_links(out / name / "index.html").findings == []
    home = html.fromstring((out / "index.html").read_bytes())
    assert "fa%20issue%20%282023%29/index.html" in home.xpath("//a/@href")
    english = page.xpath("//ol[@class='articles']/li")[1]
    assert english.get("lang") == "en" and english.get("dir") == "ltr"
    # The English article's own page names its Persian journal in Persian, right to left.
    own = html.fromstring((out / "b-english" / "b-english.html").read_bytes())
    marked = own.xpath("//*[@lang='fa'][contains(., 'مطالعات کتاب')]")
    assert marked and marked[0].get("dir") == "rtl", etree.tostring(own.body)[:2000]


BAD = {
    "wrong types": (
        "publication: [a, b]\nvolume: {x: 1}\nissue: true\ndate: 2020\nrecto: maybe\neditors: 3\n",
        [
            "1: error: 'publication' must be a single value",
            "2: error: 'volume' must be a single value",
            "3: error: 'issue' must be a single value",
            "5: error: 'recto' must be true or false",
            "6: error: each editor must be a name",
        ],
    ),
    "unknown keys": (
        "publication: P\nvolume: 1\nissue: 2\ndate: 2020\ntitel: T\n",
        ["5: warning: unknown issue key 'titel': did you mean 'title'?"],
    ),
    "missing files": (
        "publication: P\ndate: 2020\ncover: cover.jpg\narticles:\n  - one.md\n  - three.md\n",
        [
            "3: error: cover 'cover.jpg' does not exist",
            "6: error: article 'three.md' does not exist",
            "4: warning: two.md is in the issue's folder but not in 'articles'",
        ],
    ),
    "duplicate article": (
        "publication: P\ndate: 2020\narticles:\n  - one.md\n  - two.md\n  - one.md\n",
        ["6: error: article 'one.md' is listed twice"],
    ),
    "YAML syntax": (
        "publication: P\ndate: 2020\narticles:\n  - one.md\n - two.md\n",
        ["5: error: malformed YAML"],
    ),
    "key given twice": (
        "publication: P\ndate: 2020\npublication: Q\n",
        ["3: warning: key 'publication' is given twice"],
    ),
    "alias bomb": (
        "publication: P\ndate: 2020\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
        ["error: the front matter expands to more than"],
    ),
    "no publication": ("date: 2020\n", ["1: error: missing 'publication'"]),
    "cover not an image": (
        "publication: P\ndate: 2020\ncover: fake.png\n",
        ["3: error: cover 'fake.png' cannot be used: the file is not an image"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_issue_yaml_is_a_located_error(tmp_path: Path, case: str) -> None:
    text, expected = BAD[case]
    (tmp_path / "issue.yaml").write_text(text, encoding="utf-8")
    for name in ("one", "two"):
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n\nText.\n")
    (tmp_path / "fake.png").write_text("not a picture")
    report = Collector(tmp_path / "issue.yaml")
    issue = schema.load(tmp_path, report)
    messages = [f"{d.line}: {d.severity}: {d.message}" for d in report.items]
    for wanted in expected:
        assert any(wanted in m for m in messages), (wanted, messages)
    if any(": error: " in f" {m}" or m.startswith("None: error") for m in messages):
        assert issue is None


def test_an_article_may_date_itself_within_its_issue(tmp_path: Path) -> None:
    from publish.periodical.articles import read_articles

    (tmp_path / "issue.yaml").write_text("publication: P\nvolume: 1\nissue: 1\ndate: 2025-06\n")
    (tmp_path / "a.md").write_text("---\ntitle: A\ndate: 2025-06-30\n---\n\nText.\n")
    (tmp_path / "b.md").write_text("---\ntitle: B\ndate: 2024-01-02\n---\n\nText.\n")
    issue = schema.load(tmp_path, Collector(tmp_path / "issue.yaml"))
    assert issue is not None
    a, b = read_articles(issue, strict=False, base_url=None)
    assert not any("contradicts" in d.message for d in a.diagnostics)
    assert any("'date: 2024-01-02' contradicts" in d.message for d in b.diagnostics)


def test_a_contents_of_three_pages_and_a_one_page_cover(tmp_path: Path) -> None:
    """Thirty articles: the typeset cover names the first few and stays one page; the
    contents runs over pages 2-4, each entry whole on one page with its number; the
    first article follows the contents."""
    from publish.options import Options
    from publish.periodical import pdf
    from publish.periodical.articles import read_articles

    folder = tmp_path / "long"
    folder.mkdir()
    rng = random.Random(5)
    titles = []
    for i in range(30):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).title()
        titles.append(f"Study {i + 1} of {words}")
        authors = NAMES[i % 12 : i % 12 + 2]
        text = _article(rng, titles[-1], authors, 1, 1)
        (folder / f"{i + 1:02d}.md").write_text(text, encoding="utf-8")
    (folder / "issue.yaml").write_text("publication: Long\nvolume: 1\nissue: 1\ndate: 2020\n")
    issue = schema.load(folder, Collector(folder / "issue.yaml"))
    assert issue is not None
    laid = pdf.render(issue, read_articles(issue, strict=False, base_url=None), Options())
    (tmp_path / "long.pdf").write_bytes(laid.pdf)
    assert _lines(_text(tmp_path / "long.pdf", 2))[0] == "Contents"
    first = laid.pages.articles[0].first
    assert first >= 4
    contents = [_lines(_text(tmp_path / "long.pdf", p)) for p in range(2, first)]
    for title, placement in zip(titles, laid.pages.articles, strict=True):
        page = next(lines for lines in contents if any(title[:20] in x for x in lines))
        line = next(x for x in page if x.startswith(title[:20]))
        assert line.endswith(f" {placement.first}"), (line, placement.first)


def test_plain_code_is_set_alike_in_the_issue_and_the_article() -> None:
    """Numbering the blocks for the layout's read-back must not hide a plain code block
    from the print edition's line splitting (a bare ``<pre><code>``): else the issue set
    it in one block and the article's own PDF in rows, and their pages drifted apart."""
    from publish.periodical.blocks import number, styled

    body = "<p>Text</p>\n<pre><code>one\n\ntwo</code></pre>"
    for marked in (number(body), styled(body, {1: "widows: 2"})):
        assert "<span>one</span>\n<span></span>\n<span>two</span>" in marked
    assert number(body).count("data-pb=") == 2
