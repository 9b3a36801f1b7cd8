"""One long-lived pandoc per process, fed one manuscript after another.

Starting pandoc costs about 0.04 s of CPU per run (its runtime, its data files, the
Lua filters loaded), a third of an article's conversion. ``pandoc lua`` runs
``filters/loop.lua``, which converts each request as the one-shot command does, with the
same filters, and hands back the HTML and pandoc's log; the output is the same bytes.

Only what the loop does exactly as the command line is sent to it: the reading and
writing options of ``pandoc.py``, ``-M`` values and Lua filters. A run with citeproc
(bibliography and style files, which the command line reads in its sandbox) or any
other argument is left to the one-shot command, and so is a conversion that fails
inside pandoc (for pandoc's own message, with its exit code).

The process is restarted when it dies (its heap limit reached, killed) and when it
takes longer than the time limit (it is killed); a process that forked keeps none of
its parent's. ``PUBLISH_PANDOC=once`` turns it off."""

from __future__ import annotations

import atexit
import json
import os
import selectors
import subprocess
import tempfile
import time
from collections.abc import Sequence
from multiprocessing import util
from pathlib import Path
from typing import IO

LOOP = Path(__file__).parent / "filters" / "loop.lua"


class Died(Exception):
    """The long-lived pandoc ended while converting: ``code`` and ``stderr`` say why."""

    def __init__(self, code: int, stderr: str) -> None:
        super().__init__(f"pandoc ended with {code}")
        self.code = code
        self.stderr = stderr


class TimedOut(Exception):
    """The long-lived pandoc took longer than the limit (it has been killed)."""


class Refused(Exception):
    """The conversion failed inside pandoc: run the one-shot command for its message."""


def request_for(args: Sequence[str]) -> tuple[list[list[str]], list[str]] | None:
    """The ``-M`` values and Lua filters of ``args``, or None when ``args`` hold
    anything the loop does not do as the command line does."""
    meta: list[list[str]] = []
    filters: list[str] = []
    rest = iter(args)
    for arg in rest:
        value = next(rest, None)
        if value is None:
            return None
        if arg == "-M" and "=" in value:
            meta.append(value.split("=", 1))
        elif arg == "--lua-filter":
            filters.append(value)
        else:
            return None
    return meta, filters


class LongLived:
    """A ``pandoc lua`` process of this process, started on first use."""

    def __init__(self, argv: list[str], env: dict[str, str], abbreviations: list[str]) -> None:
        self.argv = argv
        self.env = env
        self.abbreviations = abbreviations
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._owner = 0
        self.served = 0
        """Conversions made (for the tests and the benchmark)."""

    def convert(
        self, text: bytes, mark: str, meta: list[list[str]], filters: list[str], seconds: float
    ) -> tuple[str, list[dict]]:
        process = self._running()
        header = json.dumps(
            {
                "bytes": len(text),
                "mark": mark,
                "meta": meta,
                "filters": filters,
                "abbreviations": self.abbreviations,
            }
        )
        try:
            assert process.stdin is not None
            process.stdin.write(header.encode() + b"\n" + text)
            process.stdin.flush()
            answer = self._answer(process, time.monotonic() + seconds)
        except TimedOut:
            self.stop(kill=True)
            raise
        except (BrokenPipeError, EOFError):
            raise self._died() from None
        if "error" in answer[0]:
            raise Refused(str(answer[0]["error"]))
        self.served += 1
        return answer[1], answer[2]

    def _running(self) -> subprocess.Popen[bytes]:
        if self._owner != os.getpid():  # a forked child: the parent's process is not ours
            self._process = self._stderr = None
        if self._process is None or self._process.poll() is not None:
            self.stop()
            self._stderr = tempfile.TemporaryFile(prefix="publish-pandoc-")
            self._process = subprocess.Popen(
                self.argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                env=self.env,
            )
            self._owner = os.getpid()
        return self._process

    def _answer(
        self, process: subprocess.Popen[bytes], deadline: float
    ) -> tuple[dict, str, list[dict]]:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        buffer = bytearray()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)

            def more() -> None:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise TimedOut
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise EOFError
                buffer.extend(chunk)

            while b"\n" not in buffer:
                more()
            line, _, _ = buffer.partition(b"\n")
            header = json.loads(line)
            need = len(line) + 1 + int(header.get("html", 0)) + int(header.get("log", 0))
            while len(buffer) < need:
                more()
        body = bytes(buffer[len(line) + 1 : need])
        html = body[: int(header.get("html", 0))].decode("utf-8")
        log = json.loads(body[int(header.get("html", 0)) :] or b"[]")
        return header, html, list(log) if isinstance(log, list) else []

    def _died(self) -> Died:
        process, stderr = self._process, self._stderr
        code = process.wait() if process is not None else -1
        text = ""
        if stderr is not None:
            stderr.seek(0)
            text = stderr.read().decode("utf-8", "replace")
        self.stop()
        return Died(code, text)

    def stop(self, kill: bool = False) -> None:
        """End the process (closing its input ends its loop) and wait for it, so that
        its CPU time is counted with this process's children."""
        process, self._process = self._process, None
        if process is not None and self._owner == os.getpid():
            if kill:
                process.kill()
            else:
                try:
                    assert process.stdin is not None
                    process.stdin.close()
                except OSError:
                    pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def cpu_seconds(self) -> float:
        """CPU time of the running process so far (for the benchmark): not yet counted
        with this process's children until it ends."""
        process = self._process
        if process is None or process.poll() is not None:
            return 0.0
        try:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_instance: LongLived | None = None


def instance(argv: list[str], env: dict[str, str], abbreviations: list[str]) -> LongLived | None:
    """This process's long-lived pandoc, or None when turned off."""
    global _instance
    if os.environ.get("PUBLISH_PANDOC") == "once":
        return None
    if _instance is None or _instance.argv != argv:
        if _instance is not None:
            _instance.stop()
        _instance = LongLived(argv, env, abbreviations)
        # At the end of this process, and of a worker process (which skips atexit).
        atexit.register(_instance.stop)
        util.Finalize(_instance, _instance.stop, exitpriority=10)
    return _instance
