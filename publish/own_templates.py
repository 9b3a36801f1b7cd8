"""The publication's own look: a ``templates/`` folder beside ``source/`` (in the folder
``publish`` runs in) is searched before the built-in templates without any option, and
``publish templates`` starts one with a copy of the built-in templates and stylesheets."""

from __future__ import annotations

import shutil
from pathlib import Path

from .diagnostics import PublishError, display_path

# The built-in templates (templates.ASSETS, not imported: the command line reads this
# module, and templates.py brings in Jinja).
ASSETS = Path(__file__).resolve().parent / "assets"

FOLDER = Path("templates")
"""Where a publication keeps its templates, beside ``source/`` and ``build/``."""
COPIED = ("html", "epub", "pdf", "issue", "shared", "proof")
"""The folders of the built-in templates a copy holds (the fonts stay in the package)."""

README = """\
# Templates

This folder shapes the editions of the publication: `publish build`, `serve` and `proof`,
run in the folder that holds it, search it before their built-in templates, so a file
here replaces the built-in file of the same name (`--templates DIR` names another
folder). Delete what you do not change: the built-in file is then used, and later
versions of publish improve it for you.

- `html/article.html.j2`, `html/style.css`: the web page and its stylesheet.
- `epub/article.xhtml.j2`, `epub/nav.xhtml.j2`, `epub/toc.ncx.j2`, `epub/style.css`: the
  EPUB's text, its navigation (table of contents, page list), the EPUB 2 table of
  contents and the stylesheet.
- `pdf/article.html.j2`, `pdf/print.css`: the print edition's page and house style
  (running heads, folios, notes at the foot of the page); `pdf/paper-a4.css`,
  `pdf/paper-letter.css`: the margins of each paper (`--paper`); `pdf/print-marks.css`:
  bleed and crop marks (`--print-marks`); `pdf/print-columns.css`: a fallback used only
  when the footnote fix cannot run.
- `shared/`: partials every edition includes: `title_block.html.j2` (publication line,
  title, byline, abstract), `about_authors.html.j2`, `colophon.html.j2`, and the
  stylesheet partials the stylesheets take in with `@import "name.css";`.
- `issue/`: an issue (a folder with an `issue.yaml`): `issue-print.html.j2` and
  `print.css` (the issue's PDF: cover, contents, articles), `index.html.j2` and
  `contents.css` (its contents page), `archive.html.j2` (the archive of every issue),
  `title.xhtml.j2`, `contents.xhtml.j2`, `nav.xhtml.j2`, `toc.ncx.j2`, `epub.css` (the
  issue's EPUB).
- Notices and versions (used only by an article that notices update, a notice, or an
  article with versions): `shared/notices.html.j2` (the notice box and the version line),
  `shared/versions.html.j2` (the list of earlier versions), `html/updates.css`,
  `epub/updates.css`, `pdf/updates.css`, `pdf/mark-retracted.css` and
  `pdf/mark-concern.css` (the mark on every page), `issue/update-marks.css`.
- `proof/index.html.j2`: the contact sheet of `publish proof`.

Templates are Jinja (sandboxed: they format, they cannot run code or read files); a
template error names the file and line here.
"""


def default_folder(given: Path | None) -> Path | None:
    """The templates folder a command uses: the one named with ``--templates``, else
    ``templates/`` when the current folder has one, else none (the built-in ones)."""
    if given is not None:
        return given
    return FOLDER if FOLDER.is_dir() else None


def copy_builtin(dest: Path) -> list[Path]:
    """Write a copy of the built-in templates and stylesheets, and a README, into
    ``dest``; refuse (writing nothing) if any of those files is there already."""
    files = {
        dest / path.relative_to(ASSETS): path
        for folder in COPIED
        for path in sorted((ASSETS / folder).rglob("*"))
        if path.is_file()
    }
    targets = [dest / "README.md", *files]
    there = [t for t in targets if t.exists() or t.is_symlink()]
    if there:
        raise PublishError(
            f"{display_path(there[0])} exists: publish templates never overwrites a file "
            f"({len(there)} of the {len(targets)} files are there); move them away, or "
            "name another folder"
        )
    for target, path in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "README.md").write_text(README, encoding="utf-8")
    return targets
