"""The fact file schema: pydantic models of sources, entities, events, tariffs, quotes, statements.

Every fact carries an id, its evidence (each piece naming a source) and its certainty. Models are
immutable and refuse unknown fields, so a typo in a fact file is an error rather than a silent loss.
"""

from __future__ import annotations

import functools
import typing
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from tradecli.dates import PATTERN_TEXT, PartialDate
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

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"


def _parse_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date string as YYYY, YYYY-MM or YYYY-MM-DD")
    return _date_of_text(value)


# A large file writes the same few thousand dates again and again; a PartialDate is immutable.
_date_of_text = functools.lru_cache(maxsize=8192)(PartialDate.parse)
_date_text = functools.lru_cache(maxsize=8192)(str)


Date = Annotated[
    PartialDate,
    PlainValidator(_parse_date),
    PlainSerializer(_date_text, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PATTERN_TEXT,
            "description": (
                "A date known to the year (YYYY), the month (YYYY-MM) or the day (YYYY-MM-DD)."
            ),
        }
    ),
]


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected the number 1, not a boolean")
    return value


# Non-empty text. A lone surrogate (a \uD800-style escape without its pair) cannot reach the
# models: store.parse_json refuses it, with its line and column, when it reads the file.
Text = Annotated[str, StringConstraints(min_length=1)]
FactId = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=120),
    Field(description="A stable, readable id: lower-case letters, digits, '.', '_' and '-'."),
]
Ref = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, max_length=120),
    Field(description="The id of another fact in this file."),
]
Percent = Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]


class Model(BaseModel):
    """Base of every model: immutable, and unknown fields are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Source(Model):
    """A document that facts cite."""

    id: FactId
    title: Text
    outlet: Text | None = None
    published: Date | None = None
    url: Text | None = None
    kind: SourceKind
    notes: Text | None = None


class Evidence(Model):
    """Where a fact comes from: a source, with a verbatim excerpt or a paraphrase."""

    source: Ref
    excerpt: Text | None = Field(
        default=None, description="Verbatim words of the source, quoted exactly."
    )
    paraphrase: Text | None = Field(
        default=None, description="What the source says, in our own words."
    )

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Evidence:
        if (self.excerpt is None) == (self.paraphrase is None):
            raise ValueError("evidence needs exactly one of 'excerpt' (verbatim) or 'paraphrase'")
        return self


class Fact(Model):
    """Fields every fact shares: id, evidence, certainty and who makes the claim."""

    id: FactId
    evidence: list[Evidence] = Field(min_length=1)
    certainty: Certainty = Certainty.STATED
    claimed_by: Ref | None = Field(
        default=None, description="The entity that makes this claim, where the source names one."
    )
    notes: Text | None = None


class Role(Model):
    """A position a person holds, as a source states it."""

    title: Text
    organisation: Ref | None = None
    country: Ref | None = None
    rank: Text | None = Field(
        default=None,
        description="A rank the source states, e.g. 'second-highest-ranking official'.",
    )


class Person(Fact):
    """A person named in the sources."""

    name: Text
    aliases: list[Text] = []
    country: Ref | None = None
    roles: list[Role] = []


class Organisation(Fact):
    """A company or state body named in the sources."""

    name: Text
    aliases: list[Text] = []
    kind: OrganisationKind
    sector: Text | None = None
    ownership: Ownership | None = None
    country: Ref | None = None
    description: Text | None = None


class Place(Fact):
    """A country, province, city or building named in the sources."""

    name: Text
    aliases: list[Text] = []
    kind: PlaceKind
    within: Ref | None = None


class Event(Fact):
    """The visit, a meeting, or a background event."""

    category: EventCategory
    title: Text
    summary: Text | None = None
    date: Date | None = None
    end_date: Date | None = None
    weekday: Weekday | None = Field(
        default=None, description="The weekday of 'date' where a source writes one."
    )
    place: Ref | None = None
    participants: list[Ref] = []
    topics: list[Text] = []
    status: EventStatus = EventStatus.HELD
    outcome: Text | None = None
    part_of: Ref | None = Field(default=None, description="The event this one belongs to.")
    supersedes: Ref | None = Field(
        default=None, description="An earlier fact about the same event that this one replaces."
    )

    @model_validator(mode="after")
    def _coherent(self) -> Event:
        if self.status is EventStatus.SCHEDULED and self.outcome is not None:
            raise ValueError("a scheduled event has no outcome yet; remove 'outcome' or set status")
        if self.date is not None and self.end_date is not None:
            if self.end_date.last_day() < self.date.first_day():
                raise ValueError(f"end_date {self.end_date} is before date {self.date}")
        elif self.end_date is not None:
            raise ValueError("end_date needs a date")
        return self


class LifecycleStep(Model):
    """A dated change in a measure's status, with its own evidence."""

    status: MeasureStatus
    date: Date | None = None
    rate_percent: Percent | None = None
    note: Text | None = None
    certainty: Certainty = Certainty.STATED
    evidence: list[Evidence] = Field(min_length=1)


class Measure(Fact):
    """A tariff or other trade measure: who imposes it on whom, on what, at what rate, and why."""

    title: Text
    kind: MeasureKind
    imposed_by: Ref
    target: Ref
    products: list[Text] = Field(min_length=1)
    rate_percent: Percent | None = Field(
        default=None, description="The rate in percent; null where the source gives none."
    )
    rate_basis: Text | None = None
    purpose: Text | None = None
    responds_to: list[Ref] = []
    affected: list[Text] = Field(default=[], description="Regions or industries affected.")
    status: MeasureStatus
    announced: Date | None = None
    in_force: Date | None = None
    ends: Date | None = None
    lifecycle: list[LifecycleStep] = []


class Quote(Fact):
    """Words a speaker said or wrote, verbatim, with when, where and who reports them."""

    speaker: Ref | None = None
    speaker_description: Text | None = Field(
        default=None, description="Who speaks, where no entity can be named (e.g. a readout)."
    )
    text: Text
    date: Date | None = None
    occasion: Text | None = None
    event: Ref | None = None
    channel: Channel
    platform: Text | None = None
    attribution: Text | None = None
    about: list[Text] = []

    @model_validator(mode="after")
    def _has_speaker(self) -> Quote:
        if self.speaker is None and self.speaker_description is None:
            raise ValueError("a quote needs 'speaker' or 'speaker_description'")
        return self


class Statement(Fact):
    """A figure, ranking, goal or other claim, in our own words, with its evidence."""

    kind: StatementKind
    text: Text
    subjects: list[Ref] = []
    value: Annotated[float, Field(allow_inf_nan=False, strict=True)] | None = None
    unit: Text | None = None
    date: Date | None = None


class Conflict(Model):
    """Facts whose sources disagree; each claim is kept with its own source."""

    id: FactId
    topic: Text
    claims: list[Ref] = Field(min_length=2)
    note: Text | None = None


class FactFile(Model):
    """A tradecli fact file."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        json_schema_extra={"title": "tradecli fact file"},
    )

    schema_: str | None = Field(default=None, alias="$schema")
    format_version: Annotated[Literal[1], BeforeValidator(_no_bool)] = Field(
        description="The fact-file format version: 1."
    )
    title: Text | None = None
    sources: list[Source] = []
    people: list[Person] = []
    organisations: list[Organisation] = []
    places: list[Place] = []
    events: list[Event] = []
    tariffs: list[Measure] = []
    quotes: list[Quote] = []
    statements: list[Statement] = []
    conflicts: list[Conflict] = []


# The model of each collection's facts.
COLLECTION_MODELS: dict[str, type[Model]] = {
    collection: typing.get_args(FactFile.model_fields[collection].annotation)[0]
    for collection in COLLECTIONS
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a fact file."""
    document = FactFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
