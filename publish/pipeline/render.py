"""One unit of work, in memory then on disk: read the manuscript once, render every
requested edition from it (for an issue, every edition of every article and of the
issue), and write them all or none. A failure is a located message in the outcome."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..diagnostics import Diagnostic, ManuscriptError, display_path
from ..options import Options
from ..output import remove_stale_parts, write_all
from ..updates import versions
from ..updates.prepare import for_unit
from .outcome import Outcome, Rendered
from .reading import read_manuscript
from .units import is_issue


def build_one(source: Path, options: Options) -> Outcome:
    """Build every requested edition of one manuscript (or issue), or none of them."""
    outcome, rendered = render_one(source, options)
    write_editions(outcome, rendered, options)
    return outcome


def render_one(source: Path, options: Options) -> tuple[Outcome, Rendered]:
    """Every requested edition of one manuscript (or of an issue and its articles, for an
    ``issue.yaml``), or none of them (the outcome's diagnostics say why).

    All editions are rendered in memory first, so that an error in any of them leaves
    the editions of an earlier build as they were."""
    outcome = Outcome(source)
    try:
        if is_issue(source):
            from ..periodical.build import render_issue

            return outcome, render_issue(outcome, options)
        return outcome, _render_manuscript(outcome, options)
    except ManuscriptError as exc:
        outcome.diagnostics.extend(exc.diagnostics)
    except jinja2.TemplateError as exc:
        outcome.diagnostics.append(template_error(exc, source))
    except RecursionError as exc:
        # The template that includes or calls itself, at the line that does it.
        where = _template_frame(exc, first=True)
        outcome.diagnostics.append(
            Diagnostic(
                where[0] if where else source,
                where[1] if where else None,
                "a template includes or calls itself without end (or the text nests too "
                "deeply to render): check your templates folder",
            )
        )
    except UnicodeDecodeError as exc:
        outcome.diagnostics.append(
            Diagnostic(source, None, f"a template is not UTF-8 ({exc.reason}): save it as UTF-8")
        )
    return outcome, {}


def _render_manuscript(outcome: Outcome, options: Options) -> Rendered:
    # Imported here: WeasyPrint alone takes a second to import, which a build where
    # everything is up to date never needs.
    from ..editions.registry import EDITIONS

    doc = read_manuscript(outcome.source, options)
    outcome.diagnostics.extend(doc.diagnostics)
    outcome.uses = [r.path for r in doc.resources.values()] + list(doc.inputs)
    return {
        name: data
        for f in options.formats
        for name, data in EDITIONS[f].files(doc, options).items()
    }


def write_editions(outcome: Outcome, rendered: Rendered, options: Options) -> None:
    """Put every rendered edition in place, all or none: a failure (a full disk, a
    read-only folder) is a message and leaves the earlier editions as they were."""
    if not rendered:
        return
    targets = {options.out / name: data for name, data in rendered.items()}
    folders = sorted({path.parent for path in targets})
    try:
        if options.relations is not None:
            # An article's earlier version kept (its editions copied into v<N>/) and its
            # versions recorded, in the same write: all or none.
            # Of this unit's own manuscripts only (an issue's folder is no article's).
            own = for_unit(options, outcome.source).relations or options.relations
            kept, problems = versions.keep(targets, own, options.out, outcome.source)
            if problems:
                outcome.diagnostics.extend(problems)
                return
            targets.update(kept)
            folders = sorted({path.parent for path in targets})
        for folder in folders:
            remove_stale_parts(folder)
        write_all(targets)
    except OSError as exc:
        where = display_path(Path(exc.filename) if exc.filename else folders[0])
        outcome.diagnostics.append(
            Diagnostic(
                outcome.source,
                None,
                f"cannot write the editions into {where}: {exc.strerror or exc}; "
                "the earlier editions are kept as they were (free some space, or choose "
                "a folder you may write with --out)",
            )
        )
        return
    outcome.written.extend(targets)


def template_error(exc: jinja2.TemplateError, source: Path) -> Diagnostic:
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


def _template_frame(exc: BaseException, first: bool = False) -> tuple[Path, int] | None:
    """The template file and line an error was raised in (the outermost template with
    ``first``): Jinja rewrites the traceback so that template code appears as frames of
    the template's own file."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (Path(name), tb.tb_lineno)
            if first:
                return found
        tb = tb.tb_next
    return found
