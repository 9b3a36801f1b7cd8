"""The converted text, parsed once, checked and rewritten as a tree: ids each used once,
links that lead somewhere, images at the addresses the editions fill in, headings that
climb one level at a time."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin

from lxml import etree

from ..diagnostics import Collector
from ..document import IDS, Heading, Resource
from .boundary import Finder
from .markup import serialize, text_of, unwrap

BLOCKS = {"p", "div", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "figure"}
BLOCKS |= {"figcaption", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass
class Tree:
    """The body and each note, as trees, and what was found in them."""

    body: etree._Element
    notes: list[etree._Element]
    headings: list[Heading] = field(default_factory=list)

    def parts(self) -> list[etree._Element]:
        return [self.body, *self.notes]

    def elements(self, tag: str) -> list[etree._Element]:
        return [e for part in self.parts() for e in part.iter(tag)]


def unique_ids(tree: Tree, find: Finder, report: Collector) -> None:
    """Each ``id`` once: raw HTML may repeat one, or take one the editions use (the title,
    a note), and a link to it would then lead to the wrong place (EPUBCheck: RSC-005).
    The warning is at the element that loses its id, not at the first one."""
    first: dict[str, etree._Element] = {}
    passed: set[str] = set()
    for part in tree.parts():
        for element in part.iter():
            ident = element.get("id") if isinstance(element.tag, str) else None
            if ident is None or element is part:
                continue
            if ident not in first and not IDS.taken(ident):
                first[ident] = element
                continue
            if ident in first and ident not in passed:
                # Step over where the first element is written.
                passed.add(ident)
                find.first(*_id_needles(first[ident], ident))
            line = find.first(*_id_needles(element, ident))
            if line is None and element.tag in HEADINGS:
                words = text_of(element).strip()[:40]
                line = find.first(f"# {words}", words)
            if element.tag in HEADINGS:
                n = 1
                while f"{ident}-{n}" in first or IDS.taken(f"{ident}-{n}"):
                    n += 1
                element.set("id", f"{ident}-{n}")
                first[f"{ident}-{n}"] = element
                done = f"this heading's id is now '{ident}-{n}'"
            else:
                del element.attrib["id"]
                done = "it is removed here"
            report.warning(
                line or find(ident),
                f"id '{ident}' is used twice, or by the editions themselves: {done}; "
                "give each element its own id",
            )


def _id_needles(element: etree._Element, ident: str) -> tuple[str, ...]:
    """How the manuscript gives ``element`` its id: ``{#x}`` for Markdown's headings,
    ``id="x"`` for raw HTML, most likely first."""
    markdown = (f"{{#{ident}}}", f"{{#{ident} ")
    html = (f'id="{ident}"', f"id='{ident}'")
    ordered = (*markdown, *html) if element.tag in HEADINGS else (*html, *markdown)
    return (*ordered, f"#{ident}")


def headings(tree: Tree, shifted: bool, find: Finder, report: Collector) -> None:
    """Levels that climb one step at a time (a level 3 right after a level 1 becomes a
    level 2), so that the outline, the EPUB's navigation and screen readers stay right."""
    shift = 1 if shifted else 0
    before = 1  # the title
    # (level written, level set) of the headings that enclose the next one, the title
    # first: a heading is set one level below the nearest that encloses it.
    enclosing = [(1, 1)]
    for element in tree.body.iter(*HEADINGS):
        level = HEADINGS[element.tag]
        while len(enclosing) > 1 and enclosing[-1][0] >= level:
            enclosing.pop()
        new = min(level, enclosing[-1][1] + 1)
        enclosing.append((level, new))
        if level > before + 1:
            typed, was, now = level - shift, before - shift, new - shift
            follows = "the title" if before == 1 else f"level {was}"
            words = text_of(element).strip()[:40]
            report.warning(
                find.first(f"# {words}", words) or find.default,
                f"heading level {typed} follows {follows}: set as level {now}; "
                f"write {'#' * max(now, 1)} to silence this",
            )
        if new != level:
            element.tag = f"h{new}"
        before = level
        ident = element.get("id")
        if ident:
            tree.headings.append(Heading(new, ident, " ".join(text_of(element).split())))


def links(
    tree: Tree,
    find: Finder,
    report: Collector,
    base: str | None,
    folder_file: Callable[[str], bool],
) -> None:
    """Links that lead nowhere a reader can follow become their text, with a warning: to
    a file on one computer, to a page outside the build (unless ``base`` says where the
    site is), to an ``#id`` that no element has."""
    ids = {e.get("id") for part in tree.parts() for e in part.iter() if e.get("id")}
    said: set[str] = set()
    for a in tree.elements("a"):
        target = a.get("href")
        if target is None:
            continue
        new: str | None = target
        message = None
        if target.startswith("#"):
            ident = target[1:]
            if ident and ident not in ids and not IDS.taken(ident):
                new = None
                if f"@{ident}" in find.text:
                    # A cross-reference (@fig-x): its own warning, at its line, says so.
                    unwrap(a)
                    continue
                message = (
                    f"link to '#{ident}' leads to no element of the text: it is kept as "
                    "plain text; give the element {#" + ident + "} or correct the link"
                )
        elif not target or _is_remote(target):
            continue
        elif target.lower().startswith("file:"):
            new = None
            message = (
                f"link to '{unquote(target)}' points to a file on one computer, not to a web "
                "page: it is kept as plain text; link to a web address instead"
            )
        elif base:
            # Resolved as the original site's pages did: '/en/x' from the site's root,
            # 'x.html' from the folder the base names.
            new = urljoin(base.rstrip("/") + "/", target)
        else:
            new = None
            what = (
                "a file next to the manuscript"
                if folder_file(target)
                else "a page that is not in this build"
            )
            message = (
                f"link to '{unquote(target)}' leads to {what}: it is kept as plain text; give "
                "'base-url' (or --base-url) to link it to the original site"
            )
        if message and target not in said:
            said.add(target)
            # pandoc writes an address percent-encoded (a space as %20, é as %C3%A9):
            # the manuscript has it as typed.
            typed = unquote(target)
            line = find.first(f"({target}", f'"{target}"', target, f"({typed}", typed)
            report.warning(line or find.default, message)
        if new is None:
            unwrap(a)
        elif new != target:
            a.set("href", new)


def images(tree: Tree) -> list[tuple[str, str]]:
    """Every image's address and description, in order; an ``<img>`` left without an
    address (the sanitiser refused it) goes, being invalid in an EPUB."""
    found = []
    for img in tree.elements("img"):
        src = img.get("src")
        if not src:
            unwrap(img)
            continue
        if img.get("alt") is None:
            # pandoc writes no alt for ![](x.png): an image without one is invalid HTML;
            # empty, it is at least valid (the reader warns that it says nothing).
            img.set("alt", "")
        found.append((src, img.get("alt") or ""))
    return found


def captions_with_calls(tree: Tree) -> None:
    """pandoc hides a caption that repeats its image's alt text from screen readers
    (``aria-hidden``); one with a note call or a link (a citation, a cross-reference) must
    stay reachable, or the link is inside hidden content (axe ``aria-hidden-focus``) and
    what it leads to unreachable."""
    for caption in tree.elements("figcaption"):
        if caption.get("aria-hidden") and (
            any(" noteref " in (c.text or "") for c in caption.iter(etree.Comment))
            or next(caption.iter("a"), None) is not None
        ):
            del caption.attrib["aria-hidden"]


def point_images(tree: Tree, resources: dict[str, Resource]) -> None:
    for img in tree.elements("img"):
        resource = resources.get(img.get("src") or "")
        if resource is not None:
            img.set("src", resource.key)


def inline(note: etree._Element) -> str:
    """A note's blocks as spans (``<p>`` as ``<span class="fn-p">``): a ``<p>`` inside the
    paragraph of its call would end that paragraph when the HTML is parsed."""
    note = copy.deepcopy(note)
    for element in note.iter(*BLOCKS):
        attrs = dict(element.attrib)
        classes = " ".join(filter(None, [f"fn-{element.tag}", attrs.pop("class", "")]))
        element.attrib.clear()
        element.set("class", classes)
        for key, value in attrs.items():
            element.set(key, value)
        element.tag = "span"
    return serialize(note).strip()


def _is_remote(target: str) -> bool:
    """An address with a scheme of its own, other than ``file:`` (a local path in disguise)."""
    scheme = SCHEME_RE.match(target)
    return scheme is not None and scheme.group(1).lower() != "file"
