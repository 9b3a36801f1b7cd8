"""Re-packs a ZIP container so that the same content always gives the same bytes:
``mimetype`` first and stored, then every entry in a fixed order with a fixed time.

EbookLib 0.20 stamps every entry with the clock and writes them in the order items
were added; an EPUB built twice would differ."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from . import require

require("ebooklib_zip")


def reproducible_zip(data: bytes, when: datetime) -> bytes:
    # ZIP stores years 1980 to 2107 only.
    stamp = min(max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0)), (2107, 12, 31, 23, 59, 58))
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    order = ["mimetype", "META-INF/container.xml"]
    order += sorted(n for n in names if n not in order)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            if name not in names:
                continue
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
