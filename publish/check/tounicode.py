"""Font codes back to text, through each font's ToUnicode CMap."""

from __future__ import annotations

import re

import pikepdf


class Decoder:
    """Font codes to Unicode through the font's ToUnicode CMap."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.width = 2 if font.get("/Subtype") == "/Type0" else 1
        self.table: dict[int, str] = {}
        if "/ToUnicode" in font:
            self._read_cmap(font.ToUnicode.read_bytes().decode("latin-1"))

    def _read_cmap(self, cmap: str) -> None:
        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
                self.table[int(src, 16)] = _utf16(dst)
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
            pattern = r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])"
            for low, high, dst in re.findall(pattern, block):
                first, last = int(low, 16), int(high, 16)
                if dst.startswith("["):
                    for i, each in enumerate(re.findall(r"<([0-9a-fA-F]*)>", dst)):
                        self.table[first + i] = _utf16(each)
                else:
                    start = int(dst[1:-1], 16)
                    for i in range(last - first + 1):
                        self.table[first + i] = chr(start + i) if start + i < 0x110000 else ""

    def decode(self, data: bytes) -> str:
        codes = (
            [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
            if self.width == 2
            else list(data)
        )
        return "".join(self.table.get(c, chr(c) if self.width == 1 else "") for c in codes)


def _utf16(hexdigits: str) -> str:
    return bytes.fromhex(hexdigits).decode("utf-16-be", errors="replace")


def decoders(page: pikepdf.Page) -> dict[str, Decoder]:
    fonts = page.obj.get("/Resources", {}).get("/Font", {})
    return {str(name): Decoder(font) for name, font in fonts.items()}


def decode(font: Decoder | None, operand) -> str:
    if isinstance(operand, pikepdf.Array):
        parts = [bytes(item) for item in operand if isinstance(item, pikepdf.String)]
    else:
        parts = [bytes(operand)]
    data = b"".join(parts)
    return font.decode(data) if font else data.decode("latin-1")
