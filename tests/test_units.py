"""An issue is a unit of work like a manuscript: built in the worker pool beside the
manuscripts outside it, stamped over everything its articles use (images from
``--resource-path``, bibliographies), and built again when one of those changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from buildfarm import DOT, counts, write_articles
from conftest import ROOT, run_publish

ISSUE = ROOT / "tests" / "issues" / "terrorism-monitor-3-2"


def test_an_issue_and_loose_articles_build_together_and_rebuild_on_what_they_use(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    issue = source / "tm"
    shutil.copytree(ISSUE, issue)
    shutil.copy(ROOT / "tests" / "manuscripts" / "scholarly" / "refs.bib", issue / "refs.bib")
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "seal.png").write_bytes(DOT)
    article = issue / "financing-networks.md"
    text = article.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    article.write_text(
        f"{head}\nbibliography: refs.bib\n---\n"
        f"![The seal](seal.png)\n\nAs @smith2020 says.\n{body}",
        encoding="utf-8",
    )
    write_articles(source, 2)
    out = tmp_path / "build"
    args = ("build", source, "--out", out, "--jobs", "2", "--format", "html,pdf")
    first = run_publish(*args, "--resource-path", shared)
    assert first.returncode == 0, first.stderr
    assert counts(first.stdout) == (3, 0, 0)  # two articles and one issue
    assert "wrote build/tm/tm.pdf" in first.stdout.replace(str(tmp_path) + "/", "")
    page = (out / "financing-networks" / "financing-networks.html").read_text(encoding="utf-8")
    assert "The seal" in page and "Smith" in page
    stamp = json.loads((out / "tm" / ".publish-stamp.json").read_text(encoding="utf-8"))
    assert {"refs.bib", "issue.yaml", "border-crossings.md", "crossings.png"} <= stamp[
        "files"
    ].keys()
    assert any(name.endswith("shared/seal.png") for name in stamp["files"])

    again = run_publish(*args, "--resource-path", shared)
    assert counts(again.stdout) == (0, 3, 0)
    (shared / "seal.png").write_bytes(DOT + b"\0")  # a used file outside the folder changed
    changed = run_publish(*args, "--resource-path", shared)
    assert changed.returncode == 0, changed.stderr
    assert counts(changed.stdout) == (1, 2, 0)
    with (issue / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{extra, title = {Extra}, year = {2001}}\n")
    assert counts(run_publish(*args, "--resource-path", shared).stdout) == (1, 2, 0)


def test_an_issue_folder_without_articles_yet_says_so_at_its_issue_yaml(tmp_path: Path) -> None:
    issue = tmp_path / "source" / "spring"
    issue.mkdir(parents=True)
    (issue / "issue.yaml").write_text("publication: X\nvolume: 1\nissue: 1\n", encoding="utf-8")
    result = run_publish("build", tmp_path / "source", "--out", tmp_path / "build")
    assert result.returncode == 1
    assert f"{issue / 'issue.yaml'}:1: error: the issue has no articles" in result.stderr
    assert "no manuscripts (*.md) found" not in result.stderr


def test_paths_may_come_after_options_and_unknown_options_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from publish.cli import parse

    args = parse(["build", "a.md", "--force", "b.md", "--jobs", "2", "c"])
    assert args.paths == [Path("a.md"), Path("b.md"), Path("c")] and args.force
    with pytest.raises(SystemExit):
        parse(["build", "a.md", "--forse"])
    assert "unrecognized arguments: --forse" in capsys.readouterr().err


def test_no_manuscripts_names_where_it_looked(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_publish("build", tmp_path / "empty", "--out", tmp_path / "build")
    assert result.returncode == 1
    assert result.stderr.startswith("publish: error: no manuscripts (*.md) found in ")
    assert "empty" in result.stderr


def test_a_build_from_a_folder_that_was_removed_says_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        f'mkdir gone && cd gone && rmdir ../gone && exec "{sys.executable}" -m publish build x.md'
    )
    result = subprocess.run(
        ["sh", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == (
        "publish: error: the current folder no longer exists: cd into one that does\n"
    )


def test_an_issue_and_a_manuscript_or_issue_of_its_name_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ISSUE, source / "tm")
    (source / "tm.md").write_text("---\ntitle: T\n---\n\nText.\n", encoding="utf-8")
    result = run_publish("build", source, "--out", tmp_path / "build")
    assert result.returncode == 1
    assert "tm.md would both be built into" in result.stderr
    assert not (tmp_path / "build").exists()
    (source / "tm.md").unlink()
    shutil.copytree(ISSUE, source / "again" / "tm")
    result = run_publish("build", source, "--out", tmp_path / "build")
    assert result.returncode == 1 and "would both be built into" in result.stderr


@pytest.mark.parametrize("named", [".", ".."])
def test_an_issue_named_as_dot_or_dotdot_is_built_under_its_own_name(
    tmp_path: Path, named: str
) -> None:
    """From inside the issue's folder (or a folder of it), `.` and `..` name the issue:
    its editions go to out/<its folder's name>/, never outside the output folder."""
    folder = tmp_path / "pub" / "tm"
    shutil.copytree(ROOT / "tests" / "issues" / "terrorism-monitor-3-2", folder)
    cwd = folder if named == "." else folder / "sub"
    cwd.mkdir(exist_ok=True)
    out = tmp_path / "out"
    result = run_publish("build", named, "--out", out, "--format", "html", cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert (out / "tm" / "index.html").is_file()
    assert (out / "border-crossings" / "border-crossings.html").is_file()
    # Nothing beside the output folder: no issue edition named '', '.' or '..'.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pub"]
    assert not list((tmp_path / "pub").glob("*.html")) and not list(folder.glob(".publish-*"))
