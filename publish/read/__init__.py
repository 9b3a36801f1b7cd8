"""Reading a manuscript: decode, front matter, metadata schema, the one pandoc run,
sanitising, diagnosis and the trust boundary (``manuscript.py`` runs them in order).
``read`` is the only entry point.

``read`` is loaded on first use: a build where every edition is up to date asks this
package only for pandoc's version, and should not pay for importing the readers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .manuscript import MAX_BYTES, read

__all__ = ["MAX_BYTES", "read"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import manuscript

        return getattr(manuscript, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
