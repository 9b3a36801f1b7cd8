"""The command says our own warnings on stderr and only those: a library's warnings
are ignored, but the footnote fix's fallback (``FootnoteFixUnavailable``) must reach
the person building (issue 20, bug 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint.layout import block

from publish.cli import main
from publish.compat import weasyprint_footnotes

MANUSCRIPT = (
    "---\ntitle: Notes\nauthor: A. Writer\ndate: 2024-01-02\n---\n\nA line.[^1]\n\n[^1]: A note.\n"
)


@pytest.fixture
def weasyprint_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as if WeasyPrint's ``_linebox_layout`` were other code than the fix
    was written for (put back afterwards by monkeypatch)."""
    original = getattr(block._linebox_layout, "__wrapped__", block._linebox_layout)

    def _linebox_layout(*args: object) -> object:  # a different source, same behaviour
        return original(*args)

    monkeypatch.setattr(block, "_linebox_layout", _linebox_layout)
    monkeypatch.setattr(weasyprint_footnotes, "_applied", None)


def test_the_footnote_fix_fallback_is_said_on_stderr(
    weasyprint_changed: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.md").write_text(MANUSCRIPT, encoding="utf-8")
    status = main(["build", "x.md", "--format", "pdf", "--jobs", "1", "--quiet"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert err.count("publish: warning: page-foot notes:") == 1, err
    assert "multi-column box" in err and "Traceback" not in err


def test_a_library_warning_is_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import warnings

    from publish import cli

    cli._quiet_libraries()
    warnings.warn_explicit("noise", UserWarning, "lib.py", 1, module="weasyprint.css")
    warnings.warn_explicit("old", DeprecationWarning, "x.py", 2, module="publish.read")
    warnings.warn_explicit("ours", UserWarning, "x.py", 1, module="publish.editions.pdf")
    err = capsys.readouterr().err
    assert "noise" not in err and "old" not in err and "publish: warning: ours" in err
