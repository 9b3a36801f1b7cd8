"""The package as a user installs it: a wheel built from the checkout carries its
templates, stylesheets and fonts, and installed (not editable) into a fresh virtual
environment it builds the sample's three editions from a folder holding only source/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

pytestmark = pytest.mark.packaging

# Every kind of asset the editions read at build time, as the wheel must hold it.
EXPECTED = [
    "publish/assets/html/article.html.j2",
    "publish/assets/html/style.css",
    "publish/assets/epub/article.xhtml.j2",
    "publish/assets/epub/nav.xhtml.j2",
    "publish/assets/pdf/print.css",
    "publish/assets/shared/title_block.html.j2",
    "publish/assets/fonts/charis/CharisSIL-Regular.ttf",
    "publish/assets/fonts/amiri/Amiri-Regular.ttf",
    "publish/read/filters/collect.lua",
    "publish/check/EpubCheckBatch.java",
]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # No PYTHONPATH: nothing may reach the checkout but the wheel's own copy.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the checkout (the build leaves build/ and *.egg-info
    where it runs: not in the checkout, whose build/ holds editions)."""
    tree = tmp_path_factory.mktemp("checkout")
    shutil.copy2(ROOT / "pyproject.toml", tree)
    shutil.copytree(
        ROOT / "publish", tree / "publish", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: the test extra installs the build backend, so nothing is
    # downloaded.
    run(sys.executable, *"-m pip wheel -q --no-deps --no-build-isolation -w".split(), out, tree)
    (found,) = out.glob("publish-*.whl")
    return found


def test_wheel_holds_the_templates_and_fonts(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [name for name in EXPECTED if name not in names]
    assert not missing, missing
    assets = ROOT / "publish" / "assets"
    shipped = {f"publish/{p.relative_to(assets.parent).as_posix()}" for p in assets.rglob("*")}
    assert sorted(n for n in shipped if (ROOT / n).is_file() and n not in names) == []


def test_installed_wheel_builds_three_editions_from_a_bare_folder(
    wheel: Path, tmp_path: Path, sample_build: Path
) -> None:
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    # The dependencies come from the project's environment (a .pth line puts its
    # site-packages after the fresh one's), so the test downloads nothing; publish
    # itself comes only from the wheel: a .pth line does not run the editable hook.
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    )
    ours = dict.fromkeys(sysconfig.get_path(kind) for kind in ("purelib", "platlib"))
    (site / "project-deps.pth").write_text("".join(f"{path}\n" for path in ours))
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        wheel,
    )
    where = run(python, "-c", "import publish; print(publish.__file__)", cwd=tmp_path).stdout
    where = where.strip()
    assert Path(where).is_relative_to(env), where

    folder = tmp_path / "site"
    shutil.copytree(SAMPLE.parent, folder / "source")
    assert sorted(p.name for p in folder.iterdir()) == ["source"]
    run(env / "bin" / "publish", "build", "--quiet", cwd=folder)
    built = folder / "build" / SAMPLE.stem
    for fmt in ("pdf", "epub", "html"):
        edition = built / f"{SAMPLE.stem}.{fmt}"
        # The same bytes as the checkout builds: the package found every asset.
        assert edition.read_bytes() == (sample_build / edition.name).read_bytes(), edition.name
