"""How a kind of fact is declared: each field said once, and the plain record every layer reads.

A kind is a class of ``Record`` whose body lists its fields, each made by one of the functions
below (``text``, ``date``, ``ref``, ``parts`` ...)::

    class Place(Fact, collection="places", singular="place"):
        \"\"\"A country, province, city or building named in the sources.\"\"\"

        name: str = text("The place's name.", required=True, names=True, searched=True)
        within: str | None = ref(PLACES, "The place this one lies in.")

The annotation is for the type checker; the ``Field`` is what tradecli reads. From the fields come
the pydantic models that validate a file (``tradecli.load.schema``), the JSON Schema, the
reference checks, the search index's name fields, the export's tables and rows, and the labels
that views print. A record itself is a plain immutable object with one attribute per field:
dates are ``PartialDate``, vocabulary words their enum, nested parts records. It is built from a
validated fact's JSON (``from_json``) and gives that JSON back (``to_json``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, ClassVar, NamedTuple, Self

from tradecli.facts.dates import PartialDate
from tradecli.facts.vocab import Vocab


class Shape(Enum):
    """What one value of a field is."""

    TEXT = "text"  # non-empty text
    ID = "id"  # the fact's own id
    REF = "ref"  # the id of another fact
    DATE = "date"  # a PartialDate, written YYYY, YYYY-MM or YYYY-MM-DD
    PERCENT = "percent"  # a finite number, not negative
    NUMBER = "number"  # a finite number
    VOCAB = "vocab"  # a word of a closed vocabulary
    PART = "part"  # a nested record, such as a piece of evidence


class DayBound(NamedTuple):
    """A day a date of any precision gives, written beside it as ``<field>_<suffix>``: a
    YYYY-MM-DD that every tool sorts and compares as a day, where ``2026`` and ``2026-01`` are
    text that a date-aware tool misreads (SQLite's ``date('2026')`` is in the year -4707)."""

    suffix: str
    day: Callable[[PartialDate], datetime.date]
    description: str  # ``{name}`` is the date field's name

    def name(self, field: str) -> str:
        """The name of the day beside the date ``field``: ``published_earliest``."""
        return f"{field}_{self.suffix}"

    def describe(self, field: str) -> str:
        """What the day beside the date ``field`` is."""
        return self.description.format(name=field)

    def of(self, value: PartialDate | None) -> str | None:
        """The day of a date, YYYY-MM-DD; None for no date."""
        return None if value is None else self.day(value).isoformat()


DAY_BOUNDS: tuple[DayBound, ...] = (
    DayBound(
        "earliest",
        PartialDate.first_day,
        "The first day {name} can mean, YYYY-MM-DD (2018-12 gives 2018-12-01); null when "
        "{name} is. Sort and filter on it: {name}_earliest >= '2026-01-01' holds for every "
        "date from 2026 on, whatever its precision.",
    ),
    DayBound(
        "latest",
        PartialDate.last_day,
        "The last day {name} can mean, YYYY-MM-DD (2018-12 gives 2018-12-31); null when "
        "{name} is. {name}_latest < '2026-01-01' holds for every date before 2026.",
    ),
)
"""The days beside every date, in the order they follow it, wherever a date is written for
tools (JSON, CSV, the export's columns): declared once, here, with the fields."""


def bounded(field: Field) -> bool:
    """True for a field that has ``DAY_BOUNDS`` beside it: a single date."""
    return field.shape is Shape.DATE and not field.many


REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "REQUIRED"})()
"""The default of a field that a fact file must give."""


class Field:
    """One field of a kind of fact: its name, shape, rules, references, label and description."""

    def __init__(
        self,
        shape: Shape,
        description: str,
        *,
        required: bool = False,
        many: bool = False,
        default: Any = None,
        min_items: int = 0,
        vocab: type[Vocab] | None = None,
        targets: Iterable[str] = (),
        part: type[Record] | None = None,
        label: str | None = None,
        names: bool = False,
        searched: bool = False,
        each: str = "",
        each_description: str | None = None,
    ) -> None:
        required = required or min_items > 0
        self.shape, self.description, self.many = shape, description, many
        self.default = REQUIRED if required else [] if many else default
        self.nullable = not required and not many and default is None
        self.min_items, self.vocab, self.part = min_items, vocab, part
        self.targets = frozenset(targets)
        self.label, self.names, self.searched = label or "", names, searched
        self.each = each
        self.each_description = each_description or f"The {each.replace('_', ' ')}."
        self.name = ""
        self.owner: type[Record] | None = None

    @property
    def required(self) -> bool:
        """True if a fact file must give this field."""
        return self.default is REQUIRED

    def __repr__(self) -> str:
        owner = self.owner.__name__ if self.owner is not None else "?"
        return f"<Field {owner}.{self.name} {self.shape.value}{'[]' if self.many else ''}>"


# The functions that declare fields, one per shape. Each returns a Field, typed as Any so that a
# declaration reads ``name: str = text(...)`` for the type checker. Every one takes ``required``
# (a file must give it), ``label`` (what people read), ``names`` (the field names the fact) and
# ``searched`` (free text for full-text search); a list takes ``min_items``.


def fact_id(description: str) -> Any:
    """The fact's own id, which names it."""
    return Field(Shape.ID, description, required=True, names=True)


def text(description: str, **options: Any) -> Any:
    """Text; null where not given."""
    return Field(Shape.TEXT, description, **options)


def texts(description: str, **options: Any) -> Any:
    """A list of texts; empty where not given."""
    return Field(Shape.TEXT, description, many=True, **options)


def date(description: str, **options: Any) -> Any:
    """A date at the precision a source gives; null where not given."""
    return Field(Shape.DATE, description, **options)


def percent(description: str, **options: Any) -> Any:
    """A rate in percent (finite, not negative); null where not given."""
    return Field(Shape.PERCENT, description, **options)


def number(description: str, **options: Any) -> Any:
    """A finite number; null where not given."""
    return Field(Shape.NUMBER, description, **options)


def vocab(words: type[Vocab], description: str, **options: Any) -> Any:
    """A word of ``words``; ``default`` (else null) where not given."""
    return Field(Shape.VOCAB, description, vocab=words, **options)


def ref(targets: Iterable[str], description: str, **options: Any) -> Any:
    """The id of a fact in one of the ``targets`` collections; null where not given."""
    return Field(Shape.REF, description, targets=targets, **options)


def refs(targets: Iterable[str], description: str, *, each: str, **options: Any) -> Any:
    """A list of ids of facts in the ``targets`` collections; empty where not given.

    ``each`` names one of them ("participant"), and ``each_description`` says what one is
    (by default "The participant.").
    """
    return Field(Shape.REF, description, many=True, targets=targets, each=each, **options)


def part(part: type[Record], description: str, **options: Any) -> Any:
    """One nested record of the declared ``part``; null where not given."""
    return Field(Shape.PART, description, part=part, **options)


def parts(part: type[Record], description: str, **options: Any) -> Any:
    """A list of nested records of the declared ``part``; empty where not given."""
    return Field(Shape.PART, description, many=True, part=part, **options)


# How a JSON value becomes a record's value, and back: (read, write); None keeps JSON as it is.
_Conversion = tuple[Callable[[Any], Any] | None, Callable[[Any], Any] | None]


def _enum_value(member: Enum) -> Any:
    return member.value


def _record_json(record: Record) -> dict[str, Any]:
    return record.to_json()


def _conversion(field: Field) -> _Conversion:
    read: Callable[[Any], Any]
    write: Callable[[Any], Any]
    if field.shape is Shape.DATE:
        read, write = PartialDate.parse, str
    elif field.shape is Shape.VOCAB:
        assert field.vocab is not None
        # A dictionary look-up, not a call of the Enum (a third of the time of reading a
        # record); a word not in the vocabulary is a KeyError, as the call's ValueError was.
        read, write = field.vocab._value2member_map_.__getitem__, _enum_value
    elif field.shape is Shape.PART:
        assert field.part is not None
        read, write = field.part.from_json, _record_json
    else:
        return None, None
    if not field.many:
        return read, write
    return (lambda items: [read(item) for item in items]), (
        lambda items: [write(item) for item in items]
    )


def _compile_reader(cls: type[Record]) -> Callable[[dict[str, Any]], Any]:
    """A function that makes a record of ``cls`` from its JSON: the loop over the fields,
    unrolled, one line per field. Stores of 100,000 facts read them all; the loop was most of
    that time."""
    plan = cls._conversions()
    lines = ["def read(data):", "    record = _new(_cls)", "    values = record.__dict__"]
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    for number, (name, read, _write) in enumerate(plan):
        if read is None:
            lines.append(f"    values[{name!r}] = data[{name!r}]")
        else:
            scope[f"_read{number}"] = read
            lines.append(f"    value = data[{name!r}]")
            lines.append(f"    values[{name!r}] = None if value is None else _read{number}(value)")
    lines.append("    return record")
    exec("\n".join(lines), scope)
    return scope["read"]  # type: ignore[no-any-return]


Rule = Callable[[Any], "str | None"]
"""A check of one fact beyond its fields' types: a message when it fails, else None."""


class ExactlyOne:
    """A rule that exactly one of some fields is given (not null)."""

    def __init__(self, *names: str, message: str) -> None:
        self.names = names
        self.message = message

    def __call__(self, item: Any) -> str | None:
        given = sum(getattr(item, name) is not None for name in self.names)
        return None if given == 1 else self.message


class Record:
    """Base of every kind of fact and nested part: fields in declaration order, immutable.

    Class keywords say what a kind is: ``collection`` (its list in a fact file), ``singular``
    (one of it, as export columns name it), ``noun`` and ``nouns`` (one and several of it, as
    people read them, where they differ: a "tariff" row is a "measure") and ``table`` (its
    export table, for a part).
    """

    FIELDS: ClassVar[tuple[Field, ...]] = ()
    OWN_FIELDS: ClassVar[tuple[Field, ...]] = ()
    BY_NAME: ClassVar[dict[str, Field]] = {}
    RULES: ClassVar[tuple[Rule, ...]] = ()
    COLLECTION: ClassVar[str] = ""
    SINGULAR: ClassVar[str] = ""
    NOUN: ClassVar[str] = ""
    NOUNS: ClassVar[str] = ""
    TABLE: ClassVar[str] = ""
    _plan: ClassVar[tuple[tuple[str, Any, Any], ...] | None] = None
    _reader: ClassVar[Callable[[dict[str, Any]], Any] | None] = None

    def __init_subclass__(
        cls,
        *,
        collection: str = "",
        singular: str = "",
        noun: str = "",
        nouns: str = "",
        table: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        own = []
        for name, value in list(cls.__dict__.items()):
            if isinstance(value, Field):
                value.name = name
                value.owner = cls
                value.label = value.label or name.replace("_", " ")
                own.append(value)
                delattr(cls, name)
        cls.OWN_FIELDS = tuple(own)
        cls.FIELDS = (*cls.FIELDS, *own)
        cls.BY_NAME = {field.name: field for field in cls.FIELDS}
        cls.COLLECTION = collection
        cls.SINGULAR = singular or cls.SINGULAR
        cls.NOUN = noun or cls.SINGULAR.replace("_", " ")
        cls.NOUNS = nouns or collection or f"{cls.NOUN}s"
        cls.TABLE = table or collection
        cls._plan = None
        cls._reader = None

    @classmethod
    def fields_of(cls, shape: Shape) -> tuple[Field, ...]:
        """The fields of one shape, in order: ``Measure.fields_of(Shape.DATE)``."""
        return tuple(field for field in cls.FIELDS if field.shape is shape)

    @classmethod
    def _conversions(cls) -> tuple[tuple[str, Any, Any], ...]:
        plan = cls.__dict__.get("_plan")
        if plan is None:
            plan = tuple((field.name, *_conversion(field)) for field in cls.FIELDS)
            cls._plan = plan
        return plan

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        """The record of a validated fact's JSON (every field present, defaults filled in)."""
        reader = cls.__dict__.get("_reader")
        if reader is None:
            reader = cls._reader = _compile_reader(cls)
        return reader(data)  # type: ignore[no-any-return]

    def to_json(self) -> dict[str, Any]:
        """The record as its fact's JSON: every field, dates and words as strings."""
        values = self.__dict__
        return {
            name: values[name] if write is None or values[name] is None else write(values[name])
            for name, _read, write in self._conversions()
        }

    def to_data(self) -> dict[str, Any]:
        """The record as JSON output gives it: its fact's JSON with, beside each date, the days
        of ``DAY_BOUNDS`` (``published_earliest``, ``published_latest``), in its parts too."""
        values = self.__dict__
        data: dict[str, Any] = {}
        for field, (name, _read, write) in zip(self.FIELDS, self._conversions(), strict=True):
            value = values[name]
            if field.shape is Shape.PART and value is not None:
                data[name] = [one.to_data() for one in value] if field.many else value.to_data()
            else:
                data[name] = value if write is None or value is None else write(value)
            if bounded(field):
                for bound in DAY_BOUNDS:
                    data[bound.name(name)] = bound.of(value)
        return data

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (to values of the record's own types)."""
        unknown = set(changes) - set(self.BY_NAME)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        record = object.__new__(type(self))
        record.__dict__.update(self.__dict__, **changes)
        return record

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
        shown = ", ".join(f"{field.name}={self.__dict__[field.name]!r}" for field in self.FIELDS)
        return f"{type(self).__name__}({shown})"
