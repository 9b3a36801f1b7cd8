"""Golden files: the markup of each edition for the sample article, the feature and the
scholarly manuscripts. HTML: the page, and the HTML handed to WeasyPrint (styles and embedded
fonts left out, so that the files show the structure). EPUB: the package document, the
navigation document and the article. Regenerate with ``pytest --regen-golden`` and
review the diff; a golden file that is missing fails the test."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import MANUSCRIPTS

from publish.document import Document
from publish.editions import epub, html
from publish.editions.pdf import html_for_print
from publish.opf import read_package
from publish.options import Options
from publish.read import read

GOLDEN = Path(__file__).parent / "golden"
NAMES = ["sample", "features", "scholarly"]


def normalise(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "<style>…</style>", page, flags=re.S)
    return re.sub(r"data:([\w/+.-]+);base64,[A-Za-z0-9+/=]+", r"data:\1;base64,…", page)


def epub_part(doc: Document, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(epub.render(doc, Options()))) as book:
        package = read_package(book)
        if part == "opf":
            name = package.path
        elif part == "nav":
            name = next(i.path for i in package.manifest.values() if "nav" in i.properties)
        else:  # The article: the first document of the reading order.
            name = package.spine[0][0].path
        return book.read(name).decode("utf-8")


EDITIONS = {
    "html": lambda doc: normalise(html.render(doc, Options()).decode("utf-8")),
    "print.html": lambda doc: normalise(html_for_print(doc, Options())),
    "epub.opf": lambda doc: epub_part(doc, "opf"),
    "epub.nav.xhtml": lambda doc: epub_part(doc, "nav"),
    "epub.article.xhtml": lambda doc: epub_part(doc, "article"),
}


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("edition", list(EDITIONS))
def test_golden(
    name: str,
    edition: str,
    documents: dict[str, Document],
    regen_golden: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The package's dcterms:modified then comes from the manuscript, not the environment.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    if name not in documents:
        documents[name] = read(MANUSCRIPTS[name])
    got = EDITIONS[edition](documents[name])
    golden = GOLDEN / f"{name}.{edition}"
    if regen_golden:
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"{golden.name} is missing: write it with pytest --regen-golden"
    assert got == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs: review the change, then run pytest --regen-golden"
    )
