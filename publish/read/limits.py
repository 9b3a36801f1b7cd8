"""How much work one manuscript may ask for. Each limit is far above any real article (a
40,000-word report with 300 notes uses a tenth of them or less) and far below what would
hang a build or exhaust a machine; crossing one is an error at its line that names it.
The README lists them."""

from __future__ import annotations

MANUSCRIPT_MB = 5
"""Size of the manuscript file (800,000 words; pandoc reads about a megabyte a second on
one core, and every edition is made of all of it)."""
LINES = 150_000
"""Lines in the manuscript (a 40,000-word report wrapped at 72 characters has 6,000;
pandoc's time grows with the number of blocks as much as with their length)."""
LINE_CHARS = 50_000
"""Characters in one line (a long paragraph on one line has 5,000; pandoc's time per
character grows with the length of its line)."""
YAML_BYTES = 1_000_000
"""Size of the front matter."""
YAML_NODES = 10_000
"""Values in the front matter once every alias is expanded (an alias bomb has billions; a
Quarto journal template with seven authors has 155; 120 references written inline as CSL
YAML have 2,300, and take 3 s; pandoc writes each value apart, 5,000 keywords take 8 s)."""
YAML_DEPTH = 20
"""Lists and mappings inside each other in the front matter."""
YAML_VALUE_CHARS = 100_000
"""Characters in one metadata value (an abstract is about 2,000)."""
NESTING = 64
"""Blocks inside each other in the text (lists, quotations, divs)."""
NOTES = 2_000
"""Notes in one manuscript."""
ELEMENTS = 500_000
"""HTML elements in the converted text (a 40,000-word report has about 20,000)."""
RAW_HTML = 20_000
"""Pieces of raw HTML in the text."""
PANDOC_SECONDS = 60
"""Time pandoc may take to convert one manuscript (a 40,000-word one takes about 2 s)."""
PANDOC_MEMORY_MB = 2048
"""Heap pandoc may use for one manuscript (a 40,000-word one uses about 250 MB)."""
IMAGE_PIXELS = 250_000_000
"""Pixels in one image (a 600 dpi scan of an A3 page has 70 million, a scanned map of
12,000 × 12,000 144 million). Above ``images.LARGE_PIXELS`` a picture is decoded reduced
(libvips), in bounded memory; above this it is refused before it is decoded, as a
decompression bomb would take gigabytes."""
SVG_BYTES = 10_000_000
"""Size of one SVG picture."""
SVG_ELEMENTS = 30_000
"""Elements in one SVG picture (a chart has hundreds, a dense map some thousands; the PDF
edition lays out each of them)."""
SAME_HEADINGS = 1_000
"""Headings with the same words (pandoc gives each an id of its own, in time that grows
with the square of their number)."""
TABLE_COLUMNS = 100
"""Columns in one table (no page shows more than about 20; the PDF edition lays out
every cell of a table at once)."""
