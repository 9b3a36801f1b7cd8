"""Page-foot notes on the page of their call, without the multi-column box: the fix of
WeasyPrint's footnote reporting (publish/compat/weasyprint_footnotes.py), its guard, and
its fallback."""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import weasyprint
from conftest import ROOT, SAMPLE
from manuscripts_kit import publish
from notes_kit import dense_notes, misplaced
from weasyprint.layout import block

from publish.compat import BY_NAME, weasyprint_footnote_area, weasyprint_footnotes
from publish.editions import pdf
from publish.options import Options
from publish.read import read

SEEDS = range(1, 7)


def _original() -> object:
    return getattr(block._linebox_layout, "__wrapped__", block._linebox_layout)


def test_the_fix_matches_the_installed_weasyprint() -> None:
    # When this fails, WeasyPrint has changed: read the docstring of
    # publish/compat/weasyprint_footnotes.py, see whether upstream fixed the bug (then
    # drop the fix) or the code moved (then write it again), before moving the pin.
    source = inspect.getsource(_original())
    assert weasyprint.__version__ == weasyprint_footnotes.VERSION, (
        f"WeasyPrint {weasyprint.__version__}: the footnote fix is written for "
        f"{weasyprint_footnotes.VERSION}; the PDF edition falls back to the multi-column box"
    )
    assert weasyprint_footnotes.check(weasyprint.__version__, source) is None
    assert BY_NAME["weasyprint_footnotes"].written_for == weasyprint_footnotes.VERSION


def test_the_fix_replaces_one_expression_in_place() -> None:
    assert weasyprint_footnotes.apply()
    fixed = block._linebox_layout
    assert fixed.__wrapped__ is _original()
    assert fixed.__code__.co_firstlineno == _original().__code__.co_firstlineno
    assert fixed.__code__.co_filename == _original().__code__.co_filename
    assert fixed.__globals__ is block.__dict__
    assert weasyprint_footnotes.apply()  # once: a second call changes nothing
    assert block._linebox_layout is fixed
    assert "column-count" not in pdf.print_css(Options())


@pytest.fixture(scope="module")
def dense_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six seeded manuscripts with a note in every paragraph, built to PDF by the real
    command."""
    folder = tmp_path_factory.mktemp("dense")
    for seed in SEEDS:
        (folder / f"dense-{seed}.md").write_text(dense_notes(seed)[0], encoding="utf-8")
    result = publish("build", ".", "--format", "pdf", "--jobs", "2", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return folder / "build"


@pytest.mark.parametrize("seed", SEEDS)
def test_dense_notes_on_the_page_of_their_call(dense_build: Path, seed: int) -> None:
    wrong, total = misplaced(dense_build / f"dense-{seed}" / f"dense-{seed}.pdf")
    assert total == dense_notes(seed)[1]
    assert wrong == []


@pytest.fixture
def weasyprint_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as if WeasyPrint's ``_linebox_layout`` were other code than the fix
    was written for (put back afterwards by monkeypatch)."""
    original = _original()

    def _linebox_layout(*args: object) -> object:  # a different source, same behaviour
        return original(*args)

    monkeypatch.setattr(block, "_linebox_layout", _linebox_layout)
    monkeypatch.setattr(weasyprint_footnotes, "_applied", None)


def test_another_weasyprint_falls_back_to_the_column_box_with_one_warning(
    weasyprint_changed: None, tmp_path: Path
) -> None:
    changed = block._linebox_layout
    with pytest.warns(weasyprint_footnotes.FootnoteFixUnavailable, match="not the code"):
        css = pdf.print_css(Options())
    assert "column-count: 1" in css
    assert block._linebox_layout is changed  # nothing patched
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a second edition warns no more
        assert "column-count: 1" in pdf.print_css(Options())
        doc = read(SAMPLE)
        (tmp_path / "sample.pdf").write_bytes(pdf.render(doc, Options(out=tmp_path)))
    wrong, total = misplaced(tmp_path / "sample.pdf")
    assert (wrong, total) == ([], 3)


def test_another_version_is_refused_even_with_the_same_source() -> None:
    source = inspect.getsource(_original())
    assert "written for WeasyPrint 70.0, this is 71.0" in weasyprint_footnotes.check("71.0", source)
    edited = source.replace("bottom_space", "bottom_space ")
    assert "not the code" in weasyprint_footnotes.check(weasyprint_footnotes.VERSION, edited)


# The footnote area in linear time (publish/compat/weasyprint_footnote_area.py): the
# same bytes as WeasyPrint as shipped, each note laid out once per page, and WeasyPrint
# as shipped when its code is not the code the memo was written for.

AREA = """
import hashlib, sys
from pathlib import Path
from weasyprint.formatting_structure.boxes import FootnoteAreaBox
from weasyprint.layout import block
from publish.compat import weasyprint_footnote_area as area
if sys.argv[2] == "shipped":
    area.apply = lambda: False
if sys.argv[2] == "changed":
    import weasyprint
    weasyprint.__version__ = "71.0"  # as if the pin had moved
from publish.editions import pdf
from publish.options import Options
from publish.read import read
laid_out = 0
switch = block.block_level_layout_switch
def counting(context, box, bottom_space, skip_stack, containing_block, *args):
    global laid_out
    laid_out += type(containing_block) is FootnoteAreaBox
    return switch(context, box, bottom_space, skip_stack, containing_block, *args)
block.block_level_layout_switch = counting
data = pdf.render(read(Path(sys.argv[1])), Options(out=Path(sys.argv[3])))
(Path(sys.argv[3]) / "notes.pdf").write_bytes(data)
print(hashlib.sha256(data).hexdigest(), laid_out, area.apply())
"""


def _render_notes(source: Path, mode: str, out: Path) -> tuple[str, int, bool]:
    out.mkdir()
    run = subprocess.run(
        [sys.executable, "-c", AREA, str(source), mode, str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    digest, count, applied = run.stdout.split()
    return digest, int(count), applied == "True"


def test_the_area_memo_matches_the_installed_weasyprint() -> None:
    assert weasyprint_footnote_area.VERSION == weasyprint_footnotes.VERSION
    assert (
        weasyprint_footnote_area.check(weasyprint.__version__, weasyprint_footnote_area.sources())
        is None
    )
    assert weasyprint_footnote_area.apply()


def test_the_area_memo_refuses_other_code() -> None:
    code = weasyprint_footnote_area.sources()
    assert "this is 71.0" in (weasyprint_footnote_area.check("71.0", code) or "")
    edited = [code[0].replace("-inf", "0"), *code[1:]]
    assert "not the code" in (
        weasyprint_footnote_area.check(weasyprint_footnote_area.VERSION, edited) or ""
    )


def test_each_note_laid_out_once_per_page_and_the_same_bytes(tmp_path: Path) -> None:
    source = tmp_path / "dense.md"
    text, count = dense_notes(3, paragraphs=60)
    source.write_text(text, encoding="utf-8")
    shipped = _render_notes(source, "shipped", tmp_path / "shipped")
    memo = _render_notes(source, "memo", tmp_path / "memo")
    changed = _render_notes(source, "changed", tmp_path / "changed")
    assert shipped[2] is False and memo[2] is True
    assert memo[0] == shipped[0]  # byte for byte
    # Shipped, a page of n notes lays out 1 + 2 + ... + n of them, then the area drawn:
    # 270 layouts for 60 notes.
    assert shipped[1] > 2.5 * count
    assert memo[1] <= 1.2 * count  # each note once (a few again, on a page made again)
    # Another WeasyPrint: not applied, the area laid out as shipped (here inside the
    # column box of the other fix's fallback, which places notes its own way).
    assert changed[2] is False
    assert changed[1] > 2.5 * count
    assert misplaced(tmp_path / "memo" / "notes.pdf") == ([], count)
