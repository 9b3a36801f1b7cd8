"""Archive-scale benchmark: publish against plain pandoc, in one run.

    .venv/bin/python benchmarks/run.py            # 20 and 100 articles, --jobs = CPUs
    .venv/bin/python benchmarks/run.py --articles 20 --paragraphs 300 --rebuilds 20

Generates the articles and the long manuscripts in a temporary folder, measures, prints
a Markdown table with each target of issue 24 (then issue 13's details), and writes
every figure as JSON. Run it on an otherwise idle machine: other work on the CPUs slows
both sides, but not equally; the CPU-time figures and the ratios measured side by side
are the ones least disturbed by it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - after the path above
import notes  # noqa: E402
import ours  # noqa: E402
import plain  # noqa: E402
import serve  # noqa: E402


def main() -> int:
    args = _arguments()
    venv_bin = Path(sys.executable).parent
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        work = Path(tmp)
        sizes = sorted(args.articles)
        articles, long_one = corpus.write(work / "source", sizes[-1])
        results = measure(work, articles, long_one, args.jobs, venv_bin, args.sample)
        results["sizes"] = sizes_measured(work, articles, sizes[:-1], args.jobs, venv_bin)
        _say(f"seconds per page: {args.paragraphs} paragraphs, with and without notes")
        results["pages"] = pages(work, args.paragraphs)
        _say(f"publish serve: {args.rebuilds} rebuilds of the sample")
        results["serve"] = serve.measure(work, args.rebuilds)
        if args.cluster:
            # benchmarks/cluster.py
            results["cluster"] = __import__("cluster").measure(articles, work)
    results["machine"] = {
        "load_average_before": load_before,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_after": os.getloadavg(),
    }
    table = targets(results) + "\n\n" + render(results)
    print(table)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


def measure(
    work: Path, articles: list[Path], long_one: Path, jobs: int, venv_bin: Path, sample: int
) -> dict[str, object]:
    out = work / "build"
    say = _say
    say(f"publish: full build of {len(articles)} articles, --jobs {jobs}")
    full = ours.publish_build(articles, out, "--jobs", str(jobs))
    say("publish: rebuild with nothing changed")
    rebuild = ours.publish_build(articles, out, "--jobs", str(jobs))
    assert rebuild["built"] == 0, rebuild
    say("publish: the long manuscript")
    long_run = ours.publish_build([long_one], work / "long-build")
    say(f"publish: one article at a time, warm, {sample} articles")
    one = ours.parts(articles[:sample], work / "parts")
    say("notes on the page of their call: sample, dense-note documents, long manuscript")
    long_pdf = work / "long-build" / long_one.stem / f"{long_one.stem}.pdf"
    placement = notes.placement(work, long_pdf, jobs)
    say("plain pandoc: serially")
    serial = plain.build(articles, work / "plain-1", 1, venv_bin)
    say(f"plain pandoc: {jobs} processes")
    parallel = plain.build(articles, work / f"plain-{jobs}", jobs, venv_bin)
    full["articles"] = len(articles)
    full["jobs"] = jobs
    full["articles_per_second"] = len(articles) / full["seconds"]
    for run in (full, serial, parallel):
        run["cpu_seconds_per_article"] = run["cpu_seconds"] / len(articles)
    return {
        "publish_full": full,
        "publish_rebuild": rebuild,
        "publish_long": long_run,
        "publish_one_article": one,
        "pandoc_serial": serial,
        "pandoc_parallel": parallel,
        "notes_on_their_call_page": placement,
    }


def sizes_measured(
    work: Path, articles: list[Path], sizes: list[int], jobs: int, venv_bin: Path
) -> dict[str, dict[str, object]]:
    """For each smaller archive: publish's full build against plain pandoc serially."""
    found = {}
    for size in sizes:
        _say(f"publish and plain pandoc serially: {size} articles")
        some = articles[:size]
        full = ours.publish_build(some, work / f"build-{size}", "--jobs", str(jobs))
        serial = plain.build(some, work / f"plain-1-{size}", 1, venv_bin)
        full["articles_per_second"] = size / full["seconds"]
        found[str(size)] = {"publish_full": full, "pandoc_serial": serial}
    return found


def pages(work: Path, paragraphs: int) -> dict[str, object]:
    """benchmarks/pages.py in a process of its own."""
    done = subprocess.run(
        [sys.executable, str(HERE / "pages.py"), str(paragraphs)],
        cwd=HERE.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def targets(r: dict) -> str:
    """Issue 24's table: each row from this run."""
    full, serial = r["publish_full"], r["pandoc_serial"]
    n = full["articles"]
    runs = {**{k: v for k, v in r["sizes"].items()}, str(n): r}
    ratios = {
        k: v["publish_full"]["articles_per_second"] / v["pandoc_serial"]["articles_per_second"]
        for k, v in runs.items()
    }
    sizes = sorted(ratios, key=int)
    cpu = full["cpu_seconds_per_article"]
    page, notes_ratio = r["pages"]["per_page_ratio"], r["pages"]["notes_ratio"]
    ours_p, plain_p = r["pages"]["publish"], r["pages"]["plain_weasyprint"]
    noted = r["pages"]["publish_notes"]
    long_run, rebuild, srv = r["publish_long"], r["publish_rebuild"], r["serve"]
    rows = [
        ("Measure (issue 24)", "Result", "Target", "Met"),
        (
            f"{' and '.join(sizes)} articles × 3 editions, --jobs {full['jobs']}, "
            "against plain pandoc serial",
            " / ".join(f"{ratios[k]:.2f}×" for k in sizes),
            "≥ 8×",
            _met(all(v >= 8 for v in ratios.values())),
        ),
        (
            f"CPU per article, three editions ({n} articles)",
            f"{cpu:.3f} s (plain pandoc {serial['cpu_seconds_per_article']:.3f} s)",
            "≤ 0.30 s",
            _met(cpu <= 0.30),
        ),
        (
            f"seconds per page, {r['pages']['paragraphs']} paragraphs without notes, "
            "against plain WeasyPrint on pandoc's HTML (CPU)",
            f"{page:.2f}× ({ours_p['cpu_seconds'] / ours_p['pages']:.3f} s × "
            f"{ours_p['pages']} pages / {plain_p['cpu_seconds'] / plain_p['pages']:.3f} s × "
            f"{plain_p['pages']})",
            "≤ 1.2×",
            _met(page <= 1.2),
        ),
        (
            f"the same with {noted['notes']} notes, against it without (CPU)",
            f"{notes_ratio:.2f}× ({noted['cpu_seconds']:.1f} s, {noted['pages']} pages / "
            f"{ours_p['cpu_seconds']:.1f} s)",
            "≤ 1.3×",
            _met(notes_ratio <= 1.3),
        ),
        (
            "43,000 words, 300 notes, 3 editions",
            f"{long_run['seconds']:.1f} s ({long_run['cpu_seconds']:.1f} s CPU)",
            "≤ 6 s",
            _met(long_run["seconds"] <= 6),
        ),
        (
            f"rebuild with nothing changed, {n} articles",
            f"{rebuild['seconds']:.2f} s ({rebuild['cpu_seconds']:.2f} s CPU)",
            "≤ 0.3 s",
            _met(rebuild["seconds"] <= 0.3),
        ),
        (
            f"`publish serve` memory after {srv['rebuilds']} rebuilds of the sample",
            f"{srv['growth_mb']:+.1f} MB ({srv['first_mb']:.0f} → {srv['last_mb']:.0f} MB, "
            f"{srv['growth_mb'] / max(1, srv['rebuilds'] - 1):+.2f} MB a rebuild)",
            "within 10 MB of the first after 200",
            # Fewer rebuilds than the target's cannot meet it: the growth goes on.
            _met(srv["rebuilds"] >= 200 and abs(srv["growth_mb"]) <= 10),
        ),
    ]
    return _markdown(rows)


def render(r: dict) -> str:
    full, serial, par = r["publish_full"], r["pandoc_serial"], r["pandoc_parallel"]
    rebuild, long_run, one = r["publish_rebuild"], r["publish_long"], r["publish_one_article"]
    n, jobs = full["articles"], full["jobs"]
    vs_serial = full["articles_per_second"] / serial["articles_per_second"]
    vs_par = full["articles_per_second"] / par["articles_per_second"]
    # What the throughput would be with every CPU free for the build: CPUs kept busy
    # (jobs at most) over the CPU time one article costs.
    cpus = min(jobs, r["machine"]["cpus"])
    cpu_ours = full["cpu_seconds_per_article"]
    cpu_vs_serial = (cpus / cpu_ours) / (1 / serial["cpu_seconds_per_article"])
    cpu_vs_par = (cpus / cpu_ours) / (cpus / par["cpu_seconds_per_article"])
    long_mb = max(long_run["peak_worker_mb"] or 0, long_run["largest_process_mb"])
    rows = [
        ("Measure (issue 13)", "Result", "Target", "Met"),
        (
            f"publish, {n} articles × 3 editions, --jobs {jobs}",
            f"{full['seconds']:.1f} s, {full['articles_per_second']:.2f} articles/s",
            "",
            "",
        ),
        (
            "plain pandoc, serial (one process per edition)",
            f"{serial['seconds']:.1f} s, {serial['articles_per_second']:.2f} articles/s",
            "",
            "",
        ),
        (
            f"plain pandoc, {jobs} processes at a time",
            f"{par['seconds']:.1f} s, {par['articles_per_second']:.2f} articles/s",
            "",
            "",
        ),
        (
            "throughput vs plain pandoc serial, same run",
            f"{vs_serial:.2f}×",
            "≥ 5×",
            _met(vs_serial >= 5),
        ),
        (f"throughput vs plain pandoc ×{jobs}, same run", f"{vs_par:.2f}×", "", ""),
        (
            f"the same from CPU time (all {cpus} CPUs free): vs serial / vs ×{jobs}",
            f"{cpu_vs_serial:.2f}× / {cpu_vs_par:.2f}×",
            "≥ 5× vs serial",
            _met(cpu_vs_serial >= 5),
        ),
        (
            "CPU time per article, 3 editions: publish / plain pandoc",
            f"{cpu_ours:.3f} s / {serial['cpu_seconds_per_article']:.3f} s",
            "≤ 0.5 s",
            _met(cpu_ours <= 0.5),
        ),
    ]
    for name, found in r["notes_on_their_call_page"].items():
        rows.append(
            (
                f"notes on their call's page, {name}",
                f"{found['placed']}/{found['total']}",
                "all",
                _met(found["placed"] == found["total"]),
            )
        )
    rows += [
        (
            "long manuscript (~43,000 words, 300 notes), 3 editions",
            f"{long_run['seconds']:.1f} s ({long_run['cpu_seconds']:.1f} s CPU)",
            "≤ 8 s",
            _met(long_run["seconds"] <= 8),
        ),
        (
            "long manuscript, peak memory (Python process / largest incl. pandoc)",
            f"{long_run['peak_worker_mb']:.0f} MB / {long_run['largest_process_mb']:.0f} MB",
            "< 400 MB",
            _met(long_mb < 400),
        ),
        (
            f"rebuild, {n} articles unchanged",
            f"{rebuild['seconds']:.2f} s ({rebuild['cpu_seconds']:.2f} s CPU)",
            "< 0.5 s",
            _met(rebuild["seconds"] < 0.5),
        ),
        (
            "peak memory per worker (Python / largest incl. pandoc)",
            f"{full['peak_worker_mb']:.0f} MB / {full['largest_process_mb']:.0f} MB",
            "",
            "",
        ),
    ]
    stage = one["median_cpu_seconds"]
    wall = one["median_seconds"]
    plain_each = serial["seconds_per_article_by_edition"]
    per_edition = [
        ("Per article (median)", "publish, CPU", "publish, wall", "plain pandoc, wall"),
        ("read: pandoc conversion + checks", *_two(stage, wall, "read"), "(in each edition)"),
        ("  of which the pandoc run", *_two(stage, wall, "pandoc"), ""),
        ("HTML edition", *_two(stage, wall, "html"), f"{plain_each['html']:.3f} s"),
        ("EPUB edition", *_two(stage, wall, "epub"), f"{plain_each['epub']:.3f} s"),
        ("PDF edition", *_two(stage, wall, "pdf"), f"{plain_each['pdf']:.3f} s"),
        ("  of which WeasyPrint", *_two(stage, wall, "weasyprint"), ""),
        (
            "whole article (build_one)",
            *_two(stage, wall, "build_one"),
            f"{sum(plain_each.values()):.3f} s",
        ),
    ]
    load = r["machine"]
    busy = (
        f"Load average (1 min) before / after: {load['load_average_before'][0]:.1f} / "
        f"{load['load_average_after'][0]:.1f} on {load['cpus']} CPUs."
    )
    return _markdown(rows) + "\n\n" + _markdown(per_edition) + "\n\n" + busy


def _two(cpu: dict[str, float], wall: dict[str, float], stage: str) -> tuple[str, str]:
    return f"{cpu[stage]:.3f} s", f"{wall[stage]:.3f} s"


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _markdown(rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles",
        type=int,
        nargs="+",
        default=[20, 100],
        help="archive sizes, the largest measured in detail (default: 20 100)",
    )
    parser.add_argument(
        "--paragraphs",
        type=int,
        default=1500,
        help="paragraphs (and notes) of the long text timed per page (default: 1500)",
    )
    parser.add_argument(
        "--rebuilds",
        type=int,
        default=200,
        help="rebuilds of the sample by the preview's building side (default: 200)",
    )
    parser.add_argument(
        "--no-cluster",
        dest="cluster",
        action="store_false",
        help="skip benchmarks/cluster.py (it starts a local Dask cluster)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=len(os.sched_getaffinity(0)),
        help="publish --jobs, and plain pandoc's parallel processes (default: CPUs)",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=10,
        help="articles timed one by one for the per-edition figures (default: 10)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=HERE / "results.json",
        help="where to write the figures (default: benchmarks/results.json)",
    )
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
