"""Papers as journals write their bodies: LaTeX habits in a JOSS-style paper (\\label,
\\autoref, \\eqref, equation and figure environments, text commands, a trailing
"# References") and other sites' figure idioms (Hugo shortcodes, Jekyll includes, knitr
chunks), asserted on what a reader gets from each edition.

Rendered in process, once per manuscript (tests/manuscripts/journals-body/, modelled on
the JOSS papers and Programming Historian lessons of the shared corpus)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import html as lxml_html

from publish.build import render_one
from publish.check import check_paths
from publish.options import Options

HERE = Path(__file__).parent / "manuscripts" / "journals-body"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, bytes], list]]:
    """Each manuscript's editions by format, and its diagnostics."""
    folder = tmp_path_factory.mktemp("journals-body")
    shutil.copytree(HERE, folder, dirs_exist_ok=True)
    out = {}
    for name in ("paper", "site"):
        outcome, rendered = render_one(folder / f"{name}.md", Options())
        assert rendered, [str(d) for d in outcome.diagnostics]
        editions = {n.rpartition(".")[2]: data for n, data in rendered.items()}
        out[name] = (editions, list(outcome.diagnostics))
    return out


def page(built: dict, name: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(built[name][0]["html"])


def pdf_text(built: dict, name: str) -> str:
    with pdfplumber.open(io.BytesIO(built[name][0]["pdf"])) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def warnings(built: dict, name: str) -> list[tuple[int | None, str]]:
    return [(d.line, d.message) for d in built[name][1]]


def text_of(element: lxml_html.HtmlElement) -> str:
    """What a reader sees: math's TeX annotation left out."""
    return " ".join("".join(element.xpath(".//text()[not(ancestor::annotation)]")).split())


# ---- one References heading ----


def test_one_references_heading_in_the_html(built: dict) -> None:
    tree = page(built, "paper")
    headings = [text_of(h) for h in tree.iter("h1", "h2", "h3")]
    assert headings.count("References") == 1
    section = tree.get_element_by_id("bibliography")
    assert text_of(section.find(".//h2")) == "References"
    assert section.get("aria-labelledby") == "refs-heading"
    assert "Mamon" in text_of(section)


def test_one_references_heading_in_the_epub_navigation(built: dict) -> None:
    with zipfile.ZipFile(io.BytesIO(built["paper"][0]["epub"])) as z:
        nav = z.read("EPUB/nav.xhtml").decode("utf-8")
    toc = nav.split('epub:type="landmarks"')[0]
    assert toc.count(">References</a>") == 1


def test_one_references_heading_in_the_pdf(built: dict) -> None:
    lines = [line.strip() for line in pdf_text(built, "paper").split("\n")]
    assert lines.count("References") == 1
    with pdfplumber.open(io.BytesIO(built["paper"][0]["pdf"])) as pdf:
        titles = [o[1] for o in pdf.doc.get_outlines()]
    assert titles.count("References") == 1


# ---- LaTeX habits ----


def test_autoref_to_a_figure_reads_figure_1_and_links_to_it(built: dict) -> None:
    tree = page(built, "paper")
    figure = tree.get_element_by_id("fig-example")
    assert text_of(figure.find("figcaption")).startswith("Figure 1.")
    links = {text_of(a): a.get("href") for a in tree.iter("a") if a.get("href", "")[:5] == "#fig-"}
    assert links["1"] == "#fig-example"  # Fig. \ref{fig:example}
    assert links["Figure 2"] == "#fig-structure"  # \cref{fig:structure}
    assert "(Fig. 1 & Table 1)" in " ".join(text_of(tree.find(".//main")).split())


def test_labelled_equations_are_numbered_and_eqref_links_to_them(built: dict) -> None:
    tree = page(built, "paper")
    jeans = tree.get_element_by_id("eq-jeans")
    force = tree.get_element_by_id("eq-force")
    assert text_of(jeans.find_class("equation-number")[0]) == "(1)"
    assert text_of(force.find_class("equation-number")[0]) == "(2)"
    body = text_of(tree.find(".//main"))
    assert "only in Equation 1, and the force in (2)," in body
    assert "given by ," not in body
    # The label is not in the formula any more (texmath would show it as TeX).
    for annotation in tree.iter("annotation"):
        assert "\\label" not in (annotation.text or "")
    assert "Equation 1" in pdf_text(built, "paper")


def test_a_table_caption_label_numbers_the_table(built: dict) -> None:
    table = page(built, "paper").get_element_by_id("tbl-params")
    assert text_of(table.find("caption")) == "Table 1. Example set of parameters"


def test_a_raw_figure_environment_becomes_a_figure(built: dict) -> None:
    figure = page(built, "paper").get_element_by_id("fig-structure")
    assert figure.tag == "figure"
    assert text_of(figure.find("figcaption")) == "Figure 2. Structure of the code."
    image = figure.find(".//img")
    assert image.get("alt") == "Structure of the code."
    with pdfplumber.open(io.BytesIO(built["paper"][0]["pdf"])) as pdf:
        assert sum(len(p.images) for p in pdf.pages) == 2


def test_text_commands_are_rendered(built: dict) -> None:
    tree = page(built, "paper")
    assert [text_of(s) for s in tree.find_class("smallcaps")][:2] == ["GRAVTEST", "Fortran90"]
    assert "input_pars/pars.txt" in [text_of(c) for c in tree.iter("code")]
    assert "every" in [text_of(e) for e in tree.iter("em")]
    assert "fast" in [text_of(s) for s in tree.iter("strong")]


def test_what_cannot_be_read_is_a_warning_at_its_line(built: dict) -> None:
    said = warnings(built, "paper")
    assert any(line == 46 and "\\mycommand{here}" in m for line, m in said), said
    assert any(line == 45 and "\\ref{fig:nothing}" in m and "??" in m for line, m in said)
    assert len(said) == 2, said


def test_alt_text_shows_math_as_text_and_captions_with_citations_stay_readable(
    built: dict,
) -> None:
    figure = page(built, "paper").get_element_by_id("fig-example")
    alt = figure.find(".//img").get("alt")
    assert alt == "Marginalised distribution of θ for the test data ."
    caption = figure.find("figcaption")
    assert caption.get("aria-hidden") is None
    assert caption.find(".//a") is not None  # the citation's link


# ---- other sites' idioms ----


def test_hugo_jekyll_and_knitr_idioms_become_figures(built: dict) -> None:
    tree = page(built, "site")
    figures = [
        (text_of(f.find("figcaption")), f.find(".//img").get("alt")) for f in tree.iter("figure")
    ]
    assert figures == [
        ("A Hugo figure with θ", "A red rectangle"),
        ("A Jekyll image include", "A blue rectangle"),
        (
            "A lesson figure as The Programming Historian writes it",
            "A lesson figure as The Programming Historian writes it",
        ),
        ("Figure 1. A knitr figure", "A green rectangle"),
        ("Figure 2. A Quarto figure", "A red rectangle again"),
    ]
    # Quarto's @fig-x and bookdown's \@ref(fig:label) to a chunk labelled 'example'.
    links = {text_of(a): a.get("href") for a in tree.iter("a") if a.get("href", "")[:5] == "#fig-"}
    assert links == {"Figure 2": "#fig-quarto", "1": "#fig-example"}
    assert tree.find(".//aside").text_content().strip() == "Careful with this setting."
    body = text_of(tree.find(".//main"))
    assert "{{" not in body.replace("{{< figure src", "") and "{%" not in body
    assert "A figure whose picture is missing" in body
    with pdfplumber.open(io.BytesIO(built["site"][0]["pdf"])) as pdf:
        assert sum(len(p.images) for p in pdf.pages) == 5


def test_unknown_idioms_warn_at_their_line(built: dict) -> None:
    said = warnings(built, "site")
    at = {line: message for line, message in said}
    assert "youtube" in at[10] and "left out" in at[10]
    assert "gone.png" in at[20] and "caption kept as text" in at[20]
    assert "toc.html" in at[22] and "left out" in at[22]
    assert "shown as code" in at[35]
    assert "neither a caption nor alt text" in at[47] and "left out" in at[47]
    assert len(said) == 5, said


def test_editions_pass_publish_check(built: dict, tmp_path: Path) -> None:
    folder = tmp_path / "paper"
    folder.mkdir()
    for fmt, data in built["paper"][0].items():
        (folder / f"paper.{fmt}").write_bytes(data)
    report = io.StringIO()
    assert check_paths([folder], stream=report) == 0, report.getvalue()


def test_pdf_text_keeps_the_references(built: dict) -> None:
    text = pdf_text(built, "paper")
    assert re.search(r"Figure 1\.\s+Marginalised distribution", text)
    assert "given by ," not in text and "(Fig. & )" not in text
