"""The table of editions: the one place that names a format (issue 20)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

from publish.editions.registry import EDITIONS, FORMATS, by_suffix, edition_file
from publish.options import Options

MANUSCRIPT = "---\ntitle: One\nauthor: A. Writer\ndate: 2024-01-02\n---\n\nA line.\n"


def test_every_entry_is_plain_data_that_pickles_and_renders(tmp_path: Path) -> None:
    from publish.read import read

    (tmp_path / "one.md").write_text(MANUSCRIPT, encoding="utf-8")
    doc = read(tmp_path / "one.md")
    html = pickle.loads(pickle.dumps(EDITIONS["html"]))
    assert html == EDITIONS["html"]
    # The pickled entry imports its module and renders like the module itself.
    from publish.editions import html as module

    assert html.render(doc, Options()) == module.render(doc, Options())


def test_names_and_suffixes_are_unique_and_found_by_suffix() -> None:
    assert len({e.suffix for e in EDITIONS.values()}) == len(EDITIONS)
    for name in FORMATS:
        assert by_suffix(EDITIONS[name].suffix) is EDITIONS[name]
        assert edition_file("x", name) == f"x/x{EDITIONS[name].suffix}"
    assert Options().formats == FORMATS


def test_format_choices_come_from_the_table(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "publish", "build", "--format", "docx", "x.md"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert f"choose from {', '.join(FORMATS)}" in run.stderr


def test_no_module_but_the_registry_lists_the_formats() -> None:
    """A new edition is one module and one entry: no other module spells the list."""
    package = Path(__file__).resolve().parent.parent / "publish"
    spelled = []
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        lists = ('"pdf", "epub", "html"', '"html", "pdf", "epub"', '"pdf", "html", "epub"')
        if path.name != "registry.py" and any(f"({x})" in text for x in lists):
            spelled.append(path.relative_to(package).as_posix())
    assert spelled == [], spelled
