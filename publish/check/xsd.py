"""The vendored XML schemas (JATS 1.3, Crossref 5.3.1), loaded offline.

Each schema is compiled once per process (two to three seconds each). Nothing reaches
the network: the parser may not, and the one import Crossref's schemas make by a W3C
address (MathML 3) resolves to the copy beside them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[1] / "assets" / "schemas"
DRIVERS = {
    "jats": SCHEMAS / "jats" / "JATS-journalpublishing1-3-mathml3.xsd",
    "crossref": SCHEMAS / "crossref" / "crossref5.3.1.xsd",
}
W3C_MATHML = "http://www.w3.org/Math/XMLSchema/mathml3/"


class _Local(etree.Resolver):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if url and url.startswith(W3C_MATHML):
            name = url[len(W3C_MATHML) :]
            return self.resolve_filename(
                str(self.folder / "standard-modules" / "mathml3" / name), context
            )
        return None


@cache
def schema(name: str) -> etree.XMLSchema:
    """The compiled schema ``name`` ("jats" or "crossref")."""
    driver = DRIVERS[name]
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(_Local(driver.parent))
    return etree.XMLSchema(etree.parse(str(driver), parser))


def errors(name: str, data: bytes) -> list[tuple[int, str]]:
    """Each way ``data`` breaks schema ``name``, as (line, message); [] when valid."""
    return [(line, message) for line, message, _ in located(name, data)]


def located(name: str, data: bytes) -> list[tuple[int, str, str]]:
    """Each way ``data`` breaks schema ``name``, as (line, message, words): the words of
    the element concerned, by which ``check/lines.py`` finds the manuscript's line (a
    JATS edition is written on few lines, so its own line says little)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=False)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        return [(error.lineno or 1, f"not well-formed XML: {error.msg}", "")]
    check = schema(name)
    if check.validate(tree):
        return []
    found = []
    for entry in check.error_log:
        words = ""
        try:
            hits = tree.getroottree().xpath(entry.path) if entry.path else []
        except etree.XPathError:  # a path libxml2 writes that XPath does not read
            hits = []
        element = hits[0] if hits and isinstance(hits[0], etree._Element) else None
        while element is not None and not words:  # an empty element: its parent's words
            words = " ".join("".join(element.itertext()).split())[:300]
            element = element.getparent()
        found.append((entry.line, entry.message, words))
    return found
