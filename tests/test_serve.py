"""``publish serve``: the real command on a free port, watched by a real Chromium.

An open page follows a save of its manuscript without being reloaded by the test, shows
the located error of a broken save over the last good edition (untouched on disk), and
drops it after the fix; Ctrl-C stops everything at once; what was written while serving
is what ``publish build`` writes.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from buildfarm import DOT, manuscript, write_articles
from conftest import ROOT, SAMPLE, run_publish

from publish.diagnostics import Diagnostic
from publish.serve import page
from publish.serve.epub import Shelf
from publish.serve.server import Server, Site
from publish.serve.state import State

SLUG = SAMPLE.stem
TITLE = "The Disintegration of Mojahedin-e Khalq in Post-Saddam Iraq"
NEW_TITLE = "The Fate of the Mojahedin-e Khalq After Saddam"
FORMATS = ("pdf", "epub", "html")
RED_DOT = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
# Set to a folder to keep screenshots of the error overlay and the EPUB reading view.
SHOTS = Path(os.environ["PUBLISH_SERVE_SHOTS"]) if os.environ.get("PUBLISH_SERVE_SHOTS") else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(
    source: Path, out: Path, port: int, log: Path, *more: str | Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``publish serve`` in the background, once it says it is serving."""
    command = ["serve", source, "--out", out, "--port", str(port), *more]
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "publish", *map(str, command)],
            cwd=source.parent,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while b"serving http" not in log.read_bytes():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def editions(folder: Path) -> dict[str, bytes]:
    return {fmt: (folder / f"{SLUG}.{fmt}").read_bytes() for fmt in FORMATS}


def test_an_open_page_follows_the_manuscript(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    from publish.proof.browser import chromium

    source = tmp_path / "source"
    source.mkdir()
    manuscript = source / SAMPLE.name
    shutil.copy(SAMPLE, manuscript)
    out = tmp_path / "build"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"

    with serving(source, out, port, log) as process, chromium() as browser:
        page_ = browser.new_page(viewport={"width": 900, "height": 700})
        page_.goto(f"{base}/{SLUG}/{SLUG}.html")
        title = page_.locator("h1#title")
        expect(title).to_have_text(TITLE)
        # The page must reload by itself, and come back to where the reader was.
        page_.evaluate("window.scrollTo(0, 1200)")
        page_.evaluate("window.stayedOpen = true")

        manuscript.write_text(
            SAMPLE.read_text(encoding="utf-8").replace(TITLE, NEW_TITLE), encoding="utf-8"
        )
        expect(title).to_have_text(NEW_TITLE, timeout=30_000)
        assert page_.evaluate("window.stayedOpen === undefined"), "the page was not reloaded"
        # Back where the reader was, give or take the line the shorter title gave back
        # (the browser's scroll anchoring keeps the same text in view). Polled from here:
        # the page's script policy forbids the eval that wait_for_function uses.
        deadline = time.monotonic() + 5
        while abs(page_.evaluate("window.scrollY") - 1200) > 80:
            assert time.monotonic() < deadline, page_.evaluate("window.scrollY")
            time.sleep(0.05)
        good = editions(out / SLUG)
        assert NEW_TITLE.encode() in good["html"]
        assert b"<script src=" not in good["html"], "the edition on disk got the live script"

        # A broken front matter: the located error over the last good edition.
        manuscript.write_text(
            manuscript.read_text(encoding="utf-8").replace(
                f"title: {NEW_TITLE}", f'title: "{NEW_TITLE}'
            ),
            encoding="utf-8",
        )
        overlay = page_.locator("publish-serve .overlay")
        expect(overlay).to_be_visible(timeout=30_000)
        located = rf"source/{SLUG}\.md:\d+:\d+: error: malformed YAML front matter"
        expect(overlay).to_contain_text(re.compile(located))
        expect(title).to_have_text(NEW_TITLE)
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page_.screenshot(path=str(SHOTS / "overlay.png"))
        assert editions(out / SLUG) == good

        # The fix: the message goes (the text is back to that of the editions on disk).
        manuscript.write_text(
            SAMPLE.read_text(encoding="utf-8").replace(TITLE, NEW_TITLE), encoding="utf-8"
        )
        expect(overlay).to_be_hidden(timeout=30_000)
        expect(title).to_have_text(NEW_TITLE)

        # The reading views around the PDF and the EPUB.
        page_.goto(f"{base}/")
        expect(page_.locator(".article h2")).to_have_text(NEW_TITLE)
        page_.goto(f"{base}/_serve/epub/{SLUG}/")
        expect(page_.locator("h1").first).to_contain_text(NEW_TITLE)
        expect(page_.locator("publish-serve .pager").first).to_contain_text("1 of 1")
        page_.goto(f"{base}/_serve/pdf/{SLUG}")
        assert page_.locator("#publish-serve-pdf").get_attribute("src").endswith("#page=1")
        if SHOTS:
            page_.goto(f"{base}/_serve/epub/{SLUG}/")
            page_.screenshot(path=str(SHOTS / "epub.png"))

        process.send_signal(signal.SIGINT)
        asked = time.monotonic()
        assert process.wait(timeout=5) == 0, log.read_text()
        assert time.monotonic() - asked < 2, "Ctrl-C took too long"

    # What was written while serving is what `publish build` writes.
    again = tmp_path / "again"
    result = run_publish("build", manuscript, "--out", again, cwd=source.parent)
    assert result.returncode == 0, result.stderr
    assert editions(again / SLUG) == editions(out / SLUG)


def wait_until(check: Callable[[], bool], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)


def test_a_change_rebuilds_what_it_affects(tmp_path: Path) -> None:
    """Images, new and removed manuscripts, the templates folder; a manuscript that failed
    for want of an image is built once the image is there."""
    source = tmp_path / "source"
    write_articles(source, 2)  # article-1 shows dot.png
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "publish" / "assets" / "html", templates / "html")
    out = tmp_path / "build"
    log = tmp_path / "serve.log"
    port = free_port()
    args = ("--format", "html", "--templates", templates)
    html = {n: out / f"article-{n}" / f"article-{n}.html" for n in range(1, 5)}

    def stat(n: int) -> tuple[int, bytes]:
        return html[n].stat().st_mtime_ns, html[n].read_bytes()

    with serving(source, out, port, log, *args) as process:
        first, second = stat(1), stat(2)
        # An editor's save that writes twice (here a truncated file, then the whole).
        (source / "dot.png").write_bytes(RED_DOT[:20])
        (source / "dot.png").write_bytes(RED_DOT)
        wait_until(lambda: stat(1) != first, log)
        assert base64.b64encode(RED_DOT) in html[1].read_bytes()
        assert stat(2) == second, "a manuscript that does not use the image was rebuilt"

        (source / "article-3.md").write_text(manuscript("Article 3"), encoding="utf-8")
        wait_until(html[3].is_file, log)
        assert log.read_text().count("wrote build/article-1/") == 2, "built twice for one save"

        (source / "article-4.md").write_text(
            manuscript("Article 4").replace("with a note.", "![A box](box.png)"),
            encoding="utf-8",
        )
        wait_until(
            lambda: b"article-4.md:6: error: image 'box.png' does not exist" in log.read_bytes(),
            log,
        )
        assert not html[4].exists()
        (source / "box.png").write_bytes(DOT)
        wait_until(html[4].is_file, log)

        with open(templates / "html" / "style.css", "a", encoding="utf-8") as css:
            css.write("\n.serve-test { color: red }\n")
        wait_until(lambda: all(b"serve-test" in html[n].read_bytes() for n in range(1, 5)), log)

        (source / "article-2.md").unlink()
        home = f"http://127.0.0.1:{port}/"
        wait_until(lambda: b"article-2.md" not in fetch(home)[1], log)
        assert b"article-3.md" in fetch(home)[1]

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=5) == 0, log.read_text()


def test_an_issue_is_served_as_it_is_built(tmp_path: Path) -> None:
    """The articles of an issue folder are built with their issue, as by ``publish
    build``: each knows its pages, and the issue is built too (issue 20, bug 1)."""
    issue = shutil.copytree(ROOT / "tests" / "issues" / "terrorism-monitor-3-2", tmp_path / "tm")
    out = tmp_path / "build"
    log = tmp_path / "serve.log"
    with serving(issue, out, free_port(), log, "--format", "html") as process:
        page = (out / "border-crossings" / "border-crossings.html").read_text(encoding="utf-8")
        assert '<span class="pages">Page' in page, log.read_text()
        assert (out / "tm" / "index.html").is_file()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=5) == 0, log.read_text()


def test_an_edited_print_stylesheet_shapes_the_next_pdf(tmp_path: Path) -> None:
    """The print house style is cached per process by its text, not by the templates
    folder's path: after an edit the PDF is that of the edited stylesheet, and a later
    build finds it up to date (issue 20, bug 2)."""
    source = tmp_path / "source"
    write_articles(source, 1)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "publish" / "assets" / "pdf", templates / "pdf")
    out = tmp_path / "build"
    log = tmp_path / "serve.log"
    args = ("--format", "pdf", "--templates", templates)
    pdf = out / "article-1" / "article-1.pdf"
    with serving(source, out, free_port(), log, *args):
        before = pdf.stat().st_mtime_ns
        with open(templates / "pdf" / "print.css", "a", encoding="utf-8") as css:
            css.write("\nbody { font-size: 20pt; }\n")
        wait_until(lambda: pdf.stat().st_mtime_ns != before, log)
        served = pdf.read_bytes()
    fresh = run_publish("build", source, *args, "--out", tmp_path / "fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert served == (tmp_path / "fresh" / "article-1" / "article-1.pdf").read_bytes()
    again = run_publish("build", source, *args, "--out", out)
    assert "up to date 1" in again.stdout, again.stdout


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_publish("serve", SAMPLE, "--out", tmp_path, "--port", port)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"port {port} is in use" in lines[0] and "--port" in lines[0]
    assert not any(tmp_path.iterdir()), "it built before finding the port taken"


# In process: what the server's own pages and routes do with hostile text and paths.


def test_diagnostics_on_the_home_page_are_escaped(tmp_path: Path) -> None:
    state = State()
    source = tmp_path / "a.md"
    state.put(source)
    hostile = '<img src=x onerror="alert(1)"> & </li><script>alert(2)</script>'
    state.built("a", [Diagnostic(source, 3, hostile)], wrote=False)
    html = page.home(state.all(), tmp_path, FORMATS, state.version, "s").decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &lt;/li&gt;" in html
    tag = page.script_tag({"slug": 'x" onload="alert(1)', "generation": 1}).decode()
    assert 'data-slug="x&quot; onload=&quot;alert(1)"' in tag


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A server on a free port over a build folder holding one article."""
    out = tmp_path / "build"
    (out / "a").mkdir(parents=True)
    (out / "a" / "a.html").write_text("<html><body><p>text</p></body></html>")
    (out / "a" / ".publish-stamp.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("secret")
    state = State()
    state.put(tmp_path / "a.md")
    server = Server(("127.0.0.1", 0), Site(state, out, FORMATS, Shelf(out, tmp_path), True))
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        state.close()
        server.shutdown()
        server.server_close()


def fetch(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_server_serves_editions_and_nothing_else(site: str) -> None:
    status, body = fetch(f"{site}/a/a.html")
    assert status == 200
    assert body.startswith(b"<html><body><p>text</p>")
    assert b'<script src="/_serve/live.js" data-slug="a" data-generation="0"' in body
    assert body.endswith(b"</script>\n</body></html>")
    for path in (
        "/a/.publish-stamp.json",
        "/a/../secret.txt",
        "/a/%2e%2e/secret.txt",
        "/b/b.html",
        "/_serve/../secret.txt",
        "/_serve/state.py",
    ):
        assert fetch(site + path)[0] == 404, path
    # A page elsewhere reaching the preview through a name of its own (DNS rebinding).
    assert fetch(f"{site}/a/a.html", host="attacker.example")[0] == 403


def test_the_package_ships_the_pages() -> None:
    for name in (
        "live.js",
        "worker.js",
        "serve.css",
        "home.html.j2",
        "pdf.html.j2",
        "missing.html.j2",
    ):
        assert (page.STATIC / name).is_file()
    assert ROOT.joinpath("pyproject.toml").read_text().count("serve/static/*") == 1


def test_the_preview_builds_in_worker_processes_it_replaces(tmp_path: Path) -> None:
    from publish.executors.recycled import RecycledWorkers
    from publish.options import Options
    from publish.pipeline.outcome import Plan
    from publish.serve.session import Session

    source = tmp_path / "source"
    (article,) = write_articles(source, 1)
    out = tmp_path / "build"
    session = Session(
        [source], Options(out=out, formats=("html",)), Plan(jobs=1, quiet=True), State()
    )
    # A worker lasts one build here: every rebuild is made by a new process.
    session.workers = RecycledWorkers(1, max_builds=1)
    edition = out / "article-1" / "article-1.html"
    try:
        assert session.start()
        assert "Article 1" in edition.read_text(encoding="utf-8")
        builders = [session.workers.last_pid]
        for title in ("Article One", "Article Uno"):
            article.write_text(manuscript(title, image=True), encoding="utf-8")
            session.changed({article})
            builders.append(session.workers.last_pid)
            assert title in edition.read_text(encoding="utf-8")
        assert session.workers.recycled == 3
        assert len(set(builders)) == 3 and os.getpid() not in builders

        # An error made in a new worker still reaches the page, over the last good edition.
        article.write_text('---\ntitle: "Article Uno\n---\n\nText.\n', encoding="utf-8")
        session.changed({article})
        told = session.state.get("article-1")
        assert told is not None and told.failed
        said = [d["text"] for d in told.public()["diagnostics"]]  # type: ignore[union-attr]
        assert any("article-1.md:" in text and "error" in text for text in said), said
        assert "Article Uno" in edition.read_text(encoding="utf-8")
        assert session.workers.last_pid not in builders
    finally:
        session.close()
