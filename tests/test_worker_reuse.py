"""What a worker keeps from one manuscript to the next changes no byte of the next one:
the parsed house style and its fonts, font subsets, and the running heads drawn as
artifacts by WeasyPrint itself rather than rewritten afterwards."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, SCHOLARLY
from manuscripts_kit import GOOD, publish
from notes_kit import misplaced
from weasyprint import HTML

from publish import fonts
from publish.check.pdf import qpdf, structure
from publish.compat import weasyprint_artifacts, weasyprint_pdfa
from publish.document import Document, Markers
from publish.editions import pdf
from publish.editions.pdf_artifacts import mark_furniture_as_artifacts
from publish.editions.pdf_write import NO_DATE, pdf_identifier
from publish.editions.scholarly import with_xmp
from publish.options import Options
from publish.read import limits, pandoc, pandoc_process, read

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
    # The one write sequence makes it PDF/A-3a as well (issue 22), before with_xmp.
    assert first == with_xmp(weasyprint_pdfa.archival(fresh, NO_DATE), doc.meta)


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
from publish.read import limits, pandoc, pandoc_process, read
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


# One long-lived pandoc per process (publish/read/pandoc_process.py).


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, int]:
    """The reading of ``path`` by the one-shot command and by the long-lived pandoc,
    with the same markers; and how many conversions the long-lived one made."""
    made = []
    original = pandoc.convert

    def twice(text: str, markers: Markers, before: tuple[str, ...] = ()) -> pandoc.Converted:
        monkeypatch.setenv("PUBLISH_PANDOC", "once")
        once = original(text, markers, before)
        monkeypatch.delenv("PUBLISH_PANDOC")
        made.append((once, original(text, markers, before)))
        return once

    monkeypatch.setattr(pandoc, "convert", twice)
    before = _served()
    read(path)
    ((once, long_lived),) = made
    return once, long_lived, _served() - before


def _served() -> int:
    return pandoc_process._instance.served if pandoc_process._instance else 0


@pytest.mark.parametrize("manuscript", [SAMPLE, FEATURES, SCHOLARLY], ids=lambda p: p.stem)
def test_the_long_lived_pandoc_reads_as_the_command_does(
    manuscript: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    once, long_lived, served = _both(manuscript, monkeypatch)
    assert long_lived == once
    # The scholarly manuscript has a bibliography: citeproc is left to the command.
    assert served == (0 if manuscript == SCHOLARLY else 1)


def test_the_long_lived_pandoc_keeps_the_command_line_abbreviations() -> None:
    # pandoc's reader has 28 abbreviations of its own; the command line reads 80 from
    # its data file ("Feb." and "vol." among them), followed by a no-break space.
    converted = pandoc.convert("Feb. 13, vol. 9, and Mar. 11.\n", Markers())
    assert "Feb.\u00a013" in converted.body and "Mar.\u00a011" in converted.body
    assert _served() > 0


def test_a_dead_pandoc_is_started_again() -> None:
    first = pandoc.convert("One *text*.\n", Markers())
    process = pandoc_process._instance
    assert process is not None and process._process is not None
    pid = process._process.pid
    process._process.kill()
    process._process.wait()
    again = pandoc.convert("One *text*.\n", Markers())
    assert again.body == first.body
    assert process._process is not None and process._process.pid != pid


def test_a_pandoc_that_dies_while_reading_is_an_error_then_started_again() -> None:
    pandoc.convert("Warm.\n", Markers())
    process = pandoc_process._instance
    assert process is not None and process._process is not None
    victim = process._process
    threading.Timer(0.5, victim.kill).start()
    with pytest.raises(pandoc.PandocFailed, match="pandoc could not read the text"):
        pandoc.convert(_slow_text(), Markers())
    assert pandoc.convert("After.\n", Markers()).body == "<p>After.</p>"
    assert process._process is not victim


def test_a_pandoc_over_the_time_limit_is_killed_and_started_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pandoc.convert("Warm.\n", Markers())
    process = pandoc_process._instance
    assert process is not None and process._process is not None
    slow = process._process
    monkeypatch.setattr(limits, "PANDOC_SECONDS", 1)
    with pytest.raises(pandoc.PandocFailed, match="longer than 1 s"):
        pandoc.convert(_slow_text(), Markers())
    assert slow.poll() is not None  # killed
    monkeypatch.undo()
    assert pandoc.convert("After.\n", Markers()).body == "<p>After.</p>"


def _slow_text() -> str:
    # Brackets left open: pandoc's time doubles with each (compat/pandoc_brackets.py
    # refuses such a paragraph before pandoc in a real reading).
    return "[" * 40 + "text " * 20 + "\n"


def test_workers_leave_no_pandoc_running(tmp_path: Path) -> None:
    for n in (1, 2, 3):
        (tmp_path / f"a{n}.md").write_text(GOOD, encoding="utf-8")
    before = _loops()
    result = publish("build", ".", "--jobs", "2", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _loops() - before == set()  # each worker's ended with it


def _loops() -> set[int]:
    """The long-lived pandocs of this checkout running now."""
    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(pandoc_process.LOOP).encode() in cmdline.read_bytes():
                found.add(int(cmdline.parent.name))
        except OSError:
            continue
    return found
