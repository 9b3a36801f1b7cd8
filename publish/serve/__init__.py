"""``publish serve``: build what is out of date, serve the build folder to a browser on
this machine, and rebuild what each save affects; open pages follow the builds.

Threads: the main one builds (first everything out of date, then each batch of changes);
watchfiles has one; the HTTP server has one, plus one per request and per open page's
event stream. Ctrl-C reaches the main thread, which stops the others.
"""

from __future__ import annotations

import errno
import gc
import signal
import sys
import tempfile
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from ..options import Options
from ..pipeline.outcome import Plan
from .epub import Shelf
from .server import Server, Site, is_loopback
from .session import Interrupted, Session
from .state import State
from .watch import Watcher

POLL = 0.25
"""Seconds between looks for Ctrl-C while no file changes."""


@dataclass(frozen=True)
class Address:
    host: str = "127.0.0.1"
    port: int = 8000

    def url(self, port: int | None = None) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port if port is None else port}/"


def serve(paths: list[Path], options: Options, plan: Plan, address: Address, open_: bool) -> int:
    """Run until Ctrl-C; the exit status (0 stopped, 1 could not start)."""
    state = State()
    session = Session(paths, options, plan, state)
    with tempfile.TemporaryDirectory(prefix="publish-serve-") as scratch:
        site = Site(
            state,
            options.out,
            options.formats,
            Shelf(options.out, Path(scratch)),
            loopback=is_loopback(address.host),
        )
        try:
            # Listen before building: a port in use should be said at once, not after
            # the build.
            server = Server((address.host, address.port), site)
        except OSError as exc:
            print(_cannot_listen(exc, address), file=sys.stderr)
            return 1
        if not site.loopback:
            print(
                f"publish: warning: listening on {address.host}: other machines can open "
                "this preview; it is made for checking your own work, not for publishing",
                file=sys.stderr,
            )
        watcher = Watcher(session.roots(), ignore=[options.out])
        # Polled every 0.1 s for the stop: Ctrl-C should end it at once.
        thread = threading.Thread(
            target=server.serve_forever, args=(0.1,), name="publish-http", daemon=True
        )
        # A service manager's stop (SIGTERM) is a Ctrl-C too: the same orderly exit.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            if not session.start():
                return 1
            thread.start()
            url = address.url(server.server_address[1])
            print(f"serving {url} (Ctrl-C to stop)", flush=True)
            if open_:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
            watcher.start()
            session.read_skipped()
            while True:
                changed = watcher.next(POLL)
                if changed:
                    session.changed(changed)
        except (KeyboardInterrupt, Interrupted):
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            watcher.stop()
            session.close()
            state.close()
            if thread.is_alive():
                server.shutdown()
            server.server_close()
    print("stopped", file=sys.stderr)
    # The interpreter's last garbage collection would walk every object the builds left
    # (0.6 s of a busy machine's time); the process is ending, so skip it.
    gc.freeze()
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _cannot_listen(exc: OSError, address: Address) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"publish: error: port {address.port} is in use (another publish serve?): "
            f"choose another with --port"
        )
    if exc.errno == errno.EACCES:
        return (
            f"publish: error: not allowed to listen on port {address.port}: "
            "choose one above 1023 with --port"
        )
    return f"publish: error: cannot listen on {address.host}:{address.port}: {exc.strerror or exc}"
