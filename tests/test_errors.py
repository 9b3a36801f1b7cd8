"""Bad input gets a precise message in the form ``path:line[:column]: error: message``, a
non-zero exit and no traceback, and loses nothing: the editions of the earlier good build
stay in build/, byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from manuscripts_kit import GOOD, publish, snapshot, stderr_lines

from publish.editions import html
from publish.options import Options
from publish.read import read

NETWORK = (
    "a build never touches the network: save the file beside the manuscript and refer "
    "to it by its name"
)


def manuscript(front: str, body: str = "Text.\n") -> str:
    return f"---\n{front}\n---\n\n{body}"


# Every message is checked in process on the files in tests/cases (test_cases.py); these
# few cases also go through the command, end to end.
CASES = Path(__file__).parent / "cases"
FAILED = "publish: 1 of 1 manuscripts failed: a.md"


def case(name: str) -> tuple[bytes, list[str]]:
    """A case's manuscript, and its expected messages as they name a.md."""
    expected = (CASES / name / "expected.txt").read_text(encoding="utf-8")
    lines = [line.replace("in.md:", "a.md:", 1) for line in expected.splitlines()]
    return (CASES / name / "in.md").read_bytes(), lines


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


@pytest.mark.parametrize("name", ["malformed-yaml", "not-utf-8", "missing-image"])
def test_error_message_exit_code_and_earlier_build_kept(folder: Path, name: str) -> None:
    content, expected = case(name)
    (folder / "a.md").write_bytes(content)
    assert fails_keeping_build(folder) == [*expected, FAILED]


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


def test_warning_builds_and_strict_fails(folder: Path) -> None:
    content, expected = case("liquid-tag")
    (folder / "a.md").write_bytes(content)
    strict = [line.replace(": warning: ", ": error: ") for line in expected]
    assert fails_keeping_build(folder, "--strict") == [*strict, FAILED]
    result = publish("build", "a.md", "--format", "html", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert stderr_lines(result) == expected


def page(folder: Path, text: str, base_url: str | None = None) -> tuple[str, list[str]]:
    """The HTML edition of ``text``, read and rendered in process, and the messages."""
    (folder / "a.md").write_text(text, encoding="utf-8")
    doc = read(folder / "a.md", base_url=base_url)
    return html.render(doc, Options()).decode("utf-8"), [str(d) for d in doc.diagnostics]


def test_missing_page_link_is_text_without_base_url(tmp_path: Path) -> None:
    text, _ = page(tmp_path, manuscript("title: T", "See [the lesson](/en/lessons/x).\n"))
    assert "See the lesson." in text
    assert "/en/lessons/x" not in text


def test_base_url_option_makes_site_links_absolute(tmp_path: Path) -> None:
    body = "See [the lesson](/en/lessons/x).\n"
    text, messages = page(tmp_path, manuscript("title: T", body), "https://example.org/")
    assert messages == []
    assert '<a href="https://example.org/en/lessons/x">the lesson</a>' in text


def test_base_url_in_front_matter(tmp_path: Path) -> None:
    text, _ = page(
        tmp_path,
        manuscript(
            "title: T\nbase-url: https://example.org/site",
            "See [next](next.html) and [home](/index.html).\n",
        ),
    )
    assert '<a href="https://example.org/site/next.html">next</a>' in text
    assert '<a href="https://example.org/index.html">home</a>' in text


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


def test_a_title_pandoc_reads_as_a_boolean_is_kept_as_typed(tmp_path: Path) -> None:
    text, _ = page(tmp_path, manuscript("title: N\nsubtitle: Y"))
    assert '<h1 class="title" id="title">N</h1>' in text
    assert '<p class="subtitle">Y</p>' in text
