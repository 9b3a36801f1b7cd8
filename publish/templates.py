"""Jinja templates, found in a list of folders: a user's own first, ours after, so that
overriding one partial means copying one file."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
import markupsafe

from .document import IDS

ASSETS = Path(str(resources.files(__package__) / "assets"))
"""The built-in templates, stylesheets and fonts, shipped inside the package."""


@cache
def environment(edition: str, user_folder: Path | None = None) -> jinja2.Environment:
    folders = [ASSETS / edition, ASSETS / "shared"]
    if user_folder:
        folders = [user_folder / edition, user_folder / "shared", *folders]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.globals["ids"] = IDS
    return env


def css_string(text: str) -> markupsafe.Markup:
    """``text`` as a quoted CSS string that no metadata can break out of (not even
    ``</style>``): everything but letters, digits and spaces is a hex escape."""
    body = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in text)
    return markupsafe.Markup(f'"{body}"')


def asset(edition: str, name: str, user_folder: Path | None = None) -> str:
    """A static file (CSS) of an edition's template folder, as text: the user's own copy
    when their templates folder has one, like any template."""
    if user_folder is not None and (user_folder / edition / name).is_file():
        return (user_folder / edition / name).read_text(encoding="utf-8")
    return (ASSETS / edition / name).read_text(encoding="utf-8")
