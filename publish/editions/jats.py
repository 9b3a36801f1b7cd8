"""The JATS edition: the article as JATS 1.3 XML (Journal Publishing tag set), which
PubMed Central and the preservation services (Portico, CLOCKSS, LOCKSS) take.

Written from our ``Document``, not by pandoc's JATS writer: pandoc writes JATS 1.2 and
breaks on a one-line abstract, and a second pandoc run would read the manuscript
again, where every other edition renders from what was read, checked and sanitised
once. The body HTML maps onto JATS element by element (``jats_body``, ``jats_inline``);
the front comes from the checked metadata (``jats_front``), the back from the notes
and the bibliography (``jats_back``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from lxml import etree

from ..document import Document, Resource
from ..options import Options
from .jats_back import back
from .jats_body import body
from .jats_front import article_type, front
from .jats_inline import NSMAP, Context

DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.3 20210610//EN" '
    '"https://jats.nlm.nih.gov/publishing/1.3/JATS-journalpublishing1-3.dtd">'
)
SUFFIX = ".xml"
MEDIA_TYPE = "application/jats+xml"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def render(doc: Document, options: Options) -> bytes:
    """``build/<slug>/<slug>.xml``; its images are ``images(doc)``, written beside it."""
    return etree.tostring(
        article(doc, options),
        xml_declaration=True,
        encoding="UTF-8",
        doctype=DOCTYPE,
        pretty_print=False,
    )


def article(doc: Document, options: Options | None = None) -> etree._Element:
    ctx = Context(images={r.key: name for name, r in _named(doc)})
    html = doc.with_noterefs(
        doc.body, lambda n: f'<a class="jats-fnref" data-n="{n}" href="#fn{n}">{n}</a>'
    )
    root = etree.Element(
        "article",
        nsmap=NSMAP,
        attrib={
            "article-type": article_type(doc),
            "dtd-version": "1.3",
            "{http://www.w3.org/XML/1998/namespace}lang": doc.meta.lang,
        },
    )
    pages = options.pages if options else None
    root.append(
        front(doc, (str(pages.first), str(pages.last)) if pages else None, _base(doc, options))
    )
    root.append(body(html, ctx))
    end = back(doc, html, ctx)
    if end is not None:
        root.append(end)
    _drop_dangling_xrefs(root)
    return root


def _base(doc: Document, options: Options | None) -> str | None:
    """Where ``build/`` is published (``base-url``), without its final slash."""
    settings = options.settings if options else None
    base = (
        doc.meta.base_url
        or (options.base_url if options else None)
        or (settings.defaults.get("base-url") if settings else None)
    )
    return str(base).rstrip("/") if base else None


def images(doc: Document) -> dict[str, bytes]:
    """The article's local images by their file name in the package: the XML's
    ``graphic`` elements point at these names, beside it."""
    return {name: resource.data for name, resource in _named(doc)}


PACKAGE_SUFFIX = ".jats.zip"


def companions(doc: Document, options: Options, xml: bytes) -> dict[str, bytes]:
    """What the edition writes beside ``<slug>.xml`` (the registry's hook): the images
    its ``graphic`` elements name, and the PMC package ``<slug>.jats.zip``."""
    return {**images(doc), f"{doc.slug}{PACKAGE_SUFFIX}": package(doc, options, xml)}


def package(doc: Document, options: Options, xml: bytes | None = None) -> bytes:
    """The XML and its images in one zip, as PMC takes an article: flat, the XML named
    for the article, reproducible (fixed dates, sorted names)."""
    files = {f"{doc.slug}{SUFFIX}": xml or render(doc, options), **images(doc)}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def _named(doc: Document) -> list[tuple[str, Resource]]:
    """Each local image with a name unique in the package: ``<slug>-g<n>.<ext>``."""
    named = []
    for n, resource in enumerate(doc.resources.values(), 1):
        suffix = PurePosixPath(resource.path.name).suffix.lower() or ".bin"
        named.append((f"{doc.slug}-g{n}{suffix}", resource))
    return named


def _drop_dangling_xrefs(root: etree._Element) -> None:
    """An ``xref`` to an id the article lacks (a citation of a work not in the
    bibliography, a link to a part JATS does not carry) keeps its text, not the link:
    an IDREF to nothing is invalid."""
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for xref in list(root.iter("xref")):
        if xref.get("rid") not in ids:
            parent = xref.getparent()
            text = "".join(xref.itertext()) + (xref.tail or "")
            previous = xref.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + text
            else:
                parent.text = (parent.text or "") + text
            parent.remove(xref)
