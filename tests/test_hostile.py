"""Hostile and broken input (issue 16), one case or more for each way it went wrong: no
script runs, nothing is fetched, nothing hangs or blows up, every failure is a located
message, nothing is lost, and what is built is valid. In process through ``read`` and
``build_one`` where that shows the same as the command."""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import run_publish
from lxml import etree
from manuscripts_kit import publish, snapshot
from PIL import Image

from publish.build import build_one
from publish.diagnostics import Collector, ManuscriptError
from publish.options import Options
from publish.read import read

SECRET = "CANARY-5e1f-never-in-an-edition"
EVENTS = ("onmouseover", "onload", "onclick", "onmouseenter", "onerror")


def png(size: tuple[int, int] = (2, 2)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "gray").save(out, "PNG")
    return out.getvalue()


def write(folder: Path, body: str, front: str = "title: T", name: str = "a.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{front}\n---\n\n{body}", encoding="utf-8")
    return path


def messages(path: Path, **options: object) -> tuple[list[str], bool]:
    """Every message about ``path``, and whether it could be read."""
    try:
        doc = read(path, **options)  # type: ignore[arg-type]
    except ManuscriptError as exc:
        return _named(exc.diagnostics), False
    return _named(doc.diagnostics), True


def _named(diagnostics: object) -> list[str]:
    """Messages as the command prints them when run in the manuscript's folder."""
    return [f"{d.path.name}{str(d).removeprefix(str(d.path))}" for d in diagnostics]  # type: ignore[attr-defined]


def build(path: Path, out: Path, **options: object) -> tuple[list[str], bool]:
    outcome = build_one(path, Options(out=out, **options))  # type: ignore[arg-type]
    return _named(outcome.diagnostics), not outcome.failed


def editions_bytes(folder: Path) -> list[bytes]:
    """Every edition below ``folder``, unzipped, PDF streams decompressed."""
    import pikepdf

    parts: list[bytes] = []
    for edition in folder.rglob("*"):
        if edition.suffix == ".epub":
            with zipfile.ZipFile(edition) as archive:
                parts += [archive.read(n) for n in archive.namelist()]
        elif edition.suffix == ".pdf":
            parts.append(edition.read_bytes())
            with pikepdf.open(edition) as pdf:
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Stream):
                        try:
                            parts.append(obj.read_bytes())
                        except pikepdf.PdfError:
                            parts.append(obj.read_raw_bytes())
        elif edition.suffix == ".html":
            parts.append(edition.read_bytes())
    return parts


def assert_no_canary(folder: Path) -> None:
    canaries = [SECRET.encode(), base64.b64encode(SECRET.encode())[:24]]
    for part in editions_bytes(folder):
        for canary in canaries:
            assert canary not in part


# 1. Script runs -----------------------------------------------------------------------

ATTRIBUTE_SCRIPTS = """\
[x]{onmouseover=alert(1)} and ![p](x.png){onload=alert(2)}

::: {onclick=alert(3)}
A div.
:::

## H {onmouseenter=alert(4)}

[a](javascript:alert(5)) [b](JaVaScRiPt:alert(6)) [c](data:text/html,x) [d](vbscript:x)

<a href="&#106;avascript:alert(7)">e</a> <a href=" java&#x09;script:alert(8)">f</a>
"""
META_SCRIPTS = """title: "[T]{onclick=alert(9)}"
subtitle: "[S](javascript:alert(10))"
author:
  - name: Eve
    affiliation: "[A]{onmouseover=alert(11)}"
abstract: "[x]{style=\\"background:url(https://example.org/t.png)\\"}" """


def test_event_handlers_and_script_addresses_are_removed_at_their_lines(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(png())
    path = write(tmp_path, ATTRIBUTE_SCRIPTS, META_SCRIPTS)
    found, ok = messages(path)
    assert ok, found
    expected = [
        "a.md:2: warning: 'onclick' event handler removed",
        "a.md:3: warning: 'javascript:' address removed from <a>",
        "a.md:6: warning: 'onmouseover' event handler removed",
        "a.md:7: warning: style 'background:url(https://example.org/t.png)' removed",
        "a.md:10: warning: 'onmouseover' event handler removed",
        "a.md:10: warning: 'onload' event handler removed",
        "a.md:12: warning: 'onclick' event handler removed",
        "a.md:16: warning: 'onmouseenter' event handler removed",
        "a.md:18: warning: 'javascript:' address removed from <a>",
        "a.md:18: warning: 'data:' address removed from <a>",
        "a.md:18: warning: 'vbscript:' address removed from <a>",
        "a.md:20: warning: 'javascript:' address removed from <a>",
        "a.md:20: warning: 'java\tscript:' address removed from <a>",
    ]
    for line in expected:
        assert any(m.startswith(line) for m in found), (line, found)
    assert len(found) == len(expected) + 1  # two at line 18 say 'javascript:'
    with pytest.raises(ManuscriptError) as strict:
        read(path, strict=True)
    assert ":2: error: 'onclick' event handler removed" in str(strict.value)
    out = tmp_path / "build"
    assert build(path, out)[1]
    for part in editions_bytes(out):
        text = part.decode("latin-1").lower()
        assert "alert(" not in text and "url(https://example.org" not in text
        for event in EVENTS:
            assert f"{event}=" not in text


SVG_HOSTILE = f"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "{SECRET}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="10" height="10" onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <image xlink:href="https://example.org/track.png" width="1" height="1"/>
  <rect width="10" height="10" fill="gray"/><text>&b;</text>
</svg>
"""


def test_svg_loses_scripts_entities_and_references_before_any_edition(tmp_path: Path) -> None:
    (tmp_path / "d.svg").write_text(SVG_HOSTILE)
    path = write(tmp_path, "Text.\n\n![drawing](d.svg)\n")
    found, ok = build(path, tmp_path / "build")
    assert ok, found
    for what in (
        "its DTD",
        "<script>",
        "<foreignObject>",
        "'onload' event handler",
        "reference to 'https://example.org/track.png'",
    ):
        assert any(m.startswith("a.md:7: warning: image 'd.svg': ") and what in m for m in found), (
            what,
            found,
        )
    with zipfile.ZipFile(tmp_path / "build" / "a" / "a.epub") as epub:
        svg = next(epub.read(n) for n in epub.namelist() if n.endswith(".svg"))
    root = etree.fromstring(svg)  # well-formed, no DTD
    assert b"<script" not in svg and b"foreignObject" not in svg and b"onload" not in svg
    assert b"example.org" not in svg and b"ENTITY" not in svg
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert_no_canary(tmp_path / "build")


def test_no_script_runs_in_a_browser_and_proof_fetches_nothing(tmp_path: Path) -> None:
    """The HTML edition opened with scripts on (as a reader's browser has them): no
    dialog; and the proof browser (scripts off, requests confined) fetches nothing."""
    from publish.proof.browser import chromium, confine

    (tmp_path / "x.png").write_bytes(png())
    path = write(
        tmp_path, ATTRIBUTE_SCRIPTS + '\n<img src="x.png" onerror="alert(12)">\n', META_SCRIPTS
    )
    assert build(path, tmp_path / "build", formats=("html",))[1]
    page_path = tmp_path / "build" / "a" / "a.html"
    hostile = tmp_path / "hostile.html"
    hostile.write_text('<img src="https://example.org/x.png"><script>alert(1)</script>')
    dialogs: list[str] = []
    outside: list[str] = []
    with chromium() as browser:
        context = browser.new_context()
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.goto(page_path.as_uri(), wait_until="load")
        for selector in ("a", "span", "div", "h2", "img"):
            for element in tab.query_selector_all(selector)[:20]:
                element.hover()
                element.click(no_wait_after=True, timeout=2000, force=True)
        context.close()
        confined = browser.new_context(java_script_enabled=False)
        confine(confined, tmp_path)
        tab = confined.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.on("requestfinished", lambda r: outside.append(r.url) if "example" in r.url else 0)
        tab.goto(hostile.as_uri(), wait_until="load")
        confined.close()
    assert dialogs == []
    assert outside == []


# 2. Requests leave the page ------------------------------------------------------------


def test_style_urls_go_and_an_apostrophe_in_an_image_name_is_embedded(tmp_path: Path) -> None:
    (tmp_path / "it's.png").write_bytes(png())
    path = write(
        tmp_path,
        '[x]{style="background: url(https://example.org/a.png)"}\n\n'
        '![p](it\'s.png)\n\n<p style="color: red">y</p>\n',
    )
    found, ok = build(path, tmp_path / "build", formats=("html", "epub"))
    assert ok, found
    assert any(m.startswith("a.md:5: warning: style 'background: url(") for m in found)
    page = (tmp_path / "build" / "a" / "a.html").read_text()
    assert "example.org" not in page and "file:" not in page
    assert page.count('src="data:image/png;base64,') == 1


# 3. Hangs and blow-ups -----------------------------------------------------------------

BOMB = """a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]"""

BOUNDED = {
    "YAML alias bomb": (
        lambda: ("Text.\n", "title: T\n" + BOMB),
        "a.md:7: error: the front matter expands to more than 10,000 values (the limit",
    ),
    "huge metadata value": (
        lambda: ("Text.\n", "title: T\nabstract: " + "word " * 40_000),
        "a.md:3: error: this value has 199,999 characters, above the limit of 100,000",
    ),
    "deep YAML": (
        lambda: ("Text.\n", "title: T\nx: " + "[" * 30 + "]" * 30),
        "a.md:3: error: lists or mappings nest more than 20 deep here (the limit)",
    ),
    "deeply nested quotations": (
        lambda: ("> " * 500 + "deep\n", "title: T"),
        "a.md:5: error: blocks nest more than 64 levels deep here (the limit)",
    ),
    "deeply nested lists": (
        lambda: ("".join("  " * i + "- item\n" for i in range(300)), "title: T"),
        "error: blocks nest more than 64 levels deep here (the limit)",
    ),
    "many raw HTML spans": (
        lambda: (("<b>x</b> " * 5 + "\n") * 2_100, "title: T"),
        "a.md: error: the text has 21,000 pieces of raw HTML, above the limit of 20,000",
    ),
    "too many notes": (
        lambda: (
            "".join(f"A[^{n}]" for n in range(2100))
            + "\n\n"
            + "".join(f"[^{n}]: n\n" for n in range(2100)),
            "title: T",
        ),
        "a.md: error: the text has 2,100 notes, above the limit of 2,000",
    ),
}


@pytest.mark.parametrize("case", BOUNDED, ids=list(BOUNDED))
def test_bounded_work_is_a_located_error_naming_the_limit(tmp_path: Path, case: str) -> None:
    make, expected = BOUNDED[case]
    body, front = make()
    path = write(tmp_path, body, front)
    started = time.perf_counter()
    found, ok = messages(path)
    seconds = time.perf_counter() - started
    assert not ok
    assert any(expected in m for m in found), found
    assert seconds < 20, seconds


def test_template_looking_text_and_five_hundred_notes_take_little_time(tmp_path: Path) -> None:
    liquid = ("{{ " * 200 + "\n") * 250 + ("{% x " * 200 + "\n") * 250 + "\n"
    notes = "".join(f"Text.[^{n}] " for n in range(500)) + "\n\n"
    notes += "".join(f"[^{n}]: Note {n}.\n" for n in range(500))
    path = write(tmp_path, liquid + notes)
    started = time.perf_counter()
    found, ok = build(path, tmp_path / "build", formats=("html", "epub"))
    assert ok, found
    assert time.perf_counter() - started < 30


# 4. Every failure a message ------------------------------------------------------------

FAILURES = {
    "non-string key": ("title: T\n2020: x", "Text.\n", "a.md:3: error: a metadata key must be"),
    "lone surrogate": (
        'title: "T \\ud800"',
        "Text.\n",
        "a.md:2: error: this value holds an escape such as '\\ud800' that is no character",
    ),
    "symlink loop": ("title: T", "![p](loop/x.png)\n", "a.md:5: error: image 'loop/x.png': "),
    "NUL in a path": ("title: T", "![p](a%00b.png)\n", "a.md:5: error: image 'a%00b.png': "),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
def test_internal_errors_become_located_messages(tmp_path: Path, case: str) -> None:
    front, body, expected = FAILURES[case]
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    path = write(tmp_path, body, front)
    found, ok = messages(path)
    assert not ok
    assert any(m.startswith(expected) for m in found), found
    assert not any("internal error" in m for m in found)


def test_templates_that_fail_and_outputs_that_cannot_be_written(tmp_path: Path) -> None:
    path = write(tmp_path, "Text.\n")
    mine = tmp_path / "mine" / "html"
    mine.mkdir(parents=True)
    (mine / "article.html.j2").write_bytes(b"<p>\xff\xfe bad</p>")
    found, ok = build(path, tmp_path / "b1", formats=("html",), templates=tmp_path / "mine")
    assert not ok and any("is not UTF-8" in m for m in found), found
    (mine / "article.html.j2").write_text("{% include 'article.html.j2' %}")
    found, ok = build(path, tmp_path / "b2", formats=("html",), templates=tmp_path / "mine")
    assert not ok and any("calls itself without end" in m for m in found), found
    (tmp_path / "out-file").write_text("x")
    result = publish("build", "a.md", "--out", "out-file", "--format", "html", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("publish: error: --out out-file is a file, not a folder")
    assert "Traceback" not in result.stderr


# 5. Text lost / 6. data at risk --------------------------------------------------------


def test_a_comment_that_looks_like_a_marker_loses_no_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Before.[^1]\n\n<!--publish:noteref 1-->\n\n<!--publish:note 1-->\n\n"
        "<!--publish:report {}-->\n\nAfter the forged markers.\n\n[^1]: The note.\n",
    )
    doc = read(path)
    assert "After the forged markers." in doc.body
    assert len(doc.notes) == 1 and "The note." in doc.notes[0].html
    assert doc.markers.token not in (path.read_text())


def test_a_failed_write_keeps_every_earlier_edition_and_stale_parts_go(tmp_path: Path) -> None:
    path = write(tmp_path, "Text.\n")
    out = tmp_path / "build"
    assert build(path, out, formats=("html", "epub"))[1]
    before = snapshot(out)
    (out / "a" / ".a.html.x1.part").write_text("left by a killed build")
    # The EPUB's name taken by a folder: the second of the two writes cannot happen.
    os.replace(out / "a" / "a.epub", tmp_path / "a.epub")
    (out / "a" / "a.epub").mkdir()
    path.write_text(path.read_text() + "\nMore.\n")
    found, ok = build(path, out, formats=("html", "epub"))
    assert not ok
    assert any("cannot write the editions into" in m for m in found), found
    (out / "a" / "a.epub").rmdir()
    os.replace(tmp_path / "a.epub", out / "a" / "a.epub")
    assert snapshot(out) == before  # the stale part went, the editions did not change


def test_two_builds_into_one_folder_do_not_run_at_once(tmp_path: Path) -> None:
    from publish.output import BuildLocked, locked

    out = tmp_path / "build"
    with locked(out), pytest.raises(BuildLocked):
        with locked(out, wait=0):
            pass
    with locked(out, wait=0):
        pass  # released


def test_a_second_build_waits_for_the_first_then_builds(tmp_path: Path) -> None:
    """The lock is held by another process (as a running build holds it): the second
    build says once that it waits, then builds when the lock is released."""
    path = write(tmp_path, "Text.\n")
    out = tmp_path / "build"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from publish.output import locked\n"
            "with locked(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(3)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = run_publish("build", path, "--out", out, "--format", "html", cwd=tmp_path)
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("another build is writing into") == 1, result.stderr
    assert "waits for it to end" in result.stderr
    assert waited >= 1.5  # it did wait for the holder's release
    assert (out / "a" / "a.html").is_file()


def test_templates_are_sandboxed_and_confined(tmp_path: Path) -> None:
    path = write(tmp_path, "Text.\n")
    mine = tmp_path / "mine" / "html"
    mine.mkdir(parents=True)
    canary = tmp_path / "ran"
    (mine / "article.html.j2").write_text(
        "{{ cycler.__init__.__globals__.os.system('touch " + str(canary) + "') }}"
    )
    found, ok = build(path, tmp_path / "b1", formats=("html",), templates=tmp_path / "mine")
    assert not ok and not canary.exists()
    assert any("template error" in m for m in found), found
    outside = tmp_path / "outside.j2"
    outside.write_text(SECRET)
    (mine / "article.html.j2").unlink()
    (mine / "article.html.j2").symlink_to(outside)
    found, ok = build(path, tmp_path / "b2", formats=("html",), templates=tmp_path / "mine")
    assert not ok and any("leads outside its templates folder" in m for m in found), found


# 7. Invalid editions -------------------------------------------------------------------


def test_control_characters_from_any_source_are_removed(tmp_path: Path) -> None:
    path = write(tmp_path, "A &#1; reference.\n", 'title: "T \\x01 escape"')
    found, ok = build(path, tmp_path / "build", formats=("epub", "html"))
    assert ok, found
    assert any(m.startswith("a.md:2: warning: control character U+0001 removed") for m in found)
    assert any(m.startswith("a.md:5: warning: control character U+0001 removed") for m in found)
    with zipfile.ZipFile(tmp_path / "build" / "a" / "a.epub") as epub:
        etree.fromstring(epub.read("EPUB/article.xhtml"))  # well-formed


BAD_PICTURES = {
    "HTML named .png": (
        b"<!DOCTYPE html><html><body>x</body></html>",
        "is not a picture (an HTML page)",
    ),
    "SVG named .png": (
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "an SVG drawing: name it .svg",
    ),
    "truncated PNG": (png()[:40], "is damaged"),
    "JPEG named .png": (None, "is a JPEG file named as a PNG one"),
}


@pytest.mark.parametrize("case", BAD_PICTURES, ids=list(BAD_PICTURES))
def test_a_broken_or_mislabelled_image_is_an_error_at_its_line(tmp_path: Path, case: str) -> None:
    data, expected = BAD_PICTURES[case]
    if data is None:
        out = io.BytesIO()
        Image.new("RGB", (2, 2)).save(out, "JPEG")
        data = out.getvalue()
    (tmp_path / "x.png").write_bytes(data)
    path = write(tmp_path, "Text.\n\nMore text.\n\n![p](x.png)\n")
    found, ok = messages(path)
    assert not ok
    assert any(m.startswith("a.md:9: error: image 'x.png' ") and expected in m for m in found), (
        found
    )


def test_a_picture_bomb_is_refused(tmp_path: Path) -> None:
    Image.new("1", (16_000, 16_000)).save(tmp_path / "x.png")  # past 250 million pixels
    path = write(tmp_path, "![p](x.png)\n")
    found, ok = messages(path)
    assert not ok and any("pixels (the limit)" in m for m in found), found


def test_internal_links_to_missing_ids_become_text(tmp_path: Path) -> None:
    path = write(tmp_path, "## Here {#here}\n\n[ok](#here) and [gone](#nowhere).\n")
    doc = read(path)
    assert '<a href="#here">ok</a>' in doc.body
    assert "#nowhere" not in doc.body and "gone" in doc.body
    assert any(
        m.startswith("a.md:7: warning: link to '#nowhere' leads to no element")
        for m in _named(doc.diagnostics)
    )


# 8. Messages in the right place --------------------------------------------------------


def test_heading_jumps_are_closed_up_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "# One\n\nText.\n\n### Three\n\nText.\n\n#### Four\n\n### Three again\n")
    doc = read(path)
    assert [d.message for d in doc.diagnostics] == [
        "heading level 3 follows level 1: set as level 2; write ## to silence this"
    ]
    assert doc.diagnostics[0].line == 9
    assert [(h.level, h.text) for h in doc.headings] == [
        (2, "One"),
        (3, "Three"),
        (4, "Four"),
        (3, "Three again"),
    ]
    assert '<h3 id="three">' in doc.body


def test_messages_at_the_right_lines(tmp_path: Path) -> None:
    (tmp_path / "aa.png").write_bytes(png())
    path = write(
        tmp_path,
        '![p](aa.png)\n\nText.\n\n![q](a.png)\n\n<span id="fn1">x</span>\n',
        "title: T\ntitle: Again",
    )
    found, ok = messages(path)
    assert not ok
    assert (
        "a.md:3: warning: key 'title' is given twice: the later value is used; delete one of them"
        in found
    )
    assert any(m.startswith("a.md:10: error: image 'a.png' does not exist") for m in found), found
    assert any(m.startswith("a.md:12: warning: id 'fn1' is used twice") for m in found), found


def test_resource_path_lets_named_folders_in_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the project being built: the key may name folders in it
    images = tmp_path / "images"
    images.mkdir()
    (images / "x.png").write_bytes(png())
    path = write(tmp_path / "text", "![p](/x.png) ![q](x.png)\n")
    doc = read(path, resource_path=(images,))
    # Relative names are looked for in the named folders too, as pandoc does.
    assert len(doc.resources) == 2 and doc.resources["/x.png"].path == (images / "x.png").resolve()
    other = write(tmp_path / "text", "![p](/x.png)\n", "title: T\nresource-path: ../images", "b.md")
    assert read(other).resources["/x.png"].content == png()
    found, ok = messages(write(tmp_path / "text", "![p](/x.png)\n", name="c.md"))
    assert not ok and any("absolute paths are not allowed" in m for m in found)
    # The text may not name a folder outside the project: that is the user's to do.
    for outside in ("/etc", "../..", "/"):
        path = write(tmp_path / "text", "Text.\n", f"title: T\nresource-path: {outside}", "d.md")
        found, ok = messages(path)
        assert not ok and len(found) == 1
        assert found[0].endswith(
            f"d.md:3: error: resource-path: '{outside}' is outside the folder being built: name "
            "a folder inside it, or give --resource-path on the command line"
        )


@pytest.fixture
def small_disk(tmp_path: Path):  # noqa: ANN201 - a generator fixture
    """A real 2 MB file system (tmpfs), where root may mount one; else the test skips."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_keeps_the_earlier_editions_byte_for_byte(
    tmp_path: Path, small_disk: Path
) -> None:
    path = write(tmp_path, "Text.\n")
    out = small_disk / "build"
    found, ok = build(path, out, formats=("html", "epub"))
    assert ok, found
    before = snapshot(out)
    filler = small_disk / "filler"
    free = os.statvfs(small_disk)
    # Leave room for a little less than one more HTML edition.
    filler.write_bytes(b"x" * (free.f_bavail * free.f_frsize - 64 * 1024))
    path.write_text(path.read_text() + "\nMore text.\n")
    found, ok = build(path, out, formats=("html", "epub"))
    assert not ok
    assert any("cannot write the editions into" in m and "No space left" in m for m in found)
    assert snapshot(out) == before


def test_pandoc_runs_with_a_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publish.read import limits

    monkeypatch.setattr(limits, "PANDOC_SECONDS", 0.001)
    found, ok = messages(write(tmp_path, "Text.\n"))
    assert not ok
    assert any("pandoc took longer than 0.001 s (the limit)" in m for m in found), found


def test_an_alias_bomb_takes_no_memory(tmp_path: Path) -> None:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found, ok = messages(write(tmp_path, "Text.\n", "title: T\n" + BOMB.replace("h: &h", "i: &i")))
    assert not ok
    # ru_maxrss is a high-water mark in KB: it moves only if this used more than before.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 100_000


# 8. Third round (issue 25) -------------------------------------------------------------

ESCAPED_FRONT = r"""title: "T \x01 escape"
subtitle: "S\x02"
author:
  - name: "Ann\x03 Author"
    affiliation: "Aff\x04"
keywords: ["k\x05w", "plain"]
volume: "3\x06"
abstract: "Ab\x07stract" """


def well_formed(folder: Path) -> list[str]:
    """Every XML document of every edition below ``folder`` parsed by lxml: the EPUB's
    XHTML, navigation, package and NCX; the HTML page (HTML5, not XML: its inline
    style holds '<' and '>') must hold no character XML forbids. Returns the names."""
    parsed = []
    for edition in folder.rglob("*.epub"):
        with zipfile.ZipFile(edition) as archive:
            for name in archive.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                    etree.fromstring(archive.read(name))
                    parsed.append(name)
    for page in folder.rglob("*.html"):
        data = page.read_bytes()
        assert not CONTROL_BYTES.search(data), page
        parsed.append(page.name)
    return parsed


CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_yaml_escapes_leave_a_warning_at_their_key_and_no_control_character(
    tmp_path: Path,
) -> None:
    """The parsed values lose them before anything is built: the values pandoc renders
    were cleaned already, the plain ones (keywords, volume) were not."""
    from publish.read import controls
    from publish.read.frontmatter import split

    text = f"---\n{ESCAPED_FRONT}\n---\n\nText.\n"
    report = Collector(tmp_path / "a.md")
    fm = split(text, report)
    assert fm is not None
    clean = controls.front_matter(fm, report)
    assert clean.data["keywords"] == ["kw", "plain"]
    assert clean.data["volume"] == "3"
    # read as JOSS writes it: one affiliation, as Quarto's list
    assert clean.data["author"][0]["affiliations"] == ["Aff"]
    lines = sorted(d.line for d in report.items if d.line is not None)
    assert lines == [2, 3, 5, 6, 7, 8, 9]
    assert all("removed from '" in d.message and d.severity == "warning" for d in report.items)
    assert controls.front_matter(clean, Collector(tmp_path / "a.md")) is clean


def test_control_characters_in_yaml_escapes_never_reach_an_edition(tmp_path: Path) -> None:
    good = write(tmp_path, "Text.\n", "title: Good\nkeywords: [fine]")
    assert build(good, tmp_path / "build", formats=("epub", "html"))[1]
    path = write(tmp_path, "Text.\n", ESCAPED_FRONT)
    found, ok = build(path, tmp_path / "build", formats=("epub", "html"))
    assert ok, found
    assert "a.md:7: warning: control character U+0005 removed from 'keywords.0'" in "\n".join(found)
    parsed = well_formed(tmp_path / "build")
    assert {"EPUB/article.xhtml", "EPUB/nav.xhtml", "EPUB/content.opf", "a.html"} <= set(parsed)


def test_a_lone_accent_in_a_formula_becomes_its_spacing_form(tmp_path: Path) -> None:
    """pandoc's MathML puts U+0302 alone in <mo> for \\hat: the Nu checker warns "Text
    run starts with a composing character"; the spacing form U+02C6 is what MathML's
    operator dictionary lists."""
    body = "$\\hat{\\lambda}$, $\\tilde{x}$, $\\dot{x}$, $\\ddot{x}$, $\\overleftarrow{x}$.\n"
    path = write(tmp_path, body)
    found, ok = build(path, tmp_path / "build", formats=("epub", "html"))
    assert ok, found
    html = (tmp_path / "build" / "a" / "a.html").read_text(encoding="utf-8")
    for spacing in "\u02c6\u02dc\u02d9\u00a8\u2190":
        assert f">{spacing}</mo>" in html
    assert not re.search("<mo[^>]*>[\u0300-\u036f\u20d0-\u20ff]</mo>", html)
    assert "\\hat{\\lambda}" in html  # the TeX itself is kept as it was written
    well_formed(tmp_path / "build")


NOTES_IN_NOTES = """\
Text.[^a] More.[^s]

[^a]: Outer note with a call [^c] inside,
    a lazy line.

[^c]: Inner *note*.

[^s]: Calls itself [^s].
"""


def test_a_note_called_only_inside_another_is_defined_and_said_where(tmp_path: Path) -> None:
    """Was "note [^c] is called but never defined", an error: the build failed."""
    good = write(tmp_path, "Good.\n")
    assert build(good, tmp_path / "build", formats=("epub", "html"))[1]
    before = snapshot(tmp_path / "build")
    path = write(tmp_path, NOTES_IN_NOTES, name="b.md")
    found, ok = build(path, tmp_path / "build", formats=("epub", "html"))
    assert ok, found
    assert not [m for m in found if ": error: " in m]
    assert [m.split(": warning: ")[0] for m in found] == ["b.md:7", "b.md:12"]
    assert "note [^c] is called inside note [^a]" in found[0]
    assert "note [^s] calls itself" in found[1]
    well_formed(tmp_path / "build")
    after = snapshot(tmp_path / "build")
    assert {k: after[k] for k in before} == before  # the earlier editions, byte for byte


def test_unnest_sets_the_inner_note_in_parentheses_and_drops_a_call_of_itself() -> None:
    """What the hook in read/manuscript.py gives pandoc: the real pandoc and filter."""
    from publish.document import Markers
    from publish.read import inner_notes, pandoc

    text = f"---\ntitle: T\n---\n\n{NOTES_IN_NOTES}"
    unnested = inner_notes.unnest(text, 5)
    assert unnested.count("\n") == text.count("\n")
    assert "a call ^[Inner *note*.] inside" in unnested
    assert "Calls itself." in unnested
    converted = pandoc.convert(unnested, Markers())
    assert converted.unresolved_notes == ()
    assert "(Inner <em>note</em>.)" in converted.notes[0]
    assert "[^s]" not in converted.notes[1]
    calls = inner_notes.inner_calls(text, 5)
    assert [(c.label, c.outer, c.line) for c in calls] == [("c", "a", 7), ("s", "s", 12)]


def test_control_characters_in_issue_yaml_go_with_a_warning_at_their_key(tmp_path: Path) -> None:
    import shutil

    from publish.periodical import schema

    folder = tmp_path / "issue"
    shutil.copytree(Path(__file__).parent / "issues" / "terrorism-monitor-3-2", folder)
    yaml_path = folder / "issue.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(
        text.replace("title: Iraq before", 'title: "Iraq\\x01 before').replace(
            "the elections", 'the elections"'
        ),
        encoding="utf-8",
    )
    report = Collector(yaml_path)
    issue = schema.load(folder, report)
    assert issue is not None and issue.title == "Iraq before the elections"
    assert [(d.line, d.severity) for d in report.items] == [(9, "warning")]
    assert "control character U+0001 removed from 'title'" in report.items[0].message


CASES = Path(__file__).parent / "cases"
BUILDING_CASES = sorted(
    p.name
    for p in CASES.iterdir()
    if (p / "expected.txt").is_file()
    and ": error: " not in (p / "expected.txt").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    "name",
    BUILDING_CASES,
)
def test_every_case_that_builds_writes_well_formed_editions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Each bad input that only warns (tests/cases) builds, and every XML document of its
    EPUB parses (a control character once made it fail while the build said it worked)."""
    assert len(BUILDING_CASES) >= 15
    monkeypatch.chdir(CASES / name)
    found, ok = build(Path("in.md"), tmp_path / "build", formats=("epub", "html"))
    assert ok, found
    assert len(well_formed(tmp_path / "build")) >= 4


def test_a_template_with_a_control_character_is_refused_at_its_line() -> None:
    """For the hook in templates.ConfinedLoader.get_source (issue 25)."""
    import jinja2

    from publish.read import controls

    assert controls.template_source("<p>{{ x }}</p>\n", "a.html", None) == "<p>{{ x }}</p>\n"
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        controls.template_source("<p>\n<b>\x01</b>\n", "shared/a.html", "/t/shared/a.html")
    assert raised.value.lineno == 2
    assert raised.value.name == "shared/a.html"
    assert "U+0001" in raised.value.message


def test_a_control_character_in_a_bibliography_is_located_in_it(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(
        "@article{doe2020,\n  title = {A ti\x01tle},\n  author = {Doe, Jane},\n"
        "  year = {2020},\n  journal = {J}\n}\n",
        encoding="utf-8",
    )
    path = write(tmp_path, "As @doe2020 says.\n", "title: B\nbibliography: refs.bib")
    outcome = build_one(path, Options(out=tmp_path / "build", formats=("html", "epub")))
    assert not outcome.failed
    located = [(d.path.name, d.line) for d in outcome.diagnostics if "U+0001" in d.message]
    assert ("refs.bib", 2) in located, located
    assert well_formed(tmp_path / "build")
