"""Issue 11: figures, images, math, code and tables in the three editions, as a reader
gets them. tests/manuscripts/figures/ is built once with a 4000 x 3000 photograph made
here (noise over a gradient, JPEG quality 95, with EXIF and a comment), not committed."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, pdftotext, run_publish
from PIL import Image

FOLDER = ROOT / "tests" / "manuscripts" / "figures"
PHOTO_PX = (4000, 3000)


def make_photograph(path: Path, size: tuple[int, int] = PHOTO_PX) -> None:
    width, height = size
    across = Image.linear_gradient("L").resize(size)
    down = Image.linear_gradient("L").rotate(90).resize(size)
    ground = Image.merge("RGB", (across, down, Image.new("L", size, 120)))
    noise = Image.merge("RGB", [Image.effect_noise(size, 32) for _ in range(3)])
    exif = Image.Exif()
    exif[0x010F] = "Test camera"
    exif[0x8825] = {1: "N", 2: (45.0, 45.0, 0.0)}  # a GPS position
    Image.blend(ground, noise, 0.16).save(
        path, quality=95, exif=exif.tobytes(), comment=b"private comment"
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("figures")
    folder = work / "figures"
    shutil.copytree(FOLDER, folder)
    make_photograph(folder / "photograph.jpg")
    env = {**os.environ, "PUBLISH_CACHE": str(work / "cache")}
    result = run_publish("build", folder / "figures.md", "--out", work / "build", env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return work / "build" / "figures"


@pytest.fixture(scope="module")
def pdf_pages(built: Path) -> list[dict]:
    """Per page: text lines with their tops, images with their boxes and ppi."""
    pages = []
    with pdfplumber.open(built / "figures.pdf") as pdf:
        for page in pdf.pages:
            pages.append(
                {
                    "width": float(page.width),
                    "height": float(page.height),
                    "chars": [(c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars],
                    "text": page.extract_text() or "",
                    "images": [
                        {
                            "top": im["top"],
                            "bottom": im["bottom"],
                            "ppi": im["srcsize"][0] / ((im["x1"] - im["x0"]) / 72),
                        }
                        for im in page.images
                    ],
                    "rects": [(r["top"], r["bottom"]) for r in page.rects + page.curves],
                }
            )
    return pages


# --- the PDF ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "caption",
    [
        "A ledger page, photographed in raking light.",
        "Letters received per decade",
        "Routes of the correspondence",
    ],
)
def test_caption_on_the_page_of_its_figure(pdf_pages: list[dict], caption: str) -> None:
    on = [i for i, p in enumerate(pdf_pages) if caption in p["text"].replace("\n", " ")]
    assert len(on) == 1, caption
    page = pdf_pages[on[0]]
    # The figure (a raster image, or an SVG drawn as paths) is above its caption there.
    assert page["images"] or page["rects"], f"page {on[0] + 1} has no picture"


def largest_gap(page: dict) -> float:
    """The tallest stretch of the page's text block with nothing drawn in it (pt)."""
    spans = sorted(
        [(c[2], c[3]) for c in page["chars"]]
        + [(i["top"], i["bottom"]) for i in page["images"]]
        + page["rects"]
    )
    # The running head and the folio are outside the text block: 26 mm and 28 mm.
    top, bottom = 26 / 25.4 * 72, page["height"] - 28 / 25.4 * 72
    gap, reached = 0.0, top
    for start, end in spans:
        if end < top or start > bottom:
            continue
        gap = max(gap, start - reached)
        reached = max(reached, end)
    return max(gap, bottom - reached)


def test_no_page_more_than_a_quarter_empty(pdf_pages: list[dict]) -> None:
    block = (297 - 26 - 28) / 25.4 * 72
    gaps = [round(largest_gap(p) / block, 2) for p in pdf_pages]
    assert all(g <= 0.25 for g in gaps[:-1]), gaps


def test_images_at_most_300_ppi(pdf_pages: list[dict]) -> None:
    ppis = [i["ppi"] for p in pdf_pages for i in p["images"]]
    assert ppis, "the photograph is missing from the PDF"
    assert max(ppis) <= 301, ppis


def test_no_character_outside_the_page(pdf_pages: list[dict]) -> None:
    for number, page in enumerate(pdf_pages, start=1):
        for x0, x1, top, bottom in page["chars"]:
            assert 0 <= x0 and x1 <= page["width"], (number, x0, x1)
            assert 0 <= top and bottom <= page["height"], (number, top, bottom)


def test_code_in_a_monospace_face(built: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", built / "figures.pdf"], capture_output=True, text=True, check=True
    ).stdout
    assert "Publish-Mono" in fonts


def test_line_numbers_not_copied_with_the_code(built: Path) -> None:
    text = pdftotext(built / "figures.pdf")
    line = next(ln for ln in text.splitlines() if "def by_date(records):" in ln)
    assert line.strip().startswith("def by_date"), line


def test_formulas_drawn_not_tex(built: Path) -> None:
    text = pdftotext(built / "figures.pdf")
    for tex in ("\\frac", "\\sum", "\\int", "\\bar", "$$"):
        assert tex not in text
    assert "(1)" in text  # the labelled equation's number
    # The long code line wraps instead of being cut: its end is there.
    assert "# 150 columns" in text


def test_formulas_tagged_with_their_tex(built: Path) -> None:
    from reading import formula_alts

    formulas = formula_alts(built / "figures.pdf")
    assert "E = mc^2" in formulas
    assert any(f.startswith("\\int_0^\\infty") for f in formulas)


# --- HTML and EPUB ----------------------------------------------------------------


def test_html_has_mathml_and_sized_images(built: Path) -> None:
    page = (built / "figures.html").read_text(encoding="utf-8")
    assert page.count("<math") >= 5
    assert '<annotation encoding="application/x-tex">E = mc^2</annotation>' in page
    assert 'id="eq-variance"' in page and "(1)" in page
    tag = re.search(r'<img width="(\d+)" height="(\d+)" src="data:image/jpeg;base64,([^"]+)"', page)
    assert tag, "the photograph has no width/height attributes"
    assert (int(tag.group(1)), int(tag.group(2))) == (1600, 1200)
    assert 'alt="Grey paper' in page  # fig-alt is the alt text, the caption the caption
    assert re.search(r"<figcaption>(<span[^>]*>[^<]*</span> )?A ledger page", page)


def test_epub_mathml_property_and_images(built: Path) -> None:
    with zipfile.ZipFile(built / "figures.epub") as book:
        opf = book.read("EPUB/content.opf").decode()
        article = book.read("EPUB/article.xhtml").decode()
        photo = book.read(next(n for n in book.namelist() if n.endswith("photograph.jpg")))
    item = re.search(r'<item [^>]*href="article.xhtml"[^>]*>', opf).group(0)
    assert "mathml" in item
    assert "<math" in article
    image = Image.open(io.BytesIO(photo))
    assert max(image.size) == 1600 and image.format == "JPEG"
    assert not image.getexif() and "comment" not in image.info


def test_fonts_subset_includes_mono_only_with_code(built: Path) -> None:
    with zipfile.ZipFile(built / "figures.epub") as book:
        assert any("mono-400" in n for n in book.namelist())


# --- images: sizes, stripping, cache, bad files -------------------------------------


def test_sized_images_are_deterministic_and_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish import images
    from publish.document import Resource

    make_photograph(tmp_path / "p.jpg", (2400, 1800))
    resource = Resource("p.jpg", tmp_path / "p.jpg", "image/jpeg", "")
    monkeypatch.setenv("PUBLISH_CACHE", str(tmp_path / "cache"))
    images._cached.cache_clear()
    first = images.for_screen(resource)
    stored = list((tmp_path / "cache").rglob("*"))
    assert any(p.is_file() for p in stored)
    images._cached.cache_clear()
    monkeypatch.setenv("PUBLISH_CACHE", "")  # no disk cache: encoded afresh
    again = images.for_screen(resource)
    assert first.data == again.data
    assert (first.width, first.height) == (1600, 1200)
    printed = images.for_print(resource)
    assert printed.width == images.print_max_px()[0]  # 128 mm at 300 ppi


def _bomb(path: Path, side: int = 30_000) -> None:
    """A 30,000 x 30,000 PNG of 100 KB: one bit a pixel, all zeros, compressed."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    squeeze = zlib.compressobj(9)
    row = b"\0" * (1 + side // 8)
    data = b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("kind", ["bomb", "truncated", "html", "mislabelled"])
def test_bad_image_is_a_located_error(tmp_path: Path, kind: str) -> None:
    name = {"bomb": "big.png", "truncated": "cut.jpg", "html": "page.png", "mislabelled": "x.png"}
    target = tmp_path / name[kind]
    if kind == "bomb":
        _bomb(target)
    elif kind == "truncated":
        make_photograph(tmp_path / "whole.jpg", (800, 600))
        whole = (tmp_path / "whole.jpg").read_bytes()
        target.write_bytes(whole[: len(whole) // 3])
    elif kind == "html":
        target.write_text("<!doctype html><p>not an image</p>", encoding="utf-8")
    else:
        make_photograph(target.with_suffix(".jpg"), (80, 60))
        target.write_bytes(target.with_suffix(".jpg").read_bytes())
    manuscript = tmp_path / "a.md"
    manuscript.write_text(
        f"---\ntitle: T\n---\n\nText.\n\n![A picture]({target.name})\n", encoding="utf-8"
    )
    result = run_publish(
        "build", manuscript, "--out", tmp_path / "out", "--format", "html",
        env={**os.environ, "PUBLISH_CACHE": ""},
    )  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"a.md:7: error: image '{target.name}'" in result.stderr


def test_unreadable_tex_is_a_warning_at_its_line(tmp_path: Path) -> None:
    manuscript = tmp_path / "m.md"
    manuscript.write_text("---\ntitle: T\n---\n\nText.\n\n$$\n\\frac{1}{\n$$\n", encoding="utf-8")
    result = run_publish("build", manuscript, "--out", tmp_path / "out", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "m.md:8: warning: TeX math" in result.stderr


def test_image_without_alt_or_caption_is_a_warning(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8), "gray").save(tmp_path / "dot.png")
    manuscript = tmp_path / "m.md"
    manuscript.write_text(
        "---\ntitle: T\n---\n\nText.\n\n![](dot.png)\n\n![A grey dot](dot.png)\n",
        encoding="utf-8",
    )
    result = run_publish("build", manuscript, "--out", tmp_path / "out", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert "m.md:7: warning: image 'dot.png' has neither alt text nor caption" in result.stderr
    assert result.stderr.count("neither alt text") == 1


def test_a_size_pandoc_cannot_read_is_a_warning_at_its_line(tmp_path: Path) -> None:
    """pandoc's HTML writer drops `{height="1 inch"}` without a word; the picture would
    come out at its own size with nothing said."""
    from publish.read import read

    Image.new("RGB", (8, 8), "gray").save(tmp_path / "dot.png")
    manuscript = tmp_path / "m.md"
    manuscript.write_text(
        '---\ntitle: T\n---\n\n![A dot](dot.png){height="1 inch"}\n\n'
        "![B dot](dot.png){width=3in}\n\nA ![C](dot.png){width=big} dot.\n",
        encoding="utf-8",
    )
    doc = read(manuscript)
    found = [(d.line, d.message.split(":")[0]) for d in doc.diagnostics]
    assert found == [
        (5, "image size 'height=1 inch' is not a length"),
        (9, "image size 'width=big' is not a length"),
    ]
    assert 'style="width:3in"' in doc.body


def test_a_label_given_twice_numbers_both_figures() -> None:
    """LaTeX numbers both and leads references to the first; so do we, with one warning
    (tests/cases/latex-label-given-twice has it)."""
    from publish.read import read

    doc = read(ROOT / "tests" / "cases" / "latex-label-given-twice" / "in.md")
    assert re.findall(r"Figure\xa0(\d)\.", doc.body) == ["1", "2"]
    assert doc.body.count('id="fig-a"') == 1


def test_a_plos_nameref_links_to_its_heading_by_its_words() -> None:
    """PLOS's Quarto template: [s1-video]{.nameref} is LaTeX's \\nameref{S1_Video}."""
    from publish.read import read

    doc = read(ROOT / "tests" / "cases" / "plos-nameref" / "in.md")
    assert '<a href="#s1-video" class="nameref">S1 Video.</a>' in doc.body
    assert "nothing-here" in doc.body  # as written, with a warning (see its case)


def test_mathml_beside_raw_html_stays_valid_xhtml() -> None:
    from publish.xhtml import to_xhtml

    math = (
        '<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML"><semantics>'
        '<mn>2</mn><annotation encoding="application/x-tex">2</annotation></semantics></math>'
    )
    out = to_xhtml(f"<p>a<br>b {math}</p>")  # <br> is not XML: the HTML parser runs
    assert "ns0:" not in out and "ns1:" not in out
    assert '<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML">' in out


def test_an_image_within_the_limits_is_passed_as_it_is(tmp_path: Path) -> None:
    from publish import images
    from publish.document import Resource

    Image.new("RGB", (40, 30), "red").save(tmp_path / "small.png")
    resource = Resource("small.png", tmp_path / "small.png", "image/png", "")
    images._cached.cache_clear()
    assert images.for_screen(resource).data == (tmp_path / "small.png").read_bytes()


def test_mathml_read_whole_and_without_warnings(tmp_path: Path) -> None:
    """The text is parsed and sanitised once (read/markup.py, sanitize.py): MathML comes
    back in pandoc's own form, and a matrix's cell alignment is no warning."""
    from publish.read import read

    manuscript = tmp_path / "m.md"
    manuscript.write_text(
        "---\ntitle: T\n---\n\nBefore<br>$x^2$ and\n\n"
        "$$\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}$$\n",
        encoding="utf-8",
    )
    doc = read(manuscript)
    assert [d.message for d in doc.diagnostics] == []
    assert '<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML">' in doc.body
    assert 'style="text-align: center"' in doc.body
    assert "{http" not in doc.body
