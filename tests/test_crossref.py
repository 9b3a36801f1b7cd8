"""The Crossref deposit (issue 22): per article and per issue, valid against Crossref's
schema 5.3.1 offline, carrying the manuscript's metadata, reproducible."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import ROOT, SCHOLARLY
from lxml import etree

from publish.check import crossref as crossref_check
from publish.check.xsd import errors
from publish.diagnostics import ManuscriptError
from publish.document import Document
from publish.editions import crossref
from publish.options import Options, Pagination
from publish.read import read
from publish.settings import Depositor, Settings

CR = "{http://www.crossref.org/schema/5.3.1}"
ISSUE = ROOT / "tests" / "issues" / "terrorism-monitor-3-2"
SETTINGS = Settings(
    defaults={"base-url": "https://journal.example.org/"},
    depositor=Depositor("Example Press", "deposits@example.org"),
    registrant="Example Registrant",
    crossmark_policy="10.5555/crossmark-policy",
)


@pytest.fixture(scope="module")
def scholarly() -> Document:
    return read(SCHOLARLY)


def _find(root: etree._Element, path: str) -> list[etree._Element]:
    return root.findall(path.replace("cr:", CR))


def test_article_deposit_is_valid_and_carries_the_metadata(
    scholarly: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751328000")  # 2025-07-01 00:00 UTC
    data = crossref.deposit([scholarly], SETTINGS)
    assert errors("crossref", data) == []
    root = etree.fromstring(data)
    assert root.findtext(f"{CR}head/{CR}timestamp") == "20250701000000"
    assert root.findtext(f"{CR}head/{CR}depositor/{CR}email_address") == "deposits@example.org"
    assert root.findtext(f"{CR}head/{CR}registrant") == "Example Registrant"
    article = _find(root, ".//cr:journal_article")[0]
    people = _find(article, "cr:contributors/cr:person_name")
    assert [p.findtext(f"{CR}surname") for p in people] == ["Castillo", "Rahimi", "Kowalska"]
    assert [p.findtext(f"{CR}ORCID") for p in people] == [
        "https://orcid.org/0000-0002-1825-0097",
        "https://orcid.org/0000-0001-5109-3700",
        None,
    ]
    rors = {i.text for i in article.iter(f"{CR}institution_id")}
    assert rors == {"https://ror.org/05mey9k78"}
    assert article.findtext(f"{CR}doi_data/{CR}doi") == "10.5555/jpc.2025.0007"
    assert article.findtext(f"{CR}doi_data/{CR}resource") == (
        "https://journal.example.org/scholarly/scholarly.html"
    )
    assert article.findtext(f"{CR}pages/{CR}first_page") == "101"
    assert article.findtext(f"{CR}pages/{CR}last_page") == "118"
    licence = article.find(".//{http://www.crossref.org/AccessIndicators.xsd}program")
    assert licence[0].text == "https://creativecommons.org/licenses/by/4.0/"
    assert "foot of the page" in "".join(
        article.find("{http://www.ncbi.nlm.nih.gov/JATS1}abstract").itertext()
    )
    assert article.findtext(f"{CR}crossmark/{CR}crossmark_policy") == "10.5555/crossmark-policy"
    cited = _find(article, "cr:citation_list/cr:citation")
    assert len(cited) == 3
    assert [c.findtext(f"{CR}doi") for c in cited] == [None, None, "10.5555/12345678"]
    assert all(c.findtext(f"{CR}unstructured_citation") for c in cited)


def test_same_sources_same_bytes(scholarly: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = crossref.deposit([scholarly], SETTINGS)
    assert first == crossref.deposit([read(SCHOLARLY)], SETTINGS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    later = crossref.deposit([scholarly], SETTINGS)
    root, again = etree.fromstring(first), etree.fromstring(later)
    assert root.findtext(f"{CR}head/{CR}timestamp") < again.findtext(f"{CR}head/{CR}timestamp")
    assert root.findtext(f"{CR}head/{CR}doi_batch_id") != again.findtext(
        f"{CR}head/{CR}doi_batch_id"
    )


def test_render_takes_pages_in_the_issue_and_settings_beside_source(
    tmp_path: Path, scholarly: Document
) -> None:
    (tmp_path / "publish.yaml").write_text(
        "base-url: https://j.example.org\n"
        "crossref:\n  depositor: {name: P, email: p@example.org}\n",
        encoding="utf-8",
    )
    (tmp_path / "source").mkdir()
    doc = dataclasses.replace(scholarly, source=tmp_path / "source" / "scholarly.md")
    options = Options(pages=Pagination(first=5, last=9, source="x", citation="x"))
    root = etree.fromstring(crossref.render(doc, options))
    assert root.findtext(f".//{CR}first_page") == "5"
    assert root.findtext(f".//{CR}resource") == "https://j.example.org/scholarly/scholarly.html"


def test_issue_deposit_has_the_issue_and_every_article_with_a_doi() -> None:
    docs = [
        read(ISSUE / name)
        for name in (
            "mojahedin-e-khalq-in-post-saddam-iraq.md",
            "border-crossings.md",
            "financing-networks.md",
        )
    ]
    dois = ["10.5555/tm.3.2.1", "10.5555/tm.3.2.2", None]
    docs = [
        dataclasses.replace(d, meta=dataclasses.replace(d.meta, doi=doi, date="2005-01"))
        for d, doi in zip(docs, dois, strict=True)
    ]
    issue = crossref.IssueData(
        "Terrorism Monitor",
        "3",
        "2",
        "2005-01",
        "1234-5679",
        "10.5555/tm.3.2",
        "https://journal.example.org/tm-3-2/",
    )
    data = crossref.issue_deposit(docs, issue, SETTINGS, pages=[("1", "4"), ("5", "7"), ("8", "9")])
    assert errors("crossref", data) == []
    root = etree.fromstring(data)
    assert root.findtext(f".//{CR}journal_issue/{CR}issue") == "2"
    assert root.findtext(f".//{CR}journal_issue/{CR}doi_data/{CR}doi") == "10.5555/tm.3.2"
    articles = root.findall(f".//{CR}journal_article")
    assert [a.findtext(f"{CR}doi_data/{CR}doi") for a in articles] == dois[:2]
    assert [a.findtext(f"{CR}pages/{CR}first_page") for a in articles] == ["1", "5"]


def test_what_is_missing_is_said_where_it_belongs(scholarly: Document) -> None:
    with pytest.raises(ManuscriptError) as caught:
        crossref.deposit([scholarly], Settings())
    text = str(caught.value)
    assert "publish.yaml: error: a Crossref deposit needs 'crossref: {depositor" in text
    assert "scholarly.md:1: error: a Crossref deposit needs the article's address" in text


def test_check_validates_a_deposit(tmp_path: Path, scholarly: Document) -> None:
    good = tmp_path / "scholarly.crossref.xml"
    good.write_bytes(crossref.deposit([scholarly], SETTINGS))
    assert crossref_check.is_deposit(good) and crossref_check.check(good).passed
    bad = tmp_path / "bad.crossref.xml"
    bad.write_bytes(
        good.read_bytes()
        .replace(b"<registrant>", b"<registrantx>")
        .replace(b"</registrant>", b"</registrantx>")
    )
    result = crossref_check.check(bad)
    assert not result.passed and "registrantx" in result.findings[0].message


def test_issue_data_from_the_periodical_issue() -> None:
    from publish.diagnostics import Collector
    from publish.periodical.schema import load

    issue = load(ISSUE, Collector(ISSUE / "issue.yaml"))
    assert issue is not None
    data = crossref.IssueData.of(issue, "https://journal.example.org/tm-3-2/")
    assert (data.publication, data.volume, data.issue, data.issn) == (
        "Terrorism Monitor",
        "3",
        "2",
        "1234-5679",
    )


def test_publish_check_dispatches_each_xml_to_its_schema(
    tmp_path: Path, scholarly: Document
) -> None:
    from publish.check import delivery
    from publish.editions import jats

    deposit = tmp_path / "scholarly.crossref.xml"
    deposit.write_bytes(crossref.deposit([scholarly], SETTINGS))
    article = tmp_path / "scholarly.xml"
    article.write_bytes(jats.render(scholarly, Options()))
    results = delivery.check_xml([deposit, article])
    assert [r.check for r in results] == ["Crossref", "JATS"]
    assert all(r.passed for r in results)
