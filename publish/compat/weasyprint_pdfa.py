"""A PDF that is PDF/A-3a and PDF/UA-1 at once.

WeasyPrint 70 writes PDF/A-3a or PDF/UA-1, never both in one file
(https://github.com/Kozea/WeasyPrint/issues/2783). The PDF edition asks for PDF/UA-1;
``archival`` then makes the finished file PDF/A-3a as well, with pikepdf, adding what
veraPDF's PDF/A-3a profile found missing (measured on the sample and the scholarly
article, WeasyPrint 70.0):

- an sRGB output intent (6.2.4.3: DeviceRGB needs one), with the ICC profile
  WeasyPrint itself ships;
- the print flag on every annotation (6.3.2);
- no ``Interpolate`` on images (6.2.8; WeasyPrint sets it unless ``image-rendering``
  says otherwise);
- the PDF/A identification (``pdfaid``) in the XMP, and an extension schema for every
  property outside the XMP specification's own schemas (6.6.2.3.1: ``pdfuaid`` and
  the PRISM fields ``scholarly.with_xmp`` writes);
- every link annotation's ``OBJR`` inside a ``Link`` structure element (PDF/UA-1
  7.18.5): for a link whose text is set in several boxes (a contents entry: title,
  author, page number), WeasyPrint hangs the annotation on the inner ``Span``; on
  the test issue's contents page 9 of 47 links failed so;
- list items holding only ``Lbl`` and ``LBody`` (PDF/UA-1 7.2-20): for a loose list
  item (``<li><p>``) WeasyPrint hangs the paragraph on the ``LI`` itself, as in two
  of the four JOSS papers of the corpus; it goes into an ``LBody``;
- files embedded as associated files (``/AF``) with their ``AFRelationship``
  (the manuscript as Source, the JATS as Alternative), as PDF/A-3 allows.

Written for WeasyPrint 70.0 (``WRITTEN_FOR``): with another version ``applies()`` is
False until someone checks whether upstream now writes both at once.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata, resources
from pathlib import Path

import pikepdf
from lxml import etree

WRITTEN_FOR = "70.0"
UPSTREAM = "https://github.com/Kozea/WeasyPrint/issues/2783"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
PREDEFINED = {
    "http://purl.org/dc/elements/1.1/",
    "http://ns.adobe.com/xap/1.0/",
    "http://ns.adobe.com/xap/1.0/rights/",
    "http://ns.adobe.com/xap/1.0/mm/",
    "http://ns.adobe.com/pdf/1.3/",
    "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/xap/1.0/t/pg/",
    "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    PDFAID,
    RDF,
    EXTENSION,
    SCHEMA,
    PROPERTY,
}
"""Namespaces PDF/A-3 knows without an extension schema (ISO 19005-3, 6.6.2.3.1)."""
SCHEMA_NAMES = {
    "http://www.aiim.org/pdfua/ns/id/": ("PDF/UA Universal Accessibility Schema", "pdfuaid"),
    "http://prismstandard.org/namespaces/basic/2.0/": ("PRISM Basic Metadata", "prism"),
}
INTEGER = {("http://www.aiim.org/pdfua/ns/id/", "part")}


@dataclass(frozen=True)
class Attachment:
    """A file carried inside the PDF, related to it as PDF/A-3 says how."""

    name: str
    data: bytes
    media_type: str
    relationship: str
    """``Source`` (what the PDF was made from), ``Alternative`` (the same work in
    another form), ``Data`` or ``Supplement``."""
    description: str


def attachments(source: Path, jats: bytes | None = None) -> list[Attachment]:
    """What the archival PDF carries: the manuscript it was made from (Source) and,
    when given, the same article as JATS XML (Alternative)."""
    found = [
        Attachment(source.name, source.read_bytes(), "text/markdown", "Source", "The manuscript")
    ]
    if jats is not None:
        name = source.with_suffix(".xml").name
        found.append(Attachment(name, jats, "application/xml", "Alternative", "JATS XML"))
    return found


def applies() -> bool:
    """Whether the installed WeasyPrint is the one this was measured against."""
    try:
        return metadata.version("weasyprint") == WRITTEN_FOR
    except metadata.PackageNotFoundError:
        return False


def archival(pdf_bytes: bytes, when: datetime, attachments: Sequence[Attachment] = ()) -> bytes:
    """The PDF/UA-1 file ``pdf_bytes`` made PDF/A-3a as well; ``when`` dates the
    attachments (the edition's build time, so the bytes stay reproducible)."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        _links_in_link_elements(pdf)
        _list_bodies(pdf)
        _figures_in_links_named(pdf)
        _output_intent(pdf)
        _print_annotations(pdf)
        _no_interpolation(pdf)
        _attach(pdf, attachments, when)
        _identify(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _links_in_link_elements(pdf: pikepdf.Pdf) -> None:
    """Move each link annotation's object reference from the ``Span`` WeasyPrint put it
    in up to the ``Link`` around it (or make that element the ``Link`` when there is
    none), and point the parent tree there."""
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree:
        return
    entries = _number_tree(tree.ParentTree)
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            key = annotation.get("/StructParent")
            if annotation.get("/Subtype") != pikepdf.Name.Link or key is None:
                continue
            found = entries.get(int(key))
            if found is None:
                continue
            array, index, element = found
            if element.get("/S") == pikepdf.Name.Link:
                continue
            link = _ancestor_link(element)
            if link is None:
                element.S = pikepdf.Name.Link
                continue
            reference = _take_objr(element, annotation)
            if reference is not None:
                kids = link.get("/K")
                link.K = pikepdf.Array(
                    [
                        *(
                            kids
                            if isinstance(kids, pikepdf.Array)
                            else [kids]
                            if kids is not None
                            else []
                        ),
                        reference,
                    ]
                )
            array[index] = link


def _figures_in_links_named(pdf: pikepdf.Pdf) -> None:
    """A picture inside a link with no text alternative (the ORCID iD mark beside an
    author's iD, drawn with an empty ``alt`` because the link's text says the same)
    is tagged ``Figure`` without ``Alt`` by WeasyPrint, which PDF/UA-1 (7.3-1) refuses:
    it is named for the link (the iD mark "ORCID iD", else the link's address)."""
    for element in pdf.objects:
        if not (
            isinstance(element, pikepdf.Dictionary)
            and element.get("/S") == "/Figure"
            and "/Alt" not in element
            and "/ActualText" not in element
        ):
            continue
        link = element.get("/P")
        if not isinstance(link, pikepdf.Dictionary) or link.get("/S") != "/Link":
            continue
        uri = ""
        for kid in _kids(link):
            target = kid.get("/Obj") if isinstance(kid, pikepdf.Dictionary) else None
            action = target.get("/A") if isinstance(target, pikepdf.Dictionary) else None
            if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
                uri = str(action.URI)
                break
        element.Alt = pikepdf.String("ORCID iD" if "orcid.org/" in uri else uri or "link")


def _list_bodies(pdf: pikepdf.Pdf) -> None:
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return
    stack, seen = [tree], set()
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.objgen in seen:
            continue
        if element.objgen != (0, 0):
            seen.add(element.objgen)
        kids = _kids(element)
        if element.get("/S") == pikepdf.Name.LI:
            _into_lbody(pdf, element, kids)
        stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k)
        if element is tree:
            stack.extend(kids)


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []


def _into_lbody(pdf: pikepdf.Pdf, item: pikepdf.Object, kids: list[pikepdf.Object]) -> None:
    """Each run of an ``LI``'s children other than ``Lbl`` and ``LBody`` into a new
    ``LBody`` in their place."""
    allowed = (pikepdf.Name.Lbl, pikepdf.Name.LBody)
    if all(isinstance(k, pikepdf.Dictionary) and k.get("/S") in allowed for k in kids):
        return
    out: list[pikepdf.Object] = []
    body: pikepdf.Object | None = None
    for kid in kids:
        # Marked content and object references stay: the parent tree names their owner.
        if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid or kid.S in allowed:
            out.append(kid)
            body = None
            continue
        if body is None:
            body = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name.LBody, P=item, K=pikepdf.Array()
                )
            )
            out.append(body)
        body.K.append(kid)
        kid.P = body
    item.K = pikepdf.Array(out)


def _number_tree(node: pikepdf.Object) -> dict[int, tuple[pikepdf.Object, int, pikepdf.Object]]:
    """Each entry of a number tree: its array, the value's place in it, the value."""
    found: dict[int, tuple[pikepdf.Object, int, pikepdf.Object]] = {}
    if "/Nums" in node:
        nums = node.Nums
        for i in range(0, len(nums) - 1, 2):
            found[int(nums[i])] = (nums, i + 1, nums[i + 1])
    for kid in node.get("/Kids", []):
        found.update(_number_tree(kid))
    return found


def _ancestor_link(element: pikepdf.Object) -> pikepdf.Object | None:
    parent = element.get("/P")
    for _ in range(64):  # a structure tree is shallow; a cycle must not hang
        if parent is None or "/S" not in parent:
            return None
        if parent.S == pikepdf.Name.Link:
            return parent
        parent = parent.get("/P")
    return None


def _take_objr(element: pikepdf.Object, annotation: pikepdf.Object) -> pikepdf.Object | None:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for n, kid in enumerate(items):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.OBJR:
            if kid.get("/Obj") is not None and kid.Obj.objgen == annotation.objgen:
                rest = items[:n] + items[n + 1 :]
                element.K = pikepdf.Array(rest)
                return kid
    return None


def _output_intent(pdf: pikepdf.Pdf) -> None:
    if "/OutputIntents" in pdf.Root:
        return
    icc = resources.files("weasyprint.pdf").joinpath("sRGB2014.icc").read_bytes()
    profile = pikepdf.Stream(pdf, icc)
    profile["/N"] = 3
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
        RegistryName=pikepdf.String("http://www.color.org"),
        Info=pikepdf.String("sRGB IEC61966-2.1"),
        DestOutputProfile=pdf.make_indirect(profile),
    )
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])


def _print_annotations(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != pikepdf.Name.Popup:
                annotation.F = 4  # Print


def _no_interpolation(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
            if "/Interpolate" in obj:
                del obj["/Interpolate"]
            mask = obj.get("/SMask")
            if mask is not None and "/Interpolate" in mask:
                del mask["/Interpolate"]


def _attach(pdf: pikepdf.Pdf, attachments: Sequence[Attachment], when: datetime) -> None:
    if not attachments:
        return
    date = pikepdf.String(when.strftime("D:%Y%m%d%H%M%SZ"))
    specs, names = [], []
    for item in attachments:
        stream = pikepdf.Stream(pdf, item.data)
        stream.Type = pikepdf.Name.EmbeddedFile
        stream.Subtype = pikepdf.Name("/" + item.media_type)
        stream.Params = pikepdf.Dictionary(
            Size=len(item.data),
            ModDate=date,
            CheckSum=pikepdf.String(hashlib.md5(item.data).digest()),  # noqa: S324 (PDF's own choice)
        )
        spec = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Filespec,
                F=pikepdf.String(item.name),
                UF=pikepdf.String(item.name),
                Desc=pikepdf.String(item.description),
                AFRelationship=pikepdf.Name("/" + item.relationship),
                EF=pikepdf.Dictionary(F=pdf.make_indirect(stream), UF=pdf.make_indirect(stream)),
            )
        )
        specs.append(spec)
        names += [pikepdf.String(item.name), spec]
    pdf.Root.AF = pikepdf.Array(specs)
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.EmbeddedFiles = pikepdf.Dictionary(Names=pikepdf.Array(names))


def reidentify(pdf: pikepdf.Pdf) -> None:
    """After properties were added to the XMP of a PDF ``archival`` made (the scholarly
    fields, the rights): its identification and extension schemas written again, so
    that every property outside PDF/A's own schemas still has its schema."""
    if "/Metadata" not in pdf.Root:
        return
    root = etree.fromstring(pdf.Root.Metadata.read_bytes())
    rdf = root.find(f"{{{RDF}}}RDF")
    if rdf is None or not any(f"{{{PDFAID}}}part" in d.attrib for d in rdf):
        return  # not made PDF/A here: nothing to keep up to date
    for description in list(rdf):
        if (
            f"{{{PDFAID}}}part" in description.attrib
            or description.find(f"{{{EXTENSION}}}schemas") is not None
        ):
            rdf.remove(description)
    _identify(pdf, root)


def _identify(pdf: pikepdf.Pdf, root: etree._Element | None = None) -> None:
    """``pdfaid`` part 3, conformance A, and an extension schema for each property of a
    namespace PDF/A does not predefine, written into the XMP WeasyPrint made."""
    if root is None:
        root = etree.fromstring(pdf.Root.Metadata.read_bytes())
    rdf = root.find(f"{{{RDF}}}RDF")
    if rdf is None or any(f"{{{PDFAID}}}part" in d.attrib for d in rdf):
        return  # no XMP to extend, or already identified (archival run twice)
    description = etree.SubElement(rdf, f"{{{RDF}}}Description", nsmap={"pdfaid": PDFAID})
    description.set(f"{{{RDF}}}about", "")
    description.set(f"{{{PDFAID}}}part", "3")
    description.set(f"{{{PDFAID}}}conformance", "A")
    extension = _extension_schemas(_foreign_properties(rdf))
    if extension is not None:
        rdf.append(extension)
    data = etree.tostring(root, encoding="utf-8")
    packet = (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        + data
        + b'\n<?xpacket end="w"?>'
    )
    pdf.Root.Metadata = pdf.make_indirect(
        pikepdf.Stream(pdf, packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    )


def _foreign_properties(rdf: etree._Element) -> dict[str, list[str]]:
    """The properties of namespaces outside PDF/A's own, by namespace, in first order."""
    found: dict[str, list[str]] = {}

    def add(qualified: str) -> None:
        namespace, _, name = qualified[1:].partition("}")
        if namespace not in PREDEFINED and name not in found.setdefault(namespace, []):
            found[namespace].append(name)

    for description in rdf.findall(f"{{{RDF}}}Description"):
        for attribute in description.attrib:
            if attribute.startswith("{"):
                add(attribute)
        for child in description:
            if isinstance(child.tag, str) and child.tag.startswith("{"):
                add(child.tag)
    return {ns: names for ns, names in found.items() if names}


def _extension_schemas(properties: dict[str, list[str]]) -> etree._Element | None:
    if not properties:
        return None
    nsmap = {"pdfaExtension": EXTENSION, "pdfaSchema": SCHEMA, "pdfaProperty": PROPERTY}
    description = etree.Element(f"{{{RDF}}}Description", nsmap=nsmap)
    description.set(f"{{{RDF}}}about", "")
    bag = etree.SubElement(
        etree.SubElement(description, f"{{{EXTENSION}}}schemas"), f"{{{RDF}}}Bag"
    )
    for namespace, names in properties.items():
        title, prefix = SCHEMA_NAMES.get(namespace, (namespace, f"ns{len(bag)}"))
        schema = _resource(bag, "li")
        _text(schema, SCHEMA, "schema", title)
        _text(schema, SCHEMA, "namespaceURI", namespace)
        _text(schema, SCHEMA, "prefix", prefix)
        seq = etree.SubElement(etree.SubElement(schema, f"{{{SCHEMA}}}property"), f"{{{RDF}}}Seq")
        for name in names:
            prop = _resource(seq, "li")
            _text(prop, PROPERTY, "name", name)
            _text(
                prop, PROPERTY, "valueType", "Integer" if (namespace, name) in INTEGER else "Text"
            )
            _text(prop, PROPERTY, "category", "internal" if prefix == "pdfuaid" else "external")
            _text(prop, PROPERTY, "description", name)
    return description


def _resource(parent: etree._Element, tag: str) -> etree._Element:
    item = etree.SubElement(parent, f"{{{RDF}}}{tag}")
    item.set(f"{{{RDF}}}parseType", "Resource")
    return item


def _text(parent: etree._Element, namespace: str, tag: str, value: str) -> None:
    etree.SubElement(parent, f"{{{namespace}}}{tag}").text = value
