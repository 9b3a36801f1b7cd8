"""Bad input gets a precise message in the form ``path:line[:column]: error: message``, a
non-zero exit and no traceback, and loses nothing: the editions of the earlier good build
stay in build/, byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from manuscripts_kit import GOOD, publish, snapshot, stderr_lines

NETWORK = (
    "a build never touches the network: save the file beside the manuscript and refer "
    "to it by its name"
)


def manuscript(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}\n---\n\n{body}"


# name: (content of a.md, the message expected on stderr)
ERRORS: dict[str, tuple[str | bytes, str]] = {
    "malformed YAML": (
        manuscript('title: "Unclosed\nauthor: Ada'),
        "a.md:2:8: error: malformed YAML front matter: a quoted scalar begun here is never "
        "closed; check the quoting and indentation of this line",
    ),
    "YAML mapping in a value": (
        manuscript("title: Colons: are tricky"),
        "a.md:2:14: error: malformed YAML front matter: mapping values are not allowed here; "
        "check the quoting and indentation of this line",
    ),
    "front matter never closed": (
        "---\ntitle: Open\n\nText.\n",
        "a.md:1: error: the front matter opened here is never closed: add a line '---' after "
        "the last metadata line",
    ),
    "no front matter": (
        "Just text.\n",
        "a.md:1: error: no YAML front matter: start the file with a line '---', then "
        "'title: ...', then a closing '---'",
    ),
    "missing title": (
        manuscript("author: Ada"),
        "a.md:1: error: missing 'title': add a line 'title: ...' to the front matter",
    ),
    "empty title": (
        manuscript("title:\nauthor: Ada"),
        "a.md:2: error: 'title' is empty: write the title after 'title:'",
    ),
    "base-url that is no web address": (
        manuscript("title: T\nbase-url: ftp://example.org"),
        "a.md:3: error: 'base-url' must be an http(s) address, such as https://example.org/",
    ),
    "wrong type": (
        manuscript("title: T\nvolume: [1]"),
        "a.md:3: error: 'volume' must be a single value such as 'volume: 3', not a list",
    ),
    "impossible date": (
        manuscript("title: T\ndate: 2005-02-30"),
        "a.md:3: error: 'date: 2005-02-30' is not a real date: write YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "not UTF-8": (
        manuscript("title: T", "Caf\xe9 au lait.\n").encode("latin-1"),
        "a.md:5:4: error: the file is not UTF-8 (byte 0xe9): save it as UTF-8 in your editor",
    ),
    "empty file": (
        "",
        "a.md:1: error: the file is empty: a manuscript needs a front matter with a title "
        "and a text",
    ),
    "note called, never defined": (
        manuscript("title: T", "First.\n\nA claim.[^9]\n"),
        "a.md:7: error: note [^9] is called but never defined: add a line '[^9]: text of "
        "the note' after the paragraph, or remove the call",
    ),
    "missing image": (
        manuscript("title: T", "A map:\n\n![The map](map.png)\n"),
        "a.md:7: error: image 'map.png' does not exist: put it next to the manuscript or "
        "correct the path",
    ),
    "image path leaving the folder": (
        manuscript("title: T", "![host](../../etc/hostname)\n"),
        "a.md:5: error: image '../../etc/hostname': the path leaves the manuscript's "
        "folder: copy the file into that folder and use a relative path",
    ),
    "absolute image path": (
        manuscript("title: T", "![host](/etc/hostname)\n"),
        "a.md:5: error: image '/etc/hostname': absolute paths are not allowed: put the file "
        "in the manuscript's folder and use a relative path",
    ),
    "file: image address": (
        manuscript("title: T", "![host](file:///etc/hostname)\n"),
        "a.md:5: error: image 'file:///etc/hostname': absolute paths are not allowed: put "
        "the file in the manuscript's folder and use a relative path",
    ),
    "remote image": (
        manuscript("title: T", "![logo](https://example.org/logo.png)\n"),
        f"a.md:5: error: image 'https://example.org/logo.png': {NETWORK}",
    ),
    "remote image in raw HTML": (
        manuscript("title: T", 'Logo: <img src="https://example.org/logo.png" alt="logo">\n'),
        f"a.md:5: error: image 'https://example.org/logo.png': {NETWORK}",
    ),
    "remote stylesheet": (
        manuscript("title: T", '<link rel="stylesheet" href="https://example.org/a.css">\n'),
        f"a.md:5: error: stylesheet 'https://example.org/a.css': {NETWORK}",
    ),
}


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a manuscript built once, good, as HTML."""
    folder = tmp_path_factory.mktemp("good")
    (folder / "a.md").write_text(GOOD, encoding="utf-8")
    result = publish("build", "a.md", "--format", "html", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def folder(good_build: Path, tmp_path: Path) -> Path:
    """A copy of the good build's folder, for one test to break."""
    shutil.copytree(good_build, tmp_path / "site")
    return tmp_path / "site"


def fails_keeping_build(folder: Path, *args: str) -> list[str]:
    """Build again and return stderr's lines, having checked that the build failed
    cleanly and that build/ is exactly as the good build left it."""
    before = snapshot(folder / "build")
    assert before
    result = publish("build", "a.md", "--format", "html", *args, cwd=folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(folder / "build") == before
    return stderr_lines(result)


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_error_message_exit_code_and_earlier_build_kept(folder: Path, case: str) -> None:
    content, expected = ERRORS[case]
    target = folder / "a.md"
    target.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert expected in fails_keeping_build(folder)


def test_symlink_pointing_out_of_the_folder(folder: Path) -> None:
    (folder / "host.png").symlink_to("/etc/hostname")
    (folder / "a.md").write_text(manuscript("title: T", "![host](host.png)\n"))
    assert (
        "a.md:5: error: image 'host.png': the path leaves the manuscript's folder: copy the "
        "file into that folder and use a relative path"
    ) in fails_keeping_build(folder)


def test_error_in_a_user_template_names_the_template_line(folder: Path) -> None:
    (folder / "mine" / "html").mkdir(parents=True)
    (folder / "mine" / "html" / "article.html.j2").write_text(
        "<!DOCTYPE html>\n<title>{{ meta.title.text }}</title>\n{% if %}\n"
    )
    assert (
        "mine/html/article.html.j2:3: error: template error: Expected an expression, got "
        "'end of statement block'; fix the template"
    ) in fails_keeping_build(folder, "--templates", "mine")


def test_runtime_error_in_a_user_partial_names_the_partial_line(folder: Path) -> None:
    (folder / "mine" / "shared").mkdir(parents=True)
    (folder / "mine" / "shared" / "colophon.html.j2").write_text(
        "<p>\n{{ meta.publisher.html }}\n{{ meta.no_such_field }}\n</p>\n"
    )
    lines = fails_keeping_build(folder, "--templates", "mine")
    assert any(line.startswith("mine/shared/colophon.html.j2:") for line in lines), lines
    assert any(": error: template error: " in line for line in lines), lines


# Warnings: the build succeeds; under --strict the same message is an error.
WARNINGS: dict[str, tuple[str, str]] = {
    "note defined, never called": (
        manuscript("title: T", "Text.\n\n[^1]: A note nobody calls.\n"),
        "a.md:7: {}: note [^1] is defined but never called, so no edition shows it: add "
        "[^1] where it belongs, or delete it",
    ),
    "link to a page not in the build": (
        manuscript("title: T", "See [the other lesson](/en/lessons/other).\n"),
        "a.md:5: {}: link to '/en/lessons/other' leads to a page that is not in this build: "
        "it is kept as plain text; give 'base-url' (or --base-url) to link it to the "
        "original site",
    ),
    "note defined twice": (
        manuscript("title: T", "Text.[^1]\n\n[^1]: One.\n[^1]: Two.\n"),
        "a.md:8: {}: note [^1] is defined a second time here, and this definition replaces "
        "the first: give one of them a label of its own, or delete one",
    ),
    "control character": (
        manuscript("title: T", "Pasted\x01 text.\n"),
        "a.md:5:7: {}: control character U+0001 removed: no edition can show it",
    ),
    "note inside a note": (
        manuscript("title: T", "Text.^[Outer ^[inner words] end.]\n"),
        "a.md:5: {}: a note is called inside another note ('inner words'): it is set in "
        "parentheses there; move the call into the text",
    ),
    "raw script": (
        manuscript("title: T", "Text.\n\n<script>alert(1)</script>\n"),
        "a.md:7: {}: raw HTML <script> element removed: manuscripts may not run code or load files",
    ),
    "Liquid tag": (
        manuscript("title: T", '{% include figure.html filename="map.png" %}\n'),
        "a.md:5: {}: template tag '{{% include figure.html filename=\"map.png\" %}}' is not "
        "Markdown and is kept as text: replace it with Markdown (an image is "
        "![description](file.png))",
    ),
}


@pytest.mark.parametrize("case", WARNINGS, ids=list(WARNINGS))
def test_warning_builds_and_strict_fails(folder: Path, case: str) -> None:
    content, expected = WARNINGS[case]
    (folder / "a.md").write_text(content, encoding="utf-8")
    assert expected.format("error") in fails_keeping_build(folder, "--strict")
    result = publish("build", "a.md", "--format", "html", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert expected.format("warning") in stderr_lines(result)


def test_missing_page_link_is_text_without_base_url(folder: Path) -> None:
    (folder / "a.md").write_text(manuscript("title: T", "See [the lesson](/en/lessons/x).\n"))
    assert publish("build", "a.md", "--format", "html", cwd=folder).returncode == 0
    page = (folder / "build" / "a" / "a.html").read_text()
    assert "See the lesson." in page
    assert "/en/lessons/x" not in page


def test_base_url_option_makes_site_links_absolute(folder: Path) -> None:
    (folder / "a.md").write_text(manuscript("title: T", "See [the lesson](/en/lessons/x).\n"))
    result = publish(
        "build", "a.md", "--base-url", "https://example.org/", "--format", "html", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    page = (folder / "build" / "a" / "a.html").read_text()
    assert '<a href="https://example.org/en/lessons/x">the lesson</a>' in page


def test_base_url_in_front_matter(folder: Path) -> None:
    (folder / "a.md").write_text(
        manuscript(
            "title: T\nbase-url: https://example.org/site",
            "See [next](next.html) and [home](/index.html).\n",
        )
    )
    result = publish("build", "a.md", "--format", "html", cwd=folder)
    assert result.returncode == 0, result.stderr
    page = (folder / "build" / "a" / "a.html").read_text()
    assert '<a href="https://example.org/site/next.html">next</a>' in page
    assert '<a href="https://example.org/index.html">home</a>' in page


def test_every_error_at_once(folder: Path) -> None:
    (folder / "a.md").write_text(
        manuscript("title: T\ndate: 2001-13-01\nvolume: [1]", "A.[^x]\n\n![m](m.png)\n")
    )
    lines = fails_keeping_build(folder)
    assert [line.split(": error: ")[0] for line in lines if ": error: " in line] == [
        "a.md:3",
        "a.md:4",
        "a.md:7",
        "a.md:9",
    ]


def test_several_manuscripts_one_failing_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "bad.md").write_text(manuscript("author: Nobody"))
    (tmp_path / "worse.md").write_bytes(b"\xff\xfe")
    result = publish("build", "good.md", "bad.md", "worse.md", "--format", "html", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (tmp_path / "build" / "good" / "good.html").is_file()
    assert not (tmp_path / "build" / "bad").exists()
    summary = [line for line in stderr_lines(result) if "manuscripts failed" in line]
    assert summary == ["publish: 2 of 3 manuscripts failed: bad.md, worse.md"]


def test_no_partial_files_left_after_a_failed_build(folder: Path) -> None:
    (folder / "a.md").write_text(manuscript("title: T", "![m](missing.png)\n"))
    fails_keeping_build(folder)
    assert [p.name for p in (folder / "build" / "a").iterdir() if ".part" in p.name] == []


def test_an_edition_is_replaced_by_rename_never_truncated(tmp_path: Path) -> None:
    from publish.output import write_atomically

    target = tmp_path / "a.html"
    write_atomically(target, b"old edition")
    with target.open("rb") as reader:
        inode = os.stat(target).st_ino
        write_atomically(target, b"new edition")
        # A reader that opened the old edition still reads all of it: the file was not
        # rewritten in place, a complete new one took its name.
        assert reader.read() == b"old edition"
    assert os.stat(target).st_ino != inode
    assert target.read_bytes() == b"new edition"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html"]


def test_a_title_pandoc_reads_as_a_boolean_is_kept_as_typed(folder: Path) -> None:
    (folder / "a.md").write_text(manuscript("title: N\nsubtitle: Y"))
    assert publish("build", "a.md", "--format", "html", cwd=folder).returncode == 0
    page = (folder / "build" / "a" / "a.html").read_text()
    assert '<h1 class="title" id="title">N</h1>' in page
    assert '<p class="subtitle">Y</p>' in page
