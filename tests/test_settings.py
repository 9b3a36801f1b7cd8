"""publish.yaml (issue 22): the publication's defaults, deposit settings and formats,
read with the manuscripts' bounded YAML reader and merged under each manuscript."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE

from publish import settings
from publish.diagnostics import Collector, ManuscriptError
from publish.read.frontmatter import split

GOOD = """\
publication: Journal of Print Culture
issn: 2049-3630
publisher: Example Press
license: {type: CC BY 4.0, link: https://creativecommons.org/licenses/by/4.0/}
base-url: https://journal.example.org/
lang: en
doi-prefix: "10.5555"
crossref:
  depositor: {name: Example Press, email: deposits@example.org}
  registrant: Example Press
crossmark-policy: 10.5555/crossmark
formats: [pdf, jats, crossref]
"""


def _read(tmp_path: Path, text: str) -> tuple[settings.Settings, Collector]:
    path = tmp_path / "publish.yaml"
    path.write_text(text, encoding="utf-8")
    report = Collector(path)
    return settings.load(path, report), report


def test_every_setting_is_read(tmp_path: Path) -> None:
    found, report = _read(tmp_path, GOOD)
    assert report.items == []
    assert found.defaults["publication"] == "Journal of Print Culture"
    assert found.defaults["issn"] == "2049-3630"
    assert found.doi_prefix == "10.5555"
    assert found.depositor == settings.Depositor("Example Press", "deposits@example.org")
    assert found.registrant == "Example Press"
    assert found.crossmark_policy == "10.5555/crossmark"
    assert found.formats == ("pdf", "jats", "crossref")
    assert settings.formats_for_build(found, None) == ("html", "pdf", "epub", "jats", "crossref")
    assert settings.formats_for_build(found, ("html",)) == ("html",)


def test_errors_are_located_in_publish_yaml(tmp_path: Path) -> None:
    text = GOOD.replace('doi-prefix: "10.5555"', "doi-prefix: 11.5555").replace(
        "formats: [pdf, jats, crossref]", "formats: [pdf, jast]\npublisherr: X"
    )
    _, report = _read(tmp_path, text)
    shown = [str(d) for d in report.items]
    assert any(
        s.endswith(
            "publish.yaml:7: error: 'doi-prefix: 11.5555' is not a DOI prefix such as '10.5555'"
        )
        for s in shown
    ), shown
    assert any(
        "publish.yaml:12: error: unknown format 'jast'" in s and "did you mean 'jats'?" in s
        for s in shown
    ), shown
    assert any(
        "publish.yaml:13: warning: unknown key 'publisherr'" in s and "'publisher'" in s
        for s in shown
    ), shown


def test_malformed_yaml_is_located_and_never_a_traceback(tmp_path: Path) -> None:
    _, report = _read(tmp_path, "publication: Journal\nissn: [2049-3630\nlang: en\n")
    assert report.errors and all(d.line and d.line <= 3 for d in report.errors)
    assert "publish.yaml" in str(report.errors[0]) and "front matter" not in str(report.errors[0])
    with pytest.raises(ManuscriptError):
        settings.load(tmp_path / "publish.yaml")


def test_a_bad_depositor_is_an_error_at_its_line(tmp_path: Path) -> None:
    _, report = _read(tmp_path, "crossref:\n  depositor: {name: X, email: not-an-address}\n")
    assert [d.line for d in report.errors] == [2]


def test_defaults_merge_under_the_manuscript_which_wins(tmp_path: Path) -> None:
    found, _ = _read(tmp_path, GOOD)
    fm = split(
        "---\ntitle: T\nrights: All rights reserved\nlang: fr\n---\nText\n", Collector(SAMPLE)
    )
    assert fm is not None
    data = settings.under(fm, found).data
    assert data["title"] == "T" and data["lang"] == "fr" and data["rights"] == "All rights reserved"
    assert "license" not in data  # the manuscript's 'rights' is the same key
    assert data["issn"] == "2049-3630" and data["publication"] == "Journal of Print Culture"
    assert settings.under(fm, settings.Settings()) is fm


def test_found_beside_source(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    manuscript = tmp_path / "source" / "a.md"
    manuscript.write_text("---\ntitle: A\n---\n", encoding="utf-8")
    assert settings.find(manuscript) is None
    (tmp_path / "publish.yaml").write_text(GOOD, encoding="utf-8")
    assert settings.find(manuscript) == tmp_path / "publish.yaml"
    assert settings.load(None) == settings.Settings()


def test_an_issue_takes_the_publication_defaults_it_knows_under_its_own(tmp_path: Path) -> None:
    """publish.yaml beside the issue folders: its publisher fills an issue.yaml that has
    none; the issue's own ISSN wins; a key issues do not have (license) is not offered."""
    import shutil

    from publish.periodical import schema

    folder = tmp_path / "pub" / "tm"
    shutil.copytree(Path(__file__).parent / "issues" / "terrorism-monitor-3-2", folder)
    yaml_path = folder / "issue.yaml"
    lines = yaml_path.read_text(encoding="utf-8").splitlines(keepends=True)
    yaml_path.write_text("".join(x for x in lines if not x.startswith("publisher:")))
    (tmp_path / "pub" / "publish.yaml").write_text(
        "publisher: Example Press\nissn: 2049-3630\nlicense: CC BY 4.0\n", encoding="utf-8"
    )
    report = Collector(yaml_path)
    issue = schema.load(folder, report)
    assert issue is not None and not report.items, [d.message for d in report.items]
    assert issue.publisher == "Example Press"
    assert issue.issn == "1234-5679"
