"""Issue 21 (figures as authors have them) and issue 25 item 4 (large pictures): PDF
figures in all three editions, ``../`` paths and site variables resolved inside
``--resource-path`` folders, a PNG photograph sent as JPEG, SVG text in our faces, a
144-million-pixel scan. Real pandoc, WeasyPrint, poppler and libvips; what a reader gets
is read back from the editions."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT, run_publish
from PIL import Image

from publish.images import Sized, photo
from publish.read import pandoc
from publish.read.site_paths import in_image_address, site_path
from publish.read.svg_fonts import in_our_faces

HOOKED = hasattr(pandoc, "PDF_FIGURES_FILTER")
"""PDF figures reach the boundary only once read/pandoc.py runs filters/pdf_figures.lua
(the hook the lead adds: see that filter); before, pandoc writes them as <embed>."""
NO_CACHE = {**os.environ, "PUBLISH_CACHE": ""}


def write(path: Path, body: str, front: str = "title: Figures") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n\nSome text.\n\n{body}", encoding="utf-8")
    return path


def pdf_figure(path: Path) -> None:
    """A one-page vector PDF: a red square and a line of text (WeasyPrint draws it)."""
    from weasyprint import HTML

    HTML(
        string="<style>@page{size:40mm 30mm;margin:0}</style>"
        '<svg width="40mm" height="30mm" viewBox="0 0 40 30">'
        '<rect x="5" y="5" width="20" height="20" fill="#ff0000"/>'
        '<text x="27" y="15" font-size="4">Fig</text></svg>'
    ).write_pdf(path)


def html_images(html: str) -> list[str]:
    return re.findall(r'<img\b[^>]*\ssrc="([^"]*)"', html)


def red_pixels(png: Path) -> int:
    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(1 << 24) or []
        return sum(n for n, (r, g, b) in colours if r > 200 and g < 60 and b < 60)


@pytest.mark.skipif(not HOOKED, reason="read/pandoc.py does not run filters/pdf_figures.lua")
def test_a_pdf_figure_is_vector_in_the_pdf_and_an_image_in_html_and_epub(
    tmp_path: Path,
) -> None:
    pdf_figure(tmp_path / "plot.pdf")
    manuscript = write(tmp_path / "a.md", "![A red square.](plot.pdf)\n")
    result = run_publish("build", manuscript, "--out", tmp_path / "build", env=NO_CACHE)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / "a"
    # PDF: drawn (red on the page), and as paths, with no picture of it.
    with pikepdf.open(out / "a.pdf") as pdf:
        page = pdf.pages[0]
        images = [
            x for x in page.Resources.get("/XObject", {}).values() if x.get("/Subtype") == "/Image"
        ]
        assert not images, "the PDF figure became a raster image"
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", out / "a.pdf", tmp_path / "p"],
        check=True,
    )
    assert red_pixels(next(tmp_path.glob("p*.png"))) > 50
    # HTML: an <img> whose source is the drawing.
    html = (out / "a.html").read_text(encoding="utf-8")
    sources = html_images(html)
    assert any(s.startswith("data:image/svg+xml;base64,") for s in sources), sources
    drawing = base64.b64decode(sources[0].split(",", 1)[1])
    assert b"<svg" in drawing and b"rgb(100%,0%,0%)" in drawing  # the red square, as paths
    # EPUB: the drawing is an item of its own, and the text shows it.
    with zipfile.ZipFile(out / "a.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        article = epub.read("EPUB/article.xhtml").decode()
    assert 'media-type="image/svg+xml"' in opf
    assert re.search(r'<img [^>]*src="images/[^"]+"[^>]*alt="A red square."', article), article


@pytest.mark.skipif(not HOOKED, reason="read/pandoc.py does not run filters/pdf_figures.lua")
def test_an_eps_figure_is_refused_at_its_line_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "plot.eps").write_text("%!PS-Adobe-3.0 EPSF-3.0\n", encoding="utf-8")
    manuscript = write(tmp_path / "a.md", "![A plot.](plot.eps)\n")
    result = run_publish("build", manuscript, "--out", tmp_path / "build", "--format", "html")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"a\.md:7: error: image 'plot\.eps' .*convert it to PDF or SVG", result.stderr)


@pytest.mark.skipif(not HOOKED, reason="read/pandoc.py does not run filters/pdf_figures.lua")
def test_a_pdf_that_is_not_one_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "plot.pdf").write_text("<html>not a pdf</html>", encoding="utf-8")
    manuscript = write(tmp_path / "a.md", "![A plot.](plot.pdf)\n")
    result = run_publish("build", manuscript, "--out", tmp_path / "build", "--format", "html")
    assert result.returncode == 1
    assert "a.md:7: error: image 'plot.pdf' is not a PDF file" in result.stderr


def repository(tmp_path: Path) -> Path:
    """A software repository as JOSS papers sit in: paper/paper.md, docs/images/."""
    (tmp_path / "repo" / "docs" / "images").mkdir(parents=True)
    Image.new("RGB", (300, 200), "#3366cc").save(tmp_path / "repo/docs/images/fig0.png")
    write(tmp_path / "repo/paper/paper.md", "![The first figure.](../docs/images/fig0.png)\n")
    return tmp_path / "repo"


def test_a_path_leaving_the_folder_is_found_in_a_resource_path_folder(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    paper = repo / "paper" / "paper.md"
    refused = run_publish("build", paper, "--out", tmp_path / "b1", "--format", "html")
    assert refused.returncode == 1
    assert "paper.md:7: error: image '../docs/images/fig0.png': the path leaves" in (refused.stderr)
    built = run_publish(
        "build", paper, "--out", tmp_path / "b2", "--format", "html",
        "--resource-path", repo / "docs",
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "b2" / "paper" / "paper.html").read_text(encoding="utf-8")
    assert any(s.startswith("data:image/png;base64,") for s in html_images(html))
    # a folder named that does not hold the file still refuses it
    (tmp_path / "elsewhere").mkdir()
    other = run_publish(
        "build", paper, "--out", tmp_path / "b3", "--format", "html",
        "--resource-path", tmp_path / "elsewhere",
    )  # fmt: skip
    assert other.returncode == 1 and "the path leaves" in other.stderr


def test_site_variables_resolve_in_the_site_folder_at_the_image_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets" / "img").mkdir(parents=True)
    Image.new("RGB", (120, 80), "#cc3333").save(site / "assets/img/map.png")
    Image.new("RGB", (80, 120), "#33cc33").save(site / "assets/img/tree.png")
    manuscript = write(
        site / "_posts" / "essay.md",
        "![A map.]({{site.url}}/assets/img/map.png)\n\n"
        "![A tree.]({{ site.baseurl }}/assets/img/tree.png)\n",
    )
    alone = run_publish("build", manuscript, "--out", tmp_path / "b1", "--format", "html")
    assert alone.returncode == 1
    assert "essay.md:7: error: image '{{site.url}}/assets/img/map.png' is an address" in (
        alone.stderr
    )
    assert "essay.md:9: error: image '{{ site.baseurl }}/assets/img/tree.png'" in alone.stderr
    built = run_publish(
        "build", manuscript, "--out", tmp_path / "b2", "--format", "html",
        "--resource-path", site,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "b2" / "essay" / "essay.html").read_text(encoding="utf-8")
    assert len([s for s in html_images(html) if s.startswith("data:image/png")]) == 2


def test_site_paths_as_jekyll_writes_them() -> None:
    assert site_path("%7B%7Bsite.url%7D%7D/assets/x.png") == "/assets/x.png"
    assert site_path("{{site.url}}{{site.baseurl}}/x.png") == "/x.png"
    assert site_path('{{ "/img/x.png" | relative_url }}') == "/img/x.png"
    assert site_path("{{ 'img/x.png' | absolute_url }}") == "/img/x.png"
    assert site_path("{{ page.image }}") is None
    assert site_path("img/x.png") is None
    assert in_image_address("![a]({{site.url}}/x.png)", "{{site.url}}")
    assert in_image_address(
        '![a](<{{ "/x.png" | relative_url }}>)', '{{ "/x.png" | relative_url }}'
    )
    assert not in_image_address("Hello {{ page.title }}", "{{ page.title }}")


def photograph_png(path: Path, size: tuple[int, int] = (1200, 800)) -> None:
    across = Image.linear_gradient("L").resize(size)
    down = Image.linear_gradient("L").rotate(90).resize(size)
    ground = Image.merge("RGB", (across, down, Image.new("L", size, 120)))
    noise = Image.merge("RGB", [Image.effect_noise(size, 32) for _ in range(3)])
    Image.blend(ground, noise, 0.2).save(path)


def test_a_png_photograph_is_a_jpeg_in_the_html_and_a_drawing_stays_png(
    tmp_path: Path,
) -> None:
    photograph_png(tmp_path / "photo.png")
    chart = Image.new("RGB", (1200, 800), "white")
    chart.paste((20, 60, 200), (100, 100, 600, 700))
    chart.save(tmp_path / "chart.png")
    manuscript = write(tmp_path / "a.md", "![A photograph.](photo.png)\n\n![A chart.](chart.png)\n")
    result = run_publish("build", manuscript, "--out", tmp_path / "b", env=NO_CACHE)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "b" / "a" / "a.html").read_text(encoding="utf-8")
    photo_src, chart_src = html_images(html)
    assert photo_src.startswith("data:image/jpeg;base64,")
    assert chart_src.startswith("data:image/png;base64,")
    jpeg = base64.b64decode(photo_src.split(",", 1)[1])
    assert len(jpeg) * 2 <= (tmp_path / "photo.png").stat().st_size
    with Image.open(io.BytesIO(jpeg)) as image:
        assert image.format == "JPEG" and image.size == (1200, 800)
    # the same bytes again (reproducible)
    again = run_publish("build", manuscript, "--out", tmp_path / "c", env=NO_CACHE)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "c" / "a" / "a.html").read_text(encoding="utf-8") == html


def test_photo_keeps_a_transparent_png() -> None:
    image = Image.effect_noise((400, 400), 60).convert("RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    sized = Sized(buffer.getvalue(), "image/png", 400, 400)
    assert photo(sized) is sized or photo(sized).media_type == "image/png"


def test_svg_text_is_set_in_our_faces(tmp_path: Path) -> None:
    from lxml import etree

    svg = etree.fromstring(
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>.t{font-family:Futura}</style>'
        b'<text font-family="DejaVu Sans">a</text>'
        b"<text style=\"font-size:3px;font-family:'Courier New'\">b</text></svg>"
    )
    assert in_our_faces(svg)
    text = etree.tostring(svg).decode()
    assert "Futura" not in text and "DejaVu" not in text and "Courier" not in text
    assert 'font-family="&quot;Publish Text&quot;' in text or "Publish Text" in text
    assert "Publish Mono" in text

    (tmp_path / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">'
        '<text x="5" y="40" font-family="Futura, sans-serif" font-size="30">Chart</text></svg>',
        encoding="utf-8",
    )
    manuscript = write(tmp_path / "a.md", "![A chart.](chart.svg)\n")
    result = run_publish("build", manuscript, "--out", tmp_path / "b", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    fonts = subprocess.run(
        ["pdffonts", tmp_path / "b" / "a" / "a.pdf"], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("Publish" in name for name in names), fonts


SCAN = """
from PIL import Image
side = 12_000
across = Image.linear_gradient("L").resize((side, side))
flipped = across.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
Image.merge("RGB", (across, across.rotate(90), flipped)).save(r"{path}", compress_level=9)
"""
LAUNCH = """
import resource, subprocess, sys
done = subprocess.run([sys.executable, "-m", "publish", *sys.argv[1:]])
print("peak", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, "MB")
sys.exit(done.returncode)
"""


def test_a_144_megapixel_scan_builds_at_each_edition_size(tmp_path: Path) -> None:
    # Made and built in processes of their own: Linux passes a parent's peak memory on
    # to a child it starts, and this one would carry the 600 MB the scan took to make.
    subprocess.run([sys.executable, "-c", SCAN.format(path=tmp_path / "scan.png")], check=True)
    manuscript = write(tmp_path / "a.md", "![A scanned map.](scan.png)\n")
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH, "build", manuscript, "--out", tmp_path / "b",
         "--format", "html,pdf"],
        capture_output=True, text=True, env=NO_CACHE, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    peak = re.search(r"peak (\d+) MB", result.stdout)
    # decoded whole by Pillow, the scan alone takes 600 MB
    assert peak and int(peak.group(1)) < 350, result.stdout
    html = (tmp_path / "b" / "a" / "a.html").read_text(encoding="utf-8")
    data = base64.b64decode(html_images(html)[0].split(",", 1)[1])
    with Image.open(io.BytesIO(data)) as image:
        assert max(image.size) == 1600
    with pikepdf.open(tmp_path / "b" / "a" / "a.pdf") as pdf:
        widths = [
            int(x.Width)
            for page in pdf.pages
            for x in page.Resources.get("/XObject", {}).values()
            if x.get("/Subtype") == "/Image"
        ]
    assert widths == [1512]  # 128 mm at 300 ppi


def test_a_picture_past_250_megapixels_is_still_refused_at_its_line(tmp_path: Path) -> None:
    from test_figures import _bomb

    _bomb(tmp_path / "huge.png", side=16_000)
    manuscript = write(tmp_path / "a.md", "![A huge scan.](huge.png)\n")
    result = run_publish("build", manuscript, "--out", tmp_path / "b", "--format", "html")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "a.md:7: error: image 'huge.png' has more than 250,000,000 pixels" in result.stderr
