"""Page-foot notes stay on the page of their call in WeasyPrint 70.

What we would file upstream (Kozea/WeasyPrint; the behaviour came with PR #2437,
"Try to report footnotes when text overflows because of orphans", for issue #2432):

    Title: Footnotes whose calls are already on a page are pushed to the next page to
    fit one more line of text, and every later note on that page follows

    WeasyPrint 70.0, layout/block.py, ``_linebox_layout``. When a line overflows the
    page, the code computes

        report = not context.in_column and can_break_now and not could_break_before

    and, while that holds, calls ``context.report_footnote`` on the page's last
    footnote until the overflowing line fits. The footnotes it moves have their calls
    on lines already placed on this page, so they end up on the next page, away from
    their calls. Once one note has been reported, ``context.reported_footnotes`` is
    non-empty, and every later call laid out on that page sends its note on too
    (the ``overflow = ... or context.reported_footnotes`` test below), so one
    paragraph starting near a page's foot can move several notes. The branch ignores
    ``footnote-policy`` (``line`` and ``block`` exist to keep a note with its call),
    and no CSS reaches it: the only way around it is ``context.in_column``, i.e. to
    set the text in a multi-column box, which costs 1.5 to 3 times the layout time
    and whose own ``_report_footnotes`` moves notes in batches, again ignoring
    ``footnote-policy``.

    To reproduce: a text with a note in every paragraph, notes of one to eight
    lines, widows and orphans 2. On six such documents 200 of 222 notes land on the
    page of their call; across 995 notes in our test documents, 946. With the
    expression above replaced by ``False`` and ``footnote-policy: line`` on the
    notes, 995 of 995 do, and layout takes a third of the time.

    GCPM 3 allows a note after its call's page only when it cannot fit; moving a
    note that fits to make room for body text inverts that priority. Expected: the
    overflowing line goes to the next page (as ``_break_line`` already does), and
    notes whose calls are placed stay.

The fix here replaces that one expression with ``False``: the function is compiled
again from WeasyPrint's own source with the one line changed, after checking that
the version and the source are exactly those this was written against. If either
differs, ``apply`` returns False, warns once, and the print edition sets its text in
the one-column multi-column box again (``publish/assets/pdf/print-columns.css``), which
places most notes right. tests/test_footnote_placement.py fails when WeasyPrint
changes, so that moving the pin means looking at this again.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import textwrap
import warnings
from types import FunctionType

import weasyprint
from weasyprint.layout import block

from . import BY_NAME, pydyf_page_references, weasyprint_footnote_area

VERSION = BY_NAME["weasyprint_footnotes"].written_for
# sha256 of inspect.getsource(weasyprint.layout.block._linebox_layout) in 70.0.
SOURCE_SHA256 = "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d"
OLD = "report = not context.in_column and can_break_now and not could_break_before"
NEW = "report = False"
FUNCTION = "_linebox_layout"
_MARK = "_publish_keeps_notes_with_calls"


class FootnoteFixUnavailable(UserWarning):
    """WeasyPrint is not the version the footnote fix was written for."""


_applied: bool | None = None


def apply() -> bool:
    """Install the fix once per process. True when notes are laid out by the fixed
    code; False when the caller must fall back to the multi-column box."""
    global _applied
    if _applied is None:
        # Two fixes of time, not of pages, installed with this one because every PDF
        # edition asks for it first (until pdf.prepare calls them itself): silent when
        # they cannot be applied, the pages are the same, only slower.
        weasyprint_footnote_area.apply()
        pydyf_page_references.apply()
        problem = _install()
        _applied = problem is None
        if problem:
            warnings.warn(
                f"page-foot notes: {problem}; setting the PDF's text in a one-column "
                "multi-column box instead, which may place a few notes on the page after "
                "their call (see publish/compat/weasyprint_footnotes.py)",
                FootnoteFixUnavailable,
                stacklevel=2,
            )
    return _applied


def check(version: str, source: str) -> str | None:
    """Why the fix cannot be applied to this WeasyPrint, or None when it can."""
    if version != VERSION:
        return f"the fix is written for WeasyPrint {VERSION}, this is {version}"
    if hashlib.sha256(source.encode()).hexdigest() != SOURCE_SHA256:
        return f"WeasyPrint's {FUNCTION} is not the code the fix was written for"
    if source.count(OLD) != 1:  # cannot happen with the hash above; kept for clarity
        return f"WeasyPrint's {FUNCTION} does not contain the expression to replace"
    return None


def _install() -> str | None:
    original = getattr(block, FUNCTION)
    if getattr(original, _MARK, False):
        return None
    try:
        source = inspect.getsource(original)
    except (OSError, TypeError):  # installed without its .py files
        return f"the source of WeasyPrint's {FUNCTION} cannot be read"
    problem = check(weasyprint.__version__, source)
    if problem:
        return problem
    fixed = _compile(original, source.replace(OLD, NEW))
    setattr(fixed, _MARK, True)
    setattr(fixed, "__wrapped__", original)  # noqa: B010 - mypy: FunctionType has no such attribute
    # The function's only caller, _in_flow_layout, looks it up in the module by name.
    setattr(block, FUNCTION, fixed)
    return None


def _compile(original: FunctionType, source: str) -> FunctionType:
    """``source`` compiled as a function of WeasyPrint's block module, with the line
    numbers of the original file, so that tracebacks point at the right lines."""
    tree = ast.parse(textwrap.dedent(source))
    ast.increment_lineno(tree, original.__code__.co_firstlineno - 1)
    code = compile(tree, inspect.getsourcefile(original) or "<weasyprint>", "exec")
    namespace: dict[str, object] = {}
    # WeasyPrint's own source, verified above, run in its own module's globals.
    exec(code, block.__dict__, namespace)
    fixed = namespace[FUNCTION]
    assert isinstance(fixed, FunctionType)
    return fixed
