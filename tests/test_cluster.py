"""``publish build --scheduler``: a real Dask scheduler and two worker processes on this
machine, started with the ``dask`` command of the project's environment, build the same
bytes as a local build, survive a worker that dies mid-build, and refuse what would write
other bytes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from buildfarm import DOT, counts, snapshot, write_articles
from conftest import ROOT, run_publish

distributed = pytest.importorskip("distributed")
# The scheduler runs a function of this file: send it by value, as it cannot import tests.
pytest.importorskip("cloudpickle").register_pickle_by_value(sys.modules[__name__])

DASK = Path(sys.executable).parent / "dask"
ARTICLES = 12


@dataclass
class Cluster:
    address: str
    code: Path
    workers: list[subprocess.Popen] = field(default_factory=list)

    def client(self):  # -> distributed.Client
        return distributed.Client(self.address, timeout=10, set_as_default=False)


def _start(args: list[str], code: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(code)}  # the workers run the client's code
    return subprocess.Popen(
        [str(DASK), *args],
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
        start_new_session=True,  # a worker's nanny and its process die together
    )


def _address(log: Path, process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"Scheduler at:\s+(tcp://\S+)", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        assert process.poll() is None, log.read_text()
        time.sleep(0.1)
    raise AssertionError(f"no scheduler address in:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _worker(cluster: Cluster, code: Path, log: Path) -> subprocess.Popen:
    args = ["worker", cluster.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"]
    return _start(args, code, log)


def _wait_for_workers(cluster: Cluster, n: int) -> None:
    with cluster.client() as client:
        deadline = time.monotonic() + 60
        while len(client.scheduler_info(n_workers=-1)["workers"]) != n:
            assert time.monotonic() < deadline, "the workers did not (dis)appear"
            time.sleep(0.2)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    code = snapshot(ROOT, tmp_path_factory.mktemp("code"))
    logs = tmp_path_factory.mktemp("logs")
    scheduler = _start(
        ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"],
        code,
        logs / "scheduler.log",
    )
    cluster = Cluster(_address(logs / "scheduler.log", scheduler), code)
    try:
        cluster.workers = [_worker(cluster, code, logs / f"worker-{n}.log") for n in (1, 2)]
        _wait_for_workers(cluster, 2)
        yield cluster
    finally:
        for process in [*cluster.workers, scheduler]:
            _stop(process)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dozen articles (the first with an image) and their local build, to compare with."""
    work = tmp_path_factory.mktemp("articles")
    write_articles(work / "source", ARTICLES)
    # Run where the cluster's builds run from: no templates/ folder there (the checkout's
    # own would be used, and the stamps would differ).
    local = run_publish("build", work / "source", "--out", work / "local", "--jobs", "2", cwd=work)
    assert local.returncode == 0, local.stderr
    return work


def editions(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_the_scheduler_runs_the_work_and_the_bytes_are_a_local_builds(
    articles: Path, cluster: Cluster
) -> None:
    out = articles / "cluster"
    with cluster.client() as client, distributed.get_task_stream(client) as stream:
        result = run_publish("build", articles / "source", "--out", out, "--scheduler",
                             cluster.address, cwd=cluster.code)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert counts(result.stdout) == (ARTICLES, 0, 0)
    assert "(2 workers," in result.stdout

    ran = [t for t in stream.data if t["key"].startswith("publish-build-")]
    assert sorted(t["key"].rsplit("-", 2)[-1] for t in ran) == sorted(
        str(n) for n in range(1, ARTICLES + 1)
    )
    assert len({t["worker"] for t in ran}) == 2, "both workers built"

    local, remote = editions(articles / "local"), editions(out)
    assert len(local) == 3 * ARTICLES
    assert remote.keys() == local.keys()
    assert [name for name in local if local[name] != remote[name]] == []
    # No path of the worker's private folder (nor ours) in any edition.
    for data in remote.values():
        assert b"publish-cluster-" not in data and str(articles).encode() not in data

    # The stamps are the client's, as a local build writes them: nothing is sent again.
    # (Each records when it was written, so that a file edited in the same clock tick
    # is read again.)
    def stamp_of(folder: Path) -> dict:
        recorded = json.loads((folder / "article-1" / ".publish-stamp.json").read_text())
        recorded.pop("written_ns")
        return {**recorded, "files": {k: v[0] for k, v in recorded["files"].items()}}

    assert stamp_of(out) == stamp_of(articles / "local")
    again = run_publish("build", articles / "source", "--out", out, "--scheduler",
                        cluster.address, cwd=cluster.code)  # fmt: skip
    assert counts(again.stdout) == (0, ARTICLES, 0)


def test_a_manuscripts_errors_come_back_located_as_in_a_local_build(
    tmp_path: Path, cluster: Cluster
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "dot.png").write_bytes(DOT)
    (source / "broken.md").write_text(
        "---\ntitle: Broken\nathor: Someone\n---\n\nA [link](dot.png) and a note.[^1]\n\n"
        "![Gone](gone.png)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PUBLISH_SCHEDULER": cluster.address}  # the option's other form
    remote = run_publish("build", source, "--out", tmp_path / "c", cwd=cluster.code, env=env)
    local = run_publish("build", source, "--out", tmp_path / "l", cwd=cluster.code)
    assert remote.returncode == local.returncode == 1
    assert remote.stderr == local.stderr
    assert f"{source / 'broken.md'}:8: error: image 'gone.png' does not exist" in remote.stderr
    assert "link to 'dot.png' leads to a file next to the manuscript" in remote.stderr
    assert "Traceback" not in remote.stderr
    assert not (tmp_path / "c" / "broken").exists()


def test_a_scholarly_article_with_a_bibliography_is_the_same_on_the_cluster(
    tmp_path: Path, cluster: Cluster
) -> None:
    """refs.bib is named in the front matter, read by pandoc: it travels with the text."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "tests" / "manuscripts" / "scholarly", source)
    for where in ("local", "cluster"):
        extra = ("--scheduler", cluster.address) if where == "cluster" else ()
        result = run_publish("build", source, "--out", tmp_path / where, *extra, cwd=cluster.code)
        assert result.returncode == 0, result.stderr
    local, remote = editions(tmp_path / "local"), editions(tmp_path / "cluster")
    assert len(local) == 3 and remote == local
    stamp = ".publish-stamp.json"
    assert "refs.bib" in (tmp_path / "cluster" / "scholarly" / stamp).read_text()


def test_an_issue_is_one_task_on_the_cluster_with_the_bytes_of_a_local_build(
    tmp_path: Path, cluster: Cluster
) -> None:
    """The issue's articles, laid out together, its PDF, EPUB and contents page come back
    from one task; an image from --resource-path travels too."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "tests" / "issues" / "terrorism-monitor-3-2", source / "tm-3-2")
    shared = tmp_path / "shared-images"
    shared.mkdir()
    (shared / "seal.png").write_bytes(DOT)
    (source / "loose.md").write_text(
        "---\ntitle: Loose\n---\n\nA seal: ![The seal](seal.png)\n", encoding="utf-8"
    )
    options = ("--resource-path", str(shared), "--base-url", "https://example.org/")
    with cluster.client() as client, distributed.get_task_stream(client) as stream:
        remote = run_publish("build", source, "--out", tmp_path / "cluster", *options,
                             "--scheduler", cluster.address, cwd=cluster.code)  # fmt: skip
    local = run_publish("build", source, "--out", tmp_path / "local", *options, cwd=cluster.code)
    assert remote.returncode == local.returncode == 0, remote.stderr
    assert counts(remote.stdout) == counts(local.stdout) == (2, 0, 0)
    keys = sorted(t["key"].rsplit("-", 1)[-1] for t in stream.data)
    assert keys.count("loose") == 1 and sum(k.startswith("tm") for k in keys) <= 1
    assert [t["key"] for t in stream.data if t["key"].endswith("-tm-3-2")], keys

    def everything(out: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(out)): p.read_bytes()
            for p in sorted(out.rglob("*"))
            # The build's own records hold times and stats: not an edition's bytes.
            if p.is_file() and p.name not in (".publish-stamp.json", ".publish-register.json")
        }

    mine, theirs = everything(tmp_path / "local"), everything(tmp_path / "cluster")
    assert {"tm-3-2/tm-3-2.pdf", "tm-3-2/tm-3-2.epub", "tm-3-2/index.html",
            "financing-networks/financing-networks.pdf", "index.html", "sitemap.xml",
            "loose/loose.html"} <= mine.keys()  # fmt: skip
    assert theirs.keys() == mine.keys()
    assert [name for name in mine if mine[name] != theirs[name]] == []
    again = run_publish("build", source, "--out", tmp_path / "cluster", *options,
                        "--scheduler", cluster.address, cwd=cluster.code)  # fmt: skip
    assert counts(again.stdout) == (0, 2, 0)


def test_a_worker_with_other_code_is_refused(
    articles: Path, cluster: Cluster, tmp_path: Path
) -> None:
    other = snapshot(ROOT, tmp_path / "other")
    with (other / "publish" / "__init__.py").open("a") as handle:
        handle.write("# a change on the worker\n")
    odd = _worker(cluster, other, tmp_path / "odd.log")
    try:
        _wait_for_workers(cluster, 3)
        result = run_publish("build", articles / "source", "--out", tmp_path / "out",
                             "--scheduler", cluster.address, cwd=cluster.code)  # fmt: skip
    finally:
        _stop(odd)
        _wait_for_workers(cluster, 2)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert re.match(
        r"publish: error: the Dask worker tcp://127\.0\.0\.1:\d+ would write other bytes "
        r"than a local build, so it is refused: it has publish code \w+ \(here: \w+\); "
        r"install the same versions there$",
        line,
    ), line
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_line_within_ten_seconds(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    write_articles(tmp_path / "source", 1)
    started = time.monotonic()
    result = run_publish("build", tmp_path / "source", "--out", tmp_path / "out",
                         "--scheduler", f"tcp://127.0.0.1:{port}")  # fmt: skip
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert result.stderr == (
        f"publish: error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port} within "
        "5 s (no answer): is `dask scheduler` running there?\n"
    )
    assert not (tmp_path / "out").exists()


def test_ctrl_c_cancels_the_work_and_leaves_only_whole_stamped_editions(
    articles: Path, cluster: Cluster
) -> None:
    out = articles / "interrupted"
    build = subprocess.Popen(
        [sys.executable, "-m", "publish", "build", str(articles / "source"), "--out", str(out),
         "--scheduler", cluster.address, "--quiet"],
        cwd=cluster.code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(out.glob("*/.publish-stamp.json")):
        assert time.monotonic() < deadline and build.poll() is None, build.communicate()
        time.sleep(0.05)
    build.send_signal(signal.SIGINT)
    stdout, stderr = build.communicate(timeout=30)
    assert build.returncode == 130, stderr
    assert stderr.splitlines()[-1] == "publish: interrupted"
    assert "Traceback" not in stderr
    local = editions(articles / "local")
    written = editions(out)
    assert 0 < len(written) < len(local), "interrupted mid-build"
    assert [name for name in written if written[name] != local[name]] == []
    assert not list(out.rglob("*.part")), "no partial edition"
    for stamp in out.glob("*/.publish-stamp.json"):  # a stamped manuscript is whole
        assert sorted(p.name for p in stamp.parent.iterdir()) == sorted(
            [stamp.name, ".publish-versions.json"]
            + [f"{stamp.parent.name}.{x}" for x in ("pdf", "epub", "html")]
        )
    with cluster.client() as client:  # the cluster drops the rest of the work
        deadline = time.monotonic() + 10
        while client.run_on_scheduler(_queued):
            assert time.monotonic() < deadline, "the cluster still holds the build's tasks"
            time.sleep(0.1)


def _queued(dask_scheduler) -> int:  # runs on the scheduler
    return sum(str(key).startswith("publish-build-") for key in dask_scheduler.tasks)


def test_a_worker_killed_mid_build_loses_no_edition(articles: Path, cluster: Cluster) -> None:
    """Last in this file: it leaves the cluster one worker short."""
    out = articles / "killed"
    with cluster.client() as client:
        suspicious = client.run_on_scheduler(_suspicious)
        build = subprocess.Popen(
            [sys.executable, "-m", "publish", "build", str(articles / "source"), "--out",
             str(out), "--scheduler", cluster.address, "--quiet"],
            cwd=cluster.code, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        victim = _busy_worker(client, build)
        doomed = next(p for p in cluster.workers if _owns(p.pid, victim))
        _stop(doomed)
        # The scheduler saw the worker die while it held manuscripts (it hands them on).
        deadline = time.monotonic() + 10
        while client.run_on_scheduler(_suspicious) <= suspicious:
            assert time.monotonic() < deadline, "the scheduler never noticed"
            time.sleep(0.05)
        stdout, stderr = build.communicate(timeout=120)
    assert build.returncode == 0, stderr
    local, remote = editions(articles / "local"), editions(out)
    assert remote.keys() == local.keys()
    assert [name for name in local if local[name] != remote[name]] == []
    assert not list(out.rglob("*.part")), "no partial edition"


def _busy_worker(client, build: subprocess.Popen) -> tuple[str, int]:
    """A worker (address, pid) that is building a manuscript right now."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert build.poll() is None, build.communicate()
        busy = client.run_on_scheduler(_executing)
        if busy:
            pids = client.run(os.getpid, workers=[busy[0]])
            return busy[0], pids[busy[0]]
        time.sleep(0.05)
    raise AssertionError("no worker ever started a manuscript")


def _executing(dask_scheduler) -> list[str]:  # runs on the scheduler
    return sorted(
        ws.address
        for ws in dask_scheduler.workers.values()
        if any(str(ts.key).startswith("publish-build-") for ts in ws.processing)
    )


def _suspicious(dask_scheduler) -> int:  # runs on the scheduler
    """How many times a worker died while it built a manuscript."""
    prefix = dask_scheduler.task_prefixes.get("publish-build")
    return prefix.suspicious if prefix else 0


def _owns(group: int, worker: tuple[str, int]) -> bool:
    """Whether the worker's process belongs to the process group ``group`` (its nanny's)."""
    try:
        return os.getpgid(worker[1]) == group
    except ProcessLookupError:
        return False


def test_without_dask_the_option_says_how_to_install_it(tmp_path: Path) -> None:
    write_articles(tmp_path / "source", 1)
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "from publish.cli import main\n"
        f"sys.exit(main(['build', {str(tmp_path / 'source')!r}, '--scheduler', 'tcp://x:1']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr == (
        "publish: error: --scheduler needs Dask's distributed scheduler: "
        "pip install 'publish[cluster]'\n"
    )


def test_the_files_a_text_names_travel_with_it(tmp_path: Path) -> None:
    """The scan that decides which files of the folder go with a manuscript."""
    from publish.executors.dask.parcel import Scanner

    folder = tmp_path / "source"
    for name in ("dot.png", "my pic.png", "sub/x&y.png", "sub/unused.png", "other.md",
                 "logo.png", "unnamed.png"):  # fmt: skip
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(DOT)
    (folder / "link.png").symlink_to("sub/unused.png")
    (folder / "away.png").symlink_to("/etc/hostname")
    source = folder / "a.md"
    source.write_text(
        "---\ntitle: A\n---\n\n![x](dot.png) ![y](my%20pic.png) ![z](link.png)\n\n"
        '<img src="sub/x&amp;y.png"> [next](other.md#top)\n',
        encoding="utf-8",
    )
    templates = tmp_path / "templates"
    (templates / "pdf").mkdir(parents=True)
    (templates / "pdf" / "print.css").write_text("h1 { background: url(logo.png) }")
    parcel = Scanner(tmp_path / "build", [templates]).parcel(source)
    sent = parcel.shipments["manuscript"]
    assert sorted(sent.files) == ["a.md", "dot.png", "logo.png", "my pic.png", "other.md",
                                  "sub/unused.png", "sub/x&y.png"]  # fmt: skip
    # A symbolic link goes as a link, with what it points to; one that leaves the folder
    # points nowhere on the worker, so the trust boundary refuses it there as here.
    assert sent.links == {
        "link.png": "sub/unused.png",
        "away.png": "/publish-outside-the-manuscript-folder",
    }


def test_a_file_sent_as_a_stand_in_is_asked_for_when_the_build_opens_it(tmp_path: Path) -> None:
    """What a worker does with a parcel, in this process."""
    from publish.build import render_one
    from publish.executors.dask.fingerprint import fingerprint
    from publish.executors.dask.parcel import Parcel, Shipment
    from publish.executors.dask.worker import build_remotely
    from publish.options import Options

    [source] = write_articles(tmp_path, 1)
    options = Options(out=tmp_path / "build", formats=("html",))
    text = {source.name: source.read_bytes()}
    lean = Parcel(source.name, "x", {"manuscript": Shipment(text, stand_ins=("dot.png",))})
    first = build_remotely(lean, {}, options, None, fingerprint())
    root = first.roots["manuscript"]
    assert first.need == [f"{root}/dot.png"] and first.editions == {}
    full = Parcel(source.name, "x", {"manuscript": Shipment({**text, "dot.png": DOT})})
    second = build_remotely(full, {}, options, None, fingerprint())
    assert second.need == [] and second.uses == [f"{second.roots['manuscript']}/dot.png"]
    assert second.editions == render_one(source, options)[1]
    refused = build_remotely(full, {}, options, None, {**fingerprint(), "weasyprint": "0"})
    assert refused.refused and "weasyprint" in refused.refused and not refused.editions


def test_a_named_pipe_is_refused_on_the_worker_as_here_and_never_read(tmp_path: Path) -> None:
    """Reading a pipe would never end: the client sends it as a pipe, unread, and the
    worker's reader refuses it with the local build's message."""
    from publish.executors.dask.fingerprint import fingerprint
    from publish.executors.dask.parcel import Scanner
    from publish.executors.dask.worker import build_remotely
    from publish.options import Options

    folder = tmp_path / "source"
    folder.mkdir()
    os.mkfifo(folder / "pipe.md")
    os.mkfifo(folder / "pipe.png")
    (folder / "a.md").write_text("---\ntitle: A\n---\n\n![x](pipe.png)\n", encoding="utf-8")
    scanner = Scanner(tmp_path / "build")
    assert scanner.parcel(folder / "pipe.md").shipments["manuscript"].specials == ("pipe.md",)
    assert scanner.parcel(folder / "a.md").shipments["manuscript"].specials == ("pipe.png",)
    options = Options(out=tmp_path / "build", formats=("html",))
    returned = build_remotely(scanner.parcel(folder / "pipe.md"), {}, options, None, fingerprint())
    [message] = [d.message for d in returned.diagnostics]
    assert message.startswith("this is not a regular file") and not returned.editions
