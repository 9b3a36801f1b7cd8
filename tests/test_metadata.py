"""The metadata schema: the forms an author may take, the aliases, and the hints."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_manuscript

from publish.read import read


def manuscript(tmp_path: Path, front: str, body: str = "Text.") -> Path:
    return copy_manuscript(f"---\n{front}\n---\n\n{body}\n", tmp_path)


def test_author_as_a_name(tmp_path: Path) -> None:
    meta = read(manuscript(tmp_path, "title: T\nauthor: Ann Smith")).meta
    assert [a.name.text for a in meta.authors] == ["Ann Smith"]


def test_authors_as_a_list_of_names_under_the_alias(tmp_path: Path) -> None:
    meta = read(manuscript(tmp_path, "title: T\nauthors: [Ann Smith, Bo Li]")).meta
    assert [a.name.text for a in meta.authors] == ["Ann Smith", "Bo Li"]


def test_author_mappings_keep_their_notes(tmp_path: Path) -> None:
    front = (
        "title: T\nauthor:\n  - name: Ann\n    affiliation: Oxford\n"
        "    note: Ann *studies* things.\n  - name: Bo"
    )
    meta = read(manuscript(tmp_path, front)).meta
    ann, bo = meta.authors
    assert ann.affiliation.text == "Oxford"
    assert ann.note.html == "Ann <em>studies</em> things."
    assert bo.note is None


def test_aliases_and_publication_line(tmp_path: Path) -> None:
    front = (
        "title: T\ncontainer-title: Terrorism Monitor\nvolume: 3\nissue: 2\n"
        "date: 2005-01-27\nlicense: CC BY 4.0"
    )
    meta = read(manuscript(tmp_path, front)).meta
    assert meta.publication_line == ("Terrorism Monitor", "Volume 3", "Issue 2", "January 27, 2005")
    assert meta.rights.text == "CC BY 4.0"


def test_default_identifier_is_stable_and_a_uuid_urn(tmp_path: Path) -> None:
    first = read(manuscript(tmp_path, "title: T\npublication: P")).meta.identifier
    second = read(manuscript(tmp_path, "title: Other title\npublication: P")).meta.identifier
    assert first.startswith("urn:uuid:") and first == second


# Unknown keys (a warning with a hint, an error under --strict) and link fields that are
# no web address: tests/cases/unknown-key-with-a-hint, author-url-that-is-no-web-address.
