"""The same software on both sides: what decides the bytes of an edition besides its
inputs, compared between the client and every worker before a build."""

from __future__ import annotations

import contextlib
import hashlib
import re
from functools import cache
from importlib import metadata

from ...pipeline import stamps


@cache
def fingerprint() -> dict[str, str]:
    """What decides the bytes of an edition besides its inputs: the versions of publish,
    pandoc, WeasyPrint and the other libraries, publish's code and assets, and the
    system's fonts (WeasyPrint falls back on them for a character ours lack)."""
    found = dict(stamps.versions())
    # Every library publish pins (bundled citation styles, too), not only the tools the
    # stamps name.
    for requirement in metadata.requires("publish") or []:
        # Pinned (==): what changes the bytes of an edition is pinned, by the project's rule.
        pin, _, marker = requirement.partition(";")
        if "==" in pin and "extra" not in marker:
            name = re.split(r"[\s\[<>=!~]", pin, maxsplit=1)[0]
            with contextlib.suppress(metadata.PackageNotFoundError):
                found.setdefault(name.lower(), metadata.version(name))
    h = hashlib.sha256()
    stamps.update_with_tree(h, stamps.PACKAGE, suffixes={".py", ".lua"})
    stamps.update_with_tree(h, stamps.ASSETS)
    found["publish code"] = h.hexdigest()[:12]
    found["system fonts"] = _system_fonts()
    return found


def _system_fonts() -> str:
    from ...fonts import fc_list

    listed = fc_list("%{file}|%{fontversion}\\n")
    if listed is None:
        return "unknown"
    return hashlib.sha256("\n".join(sorted(listed.splitlines())).encode()).hexdigest()[:12]


def difference(ours: dict[str, str], theirs: dict[str, str]) -> str:
    differ = [
        f"{name} {theirs.get(name, 'absent')} (here: {ours.get(name, 'absent')})"
        for name in sorted(ours.keys() | theirs.keys())
        if ours.get(name) != theirs.get(name)
    ]
    return (
        "would write other bytes than a local build, so it is refused: it has "
        + ", ".join(differ)
        + "; install the same versions there"
    )
