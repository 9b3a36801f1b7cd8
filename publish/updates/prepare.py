"""The relations of a build's units, found before any is built (``pipeline.run`` calls
this for ``publish build`` and ``publish serve`` alike): the register brought up to date,
the relations among its manuscripts, the units the named ones are related to (a notice
named alone brings the articles it updates, and an article its notices, each built when
its stamp says so), and each unit's digest of its relations for its stamp.

When no manuscript changed since the last build named the same ones, the digests and
related units it derived are taken from the register: deciding that nothing changed
costs a stat per manuscript and imports none of the relations' data model."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..pipeline.units import is_issue
from . import register

if TYPE_CHECKING:
    from ..options import Options
    from .relations import Relations

DERIVED = 2
"""Changed with what ``Relations.digest_of`` digests: the register's derived digests of
another version are computed again."""


class Prepared:
    """The relations of a build's units (a plain class: see ``register.Register``)."""

    def __init__(
        self,
        units: list[Path],
        found: register.Register,
        members: dict[Path, list[str]],
        digests: dict[str, str],
        relations: Relations | None,
    ) -> None:
        self.units = units
        """The units to check: those asked for, then those related to them."""
        self.register = found
        self.members = members
        """The slugs of the manuscripts of each unit."""
        self.digests = digests
        """Each manuscript's digest of its relations, by slug (none: "")."""
        self.relations = relations
        """Found only when needed (something changed, or a unit is built)."""

    def digest(self, unit: Path) -> str:
        """The digest of the relations of the unit's manuscripts ("" for none)."""
        found = [
            f"{s}:{self.digests[s]}"
            for s in sorted(self.members.get(unit, []))
            if self.digests.get(s)
        ]
        if not found:
            return ""
        if len(found) == 1:
            return found[0].partition(":")[2]
        return hashlib.sha256("\n".join(found).encode()).hexdigest()

    def for_building(self, todo: list[Path], out: Path) -> Relations:
        """The relations with the earlier versions of the manuscripts about to be built,
        as their build folders keep them."""
        from .versions import with_earlier

        if self.relations is None:
            self.relations = _relate(self.register)
        slugs = [slug for unit in todo for slug in self.members.get(unit, [])]
        return with_earlier(self.relations, slugs, out)


def prepare(units: list[Path], out: Path) -> Prepared:
    """The relations of ``units`` and of the manuscripts registered in ``out``."""
    manuscripts = {m: unit for unit in units for m in manuscripts_of(unit)}
    found = register.gather(manuscripts, out)
    members: dict[Path, list[str]] = {unit: [] for unit in units}
    for m, unit in manuscripts.items():
        members[unit].append(m.stem)
    key = hashlib.sha256(f"{DERIVED}\0{sorted(found.ours)}".encode()).hexdigest()
    derived = found.derived
    relations = None
    if derived.get("key") != key:
        relations = _relate(found)
        extra = _related_units(found, relations)
        derived = {"key": key, "digests": relations.digests(), "extra": extra}
        found.derived = derived
        found.changed = True
    extra_units = []
    for registered in derived["extra"]:
        unit = register.located(out, registered)
        extra_units.append(unit)
        members[unit] = [m.stem for m in manuscripts_of(unit)]
    return Prepared(units + extra_units, found, members, derived["digests"], relations)


def for_unit(options: Options, unit: Path) -> Options:
    """The options a worker builds ``unit`` with: the relations of its manuscripts only
    (the options travel with each task; the build's whole relations would make a build
    of N manuscripts send N² of them)."""
    if options.relations is None:
        return options
    slugs = [m.stem for m in manuscripts_of(unit)]
    return replace(options, relations=options.relations.only(slugs))


def manuscripts_of(unit: Path) -> list[Path]:
    """The manuscripts a unit builds: itself, or every article of its issue."""
    return sorted(unit.parent.glob("*.md")) if is_issue(unit) else [unit]


def _relate(found: register.Register) -> Relations:
    from .relations import relate

    return relate(found.facts())


def _related_units(found: register.Register, related: Relations) -> list[str]:
    """The units (as the register names them), not asked for, of the articles the named
    notices update and of the notices that update the named articles."""
    ours = [found.entries[k] for k in found.ours if k in found.entries]
    named = {e["facts"]["slug"] for e in ours}
    asked = {e["unit"] for e in ours}
    unit_of = {
        e["facts"]["slug"]: e["unit"]
        for k, e in reversed(found.entries.items())
        if k not in found.ours and e["facts"]["slug"] not in named
    }
    extra: list[str] = []
    for slug in sorted(named):
        updates = related.of(slug)
        for other in [t.slug for t in updates.targets] + [n.link.slug for n in updates.notices]:
            unit = unit_of.get(other or "")
            if unit is not None and unit not in asked and unit not in extra:
                extra.append(unit)
    return extra
