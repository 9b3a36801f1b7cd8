"""Issue 10 on the real editions of a scholarly manuscript: citations through citeproc,
the bibliography, cross-references, DOI and ORCID, Quarto's authors and affiliations,
Highwire tags, the OPF's identifiers and creators, the PDF's XMP; and the same
manuscript in a notes style, whose citations fall to the foot of their page."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, copy_manuscript, pdftotext, run_publish
from lxml import etree
from manuscripts_kit import reader_editions
from reading import XHTML, epub_documents, html_tree, xml_reading_text

from publish.check import check_paths
from publish.diagnostics import ManuscriptError
from publish.editions import EDITIONS
from publish.options import Options
from publish.read import read
from publish.read.identifiers import IdentifierError, doi, issn, orcid

FOLDER = ROOT / "tests" / "manuscripts" / "scholarly"
MANUSCRIPT = FOLDER / "scholarly.md"
DOI = "10.5555/jpc.2025.0007"
ORCIDS = ("0000-0002-1825-0097", "0000-0001-5109-3700")
CITED = ("ref-smith2020", "ref-lee2019", "ref-grafton1997")
PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
LEFTOVERS = ("[@", "@fig-", "@tbl-", "@eq-", "@sec-", "{#")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reader_editions(MANUSCRIPT, tmp_path_factory.mktemp("scholarly"))


@pytest.fixture(scope="module")
def notes_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same manuscript with Chicago's notes and bibliography style."""
    folder = tmp_path_factory.mktemp("scholarly-notes")
    for name in ("refs.bib", "chart.png"):
        shutil.copy(FOLDER / name, folder / name)
    text = MANUSCRIPT.read_text(encoding="utf-8").replace(
        "bibliography: refs.bib\n", "bibliography: refs.bib\ncsl: chicago-notes-bibliography\n"
    )
    return reader_editions(copy_manuscript(text, folder, "notes.md"), folder / "build")


def _flat(element: etree._Element) -> str:
    """An element's text as a reader sees it: one space between words."""
    return " ".join("".join(element.itertext()).replace("\u00a0", " ").split())


def _epub(path: Path) -> tuple[etree._Element, etree._Element, etree._Element]:
    """The article, the nav document and the OPF package."""
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    return epub_documents(path)[0], nav, opf


# --- the HTML edition -------------------------------------------------------------


def test_html_reading_text_has_no_markup_left(built: Path) -> None:
    text = _flat(html_tree(built / "scholarly.html").find("body"))
    assert not [m for m in LEFTOVERS if m in text], text
    assert "Figure 1. Notes per article" in text
    assert "Table 1. Notes counted per year" in text
    assert "(1)" in text


def test_html_cross_references_are_links(built: Path) -> None:
    tree = html_tree(built / "scholarly.html")
    links = {(a.text_content(), a.get("href")) for a in tree.iter("a")}
    for expected in [
        ("Figure\u00a01", "#fig-notes"),
        ("Table\u00a01", "#tbl-counts"),
        ("Equation\u00a01", "#eq-rate"),
        ("Section\u00a01", "#sec-intro"),
        ("1", "#eq-rate"),  # [-@eq-rate]: the bare number
    ]:
        assert expected in links
    text = _flat(tree.find("body"))
    assert "Figure 1 and Table 1" in text  # [@fig-notes; @tbl-counts]
    assert "Sections 2 and 1" in text  # [@sec-method; @sec-intro]
    for ident in ("fig-notes", "tbl-counts", "eq-rate", "sec-intro"):
        assert len(tree.xpath(f'//*[@id="{ident}"]')) == 1


def test_html_bibliography(built: Path) -> None:
    tree = html_tree(built / "scholarly.html")
    (section,) = tree.xpath('//section[@role="doc-bibliography"]')
    assert section.xpath("h2")[0].text_content() == "References"
    entries = section.xpath('.//*[@role="listitem"]')
    assert {e.get("id") for e in entries} == set(CITED)
    # Each citation links to its entry; the unknown key links nowhere.
    targets = {a.get("href") for a in tree.xpath('//a[@role="doc-biblioref"]')}
    assert targets == {f"#{i}" for i in CITED}
    # DOIs and URLs in entries are links.
    hrefs = {a.get("href") for a in section.iter("a")}
    assert {"https://doi.org/10.5555/12345678", "https://example.org/lee-2019"} <= hrefs
    # After the text, before the notes.
    order = [e.get("id") for e in tree.iter() if e.get("id") in ("bibliography", "notes-heading")]
    assert order == ["bibliography", "notes-heading"]


def test_html_title_block_identifiers_and_people(built: Path) -> None:
    tree = html_tree(built / "scholarly.html")
    (header,) = tree.xpath('//header[@class="title-block"]')
    hrefs = [a.get("href") for a in header.iter("a")]
    assert f"https://doi.org/{DOI}" in hrefs
    assert [f"https://orcid.org/{o}" for o in ORCIDS] == [h for h in hrefs if "orcid" in h]
    (byline_element,) = header.xpath('.//p[@class="byline"]')
    byline = " ".join(byline_element.text_content().split())
    # The corresponding author's mark after her affiliations' numbers; each ORCID link
    # is the iD mark (an SVG), no word, with an accessible name.
    assert re.search(r"Jane Castillo1,2\* , Ahmed Rahimi1 and Marta Kowalska1", byline)
    marks = byline_element.xpath('.//a[@class="orcid"]')
    assert [a.get("aria-label") for a in marks] == [
        "ORCID iD of Jane Castillo",
        "ORCID iD of Ahmed Rahimi",
    ]
    assert all(a.xpath('./*[local-name()="svg"]//*[@fill="#A6CE39"]') for a in marks)
    # A shared affiliation is printed once.
    affiliations = [li.text_content() for li in header.xpath('.//ol[@class="affiliations"]/li')]
    assert affiliations == [
        "1 School of Humanities, Tallinn University, Tallinn, Estonia",
        "2 Institute of Book History, Leiden, Netherlands",
    ]
    assert "mailto:jane.castillo@example.org" in hrefs
    license = tree.xpath('//a[@rel="license"]')[0]
    assert license.get("href") == "https://creativecommons.org/licenses/by/4.0/"


def test_html_highwire_tags_in_google_scholar_order(built: Path) -> None:
    tree = html_tree(built / "scholarly.html")
    tags = [
        (m.get("name"), m.get("content"))
        for m in tree.iter("meta")
        if (m.get("name") or "").startswith("citation_")
    ]
    assert tags == [
        ("citation_title", "Counting Notes in Printed Scholarship"),
        ("citation_author", "Castillo, Jane"),
        (
            "citation_author_institution",
            "School of Humanities, Tallinn University, Tallinn, Estonia",
        ),
        ("citation_author_institution", "Institute of Book History, Leiden, Netherlands"),
        ("citation_author_orcid", f"https://orcid.org/{ORCIDS[0]}"),
        ("citation_author", "Rahimi, Ahmed"),
        (
            "citation_author_institution",
            "School of Humanities, Tallinn University, Tallinn, Estonia",
        ),
        ("citation_author_orcid", f"https://orcid.org/{ORCIDS[1]}"),
        ("citation_author", "Kowalska, Marta"),
        (
            "citation_author_institution",
            "School of Humanities, Tallinn University, Tallinn, Estonia",
        ),
        ("citation_publication_date", "2025/06/30"),
        ("citation_journal_title", "Journal of Print Culture"),
        ("citation_volume", "7"),
        ("citation_issue", "3"),
        ("citation_firstpage", "101"),
        ("citation_lastpage", "118"),
        ("citation_doi", DOI),
        ("citation_issn", "2049-3630"),
        ("citation_publisher", "Example Press"),
        ("citation_language", "en"),
        ("citation_keywords", "footnotes; citation; book history"),
        ("citation_pdf_url", "scholarly.pdf"),
        ("citation_abstract", tags[-1][1]),
    ]


def test_html_json_ld(built: Path) -> None:
    tree = html_tree(built / "scholarly.html")
    data = json.loads(tree.xpath('//script[@type="application/ld+json"]')[0].text)
    assert data["identifier"]["propertyID"] == "DOI" and data["identifier"]["value"] == DOI
    assert data["sameAs"] == f"https://doi.org/{DOI}"
    assert data["author"][0]["sameAs"] == f"https://orcid.org/{ORCIDS[0]}"
    assert data["author"][0]["familyName"] == "Castillo"
    assert len(data["citation"]) == 3


# --- the EPUB ---------------------------------------------------------------------


def test_epub_text_bibliography_and_nav(built: Path) -> None:
    article, nav, _ = _epub(built / "scholarly.epub")
    text = _flat(article.find("x:body", XHTML))
    assert not [m for m in LEFTOVERS if m in text]
    assert "Figure 1. Notes per article" in text and "Table 1. Notes counted" in text
    ops = "{http://www.idpf.org/2007/ops}type"
    (section,) = [e for e in article.iter() if e.get(ops) == "bibliography"]
    assert section.get("role") == "doc-bibliography"
    assert {e.get("id") for e in section.iter() if e.get(ops) == "biblioentry"} == set(CITED)
    links = {a.get("href") for a in article.iter("{*}a")}
    assert f"https://doi.org/{DOI}" in links
    assert {f"https://orcid.org/{o}" for o in ORCIDS} <= links
    toc = [a.text for a in nav.xpath('//x:nav[@epub:type="toc"]//x:a', namespaces=XHTML)]
    assert "References" in toc
    landmarks = nav.xpath('//x:nav[@epub:type="landmarks"]//x:a/@epub:type', namespaces=XHTML)
    assert "bibliography" in landmarks


def test_epub_package_identifier_and_creators(built: Path) -> None:
    _, _, opf = _epub(built / "scholarly.epub")
    uid = opf.get("unique-identifier")
    (identifier,) = opf.xpath(f'//*[local-name()="identifier"][@id="{uid}"]')
    assert identifier.text == f"doi:{DOI}"
    scheme = opf.xpath(f'//*[@property="identifier-type"][@refines="#{uid}"]')
    assert scheme and scheme[0].text == "06"
    creators = opf.xpath('//*[local-name()="creator"]')
    assert [c.text for c in creators] == ["Jane Castillo", "Ahmed Rahimi", "Marta Kowalska"]
    file_as = {m.get("refines"): m.text for m in opf.xpath('//*[@property="file-as"]')}
    assert file_as[f"#{creators[0].get('id')}"] == "Castillo, Jane"
    roles = opf.xpath('//*[@property="role"]/text()')
    assert roles == ["aut", "aut", "aut"]


# --- the PDF ----------------------------------------------------------------------


def test_pdf_text_links_and_xmp(built: Path) -> None:
    pdf_path = built / "scholarly.pdf"
    text = pdftotext(pdf_path)
    assert not [m for m in LEFTOVERS if m in text]
    for words in ("Figure 1. Notes per article", "Table 1. Notes counted", "References"):
        assert words in " ".join(text.split())
    assert "Smith, Jane, and John Doe. 2020. A History of Footnotes" in " ".join(text.split())
    with pikepdf.open(pdf_path) as pdf:
        uris = {
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        }
        with pdf.open_outline() as tree:
            outline = _titles(tree.root)
        xmp = pdf.open_metadata()
        creators = xmp.get("dc:creator")
        raw = bytes(pdf.Root.Metadata.read_bytes()).decode()
    assert f"https://doi.org/{DOI}" in uris
    assert {f"https://orcid.org/{o}" for o in ORCIDS} <= uris
    assert "References" in outline and "1 Introduction" in outline
    assert list(creators) == ["Jane Castillo", "Ahmed Rahimi", "Marta Kowalska"]
    for name, value in (
        ("doi", DOI),
        ("publicationName", "Journal of Print Culture"),
        ("volume", "7"),
        ("number", "3"),
        ("issn", "2049-3630"),
    ):
        assert re.search(f'<prism:{name} xmlns:prism="{PRISM}">{re.escape(value)}<', raw), name
    assert f"<dc:identifier>doi:{DOI}</dc:identifier>" in raw


def _titles(items: list) -> list[str]:
    return [t for item in items for t in [item.title, *_titles(item.children)]]


def test_editions_number_alike(built: Path) -> None:
    """The same numbers in the three editions."""
    html_text = _flat(html_tree(built / "scholarly.html").find("body"))
    epub_text = _flat(_epub(built / "scholarly.epub")[0].find("x:body", XHTML))
    pdf_text = " ".join(pdftotext(built / "scholarly.pdf").split())
    pattern = re.compile(r"(?:Figure|Table|Section|Equation)s?\s\d")
    assert pattern.findall(html_text.replace("\u00a0", " ")) == pattern.findall(
        epub_text.replace("\u00a0", " ")
    )
    assert set(pattern.findall(pdf_text.replace("\u00a0", " "))) == set(
        pattern.findall(html_text.replace("\u00a0", " "))
    )


# --- a notes style ----------------------------------------------------------------


def test_notes_style_citations_are_page_foot_notes(notes_built: Path) -> None:
    pdf = notes_built / "notes.pdf"
    page_one = " ".join(pdftotext(pdf, first=1, last=1).split())
    # Grafton and Smith cited in the text, the author's own note, then Lee: one sequence,
    # each note on the page of its call.
    for note in (
        "1. Anthony Grafton, “The Footnote from de Thou to Ranke,”",
        "2. A History of Footnotes",
        "3. The method follows Kim Lee,",
        "4. Lee, “Notes at the Foot of the Page”",
    ):
        assert note in page_one, page_one
    html = html_tree(notes_built / "notes.html")
    assert len(html.xpath('//section[@role="doc-endnotes"]//li')) == 4
    article, _, _ = _epub(notes_built / "notes.epub")
    ops = "{http://www.idpf.org/2007/ops}type"
    assert len([e for e in article.iter() if e.get(ops) == "footnote"]) == 4
    assert "Grafton, Anthony." in xml_reading_text(article)  # the bibliography too


# --- publish check and diagnostics ------------------------------------------------


def test_publish_check_is_clean(built: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code = check_paths([built], json_out=report, stream=io.StringIO())
    findings = [
        (check["check"], check["findings"][:3])
        for edition in json.loads(report.read_text())["editions"]
        for check in edition["checks"]
        if not check["passed"]
    ]
    assert code == 0 and not findings, findings


def test_unknown_key_is_a_located_warning_and_strict_makes_it_an_error(
    tmp_path: Path,
) -> None:
    doc = read(MANUSCRIPT)
    line = (
        MANUSCRIPT.read_text().split("\n").index("Earlier counts disagree [@lee2019; @smith2099].")
    )
    assert [str(d).split("scholarly/")[-1] for d in doc.diagnostics] == [
        f"scholarly.md:{line + 1}:36: warning: citation '@smith2099' is not in refs.bib: "
        "check the key"
    ]
    with pytest.raises(ManuscriptError, match="smith2099"):
        read(MANUSCRIPT, strict=True)


def _manuscript(tmp_path: Path, front: str, body: str = "Text [@a].") -> Path:
    return copy_manuscript(f"---\ntitle: T\n{front}\n---\n\n{body}\n", tmp_path)


def test_malformed_bibliography_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.bib").write_text(
        "@book{a,\n  title = {A},\n  year = 2020,\n  author = {B\n}\n"
    )
    with pytest.raises(ManuscriptError) as caught:
        read(_manuscript(tmp_path, "bibliography: bad.bib"))
    (problem,) = caught.value.diagnostics
    assert problem.path.name == "bad.bib" and problem.line == 6
    assert "malformed bibliography" in problem.message


def test_malformed_csl_names_its_file_and_line(tmp_path: Path) -> None:
    shutil.copy(FOLDER / "refs.bib", tmp_path / "refs.bib")
    (tmp_path / "bad.csl").write_text(
        '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n<info>\n</style>\n'
    )
    with pytest.raises(ManuscriptError) as caught:
        read(_manuscript(tmp_path, "bibliography: refs.bib\ncsl: bad.csl", "A [@lee2019]."))
    (problem,) = caught.value.diagnostics
    assert (problem.path.name, problem.line) == ("bad.csl", 4)


def test_bibliography_outside_the_folder_is_refused(tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    shutil.copy(FOLDER / "refs.bib", tmp_path / "refs.bib")
    result = run_publish(
        "build", _manuscript(inner, "bibliography: ../refs.bib"), "--out", tmp_path / "out"
    )
    assert result.returncode == 1
    assert "article.md:3: error: bibliography '../refs.bib': the path leaves" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_style_name_suggests_a_bundled_one(tmp_path: Path) -> None:
    shutil.copy(FOLDER / "refs.bib", tmp_path / "refs.bib")
    with pytest.raises(ManuscriptError, match="did you mean 'apa'"):
        read(_manuscript(tmp_path, "bibliography: refs.bib\ncsl: apaa"))


def test_bundled_styles_and_inline_references(tmp_path: Path) -> None:
    front = (
        "csl: apa\nreferences:\n  - id: a\n    type: book\n    title: Inline Work\n"
        "    author: [{family: Ng, given: Ann}]\n    issued: {date-parts: [[2001]]}\nlang: fr"
    )
    doc = read(_manuscript(tmp_path, front, "Text [@a].\n\n## Suite\n"))
    assert ">Ng, 2001</a>)" in doc.body
    assert '<h2 id="refs-heading">Références</h2>' in doc.body


def test_unknown_cross_reference_is_a_located_warning(tmp_path: Path) -> None:
    doc = read(_manuscript(tmp_path, "lang: en", "See @fig-none.\n\n## A {#sec-a}\n## B {#sec-a}"))
    messages = [str(d) for d in doc.diagnostics]
    assert any(":6:5: warning: cross-reference '@fig-none'" in m for m in messages), messages
    assert any(":9:" in m and "'#sec-a' is given twice" in m for m in messages), messages


def test_cross_reference_words_follow_the_language(tmp_path: Path) -> None:
    body = "Voir @tbl-x et [@eq-a; @eq-b].\n\n| a |\n|---|\n| 1 |\n\n: Données {#tbl-x}\n\n"
    body += "$$ a $$ {#eq-a}\n\n$$ b $$ {#eq-b}\n"
    doc = read(_manuscript(tmp_path, "lang: fr", body))
    assert ">Tableau\u00a01</a>" in doc.body
    assert "Équations\u00a0" in doc.body and ">1</a> et <a" in doc.body
    assert "Tableau\u00a01.</span> Données" in doc.body


# --- identifiers and people -------------------------------------------------------


def test_identifiers_accept_their_written_forms_and_check_digits() -> None:
    assert orcid("https://orcid.org/0000-0002-1825-0097") == "0000-0002-1825-0097"
    assert orcid("0000-0001-5109-3700") == "0000-0001-5109-3700"
    for bad in ("0000-0002-1825-0098", "1234", "javascript:alert(1)"):
        with pytest.raises(IdentifierError):
            orcid(bad)
    assert doi("https://doi.org/10.5555/x.1") == doi("doi:10.5555/x.1") == "10.5555/x.1"
    assert doi("10.5555/x.1") == "10.5555/x.1"
    with pytest.raises(IdentifierError):
        doi("https://example.org/10.5555/x")
    assert issn("2049-3630") == "2049-3630" and issn("0317847X".replace("X", "1")) == "0317-8471"
    with pytest.raises(IdentifierError):
        issn("2049-3631")


def test_quarto_authors_with_one_shared_affiliation(tmp_path: Path) -> None:
    front = (
        "author:\n  - name: {given: Ann, family: Ng}\n    affiliations: [Leiden University]\n"
        "  - name: Bo Li\n    affiliations:\n      - name: Leiden University\n"
        "  - name: {literal: The Collective}\n    affiliation: Leiden University\n"
        "doi: doi:10.5555/abc\norcid: x"
    )
    doc = read(_manuscript(tmp_path, front, "Text."))
    meta = doc.meta
    assert [a.name.text for a in meta.authors] == ["Ann Ng", "Bo Li", "The Collective"]
    assert [a.file_as for a in meta.authors][:2] == ["Ng, Ann", "Li, Bo"]
    assert len(meta.affiliations) == 1 and not meta.numbered_affiliations
    assert meta.doi == "10.5555/abc" and meta.identifier == "doi:10.5555/abc"
    page = EDITIONS["html"](doc, Options()).decode()
    assert page.count("Leiden University</span>") == 1
    assert "By Ann Ng, Bo Li and The Collective" in page


def test_bad_orcid_and_issn_are_located_errors(tmp_path: Path) -> None:
    front = (
        "author:\n  - name: A\n    orcid: https://orcid.org/0000-0002-1825-0098\nissn: 2049-3631"
    )
    with pytest.raises(ManuscriptError) as caught:
        read(_manuscript(tmp_path, front, "Text."))
    lines = sorted((d.line, d.message.split(":")[0]) for d in caught.value.diagnostics)
    assert lines == [(5, "'author.0.orcid'"), (6, "'issn'")]


def test_a_changed_bibliography_makes_the_editions_out_of_date(tmp_path: Path) -> None:
    shutil.copy(FOLDER / "refs.bib", tmp_path / "refs.bib")
    source = _manuscript(tmp_path, "bibliography: refs.bib", "Text [@lee2019].")
    out = tmp_path / "out"
    assert run_publish("build", source, "--out", out, "--format", "html").returncode == 0
    again = run_publish("build", source, "--out", out, "--format", "html")
    assert "up to date 1" in again.stdout + again.stderr
    bib = (tmp_path / "refs.bib").read_text().replace("Notes at the Foot", "Notes at the Head")
    (tmp_path / "refs.bib").write_text(bib)
    third = run_publish("build", source, "--out", out, "--format", "html")
    assert "built 1" in third.stdout + third.stderr
    assert "Notes at the Head" in (out / "article" / "article.html").read_text()


def test_a_dependent_style_takes_its_bundled_parent_never_the_network(tmp_path: Path) -> None:
    shutil.copy(FOLDER / "refs.bib", tmp_path / "refs.bib")
    (tmp_path / "journal.csl").write_text(
        '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">'
        '<info><link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>'
        "</info></style>\n"
    )
    doc = read(_manuscript(tmp_path, "bibliography: refs.bib\ncsl: journal.csl", "A [@lee2019]."))
    assert ">Lee, 2019</a>" in doc.body  # APA's form
    (tmp_path / "journal.csl").write_text(
        '<style><info><link href="http://example.org/styles/house" rel="independent-parent"/>'
        "</info></style>"
    )
    with pytest.raises(ManuscriptError, match="dependent style whose parent 'house'"):
        read(_manuscript(tmp_path, "bibliography: refs.bib\ncsl: journal.csl", "A [@lee2019]."))
    doc = read(_manuscript(tmp_path, "bibliography: refs.bib\ncsl: 3-biotech", "A [@lee2019]."))
    assert "ref-lee2019" in doc.body


def test_corresponding_author_in_quarto_attributes(tmp_path: Path) -> None:
    front = (
        "author:\n  - name: Ann Ng\n    email: ann@example.org\n"
        "    attributes: {corresponding: true}\n  - name: Bo Li\n    email: bo@example.org"
    )
    doc = read(_manuscript(tmp_path, front, "Text."))
    page = EDITIONS["html"](doc, Options()).decode()
    assert 'Correspondence: Ann Ng, <a href="mailto:ann@example.org">' in page
    assert "Correspondence: Bo Li" not in page


def test_quarto_figure_div_is_numbered(tmp_path: Path) -> None:
    shutil.copy(FOLDER / "chart.png", tmp_path / "chart.png")
    body = (
        "See @fig-pair.\n\n::: {#fig-pair}\n![](chart.png)\n\n![](chart.png)\n\nTwo charts\n:::\n"
    )
    doc = read(_manuscript(tmp_path, "lang: en", body))
    assert '<a href="#fig-pair">Figure\u00a01</a>' in doc.body
    assert '<figure id="fig-pair">' in doc.body
    assert "Figure\u00a01.</span> Two charts</figcaption>" in doc.body
