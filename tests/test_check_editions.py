"""`publish check` on the real editions of the sample article and the features manuscript.

Every validator runs for real, once for the session: every count must be zero.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, run_publish

from publish.check import check_paths

EXPECTED = {
    ".epub": ["EPUBCheck", "Ace", "lint"],
    ".html": ["Nu", "axe", "lint"],
    ".pdf": ["PDF", "qpdf", "lint"],
}


@pytest.fixture(scope="session")
def features_build(built: Callable[[str], Path]) -> Path:
    return built("features")


@pytest.fixture(scope="session")
def persian_build(built: Callable[[str], Path]) -> Path:
    """A whole article in Persian: right to left, labels in Persian."""
    return built("persian")


@pytest.fixture(scope="session")
def checked(
    sample_build: Path, features_build: Path, persian_build: Path, tmp_path_factory
) -> tuple[int, str, dict]:
    """One run of every validator over the three manuscripts' editions."""
    report = tmp_path_factory.mktemp("check") / "report.json"
    table = io.StringIO()
    code = check_paths([sample_build, features_build, persian_build], json_out=report, stream=table)
    return code, table.getvalue(), json.loads(report.read_text(encoding="utf-8"))


def test_every_edition_passes_every_check(checked: tuple[int, str, dict]) -> None:
    code, table, report = checked
    failures = [
        (edition["path"], check["check"], check["findings"][:3])
        for edition in report["editions"]
        for check in edition["checks"]
        if not check["passed"]
    ]
    assert failures == [], table
    assert code == 0
    assert report["passed"] is True
    assert "all checks passed" in table


def test_every_count_is_zero(checked: tuple[int, str, dict]) -> None:
    counts = [
        (check["errors"], check["warnings"])
        for edition in checked[2]["editions"]
        for check in edition["checks"]
    ]
    assert counts and set(counts) == {(0, 0)}


def test_every_validator_ran_on_every_edition(checked: tuple[int, str, dict]) -> None:
    report = checked[2]
    assert len(report["editions"]) == 9  # Three manuscripts, three editions each.
    for edition in report["editions"]:
        ran = [check["check"] for check in edition["checks"]]
        expected = EXPECTED[Path(edition["path"]).suffix]
        # veraPDF joins the PDF checks only where it is installed.
        assert [c for c in ran if c != "veraPDF"] == expected, edition["path"]


def test_table_names_each_edition_and_check(checked: tuple[int, str, dict]) -> None:
    table = checked[1]
    for name in ("EPUBCheck", "Ace", "Nu", "axe", "PDF", "qpdf", "lint"):
        assert f"  {name} " in table
    assert "features.epub" in table and "mojahedin-e-khalq-in-post-saddam-iraq.pdf" in table


def test_build_check_validates_what_it_built(tmp_path: Path) -> None:
    """`publish build --check` runs the checks on the editions it has just written."""
    result = run_publish("build", ROOT / "source", "--out", tmp_path, "--format", "html", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "  Nu " in result.stdout and "  axe " in result.stdout
    assert "all checks passed" in result.stdout


def test_a_persian_article_speaks_persian(persian_build: Path) -> None:
    page = (persian_build / "persian.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in page
    assert "نوشتهٔ لیلا طالقانی و ینس مولر" in page
    assert ">یادداشت‌ها</h2>" in page and ">دربارهٔ نویسنده</h2>" in page
    assert "By " not in page.split("<body>", 1)[1]
