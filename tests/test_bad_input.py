"""Bad input that needs more than one file, or a file that is no text: each gives a
located message or reads as meant, quickly, and never hangs (helper "badinput")."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from publish.diagnostics import ManuscriptError
from publish.read import read


def messages(path: Path) -> tuple[list[str], bool]:
    try:
        doc = read(path)
    except ManuscriptError as exc:
        return [str(d).rpartition(f"{path.name}")[2] for d in exc.diagnostics], False
    return [str(d).rpartition(f"{path.name}")[2] for d in doc.diagnostics], True


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "/dev/urandom"])
def test_a_pipe_or_a_device_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "a.md"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(kind)
    started = time.perf_counter()
    assert messages(path) == (
        [": error: this is not a regular file: name a Markdown file"],
        False,
    )
    assert time.perf_counter() - started < 5


def test_a_missing_manuscript_says_so(tmp_path: Path) -> None:
    found, ok = messages(tmp_path / "a.md")
    assert not ok and found == [": error: the file does not exist: check its name and folder"]


def test_old_mac_line_ends_and_two_byte_order_marks_read(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff\ufeff---\rtitle: T\r---\r\rOne.\r\rTwo.\r".encode())
    doc = read(path)
    assert doc.meta.title.text == "T" and doc.body.count("<p>") == 2


def test_a_quarto_affiliation_given_under_one_author_is_referred_to_by_another(
    tmp_path: Path,
) -> None:
    # As Quarto's journal templates write them (shared/corpus/quarto/elsevier).
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: T\nauthor:\n"
        "  - name: Cat Memes\n    affiliations:\n      - ref: another-u\n"
        "  - name: Bob Security\n    affiliations:\n"
        "      - id: another-u\n        name: Another University\n"
        "---\n\nText.\n",
        encoding="utf-8",
    )
    doc = read(path)
    assert [a.affiliation.text for a in doc.meta.authors] == ["Another University"] * 2
    assert not doc.diagnostics


def test_a_file_full_of_control_characters_gives_few_messages_fast(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\n---\n\n" + ("a\x01 " * 1000 + "\n") * 50, encoding="utf-8")
    started = time.perf_counter()
    found, ok = messages(path)
    assert ok and len(found) == 11
    assert found[-1] == (
        ":5:32: warning: 49,990 more control characters removed from here on: no edition "
        "can show them; look for debris of a copy and paste"
    )
    assert time.perf_counter() - started < 20


def test_brackets_in_code_are_not_counted(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: T\n---\n\n```json\n[[[[[[[[[[1]]]]]]]]]]\n```\n\n"
        "Inline `[[[[[[[[[[` and escaped \\[\\[\\[\\[\\[\\[\\[\\[ brackets.\n",
        encoding="utf-8",
    )
    doc = read(path)
    assert "<code>[[[[[[[[[[</code>" in doc.body and not doc.diagnostics


def test_autolinks_and_closed_html_are_no_nesting(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    body = "<https://example.org/x> <ann@example.org> <span>x</span> <br>\n" * 80
    path.write_text("---\ntitle: T\n---\n\n" + body, encoding="utf-8")
    assert not [d for d in read(path).diagnostics if "nest" in d.message]


def test_a_file_name_that_is_not_utf_8_is_refused(tmp_path: Path) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe.md"))
    path.write_text("---\ntitle: T\n---\n\nText.\n", encoding="utf-8")
    found, ok = messages(path)
    assert not ok and found == [": error: the file name is not UTF-8 text: rename the file"]
