"""Front matter as journals write it (issue 21): papers in the metadata schemas of Open
Journals (JOSS), R Markdown's rticles, a Jekyll journal, a Hugo site with CSL-style
names, and Quarto, built into their three editions; what a reader gets of their
authors, affiliations, marks and notes, keywords, dates and ORCID iDs."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, copy_manuscript, pdftotext, run_publish
from lxml import etree, html
from manuscripts_kit import reader_editions
from reading import XHTML, epub_documents, html_tree

from publish.check import check_paths
from publish.diagnostics import ManuscriptError
from publish.document import IDS
from publish.editions import EDITIONS
from publish.options import Options
from publish.read import read
from publish.read.notes_in_names import lift

FOLDER = ROOT / "tests" / "manuscripts" / "journals"
CORONA = "Department of Earth Sciences, University of Coimbra, Portugal"
NORWAY = "Norwegian Mapping Authority, Hønefoss, Norway"
LISBON = "Instituto Dom Luiz, University of Lisbon, Portugal"
PORTO = "Department of History, University of Porto, Porto, Portugal"
MUSEUM = "Maritime Museum, Aveiro, Portugal"
EXPECTED = {
    # JOSS: "1, 3", 3 and [2] name affiliations by their 'index', not their place.
    "joss": {
        "Ana Souza": [CORONA, NORWAY],
        "Ludwig van Berg": [NORWAY],
        "Kari Nordmann": [LISBON],
        "Tomás Ríos": [LISBON, NORWAY],
    },
    # rticles (PNAS): "a,1,2" mixes an address code with the codes of two notes.
    "rticles": {
        "Alice Martins": [PORTO],
        "Bob Ferreira": [PORTO, MUSEUM],
        "Carla Dias": [MUSEUM],
    },
    "jekyll": {
        "Marie Dubois": ["Université de Lille, IRHiS"],
        "Jonas Weber": ["University of Bern, Institute of History"],
    },
    "hugo": {
        "Theo van Gogh": ["Universiteit van Amsterdam"],
        "Lena Schulz Jr.": ["Universität Hamburg"],
    },
    "quarto": {
        "Ana Souza": ["University of Coimbra, Portugal"],
        "Jonas Weber": ["University of Bern, Switzerland"],
    },
}
KEYWORDS = {
    "joss": "Python; oceanography; sea level; archives",
    "rticles": "harbours; ledgers",
    "jekyll": "marginalia; digitisation",
    "hugo": "shipping; Hamburg",
    "quarto": "ports; trade",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    out = tmp_path_factory.mktemp("journals")
    folders: dict[str, Path] = {}

    def folder(name: str) -> Path:
        if name not in folders:
            folders[name] = reader_editions(FOLDER / f"{name}.md", out)
        return folders[name]

    return folder


def _page_affiliations(header: etree._Element, names: list[str]) -> dict[str, list[str]]:
    """Each author's affiliations as a reader finds them: by the numbers after the
    name in the byline, or, when all share them, the one line of affiliations."""
    (byline,) = header.xpath('.//*[@class="byline"]')
    numbered = header.xpath('.//*[@class="affiliations"]/*[local-name()="li"]')
    if not numbered:
        (line,) = header.xpath('.//*[@class="affiliations"]')
        shared = [s.text_content() for s in line.xpath('.//*[@class="affiliation"]')]
        return dict.fromkeys(names, shared)
    listed = [li.xpath('.//*[@class="affiliation"]')[0].xpath("string()") for li in numbered]
    markup = re.sub(r"\s+xmlns(:\w+)?=\"[^\"]*\"", "", etree.tostring(byline, encoding=str))
    found = {}
    for name in names:
        match = re.search(
            re.escape(name) + r'(?:</\w+>)*<sup class="affiliation-ref">([\d,]+)</sup>', markup
        )
        assert match, (name, markup)
        found[name] = [listed[int(n) - 1] for n in match.group(1).split(",")]
    return found


def _highwire(tree: html.HtmlElement) -> dict[str, list[str]]:
    """``citation_author_institution`` tags under the ``citation_author`` before them."""
    found: dict[str, list[str]] = {}
    author = ""
    for meta in tree.xpath("//meta[starts-with(@name, 'citation_author')]"):
        if meta.get("name") == "citation_author":
            author = meta.get("content")
            found[author] = []
        elif meta.get("name") == "citation_author_institution":
            found[author].append(meta.get("content"))
    return found


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_author_has_exactly_their_affiliations_in_every_edition(
    built: Callable[[str], Path], name: str
) -> None:
    folder = built(name)
    expected = EXPECTED[name]
    tree = html_tree(folder / f"{name}.html")
    (header,) = tree.xpath('//header[@class="title-block"]')
    assert _page_affiliations(header, list(expected)) == expected
    (article,) = epub_documents(folder / f"{name}.epub")
    (epub_header,) = article.xpath('//x:header[@class="title-block"]', namespaces=XHTML)
    assert _page_affiliations(epub_header, list(expected)) == expected
    # Highwire tags: each author, then exactly their institutions.
    by_tag = _highwire(tree)
    doc = read(FOLDER / f"{name}.md")
    assert by_tag == {a.file_as: expected[a.name.text] for a in doc.meta.authors}
    # schema.org's author records too.
    ld = json.loads(tree.xpath('//script[@type="application/ld+json"]')[0].text)
    people = {p["name"]: [o["name"] for o in p.get("affiliation", [])] for p in ld["author"]}
    assert people == expected
    # The PDF prints every affiliation.
    text = " ".join(pdftotext(folder / f"{name}.pdf", 1, 1).split())
    for affiliations in expected.values():
        for affiliation in affiliations:
            assert affiliation in text


@pytest.mark.parametrize("name", list(EXPECTED))
def test_keywords_from_tags_or_keywords(built: Callable[[str], Path], name: str) -> None:
    tree = html_tree(built(name) / f"{name}.html")
    (keywords,) = tree.xpath("//meta[@name='citation_keywords']/@content")
    assert keywords == KEYWORDS[name]


def test_joss_known_keys_are_read_quietly_and_names_from_their_parts() -> None:
    doc = read(FOLDER / "joss.md")
    assert not [d for d in doc.diagnostics if "unknown" in d.message]
    berg = doc.meta.authors[1]
    assert (berg.name.text, berg.given, berg.family) == ("Ludwig van Berg", "Ludwig", "Berg")
    # Open Journals' bare ROR id becomes its address (schema.org sameAs).
    assert doc.meta.affiliations[0].ror == "https://ror.org/04z8k9a98"


def test_notes_in_names_become_marked_lines_under_the_byline(
    built: Callable[[str], Path],
) -> None:
    folder = built("joss")
    tree = html_tree(folder / "joss.html")
    (byline,) = tree.xpath('//p[@class="byline"]')
    text = " ".join(byline.text_content().split())
    # The name is a name again; the note's mark follows it.
    assert "Ana Souza1,2*" in text and "^[" not in text
    assert "Ludwig van Berg2†" in text and "Kari Nordmann3†" in text
    assert "Tomás Ríos3,2‡" in text
    lines = [" ".join(p.text_content().split()) for p in tree.xpath('//p[@class="correspondence"]')]
    notes = [
        " ".join(p.text_content().split())
        for p in tree.xpath('//p[@class="correspondence byline-note"]')
    ]
    assert lines == ["* Correspondence: Ana Souza, ana.souza@example.org"]
    assert notes == [
        "† These authors contributed equally",
        "‡ Now at the Instituto Hidrográfico, Lisbon",
    ]
    # Never an orphan note: no list of notes without a call, in the HTML or the EPUB.
    assert not tree.xpath(f'//*[@id="{IDS.notes_heading}"]')
    (article,) = epub_documents(folder / "joss.epub")
    epub_text = " ".join("".join(article.itertext()).split())
    assert "‡ Now at the Instituto Hidrográfico, Lisbon" in epub_text
    assert not article.xpath('//*[@epub:type="footnote"]', namespaces=XHTML)
    # The PDF prints the note with its mark (it was missing there).
    pdf = " ".join(pdftotext(folder / "joss.pdf", 1, 1).split())
    assert "Now at the Instituto Hidrográfico, Lisbon" in pdf
    assert "These authors contributed equally" in pdf


def test_rticles_codes_for_notes_mark_the_authors(built: Callable[[str], Path]) -> None:
    tree = html_tree(built("rticles") / "rticles.html")
    text = " ".join(tree.xpath('//p[@class="byline"]')[0].text_content().split())
    assert "Alice Martins1*†" in text and "Bob Ferreira1,2†" in text and "Carla Dias2‡" in text
    notes = [
        " ".join(p.text_content().split())
        for p in tree.xpath('//p[@class="correspondence byline-note"]')
    ]
    assert notes == ["† A.M. and B.F. contributed equally to this work.", "‡ Retired."]


def test_orcid_ids_are_the_id_mark_linked_to_the_record(built: Callable[[str], Path]) -> None:
    folder = built("joss")
    tree = html_tree(folder / "joss.html")
    links = tree.xpath('//p[@class="byline"]//a[@class="orcid"]')
    assert [(a.get("href"), a.get("aria-label")) for a in links] == [
        ("https://orcid.org/0000-0002-1825-0097", "ORCID iD of Ana Souza"),
        ("https://orcid.org/0000-0001-5109-3700", "ORCID iD of Kari Nordmann"),
    ]
    for link in links:
        assert link.text_content().strip() == ""  # no word "ORCID" in the byline
        assert link.xpath('./*[local-name()="svg"]/*[@fill="#A6CE39"]')
    (article,) = epub_documents(folder / "joss.epub")
    marks = article.xpath('//x:p[@class="byline"]//x:a[@class="orcid"]', namespaces=XHTML)
    assert [a.get("aria-label") for a in marks] == [a.get("aria-label") for a in links]
    assert all("data:image/svg+xml;base64," in a[0].get("style") for a in marks)
    pdf = pdftotext(folder / "joss.pdf", 1, 1)
    assert "ORCID" not in pdf and "orcid" not in pdf


def test_jekyll_doi_given_as_an_address(built: Callable[[str], Path]) -> None:
    tree = html_tree(built("jekyll") / "jekyll.html")
    assert tree.xpath("//meta[@name='citation_doi']/@content") == ["10.5555/jdh.2024.12"]


def test_quarto_long_and_short_title_and_a_day_first_date() -> None:
    doc = read(FOLDER / "quarto.md")
    assert doc.meta.title.text.startswith("Ships, harbours and ledgers: counting")
    assert doc.meta.short_title is not None
    assert doc.meta.short_title.text == "Ships, harbours and ledgers"
    # en-GB writes the day first: 7 December, with a warning that says so.
    assert doc.meta.date == "2024-12-07"
    (warning,) = [str(d) for d in doc.diagnostics if "date" in d.message]
    assert warning.endswith(
        "quarto.md:6: warning: 'date: 07/12/2024' could name two days: read as 2024-12-07 "
        "(day first, as 'lang: en-GB' writes dates); write 2024-12-07 to say which"
    )


@pytest.mark.parametrize(
    ("lang", "written", "day", "warned"),
    [
        ("en", "07/12/2024", "2024-07-12", True),
        ("en-US", "07-12-24", "2024-07-12", True),
        ("fr", "07/12/2024", "2024-12-07", True),
        ("en", "13/12/2024", "2024-12-13", False),
        ("de", "12/13/2024", "2024-12-13", False),
        ("en", "12 07 2024", "2024-07-12", False),
        ("en", "07 12, 2024", "2024-07-12", False),
    ],
)
def test_numeric_dates_in_quartos_forms(
    tmp_path: Path, lang: str, written: str, day: str, warned: bool
) -> None:
    doc = read(
        copy_manuscript(f"---\ntitle: T\nlang: {lang}\ndate: {written}\n---\n\nText.\n", tmp_path)
    )
    assert doc.meta.date == day
    assert any("could name two days" in d.message for d in doc.diagnostics) == warned


def test_an_unknown_key_still_warns_with_a_hint(tmp_path: Path) -> None:
    front = (
        "title: T\ntags: [a]\naas-journal: ApJ\nauthors:\n"
        "  - first: A\n    last: B\n    afiliation: X"
    )
    doc = read(copy_manuscript(f"---\n{front}\n---\n\nText.\n", tmp_path))
    messages = [(d.line, d.message) for d in doc.diagnostics]
    assert messages == [(8, "unknown author key 'afiliation': did you mean 'affiliation'?")]


def test_an_index_that_names_no_affiliation_is_a_located_error(tmp_path: Path) -> None:
    front = (
        'title: T\nauthors:\n  - name: A\n    affiliation: "1, 4"\n'
        "affiliations:\n  - name: X\n    index: 1"
    )
    with pytest.raises(ManuscriptError) as caught:
        read(copy_manuscript(f"---\n{front}\n---\n\nText.\n", tmp_path))
    assert "article.md:5: error: affiliation 'ref: 4' names no affiliation" in str(caught.value)


def test_affiliation_text_with_commas_is_one_affiliation(tmp_path: Path) -> None:
    front = "title: T\nauthor:\n  - name: A\n    affiliation: University of X, Dept of Y, Paris"
    doc = read(copy_manuscript(f"---\n{front}\n---\n\nText.\n", tmp_path))
    assert [a.name.text for a in doc.meta.authors[0].affiliations] == [
        "University of X, Dept of Y, Paris"
    ]


def test_lift_keeps_brackets_inside_a_note() -> None:
    assert lift("Jane Doe^[see [this](https://x.org)] ") == (
        "Jane Doe",
        ["see [this](https://x.org)"],
    )
    assert lift("Jane ^[open") == ("Jane ^[open", [])
    assert lift("Plain Name") == ("Plain Name", [])


def test_publish_check_is_clean_on_a_joss_paper(
    built: Callable[[str], Path], tmp_path: Path
) -> None:
    folder = built("joss")
    shutil.copytree(folder, tmp_path / "joss")
    report = tmp_path / "report.json"
    code = check_paths([tmp_path / "joss"], json_out=report, stream=io.StringIO())
    findings = [
        (check["check"], check["findings"][:3])
        for edition in json.loads(report.read_text())["editions"]
        for check in edition["checks"]
        if not check["passed"]
    ]
    assert code == 0 and not findings, findings
    with zipfile.ZipFile(folder / "joss.epub") as z:
        assert "RSC-012" not in z.read("EPUB/article.xhtml").decode()


JOSS = SHARED / "corpus" / "joss"


@pytest.mark.skipif(not JOSS.is_dir(), reason="the shared corpus is not here")
def test_the_corpus_joss_papers_lose_no_affiliation(tmp_path: Path) -> None:
    """Each of the four JOSS papers, from its own folder: every author's affiliations,
    as its front matter names them by index, in the Highwire tags."""
    for n, paper in enumerate(sorted(JOSS.glob("**/paper.md"))):
        # The front matter alone: what the body asks of other parts is not this test's.
        text = paper.read_text(encoding="utf-8")
        front = text[: text.index("\n---", 4) + 4]
        for bib in paper.parent.glob("*.bib"):
            (tmp_path / str(n)).mkdir(exist_ok=True)
            shutil.copy(bib, tmp_path / str(n) / bib.name)
        doc = read(copy_manuscript(front + "\n\nText.\n", tmp_path / str(n), "paper.md"))
        assert not [d for d in doc.diagnostics if "unknown" in d.message], paper
        for author in doc.meta.authors:
            assert author.affiliations, (paper, author.name.text)
            for affiliation in author.affiliations:
                assert not re.fullmatch(r"[\d, ]+", affiliation.name.text), paper
    result = run_publish("build", JOSS / "mg-mamposst" / "paper.md", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    tree = html_tree(tmp_path / "out" / "paper" / "paper.html")
    assert _highwire(tree)["Biviano, Andrea"] == [
        "INAF, Osservatorio Astronomico di Trieste, via Tiepolo 11, 34143 Trieste, Italy",
        "IFPU, Institute for Fundamental Physics of the Universe, via Beirut 2, 34014 "
        "Trieste, Italy",
    ]


def test_notes_in_a_title_or_a_shared_affiliation_are_never_orphans(tmp_path: Path) -> None:
    front = (
        'title: "A title^[with a note]"\nauthor:\n  - name: Ann Lee\n    affiliations: [{ref: x}]\n'
        "  - name: Bo Li\n    affiliations: [{ref: x}]\naffiliations:\n"
        '  - id: x\n    name: "University of X^[Visiting scholars]"'
    )
    source = copy_manuscript(f"---\n{front}\n---\n\nText.[^1]\n\n[^1]: The one note.\n", tmp_path)
    doc = read(source)
    (warning,) = [str(d) for d in doc.diagnostics]
    assert warning.endswith(
        "article.md:2: warning: a note in 'title' is left out: a metadata "
        "field holds no notes; put the note in the text, or its words in the field"
    )
    assert [n.html for n in doc.notes] == ["<p>The one note.</p>"]
    assert [a.marks for a in doc.meta.authors] == ["‡", "‡"]
    assert [n.words.text for n in doc.meta.byline_notes] == ["Visiting scholars"]
    assert doc.meta.affiliations[0].name.text == "University of X"
    page = EDITIONS["html"](doc, Options()).decode()
    assert page.count('<a href="#fnref') == 1 and page.count('id="fnref') == 1


def test_an_author_note_that_does_not_name_its_author_begins_with_the_name(
    tmp_path: Path,
) -> None:
    """Elsevier's template: "This is the first author footnote." under "About the
    authors" says nothing of whose it is; a note that names its author is left as is."""
    from lxml import html

    from publish.editions.registry import EDITIONS
    from publish.options import Options
    from publish.read import read

    manuscript = tmp_path / "m.md"
    manuscript.write_text(
        "---\ntitle: T\nauthor:\n"
        "  - name: Alice Anonymous\n    note: This is the first author footnote.\n"
        "  - name: Bob Security\n    note: Bob Security teaches at Another University.\n"
        "---\n\nText.\n",
        encoding="utf-8",
    )
    page = html.fromstring(EDITIONS["html"].render(read(manuscript), Options()))
    notes = [" ".join(p.text_content().split()) for p in page.find_class("author-note")]
    assert notes == [
        "Alice Anonymous: This is the first author footnote.",
        "Bob Security teaches at Another University.",
    ]
