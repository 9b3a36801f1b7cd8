"""Golden files: the markup of the HTML edition and of the HTML handed to WeasyPrint, for
the sample article and the feature manuscript. Styles and embedded fonts are left out, so
that the files show the structure; regenerate with ``pytest --regen-golden`` and review
the diff."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from publish.editions import html
from publish.editions.pdf import html_for_print
from publish.options import Options
from publish.read import read

GOLDEN = Path(__file__).parent / "golden"
MANUSCRIPTS = {
    "sample": SAMPLE,
    "features": ROOT / "tests" / "manuscripts" / "features" / "features.md",
    "scholarly": ROOT / "tests" / "manuscripts" / "scholarly" / "scholarly.md",
}


def normalise(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "<style>…</style>", page, flags=re.S)
    return re.sub(r"data:([\w/+.-]+);base64,[A-Za-z0-9+/=]+", r"data:\1;base64,…", page)


@pytest.mark.parametrize("name", sorted(MANUSCRIPTS))
@pytest.mark.parametrize("edition", ["html", "print.html"])
def test_golden(name: str, edition: str, regen_golden: bool) -> None:
    doc = read(MANUSCRIPTS[name])
    if edition == "html":
        page = html.render(doc, Options()).decode("utf-8")
    else:
        page = html_for_print(doc, Options())
    got = normalise(page)
    golden = GOLDEN / f"{name}.{edition}"
    if regen_golden or not golden.exists():
        golden.write_text(got, encoding="utf-8")
        pytest.skip(f"wrote {golden.name}")
    assert got == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs: review the change, then run pytest --regen-golden"
    )
