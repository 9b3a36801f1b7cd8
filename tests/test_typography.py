"""House typography, checked on the real editions: what a reader of the PDF, the
EPUB and the HTML page gets. The fonts are the shipped ones and only those; the
PDF is hyphenated, keeps headings with their text, carries running heads and
folios, has the paper asked for, and sets Persian in the Arabic-script face."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from conftest import MANUSCRIPTS, SAMPLE, copy_manuscript, pdftotext, run_publish
from fontTools.ttLib import TTFont
from playwright.sync_api import Browser

from publish import fonts
from publish.proof.browser import chromium

PERSIAN = "کلیله و دمنه از کتاب‌های کهن هندی است که به فارسی ترجمه شده است"
POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}


def build_pdf(source: Path, out: Path, *extra: str) -> Path:
    result = run_publish("build", source, "--out", out, "--format", "pdf", *extra)
    assert result.returncode == 0, result.stderr
    return out / source.stem / f"{source.stem}.pdf"


@pytest.fixture(scope="module")
def sample_pdf(sample_build: Path) -> Path:
    return sample_build / f"{SAMPLE.stem}.pdf"


@pytest.fixture(scope="module")
def features_pdf(built: Callable[[str], Path]) -> Path:
    return built("features") / "features.pdf"


def page_texts(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    return [pdftotext(pdf, n, n) for n in range(1, count + 1)]


# Fonts ------------------------------------------------------------------------------


def pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


@pytest.mark.parametrize("which", ["sample_pdf", "features_pdf"])
def test_pdf_embeds_only_our_fonts_as_subsets(which: str, request: pytest.FixtureRequest) -> None:
    rows = pdffonts(request.getfixturevalue(which))
    assert rows
    for row in rows:
        name, emb, sub = row[0], row[-5], row[-4]
        assert re.fullmatch(r"[A-Z]{6}\+Publish-(Text|Arabic)(-Bold)?(-Italic)?", name), row
        assert (emb, sub) == ("yes", "yes"), row


def font_runs(pdf: Path) -> list[tuple[str, str, list[int]]]:
    """(font, text, glyph ids) of every text-showing operator, in stream order."""
    runs = []
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            faces = {
                str(key): (str(font.BaseFont).split("+")[-1], _to_unicode(font))
                for key, font in page.Resources.get("/Font", {}).items()
            }
            face = None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    face = faces.get(str(operands[0]))
                elif str(operator) in ("Tj", "TJ") and face:
                    parts = operands[0] if str(operator) == "TJ" else [operands[0]]
                    data = b"".join(bytes(p) for p in parts if isinstance(p, pikepdf.String))
                    gids = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
                    runs.append((face[0], "".join(face[1].get(g, "\ufffd") for g in gids), gids))
    return runs


def _to_unicode(font: pikepdf.Object) -> dict[int, str]:
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    table = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    return table


def test_persian_is_set_in_the_arabic_face_right_to_left_and_joined(features_pdf: Path) -> None:
    runs = font_runs(features_pdf)
    arabic_runs = [r for r in runs if r[0] == "Publish-Arabic"]
    assert arabic_runs, "no text in the Arabic-script face"
    letters = {c for c in PERSIAN if fonts.is_arabic(c)}
    elsewhere = {c for face, text, _ in runs if face != "Publish-Arabic" for c in text}
    assert not letters & elsewhere, "Persian letters set in another face"
    shown = "".join(text for _, text, _ in arabic_runs)
    # Right to left: the glyphs run left to right on the page, so the words come reversed.
    assert "کلیله و دمنه"[::-1] in shown
    # Joined: one letter drawn by several glyphs (its initial, medial and final forms).
    forms: dict[str, set[int]] = {}
    for _, text, gids in arabic_runs:
        for char, gid in zip(text, gids, strict=True):
            forms.setdefault(char, set()).add(gid)
    assert len(forms["ه"]) >= 2, "no contextual forms: the letters are not joined"


def embedded_fonts(page: str) -> list[TTFont]:
    uris = re.findall(r'url\("data:font/woff;base64,([A-Za-z0-9+/=]+)"\)', page)
    return [TTFont(io.BytesIO(base64.b64decode(uri))) for uri in uris]


def test_html_carries_subsets_that_cover_its_text(sample_build: Path) -> None:
    page = (sample_build / f"{SAMPLE.stem}.html").read_text(encoding="utf-8")
    subsets = embedded_fonts(page)
    assert len(subsets) == 4  # text face in four styles; no Arabic in the sample
    body = re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1])
    needed = {ord(c) for c in body if not c.isspace()}
    for subset in subsets:
        assert needed <= set(subset.getBestCmap()), "a character would fall back"
        assert len(subset.getGlyphOrder()) < 300, "not subset"
        assert "Charis" not in " ".join(str(n) for n in subset["name"].names if n.nameID == 1)


def test_epub_embeds_subset_fonts_that_a_reader_can_override(sample_build: Path) -> None:
    with zipfile.ZipFile(sample_build / f"{SAMPLE.stem}.epub") as epub:
        names = epub.namelist()
        opf = epub.read(next(n for n in names if n.endswith(".opf"))).decode()
        css = epub.read(next(n for n in names if n.endswith("style.css"))).decode()
        fonts_in = [n for n in names if n.endswith(".ttf")]
        assert len(fonts_in) == 4
        for name in fonts_in:
            assert len(epub.read(name)) < 80_000
    assert opf.count('media-type="font/ttf"') == 4
    assert "@font-face" in css and 'font-family: "Publish Text"' in css
    # The reader's settings win: no colours, no absolute sizes or body margins.
    bare = re.sub(r"/\*.*?\*/|@namespace[^;]*;", "", css, flags=re.S)
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", bare))
    body = next(v for k, v in rules.items() if k.strip() == "body")
    assert "margin" not in body and "font-size" not in body
    assert not re.search(r"(?<![-\w])color\s*:", css)
    assert not re.search(r"font-size:\s*[\d.]+(px|pt)", css)


def test_font_subsets_are_deterministic() -> None:
    face = fonts.FACES[0]
    text = "Ṭāleqānī, Møller, Laramée"
    assert fonts.subset_font(face.path, text) == fonts.subset_font(face.path, text)


# PDF layout ---------------------------------------------------------------------------


def test_text_is_hyphenated(sample_pdf: Path) -> None:
    # WeasyPrint marks the hyphens it adds with U+2010; -raw keeps them at line ends.
    lines = pdftotext(sample_pdf, raw=True).splitlines()
    hyphenated = [line for line in lines if line.endswith("\u2010")]
    assert hyphenated, "no line ends in a hyphen the layout added"


def test_running_heads_and_folios_on_every_page_but_the_first(sample_pdf: Path) -> None:
    pages = page_texts(sample_pdf)
    assert len(pages) >= 3
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert first[-1] != "1", "the first page has a folio"
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        head = "Terrorism Monitor · Volume 3 · Issue 2"
        if number % 2:  # recto: the short title
            head = "The Disintegration of Mojahedin-e Khalq in Post-Saddam Iraq"
        assert head in lines, f"page {number}: no running head"
        assert str(number) in lines, f"page {number}: no folio"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_page_size_matches_paper(paper: str, sample_pdf: Path, tmp_path: Path) -> None:
    pdf = sample_pdf if paper == "a4" else build_pdf(SAMPLE, tmp_path, "--paper", paper)
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            width, height = (float(v) for v in page.MediaBox[2:])
            assert (width, height) == pytest.approx(POINTS[paper], abs=0.5)


def test_print_marks_add_bleed_around_the_trimmed_page(tmp_path: Path) -> None:
    pdf = build_pdf(SAMPLE, tmp_path, "--print-marks")
    with pikepdf.open(pdf) as document:
        page = document.pages[0]
        trim = [float(v) for v in page.TrimBox]
        media = [float(v) for v in page.MediaBox]
        bleed = [float(v) for v in page.BleedBox]
    assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(POINTS["a4"], abs=0.5)
    # 6 mm (17 pt) of bleed each side, crop marks in its outer half; WeasyPrint
    # puts the PDF's BleedBox between the trim and the sheet's edge.
    assert media[2] - media[0] == pytest.approx(trim[2] - trim[0] + 2 * 17, abs=0.5)
    assert trim[0] > bleed[0] >= media[0]


def sections_manuscript(folder: Path) -> Path:
    """Many short sections of uneven length: some heading is bound to fall near a page
    foot. Each section's first paragraph opens with a word of its own (LeadN)."""
    parts = ["---\ntitle: Sections\nauthor: A. Writer\nlang: en\n---\n"]
    sentence = "The committee considered the proposal at considerable length. "
    for n in range(1, 31):
        parts.append(f"## Section number {n}\n\nLead{n} " + sentence * (3 + (n * 7) % 11) + "\n")
        parts.append(sentence * (2 + (n * 5) % 9) + "\n")
    return copy_manuscript("\n".join(parts), folder, "sections.md")


def test_no_page_ends_with_a_heading(tmp_path: Path) -> None:
    pdf = build_pdf(sections_manuscript(tmp_path / "src"), tmp_path / "out")
    pages = [pdftotext(pdf, n, n, raw=True) for n in range(1, len(page_texts(pdf)) + 1)]
    for n in range(1, 31):
        heading = next(i for i, t in enumerate(pages) if f"Section number {n}\n" in t)
        lead = next(i for i, t in enumerate(pages) if re.search(rf"\bLead{n}\b", t))
        assert heading == lead, f"section {n}: heading on page {heading + 1}, text on {lead + 1}"


# HTML on screen ----------------------------------------------------------------------

MEASURE_JS = """() => {
  const p = document.querySelector('.text p');
  const style = getComputedStyle(p);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = p.textContent;
  return p.clientWidth / (ctx.measureText(text).width / text.length);
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as instance:
        yield instance


@pytest.mark.parametrize("which", ["sample", "features"])
def test_html_fits_a_320_px_screen(which: str, browser: Browser, built: Callable) -> None:
    page_path = built(which) / f"{MANUSCRIPTS[which].stem}.html"
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(page_path.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_html_measure_and_visible_focus(browser: Browser, sample_build: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto((sample_build / f"{SAMPLE.stem}.html").as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    assert 60 <= page.evaluate(MEASURE_JS) <= 75, "measure outside 60-75 characters"
    family = page.evaluate("getComputedStyle(document.querySelector('.text p')).fontFamily")
    assert family.startswith('"Publish Text"')
    page.keyboard.press("Tab")
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth] })()"
    )
    assert outline[0] == "A" and outline[1] != "none" and outline[2] != "0px", outline
    page.close()


def test_a_persian_article_keeps_to_our_fonts_and_its_first_page_clean(tmp_path: Path) -> None:
    """A whole article right to left: its first page is a left page, its running
    heads are Persian in italic and small capitals, which Amiri does not have."""
    paragraph = PERSIAN + ". " + PERSIAN + "."
    text = (
        "---\ntitle: کلیله و دمنه\nauthor: لیلا طالقانی\npublication: مطالعات فرهنگ چاپ\n"
        "volume: 12\nissue: 4\nlang: fa\n---\n\n" + "\n\n".join([paragraph] * 40) + "\n"
    )
    pdf = build_pdf(copy_manuscript(text, tmp_path / "src", "persian.md"), tmp_path / "out")
    for row in pdffonts(pdf):
        assert re.fullmatch(r"[A-Z]{6}\+Publish-(Text|Arabic)(-Bold)?(-Italic)?", row[0]), row
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert pages[0].count("مطالعات فرهنگ چاپ") == 1, "a running head on the first page"
    assert all("مطالعات فرهنگ چاپ" in p or "کلیله و دمنه" in p for p in pages[1:])


def test_a_right_to_left_note_begins_with_its_number_at_the_right(tmp_path: Path) -> None:
    """A one-line note in a Persian article: its number stands at the right, next to the
    note's first word, not at the far end of the line."""
    import pdfplumber

    text = (
        f"---\ntitle: کلیله و دمنه\nlang: fa\n---\n\n{PERSIAN}.[^1]\n\n[^1]: ترجمهٔ نصرالله منشی.\n"
    )
    pdf = build_pdf(copy_manuscript(text, tmp_path / "src", "note.md"), tmp_path / "out")
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        words = page.extract_words()
        number = next(w for w in words if w["text"] in ("1.", ".1") and w["top"] > page.height / 2)
        line = [w for w in words if abs(w["top"] - number["top"]) < 3 and w is not number]
    assert line, words
    assert number["x0"] > max(w["x1"] for w in line), (number, line)
    assert number["x1"] - max(w["x1"] for w in line) < 30, "the number is next to the text"
