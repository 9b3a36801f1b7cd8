"""Manuscripts as other journals, think tanks and presses send them: shapes that once came
out wrong (a date as "12 March 2024", a task list, a table in a note, a wide table, a Greek
or Hebrew author, a Chinese article), asserted on what a reader gets from each edition.

Rendered in process, once per manuscript (tests/manuscripts/unseen/)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import html as lxml_html

from publish.build import render_one
from publish.options import Options
from publish.read import read

HERE = Path(__file__).parent / "manuscripts" / "unseen"


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """Every edition of each manuscript of HERE, by slug and format."""
    out = {}
    for name in ("shapes", "chinese", "french", "arabic"):
        outcome, rendered = render_one(HERE / f"{name}.md", Options())
        assert rendered, [str(d) for d in outcome.diagnostics]
        out[name] = by_format(rendered)
    return out


def by_format(rendered: dict[str, bytes]) -> dict[str, bytes]:
    """render_one's editions ("slug/slug.pdf": bytes) by format ("pdf": bytes)."""
    return {name.rpartition(".")[2]: data for name, data in rendered.items()}


def page(editions: dict[str, dict[str, bytes]], name: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(editions[name]["html"])


def epub_text(editions: dict[str, dict[str, bytes]], name: str, member: str) -> str:
    with zipfile.ZipFile(io.BytesIO(editions[name]["epub"])) as z:
        return z.read(member).decode("utf-8")


def pdf_pages(editions: dict[str, dict[str, bytes]], name: str) -> list[pdfplumber.page.Page]:
    return pdfplumber.open(io.BytesIO(editions[name]["pdf"])).pages


# ---- the reader: dates and authors written as Quarto and other journals write them ----


def manuscript(tmp_path: Path, front: str, body: str = "Text.\n") -> Path:
    path = tmp_path / "m.md"
    path.write_text(f"---\ntitle: T\n{front}\n---\n\n{body}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("12 March 2024", "2024-03-12"),
        ("July 4, 2014", "2014-07-04"),
        ("Mar 3, 2020", "2020-03-03"),
        ("March 2024", "2024-03"),
        ("2014/07/04", "2014-07-04"),
        ("2014-07-04T10:30:00Z", "2014-07-04"),
        ("2014-07-04", "2014-07-04"),
    ],
)
def test_a_date_as_publications_write_it_is_read(tmp_path: Path, written: str, iso: str) -> None:
    doc = read(manuscript(tmp_path, f"date: {written}"), strict=True, base_url=None)
    assert doc.meta.date == iso


# An ambiguous 04/07/2014 is read by the text's language now (issue 21), with a warning:
# tests/test_journal_metadata.py::test_numeric_dates_in_quartos_forms.
@pytest.mark.parametrize("written", ["13/13/2014", "2014-02-30", "sometime"])
def test_an_ambiguous_or_impossible_date_is_still_an_error(tmp_path: Path, written: str) -> None:
    from publish.diagnostics import ManuscriptError

    with pytest.raises(ManuscriptError, match="is not a real date"):
        read(manuscript(tmp_path, f"date: {written}"), strict=False, base_url=None)


def test_quartos_last_modified_builds_with_a_warning_or_the_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = read(manuscript(tmp_path, "date: last-modified"), strict=False, base_url=None)
    assert doc.meta.date is None
    assert any("would change with every build" in str(d) for d in doc.diagnostics)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    doc = read(manuscript(tmp_path, "date: today"), strict=True, base_url=None)
    assert doc.meta.date == "2023-11-14"


def test_an_affiliation_given_under_one_author_is_named_by_ref_under_another(
    tmp_path: Path,
) -> None:
    # Quarto's elsevier template does this.
    doc = read(HERE / "shapes.md", strict=False, base_url=None)
    first, second = doc.meta.authors[:2]
    assert [a.name.text for a in second.affiliations] == ["University of Warsaw"]
    assert first.affiliations == second.affiliations


# ---- the editions ----


def test_task_lists_keep_their_boxes_in_every_edition(editions: dict) -> None:
    (tasks,) = page(editions, "shapes").find_class("task-list")  # no bullets besides
    assert [li.text_content() for li in tasks.iter("li")] == ["☐ an open task", "☒ a done task"]
    assert "☐ an open task" in page(editions, "shapes").text_content()
    assert "☒ a done task" in page(editions, "shapes").text_content()
    assert "☐" in epub_text(editions, "shapes", "EPUB/article.xhtml")
    text = "".join(p.extract_text() for p in pdf_pages(editions, "shapes"))
    assert "☐" in text and "☒" in text


def test_every_image_has_an_alt_and_the_epub_claims_only_what_is_true(editions: dict) -> None:
    images = page(editions, "shapes").findall(".//img")
    assert images and all(img.get("alt") is not None for img in images)
    xhtml = epub_text(editions, "shapes", "EPUB/article.xhtml")
    assert all(" alt=" in tag for tag in re.findall(r"<img\b[^>]*>", xhtml))
    # figure.png is described once and used once without a description.
    opf = epub_text(editions, "shapes", "EPUB/content.opf")
    assert "alternativeText" not in opf


def test_an_image_keeps_the_size_its_author_gave(editions: dict) -> None:
    (inline,) = [i for i in page(editions, "shapes").findall(".//img") if i.get("style")]
    assert inline.get("style") == "width:2cm"
    assert inline.get("width") is None  # no pixel size to fight the author's
    # In print: 2 cm wide, 2 cm high (the photograph is square).
    drawn = [im for p in pdf_pages(editions, "shapes") for im in p.images]
    assert any(abs(im["width"] - 56.7) < 1 and abs(im["height"] - 56.7) < 1 for im in drawn)


def test_a_notes_blocks_are_blocks_in_the_pdf(editions: dict) -> None:
    lines = {}
    for p in pdf_pages(editions, "shapes"):
        for line in p.extract_text_lines():
            lines[line["text"]] = line
    tops = {key: lines[key]["top"] for key in lines}

    def top(start: str) -> float:
        return next(t for text, t in tops.items() if text.lstrip("•–1. ").startswith(start))

    # A table in a note: each row on one line, cells side by side.
    assert any(re.fullmatch(r"left\s+right", t) for t in tops)
    assert any(re.fullmatch(r"L1\s+R1", t) for t in tops)
    # A list in a note: one line per item, no blank line between them.
    assert 0 < top("second item") - top("first item") < 12
    # The numbered list is numbered from 1, its paragraph after it not hung out.
    assert any(t.startswith("1. nested ordered") for t in tops)
    assert (
        lines[next(t for t in tops if t.startswith("And a closing line"))]["x0"]
        > (lines[next(t for t in tops if "A note with a list" in t)]["x0"])
    )


def test_a_wide_table_keeps_its_numbers_whole(editions: dict) -> None:
    words = [w["text"] for p in pdf_pages(editions, "shapes") for w in p.extract_words()]
    assert {"10.123", "11.234", "Epsilon", "Lambda"} <= set(words)
    # On screen it scrolls in a box a keyboard can reach, rather than wrap every letter.
    box = page(editions, "shapes").find_class("table-scroll")
    assert box and box[0].get("tabindex") == "0" and box[0].get("aria-label")


def test_names_in_other_scripts_in_the_byline(editions: dict) -> None:
    byline = page(editions, "shapes").find_class("byline")[0]
    # Charis has no Greek small capitals: the Greek name is set as written...
    (plain,) = byline.find_class("no-small-caps")
    assert plain.text_content() == "Θεόδωρος Παπαδόπουλος"
    # ...the Hebrew one is isolated, so the punctuation around it stays in place.
    assert [b.text_content() for b in byline.iter("bdi")] == ["דוד בן-גוריון"]
    assert "Дмитрий Петров" in byline.text_content()


def test_keywords_and_the_publication_line_in_every_edition(editions: dict) -> None:
    assert "Keywords: footnotes, annotation, print" in page(editions, "shapes").text_content()
    text = "\n".join(p.extract_text() for p in pdf_pages(editions, "shapes"))
    assert "Keywords: footnotes, annotation, print" in text
    assert "Volume 14 · Issue 2 · March 12, 2024" in text


def test_a_chinese_article_has_glyphs_and_chinese_furniture(editions: dict) -> None:
    text = pdf_pages(editions, "chinese")[0].extract_text()
    # Drawn with a font that has the glyphs (empty boxes have no text to extract).
    assert "中国城市化进程中的社会治理" in text
    assert "国家统计局" in text
    assert "王小明、李华" in text and "By" not in text
    assert "社会学研究 · 第37卷 · 第4期 · 2022年8月1日" in text
    fonts = {c["fontname"] for c in pdf_pages(editions, "chinese")[0].chars if c["text"] == "中"}
    assert fonts and not any("Publish" in f for f in fonts)
    # A line may break between any two Han characters: a note call is joined to the
    # character before it, never left alone at the start of a line.
    page = editions["chinese"]["html"].decode()
    assert page.count('\u2060<a href="#fn1"') == 1
    assert "\u2060" not in editions["french"]["html"].decode()


def test_a_french_article_dates_and_labels_in_french(editions: dict) -> None:
    html = page(editions, "french").text_content()
    assert "15 juin 2021" in html and "Numéro 3" in html and "June" not in html
    assert "Par Élodie Lefèvre et François Œuvrard" in html
    assert "Mots-clés\u00a0: eau, Afrique, gouvernance" in html
    # The spaces typed before : and » and after « do not break.
    assert "Camus\u00a0: «\u202fIl faut imaginer Sisyphe heureux.\u202f»" in html
    pdf = pdf_pages(editions, "french")[0].extract_text()
    assert "15 juin 2021" in pdf
    assert "15 juin 2021" in epub_text(editions, "french", "EPUB/article.xhtml")


def test_the_checker_finds_a_note_whose_pdf_text_has_markers_or_rtl_words() -> None:
    from publish.check.lint import _present, _squash

    pdf = "2. A note with a list: • first item • second item 1. nested ordered"
    assert _present("A note with a list: first item second item nested ordered", _squash(pdf))
    # pdfminer gives a right-to-left word's letters in visual order.
    pdf = "Hebrew again: \u202b םילשורי \u202c."
    assert _present("Hebrew again: ירושלים.", _squash(pdf))
    assert not _present("Hebrew again: ירושלים and more.", _squash(pdf))
    assert not _present("first item second item", _squash("first item and then second item"))
    # A Hebrew note read in visual order: its numbers last to first, commas on their left.
    pdf = "\u202b.5 ’מע ,2019 ,תואלקחה דרשמ\u202c"
    assert _present("משרד החקלאות, 2019, עמ’ 5.", _squash(pdf))


def test_an_author_note_written_as_a_yaml_block_is_valid_markup(tmp_path: Path) -> None:
    # Quarto's elsevier template writes `note: |`: pandoc reads it as a paragraph.
    source = tmp_path / "m.md"
    source.write_text(
        "---\ntitle: T\nauthor:\n  - name: A B\n    email: a@example.org\n    note: |\n"
        "      First para.\n\n      Second para.\n  - name: C D\n    note: |\n"
        "      One para.\n---\n\nText.\n",
        encoding="utf-8",
    )
    rendered = by_format(render_one(source, Options(formats=("html", "epub")))[1])
    with zipfile.ZipFile(io.BytesIO(rendered["epub"])) as z:
        xhtml = z.read("EPUB/article.xhtml").decode()
    for markup in (rendered["html"].decode(), xhtml):
        # Neither note names its author: each begins with the name.
        name = '<span class="author-name">{}</span>: '
        assert f'<p class="author-note">{name.format("C D")}One para.</p>' in markup
        assert f'<div class="author-note"><p>{name.format("A B")}First para.</p>' in markup
        assert not re.search(r'<p class="author-note">\s*<p', markup)


def test_a_script_no_font_has_is_a_warning_at_its_line(tmp_path: Path) -> None:
    from publish import fonts

    glyph = "\U00013000"  # an Egyptian hieroglyph: in no font a fresh Debian has
    if fonts._system_letters() is None or 0x13000 in (fonts._system_letters() or ()):
        pytest.skip("fontconfig is missing, or a font here has Egyptian hieroglyphs")
    path = manuscript(tmp_path, "lang: en", f"Plain text.\n\nA sign: {glyph}.\n")
    doc = read(path, strict=False, base_url=None)
    (warning,) = [d for d in doc.diagnostics if "empty boxes" in str(d)]
    assert warning.line == 8 and "Egyptian" in str(warning)
    # Text our faces or the machine's fonts draw says nothing.
    assert not fonts.without_glyphs("Ελένη Дмитрий Élodie 中文")


def test_a_heading_with_a_note_has_a_clean_bookmark(editions: dict) -> None:
    import pikepdf

    with pikepdf.open(io.BytesIO(editions["shapes"]["pdf"])) as pdf, pdf.open_outline() as outline:
        (title,) = outline.root
        assert [item.title for item in title.children] == ["Lists", "Images", "Wide table"]


def test_a_note_in_a_caption_is_one_note_a_screen_reader_reaches(editions: dict) -> None:
    tree = page(editions, "shapes")
    notes = [li.text_content() for li in tree.find_class("endnotes")[0].iter("li")]
    assert sum("A note in a caption." in n for n in notes) == 1
    (caption,) = tree.iter("figcaption")
    assert caption.get("aria-hidden") is None and caption.find_class("noteref")
    assert caption.getprevious().get("alt") == "A blue rectangle with a caption."


def test_an_english_note_in_an_arabic_article_reads_left_to_right(editions: dict) -> None:
    (note,) = page(editions, "arabic").find_class("endnotes")[0].iter("li")
    assert note.get("dir") == "ltr"
    assert 'dir="ltr"' in epub_text(editions, "arabic", "EPUB/article.xhtml")
    # In print the note's words come in their order, not mirrored.
    text = pdf_pages(editions, "arabic")[0].extract_text()
    assert "World Bank, Water Report (2018), p. 12." in text


def test_an_abstract_of_paragraphs_and_a_list_keeps_them(tmp_path: Path) -> None:
    # `abstract: |` as the last key of the front matter: its paragraphs ran into one.
    body = "abstract: |\n  First para.\n\n  - an item\n  - another\n\n  Last para."
    doc = read(manuscript(tmp_path, body), strict=True, base_url=None)
    assert doc.meta.abstract.html == (
        "<p>First para.</p>\n<ul>\n<li>an item</li>\n<li>another</li>\n</ul>\n<p>Last para.</p>"
    )
    assert doc.meta.abstract.text == "First para. an item another Last para."


def test_small_caps_and_underline_from_the_text_show(editions: dict) -> None:
    # In print "Small" in small capitals is wider than "Small" set as written.
    words = [w for p in pdf_pages(editions, "shapes") for w in p.extract_words()]
    widths = [w["x1"] - w["x0"] for w in words if w["text"] == "Small"]
    assert len(widths) == 2 and widths[0] > widths[1] * 1.1
    for markup in (
        editions["shapes"]["html"].decode(),
        epub_text(editions, "shapes", "EPUB/style.css"),
    ):
        assert ".smallcaps" in markup and ".underline" in markup


def test_a_quarto_code_cell_is_shown_as_code_with_a_warning(tmp_path: Path) -> None:
    body = "Before.\n\n```{r, echo=FALSE}\n#| label: fig-x\nplot(1:10)\n```\n\nAfter.\n"
    doc = read(manuscript(tmp_path, "lang: en", body), strict=False, base_url=None)
    assert '<pre class="sourceCode r cell">' in doc.body
    text = lxml_html.fromstring(doc.body).text_content()
    assert "#| label: fig-x\nplot(1:10)\n" in text
    (warning,) = [d for d in doc.diagnostics if "code chunk" in str(d)]
    assert warning.line == 8 and "'{r}' is shown as code and not run" in str(warning)


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "June 15, 2021"),
        ("en-GB", "15 June 2021"),
        ("de", "15. Juni 2021"),
        ("ja", "2021年6月15日"),
    ],
)
def test_a_date_is_shown_as_readers_of_the_language_write_it(lang: str, shown: str) -> None:
    from publish.document import human_date

    assert human_date("2021-06-15", lang) == shown


def test_a_hebrew_byline_in_hebrew(tmp_path: Path) -> None:
    source = tmp_path / "he.md"
    source.write_text(
        "---\ntitle: מדיניות המים\nauthor: [דוד כהן, Sarah Levi]\nlang: he\nvolume: 3\n"
        "---\n\nטקסט.\n",
        encoding="utf-8",
    )
    html = by_format(render_one(source, Options(formats=("html",)))[1])["html"].decode()
    assert '<p class="byline">מאת דוד כהן ו<bdi>Sarah Levi</bdi></p>' in html
    assert "כרך 3" in html


def test_a_note_longer_than_a_page_is_kept_whole_after_the_text(tmp_path: Path) -> None:
    # WeasyPrint cannot continue a footnote on the next page: it ran off the page's top.
    long = " ".join(f"Sentence {i} of a very long note." for i in range(1, 200))
    source = tmp_path / "m.md"
    source.write_text(
        "---\ntitle: T\n---\n\nA short note.[^a] A long one.[^b]\n\n"
        f"[^a]: Short.\n\n[^b]: {long}\n",
        encoding="utf-8",
    )
    pdf = by_format(render_one(source, Options(formats=("pdf",)))[1])["pdf"]
    pages = pdfplumber.open(io.BytesIO(pdf)).pages
    text = re.sub("\u2010\\s*\n", "", "\n".join(p.extract_text() for p in pages))
    found = {int(n) for n in re.findall(r"Sentence (\d+) of", " ".join(text.split()))}
    assert found == set(range(1, 200))
    assert "Notes" in text and "1. Short." in text  # the short one stays at the foot
    for p in pages:  # nothing drawn above the top margin
        assert all(c["top"] >= 0 for c in p.chars)
