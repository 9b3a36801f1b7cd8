"""Shared fixtures: the sample article built once per test session, as a reader gets it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "source" / "mojahedin-e-khalq-in-post-saddam-iraq.md"
SEED = SHARED / "seeds" / "000_6b56b70e605d6e84.txt"
FEATURES = ROOT / "tests" / "manuscripts" / "features" / "features.md"
PERSIAN = ROOT / "tests" / "manuscripts" / "persian" / "persian.md"
SCHOLARLY = ROOT / "tests" / "manuscripts" / "scholarly" / "scholarly.md"
MANUSCRIPTS = {
    "sample": SAMPLE,
    "features": FEATURES,
    "persian": PERSIAN,
    "scholarly": SCHOLARLY,
}
"""The project's own manuscripts, by the names tests use for them."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite the golden files from the current output (review the diff)",
    )


@pytest.fixture(scope="session")
def regen_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


def run_publish(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "publish", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """build/<slug>/ of one of MANUSCRIPTS, all three editions, built with the real
    command the first time a test asks for it and shared by every test after: the one
    place tests build the project's manuscripts. Read it; copy it before changing it."""
    out = tmp_path_factory.mktemp("built")
    folders: dict[str, Path] = {}

    def folder(name: str) -> Path:
        if name not in folders:
            result = run_publish("build", MANUSCRIPTS[name], "--out", out)
            assert result.returncode == 0, result.stderr
            folders[name] = out / MANUSCRIPTS[name].stem
        return folders[name]

    return folder


@pytest.fixture(scope="session")
def sample_build(built: Callable[[str], Path]) -> Path:
    """build/<slug>/ of the sample article, built once with the real toolchain."""
    return built("sample")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def pdftotext(
    pdf: Path, first: int | None = None, last: int | None = None, raw: bool = False
) -> str:
    # raw: in its default mode pdftotext drops a hard hyphen that ends a line
    # ("al-" + "Qaeda" becomes "alQaeda"); -raw keeps it.
    args = ["pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else [])]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def copy_manuscript(text: str, folder: Path, name: str = "article.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


__all__ = [
    "ROOT",
    "SHARED",
    "SAMPLE",
    "SEED",
    "FEATURES",
    "PERSIAN",
    "MANUSCRIPTS",
    "run_publish",
    "pdftotext",
    "copy_manuscript",
]
