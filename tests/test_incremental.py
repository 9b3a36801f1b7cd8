"""A build skips the manuscripts whose editions are up to date, and only those."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildfarm import DOT, counts, manuscript, snapshot, write_articles
from conftest import ROOT, run_publish

from publish.options import Options
from publish.pipeline import stamps
from publish.pipeline.outcome import Outcome
from publish.pipeline.stamps import STAMP

Farm = tuple[Path, Path, Path, Path]
"""Manuscripts, the user's templates folder, the output folder, the code that builds."""
FORMATS = "html"  # the other editions add time and nothing to what is tested here


@pytest.fixture(scope="module")
def code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot(ROOT, tmp_path_factory.mktemp("code"))


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory, code: Path) -> Path:
    """Three manuscripts built once, with a copy of the templates passed as the user's
    own (so a test can change a template without touching ours)."""
    root = tmp_path_factory.mktemp("farm")
    write_articles(root / "source", 3)
    shutil.copytree(ROOT / "publish" / "assets" / "html", root / "templates" / "html")
    first = build(root / "source", root / "templates", root / "build", code)
    assert counts(first.stdout) == (3, 0, 0)
    return root


@pytest.fixture
def farm(built_once: Path, tmp_path: Path, code: Path) -> Farm:
    """A test's own copy of the built manuscripts: sources, templates and build folder
    move together, as a stamp allows."""
    root = tmp_path / "farm"
    shutil.copytree(built_once, root)
    return root / "source", root / "templates", root / "build", code


def build(source: Path, templates: Path, out: Path, code: Path, *extra: str):
    result = run_publish(
        "build",
        source,
        "--out",
        out,
        "--templates",
        templates,
        "--format",
        FORMATS,
        *extra,
        cwd=code,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_a_second_build_builds_nothing(farm: Farm) -> None:
    result = build(*farm)
    assert counts(result.stdout) == (0, 3, 0)
    assert "wrote" not in result.stdout


def test_changing_one_manuscript_rebuilds_only_it(farm: Farm) -> None:
    source, _, out, _ = farm
    (source / "article-2.md").write_text(manuscript("Article 2, revised"), encoding="utf-8")
    result = build(*farm)
    assert counts(result.stdout) == (1, 2, 0)
    assert "Article 2, revised" in (out / "article-2" / "article-2.html").read_text()


def test_touching_without_changing_rebuilds_nothing(farm: Farm) -> None:
    source, _, _, _ = farm
    # The digest of the text decides, not the time stamp an editor or a checkout sets.
    (source / "article-3.md").touch()
    assert counts(build(*farm).stdout) == (0, 3, 0)


def test_changing_an_image_rebuilds_the_manuscript_using_it(
    farm: Farm,
) -> None:
    source, _, _, _ = farm
    (source / "dot.png").write_bytes(DOT + b"\0")
    result = build(*farm)
    assert counts(result.stdout) == (1, 2, 0)
    assert "article-1.html" in result.stdout


def test_changing_a_template_rebuilds_every_manuscript(farm: Farm) -> None:
    _, templates, out, _ = farm
    template = templates / "html" / "article.html.j2"
    template.write_text(template.read_text() + "<!-- house style 2 -->\n")
    assert counts(build(*farm).stdout) == (3, 0, 0)
    assert "house style 2" in (out / "article-3" / "article-3.html").read_text()


def test_a_deleted_edition_is_rebuilt(farm: Farm) -> None:
    _, _, out, _ = farm
    edition = out / "article-2" / "article-2.html"
    edition.unlink()
    assert counts(build(*farm).stdout) == (1, 2, 0)
    assert edition.is_file()


def test_other_options_rebuild_every_manuscript(farm: Farm) -> None:
    assert counts(build(*farm, "--base-url", "https://example.org/").stdout) == (3, 0, 0)


def test_force_rebuilds_every_manuscript(farm: Farm) -> None:
    assert counts(build(*farm, "--force").stdout) == (3, 0, 0)


def test_quiet_prints_nothing(farm: Farm) -> None:
    source, _, _, _ = farm
    (source / "article-3.md").write_text(manuscript("Article 3, revised"), encoding="utf-8")
    result = build(*farm, "--quiet")
    assert result.stdout == ""
    assert result.stderr == ""


def test_a_changed_bibliography_rebuilds_the_manuscript_citing_it(farm: Farm) -> None:
    source, _, out, _ = farm
    (source / "refs.bib").write_text(BIB.format(title="A History of Footnotes"))
    (source / "article-2.md").write_text(
        "---\ntitle: Article 2\nlang: en\nbibliography: refs.bib\n---\n\nAs shown [@smith2020].\n"
    )
    assert counts(build(*farm).stdout) == (1, 2, 0)
    (source / "refs.bib").write_text(BIB.format(title="A History of Page Feet"))
    assert counts(build(*farm).stdout) == (1, 2, 0)
    assert "Page Feet" in (out / "article-2" / "article-2.html").read_text()


BIB = """@book{{smith2020,
  author = {{Smith, Jane}},
  title = {{{title}}},
  publisher = {{Example Press}},
  year = {{2020}}
}}
"""


@pytest.mark.parametrize(
    "changed",
    [
        "read/filters/typography.lua",  # a Lua filter pandoc runs
        "pipeline/units.py",  # the code
        "check/EpubCheckBatch.java",  # any file of the package, not only code and assets
    ],
)
def test_a_change_to_any_file_of_the_code_rebuilds_every_manuscript(
    farm: Farm, tmp_path: Path, changed: str
) -> None:
    source, templates, out, code = farm
    ours = snapshot(code, tmp_path / "ours")
    path = ours / "publish" / changed
    comment = "--" if path.suffix == ".lua" else "//" if path.suffix == ".java" else "#"
    path.write_text(path.read_text() + f"\n{comment} changed\n")
    assert counts(build(source, templates, out, ours).stdout) == (3, 0, 0)
    # and then they are up to date again, with the digest of the code read from the cache
    assert counts(build(source, templates, out, ours).stdout) == (0, 3, 0)


def test_another_version_of_a_tool_rebuilds_every_manuscript(farm: Farm, tmp_path: Path) -> None:
    source, templates, out, code = farm
    # An nh3 the interpreter finds before the installed one, as an upgrade would leave it.
    dist = tmp_path / "site" / "nh3-99.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: nh3\nVersion: 99.0\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    args = ("build", source, "--out", out, "--templates", templates, "--format", FORMATS)
    result = run_publish(*args, cwd=code, env=env)
    assert counts(result.stdout) == (3, 0, 0), result.stderr


def test_touching_records_the_new_time_so_the_next_check_reads_no_text(farm: Farm) -> None:
    source, _, out, _ = farm
    later = (source / "article-3.md").stat().st_mtime_ns + 10**12
    os.utime(source / "article-3.md", ns=(later, later))
    assert counts(build(*farm).stdout) == (0, 3, 0)
    stamp = json.loads((out / "article-3" / STAMP).read_text())
    assert stamp["files"]["article-3.md"][2] == later


def test_an_up_to_date_build_does_not_load_the_renderers(farm: Farm) -> None:
    source, templates, out, code = farm
    # One build first: code saved within a clock tick of the last build (a checkout just
    # before the tests) is digested again once, and that needs pandoc's version.
    assert counts(build(*farm).stdout) == (0, 3, 0)
    script = (
        "import sys\nfrom publish.cli import main\nimported = set(sys.modules)\n"
        f"main(['build', {str(source)!r}, '--out', {str(out)!r}, '--templates', "
        f"{str(templates)!r}, '--format', {FORMATS!r}])\n"
        "print(' '.join(sorted(sys.modules)))\n"
        "print(' '.join(sorted(set(sys.modules) - imported)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=code, capture_output=True, text=True, check=True
    )
    assert counts(done.stdout) == (0, 3, 0)
    loaded, deciding = (set(line.split()) for line in done.stdout.splitlines()[-2:])
    assert loaded & {"weasyprint", "ebooklib", "pypandoc", "lxml", "pikepdf"} == set()
    # Beyond what the command line itself needs, deciding loads none of the readers.
    assert deciding & {"yaml", "jinja2", "publish.read", "publish.periodical"} == set()


def test_a_file_rewritten_within_the_clock_tick_of_its_stamp_is_read_again(
    tmp_path: Path,
) -> None:
    # Same size, same time stamp, other text: only the digest can tell, and a stat taken
    # so close to the stamp's writing is not trusted.
    (source,) = write_articles(tmp_path / "source", 1)
    options = Options(out=tmp_path / "build", formats=("html",))
    shared = stamps.shared_digest(options)
    (tmp_path / "build" / "article-1").mkdir(parents=True)
    (tmp_path / "build" / "article-1" / "article-1.html").write_text("<p>built</p>")
    stamps.write(Outcome(source, uses=[source.parent / "dot.png"]), options, shared)
    assert stamps.is_current(source, options, shared)
    before = source.stat()
    source.write_text(source.read_text().replace("Article 1", "Article I"))
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert source.stat().st_size == before.st_size
    assert not stamps.is_current(source, options, shared)
