"""A validator that is not installed fails, naming the command that installs it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, run_publish

from publish.check import epub, html, tools
from publish.diagnostics import ToolMissing
from publish.proof import browser


@pytest.fixture
def no_node_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tools, "NODE_MODULES", tmp_path / "node_modules")
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html lang=en><title>t</title><p>x</p>", encoding="utf-8")
    return page


def test_missing_npm_validators_fail_with_install_command(no_node_modules: Path) -> None:
    book = no_node_modules.with_suffix(".epub")
    for result in (html.nu([no_node_modules])[0], html.axe([no_node_modules])[0], epub.ace(book)):
        assert not result.passed
        message = result.findings[0].message
        assert "is not installed; install it with:" in message
        assert "PUPPETEER_SKIP_DOWNLOAD=1 npm ci" in message


def test_missing_chromium_fails_with_apt_command(
    no_node_modules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISH_CHROMIUM", str(no_node_modules.parent / "no-such-chromium"))
    monkeypatch.setenv("PATH", str(no_node_modules.parent))
    result = html.axe([no_node_modules])[0]
    assert result.findings[0].message == (
        "Chromium is not installed; install it with: apt-get install -y chromium"
    )


def test_npm_validators_pinned_as_package_json_pins_them() -> None:
    # An installed publish has no package.json: tools names the same versions itself.
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert tools.NPM_VALIDATORS == package["dependencies"]


def test_validators_found_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # How an installed (non-editable) publish finds them: `npm install` in the folder
    # it is run from, or $PUBLISH_NODE_MODULES.
    (tmp_path / "node_modules" / "axe-core").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PUBLISH_NODE_MODULES", raising=False)
    assert tools._node_modules() == tmp_path / "node_modules"
    monkeypatch.setenv("PUBLISH_NODE_MODULES", str(tmp_path / "elsewhere"))
    assert tools._node_modules() == tmp_path / "elsewhere"


def test_missing_playwright_is_a_tool_missing_naming_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(ToolMissing) as missing, browser.chromium():
        pass
    assert str(missing.value) == (
        f"Python Playwright is not installed; install it with: {tools.INSTALL_CHECK}"
    )
    assert "[check]" in tools.INSTALL_CHECK


def test_proof_without_chromium_is_one_line(sample_build: Path, tmp_path: Path) -> None:
    shutil.copytree(sample_build, tmp_path / SAMPLE.stem)
    env = dict(os.environ, PUBLISH_CHROMIUM=str(tmp_path / "no-such-chromium"))
    result = run_publish("proof", SAMPLE, "--out", tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "publish: error: Chromium is not installed; install it with: apt-get install -y chromium"
    ]
