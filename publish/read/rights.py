"""Quarto's ``copyright`` and ``funding`` (https://quarto.org/docs/authoring/front-matter.html):
who holds the copyright, and who paid for the work, as the reuse line, the JATS
``permissions`` and ``funding-group`` and the Crossref deposit's FundRef say them.

``copyright``: a statement, or ``{holder, year, statement}``. ``funding``: a statement,
or one or a list of ``{statement, awards}``, each award ``{id, name, source}`` with its
source (the funder) a name or ``{name (or text), id (or ror)}``; the keys ``source``,
``funder`` and ``award`` are also read where Quarto's own examples put them, beside
``statement``. Values are plain text: the editions escape them."""

from __future__ import annotations

from typing import Any

from ..document import Award, Copyright, Funding

COPYRIGHT_KEYS = ("holder", "year", "statement")
FUNDING_KEYS = ("statement", "open-access", "awards", "source", "funder", "award", "id", "name")
AWARD_KEYS = (
    "id",
    "number",
    "name",
    "description",
    "source",
    "funder",
    "recipient",
    "investigator",
)


def copyright_of(check: Any, value: Any) -> Copyright | None:
    if value is None:
        return None
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        text = str(value).strip()
        return Copyright(statement=text) if text else None
    if not isinstance(value, dict):
        check.report.error(
            check.at("copyright"), "'copyright' must be a statement or {holder, year, statement}"
        )
        return None
    _unknown(check, "copyright", value, COPYRIGHT_KEYS)
    holder, year, statement = (_plain(value.get(k)) for k in COPYRIGHT_KEYS)
    if holder and isinstance(value.get("holder"), list):
        holder = ", ".join(str(h) for h in value["holder"])
    if not (holder or year or statement):
        check.report.error(check.at("copyright"), "'copyright' needs a 'holder' or a 'statement'")
        return None
    return Copyright(holder, year, statement)


def funding_of(check: Any, value: Any) -> tuple[Funding, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = []
    for n, item in enumerate(items):
        where = f"funding.{n}" if isinstance(value, list) else "funding"
        if isinstance(item, str):
            if item.strip():
                found.append(Funding(statement=item.strip()))
            continue
        if not isinstance(item, dict):
            check.report.error(
                check.at(where), "'funding' must be a statement or {statement, awards}"
            )
            continue
        _unknown(check, where, item, FUNDING_KEYS)
        awards = item.get("awards")
        raw = awards if isinstance(awards, list) else [awards] if awards is not None else []
        if any(item.get(k) is not None for k in ("source", "funder", "award", "id")):
            raw = [item, *raw]  # Quarto's examples: the award's keys beside the statement
        parsed = tuple(a for a in (_award(check, where, r) for r in raw) if a is not None)
        statement = _plain(item.get("statement"))
        if statement or parsed:
            found.append(Funding(statement, parsed))
    return tuple(found)


def _award(check: Any, where: str, raw: Any) -> Award | None:
    if isinstance(raw, str):
        return Award(funder=raw.strip()) if raw.strip() else None
    if not isinstance(raw, dict):
        check.report.error(check.at(where), "a funding award must be {id, source}")
        return None
    source = raw.get("source", raw.get("funder"))
    if isinstance(source, list):
        source = source[0] if source else None
    funder = funder_id = None
    if isinstance(source, dict):
        funder = _plain(source.get("name") or source.get("text"))
        funder_id = _plain(source.get("ror") or source.get("id"))
    else:
        funder = _plain(source)
    number = _plain(raw.get("award") or raw.get("number") or raw.get("id"))
    award = Award(funder, funder_id, number, _plain(raw.get("name")))
    return award if award.text else None


def _plain(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return str(value).strip() or None


def _unknown(check: Any, where: str, value: dict, known: tuple[str, ...]) -> None:
    for key in value:
        if key not in known:
            check.report.warning(
                check.at(f"{where}.{key}"),
                f"unknown key '{key}' in '{where.split('.')[0]}': the keys are {', '.join(known)}",
            )
