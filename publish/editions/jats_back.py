"""The JATS ``<back>``: the notes as an ``fn-group`` and the bibliography as a
``ref-list`` of ``mixed-citation``s, each DOI as a ``pub-id``."""

from __future__ import annotations

import re

from lxml import etree

from ..document import Document
from .jats_body import blocks_from_html, paragraphs_only
from .jats_inline import (
    DOI_LINK_RE,
    XLINK,
    Context,
    E,
    classes,
    html_tree,
    inline_into,
    local,
    ncname,
)


def back(doc: Document, html: str, ctx: Context) -> etree._Element | None:
    """``html`` is the body with note calls filled in; its bibliography gives the refs."""
    parts = [p for p in (fn_group(doc, ctx), ref_list(html, ctx)) if p is not None]
    return E("back", *parts) if parts else None


def fn_group(doc: Document, ctx: Context) -> etree._Element | None:
    if not doc.notes:
        return None
    group = E("fn-group")
    for note in doc.notes:
        paragraphs = paragraphs_only(blocks_from_html(note.html, ctx))
        group.append(E("fn", E("label", str(note.number)), *paragraphs, id=f"fn{note.number}"))
    return group


def ref_list(html: str, ctx: Context) -> etree._Element | None:
    root = html_tree(html)
    section = next((s for s in root if "bibliography" in classes(s)), None)
    if section is None:
        return None
    out = E("ref-list")
    heading = next((h for h in section if re.fullmatch(r"h[1-6]", local(h))), None)
    if heading is not None:
        title = E("title")
        inline_into(title, heading, ctx)
        out.append(title)
    for entry in section.iter():
        if "csl-entry" in classes(entry) and entry.get("id"):
            out.append(E("ref", citation(entry, ctx), id=ncname(entry.get("id", ""))))
    return out if len(out) else None


def citation(entry: etree._Element, ctx: Context) -> etree._Element:
    """The entry as the style wrote it; a link to a DOI becomes its ``pub-id``."""
    out = E("mixed-citation", **{"publication-type": "other"})
    inline_into(out, entry, ctx)
    for link in list(out.iter("ext-link")):
        match = DOI_LINK_RE.match(link.get(f"{{{XLINK}}}href", ""))
        if match:
            pub_id = E("pub-id", match.group(1), **{"pub-id-type": "doi"})
            pub_id.tail = link.tail
            link.getparent().replace(link, pub_id)
    out.text = (out.text or "").lstrip()
    if len(out):
        out[-1].tail = (out[-1].tail or "").rstrip()
    else:
        out.text = out.text.rstrip()
    return out


def dois(html: str) -> list[tuple[str, str | None]]:
    """Each bibliography entry as (its plain text, its DOI or None), in order: what the
    Crossref deposit's ``citation_list`` takes."""
    root = html_tree(html)
    found: list[tuple[str, str | None]] = []
    for entry in root.iter():
        if "csl-entry" in classes(entry):
            text = " ".join("".join(entry.itertext()).split())
            doi = None
            for a in entry.iter():
                match = DOI_LINK_RE.match(a.get("href") or "") if local(a) == "a" else None
                if match:
                    doi = match.group(1)
                    break
            found.append((text, doi))
    return found
