"""The shipped typefaces, and per-document subsets of them for embedding.

The PDF edition points WeasyPrint at the full files (it subsets on its own);
the EPUB and the self-contained HTML page embed subsets cut here to the
characters of one document, so a short article does not carry whole fonts.
"""

from __future__ import annotations

import base64
import html
import io
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from fontTools.ttLib import TTCollection, TTFont

from .languages import ARABIC_BLOCKS
from .templates import ASSETS

FONTS_DIR = ASSETS / "fonts"

# Arabic script blocks plus the joiners and direction marks Persian text uses
# between letters; the Arabic face is used for these code points only.
ARABIC_RANGES: tuple[tuple[int, int], ...] = (*ARABIC_BLOCKS, (0x200C, 0x200F))

# Characters the stylesheets and templates add (section-break stars, list
# dashes, separators, back-link arrows) that the document's text may lack.
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0\u2002‘’“”–—…•·↑§¶©°×"

# Features the house CSS asks for beyond the subsetter's defaults: small capitals.
EXTRA_FEATURES = ("smcp", "c2sc")


@dataclass(frozen=True)
class Face:
    """One font file and how the stylesheets refer to it."""

    family: str
    """The CSS family name every stylesheet uses (never a reserved font name)."""
    file: str
    """File name below FONTS_DIR."""
    weight: int = 400
    style: str = "normal"
    arabic: bool = False
    """True for the Arabic-script face, restricted to ARABIC_RANGES."""
    mono: bool = False
    """True for the code face, embedded only in documents that have code."""

    @property
    def path(self) -> Path:
        return FONTS_DIR / self.file

    @property
    def stem(self) -> str:
        """A file-name-safe name for the embedded copy, e.g. 'text-700-italic'."""
        short = "arabic" if self.arabic else "mono" if self.mono else "text"
        return f"{short}-{self.weight}-{self.style}"


TEXT = "Publish Text"
ARABIC = "Publish Arabic"
MONO = "Publish Mono"

FACES: tuple[Face, ...] = (
    Face(TEXT, "charis/CharisSIL-Regular.ttf"),
    Face(TEXT, "charis/CharisSIL-Italic.ttf", style="italic"),
    Face(TEXT, "charis/CharisSIL-Bold.ttf", weight=700),
    Face(TEXT, "charis/CharisSIL-BoldItalic.ttf", weight=700, style="italic"),
    Face(ARABIC, "amiri/Amiri-Regular.ttf", arabic=True),
    Face(ARABIC, "amiri/Amiri-Bold.ttf", weight=700, arabic=True),
    # Code (issue 11): a face whose every glyph has one width, so that columns line up.
    Face(MONO, "jetbrains-mono/JetBrainsMono-Regular.ttf", mono=True),
    Face(MONO, "jetbrains-mono/JetBrainsMono-Italic.ttf", style="italic", mono=True),
    Face(MONO, "jetbrains-mono/JetBrainsMono-Bold.ttf", weight=700, mono=True),
)


def is_arabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ARABIC_RANGES)


def characters_for(face: Face, text: str) -> str:
    """The characters of `text` this face must carry, sorted for stable output."""
    # Each distinct character tested once: a long text has a few hundred of them among
    # a few hundred thousand characters (issue 5 measured seconds per long manuscript).
    distinct = set(text)
    if face.arabic:
        chars = {c for c in distinct if is_arabic(c)}
    else:
        chars = {c for c in distinct.union(ALWAYS) if not is_arabic(c)}
    return "".join(sorted(chars))


def subset_font(path: Path, text: str, flavor: str | None = "woff2") -> bytes:
    """Cut the font at `path` down to the glyphs `text` needs.

    Same input, same bytes: the head table's timestamp is kept as shipped,
    and the names are replaced by neutral ones because the OFL keeps reserved
    font names (such as "Charis") off modified copies.
    """
    return _subset(path, text, flavor)


@lru_cache(maxsize=32)
def _subset(path: Path, text: str, flavor: str | None) -> bytes:
    """Cached: a worker building many articles meets the same faces and often the same
    characters again (a series, or a publication's house vocabulary); the HTML page and
    the EPUB of one article share the renamed cut below."""
    if flavor is None:
        return _renamed(path, text)
    font = TTFont(io.BytesIO(_renamed(path, text)), recalcTimestamp=False)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


@lru_cache(maxsize=32)
def _renamed(path: Path, text: str) -> bytes:
    """The cut with our names, as OpenType: done once per (face, characters), not once
    per edition (parsing and saving it costs a few milliseconds a face)."""
    font = TTFont(io.BytesIO(_cut(path, text)), recalcTimestamp=False)
    _rename(font)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def _cut(path: Path, text: str) -> bytes:
    """The subset itself, by HarfBuzz: about a millisecond a face where fontTools'
    subsetter took a quarter of a second (issue 5 measured it as the largest cost of
    an HTML or EPUB edition). Not cached itself: _renamed keeps its result."""
    request = hb.SubsetInput()
    for char in text:
        request.unicode_set.add(ord(char))
    features = request.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    for tag in EXTRA_FEATURES:
        features.add(int.from_bytes(tag.encode("ascii"), "big"))
    names = request.sets(hb.SubsetInputSets.NAME_ID)
    for name_id in range(26):  # copyright, licence and designer records stay with the font
        names.add(name_id)
    # Charis carries SIL's private "Silt" table, which no renderer reads.
    request.sets(hb.SubsetInputSets.DROP_TABLE_TAG).add(int.from_bytes(b"Silt", "big"))
    request.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    face = hb.subset(hb.Face(hb.Blob.from_file_path(str(path))), request)
    if face is None:
        raise ValueError(f"HarfBuzz could not subset {path.name}")
    return face.blob.data


def _rename(font: TTFont) -> None:
    """Replace the family names with ours, keeping copyright and licence records."""
    name = font["name"]
    style = name.getDebugName(2) or "Regular"
    family = f"Publish Subset {font['OS/2'].usWeightClass}"
    postscript = f"PublishSubset-{style.replace(' ', '')}"
    keep = {0, 2, 7, 8, 9, 11, 12, 13, 14}
    name.names = [record for record in name.names if record.nameID in keep]
    for name_id, value in (
        (1, family),
        (3, postscript),
        (4, f"{family} {style}"),
        (5, "Version 1.0"),
        (6, postscript),
    ):
        name.setName(value, name_id, 3, 1, 0x409)


def needed_faces(text: str) -> list[Face]:
    """The faces a document uses: the Arabic one only when it has Arabic script, the
    code face only when it has code (`text` is markup: pandoc sets code in <code>)."""
    has_arabic = any(is_arabic(c) for c in set(text))
    has_code = "<code" in text
    return [
        face for face in FACES if (has_arabic or not face.arabic) and (has_code or not face.mono)
    ]


def font_face_rule(face: Face, url: str, fmt: str) -> str:
    """The @font-face rule for `face` loaded from `url`.

    Arabic script has no italic: the upright Arabic face also answers for
    italic text, or a renderer would slant it or take another font for it.
    """
    styles = ("normal", "italic") if face.arabic else (face.style,)
    return "\n".join(_rule(face, style, url, fmt) for style in styles)


def _rule(face: Face, style: str, url: str, fmt: str) -> str:
    lines = [
        "@font-face {",
        f'  font-family: "{face.family}";',
        f"  font-weight: {face.weight};",
        f"  font-style: {style};",
        "  font-display: swap;",
        f'  src: url("{url}") format("{fmt}");',
    ]
    if face.arabic:
        ranges = ", ".join(f"U+{low:04X}-{high:04X}" for low, high in ARABIC_RANGES)
        lines.append(f"  unicode-range: {ranges};")
    return "\n".join([*lines, "}"])


def pdf_font_css() -> str:
    """@font-face rules pointing at the shipped files, for WeasyPrint."""
    rules = [font_face_rule(face, face.path.as_uri(), "truetype") for face in FACES]
    return "\n".join(rules) + "\n"


def inline_font_css(document: str) -> str:
    """@font-face rules with data: URIs of subsets cut to `document`.

    `document` may be the finished HTML: entities are decoded here, and the
    markup itself only adds ASCII, which every subset carries anyway.
    """
    text = html.unescape(document)
    rules = []
    for face in needed_faces(text):
        # WOFF rather than WOFF2: a quarter larger, but zlib takes 6 ms a face where
        # WOFF2's Brotli took 75 ms, and an archive rebuilds thousands of pages.
        data = subset_font(face.path, characters_for(face, text), flavor="woff")
        uri = "data:font/woff;base64," + base64.b64encode(data).decode("ascii")
        rules.append(font_face_rule(face, uri, "woff"))
    return "\n".join(rules) + "\n"


@dataclass(frozen=True)
class EmbeddedFont:
    """A subset font file to put into an EPUB."""

    file_name: str
    media_type: str
    content: bytes


def epub_fonts(document: str, href_prefix: str = "../fonts/") -> tuple[list[EmbeddedFont], str]:
    """Subsets for an EPUB and the @font-face rules that load them.

    OpenType rather than WOFF2 because more e-readers read it; `href_prefix`
    is the fonts folder as seen from the stylesheet.
    """
    text = html.unescape(document)
    files, rules = [], []
    for face in needed_faces(text):
        name = f"{face.stem}.ttf"
        data = subset_font(face.path, characters_for(face, text), flavor=None)
        files.append(EmbeddedFont(name, "font/ttf", data))
        rules.append(font_face_rule(face, href_prefix + name, "truetype"))
    return files, "\n".join(rules) + "\n"


def embed_fonts(page: str) -> str:
    """`page` with @font-face rules for the subsets it needs opening its first <style>.

    The rules are cut from the finished page, so every character it shows is covered.
    """
    return page.replace("<style>", "<style>\n" + inline_font_css(page), 1)


def has_small_caps(text: str) -> bool:
    """Whether the text face draws every lowercase letter of ``text`` as a small capital.
    Charis has them for Latin and Cyrillic, not for Greek: a Greek name asked for small
    capitals came out as a mix of lowercase and synthesised capitals."""
    covered = _small_caps_letters()
    return all(ord(c) in covered for c in set(text) if c.islower())


@lru_cache(maxsize=1)
def _small_caps_letters() -> frozenset[int]:
    with TTFont(FACES[0].path, lazy=True) as font:
        cmap = font.getBestCmap()
        gsub = font["GSUB"].table
        glyphs: set[str] = set()
        for record in gsub.FeatureList.FeatureRecord:
            if record.FeatureTag != "smcp":
                continue
            for index in record.Feature.LookupListIndex:
                for table in gsub.LookupList.Lookup[index].SubTable:
                    table = getattr(table, "ExtSubTable", table)
                    glyphs.update(getattr(table, "mapping", {}))
    return frozenset(code for code, glyph in cmap.items() if glyph in glyphs)


def without_glyphs(text: str) -> str:
    """The characters of ``text`` (sorted) that neither the shipped faces nor any font
    installed on this machine can draw: WeasyPrint falls back on the machine's fonts
    (fontconfig) for what ours lack, and draws an empty box where none has the glyph.
    Empty when fontconfig cannot be asked (the PDF is then not checked)."""
    wanted = {c for c in set(text) if unicodedata.category(c) not in INVISIBLE}
    missing = wanted - {chr(c) for c in _shipped_letters()}
    if not missing:
        return ""
    system = _system_letters()
    if system is None:
        return ""
    return "".join(sorted(c for c in missing if ord(c) not in system))


# Categories that draw no glyph of their own (spaces, controls, format characters such
# as joiners and direction marks, combining marks drawn with their base, private use).
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}


@lru_cache(maxsize=1)
def _shipped_letters() -> frozenset[int]:
    codes: set[int] = set()
    for face in FACES:
        with TTFont(face.path, lazy=True) as font:
            codes.update(font.getBestCmap())
    return frozenset(codes)


def fc_list(form: str) -> str | None:
    """fontconfig's list of the installed fonts, each as ``form`` says; None without
    fontconfig."""
    try:
        return subprocess.run(
            ["fc-list", "--format", form],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None


@lru_cache(maxsize=1)
def _system_letters() -> frozenset[int] | None:
    """Every code point some installed font maps, by fontconfig's list of fonts (read
    once per process, and only for a text our faces do not cover)."""
    listed = fc_list("%{file}\\n")
    if listed is None:
        return None
    codes: set[int] = set()
    for name in sorted(set(listed.split("\n")) - {""}):
        try:
            if name.lower().endswith((".ttc", ".otc")):
                with TTCollection(name, lazy=True) as collection:
                    for font in collection.fonts:
                        codes.update(font.getBestCmap() or {})
            else:
                with TTFont(name, lazy=True) as font:
                    codes.update(font.getBestCmap() or {})
        except Exception:  # noqa: BLE001 - a font fontconfig lists but fontTools cannot read
            continue
    return frozenset(codes)
