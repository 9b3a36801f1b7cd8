"""The relations of a build's units, found before any is built (``pipeline.run`` calls
this for ``publish build`` and ``publish serve`` alike): the register brought up to date,
the relations among its manuscripts, the units the named ones are related to (a notice
named alone brings the articles it updates, and an article its notices, each built when
its stamp says so), and each unit's digest of its relations for its stamp."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..pipeline.units import is_issue
from . import register
from .relations import Relations, relate


@dataclass
class Prepared:
    units: list[Path]
    """The units to check: those asked for, then those related to them."""
    relations: Relations
    register: register.Register
    members: dict[Path, list[str]]
    """The slugs of the manuscripts of each unit."""

    def digest(self, unit: Path) -> str:
        """The digest of the relations of the unit's manuscripts ("" for none)."""
        return self.relations.digest(self.members.get(unit, []))

    def for_building(self, todo: list[Path], out: Path) -> Relations:
        """The relations with the earlier versions of the manuscripts about to be built,
        as their build folders keep them."""
        from .versions import with_earlier

        slugs = [slug for unit in todo for slug in self.members.get(unit, [])]
        return with_earlier(self.relations, slugs, out)


def prepare(units: list[Path], out: Path) -> Prepared:
    """The relations of ``units`` and of the manuscripts registered in ``out``."""
    manuscripts = {m: unit for unit in units for m in manuscripts_of(unit)}
    found = register.gather(manuscripts, out)
    ours = [f for key, f in found.facts.items() if key in found.ours]
    others = [f for key, f in found.facts.items() if key not in found.ours]
    related = relate(ours + others)
    members: dict[Path, list[str]] = {unit: [] for unit in units}
    for m, unit in manuscripts.items():
        members[unit].append(m.stem)
    return Prepared(
        units + _related_units(ours, others, related, members),
        related,
        found,
        members,
    )


def manuscripts_of(unit: Path) -> list[Path]:
    """The manuscripts a unit builds: itself, or every article of its issue."""
    return sorted(unit.parent.glob("*.md")) if is_issue(unit) else [unit]


def _related_units(
    ours: list[register.Facts],
    others: list[register.Facts],
    related: Relations,
    members: dict[Path, list[str]],
) -> list[Path]:
    """The units, not asked for, of the articles the named notices update and of the
    notices that update the named articles (``members`` gains their slugs)."""
    named = {f.slug for f in ours}
    unit_of = {f.slug: f.unit for f in reversed(others) if f.slug not in named}
    asked = {os.path.abspath(u) for u in members}
    extra: dict[Path, list[str]] = {}
    for f in ours:
        updates = related.of(f.slug)
        for slug in [t.slug for t in updates.targets] + [n.link.slug for n in updates.notices]:
            registered = unit_of.get(slug or "")
            if registered is not None and registered not in asked:
                extra.setdefault(_as_given(registered), [])
    for unit in extra:
        members[unit] = [m.stem for m in manuscripts_of(unit)]
    return list(extra)


def _as_given(unit: str) -> Path:
    """A registered unit (absolute) as the build names its units: relative to the
    working folder when inside it."""
    here = os.getcwd()
    return Path(os.path.relpath(unit, here)) if unit.startswith(here + os.sep) else Path(unit)
