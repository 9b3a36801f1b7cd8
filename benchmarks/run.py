"""Archive-scale benchmark: publish against plain pandoc, in one run.

    .venv/bin/python benchmarks/run.py            # 100 articles, --jobs = CPUs
    .venv/bin/python benchmarks/run.py --articles 20 --json /tmp/bench.json

Generates the articles and the long manuscript in a temporary folder, measures, prints
a Markdown table with each target of issue 5, and writes every figure as JSON. Run it on
an otherwise idle machine: other work on the CPUs slows both sides, but not equally.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - after the path above
import ours  # noqa: E402
import plain  # noqa: E402


def main() -> int:
    args = _arguments()
    venv_bin = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        work = Path(tmp)
        articles, long_one = corpus.write(work / "source", args.articles)
        results = measure(work, articles, long_one, args.jobs, venv_bin, args.sample)
        results["cluster"] = __import__("cluster").measure(articles, work)  # benchmarks/cluster.py
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_after": os.getloadavg(),
    }
    table = render(results)
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
    }


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
    rows = [
        ("Measure", "Result", "Target", "Met"),
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
            "CPU time per article: publish / plain pandoc",
            f"{full['cpu_seconds_per_article']:.3f} s / {serial['cpu_seconds_per_article']:.3f} s",
            "",
            "",
        ),
        (
            f"throughput on an idle machine, from CPU time: vs serial / vs ×{jobs}",
            f"{cpu_vs_serial:.2f}× / {cpu_vs_par:.2f}×",
            "≥ 5× / ≥ 2.5×",
            _met(cpu_vs_serial >= 5 and cpu_vs_par >= 2.5),
        ),
        ("throughput vs plain pandoc serial", f"{vs_serial:.2f}×", "≥ 5×", _met(vs_serial >= 5)),
        (
            f"throughput vs plain pandoc ×{jobs}",
            f"{vs_par:.2f}×",
            "≥ 2.5×",
            _met(vs_par >= 2.5),
        ),
        (
            f"rebuild, {n} articles unchanged",
            f"{rebuild['seconds']:.2f} s",
            "< 1 s",
            _met(rebuild["seconds"] < 1),
        ),
        (
            "long manuscript (~40,000 words, 120 notes), 3 editions",
            f"{long_run['seconds']:.1f} s",
            "< 10 s",
            _met(long_run["seconds"] < 10),
        ),
        (
            "long manuscript, peak memory (Python process / largest incl. pandoc)",
            f"{long_run['peak_worker_mb']:.0f} MB / {long_run['largest_process_mb']:.0f} MB",
            "< 500 MB",
            _met(max(long_run["peak_worker_mb"], long_run["largest_process_mb"]) < 500),
        ),
        (
            "peak memory per worker (Python / largest incl. pandoc)",
            f"{full['peak_worker_mb']:.0f} MB / {full['largest_process_mb']:.0f} MB",
            "",
            "",
        ),
        (
            "one article: build_one vs sum of its parts",
            f"{one['median_seconds']['build_one']:.3f} s vs "
            f"{one['sum_of_parts_seconds']:.3f} s = {one['overhead_ratio']:.2f}×",
            "≤ 1.3×",
            _met(one["overhead_ratio"] <= 1.3),
        ),
    ]
    stage = one["median_seconds"]
    plain_each = serial["seconds_per_article_by_edition"]
    per_edition = [
        ("Time per article", "publish (warm worker)", "plain pandoc (one process)"),
        ("read: pandoc conversion + checks", f"{stage['read']:.3f} s", "(in each edition)"),
        ("  of which the pandoc run", f"{stage['pandoc']:.3f} s", ""),
        ("HTML edition", f"{stage['html']:.3f} s", f"{plain_each['html']:.3f} s"),
        ("EPUB edition", f"{stage['epub']:.3f} s", f"{plain_each['epub']:.3f} s"),
        ("PDF edition", f"{stage['pdf']:.3f} s", f"{plain_each['pdf']:.3f} s"),
        ("  of which WeasyPrint", f"{stage['weasyprint']:.3f} s", ""),
        ("whole article", f"{stage['build_one']:.3f} s", f"{sum(plain_each.values()):.3f} s"),
    ]
    return _markdown(rows) + "\n\n" + _markdown(per_edition)


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
    parser.add_argument("--articles", type=int, default=100, help="how many (default: 100)")
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
