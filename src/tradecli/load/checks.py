"""Checks beyond types: ids, references, aliases, weekdays, the order of dates, and chains
(``within``, ``part_of``, ``supersedes``) that come back to where they began."""

from __future__ import annotations

import functools
import itertools
import re
from typing import TYPE_CHECKING, Any

from tradecli.facts.dates import MONTHS, WEEKDAYS, PartialDate
from tradecli.facts.fields import Field, Record, Shape
from tradecli.facts.kinds import ENTITIES, KIND_OF, Evidence, Measure
from tradecli.facts.refs import ref_plan, walk_refs
from tradecli.load.jsonlocate import PathPart
from tradecli.words import normalise_name

if TYPE_CHECKING:
    from collections.abc import Mapping

Finding = tuple[tuple[PathPart, ...], str]

_WRITTEN_DATE = re.compile(
    rf"\b({'|'.join(WEEKDAYS)}),?\s+({'|'.join(MONTHS)})\s+([0-9]{{1,2}}),?\s+([0-9]{{4}})\b"
)


_QUOTE_MARKS = str.maketrans(
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


def normalise_quotes(text: str) -> str:
    """Collapse whitespace and unify curly quote marks, for comparing excerpts with sources."""
    return " ".join(text.translate(_QUOTE_MARKS).split())


# Links that put facts in a chain: a place within a place, an event part of an event, a fact
# that supersedes another. Every chain must end; one that comes back to its start is a cycle.
_CHAIN_FIELDS = ("within", "part_of", "supersedes")
_CHAINS_OF: dict[str, tuple[str, ...]] = {
    collection: tuple(
        field.name
        for field in kind.fields_of(Shape.REF)
        if field.name in _CHAIN_FIELDS and not field.many
    )
    for collection, kind in KIND_OF.items()
}
_CYCLE_SHOWN = 8  # members named in a message; a longer cycle is cut, with its length


def check(facts: Mapping[str, list[Any]]) -> list[Finding]:
    """Every problem that types alone cannot catch, grouped by fact in file order."""
    checker = Checker()
    for collection in KIND_OF:
        for index, item in enumerate(facts[collection]):
            checker.add(collection, index, item)
    return checker.finish()


class Checker:
    """The checks beyond types, fed one fact at a time in file order.

    It keeps only what later facts need (ids, names, references to ids not seen yet), so a large
    file can be checked without holding its records; ``check`` feeds it a whole file.
    """

    def __init__(self) -> None:
        self._findings: list[Finding] = []
        self._kinds: dict[str, str] = {}
        self._first_seen: dict[str, tuple[PathPart, ...]] = {}
        self._owners: dict[str, str] = {}
        self._forward: list[tuple[Field, str, tuple[PathPart, ...], str | None]] = []
        # For each chain field, each fact's link, in file order (a self-link is reported above).
        self._links: dict[str, dict[str, str]] = {name: {} for name in _CHAIN_FIELDS}

    def add(self, collection: str, index: int, item: Any) -> None:
        """Check one fact, the ``index``-th of its collection (a record, or a validated model)."""
        kind = KIND_OF[collection]
        findings = self._findings
        finding = _note_id(collection, index, item, self._kinds, self._first_seen)
        if finding is not None:
            findings.append(finding)
        own_id = getattr(item, "id", None)
        kinds = self._kinds
        # Paths are made only for a fact with a reference to look at more closely.
        if not _references_fit(kind, item, kinds, own_id):
            for field, target, ref_path in walk_refs(kind, item, (collection, index)):
                found = kinds.get(target)
                if found is None:  # perhaps a fact further on: decided in finish()
                    self._forward.append((field, target, ref_path, own_id))
                elif (message := _reference_problem(field, target, found, own_id)) is not None:
                    findings.append((ref_path, message))
        for name in _CHAINS_OF[collection]:
            target = getattr(item, name)
            if target is not None and own_id is not None and target != own_id:
                self._links[name].setdefault(own_id, target)
        if collection in ENTITIES:
            findings.extend(_entity_names(collection, index, item, self._owners))
        elif collection == "events":
            finding = _event_weekday(item, index)
            if finding is not None:
                findings.append(finding)
        elif collection == "tariffs":
            findings.extend(_measure_dates(item, (collection, index)))
        elif collection == "quotes":
            finding = _quote_in_excerpt(item, index)
            if finding is not None:
                findings.append(finding)
        findings.extend(_evidence_dates(item, (collection, index)))

    def finish(self) -> list[Finding]:
        """Every finding, once all facts are in."""
        for field, target, ref_path, own_id in self._forward:
            message = _reference_problem(field, target, self._kinds.get(target), own_id)
            if message is not None:
                self._findings.append((ref_path, message))
        self._forward = []
        for name, links in self._links.items():
            self._findings.extend(_cycles(name, links, self._first_seen))
        self._links = {name: {} for name in _CHAIN_FIELDS}
        return self._findings


def _cycles(
    field: str, links: dict[str, str], first_seen: dict[str, tuple[PathPart, ...]]
) -> list[Finding]:
    """One finding per cycle of ``field`` links, at its member first in the file.

    Each fact has at most one such link, so following links from each fact in turn finds every
    cycle once, in a time proportional to the number of links.
    """
    findings: list[Finding] = []
    done: set[str] = set()
    order: dict[str, int] = {}  # each linking fact's place in the file, once a cycle needs it
    for start in links:
        walk: dict[str, int] = {}  # the facts on this walk, each with its place on it
        fact_id: str | None = start
        while fact_id is not None and fact_id not in done and fact_id not in walk:
            walk[fact_id] = len(walk)
            fact_id = links.get(fact_id)
        if fact_id is not None and fact_id in walk:
            members = list(walk)[walk[fact_id] :]
            order = order or {member: place for place, member in enumerate(links)}
            first = min(range(len(members)), key=lambda place: order[members[place]])
            members = members[first:] + members[:first]
            collection, index = first_seen[members[0]][:2]
            findings.append(((collection, index, field), _cycle_message(field, members)))
        done.update(walk)
    return findings


def _cycle_message(field: str, members: list[str]) -> str:
    shown = [repr(member) for member in members[:_CYCLE_SHOWN]]
    if len(members) > _CYCLE_SHOWN:
        shown.append(f"... ({len(members)} facts)")
    chain = " -> ".join([*shown, repr(members[0])])
    return f"{field} links go round in a cycle: {chain}; remove one of them so the chain ends"


def _note_id(
    collection: str,
    index: int,
    item: Any,
    kinds: dict[str, str],
    first_seen: dict[str, tuple[PathPart, ...]],
) -> Finding | None:
    """Record a fact's id and collection; a finding if an earlier fact has the id."""
    fact_id = item.id
    if fact_id in kinds:
        where = f"{first_seen[fact_id][0]}[{first_seen[fact_id][1]}]"
        return (
            (collection, index, "id"),
            f"id {fact_id!r} is already used by {where}; ids are unique",
        )
    kinds[fact_id] = collection
    first_seen[fact_id] = (collection, index, "id")
    return None


# For each kind and part: (field, the collections it may refer to; None for parts, with their kind).
_FitPlan = tuple[tuple[str, frozenset[str] | None, Any], ...]
_FIT_PLANS: dict[type[Record], _FitPlan] = {}


def _fit_plan(kind: type[Record]) -> _FitPlan:
    plan = tuple(
        (field.name, field.targets if field.shape is Shape.REF else None, field.part)
        for field in ref_plan(kind)
    )
    _FIT_PLANS[kind] = plan
    return plan


def _references_fit(
    kind: type[Record], value: Any, kinds: dict[str, str], own_id: str | None
) -> bool:
    """True if every reference inside a fact is to a known id of an allowed kind, not its own.

    The common case, every reference fine, for each fact of a large file: kept to a plain loop.
    """
    kind_of = kinds.get
    plans = _FIT_PLANS
    pending: list[tuple[Any, Any]] = [(kind, value)]
    while pending:
        item_kind, item = pending.pop()
        values = item.__dict__
        for name, allowed, part in plans.get(item_kind) or _fit_plan(item_kind):
            field_value = values[name]
            if field_value is None:
                continue
            if allowed is None:  # parts inside this one
                if type(field_value) is list:
                    pending += [(part, inner) for inner in field_value]
                else:
                    pending.append((part, field_value))
            elif type(field_value) is str:
                if field_value == own_id or kind_of(field_value) not in allowed:
                    return False
            else:
                for target in field_value:
                    if target == own_id or kind_of(target) not in allowed:
                        return False
    return True


def _reference_problem(
    field: Field, target: str, kind: str | None, own_id: str | None
) -> str | None:
    """What is wrong with a reference from ``field`` to an id of collection ``kind``."""
    allowed = field.targets
    if kind is None:
        return f"refers to {target!r}, which no fact in this file has as id"
    if kind not in allowed:
        expected = " or ".join(sorted(allowed))
        return f"refers to {target!r} in {kind}; expected an id in {expected}"
    if target == own_id:
        return f"refers to its own id {target!r}"
    return None


def _entity_names(
    collection: str, index: int, entity: Any, owners: dict[str, str]
) -> list[Finding]:
    """Claim an entity's name and aliases in ``owners``; findings for those another one has."""
    findings: list[Finding] = []
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
                    f"name {_short(name)} already names {owner!r}; an alias names one entity",
                )
            )
        else:
            owners[key] = entity.id
    return findings


def _event_weekday(event: Any, index: int) -> Finding | None:
    """A finding if an event's weekday does not fit its date."""
    if event.weekday is None:
        return None
    path: tuple[PathPart, ...] = ("events", index, "weekday")
    if event.date is None or event.date.day is None:
        return (path, "a weekday needs a date known to the day")
    if event.date.weekday() != event.weekday.value:
        return (path, f"{event.date} is a {event.date.weekday()}, not a {event.weekday.value}")
    return None


def _evidence_dates(item: Any, path: tuple[PathPart, ...]) -> list[Finding]:
    """Findings for written dates whose weekday is wrong, in a fact's own evidence."""
    findings: list[Finding] = []
    for e_index, evidence in enumerate(getattr(item, "evidence", ())):
        if _may_write_a_weekday(evidence.excerpt) or _may_write_a_weekday(evidence.paraphrase):
            findings.extend(_check_written_dates(evidence, (*path, "evidence", e_index)))
    return findings


def _may_write_a_weekday(text: str | None) -> bool:
    return text is not None and "day" in text and _WRITTEN_DATE.search(text) is not None


def _check_written_dates(evidence: Evidence, path: tuple[PathPart, ...]) -> list[Finding]:
    findings: list[Finding] = []
    for field_name in ("excerpt", "paraphrase"):
        text = getattr(evidence, field_name)
        if not text:
            continue
        for match in _WRITTEN_DATE.finditer(text):
            message = _written_date_problem(match.group(), *match.groups())
            if message is not None:
                findings.append(((*path, field_name), message))
    return findings


@functools.lru_cache(maxsize=4096)  # a large file writes the same dates many times
def _written_date_problem(
    written: str, weekday: str, month: str, day: str, year: str
) -> str | None:
    """What is wrong with a date written out with its weekday, if anything."""
    try:
        date = PartialDate(int(year), MONTHS.index(month) + 1, int(day))
        actual = WEEKDAYS[date.first_day().weekday()]
    except ValueError:
        return f"{written!r} is not a real date"
    if actual != weekday:
        return f"{written!r}: {date} is a {actual}, not a {weekday}"
    return None


# A measure's dates, in the order they must come.
_MEASURE_DATES = tuple(field.name for field in Measure.fields_of(Shape.DATE))


def _measure_dates(measure: Measure, path: tuple[PathPart, ...]) -> list[Finding]:
    findings: list[Finding] = []
    ordered = [(name, getattr(measure, name)) for name in _MEASURE_DATES]
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


def _quote_in_excerpt(quote: Any, index: int) -> Finding | None:
    """A finding if a quote's text appears in none of its evidence's excerpts."""
    excerpts = [normalise_quotes(e.excerpt) for e in quote.evidence if e.excerpt]
    if excerpts and not any(normalise_quotes(quote.text) in excerpt for excerpt in excerpts):
        return (("quotes", index, "text"), "a verbatim quote must appear in its evidence's excerpt")
    return None


def _short(text: str, limit: int = 60) -> str:
    """A quoted text for a message, cut to ``limit`` characters."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r} (+{len(text) - limit} more)"
