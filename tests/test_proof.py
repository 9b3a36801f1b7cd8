"""`publish proof` and `publish build --proof`: the editions as pictures on one sheet,
made with the real pdftoppm and Debian's Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import SAMPLE, copy_manuscript, run_publish
from PIL import Image, ImageStat

from publish.check import find_editions

SLUG = SAMPLE.stem


@pytest.fixture(scope="module")
def proofed(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's editions copied (stamp included, so nothing is rebuilt), then proofed."""
    out = tmp_path_factory.mktemp("proof")
    shutil.copytree(sample_build, out / SLUG)
    result = run_publish("proof", SAMPLE, "--out", out)
    assert result.returncode == 0, result.stderr
    assert f"proof {out / SLUG / 'proof' / 'index.html'}" in result.stdout
    assert "wrote" not in result.stdout  # up to date: proofed, not rebuilt
    return out / SLUG / "proof"


def brightness(png: Path) -> float:
    with Image.open(png) as image:
        return ImageStat.Stat(image.convert("L")).mean[0]


def test_every_pdf_page_is_a_picture(proofed: Path) -> None:
    with pikepdf.open(proofed.parent / f"{SLUG}.pdf") as pdf:
        pages = len(pdf.pages)
    assert len(list(proofed.glob("pdf-page-*.png"))) == pages


@pytest.mark.parametrize("width", [390, 1280])
def test_html_seen_at_phone_and_desktop_width_in_both_schemes(proofed: Path, width: int) -> None:
    light, dark = proofed / f"html-{width}-light.png", proofed / f"html-{width}-dark.png"
    for png in (light, dark):
        with Image.open(png) as image:
            assert image.width == width
            assert image.height > 600
    assert brightness(dark) < 100 < brightness(light)


def test_epub_title_block_and_first_text_page(proofed: Path) -> None:
    title, text = proofed / "epub-title.png", proofed / "epub-text.png"
    assert title.read_bytes() != text.read_bytes()
    for png in (title, text):
        with Image.open(png) as image:
            assert image.size == (540, 720)


def test_contact_sheet_shows_every_picture_and_the_figures(proofed: Path) -> None:
    sheet = (proofed / "index.html").read_text(encoding="utf-8")
    shown = set(re.findall(r'<img src="([^"]+)"', sheet))
    assert shown == {p.name for p in proofed.glob("*.png")}
    for ext in ("pdf", "epub", "html"):
        assert f'href="../{SLUG}.{ext}"' in sheet
    assert len(re.findall(r"[\d,]+ KB", sheet)) == 3
    with pikepdf.open(proofed.parent / f"{SLUG}.pdf") as pdf:
        assert f'<td class="n">{len(pdf.pages)}, A4</td>' in sheet


def test_check_leaves_the_contact_sheet_alone(proofed: Path) -> None:
    assert proofed / "index.html" not in find_editions([proofed.parent])


def test_build_proof_builds_then_proofs(tmp_path: Path) -> None:
    source = copy_manuscript(
        "---\ntitle: A Short Note\nauthor: A. Writer\n---\n\nOne paragraph of text.\n",
        tmp_path / "src",
        "note.md",
    )
    result = run_publish("build", source, "--out", tmp_path / "out", "--proof", "--paper", "letter")
    assert result.returncode == 0, result.stderr
    sheet = tmp_path / "out" / "note" / "proof" / "index.html"
    assert f"proof {sheet}" in result.stdout
    assert "1, Letter" in sheet.read_text(encoding="utf-8")
