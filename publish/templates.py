"""Jinja templates, found in a list of folders: a user's own first, ours after, so that
overriding one partial means copying one file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
import markupsafe

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(edition: str, user_folder: Path | None = None) -> jinja2.Environment:
    folders = [TEMPLATES / edition, TEMPLATES / "shared"]
    if user_folder:
        folders = [user_folder / edition, user_folder / "shared", *folders]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> markupsafe.Markup:
    """``text`` as a quoted CSS string that no metadata can break out of (not even
    ``</style>``): everything but letters, digits and spaces is a hex escape."""
    body = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in text)
    return markupsafe.Markup(f'"{body}"')


def asset(edition: str, name: str) -> str:
    """A static file (CSS) of an edition's template folder, as text."""
    return (TEMPLATES / edition / name).read_text(encoding="utf-8")
