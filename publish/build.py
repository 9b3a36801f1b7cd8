"""The pipeline: read each manuscript once, render every edition from that one document,
then write the editions into place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .diagnostics import Diagnostic, ManuscriptError
from .document import read
from .options import Options
from .output import write_atomically


@dataclass
class Outcome:
    """What became of one manuscript."""

    source: Path
    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    uses: list[Path] = field(default_factory=list)
    """Files besides the manuscript that shaped the editions (its images)."""

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


def discover(paths: list[Path]) -> list[Path]:
    """The manuscripts named, with folders standing for every ``*.md`` below them."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def build_one(source: Path, options: Options) -> Outcome:
    """Build every requested edition of one manuscript, or none of them.

    All editions are rendered in memory first, so that an error in any of them leaves
    the editions of an earlier build as they were."""
    # Imported here: WeasyPrint alone takes a second to import, which a build where
    # everything is up to date never needs.
    from .editions import EDITIONS

    outcome = Outcome(source)
    try:
        doc = read(source, strict=options.strict, base_url=options.base_url)
        outcome.diagnostics.extend(doc.diagnostics)
        outcome.uses = [r.path for r in doc.resources.values()]
        rendered = {fmt: EDITIONS[fmt](doc, options) for fmt in options.formats}
    except ManuscriptError as exc:
        outcome.diagnostics.extend(exc.diagnostics)
        return outcome
    except jinja2.TemplateError as exc:
        outcome.diagnostics.append(_template_error(exc, source))
        return outcome
    folder = options.out / doc.slug
    for fmt, data in rendered.items():
        target = folder / f"{doc.slug}.{fmt}"
        write_atomically(target, data)
        outcome.written.append(target)
    return outcome


def _template_error(exc: jinja2.TemplateError, source: Path) -> Diagnostic:
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Diagnostic(
            Path(exc.filename), exc.lineno, f"template error: {exc.message}; fix the template"
        )
    where = _template_frame(exc)
    if where:
        return Diagnostic(where[0], where[1], f"template error: {exc}; fix the template")
    return Diagnostic(
        source, None, f"template error while rendering: {exc}; check your templates folder"
    )


def _template_frame(exc: BaseException) -> tuple[Path, int] | None:
    """The template file and line an error was raised in: Jinja rewrites the traceback so
    that template code appears as frames of the template's own file."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (Path(name), tb.tb_lineno)
        tb = tb.tb_next
    return found
