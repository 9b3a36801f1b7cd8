"""The same software on both sides: what decides the bytes of an edition besides its
inputs, compared between the client and every worker before a build."""

from __future__ import annotations

import hashlib
from functools import cache

from ...pipeline import software


@cache
def fingerprint() -> dict[str, str]:
    """What decides the bytes of an edition besides its inputs: the versions of publish,
    pandoc, WeasyPrint and the other libraries, publish's code and assets, and the
    system's fonts (WeasyPrint falls back on them for a character ours lack)."""
    # Every library publish pins (bundled citation styles, too), as the stamps have them.
    found = software.versions()
    h = hashlib.sha256()
    software.update_with_tree(h, software.PACKAGE)  # every file: code, filters, assets
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
