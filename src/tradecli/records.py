"""Facts as queries read them: plain immutable objects built from data the schema has validated.

A record has the fields of its schema model (``tradecli.schema``), with dates as ``PartialDate``,
vocabularies as the enums of ``tradecli.kinds`` and nested parts as records, but none of pydantic's
machinery: defining the models and their validators costs more than answering a query on the
bundled data, and a store whose file validated before (see ``tradecli.index``) need not pay it.

Records are built with ``from_json`` from a model's JSON dump (every field present, defaults filled
in) and give that dump back with ``to_json``; ``tests/test_records.py`` holds each record to its
model, field by field.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, ClassVar, Self

from tradecli import kinds
from tradecli.dates import PartialDate
from tradecli.kinds import (
    COLLECTIONS,
    Certainty,
    Channel,
    EventCategory,
    EventStatus,
    MeasureKind,
    MeasureStatus,
    OrganisationKind,
    Ownership,
    PlaceKind,
    SourceKind,
    StatementKind,
    Weekday,
)

# How a field's JSON value becomes its value in a record, and back: (read, write).
_Plan = tuple[tuple[str, Callable[[Any], Any] | None, Callable[[Any], Any] | None], ...]


class Record:
    """Base of every record: fields in the order of the schema, immutable, compared by value."""

    FIELDS: ClassVar[tuple[str, ...]] = ()
    _plan: ClassVar[_Plan | None] = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        """The record of a validated model's JSON dump (every field present)."""
        record = object.__new__(cls)
        values = record.__dict__
        for name, read, _write in cls._conversions():
            value = data[name]
            values[name] = value if read is None or value is None else read(value)
        return record

    def to_json(self) -> dict[str, Any]:
        """The record as its model dumps it to JSON: every field, dates and enums as strings."""
        values = self.__dict__
        return {
            name: values[name] if write is None or values[name] is None else write(values[name])
            for name, _read, write in self._conversions()
        }

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (to values of the record's own types)."""
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        record = object.__new__(type(self))
        record.__dict__.update(self.__dict__, **changes)
        return record

    @classmethod
    def nested_fields(cls) -> frozenset[str]:
        """The fields that hold records (such as ``evidence``), one or a list of them."""
        return frozenset(
            name
            for name in cls.FIELDS
            if isinstance(target := _field_type(cls, name)[0], type) and issubclass(target, Record)
        )

    @classmethod
    def _conversions(cls) -> _Plan:
        plan = cls.__dict__.get("_plan")
        if plan is None:
            plan = tuple((name, *_converters(cls, name)) for name in cls.FIELDS)
            cls._plan = plan
        return plan

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        own = tuple(
            name
            for name, annotation in inspect.get_annotations(cls).items()
            if not str(annotation).startswith("ClassVar")
        )
        cls.FIELDS = (*cls.FIELDS, *own)
        cls._plan = None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), self.__dict__.get("id")))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.__dict__[name]!r}" for name in self.FIELDS)
        return f"{type(self).__name__}({shown})"


def _field_type(cls: type[Record], name: str) -> tuple[Any, bool]:
    """The type a field's annotation names (None for plain JSON), and whether it is a list."""
    annotation = next(
        own[name] for klass in cls.__mro__ if name in (own := inspect.get_annotations(klass))
    )
    text = str(annotation).removesuffix(" | None")
    many = text.startswith("list[")
    inner = text[len("list[") : -1] if many else text
    return _NAMED.get(inner), many


def _converters(cls: type[Record], name: str) -> tuple[Any, Any]:
    """(read, write) for one field, from its annotation; None where JSON is kept as it is."""
    target, many = _field_type(cls, name)
    if target is None:
        return None, None
    read: Callable[[Any], Any]
    write: Callable[[Any], Any]
    if target is PartialDate:
        read, write = PartialDate.parse, str
    elif issubclass(target, StrEnum):
        read, write = target, _enum_value
    else:
        read, write = target.from_json, _to_json
    if not many:
        return read, write
    return (lambda items: [read(item) for item in items]), (
        lambda items: [write(item) for item in items]
    )


def _enum_value(member: StrEnum) -> str:
    return member.value


def _to_json(record: Record) -> dict[str, Any]:
    return record.to_json()


class Source(Record):
    """A document that facts cite."""

    id: str
    title: str
    outlet: str | None
    published: PartialDate | None
    url: str | None
    kind: SourceKind
    notes: str | None


class Evidence(Record):
    """Where a fact comes from: a source, with a verbatim excerpt or a paraphrase."""

    source: str
    excerpt: str | None
    paraphrase: str | None


class Fact(Record):
    """Fields every fact shares: id, evidence, certainty and who makes the claim."""

    id: str
    evidence: list[Evidence]
    certainty: Certainty
    claimed_by: str | None
    notes: str | None


class Role(Record):
    """A position a person holds, as a source states it."""

    title: str
    organisation: str | None
    country: str | None
    rank: str | None


class Person(Fact):
    """A person named in the sources."""

    name: str
    aliases: list[str]
    country: str | None
    roles: list[Role]


class Organisation(Fact):
    """A company or state body named in the sources."""

    name: str
    aliases: list[str]
    kind: OrganisationKind
    sector: str | None
    ownership: Ownership | None
    country: str | None
    description: str | None


class Place(Fact):
    """A country, province, city or building named in the sources."""

    name: str
    aliases: list[str]
    kind: PlaceKind
    within: str | None


class Event(Fact):
    """The visit, a meeting, or a background event."""

    category: EventCategory
    title: str
    summary: str | None
    date: PartialDate | None
    end_date: PartialDate | None
    weekday: Weekday | None
    place: str | None
    participants: list[str]
    topics: list[str]
    status: EventStatus
    outcome: str | None
    part_of: str | None
    supersedes: str | None


class LifecycleStep(Record):
    """A dated change in a measure's status, with its own evidence."""

    status: MeasureStatus
    date: PartialDate | None
    rate_percent: float | None
    note: str | None
    certainty: Certainty
    evidence: list[Evidence]


class Measure(Fact):
    """A tariff or other trade measure: who imposes it on whom, on what, at what rate, and why."""

    title: str
    kind: MeasureKind
    imposed_by: str
    target: str
    products: list[str]
    rate_percent: float | None
    rate_basis: str | None
    purpose: str | None
    responds_to: list[str]
    affected: list[str]
    status: MeasureStatus
    announced: PartialDate | None
    in_force: PartialDate | None
    ends: PartialDate | None
    lifecycle: list[LifecycleStep]


class Quote(Fact):
    """Words a speaker said or wrote, verbatim, with when, where and who reports them."""

    speaker: str | None
    speaker_description: str | None
    text: str
    date: PartialDate | None
    occasion: str | None
    event: str | None
    channel: Channel
    platform: str | None
    attribution: str | None
    about: list[str]


class Statement(Fact):
    """A figure, ranking, goal or other claim, in our own words, with its evidence."""

    kind: StatementKind
    text: str
    subjects: list[str]
    value: float | None
    unit: str | None
    date: PartialDate | None


class Conflict(Record):
    """Facts whose sources disagree; each claim is kept with its own source."""

    id: str
    topic: str
    claims: list[str]
    note: str | None


# Names used in the annotations above, for turning JSON into field values.
_NAMED: dict[str, Any] = {
    "PartialDate": PartialDate,
    **{name: value for name, value in vars(kinds).items() if isinstance(value, type)},
    **{cls.__name__: cls for cls in (Evidence, Role, LifecycleStep)},
}

# The record class of each collection's facts.
RECORD_TYPES: dict[str, type[Any]] = {
    "sources": Source,
    "people": Person,
    "organisations": Organisation,
    "places": Place,
    "events": Event,
    "tariffs": Measure,
    "quotes": Quote,
    "statements": Statement,
    "conflicts": Conflict,
}


# For each model class: its record class, and (field, holds records) for each of its fields.
_MODEL_PLANS: dict[type, tuple[type[Record], tuple[tuple[str, bool], ...]]] = {}


def record_of(model: Any) -> Any:
    """The record of a validated model: equal to ``from_json`` of its JSON dump, built faster.

    The model's values are already what a record holds (dates, enums, floats), so they are
    shared, not dumped to JSON and read back. Each record class is named after its model.
    """
    known = _MODEL_PLANS.get(type(model))
    if known is None:
        kind = globals()[type(model).__name__]
        nested = kind.nested_fields()
        known = _MODEL_PLANS[type(model)] = (
            kind,
            tuple((name, name in nested) for name in kind.FIELDS),
        )
    kind, plan = known
    record = object.__new__(kind)
    values = record.__dict__
    fields = model.__dict__
    for name, holds_records in plan:
        value = fields[name]
        if holds_records and value is not None:
            value = list(map(record_of, value)) if type(value) is list else record_of(value)
        values[name] = value
    return record


class FactFile:
    """Every record of a store, by collection, in file order."""

    sources: list[Source]
    people: list[Person]
    organisations: list[Organisation]
    places: list[Place]
    events: list[Event]
    tariffs: list[Measure]
    quotes: list[Quote]
    statements: list[Statement]
    conflicts: list[Conflict]

    def __init__(
        self,
        collections: dict[str, list[Any]] | None = None,
        *,
        load: Callable[[str], list[Any]] | None = None,
    ) -> None:
        """The given collections (others empty), or, with ``load``, each loaded on first use."""
        self.__dict__["_load"] = load
        if load is None:
            for collection in COLLECTIONS:
                self.__dict__[collection] = list((collections or {}).get(collection, ()))

    def __getattr__(self, name: str) -> Any:
        load = self.__dict__["_load"]
        if load is None or name not in COLLECTIONS:
            raise AttributeError(f"FactFile has no attribute {name!r}")
        items = self.__dict__[name] = load(name)
        return items

    @classmethod
    def from_model(cls, model: Any) -> FactFile:
        """The records of a validated ``schema.FactFile``."""
        return cls(
            {
                collection: list(map(record_of, getattr(model, collection)))
                for collection in COLLECTIONS
            }
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactFile:
        """The records of a validated fact file's JSON dump."""
        return cls(
            {
                collection: [RECORD_TYPES[collection].from_json(item) for item in data[collection]]
                for collection in COLLECTIONS
            }
        )

    def replace(self, **collections: list[Any]) -> FactFile:
        """A copy with some collections replaced."""
        return FactFile({**{name: getattr(self, name) for name in COLLECTIONS}, **collections})

    def loaded(self) -> list[str]:
        """The collections in memory (all of them unless they load on first use)."""
        return [collection for collection in COLLECTIONS if collection in self.__dict__]

    def all_facts(self) -> Iterator[tuple[str, Any]]:
        """Every record with the name of its collection, in file order."""
        for collection in COLLECTIONS:
            for item in getattr(self, collection):
                yield collection, item

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FactFile is immutable; use replace()")
