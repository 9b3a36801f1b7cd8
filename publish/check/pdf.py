"""PDF checks: structure read with pikepdf, ``qpdf --check``, and veraPDF where installed.

The structure checks are the parts of PDF/UA-1 a machine can decide without a
full validator: tagging, language, title, outline, the PDF/UA identifier,
embedded fonts, and running heads and page numbers kept out of the content.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pikepdf

from . import tools
from .pdfartifacts import check_artifacts, pages_label
from .result import CheckResult, finding, not_installed


def structure(pdf_path: Path) -> CheckResult:
    """Run every pikepdf structure check on one PDF."""
    started = time.perf_counter()
    result = CheckResult(pdf_path, "PDF")
    try:
        pdf = pikepdf.open(pdf_path)
    except pikepdf.PdfError as error:
        result.error(f"cannot open the PDF: {error}")
        return result
    with pdf:
        for check in (_tagged, _language, _title, _outline, _pdfua_id, _fonts, check_artifacts):
            check(pdf, result)
    result.seconds = time.perf_counter() - started
    return result


def _tagged(pdf: pikepdf.Pdf, result: CheckResult) -> None:
    mark_info = pdf.Root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        result.error("not tagged: /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in pdf.Root:
        result.error("not tagged: no /StructTreeRoot (no logical structure)")


def _language(pdf: pikepdf.Pdf, result: CheckResult) -> None:
    if not str(pdf.Root.get("/Lang", "")).strip():
        result.error("no document language: /Lang is missing from the catalog")


def _title(pdf: pikepdf.Pdf, result: CheckResult) -> None:
    if not str(pdf.docinfo.get("/Title", "")).strip():
        result.error("no title in the document information dictionary (/Info /Title)")
    if not _xmp(pdf, "dc:title"):
        result.error("no title in the XMP metadata (dc:title)")
    prefs: pikepdf.Object | dict = pdf.Root.get("/ViewerPreferences", {})
    if not bool(prefs.get("/DisplayDocTitle", False)):
        result.error("/ViewerPreferences /DisplayDocTitle is not true (viewers show the file name)")


def _outline(pdf: pikepdf.Pdf, result: CheckResult) -> None:
    with pdf.open_outline() as outline:
        if not outline.root:
            result.error("no outline (bookmarks)")


def _pdfua_id(pdf: pikepdf.Pdf, result: CheckResult) -> None:
    if _xmp(pdf, "pdfuaid:part") != "1":
        result.error("no PDF/UA identifier (XMP pdfuaid:part = 1)")


def _xmp(pdf: pikepdf.Pdf, key: str) -> str:
    try:
        value = pdf.open_metadata().get(key)
    except (ValueError, KeyError, ET.ParseError):
        return ""
    if isinstance(value, dict):  # Language alternatives: any non-empty one will do.
        value = next(iter(value.values()), "")
    return str(value or "").strip()


def _fonts(pdf: pikepdf.Pdf, result: CheckResult) -> None:
    missing: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(pdf.pages, 1):
        for name in _unembedded_fonts(page.obj.get("/Resources", pikepdf.Dictionary()), set()):
            missing[name].append(number)
    for name, pages in missing.items():
        result.error(f"font {name} is not embedded", pages_label(pages))


def _unembedded_fonts(resources: pikepdf.Object, seen: set[tuple[int, int]]) -> set[str]:
    """Names of fonts without an embedded font file, looking inside form XObjects too."""
    names: set[str] = set()
    for font in resources.get("/Font", {}).values():
        if font.get("/Subtype") == "/Type3":  # Glyphs are drawn by the PDF itself.
            continue
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor: pikepdf.Object | dict = described.get("/FontDescriptor", {})
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            names.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    for xobject in resources.get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            names |= _unembedded_fonts(xobject.get("/Resources", pikepdf.Dictionary()), seen)
    return names


def qpdf(pdf_path: Path) -> CheckResult:
    """``qpdf --check``: the file's syntax and cross-reference table are sound."""
    binary = tools.which("qpdf")
    if binary is None:
        return not_installed(pdf_path, "qpdf", "qpdf", tools.INSTALL_QPDF)
    started = time.perf_counter()
    result = CheckResult(pdf_path, "qpdf")
    run = tools.run([binary, "--check", str(pdf_path)])
    # Exit status 0: clean; 3: warnings; 2: errors.
    if run.returncode != 0:
        severity = "warning" if run.returncode == 3 else "error"
        lines = [ln for ln in (run.stderr + run.stdout).splitlines() if ln.strip()]
        problems = [ln for ln in lines if "error" in ln.lower() or "warning" in ln.lower()]
        for line in problems or lines[-3:]:
            result.findings.append(finding(severity, line.replace(f"{pdf_path}: ", "")))
    result.seconds = time.perf_counter() - started
    return result


def verapdf(pdf_path: Path) -> CheckResult | None:
    """veraPDF's PDF/UA-1 profile, when a ``verapdf`` binary is on PATH; otherwise None.

    No registry this project reaches ships veraPDF, so it is optional, unlike
    every other validator here; where it is installed it runs and can fail.
    """
    binary = tools.which("verapdf")
    if binary is None:
        return None
    started = time.perf_counter()
    result = CheckResult(pdf_path, "veraPDF")
    command = [binary, "--flavour", "ua1", "--format", "mrr", str(pdf_path)]
    run = tools.run(command)
    try:
        root = ET.fromstring(run.stdout)
    except ET.ParseError:
        result.error(f"veraPDF did not run: {run.stderr.strip()[-300:]}")
        return result
    for rule in root.iter("rule"):
        if rule.get("status") == "failed":
            clause = f"{rule.get('specification', '')} {rule.get('clause', '')}".strip()
            description = (rule.findtext("description") or "").strip()
            checks = rule.get("failedChecks", "?")
            result.error(f"{clause}-{rule.get('testNumber', '')}: {description} ({checks}×)")
    result.seconds = time.perf_counter() - started
    return result
