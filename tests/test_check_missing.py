"""A validator that is not installed fails, naming the command that installs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from publish.check import epub, html, tools


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
