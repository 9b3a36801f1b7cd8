"""The programs beyond Python that ``publish check`` and ``publish proof`` both drive:
where Chromium is, and the commands that install what is missing. A leaf: it imports
nothing of publish, so both packages may read it (``check/tools.py`` holds what only the
validators need)."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from importlib import metadata
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
"""The project checkout when publish runs from one (an editable install): package.json
and .ci/install sit there. For an installed package this is site-packages."""
IN_CHECKOUT = (CHECKOUT / "package.json").is_file() and (CHECKOUT / "pyproject.toml").is_file()

INSTALL_CHROMIUM = "apt-get install -y chromium"


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


def chromium() -> Path | None:
    """$PUBLISH_CHROMIUM when set, else the ``chromium`` on PATH; None when it is missing."""
    named = os.environ.get("PUBLISH_CHROMIUM") or shutil.which("chromium")
    return Path(named) if named and Path(named).exists() else None
