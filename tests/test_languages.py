"""The one table of languages and scripts: what the editions and the checks both ask it."""

from __future__ import annotations

import pytest

from publish import fonts
from publish.languages import ARABIC_TEXT, is_arabic_script, is_rtl


@pytest.mark.parametrize("tag", ["fa", "ar-EG", "he", "ur", "AR", "ckb-IQ"])
def test_right_to_left(tag: str) -> None:
    assert is_rtl(tag)


@pytest.mark.parametrize("tag", ["en", "de-CH", "az-Arab", "ku", ""])
def test_left_to_right(tag: str) -> None:
    # Kurdish and a script subtag alone leave the direction to the text's own markup.
    assert not is_rtl(tag)


def test_arabic_script_languages() -> None:
    assert all(is_arabic_script(t) for t in ("fa", "ar", "ur-PK", "ku", "az-Arab", "pa-Arab"))
    assert not any(is_arabic_script(t) for t in ("he", "en", "pa", "yi"))


def test_one_range_table_for_the_fonts_and_the_checks() -> None:
    persian = "کلیله و دمنه"
    assert ARABIC_TEXT.findall(persian) == ["کلیله", "و", "دمنه"]
    assert all(fonts.is_arabic(c) for c in persian if not c.isspace())
    # The fonts add the joiners Persian writes between letters; they are no letters.
    assert fonts.is_arabic("\u200c") and not ARABIC_TEXT.match("\u200c")
