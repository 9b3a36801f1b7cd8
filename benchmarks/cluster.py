"""The cost of building on a Dask cluster: N articles on a local two-worker cluster
(a scheduler and two one-thread worker processes on 127.0.0.1, started with the ``dask``
command) against ``publish build --jobs 2`` on the same machine.

    .venv/bin/python benchmarks/cluster.py                # 100 articles
    .venv/bin/python benchmarks/cluster.py --articles 30

``run.py`` calls ``measure`` too, and keeps its figures under ``cluster`` in its JSON.
The overhead is the ratio of wall times: what sending each manuscript and its files,
and the editions back, costs against forked local workers. A cluster stays up between
builds, so its start is not counted; the first build on fresh workers (which import
WeasyPrint on their first manuscript) and a second one on warm workers are both shown.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - after the path above
import ours  # noqa: E402

DASK = Path(sys.executable).parent / "dask"


def measure(articles: list[Path], work: Path, jobs: int = 2) -> dict[str, object]:
    """Wall and client CPU time of a local ``--jobs`` build and of two cluster builds."""
    _say(f"cluster: {len(articles)} articles, --jobs {jobs} on this machine")
    local = ours.publish_build(articles, work / "cluster-local", "--jobs", str(jobs), "--force")
    with _cluster(work / "cluster-logs", jobs) as address:
        _say(f"cluster: the same on {jobs} fresh Dask workers")
        cold = ours.publish_build(articles, work / "cluster-out", "--scheduler", address, "--force")
        _say(f"cluster: again, on the {jobs} warm workers")
        warm = ours.publish_build(articles, work / "cluster-out", "--scheduler", address, "--force")
    same = _editions(work / "cluster-local") == _editions(work / "cluster-out")
    return {
        "articles": len(articles),
        "workers": jobs,
        "local_seconds": local["seconds"],
        "cluster_cold_seconds": cold["seconds"],
        "cluster_warm_seconds": warm["seconds"],
        "overhead_cold": cold["seconds"] / local["seconds"],
        "overhead_warm": warm["seconds"] / local["seconds"],
        "client_cpu_seconds_per_article": warm["cpu_seconds"] / len(articles),
        "byte_identical": same,
    }


def render(r: dict) -> str:
    n, w = r["articles"], r["workers"]
    rows = [
        ("Measure", "Result"),
        (f"publish, {n} articles, --jobs {w}", f"{r['local_seconds']:.1f} s"),
        (
            f"the same on a local {w}-worker Dask cluster: fresh workers / warm",
            f"{r['cluster_cold_seconds']:.1f} s / {r['cluster_warm_seconds']:.1f} s",
        ),
        (
            "cluster overhead (wall time, cluster ÷ --jobs): fresh / warm",
            f"{r['overhead_cold']:.2f}× / {r['overhead_warm']:.2f}×",
        ),
        (
            "client CPU per article on the cluster (scan, send, write, stamp)",
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
    parser.add_argument("--workers", type=int, default=2, help="and --jobs (default: 2)")
    parser.add_argument("--json", type=Path, help="also write the figures there")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-bench-cluster-") as tmp:
        articles, _ = corpus.write(Path(tmp) / "source", args.articles)
        result = measure(articles, Path(tmp), args.workers)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
