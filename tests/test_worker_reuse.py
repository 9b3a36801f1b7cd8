"""What a worker keeps from one manuscript to the next changes no byte of the next one:
the parsed house style and its fonts, font subsets, and the running heads drawn as
artifacts by WeasyPrint itself rather than rewritten afterwards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from manuscripts_kit import GOOD, publish
from notes_kit import misplaced
from weasyprint import HTML

from publish import fonts
from publish.check.pdf import qpdf, structure
from publish.compat import weasyprint_artifacts
from publish.document import Document
from publish.editions import pdf
from publish.editions.pdf_artifacts import mark_furniture_as_artifacts
from publish.editions.pdf_write import pdf_identifier
from publish.editions.scholarly import with_xmp
from publish.options import Options
from publish.read import read

FEATURES = ROOT / "tests" / "manuscripts" / "features" / "features.md"


@pytest.fixture(scope="module")
def sample() -> Document:
    return read(SAMPLE)


@pytest.mark.parametrize("manuscript", [SAMPLE, FEATURES], ids=["sample", "features"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_reused_house_style_gives_the_bytes_of_a_fresh_one(manuscript: Path, paper: str) -> None:
    doc = read(manuscript)
    options = Options(paper=paper, print_marks=paper == "letter")
    first = pdf.render(doc, options)
    assert pdf.house_style.cache_info().currsize >= 1
    assert pdf.render(doc, options) == first
    # The same page with the house style in its <style> (author origin, where the
    # edition passes it as a user stylesheet), parsed anew, fonts loaded anew.
    with weasyprint_artifacts.furniture_as_artifacts():
        fresh = HTML(
            string=pdf.html_for_print(doc, options), base_url=str(doc.folder) + "/"
        ).write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=pdf_identifier(doc.meta.identifier))
    assert first == with_xmp(fresh, doc.meta)


def test_other_paper_another_house_style(sample: Document) -> None:
    a4 = pdf.house_style("a4", False, None, True)
    assert pdf.house_style("a4", False, None, True) is a4
    assert pdf.house_style("letter", False, None, True) is not a4


def test_running_heads_are_artifacts_without_rewriting_the_pdf(
    sample: Document, tmp_path: Path
) -> None:
    assert weasyprint_artifacts.apply()
    data = pdf.render(sample, Options())
    assert mark_furniture_as_artifacts(data) is data  # nothing left for the old pass
    # Outside the PDF edition WeasyPrint draws as shipped (the checks' tests rely on it).
    plain = HTML(string=pdf.html_for_print(sample, Options())).write_pdf(pdf_variant="pdf/ua-1")
    assert mark_furniture_as_artifacts(plain) is not plain
    path = tmp_path / "sample.pdf"
    path.write_bytes(data)
    for result in (structure(path), qpdf(path)):
        assert result.findings == [], result.findings


ANOTHER_WEASYPRINT = """
import sys, warnings
import subprocess
import sys
from pathlib import Path
import weasyprint
weasyprint.__version__ = "71.0"  # as if the pin had moved
from publish.read import read
from publish.editions import pdf
from publish.options import Options
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    Path(sys.argv[2]).write_bytes(pdf.render(read(Path(sys.argv[1])), Options()))
    pdf.render(read(Path(sys.argv[1])), Options())
print(len(caught), caught[0].message if caught else "")
"""


def test_another_weasyprint_falls_back_to_the_column_box_and_the_pdf_rewrite(
    tmp_path: Path,
) -> None:
    # In a process of its own: the fixes, once installed, stay for the process.
    path = tmp_path / "sample.pdf"
    run = subprocess.run(
        [sys.executable, "-c", ANOTHER_WEASYPRINT, str(SAMPLE), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    count, message = run.stdout.split(" ", 1)
    assert count == "1"  # one warning for two articles
    assert "written for WeasyPrint 70.0, this is 71.0" in message
    assert misplaced(path) == ([], 3)
    for result in (structure(path), qpdf(path)):
        assert result.findings == [], result.findings


def test_subsets_are_cut_once_and_the_same_bytes(sample: Document) -> None:
    face = fonts.FACES[0]
    text = fonts.characters_for(face, sample.body)
    fonts._subset.cache_clear()
    fonts._renamed.cache_clear()
    woff = fonts.subset_font(face.path, text, flavor="woff")
    ttf = fonts.subset_font(face.path, text, flavor=None)
    assert fonts._renamed.cache_info().misses == 1  # one cut and rename for both
    assert fonts.subset_font(face.path, text, flavor="woff") is woff
    fonts._subset.cache_clear()
    fonts._renamed.cache_clear()
    assert fonts.subset_font(face.path, text, flavor="woff") == woff
    assert fonts.subset_font(face.path, text, flavor=None) == ttf


def test_workers_leave_no_font_folders_behind(tmp_path: Path) -> None:
    # WeasyPrint copies the faces into a temporary folder per FontConfiguration; a
    # worker keeps one for the whole build and must remove it when it ends.
    for n in (1, 2):
        (tmp_path / f"a{n}.md").write_text(GOOD, encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    result = publish(
        "build",
        "a1.md",
        "a2.md",
        "--jobs",
        "2",
        "--format",
        "pdf",
        cwd=tmp_path,
        env={"TMPDIR": str(temp)},
    )
    assert result.returncode == 0, result.stderr
    assert list(temp.iterdir()) == []
