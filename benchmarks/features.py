"""Where a page's time goes: publish's PDF of a long text with one house feature turned
off at a time, against plain WeasyPrint on pandoc's standalone HTML of the same text.

    .venv/bin/python benchmarks/features.py [PARAGRAPHS]   # default 300

Each feature is turned off by a templates folder whose ``pdf/print.css`` ends with one
more rule (the tagging by writing the PDF without its PDF/UA variant); everything runs
side by side in this one warm process, in CPU time, best of two renders.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import pages  # noqa: E402 - after the path above

OFF = {
    "justified lines": "* { text-align: start !important; }",
    "hyphenation": "* { hyphens: manual !important; }",
    "running heads and folios": "\n".join(
        f"@page{page} {{ @top-left {{ content: none !important }} "
        "@top-right { content: none !important } @bottom-center { content: none !important } }"
        for page in ("", " :left", " :right", " :first", " :blank")
    ),
    "small caps": "* { font-variant-caps: normal !important; }",
}
"""What turns each feature off, appended to the house ``print.css``."""


def main() -> int:
    from publish.read import read

    paragraphs = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory(prefix="publish-features-") as tmp:
        work = Path(tmp)
        source = work / "long.md"
        source.write_text(pages.long_text(paragraphs, notes=False), encoding="utf-8")
        doc = read(source)
        found = {"all on": _render(doc, work, "")}
        for name, rule in OFF.items():
            found[f"no {name}"] = _render(doc, work, rule)
        found["no PDF/A-3 step"] = _render(doc, work, "", pdfa=False)
        found["untagged (no PDF/UA, no PDF/A)"] = _render(doc, work, "", tags=False)
        found["all of them off"] = _render(doc, work, "\n".join(OFF.values()), tags=False)
        found["plain WeasyPrint"] = pages.plain_weasyprint(source)
    full = found["all on"][0]
    print(f"{paragraphs} paragraphs; CPU seconds, best of two")
    for name, (seconds, count) in found.items():
        print(
            f"{name:32s} {seconds:6.2f} s  {count:4d} pages  {seconds / count:.4f} s a page  "
            f"saves {full - seconds:+.2f} s"
        )
    return 0


def _render(doc: object, work: Path, rule: str, tags: bool = True, pdfa: bool = True):
    from publish.compat import weasyprint_pdfa
    from publish.editions import pdf, pdf_write
    from publish.options import Options

    templates = None
    if rule:
        templates = work / f"templates-{len(list(work.glob('templates-*')))}"
        (templates / "pdf").mkdir(parents=True)
        house = (HERE.parent / "publish" / "assets" / "pdf" / "print.css").read_text("utf-8")
        (templates / "pdf" / "print.css").write_text(house + "\n" + rule, encoding="utf-8")
    options = Options(out=work / "build", templates=templates)
    variant, applies = pdf_write.VARIANT, weasyprint_pdfa.applies
    if not tags:
        pdf_write.VARIANT = None  # type: ignore[assignment]
    if not (tags and pdfa):
        weasyprint_pdfa.applies = lambda: False  # PDF/A-3a needs the tags
    try:
        pdf.render(doc, options)  # warm: this stylesheet, its fonts
        best, count = float("inf"), 0
        for _ in range(2):
            started = time.process_time()
            data = pdf.render(doc, options)
            best = min(best, time.process_time() - started)
            count = pages._pages(data)
        return best, count
    finally:
        pdf_write.VARIANT, weasyprint_pdfa.applies = variant, applies


if __name__ == "__main__":
    sys.exit(main())
