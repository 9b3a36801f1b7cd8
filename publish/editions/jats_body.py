"""The JATS ``<body>``: pandoc's block HTML as sections, paragraphs, lists, figures,
tables, equations, code and quotations."""

from __future__ import annotations

from lxml import etree

from .jats_inline import (
    MML,
    Context,
    E,
    add_text,
    classes,
    html_tree,
    image,
    inline,
    inline_into,
    local,
    ncname,
)

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LISTS = {"ul": "bullet", "ol": "order"}
TABLE_PARTS = {"thead", "tbody", "tfoot", "tr", "colgroup", "col"}
CELLS = {"th", "td"}
BLOCKS = {
    "p", "div", "section", "figure", "table", "ul", "ol", "dl", "blockquote", "pre",
    "hr", "aside", "details", "header", "footer", "nav", "article", "main",
    *HEADINGS,
}  # fmt: skip


def body(html: str, ctx: Context) -> etree._Element:
    """The body's blocks, each heading opening a ``<sec>`` at its level."""
    out = E("body")
    stack: list[tuple[int, etree._Element]] = [(0, out)]
    root = html_tree(html)
    for node in _nodes(root):
        if isinstance(node, etree._Element) and local(node) in HEADINGS:
            level = HEADINGS[local(node)]
            while stack[-1][0] >= level:
                stack.pop()
            section = heading_section(node, ctx)
            stack[-1][1].append(section)
            stack.append((level, section))
        else:
            stack[-1][1].extend(blocks_of([node], ctx))
    _drop_empty_last_section(out)
    return out


def _drop_empty_last_section(body: etree._Element) -> None:
    """A last heading with nothing under it ("# References" written above the
    bibliography, which goes to the back as the ``ref-list``) is no section."""
    while (
        len(body) and body[-1].tag == "sec" and all(c.tag in ("label", "title") for c in body[-1])
    ):
        body.remove(body[-1])


def _nodes(root: etree._Element) -> list[etree._Element | str]:
    """The fragment's top-level nodes in order: text between blocks as strings; the
    bibliography left out (it becomes the back's ``ref-list``)."""
    nodes: list[etree._Element | str] = []
    if root.text and root.text.strip():
        nodes.append(root.text)
    for child in root:
        if isinstance(child.tag, str) and "bibliography" not in classes(child):
            nodes.append(child)
        if child.tail and child.tail.strip():
            nodes.append(child.tail)
    return nodes


def heading_section(heading: etree._Element, ctx: Context) -> etree._Element:
    section = E("sec")
    if heading.get("id"):
        section.set("id", ncname(heading.get("id", "")))
    number = next((c for c in heading if "section-number" in classes(c)), None)
    if number is not None:
        section.append(E("label", "".join(number.itertext()).strip()))
        _remove_keeping_tail(number)
    title = E("title")
    inline_into(title, heading, ctx)
    title.text = (title.text or "").lstrip()
    section.append(title)
    return section


def _remove_keeping_tail(element: etree._Element) -> None:
    """Take ``element`` out, leaving the text that followed it where it was."""
    parent, previous, tail = element.getparent(), element.getprevious(), element.tail or ""
    if parent is None:
        return
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def blocks_from_html(html: str, ctx: Context | None = None) -> list[etree._Element]:
    root = html_tree(html)
    return blocks_of(_nodes(root), ctx or Context())


def blocks_of(nodes: list[etree._Element | str], ctx: Context) -> list[etree._Element]:
    """Block elements for ``nodes``; runs of text and inline elements become paragraphs."""
    out: list[etree._Element] = []
    loose: etree._Element | None = None
    for node in nodes:
        if isinstance(node, str) or local(node) not in BLOCKS:
            if loose is None:
                loose = E("p")
                out.append(loose)
            if isinstance(node, str):
                add_text(loose, node)
            else:
                wrapper = E("x")
                wrapper.append(_copy(node))
                inline_into(loose, wrapper, ctx)
            continue
        loose = None
        out.extend(block(node, ctx))
    return [p for p in out if not _empty_paragraph(p)]


def _copy(node: etree._Element) -> etree._Element:
    copy = etree.fromstring(etree.tostring(node, with_tail=False))
    copy.tail = None
    return copy


def _empty_paragraph(element: etree._Element) -> bool:
    return element.tag == "p" and not len(element) and not (element.text or "").strip()


def children(element: etree._Element) -> list[etree._Element | str]:
    nodes: list[etree._Element | str] = []
    if element.text and element.text.strip():
        nodes.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            nodes.append(child)
        if child.tail and child.tail.strip():
            nodes.append(child.tail)
    return nodes


def block(element: etree._Element, ctx: Context) -> list[etree._Element]:
    name, cls = local(element), classes(element)
    if element.tag == f"{{{MML}}}math":
        converted = inline(element, ctx)
        return [converted] if converted is not None else []
    if name == "p":
        paragraph = E("p")
        inline_into(paragraph, element, ctx)
        if _only_formula(paragraph):  # a displayed equation alone: no paragraph around it
            return [paragraph[0]]
        return [paragraph]
    if name in LISTS:
        return [listing(element, ctx)]
    if name == "dl":
        return [definitions(element, ctx)]
    if name == "blockquote":
        return [E("disp-quote", *blocks_of(children(element), ctx))]
    if name == "pre" or (name == "div" and "sourceCode" in cls):
        return [code(element)]
    if name == "figure":
        return [figure(element, ctx)]
    if name == "table":
        return [table_wrap(element, ctx)]
    if name == "hr":
        return []
    if name in HEADINGS:  # a heading inside a block (a div): a bold paragraph
        return [E("p", E("bold", *_inline_children(element, ctx)))]
    if name in ("div", "aside", "section") and element.get("id"):
        boxed = E("boxed-text", id=ncname(element.get("id", "")))
        boxed.extend(blocks_of(children(element), ctx) or [E("p")])
        return [boxed]
    return blocks_of(children(element), ctx)


def _only_formula(paragraph: etree._Element) -> bool:
    return (
        len(paragraph) == 1
        and paragraph[0].tag == "disp-formula"
        and not (paragraph.text or "").strip()
        and not (paragraph[0].tail or "").strip()
    )


def _inline_children(element: etree._Element, ctx: Context) -> list[etree._Element | str]:
    holder = E("x")
    inline_into(holder, element, ctx)
    return [holder.text or "", *holder]


def listing(element: etree._Element, ctx: Context) -> etree._Element:
    out = E("list", **{"list-type": LISTS[local(element)]})
    for item in element:
        if local(item) == "li":
            out.append(E("list-item", *(blocks_of(children(item), ctx) or [E("p")])))
    return out


def definitions(element: etree._Element, ctx: Context) -> etree._Element:
    out = E("def-list")
    item: etree._Element | None = None
    for child in element:
        if local(child) == "dt":
            item = E("def-item", E("term", *_inline_children(child, ctx)))
            out.append(item)
        elif local(child) == "dd" and item is not None:
            item.append(E("def", *paragraphs_only(blocks_of(children(child), ctx))))
    return out


def paragraphs_only(blocks: list[etree._Element]) -> list[etree._Element]:
    """``blocks`` for a place that holds paragraphs only (a note, a definition): a list,
    table or code block goes inside a paragraph, which may hold it."""
    return [b if b.tag == "p" else E("p", b) for b in blocks] or [E("p")]


def code(element: etree._Element) -> etree._Element:
    pre = (
        element
        if local(element) == "pre"
        else next(element.iter(f"{{{element.nsmap.get(None, '')}}}pre"), element)
    )
    out = E("code", "".join(pre.itertext()))
    language = next((c for c in classes(pre) if c not in ("sourceCode", "numberSource")), None)
    if language:
        out.set("language", language)
    return out


def _caption(element: etree._Element | None, ctx: Context) -> list[etree._Element]:
    """``<label>`` from the caption's "Figure 1." and ``<caption>`` from the rest."""
    if element is None:
        return []
    out: list[etree._Element] = []
    label = next((c for c in element.iter() if "caption-label" in classes(c)), None)
    if label is not None:
        out.append(E("label", "".join(label.itertext()).strip().rstrip(".:")))
        _remove_keeping_tail(label)
    blocks = [b for b in blocks_of(children(element), ctx) if b.tag == "p"]
    if blocks:
        blocks[0].text = (blocks[0].text or "").lstrip()
        out.append(E("caption", *blocks))
    return out


def figure(element: etree._Element, ctx: Context) -> etree._Element:
    caption = next((c for c in element if local(c) == "figcaption"), None)
    table = next((c for c in element if local(c) == "table"), None)
    if table is not None:  # a table that pandoc set in a figure
        return table_wrap(table, ctx, element.get("id"), caption)
    out = E("fig")
    if element.get("id"):
        out.set("id", ncname(element.get("id", "")))
    out.extend(_caption(caption, ctx))
    for img in element.iter(f"{{{element.nsmap.get(None, '')}}}img"):
        out.append(image(img, ctx, "graphic"))
    return out


def table_wrap(
    table: etree._Element,
    ctx: Context,
    ident: str | None = None,
    caption: etree._Element | None = None,
) -> etree._Element:
    out = E("table-wrap")
    ident = ident or table.get("id")
    if ident:
        out.set("id", ncname(ident))
    if caption is None:
        caption = next((c for c in table if local(c) == "caption"), None)
    out.extend(_caption(caption, ctx))
    out.append(_table(table, ctx))
    return out


def _table(source: etree._Element, ctx: Context) -> etree._Element:
    out = E(local(source))
    for name in ("colspan", "rowspan", "span"):
        if source.get(name):
            out.set(name, source.get(name, ""))
    align = _align(source.get("style") or "") or source.get("align")
    if align and local(source) in CELLS | {"tr", "col"}:
        out.set("align", align)
    for child in source:
        name = local(child)
        if name in TABLE_PARTS | CELLS:
            out.append(_cell(child, ctx) if name in CELLS else _table(child, ctx))
    return out


def _cell(cell: etree._Element, ctx: Context) -> etree._Element:
    out = _table(cell, ctx)
    if any(isinstance(c.tag, str) and local(c) in BLOCKS for c in cell):
        out.extend(blocks_of(children(cell), ctx))
    else:
        inline_into(out, cell, ctx)
    return out


def _align(style: str) -> str | None:
    for declaration in style.split(";"):
        prop, _, value = declaration.partition(":")
        if prop.strip() == "text-align" and value.strip() in ("left", "right", "center", "justify"):
            return value.strip()
    return None
