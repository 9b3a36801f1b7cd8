"""Large pictures (a 12,000 × 12,000 scan of a map or a poster) decoded reduced, in
bounded memory: libvips shrinks the image while it reads it, a band of rows at a time,
to the size an edition uses, and Pillow then treats the small copy like any other.

Pillow decodes a PNG whole (600 MB for 144 million pixels, 1 GB at the limit); libvips
keeps about 120 MB whatever the size. Its build is pinned in pyproject.toml
(pyvips-binary): the pixels it gives depend on it, and its version is part of the image
cache's key.
"""

from __future__ import annotations

from PIL import Image

REDUCED = "publish-reduced"
"""Key in a reduced image's ``info``: it must be encoded again, never passed as it is."""


class Unreadable(ValueError):
    """libvips could not read the file to its end."""


def version() -> str:
    try:
        import pyvips
    except (ImportError, OSError):
        return "none"
    return ".".join(str(pyvips.version(i)) for i in range(3))


def reduced(data: bytes, header: Image.Image, box: tuple[int, int]) -> Image.Image:
    """The picture ``data`` (whose header Pillow read: ``header``) shrunk to fit ``box``,
    as a Pillow image with the original's colour profile."""
    import pyvips

    pyvips.cache_set_max(0)  # nothing kept between pictures
    source = pyvips.Source.new_from_memory(data)
    try:
        # fail_on: a truncated or damaged file is an error, not a grey band
        image = pyvips.Image.thumbnail_source(
            source, box[0], height=box[1], size="down", option_string="fail_on=warning"
        )
        grey = image.bands <= 2 and image.interpretation in ("b-w", "grey16")
        alpha = image.hasalpha()
        # 8 bits a channel, in sRGB (16-bit scans and CMYK JPEGs are converted)
        image = image.colourspace("b-w" if grey else "srgb")
        colours = 1 if grey else 3
        mode = ("LA" if alpha else "L") if grey else ("RGBA" if alpha else "RGB")
        image = image.extract_band(0, n=colours + (1 if alpha else 0)).cast("uchar")
        pixels = image.write_to_memory()
    except pyvips.Error as exc:
        said = str(exc).strip().splitlines()
        raise Unreadable(said[-1][:120] if said else "libvips could not read it") from None
    out = Image.frombytes(mode, (image.width, image.height), pixels)
    out.info[REDUCED] = True
    profile = header.info.get("icc_profile")
    if profile:
        out.info["icc_profile"] = profile
    out.format = header.format
    return out
