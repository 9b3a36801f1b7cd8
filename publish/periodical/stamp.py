"""Whether an issue is up to date: like a manuscript's stamp (``publish.stamps``), over
``issue.yaml``, every article and every file they use. A changed article rebuilds its
whole issue: every later article's pages may have moved."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..options import Options
from ..stamps import STAMP, file_digest
from .schema import ISSUE_FILE


def _path(folder: Path, options: Options) -> Path:
    return options.out / folder.name / STAMP


def is_current(folder: Path, options: Options, shared: str) -> bool:
    try:
        stamp = json.loads(_path(folder, options).read_text(encoding="utf-8"))
        if stamp["shared"] != shared:
            return False
        files = stamp["files"]
        if ISSUE_FILE not in files or set(files) < {p.name for p in folder.glob("*.md")}:
            return False
        if any(file_digest(folder / p) != d for p, d in files.items()):
            return False
        outputs = [options.out / p for p in stamp["outputs"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return all(p.is_file() for p in outputs)


def write(
    folder: Path, options: Options, shared: str, uses: list[Path], written: list[Path]
) -> None:
    files = [folder / ISSUE_FILE, *folder.glob("*.md"), *uses]
    stamp = {
        "shared": shared,
        "files": {os.path.relpath(p, folder): file_digest(p) for p in sorted(set(files))},
        "outputs": sorted(os.path.relpath(p, options.out) for p in written),
    }
    path = _path(folder, options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
