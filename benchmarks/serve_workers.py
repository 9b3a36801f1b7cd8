"""``publish serve``'s memory over many rebuilds of the sample, with the builds in its
recycled worker processes (as shipped) or, for comparison, in the server's own process
(as before issue 24): the resident memory of the server's process after the first
rebuild and after the last, and that of the worker that built last.

    .venv/bin/python benchmarks/serve_workers.py --rebuilds 200 [--in-process]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "mojahedin-e-khalq-in-post-saddam-iraq.md"

REBUILDS = """
import json, sys, time
from pathlib import Path
from publish.executors import local
from publish.executors.recycled import resident_mb
from publish.options import Options
from publish.pipeline.outcome import Plan
from publish.serve.session import Session
from publish.serve.state import State

folder, count, in_process = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
source = folder / "sample.md"
text = source.read_text(encoding="utf-8")
session = Session([folder], Options(out=folder / "build"), Plan(jobs=1, quiet=True), State())
if in_process:
    session.workers.build_all = local.build_all  # as before: builds in this process
session.start()
server, workers = [], []
started = time.perf_counter()
for n in range(1, count + 1):
    # A save that changes the text: the manuscript is rebuilt, all three editions.
    source.write_text(text + f"\\nSaved {n} times.\\n", encoding="utf-8")
    session.changed({source})
    assert not session.state.get("sample").failed
    server.append(resident_mb())
    workers.append(session.workers.worker_mb)
seconds = time.perf_counter() - started
print(json.dumps({"server_mb": server, "worker_mb": workers, "seconds": seconds,
                  "recycled": session.workers.recycled}))
session.close()
"""


def measure(work: Path, rebuilds: int, in_process: bool) -> dict[str, object]:
    folder = work / "serve"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sample.md").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", REBUILDS, str(folder), str(rebuilds), "1" if in_process else "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    server, workers = found["server_mb"], found["worker_mb"]
    return {
        "rebuilds": rebuilds,
        "builds_in": "the server's process" if in_process else "recycled workers",
        "server_first_mb": round(server[0], 1),
        "server_last_mb": round(server[-1], 1),
        "server_growth_mb": round(server[-1] - server[0], 1),
        "server_max_mb": round(max(server), 1),
        "worker_max_mb": round(max(workers), 1),
        "workers_replaced": found["recycled"],
        "seconds_per_rebuild": round(found["seconds"] / rebuilds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuilds", type=int, default=200)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-workers-") as work:
        print(json.dumps(measure(Path(work), args.rebuilds, args.in_process), indent=1))


if __name__ == "__main__":
    main()
