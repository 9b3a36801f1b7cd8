"""A picture is what its name says, and holds nothing active. Raster images are opened
with Pillow (a broken file, a decompression bomb or an HTML page named ``.png`` is an
error); an SVG is read as XML with entities, DTDs and the network off, and loses every
script, event handler, ``foreignObject`` and reference outside itself; its text is set
in the shipped faces (svg_fonts)."""

from __future__ import annotations

import warnings
from io import BytesIO
from pathlib import Path

from lxml import etree
from PIL import Image, UnidentifiedImageError

from ..images import MAX_PIXELS
from . import limits
from .svg_fonts import in_our_faces

FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
DROPPED = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "handler"}
"""SVG elements removed with their content."""
REFERENCES = {"href", f"{{{XLINK}}}href", "src"}


class BadPicture(ValueError):
    """The file is not the picture its name says; the message says what it is."""


def checked(path: Path, media_type: str) -> tuple[bytes, list[str]]:
    """The bytes to publish, and what was removed from them."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadPicture(f"cannot be read: {exc.strerror}") from None
    if media_type == "image/svg+xml":
        return _svg(data)
    _raster(data, FORMATS[media_type])
    return data, []


def _raster(data: bytes, expected: str) -> None:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                found = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadPicture(
            f"has more than {MAX_PIXELS:,} pixels (the limit): scale it down"
        ) from None
    except UnidentifiedImageError:
        what = _sniff(data)
        raise BadPicture(
            f"is not a picture ({what}): save the picture itself under this name"
        ) from None
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        raise BadPicture(f"is damaged ({exc}): export it again") from None
    if found != expected:
        raise BadPicture(
            f"is a {found} file named as a {expected} one: give it the right extension"
        )
    if width * height > MAX_PIXELS:
        raise BadPicture(f"has more than {MAX_PIXELS:,} pixels (the limit): scale it down")


def _sniff(data: bytes) -> str:
    head = data[:256].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        return "an SVG drawing: name it .svg"
    return "not a format a picture is saved in"


def _svg(data: bytes) -> tuple[bytes, list[str]]:
    if len(data) > limits.SVG_BYTES:
        raise BadPicture(
            f"is larger than {limits.SVG_BYTES // 1_000_000} MB (the limit for an SVG): simplify it"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadPicture(f"is not a well-formed SVG drawing ({exc}): export it again") from None
    if root.tag != f"{{{SVG}}}svg":
        raise BadPicture("is not an SVG drawing (its root is no <svg>): export it again")
    count = sum(1 for _ in root.iter())
    if count > limits.SVG_ELEMENTS:
        raise BadPicture(
            f"has {count:,} elements, above the limit of {limits.SVG_ELEMENTS:,} for an SVG: "
            "simplify it, or export it as a PNG"
        )
    removed: list[str] = []
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        removed.append("its DTD (entities)")
    for element in list(root.iter()):
        if element.tag is etree.Entity:
            removed.append(f"entity '&{element.name};'")
            _drop(element)
            continue
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in DROPPED:
            removed.append(f"<{local}>")
            _drop(element)
            continue
        for name, value in list(element.attrib.items()):
            attr = etree.QName(name).localname
            if attr.lower().startswith("on"):
                removed.append(f"'{attr}' event handler")
                del element.attrib[name]
            elif name in REFERENCES and not value.strip().startswith("#"):
                removed.append(f"reference to '{value[:40]}'")
                del element.attrib[name]
                if local in ("image", "use", "feImage"):
                    _drop(element)  # nothing left to show
            elif "url(" in value.lower() and "url(#" not in value.lower().replace(" ", ""):
                removed.append(f"'{attr}' with url()")
                del element.attrib[name]
        if (
            local == "style"
            and element.text
            and ("url(" in element.text or "@import" in element.text)
        ):
            removed.append("<style> that loads files")
            _drop(element)
    refaced = in_our_faces(root)
    clean = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return (clean if removed or refaced else data), list(dict.fromkeys(removed))


def _drop(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
