"""A manuscript read as a build's options say: the one call both kinds of unit make."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..options import Options

if TYPE_CHECKING:
    from ..document import Document


def read_manuscript(source: Path, options: Options) -> Document:
    """The manuscript read as the options say (``strict``, ``base_url``, ``resource_path``)."""
    from ..read import read

    return read(
        source,
        strict=options.strict,
        base_url=options.base_url,
        resource_path=options.resource_path,
        settings=options.settings,
    )
