"""The README's "How it works" names every folder and module of the package, and names
nothing that is not there: the picture of the pipeline stays true to the tree."""

from __future__ import annotations

import re

from conftest import ROOT

PACKAGE = ROOT / "publish"


def test_how_it_works_matches_the_tree() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it works", 1)[1].split("\n## ", 1)[0]
    tree = section.split("publish/\n", 1)[1].split("```", 1)[0]
    # Each line of the tree begins with what it describes: these must all exist...
    described = set(re.findall(r"^  (\S+?\.py|\w+/)", tree, re.M))
    described |= set(re.findall(r"^  (?:\S+\.py, )+(\S+\.py)", tree, re.M))
    present = {
        p.name + ("/" if p.is_dir() else "")
        for p in PACKAGE.iterdir()
        if p.name not in ("__init__.py", "__main__.py", "__pycache__")
        and (p.is_dir() or p.suffix == ".py")
    }
    assert described - present == set()
    # ...and every module and folder of the package is named somewhere in it.
    mentioned = set(re.findall(r"\b\w+\.py\b|\b\w+/", tree))
    assert present - mentioned == set()
