"""What machines read of corrections, retractions and versions (issue 23, item 3): a
notice's JATS names the articles it updates (``related-article``) and its Crossref
deposit carries Crossmark's ``updates``; an updated article's JATS links forward to its
notices; a second version's JATS gives its number and the versions before it. Each is
rendered by the real editions and validated against the vendored official schemas."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import SCHOLARLY
from lxml import etree

from publish.check.xsd import errors
from publish.document import Document
from publish.editions import crossref, jats
from publish.options import Options
from publish.read import read
from publish.settings import Depositor, Settings
from publish.updates.model import KINDS, Link, Notice, Updates, Version

CR = "{http://www.crossref.org/schema/5.3.1}"
XLINK = "{http://www.w3.org/1999/xlink}href"
POLICY = "10.5555/crossmark-policy"
SETTINGS = Settings(
    defaults={"base-url": "https://journal.example.org/"},
    depositor=Depositor("Example Press", "deposits@example.org"),
    crossmark_policy=POLICY,
)
ARTICLE_DOI = "10.5555/jpc.2025.0007"
NOTICE = """\
---
title: "{title}"
author: Editorial Office
date: "{date}"
doi: "{doi}"
publication: Journal of Print Culture
issn: 2049-3630
base-url: https://journal.example.org/
---

The editors {verb} the article named below.
"""


@pytest.fixture(scope="module")
def article() -> Document:
    return read(SCHOLARLY)


def notice(
    folder: Path,
    kind: str,
    targets: tuple[Link, ...],
    date: str = "2025-09-15",
    doi: str = "10.5555/jpc.2025.0042",
) -> Document:
    """A notice read by the real reader from its own manuscript; its ``updates`` as the
    build gives them."""
    path = folder / f"{kind}.md"
    title = f"{KINDS[kind].label}: Counting Notes in Printed Scholarship"
    path.write_text(NOTICE.format(title=title, date=date, doi=doi, verb=kind), encoding="utf-8")
    doc = read(path)
    return dataclasses.replace(doc, updates=Updates(notice=KINDS[kind], targets=targets))


def scholarly_link(doi: str | None = ARTICLE_DOI) -> Link:
    return Link(
        "scholarly",
        "Counting Notes in <em>Printed</em> Scholarship",
        "Counting Notes in Printed Scholarship",
        doi,
        "2025-06-30",
        "../scholarly/scholarly.html",
    )


def jats_of(doc: Document) -> etree._Element:
    data = jats.render(doc, Options())
    assert errors("jats", data) == []
    return etree.fromstring(data)


def deposit_of(doc: Document, settings: Settings = SETTINGS) -> etree._Element:
    data = crossref.deposit([doc], settings)
    assert errors("crossref", data) == []
    return etree.fromstring(data)


@pytest.mark.parametrize(
    ("kind", "article_type", "related_type", "heading"),
    [
        ("correction", "correction", "corrected-article", "Correction"),
        ("retraction", "retraction", "retracted-article", "Retraction"),
        ("expression-of-concern", "expression-of-concern", "object-of-concern", None),
        ("erratum", "correction", "corrected-article", "Erratum"),
        ("withdrawal", "retraction", "retracted-article", "Withdrawal"),
        ("addendum", "addendum", "addended-article", "Addendum"),
    ],
)
def test_notice_jats_names_the_article_it_updates(
    tmp_path: Path, kind: str, article_type: str, related_type: str, heading: str | None
) -> None:
    tree = jats_of(notice(tmp_path, kind, (scholarly_link(),)))
    assert tree.get("article-type") == article_type
    meta = tree.find("front/article-meta")
    related = meta.findall("related-article")
    assert len(related) == 1
    assert related[0].get("related-article-type") == related_type
    assert related[0].get("ext-link-type") == "doi"
    assert related[0].get(XLINK) == ARTICLE_DOI
    assert related[0].findtext("article-title/italic") == "Printed"
    subject = meta.findtext("article-categories/subj-group[@subj-group-type='heading']/subject")
    assert subject == (heading or KINDS[kind].label)


@pytest.mark.parametrize(
    ("kind", "update_type"),
    [
        ("correction", "correction"),
        ("retraction", "retraction"),
        ("expression-of-concern", "expression_of_concern"),
        ("erratum", "erratum"),
        ("withdrawal", "withdrawal"),
        ("addendum", "addendum"),
    ],
)
def test_notice_deposit_carries_crossmark_updates(
    tmp_path: Path, kind: str, update_type: str
) -> None:
    doc = notice(tmp_path, kind, (scholarly_link(),))
    root = deposit_of(doc)
    article = root.find(f".//{CR}journal_article")
    assert article.findtext(f"{CR}doi_data/{CR}doi") == "10.5555/jpc.2025.0042"
    crossmark = article.find(f"{CR}crossmark")
    assert crossmark.findtext(f"{CR}crossmark_policy") == POLICY
    updates = crossmark.findall(f"{CR}updates/{CR}update")
    assert [(u.get("type"), u.get("date"), u.text) for u in updates] == [
        (update_type, "2025-09-15", ARTICLE_DOI)
    ]
    assert crossref.warnings(doc, Options(settings=SETTINGS)) == []


def test_a_month_alone_dates_the_update_from_its_first_day_and_says_so(tmp_path: Path) -> None:
    doc = notice(tmp_path, "correction", (scholarly_link(),), date="2025-09")
    update = deposit_of(doc).find(f".//{CR}update")
    assert update.get("date") == "2025-09-01"
    [warning] = crossref.warnings(doc, Options(settings=SETTINGS))
    assert warning.severity == "warning" and warning.path == doc.source
    assert "'2025-09' has no day" in warning.message and "2025-09-01" in warning.message


def test_a_target_outside_the_build_is_known_by_its_doi(tmp_path: Path) -> None:
    elsewhere = Link(None, doi="10.9999/other.journal.12", title_text="A Study Elsewhere")
    doc = notice(tmp_path, "retraction", (scholarly_link(), elsewhere))
    related = jats_of(doc).findall("front/article-meta/related-article")
    assert [(r.get("related-article-type"), r.get(XLINK)) for r in related] == [
        ("retracted-article", ARTICLE_DOI),
        ("retracted-article", "10.9999/other.journal.12"),
    ]
    assert related[1].findtext("article-title") == "A Study Elsewhere"
    updates = deposit_of(doc).findall(f".//{CR}crossmark/{CR}updates/{CR}update")
    assert [u.text for u in updates] == [ARTICLE_DOI, "10.9999/other.journal.12"]


def test_a_target_without_doi_is_linked_by_address_and_left_out_of_crossmark(
    tmp_path: Path,
) -> None:
    doc = notice(tmp_path, "correction", (scholarly_link(doi=None),))
    [related] = jats_of(doc).findall("front/article-meta/related-article")
    assert related.get("ext-link-type") == "uri"
    assert related.get(XLINK) == "https://journal.example.org/scholarly/scholarly.html"
    crossmark = deposit_of(doc).find(f".//{CR}crossmark")
    assert crossmark is not None and crossmark.find(f"{CR}updates") is None
    [warning] = crossref.warnings(doc, Options(settings=SETTINGS))
    assert "'scholarly'" in warning.message and "no 'doi'" in warning.message


def test_without_a_crossmark_policy_the_deposit_goes_without_crossmark_and_says_so(
    tmp_path: Path,
) -> None:
    doc = notice(tmp_path, "retraction", (scholarly_link(),))
    bare = dataclasses.replace(SETTINGS, crossmark_policy=None)
    assert deposit_of(doc, bare).find(f".//{CR}crossmark") is None
    [warning] = crossref.warnings(doc, Options(settings=bare))
    assert warning.severity == "warning" and warning.path == doc.source
    assert "'crossmark-policy' in publish.yaml" in warning.message
    # --strict makes it an error, as every warning.
    [error] = crossref.warnings(doc, Options(settings=bare, strict=True))
    assert error.severity == "error"


def test_updated_article_links_forward_to_its_notices(article: Document) -> None:
    retraction = Link("retraction", title_text="Retraction", doi="10.5555/jpc.2025.0050")
    correction = Link("correction", title_text="Correction")  # no DOI: its address
    concern = Link(None, title_text="Expression of concern", doi="10.5555/jpc.2025.0045")
    updated = dataclasses.replace(
        article,
        updates=Updates(
            notices=(
                Notice(KINDS["correction"], "2025-07-01", correction),
                Notice(KINDS["expression-of-concern"], "2025-08-01", concern),
                Notice(KINDS["retraction"], "2025-09-15", retraction),
            )
        ),
    )
    tree = jats_of(updated)
    assert tree.get("article-type") == "research-article"
    related = tree.findall("front/article-meta/related-article")
    assert [
        (r.get("related-article-type"), r.get("ext-link-type"), r.get(XLINK)) for r in related
    ] == [
        ("correction-forward", None, None),
        ("expression-of-concern", "doi", "10.5555/jpc.2025.0045"),
        ("retraction-forward", "doi", "10.5555/jpc.2025.0050"),
    ]
    # With base-url, the notice without a DOI is linked by its address.
    with_base = dataclasses.replace(
        updated, meta=dataclasses.replace(updated.meta, base_url="https://journal.example.org/")
    )
    first = jats_of(with_base).find("front/article-meta/related-article")
    assert first.get(XLINK) == "https://journal.example.org/correction/correction.html"
    # The updated article's own deposit keeps its Crossmark, with no update of its own.
    crossmark = deposit_of(updated).find(f".//{CR}crossmark")
    assert crossmark.findtext(f"{CR}crossmark_policy") == POLICY
    assert crossmark.find(f"{CR}updates") is None


def test_second_version_gives_its_number_and_the_versions_before_it(article: Document) -> None:
    second = dataclasses.replace(
        article,
        meta=dataclasses.replace(article.meta, base_url="https://journal.example.org/"),
        updates=Updates(
            version=Version(2, "2025-08-01", "Table 1 corrected"),
            earlier=(Version(1, "2025-06-30", "", "v1/scholarly.html"),),
        ),
    )
    meta = jats_of(second).find("front/article-meta")
    version = meta.find("article-version")
    assert (version.text, version.get("iso-8601-date")) == ("2", "2025-08-01")
    [event] = meta.findall("pub-history/event")
    assert event.get("event-type") == "version"
    assert event.findtext("event-desc") == "Version 1"
    assert event.findtext("article-version") == "1"
    assert event.find("pub-date").get("iso-8601-date") == "2025-06-30"
    assert event.find("self-uri").get(XLINK) == (
        "https://journal.example.org/scholarly/v1/scholarly.html"
    )


def test_issue_deposit_carries_its_notices_updates(tmp_path: Path, article: Document) -> None:
    doc = notice(tmp_path, "expression-of-concern", (scholarly_link(),))
    issue = crossref.IssueData("Journal of Print Culture", "7", "4", "2025-09", "2049-3630")
    data = crossref.issue_deposit([article, doc], issue, SETTINGS)
    assert errors("crossref", data) == []
    articles = etree.fromstring(data).findall(f".//{CR}journal_article")
    assert [a.find(f"{CR}crossmark/{CR}updates") is not None for a in articles] == [False, True]
    update = articles[1].find(f"{CR}crossmark/{CR}updates/{CR}update")
    assert (update.get("type"), update.get("date"), update.text) == (
        "expression_of_concern",
        "2025-09-15",
        ARTICLE_DOI,
    )
    assert crossref.issue_warnings([article, doc], issue, SETTINGS) == []


def test_an_article_without_updates_is_written_as_before(article: Document) -> None:
    tree = jats_of(article)
    assert tree.get("article-type") == "research-article"
    meta = tree.find("front/article-meta")
    for absent in ("article-version", "article-categories", "pub-history", "related-article"):
        assert meta.find(absent) is None
    assert crossref.warnings(article, Options(settings=SETTINGS)) == []
