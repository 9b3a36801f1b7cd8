"""The JATS edition (issue 22): the scholarly test article and the sample as JATS 1.3,
valid against the official NISO schema offline, and carrying the manuscript's metadata,
cross-references, notes, figures, equations and references."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE, SCHOLARLY
from lxml import etree

from publish.check import jats as jats_check
from publish.check.xsd import errors
from publish.document import Document
from publish.editions import jats
from publish.options import Options
from publish.read import read

XLINK = "{http://www.w3.org/1999/xlink}href"
ALI = "{http://www.niso.org/schemas/ali/1.0/}license_ref"
MML = "{http://www.w3.org/1998/Math/MathML}math"


@pytest.fixture(scope="module")
def scholarly() -> Document:
    return read(SCHOLARLY)


@pytest.fixture(scope="module")
def tree(scholarly: Document) -> etree._Element:
    data = jats.render(scholarly, Options())
    assert errors("jats", data) == []
    return etree.fromstring(data)


def test_front_carries_every_author_orcid_affiliation_and_identifier(tree: etree._Element) -> None:
    meta = tree.find("front/article-meta")
    assert meta.findtext("article-id[@pub-id-type='doi']") == "10.5555/jpc.2025.0007"
    assert meta.findtext("title-group/article-title") == "Counting Notes in Printed Scholarship"
    names = [
        (c.findtext("name/given-names"), c.findtext("name/surname")) for c in meta.iter("contrib")
    ]
    assert names == [("Jane", "Castillo"), ("Ahmed", "Rahimi"), ("Marta", "Kowalska")]
    orcids = [c.text for c in meta.iter("contrib-id")]
    assert orcids == [
        "https://orcid.org/0000-0002-1825-0097",
        "https://orcid.org/0000-0001-5109-3700",
    ]
    first = meta.find("aff[@id='jats-aff1']")
    assert first.findtext("institution-wrap/institution-id[@institution-id-type='ror']") == (
        "https://ror.org/05mey9k78"
    )
    assert first.findtext("institution-wrap/institution") == "Tallinn University"
    assert first.findtext("country") == "Estonia"
    assert meta.find("contrib-group/contrib[@corresp='yes']/name/surname").text == "Castillo"
    assert meta.find("author-notes/corresp/email").text == "jane.castillo@example.org"
    assert [meta.findtext(k) for k in ("volume", "issue", "fpage", "lpage")] == [
        "7",
        "3",
        "101",
        "118",
    ]
    assert meta.find("pub-date").get("iso-8601-date") == "2025-06-30"
    assert meta.findtext(f"permissions/license/{ALI}") == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert [k.text for k in meta.iter("kwd")] == ["footnotes", "citation", "book history"]
    assert "foot of the page" in "".join(meta.find("abstract").itertext())
    journal = tree.find("front/journal-meta")
    assert journal.findtext("issn") == "2049-3630"
    assert journal.findtext("journal-title-group/journal-title") == "Journal of Print Culture"


def test_body_has_sections_figures_tables_equations_and_links(tree: etree._Element) -> None:
    body = tree.find("body")
    assert [s.findtext("title") for s in body.findall("sec")] == [
        "Introduction",
        "Method",
        "Results",
    ]
    fig = body.find(".//fig[@id='fig-notes']")
    assert fig.findtext("label").replace("\u00a0", " ") == "Figure 1"
    assert fig.find("graphic").get(XLINK) == "scholarly-g1.png"
    assert body.find(".//table-wrap[@id='tbl-counts']/table/tbody/tr/td").text == "2019"
    formula = body.find(".//disp-formula[@id='eq-rate']")
    assert formula.find(f"alternatives/{MML}") is not None
    assert formula.findtext("alternatives/tex-math") == "r = n / p"
    kinds = {(x.get("ref-type"), x.get("rid")) for x in body.iter("xref")}
    assert {("bibr", "ref-grafton1997"), ("fig", "fig-notes"), ("table", "tbl-counts")} <= kinds
    assert {("disp-formula", "eq-rate"), ("sec", "sec-intro"), ("fn", "fn1")} <= kinds


def test_back_has_notes_and_references_with_dois(tree: etree._Element) -> None:
    assert "counted notes by hand" in "".join(tree.find("back/fn-group/fn[@id='fn1']").itertext())
    refs = tree.findall("back/ref-list/ref")
    assert [r.get("id") for r in refs] == ["ref-grafton1997", "ref-lee2019", "ref-smith2020"]
    assert tree.findtext(".//ref[@id='ref-smith2020']//pub-id[@pub-id-type='doi']") == (
        "10.5555/12345678"
    )


def test_sample_is_valid_once_the_journal_has_an_issn() -> None:
    doc = read(SAMPLE)
    # The sample names no ISSN: JATS Publishing needs one (publish.yaml gives it).
    bare = errors("jats", jats.render(doc, Options()))
    assert any("issn" in message for _, message in bare)
    with_issn = dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, issn="1234-5679"))
    assert errors("jats", jats.render(with_issn, Options())) == []


def test_package_holds_the_xml_and_its_images_and_is_reproducible(scholarly: Document) -> None:
    data = jats.package(scholarly, Options())
    assert data == jats.package(scholarly, Options())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["scholarly-g1.png", "scholarly.xml"]
        assert archive.read("scholarly-g1.png") == (SCHOLARLY.parent / "chart.png").read_bytes()
    assert jats.images(scholarly) == {
        "scholarly-g1.png": (SCHOLARLY.parent / "chart.png").read_bytes()
    }


def test_check_reports_schema_errors_with_advice(tmp_path: Path) -> None:
    doc = read(SAMPLE)
    path = tmp_path / "sample.xml"
    path.write_bytes(jats.render(doc, Options()))
    result = jats_check.check(path)
    assert not result.passed
    assert any("ISSN" in f.message for f in result.findings)
    good = tmp_path / "scholarly.xml"
    good.write_bytes(jats.render(read(SCHOLARLY), Options()))
    assert jats_check.check(good).passed
    assert jats_check.is_jats(good) and not jats_check.is_jats(tmp_path / "x.crossref.xml")


def test_pages_in_the_issue_win_over_none(scholarly: Document) -> None:
    from publish.options import Pagination

    bare = dataclasses.replace(
        scholarly, meta=dataclasses.replace(scholarly.meta, firstpage=None, lastpage=None)
    )
    options = Options(pages=Pagination(first=3, last=6, source="x", citation="x"))
    meta = etree.fromstring(jats.render(bare, options)).find("front/article-meta")
    assert (meta.findtext("fpage"), meta.findtext("lpage")) == ("3", "6")
    assert etree.fromstring(jats.render(bare, Options())).find("front/article-meta/fpage") is None
