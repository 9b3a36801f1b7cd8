"""``publish serve``'s memory over many rebuilds: the preview's building side (its
Session, as the server drives it) rebuilding the sample after each save, in a process
of its own; resident memory after the first rebuild and after the last."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "source" / "mojahedin-e-khalq-in-post-saddam-iraq.md"

REBUILDS = """
import json, sys, time
from pathlib import Path
from publish.build import Plan
from publish.options import Options
from publish.serve.session import Session
from publish.serve.state import State

folder, count = Path(sys.argv[1]), int(sys.argv[2])
source = folder / "sample.md"
text = source.read_text(encoding="utf-8")

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

session = Session([folder], Options(out=folder / "build"), Plan(jobs=1, quiet=True), State())
session.start()
sizes = []
started = time.perf_counter()
for n in range(1, count + 1):
    # A save that changes the text: the manuscript is rebuilt, all three editions.
    source.write_text(text + f"\\nSaved {n} times.\\n", encoding="utf-8")
    session.changed({source})
    sizes.append(rss_mb())
print(json.dumps({"rebuilds": count, "rss_mb": sizes, "seconds": time.perf_counter() - started}))
"""


def measure(work: Path, rebuilds: int) -> dict[str, object]:
    folder = work / "serve"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sample.md").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", REBUILDS, str(folder), str(rebuilds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    sizes = found["rss_mb"]
    return {
        "rebuilds": rebuilds,
        "first_mb": sizes[0],
        "last_mb": sizes[-1],
        "growth_mb": sizes[-1] - sizes[0],
        "seconds_per_rebuild": found["seconds"] / rebuilds,
    }
