"""Builds in several worker processes give the same editions as one process, and one
manuscript's failure does not stop the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildfarm import counts, snapshot, write_articles
from conftest import ROOT, run_publish


@pytest.fixture(scope="module")
def code(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot(ROOT, tmp_path_factory.mktemp("code"))


def editions(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path, code: Path) -> None:
    source = tmp_path / "source"
    write_articles(source, 2)
    for jobs in ("1", "2"):
        result = run_publish("build", source, "--out", tmp_path / jobs, "--jobs", jobs, cwd=code)
        assert result.returncode == 0, result.stderr
        assert counts(result.stdout) == (2, 0, 0)
    one, two = editions(tmp_path / "1"), editions(tmp_path / "2")
    assert len(one) == 6
    assert one.keys() == two.keys()
    different = [name for name in one if one[name] != two[name]]
    assert different == []


def test_a_failing_manuscript_is_reported_and_the_others_are_built(
    tmp_path: Path, code: Path
) -> None:
    source = tmp_path / "source"
    write_articles(source, 3)
    broken = source / "broken.md"
    broken.write_text("---\nlang: en\n---\n\nNo title.\n", encoding="utf-8")
    out = tmp_path / "build"
    result = run_publish("build", source, "--out", out, "--jobs", "2", "--format", "html", cwd=code)
    assert result.returncode == 1
    assert counts(result.stdout) == (3, 0, 1)
    assert f"{broken}:1: error: missing 'title'" in result.stderr
    assert "1 of 4 manuscripts failed" in result.stderr
    for n in (1, 2, 3):
        assert (out / f"article-{n}" / f"article-{n}.html").is_file()
    assert not (out / "broken").exists()


def test_two_manuscripts_with_one_slug_are_refused(tmp_path: Path, code: Path) -> None:
    for folder in ("a", "b"):
        write_articles(tmp_path / "source" / folder, 1)
    first, second = (tmp_path / "source" / f / "article-1.md" for f in ("a", "b"))
    result = run_publish("build", tmp_path / "source", "--out", tmp_path / "build", cwd=code)
    assert result.returncode == 1
    assert result.stderr == (
        f"publish: error: {first} and {second} would both be built into "
        f"{tmp_path / 'build' / 'article-1'}: rename one of them\n"
    )
    assert not (tmp_path / "build").exists()
