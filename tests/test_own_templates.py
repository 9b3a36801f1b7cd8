"""The publication's own ``templates/`` folder beside ``source/`` (issue 20): ``publish
templates`` starts it, and the next build uses it without any option."""

from __future__ import annotations

from pathlib import Path

from conftest import run_publish

MANUSCRIPT = "---\ntitle: Own look\nauthor: A. Writer\ndate: 2024-01-02\n---\n\nA line.\n"


def test_templates_then_an_edited_stylesheet_changes_the_next_build(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "x.md").write_text(MANUSCRIPT, encoding="utf-8")
    plain = run_publish("build", "--format", "html,pdf", "--out", "plain", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr

    made = run_publish("templates", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "templates"
    assert "pdf/print.css" in (folder / "README.md").read_text(encoding="utf-8")
    # A faithful copy: the editions are those of the built-in templates.
    copied = run_publish("build", "--format", "html,pdf", "--out", "copied", cwd=tmp_path)
    assert copied.returncode == 0, copied.stderr
    for name in ("x/x.html", "x/x.pdf"):
        assert (tmp_path / "copied" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes()

    # An edit of a stylesheet under templates/ changes the next build, with no option.
    with (folder / "html" / "style.css").open("a", encoding="utf-8") as css:
        css.write("\n.own-look-marker { color: #123456; }\n")
    with (folder / "pdf" / "print.css").open("a", encoding="utf-8") as css:
        css.write("\nbody { font-size: 20pt; }\n")
    edited = run_publish("build", "--format", "html,pdf", "--out", "copied", cwd=tmp_path)
    assert edited.returncode == 0, edited.stderr
    assert "up to date 0" in edited.stdout  # the edit made the editions out of date
    page = (tmp_path / "copied" / "x" / "x.html").read_text(encoding="utf-8")
    assert ".own-look-marker { color: #123456; }" in page
    assert (tmp_path / "copied" / "x" / "x.pdf").read_bytes() != (
        tmp_path / "plain" / "x" / "x.pdf"
    ).read_bytes()


def test_templates_never_overwrites_a_file(tmp_path: Path) -> None:
    (tmp_path / "mine" / "html").mkdir(parents=True)
    (tmp_path / "mine" / "html" / "style.css").write_text("/* mine */\n", encoding="utf-8")
    refused = run_publish("templates", "mine", cwd=tmp_path)
    assert refused.returncode == 1
    assert "mine/html/style.css exists" in refused.stderr and "Traceback" not in refused.stderr
    assert (tmp_path / "mine" / "html" / "style.css").read_text(encoding="utf-8") == "/* mine */\n"
    assert not (tmp_path / "mine" / "README.md").exists()  # nothing written at all


def test_a_stylesheet_partial_is_shared_and_overridden_once(tmp_path: Path) -> None:
    from publish.templates import asset

    for edition, name in (("html", "style.css"), ("epub", "style.css"), ("pdf", "print.css")):
        assert "pre.numberSource code {" in asset(edition, name)
        assert "@import" not in asset(edition, name)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "code-lines.css").write_text("/* my lines */\n", encoding="utf-8")
    for edition, name in (("html", "style.css"), ("epub", "style.css"), ("pdf", "print.css")):
        text = asset(edition, name, tmp_path)
        assert "/* my lines */" in text and "counter-reset: source-line" not in text


def test_a_partial_that_imports_itself_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "x.md").write_text(MANUSCRIPT, encoding="utf-8")
    (tmp_path / "templates" / "shared").mkdir(parents=True)
    loop = '@import "tables.css";\n'
    (tmp_path / "templates" / "shared" / "tables.css").write_text(loop, encoding="utf-8")
    result = run_publish("build", "--format", "html", cwd=tmp_path)
    assert result.returncode == 1
    assert "shared/tables.css imports itself" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
