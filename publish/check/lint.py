"""Our own lint: what no outside validator checks, within each edition and across them.

Within an edition: ``lang`` on every document, every note called and linked back
to its call, no internal link without a target (nor a web page's link to a page of
the build that is not there), accessibility metadata true of the content. Across
the editions of one manuscript (one ``build/<slug>/`` folder): the byline, the
author notes and every note reach the reader of each.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

from .readers import read
from .reading import Reading
from .result import CheckResult


def check(editions: list[Path]) -> list[CheckResult]:
    """One ``lint`` result per edition, editions grouped by the folder they are in."""
    groups: dict[Path, list[Path]] = defaultdict(list)
    for edition in editions:
        groups[edition.resolve().parent].append(edition)
    results = []
    for group in groups.values():
        started = time.perf_counter()
        readings, group_results = [], []
        for path in group:
            result = CheckResult(path, "lint")
            try:
                readings.append(read(path))
                group_results.append(result)
            except Exception as error:  # A file no reader can open is itself the finding.
                result.error(f"cannot read the edition: {error}")
                results.append(result)
        for reading, result in zip(readings, group_results, strict=True):
            _within(reading, result)
            _across(reading, readings, result)
        for result in group_results:
            result.seconds = (time.perf_counter() - started) / len(group)
        results += group_results
    return results


def _within(reading: Reading, result: CheckResult) -> None:
    for document, language in reading.languages.items():
        if not language:
            result.error("no language declared (lang)", document)
    _notes(reading, result)
    for source, document, fragment in reading.links:
        if reading.kind == "html" and document != reading.path.name:
            # A web page links to other pages of the build beside it: the notices that
            # update it, its earlier versions (issue 23). The file must be there.
            if (reading.path.parent / document).is_file():
                continue
            if _kept(reading.path) and (reading.path.parent.parent / document).is_file():
                # A kept version is the bytes its readers had, and may not change to
                # follow its move into v<N>/ (issue 23): its links are checked from the
                # folder it was published in, where they were written to resolve.
                continue
            result.error(f"link to {document}: no such file beside the page", source)
            continue
        if (document, fragment) not in reading.ids:
            target = f"{document}#{fragment}" if reading.kind == "epub" else f"#{fragment}"
            result.error(f"internal link to {target} has no target", source)
    _images(reading, result)
    _script_languages(reading, result)


def _kept(page: Path) -> bool:
    """Whether the page is an edition of an earlier version kept in ``<slug>/v<N>/``."""
    from ..updates.versions import MANIFEST

    folder = page.parent
    return bool(re.fullmatch(r"v[1-9][0-9]*", folder.name)) and (folder.parent / MANIFEST).is_file()


def _notes(reading: Reading, result: CheckResult) -> None:
    notes = set(reading.notes)
    called = set()
    for call, target in reading.calls.items():
        note = _note_at(reading, target)
        if note is None:
            result.error(
                f"note call #{call[1]} links to #{target[1]}, which is not a note", call[0]
            )
        else:
            called.add(note)
            if call not in reading.backlinks.get(note, set()):
                result.error(f"note #{note[1]} has no back-link to its call #{call[1]}", note[0])
    for note in sorted(notes - called):
        result.error(f"note #{note[1]} is not called from the text", note[0])


def _note_at(reading: Reading, target: tuple[str, str]) -> tuple[str, str] | None:
    return target if target in reading.notes else None


def _images(reading: Reading, result: CheckResult) -> None:
    missing = [document for document, alt in reading.images if alt is None or not alt.strip()]
    for document in missing:
        result.error("image without alt text", document)
    if reading.kind != "epub":
        return
    claims = "alternativeText" in reading.features
    if claims and not reading.images:
        result.error("accessibilityFeature alternativeText is claimed, but there are no images")
    elif claims and missing:
        result.error("accessibilityFeature alternativeText is claimed, but an image lacks alt text")
    elif reading.images and not missing and not claims:
        result.warning("every image has alt text, but alternativeText is not claimed")
    if "visual" in reading.access_modes and not reading.images:
        result.error("accessMode visual is claimed, but there are no images")
    elif reading.images and "visual" not in reading.access_modes:
        result.error("there are images, but accessMode visual is not claimed")
    if "tableOfContents" in reading.features and not reading.toc_entries:
        result.error("accessibilityFeature tableOfContents is claimed, but the toc nav is empty")


def _script_languages(reading: Reading, result: CheckResult) -> None:
    """Arabic-script text must be declared in a language written so (fa, ar, ur...)."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for document, lang, text in reading.script_mismatches:
        grouped[(document, lang)].append(text)
    for (document, lang), texts in grouped.items():
        declared = f"“{lang}”" if lang else "no language"
        words = f"{len(texts)} Arabic-script words" if len(texts) > 1 else "Arabic-script text"
        result.error(f"{words} (“{_clip(texts[0])}”…) declared as {declared}", document)


def _across(reading: Reading, group: list[Reading], result: CheckResult) -> None:
    text = _squash(reading.text)
    for author in _authors(group):
        if not _present(author, text):
            result.error(f"byline: the author “{author}” is not in the text")
    for note in {n for other in group for n in other.author_notes}:
        if not _present(note, text):
            result.error(f"author note missing: “{_clip(note)}”")
    reference = next((r for r in group if r.kind == "html" and r.notes), None)
    reference = reference or next((r for r in group if r.notes), None)
    if reference is None or reference is reading:
        return
    for (_, note_id), note in reference.notes.items():
        if not _present(note, text):
            result.error(
                f"note #{note_id} of the {reference.kind} edition is missing: “{_clip(note)}”"
            )
    if reading.kind != "pdf" and len(reading.notes) != len(reference.notes):
        count, expected = len(reading.notes), len(reference.notes)
        result.error(f"{count} notes, but the {reference.kind} edition has {expected}")
    if reading.kind == "pdf":
        _pdf_notes(reading, reference, result)


def _pdf_notes(reading: Reading, reference: Reading, result: CheckResult) -> None:
    """In the PDF, notes and calls keep the ids of the HTML they were laid out from."""
    targets = {fragment for _, _, fragment in reading.links}
    for call, note in reference.calls.items():
        if note[1] not in targets:
            result.error(f"no link from a call to note #{note[1]}")
        if call[1] not in targets:
            result.error(f"note #{note[1]} has no back-link to its call #{call[1]}")


def _authors(group: list[Reading]) -> list[str]:
    # Structured names (HTML meta, EPUB dc:creator) before the PDF's one-line /Author.
    named = [a for r in group if r.kind != "pdf" for a in r.authors]
    return list(dict.fromkeys(named or [a for r in group for a in r.authors]))


def _present(needle: str, squashed_text: str) -> bool:
    """Whether ``needle`` is in the text; a PDF's text of a right-to-left line comes out
    in visual order, reversed, so that reading counts too."""
    squashed = _squash(needle)
    if squashed in squashed_text or squashed[::-1] in squashed_text:
        return True
    # A note's list comes out of a PDF with its markers ("•", "1.") between the items,
    # and a line mixing scripts with its right-to-left words in visual order: the
    # left-to-right words in order with at most a marker between them, and each
    # right-to-left word somewhere, still say that nothing was lost.
    words = [_squash(w) for w in needle.split()]
    rtl = ["".join(RTL_RE.findall(w)) for w in words if w and RTL_RE.search(w)]
    # Punctuation is compared no more: it moves to the other side of a word set in the
    # other direction ("2019," reads ",2019").
    ltr = [NON_WORD_RE.sub("", w) for w in words if w and not RTL_RE.search(w)]
    ltr = [w for w in ltr if w]
    if not all(w in squashed_text or w[::-1] in squashed_text for w in rtl):
        return False
    if not ltr:
        return bool(rtl)
    # In a right-to-left line read in visual order the left-to-right words come last
    # to first.
    bare = NON_WORD_RE.sub("", RTL_RE.sub("", squashed_text))
    return any(
        re.search(".{0,3}?".join(re.escape(w) for w in order), bare) is not None
        for order in (ltr, ltr[::-1])
    )


# Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms.
RTL_RE = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
NON_WORD_RE = re.compile(r"\W")


def _squash(text: str) -> str:
    """Text compared without spaces, hyphens, joiners and direction marks, so line breaks,
    hyphenation and the invisible characters a PDF's text does not keep do not matter."""
    return re.sub(
        r"[\s\-\u00ad\u2010\u2011\u200b-\u200f\u202a-\u202e\u2066-\u2069]+", "", text
    ).casefold()


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
