"""Scholarly identifiers as people write them, reduced to the one form each registry
defines and checked with the registry's own check digit: DOI, ORCID iD, ISSN."""

from __future__ import annotations

import re
from urllib.parse import unquote

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
ORCID_RE = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")
ISSN_RE = re.compile(r"^(\d{4})-?(\d{3}[\dX])$")


class IdentifierError(ValueError):
    """The value is not a well-formed identifier; the message says what was expected."""


def doi(value: str) -> str:
    """A DOI bare (``10.5555/x``), as ``doi:10.5555/x`` or as a doi.org address, stored
    bare: the form Crossref's display guidelines turn back into ``https://doi.org/...``."""
    text = value.strip()
    lowered = text.lower()
    for prefix in (*DOI_PREFIXES, "doi:"):
        if lowered.startswith(prefix):
            text = unquote(text[len(prefix) :]).strip()
            break
    if not DOI_RE.match(text) or any(c in text for c in "<>\"'"):
        raise IdentifierError(
            f"'{value}' is not a DOI: write it as 10.xxxx/suffix or https://doi.org/10.xxxx/suffix"
        )
    return text


def looks_like_doi(text: str) -> bool:
    """Whether ``text`` is written as a DOI (bare, ``doi:`` or a doi.org address), and so
    is to be read as one rather than as a name or an address."""
    return text.strip().lower().startswith(("10.", "doi:", *DOI_PREFIXES))


def doi_url(bare: str) -> str:
    return "https://doi.org/" + bare


def orcid(value: str) -> str:
    """An ORCID iD bare or as its orcid.org address (the form ORCID asks people to
    display), as ``0000-0002-1825-0097`` after its ISO 7064 11,2 check digit passes."""
    text = value.strip()
    for prefix in ORCID_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :].rstrip("/")
            break
    match = ORCID_RE.match(text.upper())
    if not match:
        raise IdentifierError(
            f"'{value}' is not an ORCID iD such as https://orcid.org/0000-0002-1825-0097"
        )
    digits = "".join(match.groups())
    if _mod11_2(digits[:-1]) != digits[-1]:
        raise IdentifierError(
            f"'{value}' is not a valid ORCID iD: its check digit does not match; "
            "copy it again from the author's ORCID record"
        )
    return "-".join(match.groups())


def orcid_url(bare: str) -> str:
    return "https://orcid.org/" + bare


def issn(value: str) -> str:
    """An ISSN as ``NNNN-NNNC``, after its modulo-11 check digit passes (ISO 3297)."""
    text = str(value).strip().upper()
    if text.startswith("ISSN"):
        text = text[4:].strip()
    match = ISSN_RE.match(text)
    if not match:
        raise IdentifierError(f"'{value}' is not an ISSN such as 2049-3630")
    digits = "".join(match.groups())
    total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if ("X" if check == 10 else str(check)) != digits[7]:
        raise IdentifierError(
            f"'{value}' is not a valid ISSN: its check digit does not match; "
            "copy it again from the ISSN Portal"
        )
    return f"{match.group(1)}-{match.group(2)}"


def _mod11_2(base: str) -> str:
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)
