"""``publish serve`` finds the build's relations as ``publish build`` does: saving a
notice rebuilds the article it updates, and the preview's page of that article follows."""

from __future__ import annotations

from pathlib import Path

from updates_kit import article, write

from publish.options import Options
from publish.pipeline.outcome import Plan
from publish.serve.session import Session
from publish.serve.state import State


def test_saving_a_notice_rebuilds_the_article_it_updates(tmp_path: Path) -> None:
    write(tmp_path, "first.md", article("The first article"))
    write(tmp_path, "second.md", article("The second article"))
    out = tmp_path / "build"
    session = Session(
        [tmp_path / "source"],
        Options(out=out, formats=("html",)),
        Plan(jobs=1, quiet=True),
        State(),
    )
    try:
        assert session.start()
        before = {s: (out / s / f"{s}.html").stat().st_mtime_ns for s in ("first", "second")}
        generation = session.state.get("second").generation  # type: ignore[union-attr]
        notice = write(
            tmp_path, "fix.md", article("Correction", notice="correction", updates="second")
        )
        session.changed({notice})
        assert (out / "fix" / "fix.html").is_file()
        assert (out / "second/second.html").stat().st_mtime_ns != before["second"]
        assert (out / "first/first.html").stat().st_mtime_ns == before["first"]
        assert session.state.get("second").generation == generation + 1  # type: ignore[union-attr]
        # A notice naming nothing is an error the preview shows at its line.
        write(tmp_path, "fix.md", article("Correction", notice="correction", updates="sceond"))
        session.changed({notice})
        told = session.state.get("fix")
        assert told is not None and told.failed
        said = [d["text"] for d in told.public()["diagnostics"]]  # type: ignore[union-attr]
        assert any("fix.md:5: error: 'updates: sceond' names no article" in t for t in said), said
    finally:
        session.close()
