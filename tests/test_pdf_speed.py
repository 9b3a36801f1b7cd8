"""Fixes of time, not of pages, in WeasyPrint's libraries: the tagged PDF's page
references made once per page (publish/compat/pydyf_page_references.py). The footnote
area's memo is tested with the notes, in test_footnote_placement.py."""

from __future__ import annotations

from importlib import metadata

import pydyf

from publish.compat import pydyf_page_references as refs


def test_the_fix_matches_the_installed_pydyf() -> None:
    # When this fails, pydyf has changed: see whether upstream caches the references
    # now (then drop the fix) before moving the pin.
    assert refs.check(metadata.version("pydyf"), refs.source()) is None
    assert refs.apply()
    assert refs.apply()  # once
    assert getattr(pydyf.PDF.page_references.fget, "__wrapped__", None) is not None


def test_the_references_follow_every_page_added() -> None:
    assert refs.apply()
    original = pydyf.PDF.page_references.fget.__wrapped__
    pdf = pydyf.PDF()
    assert pdf.page_references == original(pdf) == ()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        first = pdf.page_references
        assert first == original(pdf)
        assert len(first) == len(pdf.pages["Kids"]) // 3
        assert pdf.page_references is first  # remembered while no page is added
    # A page list changed in another way than add_page: a new tuple too.
    pdf.pages["Kids"][0] = 99
    assert pdf.page_references == original(pdf)
    assert pdf.page_references[0] == b"99 0 R"


def test_another_pydyf_is_left_alone() -> None:
    code = refs.source()
    assert "this is 0.14.0" in (refs.check("0.14.0", code) or "")
    assert "not the code" in (refs.check(refs.VERSION, code.replace("[::3]", "[::2]")) or "")
