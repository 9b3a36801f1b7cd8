"""What a journal delivers (issue 22), built through the real command in a publication's
folder with a ``publish.yaml``: the sample, the scholarly test article and a test issue
give JATS and Crossref files valid against the official schemas (offline) and PDFs that
veraPDF's engine passes as PDF/A-3a and PDF/UA-1; ``publish check`` runs those
validations; the licence, copyright and funding reach every edition."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, SAMPLE, SCHOLARLY, run_publish
from lxml import etree

from publish.check import xsd
from publish.check.verapdf import classpath, engine_jar
from publish.periodical.contents import SUMMARY

ISSUE = ROOT / "tests" / "issues" / "terrorism-monitor-3-2"
SETTINGS = """\
publication: Journal of Print Culture
issn: 2049-3630
publisher: Example Press
license: {type: CC BY 4.0, link: https://creativecommons.org/licenses/by/4.0/}
base-url: https://journal.example.org/
doi-prefix: "10.5555"
crossref:
  depositor: {name: Example Press, email: deposits@example.org}
  registrant: Example Press
formats: [jats, crossref]
"""
JATS = "{http://www.w3.org/1999/xlink}"
CR = "{http://www.crossref.org/schema/5.3.1}"
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
NOTE = "---\ntitle: A Short Note\nauthor: Ada Example\n---\n\nA note names no journal.\n"
"""A manuscript that names no journal, ISSN, publisher or licence: publish.yaml's."""


def _env() -> dict[str, str]:
    import os

    return {**os.environ, **EPOCH}


def _with_doi(path: Path, doi: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", f"---\ndoi: {doi}\n", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def publication(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A publication's folder: publish.yaml, source/ with the sample and the scholarly
    article, and the test issue (its articles given DOIs), built once with the real
    command and no --format: publish.yaml's formats add JATS and Crossref."""
    folder = tmp_path_factory.mktemp("publication")
    (folder / "publish.yaml").write_text(SETTINGS, encoding="utf-8")
    source = folder / "source"
    shutil.copytree(SCHOLARLY.parent, source)
    (source / "note.md").write_text(NOTE, encoding="utf-8")
    issue = folder / ISSUE.name
    shutil.copytree(ISSUE, issue)
    for n, article in enumerate(sorted(issue.glob("*.md")), 1):
        if article.name != SAMPLE.name:  # the sample keeps its none
            _with_doi(article, f"10.5555/tm.2005.{n}")
    result = run_publish("build", "source", ISSUE.name, cwd=folder, env=_env())
    assert result.returncode == 0, result.stderr
    return folder


def test_a_plain_build_writes_what_publish_yaml_asks(publication: Path) -> None:
    built = publication / "build"
    scholarly = built / "scholarly"
    for name in ("scholarly.pdf", "scholarly.epub", "scholarly.html", "scholarly.xml"):
        assert (scholarly / name).is_file(), name
    assert (scholarly / "scholarly.crossref.xml").is_file()
    assert (scholarly / "scholarly-g1.png").is_file()  # the JATS graphic, beside it
    with zipfile.ZipFile(scholarly / "scholarly.jats.zip") as package:
        assert package.namelist() == ["scholarly-g1.png", "scholarly.xml"]
        assert package.read("scholarly.xml") == (scholarly / "scholarly.xml").read_bytes()
    # The sample (in the issue) has no DOI: a JATS edition, and no deposit.
    sample = built / SAMPLE.stem
    assert (sample / f"{SAMPLE.stem}.xml").is_file()
    assert not (sample / f"{SAMPLE.stem}.crossref.xml").exists()
    assert (built / ISSUE.name / f"{ISSUE.name}.crossref.xml").is_file()


def test_every_xml_is_valid_against_its_official_schema(publication: Path) -> None:
    found = sorted((publication / "build").rglob("*.xml"))
    # Deposits: the scholarly article, two of the issue's three, the issue.
    assert len([p for p in found if p.name.endswith(".crossref.xml")]) == 4
    # JATS: the scholarly article, the note, the issue's three articles.
    assert len([p for p in found if not p.name.endswith(".crossref.xml")]) == 5
    for path in found:
        kind = "crossref" if path.name.endswith(".crossref.xml") else "jats"
        assert xsd.errors(kind, path.read_bytes()) == [], path


def test_publish_yaml_is_merged_under_the_manuscript(publication: Path) -> None:
    """The note names no journal, ISSN or licence: publish.yaml's are its defaults."""
    xml = etree.parse(str(publication / "build" / "note" / "note.xml"))
    assert xml.findtext(".//journal-title") == "Journal of Print Culture"
    assert xml.findtext(".//issn") == "2049-3630"
    assert xml.find(".//{http://www.niso.org/schemas/ali/1.0/}license_ref").text == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    page = (publication / "build" / "note" / "note.html").read_text("utf-8")
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert '<span class="publisher">Example Press</span>' in page


def test_issue_deposit_has_its_issue_and_every_article_with_its_pages(
    publication: Path,
) -> None:
    root = etree.parse(str(publication / "build" / ISSUE.name / f"{ISSUE.name}.crossref.xml"))
    issue = root.find(f".//{CR}journal_issue")
    assert issue.findtext(f".//{CR}volume") == "3" and issue.findtext(f"{CR}issue") == "2"
    articles = root.findall(f".//{CR}journal_article")
    assert len(articles) == 2  # the sample has no DOI
    summary = json.loads((publication / "build" / ISSUE.name / SUMMARY).read_text())
    pages = {a["slug"]: (str(a["first"]), str(a["last"])) for a in summary["articles"]}
    for article in articles:
        url = article.findtext(f".//{CR}resource")
        slug = url.rsplit("/", 1)[1].removesuffix(".html")
        assert url == f"https://journal.example.org/{slug}/{slug}.html"
        first = article.findtext(f".//{CR}first_page")
        assert (first, article.findtext(f".//{CR}last_page")) == pages[slug]


def test_licence_copyright_and_funding_in_every_edition(publication: Path) -> None:
    folder = publication / "build" / "scholarly"
    page = (folder / "scholarly.html").read_text("utf-8")
    assert '<span class="copyright">© 2025 Jane Castillo and Ahmed Rahimi</span>' in page
    assert re.search(r'<a rel="license" href="https://creativecommons.org/licenses/by/4.0/"', page)
    assert "supported by the Estonian Research Council" in page
    with zipfile.ZipFile(folder / "scholarly.epub") as book:
        opf = next(book.read(n).decode() for n in book.namelist() if n.endswith(".opf"))
    assert "<dc:rights>© 2025 Jane Castillo and Ahmed Rahimi. CC BY 4.0</dc:rights>" in opf
    with pikepdf.open(folder / "scholarly.pdf") as pdf:
        meta = pdf.open_metadata()
        assert "CC BY 4.0" in str(meta.get("dc:rights"))
        assert meta.get("xmpRights:WebStatement") == "https://creativecommons.org/licenses/by/4.0/"
    jats = etree.parse(str(folder / "scholarly.xml"))
    assert jats.findtext(".//copyright-holder") == "Jane Castillo and Ahmed Rahimi"
    assert jats.findtext(".//award-group/award-id") == "PRG1234"
    assert jats.findtext(".//funding-source//institution") == "Estonian Research Council"
    deposit = (folder / "scholarly.crossref.xml").read_text("utf-8")
    assert '<fr:assertion name="award_number">PRG1234</fr:assertion>' in deposit
    assert "https://doi.org/10.13039/501100002301" in deposit


def test_pdfs_carry_the_manuscript_and_its_jats(publication: Path) -> None:
    pdf_path = publication / "build" / "scholarly" / "scholarly.pdf"
    with pikepdf.open(pdf_path) as pdf:
        specs = {str(s.UF): s for s in pdf.Root.AF}
        assert (
            specs["scholarly.md"].EF.F.read_bytes()
            == (publication / "source" / "scholarly.md").read_bytes()
        )
        assert specs["scholarly.xml"].AFRelationship == pikepdf.Name.Alternative
        assert b'pdfaid:part="3"' in pdf.Root.Metadata.read_bytes()


def test_a_rebuild_is_the_same_bytes_and_a_changed_publish_yaml_rebuilds(
    publication: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(publication, folder, ignore=shutil.ignore_patterns(ISSUE.name, "note*"))
    before = {p.name: p.read_bytes() for p in (folder / "build" / "scholarly").iterdir()}
    again = run_publish("build", "source", "--force", cwd=folder, env=_env())
    assert again.returncode == 0, again.stderr
    after = {p.name: p.read_bytes() for p in (folder / "build" / "scholarly").iterdir()}
    assert {k: v for k, v in after.items() if k != ".publish-stamp.json"} == {
        k: v for k, v in before.items() if k != ".publish-stamp.json"
    }
    same = run_publish("build", "source", cwd=folder, env=_env())
    # Up to date. (The note, without a DOI, has no deposit and is built again each
    # time: the up-to-date test looks for every format's file; see the report.)
    assert "wrote build/scholarly/" not in same.stdout
    settings = folder / "publish.yaml"
    settings.write_text(SETTINGS.replace("registrant: Example Press", "registrant: Other"), "utf-8")
    changed = run_publish("build", "source", cwd=folder, env=_env())
    assert "wrote build/scholarly/scholarly.pdf" in changed.stdout, changed.stdout
    deposit = (folder / "build" / "scholarly" / "scholarly.crossref.xml").read_text("utf-8")
    assert "<registrant>Other</registrant>" in deposit


def test_a_mistake_in_publish_yaml_is_located_and_builds_nothing(tmp_path: Path) -> None:
    (tmp_path / "publish.yaml").write_text("publication: X\nformats: [pdf, jast]\n", "utf-8")
    (tmp_path / "source").mkdir()
    shutil.copy(SAMPLE, tmp_path / "source" / SAMPLE.name)
    result = run_publish("build", "source", cwd=tmp_path)
    assert result.returncode != 0
    assert "publish.yaml:2: error: unknown format 'jast'" in result.stderr
    assert "did you mean 'jats'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "build").exists()


def test_format_accepts_jats_and_crossref_and_refuses_others(tmp_path: Path) -> None:
    result = run_publish("build", SCHOLARLY, "--out", tmp_path, "--format", "jats")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "scholarly").iterdir() if p.name[0] != ".") == [
        "scholarly-g1.png",
        "scholarly.jats.zip",
        "scholarly.xml",
    ]
    wrong = run_publish("build", SCHOLARLY, "--out", tmp_path, "--format", "jats,xml")
    assert (
        wrong.returncode != 0
        and "choose from html,pdf,epub,jats,crossref" in wrong.stderr.replace(", ", ",")
    )


def test_publish_check_validates_the_schemas_and_runs_verapdf(publication: Path) -> None:
    """Every PDF (the two manuscripts, the issue's articles and the issue) through
    veraPDF's PDF/A-3a and PDF/UA-1 profiles in one JVM, every XML against its schema."""
    built = publication / "build"
    pdfs = sorted(built.rglob("*.pdf"))
    assert len(pdfs) == 6  # the scholarly article, the note, the issue and its three
    files = [*pdfs, *sorted(built.rglob("*.xml"))]
    result = run_publish("check", *files, "--json", "check.json", cwd=publication, env=_env())
    report = json.loads((publication / "check.json").read_text(encoding="utf-8"))
    checks = {
        (Path(e["path"]).name, c["check"]): c for e in report["editions"] for c in e["checks"]
    }
    assert checks[("scholarly.xml", "JATS")]["passed"]
    assert checks[("scholarly.crossref.xml", "Crossref")]["passed"]
    assert checks[(f"{ISSUE.name}.crossref.xml", "Crossref")]["passed"]
    assert ("scholarly.xml", "lint") not in checks
    if engine_jar() is not None and classpath() is not None:
        for pdf in pdfs:
            assert checks[(pdf.name, "veraPDF")]["passed"], checks[(pdf.name, "veraPDF")]
    failed = {k: c["findings"] for k, c in checks.items() if not c["passed"]}
    assert not failed and result.returncode == 0, failed


def test_a_schema_error_in_the_jats_is_reported_at_the_manuscript_line(tmp_path: Path) -> None:
    from publish.check import jats as jats_check
    from publish.check.lines import locate

    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "bad.md").write_text(
        "---\ntitle: A bad one\npublication: X\nissn: 2049-3630\n---\n\nSome text.\n\n"
        "Another paragraph with unusual words xylophone quandary zeppelin.\n",
        encoding="utf-8",
    )
    result = run_publish("build", "source", "--format", "jats", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    edition = tmp_path / "build" / "bad" / "bad.xml"
    edition.write_bytes(edition.read_bytes().replace(b"<p>Another", b"<p><bogus/>Another", 1))
    checked = jats_check.check(edition)
    locate([checked])
    (only,) = checked.findings
    assert "Element 'bogus'" in only.message
    assert only.source.endswith("source/bad.md:9"), only
