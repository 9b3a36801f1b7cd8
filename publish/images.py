"""Images sized for each edition, made with Pillow from the original (never changed).

- screen (HTML, EPUB): at most ``max_px`` on the long side (``--max-image-px``);
- print (PDF): at most 300 ppi at the largest size the page can print it (the text
  block's width, a figure's greatest height), so never more pixels than ink can show.

Same type out as in (PNG stays PNG, JPEG stays JPEG), EXIF (GPS position included),
XMP and comments stripped, the colour profile kept (CMYK converted to sRGB). An image
that needs neither fewer pixels nor stripping is passed as it is. The bytes depend only
on the original and the limits, so builds stay reproducible; they are kept in a
content-addressed cache, so an unchanged image is not encoded again on the next build.

A file Pillow cannot read (truncated, an HTML page named ``.png``), a file whose
content is not what its name says, and a decompression bomb are errors at the
manuscript line that uses the image.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import os
import re
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from . import cache, large
from .diagnostics import Collector, Diagnostic, ManuscriptError
from .document import Document, Resource
from .read.limits import IMAGE_PIXELS

SCREEN_MAX_PX = 1600
PRINT_PPI = 300
# The text block of both papers (paper-a4.css, paper-letter.css) is 128 mm wide; a
# figure's image is at most 200 mm high (print.css), leaving room for its caption.
PRINT_BOX_MM = (128.0, 200.0)
MAX_PIXELS = IMAGE_PIXELS
"""Above this (a 15,800 × 15,800 scan) an image is refused before it is decoded
(``read/limits.py``, where every limit is)."""
LARGE_PIXELS = 40_000_000
"""Above this an image is decoded reduced, by libvips (large.py), in bounded memory: a
144-million-pixel scan decoded whole by Pillow takes 600 MB; shrunk while it is read,
about 120 MB."""
JPEG_QUALITY = 85
RASTER = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
FORMAT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
VERSION = f"3/{PIL.__version__}/{large.version()}"
"""Part of every cache key: a new Pillow, or a change here (bump the first number), may
give other bytes."""


@dataclass(frozen=True)
class Sized:
    """One edition's copy of an image."""

    data: bytes
    media_type: str
    width: int | None
    height: int | None


class ImageError(ValueError):
    """The file is not the image its name says, or not a safe one to decode."""


def print_max_px() -> tuple[int, int]:
    """The most pixels (wide, high) a figure can use in the PDF at 300 ppi."""
    w_mm, h_mm = PRINT_BOX_MM
    return round(w_mm / 25.4 * PRINT_PPI), round(h_mm / 25.4 * PRINT_PPI)


def for_screen(resource: Resource, max_px: int = SCREEN_MAX_PX) -> Sized:
    """HTML and EPUB: the long side at most ``max_px``."""
    return _sized(resource, (max_px, max_px), long_side=True)


def for_print(resource: Resource) -> Sized:
    """PDF: at most 300 ppi at the largest size a figure is printed."""
    return _sized(resource, print_max_px(), long_side=False)


def _sized(resource: Resource, box: tuple[int, int], long_side: bool) -> Sized:
    if resource.media_type not in RASTER and resource.media_type != "image/gif":
        return Sized(resource.data, resource.media_type, None, None)
    # the bytes checked when the manuscript was read, never the file again
    return _cached(resource.data, resource.media_type, box, long_side)


@lru_cache(maxsize=64)
def _cached(original: bytes, media_type: str, box: tuple[int, int], long_side: bool) -> Sized:
    key = hashlib.sha256(
        f"{VERSION}|{media_type}|{box}|{long_side}|".encode() + hashlib.sha256(original).digest()
    ).hexdigest()
    folder = cache_folder()
    stored = folder / key[:2] / key if folder else None
    if stored and stored.is_file():
        blob = stored.read_bytes()
        head, _, data = blob.partition(b"\n")
        width, height = (int(v) for v in head.split(b"x"))
        return Sized(data, media_type, width, height)
    sized = _make(original, media_type, box, long_side)
    if stored:
        _store(stored, f"{sized.width}x{sized.height}\n".encode() + sized.data)
    return sized


def cache_folder() -> Path | None:
    """Where sized copies are kept (``publish/cache.py``)."""
    return cache.folder("images")


def _store(path: Path, blob: bytes) -> None:
    """Write atomically: parallel builds may encode the same image at once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full cache only costs time


def _make(original: bytes, media_type: str, box: tuple[int, int], long_side: bool) -> Sized:
    image = open_checked(original, media_type, reduce_to=box)
    reduced = image.info.get(large.REDUCED, False)
    if image.format == "GIF":
        # An animated GIF would lose its frames; GIFs are small drawings anyway.
        return Sized(original, media_type, *image.size)
    # EXIF goes, but its rotation must not (exif_transpose always returns a copy).
    rotated = image.getexif().get(0x0112, 1) not in (0, 1)
    oriented = ImageOps.exif_transpose(image) if rotated else image
    width, height = oriented.size
    if long_side:
        scale = min(1.0, box[0] / max(width, height))
    else:
        scale = min(1.0, box[0] / width, box[1] / height)
    strip = _has_metadata(image) or rotated or image.mode == "CMYK" or reduced
    if scale >= 1.0 and not strip:
        return Sized(original, media_type, width, height)
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        oriented = oriented.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out, profile = _colour(oriented, image.info.get("icc_profile"))
    buffer = io.BytesIO()
    fmt = RASTER[media_type]
    options: dict[str, object] = {"icc_profile": profile} if profile else {}
    if fmt == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=False)
    elif fmt == "PNG":
        options.update(optimize=True)
    elif fmt == "WEBP":
        options.update(quality=JPEG_QUALITY, method=4, exif=b"", xmp=b"")
    out.save(buffer, fmt, **options)
    return Sized(buffer.getvalue(), media_type, *out.size)


def open_checked(
    data: bytes, media_type: str, reduce_to: tuple[int, int] | None = None
) -> Image.Image:
    """The image decoded, or ImageError saying why it cannot be used. One above
    LARGE_PIXELS is decoded reduced to fit ``reduce_to`` (a check only: to fit 4,096
    pixels); its ``info`` then says so (``large.REDUCED``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            image = Image.open(io.BytesIO(data))
            width, height = image.size  # read from the header, before any decoding
            if width * height > MAX_PIXELS:
                raise ImageError(
                    f"it is {width:,} × {height:,} pixels, more than "
                    f"{MAX_PIXELS // 1_000_000} million (the limit): scale it down before using it"
                )
            found = FORMAT_TYPES.get(image.format or "")
            if found != media_type:
                what = f"a {image.format} image" if found else "not an image"
                raise ImageError(f"the file is {what}, but its name says {media_type}")
            if width * height > LARGE_PIXELS and image.format != "GIF":
                try:
                    return large.reduced(data, image, reduce_to or (4096, 4096))
                except large.Unreadable as exc:
                    raise ImageError(f"the file is damaged or truncated ({exc})") from None
            # WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which
            # would pass a cut-off file with a grey band; here it must be an error.
            lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
            try:
                image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"it is too large to decode safely ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise ImageError("the file is not an image Pillow can read (is it really one?)") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"the file is damaged or truncated ({exc})") from exc
    return image


def _has_metadata(image: Image.Image) -> bool:
    info = image.info
    return any(k in info for k in ("exif", "comment", "xmp", "XML:com.adobe.xmp", "photoshop"))


def _colour(image: Image.Image, profile: bytes | None) -> tuple[Image.Image, bytes | None]:
    """A copy with no metadata but its colour profile; CMYK becomes sRGB."""
    if image.mode == "CMYK":
        if profile:
            try:
                source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
                srgb = ImageCms.createProfile("sRGB")
                converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
                image = converted if converted is not None else image.convert("RGB")
            except ImageCms.PyCMSError:
                image = image.convert("RGB")
        else:
            image = image.convert("RGB")
        profile = None
    fresh = image.copy()
    fresh.info = {}
    return fresh, profile


def located(resource: Resource, source: Path, exc: ImageError) -> ManuscriptError:
    """The error at the manuscript line that uses the image."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError:
        text = ""
    at = text.find(resource.src)
    line = text.count("\n", 0, at) + 1 if at >= 0 else None
    return ManuscriptError([Diagnostic(source, line, f"image '{resource.src}': {exc}")])


IMG_RE = re.compile(r"<img\b[^>]*>")
SRC_RE = re.compile(r'\ssrc="([^"]*)"')


def with_sized_images(
    doc: Document,
    fragment: str,
    address: Callable[[Resource, Sized], str],
    edition: str,
    max_px: int = SCREEN_MAX_PX,
) -> str:
    """``fragment`` with each local image's address replaced by ``address`` of this
    edition's copy; on screen, ``width`` and ``height`` attributes are added (unless the
    manuscript gave a size), so that the page does not shift while images load."""

    # An <img src> holds the resource's marker (Markers.image) once the text is read;
    # the address as written for a Resource made by hand, which has no marker.
    by_key = {r.key or r.src: r for r in doc.resources.values()}

    def one(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = SRC_RE.search(tag)
        resource = by_key.get(html.unescape(src.group(1))) if src else None
        if src is None or resource is None:
            return tag
        try:
            sized = for_print(resource) if edition == "print" else for_screen(resource, max_px)
        except ImageError as exc:
            raise located(resource, doc.source, exc) from None
        new = tag[: src.start(1)] + address(resource, sized) + tag[src.end(1) :]
        sized_by_author = re.search(r"\s(width|height)=|\sstyle=", tag)
        if edition == "screen" and sized.width and not sized_by_author:
            new = new.replace("<img", f'<img width="{sized.width}" height="{sized.height}"', 1)
        return new

    return IMG_RE.sub(one, fragment)


EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}


def reader_copy(resource: Resource, max_px: int = SCREEN_MAX_PX) -> Sized:
    """The copy a reader's screen gets (HTML, EPUB): sized, and a photograph given as
    PNG as a JPEG (photo)."""
    return photo(for_screen(resource, max_px))


def file_name(resource: Resource, sized: Sized) -> str:
    """The original's name with the extension of the copy's type (``plot.pdf`` drawn as
    SVG is ``plot.svg``, a PNG photograph sent as JPEG ``photo.jpg``)."""
    stem = resource.path.stem or "image"
    return stem + EXTENSIONS.get(sized.media_type, resource.path.suffix)


def data_uri(resource: Resource, sized: Sized) -> str:
    """The copy as a ``data:`` address; a photograph given as PNG as a JPEG (photo)."""
    sized = photo(sized)
    return f"data:{sized.media_type};base64,{base64.b64encode(sized.data).decode('ascii')}"


PHOTO_COLOURS = 16_384
PHOTO_SHARE = 8
"""A PNG with more distinct colours than PHOTO_COLOURS and than one in PHOTO_SHARE of
its pixels (and nothing transparent) is taken for a photograph. A diagram with colour
maps scaled down for the screen (JOSS's martini schematic, 1600 × 263) has 24,500
colours, 6% of its pixels, and stays PNG; a photograph's grain makes most of its pixels
a colour of their own. A photograph taken for a drawing only stays PNG, as before."""
PHOTO_GAIN = 0.5
"""A photograph's JPEG is used when it is at most this part of the PNG's size."""


def photo(sized: Sized) -> Sized:
    """A screen copy that is a photograph saved as PNG (tens of thousands of colours,
    nothing transparent) as a JPEG, when that is at most half the size: a 3,000-pixel photograph
    is 4 MB as PNG, 400 KB as JPEG. Drawings, screenshots and charts (few colours,
    sharp edges) stay PNG, as does anything the JPEG would not make much smaller. The
    PDF keeps the PNG (print: no loss); the EPUB needs the hook in editions/epub.py
    (media type and name of the item) to take it too."""
    if sized.media_type != "image/png" or len(sized.data) < 50_000:
        return sized
    return _as_jpeg(sized)


@lru_cache(maxsize=64)
def _as_jpeg(sized: Sized) -> Sized:
    key = hashlib.sha256(f"{VERSION}|photo|".encode() + hashlib.sha256(sized.data).digest())
    folder = cache_folder()
    stored = folder / "photo" / key.hexdigest() if folder else None
    if stored and stored.is_file():
        data = stored.read_bytes()
        return replace(sized, data=data, media_type="image/jpeg") if data else sized
    data = _jpeg_if_photo(sized.data)
    if stored:
        _store(stored, data)
    return replace(sized, data=data, media_type="image/jpeg") if data else sized


def _jpeg_if_photo(png: bytes) -> bytes:
    """The JPEG of a PNG photograph, or b"" when it is no photograph or no smaller."""
    with Image.open(io.BytesIO(png)) as opened:
        if opened.mode not in ("RGB", "RGBA", "L") or "transparency" in opened.info:
            return b""
        opened.load()
        image: Image.Image = opened
        if image.mode == "RGBA":
            alpha = image.getchannel("A").getextrema()
            if alpha != (255, 255):
                return b""
            image = image.convert("RGB")
        # getcolors stops counting past the limit: cheap on a photograph
        limit = max(PHOTO_COLOURS, image.width * image.height // PHOTO_SHARE)
        if image.getcolors(limit) is not None:
            return b""
        profile = image.info.get("icc_profile")
        buffer = io.BytesIO()
        options: dict[str, object] = {"icc_profile": profile} if profile else {}
        image.save(
            buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=False, **options
        )
    data = buffer.getvalue()
    return data if len(data) <= len(png) * PHOTO_GAIN else b""


def warn_missing_alt(
    images: list[tuple[str, str]], line: Callable[..., int | None], report: Collector
) -> None:
    """An image with neither alt text nor caption says nothing to a reader who cannot
    see it: a warning at its line (``fig-alt`` or a caption fixes it). ``images``: each
    image's address and description; ``line``: the line of the first needle found."""
    for src, alt in images:
        if not alt.strip():
            report.warning(
                line(f"]({src}", f"({src}", src),
                f"image '{src}' has neither alt text nor caption: describe it in "
                'the brackets, ![what it shows](file), or with fig-alt="…"',
            )
