"""Image addresses as static-site generators write them, made file paths.

A Jekyll or Hugo article names its pictures through the site's variables:
``{{site.url}}/assets/img/x.png``, ``{{ site.baseurl }}/x.png``,
``{{ "/x.png" | relative_url }}``. A build has no site, only folders: such an address is
read as a path from the site's root, which must be one of the ``--resource-path``
folders (boundary.inside looks for ``/x.png`` there and nowhere else).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

# Variables that stand for the site's own address (nothing of the path after them).
_SITE_VARIABLE = r"\{\{\s*site\.(?:url|baseurl)\s*\}\}"
_PREFIX_RE = re.compile(rf"^(?:{_SITE_VARIABLE})+")
# Liquid's URL filters, with the path given as a quoted string.
_FILTER_RE = re.compile(
    r"""^\{\{\s*(["'])(?P<path>[^"'{}]*)\1\s*\|\s*(?:relative_url|absolute_url)\s*\}\}$"""
)


def written(src: str) -> str:
    """The address as the author wrote it: pandoc percent-encodes braces and spaces
    (``%7B%7Bsite.url%7D%7D``); messages and line searches need the original. An
    address that decodes to a control character (``a%00b.png``) is shown encoded."""
    decoded = unquote(src)
    if any(unicodedata.category(c).startswith("C") for c in decoded):
        return src
    return decoded


def site_path(src: str) -> str | None:
    """``/path`` from the site's root when ``src`` starts with a site variable or is a
    URL filter; None for any other address."""
    text = written(src).strip()
    match = _FILTER_RE.match(text)
    if match:
        return "/" + match.group("path").lstrip("/")
    prefix = _PREFIX_RE.match(text)
    if prefix:
        return "/" + text[prefix.end() :].lstrip("/")
    return None


def in_image_address(line: str, tag: str) -> bool:
    """Whether the template tag ``tag`` of ``line`` starts an image's address as a
    site variable (``![x]({{site.url}}/x.png)``): read as a path, not kept as text, so
    the warning diagnose.py gives for other tags does not apply."""
    if not (site_path(tag) or site_path(tag + "/x")):
        return False
    at = line.find(tag)
    # the first few occurrences only: a line of 4,000 copies of one tag stays linear
    for _ in range(8):
        if at < 0:
            break
        if line[max(0, at - 3) : at].rstrip("<").endswith("]("):
            return True
        at = line.find(tag, at + 1)
    return False
