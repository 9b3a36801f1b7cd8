"""The executors leave the process as they found it (issue 20): a Dask worker's build
sets the client's date for its own duration only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

MANUSCRIPT = "---\ntitle: One\nauthor: A. Writer\ndate: 2024-01-02\n---\n\nA line.\n"


@pytest.mark.parametrize("before", [None, "86400"])
def test_a_worker_puts_the_date_back_after_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: str | None
) -> None:
    from publish.executors.dask.fingerprint import fingerprint
    from publish.executors.dask.parcel import Parcel, Shipment
    from publish.executors.dask.worker import build_remotely
    from publish.options import Options

    if before is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", before)
    parcel = Parcel("one.md", "x", {"manuscript": Shipment({"one.md": MANUSCRIPT.encode()})})
    options = Options(out=tmp_path / "build", formats=("html",))
    returned = build_remotely(parcel, {}, options, "1700000000", fingerprint())
    # Built with the client's date; the worker's own is back afterwards.
    assert returned.editions["one/one.html"].startswith(b"<!DOCTYPE html>")
    assert os.environ.get("SOURCE_DATE_EPOCH") == before
