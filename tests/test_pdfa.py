"""The archival PDF (issue 22): the PDF edition made PDF/A-3a as well as PDF/UA-1 by
``compat.weasyprint_pdfa.archival``, measured with veraPDF's validation engine; the
manuscript and its JATS embedded as associated files; still reproducible."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, SAMPLE, SCHOLARLY, run_publish

from publish.check import pdf as pdf_check
from publish.check.verapdf import verapdf
from publish.compat import weasyprint_pdfa
from publish.document import Document
from publish.editions import EDITIONS, jats
from publish.editions.common import build_time
from publish.options import Options
from publish.read import read

ISSUE = ROOT / "tests" / "issues" / "terrorism-monitor-3-2"


def _archival(source: Path) -> bytes:
    doc = read(source)
    options = Options()
    pdf = _plain(doc)
    found = weasyprint_pdfa.attachments(doc.source, jats.render(doc, options))
    return weasyprint_pdfa.archival(pdf, build_time(doc.meta), found)


def _plain(doc: Document) -> bytes:
    """The PDF edition as WeasyPrint writes it, before it is made archival (the edition
    itself is archival since it calls ``archival`` in its write sequence)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint_pdfa, "applies", lambda: False)
        return EDITIONS["pdf"](doc, Options())


def test_the_pdf_edition_is_archival_as_built(tmp_path: Path) -> None:
    """The edition as the registry writes it: the archival steps and its attachments."""
    doc = read(SCHOLARLY)
    (path := tmp_path / "scholarly.pdf").write_bytes(
        EDITIONS["pdf"].files(doc, Options())["scholarly/scholarly.pdf"]
    )
    with pikepdf.open(path) as pdf:
        assert {str(s.UF) for s in pdf.Root.AF} == {"scholarly.md", "scholarly.xml"}
    (result,) = verapdf([path])
    assert result.passed, [f.message for f in result.findings]


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfa")
    out = {}
    for name, source in (("sample", SAMPLE), ("scholarly", SCHOLARLY)):
        out[name] = folder / f"{name}.pdf"
        out[name].write_bytes(_archival(source))
    return out


def test_verapdf_passes_pdfa_3a_and_pdfua_1(archived: dict[str, Path]) -> None:
    results = verapdf(list(archived.values()))
    assert [r.edition for r in results] == list(archived.values())
    for result in results:
        assert result.passed, [f.message for f in result.findings]


def test_verapdf_fails_the_pdf_before_it_is_made_archival(tmp_path: Path) -> None:
    doc = read(SCHOLARLY)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_plain(doc))
    (result,) = verapdf([plain])
    rules = " ".join(f.message for f in result.findings)
    assert "PDF/A-3a 6.6.4-1" in rules and "PDF/A-3a 6.2.4.3-2" in rules
    # WeasyPrint's own PDF/UA-1 breaks only where archival() mends it: the ORCID iD
    # mark's link (a Link holding a Figure without Alt).
    mended = {"7.18.5-1", "7.3-1", "7.2-20"}
    assert set(re.findall(r"PDF/UA-1 (\S+):", rules)) <= mended


def test_manuscript_and_jats_are_associated_files(archived: dict[str, Path]) -> None:
    with pikepdf.open(archived["scholarly"]) as pdf:
        specs = {str(s.UF): s for s in pdf.Root.AF}
        assert set(specs) == {"scholarly.md", "scholarly.xml"}
        assert specs["scholarly.md"].AFRelationship == pikepdf.Name.Source
        assert specs["scholarly.xml"].AFRelationship == pikepdf.Name.Alternative
        assert specs["scholarly.md"].EF.F.read_bytes() == SCHOLARLY.read_bytes()
        assert b"<article" in specs["scholarly.xml"].EF.F.read_bytes()
        assert pdf.Root.OutputIntents[0].S == pikepdf.Name.GTS_PDFA1
        xmp = pdf.Root.Metadata.read_bytes()
        assert b'pdfaid:part="3"' in xmp and b"pdfuaid" in xmp
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
                assert "/Interpolate" not in obj


def test_our_own_structure_check_still_passes(archived: dict[str, Path]) -> None:
    for path in archived.values():
        result = pdf_check.structure(path)
        assert result.passed, [f.message for f in result.findings]


def test_same_sources_same_bytes(archived: dict[str, Path]) -> None:
    assert _archival(SCHOLARLY) == archived["scholarly"].read_bytes()


def test_every_link_of_an_issue_is_tagged_as_a_link(tmp_path: Path) -> None:
    """The contents page's entries link title, author and page number; WeasyPrint hung
    9 of the issue's 47 link annotations on a Span (veraPDF 7.18.5-1)."""
    result = run_publish("build", ISSUE, "--out", tmp_path, "--format", "pdf")
    assert result.returncode == 0, result.stderr
    fixed = tmp_path / ISSUE.name / f"{ISSUE.name}.pdf"  # archival as built
    (after,) = verapdf([fixed])
    assert after.passed, [f.message for f in after.findings]
    with pikepdf.open(io.BytesIO(fixed.read_bytes())) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree
        entries = {}
        for node in [nums, *nums.get("/Kids", [])]:
            values = node.get("/Nums", [])
            entries.update({int(values[i]): values[i + 1] for i in range(0, len(values), 2)})
        links = [
            a
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if a.get("/Subtype") == pikepdf.Name.Link
        ]
        assert len(links) > 30
        assert all(entries[int(a.StructParent)].S == pikepdf.Name.Link for a in links)


def test_a_loose_list_keeps_its_paragraphs_in_list_bodies(tmp_path: Path) -> None:
    """``<li><p>``: WeasyPrint hangs the paragraph on the LI itself (veraPDF 7.2-20)."""
    source = tmp_path / "loose.md"
    source.write_text(
        "---\ntitle: Loose list\n---\n\nA list:\n\n- First item, a paragraph.\n\n"
        "- Second, [a link](https://example.org/) in it.\n\n- Third.\n",
        encoding="utf-8",
    )
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(_plain(read(source)))
    fixed = tmp_path / "fixed.pdf"
    fixed.write_bytes(
        weasyprint_pdfa.archival(plain.read_bytes(), datetime(2025, 1, 1, tzinfo=UTC))
    )
    before, after = verapdf([plain, fixed], ("ua1",))
    assert any("7.2-20" in f.message for f in before.findings)
    assert after.passed, [f.message for f in after.findings]


def test_archival_twice_is_archival_once(archived: dict[str, Path]) -> None:
    once = archived["sample"].read_bytes()
    twice = weasyprint_pdfa.archival(once, datetime(2025, 1, 1, tzinfo=UTC))
    with pikepdf.open(io.BytesIO(twice)) as pdf:
        assert pdf.Root.Metadata.read_bytes().count(b"pdfaid:part") == 1
        assert len(pdf.Root.OutputIntents) == 1
