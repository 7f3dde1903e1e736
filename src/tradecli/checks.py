"""Checks beyond types: ids, references, aliases, weekdays and the order of dates."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from tradecli.dates import WEEKDAYS, PartialDate
from tradecli.jsonlocate import PathPart
from tradecli.kinds import COLLECTIONS, ENTITY_COLLECTIONS
from tradecli.records import Evidence, FactFile, Measure, Record

Finding = tuple[tuple[PathPart, ...], str]

_ENTITIES = frozenset(ENTITY_COLLECTIONS)
_ACTORS = frozenset({"people", "organisations"})
_JURISDICTIONS = frozenset({"places", "organisations"})
_FACTS = frozenset(COLLECTIONS) - {"sources", "conflicts"}

# (collection, field) -> the collections a reference in that field may point to.
REFERENCE_KINDS: dict[str, frozenset[str]] = {
    "claimed_by": _ENTITIES,
    "country": frozenset({"places"}),
    "organisation": frozenset({"organisations"}),
    "within": frozenset({"places"}),
    "place": frozenset({"places"}),
    "participants": _ACTORS,
    "part_of": frozenset({"events"}),
    "supersedes": frozenset({"events", "tariffs", "statements", "quotes"}),
    "imposed_by": _JURISDICTIONS,
    "target": _JURISDICTIONS,
    "responds_to": frozenset({"tariffs"}),
    "speaker": _ACTORS,
    "event": frozenset({"events"}),
    "subjects": _FACTS,
    "claims": _FACTS,
    "source": frozenset({"sources"}),
}

_WRITTEN_DATE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2}),?\s+(\d{4})\b"
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def normalise_name(text: str) -> str:
    """Case- and accent-insensitive form of a name, for matching and alias checks."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", stripped.casefold()).split())


def normalise_quotes(text: str) -> str:
    """Collapse whitespace and unify curly quote marks, for comparing excerpts with sources."""
    table = str.maketrans(
        {
            "\u201c": '"',
            "\u201d": '"',
            "\u201e": '"',
            "\u2018": "'",
            "\u2019": "'",
            "\u2014": "-",
            "\u2013": "-",
        }
    )
    return " ".join(text.translate(table).split())


def check(facts: FactFile) -> list[Finding]:
    """Every problem that types alone cannot catch."""
    findings: list[Finding] = []
    kinds = _index_ids(facts, findings)
    for collection in COLLECTIONS:
        for index, item in enumerate(getattr(facts, collection)):
            path: tuple[PathPart, ...] = (collection, index)
            findings.extend(_check_references(item, path, kinds))
    findings.extend(_check_aliases(facts))
    findings.extend(_check_weekdays(facts))
    findings.extend(_check_date_order(facts))
    findings.extend(_check_quotes(facts))
    return findings


def _index_ids(facts: FactFile, findings: list[Finding]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    first_seen: dict[str, tuple[PathPart, ...]] = {}
    for collection in COLLECTIONS:
        for index, item in enumerate(getattr(facts, collection)):
            path: tuple[PathPart, ...] = (collection, index, "id")
            if item.id in kinds:
                where = f"{first_seen[item.id][0]}[{first_seen[item.id][1]}]"
                findings.append(
                    (path, f"id {item.id!r} is already used by {where}; ids are unique")
                )
                continue
            kinds[item.id] = collection
            first_seen[item.id] = path
    return kinds


_PLANS: dict[type, tuple[tuple[str, bool, bool], ...]] = {}


def _field_plan(record: type[Record]) -> tuple[tuple[str, bool, bool], ...]:
    """For one record class: (field, holds references, holds records) for the fields that matter."""
    cached = _PLANS.get(record)
    if cached is not None:
        return cached
    nested = record.nested_fields()
    plan = tuple(
        (name, name in REFERENCE_KINDS, name in nested)
        for name in record.FIELDS
        if name in REFERENCE_KINDS or name in nested
    )
    _PLANS[record] = plan
    return plan


def walk_refs(
    value: Any, path: tuple[PathPart, ...]
) -> Iterator[tuple[str, str, tuple[PathPart, ...]]]:
    """Yield (field, referenced id, path) for every reference field inside a record."""
    for name, is_ref, nested in _field_plan(type(value)):
        field_value = getattr(value, name)
        if field_value is None:
            continue
        if is_ref:
            if isinstance(field_value, str):
                yield name, field_value, (*path, name)
            else:
                for index, item in enumerate(field_value):
                    yield name, item, (*path, name, index)
        elif nested:
            if isinstance(field_value, list):
                for index, item in enumerate(field_value):
                    yield from walk_refs(item, (*path, name, index))
            else:
                yield from walk_refs(field_value, (*path, name))


def _check_references(
    item: Any, path: tuple[PathPart, ...], kinds: dict[str, str]
) -> list[Finding]:
    findings: list[Finding] = []
    for name, target, ref_path in walk_refs(item, path):
        allowed = REFERENCE_KINDS[name]
        kind = kinds.get(target)
        if kind is None:
            findings.append(
                (ref_path, f"refers to {target!r}, which no fact in this file has as id")
            )
        elif kind not in allowed:
            expected = " or ".join(sorted(allowed))
            findings.append(
                (ref_path, f"refers to {target!r} in {kind}; expected an id in {expected}")
            )
        elif target == getattr(item, "id", None):
            findings.append((ref_path, f"refers to its own id {target!r}"))
    return findings


def _check_aliases(facts: FactFile) -> list[Finding]:
    findings: list[Finding] = []
    owners: dict[str, str] = {}
    for collection in ENTITY_COLLECTIONS:
        for index, entity in enumerate(getattr(facts, collection)):
            names = [
                ("name", entity.name),
                *(((("aliases", i)), a) for i, a in enumerate(entity.aliases)),
            ]
            seen_here: set[str] = set()
            for where, name in names:
                key = normalise_name(name)
                if not key or key in seen_here:
                    continue
                seen_here.add(key)
                owner = owners.get(key)
                if owner is not None and owner != entity.id:
                    sub = where if isinstance(where, tuple) else (where,)
                    findings.append(
                        (
                            (collection, index, *sub),
                            f"name {_short(name)} already names {owner!r}; "
                            "an alias names one entity",
                        )
                    )
                else:
                    owners[key] = entity.id
    return findings


def _check_weekdays(facts: FactFile) -> list[Finding]:
    findings: list[Finding] = []
    for index, event in enumerate(facts.events):
        if event.weekday is None:
            continue
        path: tuple[PathPart, ...] = ("events", index, "weekday")
        if event.date is None or event.date.day is None:
            findings.append((path, "a weekday needs a date known to the day"))
        elif event.date.weekday() != event.weekday.value:
            findings.append(
                (path, f"{event.date} is a {event.date.weekday()}, not a {event.weekday.value}")
            )
    for collection in COLLECTIONS:
        for index, item in enumerate(getattr(facts, collection)):
            for e_index, evidence in enumerate(getattr(item, "evidence", [])):
                findings.extend(
                    _check_written_dates(evidence, (collection, index, "evidence", e_index))
                )
    return findings


def _check_written_dates(evidence: Evidence, path: tuple[PathPart, ...]) -> list[Finding]:
    findings: list[Finding] = []
    for field_name in ("excerpt", "paraphrase"):
        text = getattr(evidence, field_name)
        if not text:
            continue
        for match in _WRITTEN_DATE.finditer(text):
            weekday, month, day, year = match.groups()
            try:
                written = PartialDate(int(year), _MONTHS.index(month) + 1, int(day))
                actual = WEEKDAYS[written.first_day().weekday()]
            except ValueError:
                findings.append(((*path, field_name), f"{match.group()!r} is not a real date"))
                continue
            if actual != weekday:
                findings.append(
                    (
                        (*path, field_name),
                        f"{match.group()!r}: {written} is a {actual}, not a {weekday}",
                    )
                )
    return findings


def _check_date_order(facts: FactFile) -> list[Finding]:
    findings: list[Finding] = []
    for index, measure in enumerate(facts.tariffs):
        findings.extend(_measure_dates(measure, ("tariffs", index)))
    return findings


def _measure_dates(measure: Measure, path: tuple[PathPart, ...]) -> list[Finding]:
    findings: list[Finding] = []
    ordered = [(name, getattr(measure, name)) for name in ("announced", "in_force", "ends")]
    known = [(name, value) for name, value in ordered if value is not None]
    for (first, early), (second, late) in itertools.pairwise(known):
        if late.last_day() < early.first_day():
            findings.append(((*path, second), f"{second} {late} is before {first} {early}"))
    previous: PartialDate | None = None
    for step_index, step in enumerate(measure.lifecycle):
        if step.date is None:
            continue
        if previous is not None and step.date.last_day() < previous.first_day():
            findings.append(
                (
                    (*path, "lifecycle", step_index, "date"),
                    f"{step.date} is before the previous step's {previous}; "
                    "list steps in date order",
                )
            )
        previous = step.date
    return findings


def _check_quotes(facts: FactFile) -> list[Finding]:
    findings: list[Finding] = []
    for index, quote in enumerate(facts.quotes):
        excerpts = [normalise_quotes(e.excerpt) for e in quote.evidence if e.excerpt]
        if excerpts and not any(normalise_quotes(quote.text) in excerpt for excerpt in excerpts):
            findings.append(
                (
                    ("quotes", index, "text"),
                    "a verbatim quote must appear in its evidence's excerpt",
                )
            )
    return findings


def _short(text: str, limit: int = 60) -> str:
    """A quoted text for a message, cut to ``limit`` characters."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r} (+{len(text) - limit} more)"
