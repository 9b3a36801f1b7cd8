"""A build skips the manuscripts whose editions are up to date, and only those."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from buildfarm import DOT, counts, manuscript, snapshot, write_articles
from conftest import ROOT, run_publish

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
