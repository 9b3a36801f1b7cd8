"""Jinja templates, found in a list of folders: a user's own first, ours after, so that
overriding one partial means copying one file."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
import markupsafe
from jinja2.sandbox import SandboxedEnvironment

from .document import IDS
from .read.controls import template_source

ASSETS = Path(str(resources.files(__package__) / "assets"))
"""The built-in templates, stylesheets and fonts, shipped inside the package."""


@cache
def environment(edition: str, user_folder: Path | None = None) -> jinja2.Environment:
    folders = [ASSETS / edition, ASSETS / "shared"]
    if user_folder:
        folders = [user_folder / edition, user_folder / "shared", *folders]
    # Sandboxed: a templates folder from elsewhere may format, not run code or read files.
    env = SandboxedEnvironment(
        loader=ConfinedLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.globals["ids"] = IDS
    return env


class ConfinedLoader(jinja2.FileSystemLoader):
    """Templates only from the folders themselves: a symbolic link that leads out of its
    folder is refused, as is a name that climbs out (``../``)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError:
            path = next(
                Path(f) / template for f in self.searchpath if (Path(f) / template).is_file()
            )
            raise not_utf8(path) from None
        _confined(Path(filename), [Path(f) for f in self.searchpath])
        return template_source(source, template, filename), filename, uptodate


def not_utf8(path: Path) -> jinja2.TemplateSyntaxError:
    """A template or stylesheet that is not UTF-8, at the line of its first bad byte."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        line, why = 1, "not UTF-8"
    except UnicodeDecodeError as exc:
        line, why = data.count(b"\n", 0, exc.start) + 1, exc.reason
    return jinja2.TemplateSyntaxError(
        f"{path.name} is not UTF-8 ({why}): save it as UTF-8", line, path.name, str(path)
    )


def _confined(path: Path, folders: list[Path]) -> None:
    real = path.resolve()
    for folder in folders:
        root = folder.resolve()
        if path.absolute().is_relative_to(folder.absolute()) and real.is_relative_to(root):
            return
    raise jinja2.TemplateError(
        f"'{path}' leads outside its templates folder (a symbolic link?): copy the file "
        "into the folder instead"
    )


def css_string(text: str) -> markupsafe.Markup:
    """``text`` as a quoted CSS string that no metadata can break out of (not even
    ``</style>``): everything but letters, digits and spaces is a hex escape."""
    body = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in text)
    return markupsafe.Markup(f'"{body}"')


IMPORT_RE = re.compile(r'^@import "([A-Za-z0-9_.-]+\.css)";\n?', re.M)
"""A stylesheet's line that takes in a partial: ``@import "code-lines.css";``."""
IMPORT_DEPTH = 8


def asset(edition: str, name: str, user_folder: Path | None = None) -> str:
    """A static file (CSS) of an edition's template folder, as text: the user's own copy
    when their templates folder has one, like any template. A line ``@import
    "name.css";`` is replaced by that partial, found as a template is (the edition's
    folder, then ``shared/``; the user's before ours), so the stylesheets share their
    rules for code, tables and pandoc's classes and a user overrides one partial."""
    return _stylesheet(edition, name, user_folder, ())


def _stylesheet(edition: str, name: str, user_folder: Path | None, within: tuple[str, ...]) -> str:
    folders = [ASSETS / edition, ASSETS / "shared"]
    if user_folder is not None:
        folders = [user_folder / edition, user_folder / "shared", *folders]
    path = next((f / name for f in folders if (f / name).is_file()), None)
    if path is None:
        raise jinja2.TemplateError(
            f'{within[-1] if within else edition}: @import "{name}": no such stylesheet '
            f"in {edition}/ or shared/ of the templates folders"
        )
    if user_folder is not None and path.is_relative_to(user_folder):
        _confined(path, [path.parent])
    where = _shown(path, user_folder)
    if where in within or len(within) >= IMPORT_DEPTH:
        raise jinja2.TemplateError(f"{where} imports itself (through {' → '.join(within)})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    return IMPORT_RE.sub(
        lambda m: _stylesheet(edition, m.group(1), user_folder, (*within, where)), text
    )


def _shown(path: Path, user_folder: Path | None) -> str:
    """A stylesheet named relative to its templates folder (``pdf/print.css``)."""
    for root in (user_folder, ASSETS):
        if root is not None and path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return str(path)
