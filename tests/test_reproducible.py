"""The same sources give the same bytes: built at another time, in another folder, every
edition is identical, so that a changed byte in the archive means a changed text."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
from manuscripts_kit import CORPUS, publish

EDITIONS = ("pdf", "epub", "html")
LESSON = CORPUS / "programming-historian" / "working-with-batches-of-pdf-files.md"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)
ARTICLE = """---
title: Reproducible *builds*
author: [Ada Writer, Bo Reader]
date: 2019-11-05
publication: The Archive
volume: 2
---

Text with an image ![a pixel](pixel.png) and a note.[^1]

## A section

More text.[^2]

[^1]: The first note.
[^2]: The second note.
"""


def build_in(
    folder: Path, env: dict[str, str] | None = None, mtime: int | None = None, lesson: bool = True
) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    (folder / "article.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "pixel.png").write_bytes(PNG)
    slugs = ["article"]
    if lesson:
        shutil.copy(LESSON, folder / LESSON.name)
        slugs.append(LESSON.stem)
    if mtime is not None:
        for source in folder.iterdir():
            os.utime(source, (mtime, mtime))
    result = publish("build", *(f"{slug}.md" for slug in slugs), cwd=folder, env=env)
    assert result.returncode == 0, result.stderr
    return {
        f"{slug}.{fmt}": (folder / "build" / slug / f"{slug}.{fmt}").read_bytes()
        for slug in slugs
        for fmt in EDITIONS
    }


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return build_in(tmp_path_factory.mktemp("first") / "here")


def test_two_folders_two_times_same_bytes(first: dict[str, bytes], tmp_path: Path) -> None:
    # Another clock reading (PDF dates have whole seconds, ZIP times two), another folder
    # name and depth, and sources with other modification times.
    time.sleep(2.1)
    folder = tmp_path / "somewhere" / "else"
    second = build_in(folder, mtime=315532800)
    for name in first:
        assert second[name] == first[name], f"{name} differs between builds"


def test_source_date_epoch_is_honoured_and_reproducible(tmp_path: Path) -> None:
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    one = build_in(tmp_path / "one", env, lesson=False)
    time.sleep(2.1)
    two = build_in(tmp_path / "two", env, lesson=False)
    assert one == two
    pdf = tmp_path / "one" / "build" / "article" / "article.pdf"
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo["/CreationDate"]) == "D:20231114221320Z"
    with zipfile.ZipFile(tmp_path / "one" / "build" / "article" / "article.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        assert "2023-11-14T22:13:20Z" in opf
        assert {i.date_time for i in epub.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_dates_come_from_the_manuscript_never_the_clock(first: dict[str, bytes]) -> None:
    import io

    with pikepdf.open(io.BytesIO(first["article.pdf"])) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:20191105000000Z"
        assert str(pdf.docinfo["/ModDate"]) == "D:20191105000000Z"
        xmp = str(pdf.open_metadata())
        assert "2019-11-05T00:00:00Z" in xmp
        assert str(time.gmtime().tm_year) not in xmp
        # The /ID WeasyPrint would draw at random: here from the article's identifier.
        first_id = bytes(pdf.trailer.ID[0])
    with zipfile.ZipFile(io.BytesIO(first["article.epub"])) as epub:
        opf = epub.read("EPUB/content.opf").decode()
    identifier = re.search(r"<dc:identifier[^>]*>([^<]+)<", opf).group(1)
    assert first_id == hashlib.md5(identifier.encode()).hexdigest().encode()
    with zipfile.ZipFile(io.BytesIO(first["article.epub"])) as epub:
        assert "2019-11-05T00:00:00Z" in epub.read("EPUB/content.opf").decode()


def test_epub_container_is_canonical(first: dict[str, bytes]) -> None:
    import io

    with zipfile.ZipFile(io.BytesIO(first["article.epub"])) as epub:
        infos = epub.infolist()
    assert infos[0].filename == "mimetype"
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert infos[0].extra == b""
    assert first["article.epub"][30:38] == b"mimetype"
    names = [i.filename for i in infos]
    assert names[1] == "META-INF/container.xml"
    assert names[2:] == sorted(names[2:])
    assert {i.date_time for i in infos} == {(2019, 11, 5, 0, 0, 0)}


def test_unset_epoch_equals_the_epoch_of_the_manuscript_date(
    first: dict[str, bytes], tmp_path: Path
) -> None:
    """Without SOURCE_DATE_EPOCH the build stands at the manuscript's date: setting the
    variable to that moment changes nothing."""
    fixed = build_in(tmp_path / "fixed", {"SOURCE_DATE_EPOCH": "1572912000"}, lesson=False)
    for name, data in fixed.items():
        assert data == first[name], f"{name} differs"
