"""The trust boundary: a manuscript from an outside contributor can neither copy files of
the machine into an edition nor run code in a reader's browser or e-reader."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from manuscripts_kit import publish, snapshot, stderr_lines

PASSWD = Path("/etc/passwd")
SECRET = "SECRET-7f3a9c-do-not-publish"


def secrets() -> list[bytes]:
    """Markers of files outside the folder: the first line of /etc/passwd, and our own."""
    found = [SECRET.encode()]
    first = PASSWD.read_bytes().split(b"\n")[0] if PASSWD.exists() else b""
    if first:
        found.append(first)
    return found


def readable_bytes(edition: Path) -> list[bytes]:
    """Everything an edition holds, uncompressed: zip entries, every PDF stream."""
    if edition.suffix == ".epub":
        with zipfile.ZipFile(edition) as archive:
            return [archive.read(name) for name in archive.namelist()]
    if edition.suffix == ".pdf":
        parts = [edition.read_bytes()]
        with pikepdf.open(edition) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    try:
                        parts.append(obj.read_bytes())
                    except pikepdf.PdfError:
                        parts.append(obj.read_raw_bytes())
            assert not pdf.attachments, "the PDF embeds files"
        return parts
    return [edition.read_bytes()]


def assert_no_secret(build: Path) -> None:
    editions = [p for p in build.rglob("*") if p.suffix in (".pdf", ".epub", ".html")]
    assert editions
    for edition in editions:
        for part in readable_bytes(edition):
            for secret in secrets():
                assert secret not in part, f"{edition.name} holds {secret!r}"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outside / "secret.png").write_text(SECRET)
    site = tmp_path / "site"
    site.mkdir()
    (site / "passwd.txt").symlink_to(PASSWD)
    (site / "secret.txt").symlink_to(outside / "secret.txt")
    (site / "etc").symlink_to("/etc")
    (site / "elsewhere").symlink_to(outside)
    return site


# Routes that build (with warnings): the reference is dropped on the way.
SOFT_ROUTES = """\
---
title: Routes out of the folder
date: 2020-01-01
---

<a rel="attachment" href="/etc/passwd">a</a>
<a rel="attachment" href="file:///etc/passwd">b</a>
<a rel="attachment" href="passwd.txt">c</a>
<a rel="attachment" href="secret.txt">d</a>

<link rel="attachment" href="/etc/passwd">
<link rel="attachment" href="passwd.txt">
<link rel="stylesheet" href="file:///etc/passwd">

[e](file:///etc/passwd){rel=attachment} [f](passwd.txt){rel="attachment"}
[g](../outside/secret.txt){rel=attachment} [h](file:///etc/passwd)

<span style="background-image: url(file:///etc/passwd)">i</span>
<div style="background: url('passwd.txt')">j</div>
<p style="list-style-image: url(../outside/secret.png)">k</p>

<table><tr><td style="width: url(/etc/passwd)">l</td></tr></table>

<style>body { background: url(file:///etc/passwd) } @import "passwd.txt";</style>

<object data="passwd.txt"></object>
<embed src="file:///etc/passwd">
<iframe src="/etc/passwd"></iframe>
"""


def test_attachments_links_and_css_urls_reach_no_edition(folder: Path) -> None:
    (folder / "a.md").write_text(SOFT_ROUTES)
    result = publish("build", "a.md", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert_no_secret(folder / "build")
    page = (folder / "build" / "a" / "a.html").read_text()
    assert "passwd" not in page
    assert "attachment" not in page
    assert "url(" not in page.split("</style>")[-1]


# Routes that are refused: an error with the line, and no edition.
HARD_ROUTES = {
    "absolute image path": ("![p](/etc/passwd)", "image '/etc/passwd': absolute paths"),
    "file: image": ("![p](file:///etc/passwd)", "image 'file:///etc/passwd': absolute paths"),
    "image leaving the folder": ("![p](../outside/secret.png)", "the path leaves"),
    "symlinked image": ("![p](passwd.txt)", "image 'passwd.txt': the path leaves"),
    "symlinked folder": ("![p](etc/passwd)", "image 'etc/passwd': the path leaves"),
    "symlink to a secret": ("![p](elsewhere/secret.png)", "the path leaves"),
    "raw img": ('<img src="passwd.txt" alt="p">', "image 'passwd.txt': the path leaves"),
    "raw file: img": ('<img src="file:///etc/passwd">', "absolute paths are not allowed"),
    "data: that is no image": ("![p](data:text/plain;base64,cm9vdA==)", "only a picture saved"),
}


@pytest.mark.parametrize("case", HARD_ROUTES, ids=list(HARD_ROUTES))
def test_files_outside_the_folder_are_refused(folder: Path, case: str) -> None:
    body, expected = HARD_ROUTES[case]
    (folder / "a.md").write_text(f"---\ntitle: T\n---\n\n{body}\n")
    result = publish("build", "a.md", cwd=folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert any(
        line.startswith("a.md:5: error: ") and expected in line for line in stderr_lines(result)
    ), result.stderr
    assert not (folder / "build").exists()


SCRIPTS = """\
---
title: Active content
---

<script>alert("script")</script>

<iframe src="https://example.org/"></iframe>

<object data="movie.swf"></object>

<embed src="movie.swf">

<p onclick="alert('onclick')">Click.</p>

<a href="javascript:alert('href')">Link</a>

<img src="x.png" onerror="alert('onerror')" alt="">

[Markdown link](javascript:alert('markdown'))
"""
EXPECTED_WARNINGS = [
    "a.md:5: warning: <script> element removed",
    "a.md:7: warning: <iframe> element removed",
    "a.md:9: warning: <object> element removed",
    "a.md:11: warning: <embed> element removed",
    "a.md:13: warning: 'onclick' event handler removed",
    "a.md:15: warning: 'javascript:' address removed",
    "a.md:17: warning: 'onerror' event handler removed",
]


def test_active_content_is_removed_with_a_warning(folder: Path) -> None:
    (folder / "x.png").write_bytes(PNG)
    (folder / "a.md").write_text(SCRIPTS)
    result = publish("build", "a.md", cwd=folder)
    assert result.returncode == 0, result.stderr
    lines = stderr_lines(result)
    for expected in EXPECTED_WARNINGS:
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    for edition in (folder / "build" / "a").iterdir():
        for part in readable_bytes(edition):
            for word in (b"alert(", b"<script>", b"<iframe", b"<object", b"<embed", b"onclick"):
                assert word not in part, (edition.name, word)


def test_active_content_is_an_error_under_strict(folder: Path) -> None:
    (folder / "x.png").write_bytes(PNG)
    (folder / "a.md").write_text(SCRIPTS)
    result = publish("build", "a.md", "--strict", "--format", "html", cwd=folder)
    assert result.returncode == 1
    assert (
        "a.md:5: error: <script> element removed: manuscripts may not run code "
        "or load files" in stderr_lines(result)
    )
    assert not (folder / "build").exists()


TITLE = "Tags </title><script>alert(1)</script> & <b>bold</b>"


def test_markup_in_metadata_shows_literally_and_runs_nothing(tmp_path: Path) -> None:
    quoted = TITLE.replace('"', '\\"')
    (tmp_path / "a.md").write_text(
        f'---\ntitle: "{quoted}"\nauthor: "Eve </script><script>x()</script>"\n'
        f'abstract: "An <iframe src=x></iframe> abstract"\n---\n\nText.\n'
    )
    result = publish("build", "a.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "build" / "a"
    escaped = (
        "Tags &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
    )
    page = (out / "a.html").read_text()
    assert f"<title>{escaped}</title>" in page
    assert page.count("<script") == 1  # the JSON-LD data block
    assert "<iframe" not in page
    with zipfile.ZipFile(out / "a.epub") as epub:
        article = epub.read("EPUB/article.xhtml").decode()
        package = epub.read("EPUB/content.opf").decode()
    assert f"<title>{escaped}</title>" in article
    assert "<script" not in article and "<iframe" not in article
    assert f"<dc:title>{escaped}</dc:title>" in package
    with pikepdf.open(out / "a.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == TITLE
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", out / "a.pdf", "-"], capture_output=True, text=True, check=True
        ).stdout
        # The title may break across lines after "</": compare without white space.
        assert "".join(TITLE.split()) in "".join(text.split())


def test_failed_strict_build_keeps_the_earlier_editions(folder: Path) -> None:
    (folder / "a.md").write_text("---\ntitle: Fine\n---\n\nText.\n")
    assert publish("build", "a.md", "--format", "html", cwd=folder).returncode == 0
    before = snapshot(folder / "build")
    (folder / "a.md").write_text(SCRIPTS)
    assert publish("build", "a.md", "--strict", "--format", "html", cwd=folder).returncode == 1
    assert snapshot(folder / "build") == before


# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


def test_even_a_template_reads_nothing_outside(folder: Path) -> None:
    """The last line of defence, WeasyPrint's URL fetcher, refuses attachments and
    images that a (user's) template asks for outside the folders of the build."""
    (folder / "mine" / "pdf").mkdir(parents=True)
    (folder / "mine" / "pdf" / "article.html.j2").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><title>x</title>'
        '<link rel="attachment" href="file:///etc/passwd"></head>'
        '<body><p><a rel="attachment" href="passwd.txt">x</a></p></body></html>\n'
    )
    (folder / "a.md").write_text("---\ntitle: T\n---\n\nText.\n")
    result = publish("build", "a.md", "--format", "pdf", "--templates", "mine", cwd=folder)
    assert result.returncode == 1
    assert (
        stderr_lines(result).count(
            "a.md: error: refused to read '/etc/passwd', outside those folders: a build reads "
            "only files in the manuscript's folder and the templates folder"
        )
        == 2
    )
    assert not (folder / "build").exists()
