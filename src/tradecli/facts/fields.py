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

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, ClassVar, Self

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


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""The default of a field that a fact file must give."""


class Field:
    """One field of a kind of fact: its name, shape, rules, references, label and description."""

    __slots__ = (
        "default",
        "description",
        "each",
        "each_description",
        "label",
        "many",
        "min_items",
        "name",
        "names",
        "nullable",
        "owner",
        "part",
        "searched",
        "shape",
        "targets",
        "vocab",
    )

    def __init__(
        self,
        shape: Shape,
        description: str,
        *,
        many: bool = False,
        nullable: bool = True,
        default: Any = None,
        vocab: type[Vocab] | None = None,
        targets: Iterable[str] = (),
        part: type[Record] | None = None,
        min_items: int = 0,
        label: str | None = None,
        names: bool = False,
        searched: bool = False,
        each: str | None = None,
        each_description: str | None = None,
    ) -> None:
        self.shape = shape
        self.description = description
        self.many = many
        self.nullable = nullable and not many
        self.default = default
        self.vocab = vocab
        self.targets = frozenset(targets)
        self.part = part
        self.min_items = min_items
        self.label = label or ""
        self.names = names
        self.searched = searched
        self.each = each or ""
        self.each_description = each_description or ""
        self.name = ""
        self.owner: type[Record] | None = None

    @property
    def required(self) -> bool:
        """True if a fact file must give this field."""
        return self.default is REQUIRED

    def __repr__(self) -> str:
        owner = self.owner.__name__ if self.owner is not None else "?"
        return f"<Field {owner}.{self.name} {self.shape.value}{'[]' if self.many else ''}>"


# The functions that declare fields. Each returns a Field, typed as Any so that a declaration
# reads ``name: str = text(...)`` for the type checker.


def fact_id(description: str) -> Any:
    """The fact's own id, which names it."""
    return Field(Shape.ID, description, nullable=False, default=REQUIRED, names=True)


def text(
    description: str,
    *,
    required: bool = False,
    label: str | None = None,
    names: bool = False,
    searched: bool = False,
) -> Any:
    """Text; null where not given, unless ``required``."""
    return Field(
        Shape.TEXT,
        description,
        nullable=not required,
        default=REQUIRED if required else None,
        label=label,
        names=names,
        searched=searched,
    )


def texts(
    description: str,
    *,
    min_items: int = 0,
    label: str | None = None,
    names: bool = False,
    searched: bool = False,
) -> Any:
    """A list of texts; empty where not given, unless at least ``min_items`` are required."""
    return Field(
        Shape.TEXT,
        description,
        many=True,
        default=REQUIRED if min_items else [],
        min_items=min_items,
        label=label,
        names=names,
        searched=searched,
    )


def date(description: str, *, label: str | None = None) -> Any:
    """A date at the precision a source gives; null where not given."""
    return Field(Shape.DATE, description, label=label)


def percent(description: str, *, label: str | None = None) -> Any:
    """A rate in percent (finite, not negative); null where not given."""
    return Field(Shape.PERCENT, description, label=label)


def number(description: str, *, label: str | None = None) -> Any:
    """A finite number; null where not given."""
    return Field(Shape.NUMBER, description, label=label)


def vocab(
    words: type[Vocab],
    description: str,
    *,
    default: Vocab | None = None,
    required: bool = False,
    label: str | None = None,
) -> Any:
    """A word of ``words``: ``required``, else ``default`` where not given (null if none)."""
    return Field(
        Shape.VOCAB,
        description,
        vocab=words,
        nullable=default is None and not required,
        default=REQUIRED if required else default,
        label=label,
    )


def ref(
    targets: Iterable[str], description: str, *, required: bool = False, label: str | None = None
) -> Any:
    """The id of a fact in one of the ``targets`` collections; null where not given."""
    return Field(
        Shape.REF,
        description,
        targets=targets,
        nullable=not required,
        default=REQUIRED if required else None,
        label=label,
    )


def refs(
    targets: Iterable[str],
    description: str,
    *,
    each: str,
    each_description: str | None = None,
    min_items: int = 0,
    label: str | None = None,
) -> Any:
    """A list of ids of facts in the ``targets`` collections.

    ``each`` names one of them ("participant"), and ``each_description`` says what one is
    (by default "The participant.").
    """
    return Field(
        Shape.REF,
        description,
        many=True,
        targets=targets,
        default=REQUIRED if min_items else [],
        min_items=min_items,
        each=each,
        each_description=each_description or f"The {each.replace('_', ' ')}.",
        label=label,
    )


def parts(
    part: type[Record], description: str, *, min_items: int = 0, label: str | None = None
) -> Any:
    """A list of nested records of the declared ``part``."""
    return Field(
        Shape.PART,
        description,
        many=True,
        part=part,
        default=REQUIRED if min_items else [],
        min_items=min_items,
        label=label,
    )


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
        read, write = field.vocab, _enum_value
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
    (one of it, as people and export columns name it) and ``table`` (its export table, for a
    part).
    """

    FIELDS: ClassVar[tuple[Field, ...]] = ()
    OWN_FIELDS: ClassVar[tuple[Field, ...]] = ()
    BY_NAME: ClassVar[dict[str, Field]] = {}
    RULES: ClassVar[tuple[Rule, ...]] = ()
    COLLECTION: ClassVar[str] = ""
    SINGULAR: ClassVar[str] = ""
    TABLE: ClassVar[str] = ""
    _plan: ClassVar[tuple[tuple[str, Any, Any], ...] | None] = None

    def __init_subclass__(
        cls, *, collection: str = "", singular: str = "", table: str = "", **kwargs: Any
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
        cls.TABLE = table or collection
        cls._plan = None

    @classmethod
    def field(cls, name: str) -> Field:
        """The field called ``name``; KeyError if this kind has none."""
        return cls.BY_NAME[name]

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
        record = object.__new__(cls)
        values = record.__dict__
        for name, read, _write in cls._conversions():
            value = data[name]
            values[name] = value if read is None or value is None else read(value)
        return record

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Self:
        """A record holding these values, which are already of the record's own types."""
        record = object.__new__(cls)
        record.__dict__.update(values)
        return record

    def to_json(self) -> dict[str, Any]:
        """The record as its fact's JSON: every field, dates and words as strings."""
        values = self.__dict__
        return {
            name: values[name] if write is None or values[name] is None else write(values[name])
            for name, _read, write in self._conversions()
        }

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (to values of the record's own types)."""
        unknown = set(changes) - set(self.BY_NAME)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        return self.from_values({**self.__dict__, **changes})

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
