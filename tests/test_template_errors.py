"""Every template error names the template file, as found in its templates folder, and
its line: syntax errors, undefined names, includes that never end, files that are not
UTF-8, in a template or a stylesheet (issue 25, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_publish

MANUSCRIPT = "---\ntitle: X\nauthor: A. Writer\n---\n\nHello.\n"
CASES = {
    "syntax": ("html/article.html.j2", b"<p>\n{% if %}\n", "Expected an expression"),
    "undefined": ("html/article.html.j2", b"<p>\n{{ nothing.here }}\n", "'nothing' is undefined"),
    "endless": ("html/article.html.j2", b'<p>\n{% include "article.html.j2" %}\n', "without end"),
    "encoding": ("html/article.html.j2", b"<p>\n\xe9\xff\n", "not UTF-8"),
    "stylesheet": ("html/style.css", b"p {}\n\xe9\xff\n", "not UTF-8"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_template_error_names_the_file_and_line(tmp_path: Path, case: str) -> None:
    name, text, message = CASES[case]
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "x.md").write_text(MANUSCRIPT, encoding="utf-8")
    (tmp_path / "templates" / name).parent.mkdir(parents=True)
    (tmp_path / "templates" / name).write_bytes(text)
    result = run_publish("build", "--format", "html", cwd=tmp_path)
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"templates/{name}:2: error:"), result.stderr
    assert message in first and "Traceback" not in result.stderr
