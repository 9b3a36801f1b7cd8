"""The cost of building on a Dask cluster: N articles on a local two-worker cluster
(a scheduler and two one-thread worker processes on 127.0.0.1, started with the ``dask``
command) against ``publish build --jobs 2`` on the same machine.

    .venv/bin/python benchmarks/cluster.py                # 100 articles
    .venv/bin/python benchmarks/cluster.py --articles 30
    .venv/bin/python benchmarks/cluster.py --articles 30 --issues 4   # and 4 issues

``run.py`` calls ``measure`` too, and keeps its figures under ``cluster`` in its JSON.
With ``--issues K``, K copies of the test issue (three articles each, one task per
issue) are built in the same run. The overhead is the ratio of wall times: what sending
each manuscript and its files, and the editions back, costs against forked local
workers. A cluster stays up between builds, so its start is not counted; the first build
on fresh workers (which import WeasyPrint on their first manuscript) and a second one on
warm workers are both shown.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - after the path above
import ours  # noqa: E402

DASK = Path(sys.executable).parent / "dask"


def measure(
    articles: list[Path],
    work: Path,
    jobs: int = 2,
    issues: Sequence[Path] = (),
) -> dict[str, object]:
    """Wall and CPU time of a local ``--jobs`` build (before and after) and of two
    cluster builds; CPU time (the client's plus the workers' with their pandoc runs)
    is the fairer figure on a machine shared with other work. ``issues`` are issue
    folders built in the same runs."""
    in_issues = sum(len(list(folder.glob("*.md"))) for folder in issues)
    _say(f"cluster: {len(articles)} articles, {len(issues)} issues, --jobs {jobs} on this machine")
    articles = [*articles, *issues]
    local = [ours.publish_build(articles, work / "cluster-local", "--jobs", str(jobs), "--force")]
    runs = []
    with _cluster(work / "cluster-logs", jobs) as address:
        for state in ("fresh", "warm"):
            _say(f"cluster: the same on {jobs} {state} Dask workers")
            before = _workers_cpu(address)
            run = ours.publish_build(
                articles, work / "cluster-out", "--scheduler", address, "--force"
            )
            run["workers_cpu_seconds"] = _workers_cpu(address) - before
            runs.append(run)
    _say(f"cluster: --jobs {jobs} again")
    local.append(
        ours.publish_build(articles, work / "cluster-local", "--jobs", str(jobs), "--force")
    )
    same = _editions(work / "cluster-local") == _editions(work / "cluster-out")
    n = len(articles) - len(issues) + in_issues
    fastest = min(local, key=lambda r: r["seconds"])
    cold, warm = runs
    cpu_local = min(r["cpu_seconds"] for r in local) / n
    cpu_warm = (warm["cpu_seconds"] + warm["workers_cpu_seconds"]) / n
    return {
        "articles": n,
        "issues": len(issues),
        "workers": jobs,
        "local_seconds": [r["seconds"] for r in local],
        "cluster_cold_seconds": cold["seconds"],
        "cluster_warm_seconds": warm["seconds"],
        "overhead_cold": cold["seconds"] / fastest["seconds"],
        "overhead_warm": warm["seconds"] / fastest["seconds"],
        "local_cpu_seconds_per_article": cpu_local,
        "cluster_cpu_seconds_per_article": cpu_warm,
        "overhead_cpu": cpu_warm / cpu_local,
        "client_cpu_seconds_per_article": warm["cpu_seconds"] / n,
        "byte_identical": same,
        "load_average_after": os.getloadavg(),
    }


def write_issues(folder: Path, count: int) -> list[Path]:
    """``count`` copies of the test issue, their articles renamed apart (an article's
    editions are named after it, in one build folder for all)."""
    original = HERE.parent / "tests" / "issues" / "terrorism-monitor-3-2"
    found = []
    for n in range(1, count + 1):
        issue = folder / f"issue-{n}"
        issue.mkdir(parents=True)
        listing = (original / "issue.yaml").read_text(encoding="utf-8")
        for path in original.iterdir():
            name = f"{path.stem}-{n}.md" if path.suffix == ".md" else path.name
            listing = listing.replace(f" {path.name}\n", f" {name}\n")
            if path.name != "issue.yaml":
                (issue / name).write_bytes(path.read_bytes())
        (issue / "issue.yaml").write_text(
            listing.replace("issue: 2", f"issue: {n}"), encoding="utf-8"
        )
        found.append(issue)
    return found


def _workers_cpu(address: str) -> float:
    """CPU seconds the cluster's worker processes (and the pandoc runs they waited for)
    have used so far."""
    import cloudpickle
    from distributed import Client

    # The workers cannot import this file: send them ``_cpu`` itself.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with Client(address, timeout=10, set_as_default=False) as client:
        return sum(client.run(_cpu).values())


def _cpu() -> float:  # runs on each worker
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def render(r: dict) -> str:
    n, w = r["articles"], r["workers"]
    what = f"{n} articles"
    if r.get("issues"):
        what += f" ({r['issues']} issues among them, one task each)"
    local = " / ".join(f"{s:.1f} s" for s in r["local_seconds"])
    rows = [
        ("Measure", "Result"),
        (f"publish, {what}, --jobs {w} (before / after the cluster runs)", local),
        (
            f"the same on a local {w}-worker Dask cluster: fresh workers / warm",
            f"{r['cluster_cold_seconds']:.1f} s / {r['cluster_warm_seconds']:.1f} s",
        ),
        (
            "cluster overhead, wall time (cluster ÷ faster --jobs run): fresh / warm",
            f"{r['overhead_cold']:.2f}× / {r['overhead_warm']:.2f}×",
        ),
        (
            "CPU per article: --jobs / warm cluster (client + workers) = overhead",
            f"{r['local_cpu_seconds_per_article']:.3f} s / "
            f"{r['cluster_cpu_seconds_per_article']:.3f} s = {r['overhead_cpu']:.2f}×",
        ),
        (
            "of which the client (scan, send, write, stamp)",
            f"{r['client_cpu_seconds_per_article'] * 1000:.0f} ms",
        ),
        ("editions byte-identical to the local build", "yes" if r["byte_identical"] else "**no**"),
    ]
    lines = ["| " + " | ".join(rows[0]) + " |", "|---|---|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


class _cluster:
    """A scheduler and ``workers`` one-thread worker processes, stopped on exit."""

    def __init__(self, logs: Path, workers: int) -> None:
        self.logs, self.count, self.processes = logs, workers, []

    def __enter__(self) -> str:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / "scheduler.log"
        self._start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"], log)
        address = _address(log)
        for n in range(self.count):
            args = ["worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"]
            self._start(args, self.logs / f"worker-{n}.log")
        deadline = time.monotonic() + 60
        while _registered(self.logs) < self.count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Dask workers did not start: see {self.logs}")
            time.sleep(0.2)
        return address

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()

    def _start(self, args: list[str], log: Path) -> None:
        self.processes.append(
            subprocess.Popen(
                [str(DASK), *args],
                stdout=subprocess.DEVNULL,
                stderr=log.open("wb"),
                start_new_session=True,
            )
        )


def _address(log: Path) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"Scheduler at:\s+(tcp://\S+)", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        time.sleep(0.1)
    raise RuntimeError(f"no scheduler address in {log}")


def _registered(logs: Path) -> int:
    return sum("Registered to:" in p.read_text(errors="replace") for p in logs.glob("worker-*"))


def _editions(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _say(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100, help="how many (default: 100)")
    parser.add_argument("--issues", type=int, default=0, help="issues besides (default: 0)")
    parser.add_argument("--workers", type=int, default=2, help="and --jobs (default: 2)")
    parser.add_argument("--json", type=Path, help="also write the figures there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-bench-cluster-") as tmp:
        articles, _ = corpus.write(Path(tmp) / "source", args.articles)
        issues = write_issues(Path(tmp) / "issues", args.issues)
        result = measure(articles, Path(tmp), args.workers, issues)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
