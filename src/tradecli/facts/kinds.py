"""Every kind of fact in a fact file, and every part nested in one: the one place each is declared.

A fact file holds one list per kind (its ``collection``). Each field below says its type, whether
a file must give it, its vocabulary, what it may reference, whether it names the fact or is free
text for full-text search, and a one-line description; ``tradecli.facts.fields`` says how. Rules
(``RULES``) check what types alone cannot, for one fact at a time.
"""

from __future__ import annotations

from typing import Any

from tradecli.facts import fields as f
from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Record
from tradecli.facts.vocab import (
    Certainty,
    Channel,
    DateBasis,
    Disputed,
    EventCategory,
    EventStatus,
    MeasureKind,
    MeasureStatus,
    OrganisationKind,
    Ownership,
    PlaceKind,
    PublisherKind,
    SourceKind,
    StatementKind,
    Weekday,
)

# What a reference may name: the collections of the kinds below.
SOURCES = ("sources",)
PLACES = ("places",)
ORGANISATIONS = ("organisations",)
EVENTS = ("events",)
MEASURES = ("tariffs",)
ENTITIES = ("people", "organisations", "places")
ACTORS = ("people", "organisations")
JURISDICTIONS = ("places", "organisations")
CLAIMS = ("people", "organisations", "places", "events", "tariffs", "quotes", "statements")

ID_DESCRIPTION = "The fact's id, unique across the whole file."


class Evidence(Record, singular="evidence", table="evidence"):
    """Where a fact comes from: a source, with a verbatim excerpt or a paraphrase."""

    source: str = f.ref(SOURCES, "The source.", required=True)
    excerpt: str | None = f.text("The source's own words, verbatim.", searched=True)
    paraphrase: str | None = f.text("What the source says, in our own words.", searched=True)

    RULES = (
        f.ExactlyOne(
            "excerpt",
            "paraphrase",
            message="evidence needs exactly one of 'excerpt' (verbatim) or 'paraphrase'",
        ),
    )


class Fact(Record):
    """Fields every fact shares: id, evidence, certainty and who makes the claim."""

    id: str = f.fact_id(ID_DESCRIPTION)
    evidence: list[Evidence] = f.parts(
        Evidence, "Where the fact comes from, piece by piece, each naming its source.", min_items=1
    )
    certainty: Certainty = f.vocab(
        Certainty, "How the sources qualify the fact.", default=Certainty.STATED
    )
    claimed_by: str | None = f.ref(ENTITIES, "Who makes the claim, where a source names them.")
    notes: str | None = f.text("Editorial notes.", searched=True)


def _written_fits(source: Any) -> str | None:
    if source.written is not None and source.published is not None:
        return "a source with a publication date needs no 'written' date; remove one"
    if source.written_until is None:
        return None
    if source.written is None:
        return "written_until needs written"
    if source.written_until.last_day() < source.written.first_day():
        return f"written_until {source.written_until} is before written {source.written}"
    return None


class Source(Record, collection="sources", singular="source"):
    """A document that facts cite."""

    id: str = f.fact_id(ID_DESCRIPTION)
    title: str = f.text("The document's title.", required=True, names=True, searched=True)
    outlet: str | None = f.text(
        "The outlet whose story it is, by its name alone: for a reprint, the original's.",
        searched=True,
    )
    carried_by: str | None = f.text(
        "The outlet that carried another's story (a reprint, a quotation, a translation).",
        searched=True,
    )
    publisher: PublisherKind = f.vocab(
        PublisherKind, "What kind of publisher the outlet is.", required=True
    )
    published: PartialDate | None = f.date("When it was published, as the page shows it.")
    written: PartialDate | None = f.date(
        "Where the page shows no publication date: when the text was written, as it shows."
    )
    written_until: PartialDate | None = f.date(
        "The last day the text may have been written, where it shows a span of days."
    )
    url: str | None = f.text("Where to read it.")
    kind: SourceKind = f.vocab(SourceKind, "What kind of document it is.", required=True)
    notes: str | None = f.text("Editorial notes.", searched=True)

    RULES = (_written_fits,)

    @property
    def as_of(self) -> PartialDate | None:
        """The date the source speaks as of: when it was published, else the last day its text
        may have been written; None where neither is known."""
        return self.published or self.written_until or self.written


class Role(Record, singular="role", table="person_roles"):
    """A position a person holds, as a source states it."""

    title: str = f.text("The position.", required=True, searched=True)
    organisation: str | None = f.ref(ORGANISATIONS, "The organisation it is held in.")
    country: str | None = f.ref(PLACES, "The country it is held in.")
    rank: str | None = f.text("A rank the source states.")


class Person(Fact, collection="people", singular="person"):
    """A person named in the sources."""

    name: str = f.text("The person's name.", required=True, names=True, searched=True)
    aliases: list[str] = f.texts("Other names the sources use.", names=True, searched=True)
    country: str | None = f.ref(PLACES, "The person's country.")
    roles: list[Role] = f.parts(Role, "Positions the person holds, as a source states them.")


class Organisation(Fact, collection="organisations", singular="organisation"):
    """A company, state body or other organisation named in the sources."""

    name: str = f.text("The organisation's name.", required=True, names=True, searched=True)
    aliases: list[str] = f.texts("Other names the sources use.", names=True, searched=True)
    kind: OrganisationKind = f.vocab(OrganisationKind, "What kind of body it is.", required=True)
    sector: str | None = f.text("What it does.", searched=True)
    ownership: Ownership | None = f.vocab(Ownership, "Who owns it.")
    country: str | None = f.ref(PLACES, "Where it is based.")
    description: str | None = f.text("A short description.", searched=True)


class Place(Fact, collection="places", singular="place"):
    """A country, province, city or building named in the sources."""

    name: str = f.text("The place's name.", required=True, names=True, searched=True)
    aliases: list[str] = f.texts("Other names the sources use.", names=True, searched=True)
    kind: PlaceKind = f.vocab(PlaceKind, "What kind of place it is.", required=True)
    within: str | None = f.ref(PLACES, "The place this one lies in.")


def _event_dates_fit(event: Any) -> str | None:
    if event.date is not None and event.end_date is not None:
        if event.end_date.last_day() < event.date.first_day():
            return f"end_date {event.end_date} is before date {event.date}"
    elif event.end_date is not None:
        return "end_date needs a date"
    return None


class Event(Fact, collection="events", singular="event"):
    """The visit, a meeting, or a background event."""

    category: EventCategory = f.vocab(
        EventCategory, "visit, meeting, ceremony, consultation or background.", required=True
    )
    title: str = f.text("What happened.", required=True, names=True, searched=True)
    summary: str | None = f.text("A short summary.", searched=True)
    date: PartialDate | None = f.date("When it happened or began.")
    end_date: PartialDate | None = f.date("When it ended.")
    date_basis: DateBasis | None = f.vocab(
        DateBasis,
        "How the dates are known, where no source gives them as such: inferred by the "
        "editors from what a source says, or as announced before the event.",
    )
    weekday: Weekday | None = f.vocab(Weekday, "The weekday a source gives.")
    place: str | None = f.ref(PLACES, "Where it happened.")
    participants: list[str] = f.refs(ACTORS, "Who took part in an event.", each="participant")
    topics: list[str] = f.texts("What was discussed.", searched=True)
    status: EventStatus = f.vocab(
        EventStatus,
        "held, scheduled or cancelled; for what is not a meeting, happened or ongoing.",
        default=EventStatus.HELD,
    )
    outcome: str | None = f.text("What came of it.", searched=True)
    part_of: str | None = f.ref(EVENTS, "The event this one belongs to.")
    supersedes: str | None = f.ref(
        ("events", "tariffs", "statements", "quotes"), "An earlier fact this one replaces."
    )

    RULES = (
        lambda event: (
            "a scheduled event has no outcome yet; remove 'outcome' or set status"
            if event.status is EventStatus.SCHEDULED and event.outcome is not None
            else None
        ),
        _event_dates_fit,
    )


class LifecycleStep(Record, singular="lifecycle_step", table="lifecycle_steps"):
    """A dated change in a measure's status, with its own evidence."""

    status: MeasureStatus = f.vocab(MeasureStatus, "The status the measure reached.", required=True)
    date: PartialDate | None = f.date("When.")
    until: PartialDate | None = f.date(
        "The last day the step is known to hold; after it the store does not know the state."
    )
    products: list[str] = f.texts(
        "The products this step applies to, where only some of the measure's; else empty.",
        searched=True,
    )
    rate_percent: float | None = f.percent("The rate from this step on, where a source gives one.")
    note: str | None = f.text("An editorial note.", searched=True)
    certainty: Certainty = f.vocab(
        Certainty, "How the sources qualify the step.", default=Certainty.STATED
    )
    evidence: list[Evidence] = f.parts(
        Evidence, "Where the step comes from, each piece naming its source.", min_items=1
    )


class Measure(Fact, collection="tariffs", singular="tariff", noun="measure", nouns="measures"):
    """A tariff or other trade measure: who imposes it on whom, on what, at what rate, and why."""

    title: str = f.text("What the measure is.", required=True, names=True, searched=True)
    kind: MeasureKind = f.vocab(MeasureKind, "What kind of measure it is.", required=True)
    imposed_by: str = f.ref(JURISDICTIONS, "Who imposes the measure.", required=True)
    target: str = f.ref(JURISDICTIONS, "Whom the measure is aimed at.", required=True)
    products: list[str] = f.texts("The products it applies to.", min_items=1, searched=True)
    rate_percent: float | None = f.percent("The rate in percent; NULL where no source gives one.")
    rate_basis: str | None = f.text("What the rate is charged on.", searched=True)
    purpose: str | None = f.text("Why it was imposed, as a source says.", searched=True)
    responds_to: list[str] = f.refs(
        MEASURES,
        "Measures a measure responds to.",
        each="responds_to",
        each_description="The measure it responds to.",
    )
    affected: list[str] = f.texts("Regions or industries affected.", searched=True)
    status: MeasureStatus = f.vocab(MeasureStatus, "Where the measure stands.", required=True)
    announced: PartialDate | None = f.date("When it was announced.")
    in_force: PartialDate | None = f.date("When it came into force.")
    ends: PartialDate | None = f.date("When it ends.")
    lifecycle: list[LifecycleStep] = f.parts(
        LifecycleStep, "Dated changes in a measure's status, each with its own evidence."
    )
    responds_to_basis: str | None = f.text(
        "Who says it responds to those measures, where no source does (the editors' reading)."
    )


class Quote(Fact, collection="quotes", singular="quote"):
    """Words a speaker said or wrote, verbatim, with when, where and who reports them."""

    speaker: str | None = f.ref(ACTORS, "Who spoke.")
    speaker_description: str | None = f.text(
        "Who spoke, where no entity can be named.", searched=True
    )
    text: str = f.text("The words, verbatim.", required=True, searched=True)
    date: PartialDate | None = f.date("When they were said.")
    date_basis: DateBasis | None = f.vocab(
        DateBasis, "How the date is known, where no source gives it as such."
    )
    occasion: str | None = f.text("Where or when they were said.", searched=True)
    event: str | None = f.ref(EVENTS, "The event they were said at.")
    channel: Channel = f.vocab(Channel, "How the words reached the public.", required=True)
    platform: str | None = f.text("The platform, for a post.", searched=True)
    attribution: str | None = f.text("Who reports the words.", searched=True)
    about: list[str] = f.texts("What the words are about.", searched=True)

    RULES = (
        lambda quote: (
            "a quote needs 'speaker' or 'speaker_description'"
            if quote.speaker is None and quote.speaker_description is None
            else None
        ),
    )


class Statement(Fact, collection="statements", singular="statement"):
    """A figure, ranking, goal or other claim, or a question the sources leave open, in our own
    words, with its evidence."""

    kind: StatementKind = f.vocab(StatementKind, "What the statement asserts.", required=True)
    text: str = f.text("The claim, in our own words.", required=True, searched=True)
    subjects: list[str] = f.refs(CLAIMS, "The facts a statement is about.", each="subject")
    value: float | None = f.number("The figure, where it is one.")
    unit: str | None = f.text("The figure's unit.", searched=True)
    date: PartialDate | None = f.date("When the claim holds or was made.")
    due: PartialDate | None = f.date(
        "When an expected change, a goal or an open question's answer is due, as a source says."
    )


class Explanation(Record, singular="explanation", table="conflict_explanations"):
    """How a source explains a disagreement between other sources."""

    text: str = f.text("The explanation, in our own words.", required=True, searched=True)
    evidence: list[Evidence] = f.parts(
        Evidence, "The source that gives the explanation.", min_items=1
    )


class Conflict(Record, collection="conflicts", singular="conflict"):
    """Facts whose sources disagree; each claim is kept with its own source."""

    id: str = f.fact_id(ID_DESCRIPTION)
    topic: str = f.text(
        "What the sources disagree about.", required=True, names=True, searched=True
    )
    disputes: Disputed | None = f.vocab(
        Disputed,
        "What is disputed: a date, a rate, a figure, a status, a cause, or who did it; each "
        "side shows it (a measure's dates, or its rate and status on the date of the first "
        "claim's source).",
    )
    claims: list[str] = f.refs(
        CLAIMS,
        "The facts that disagree, one row per claim.",
        each="claim",
        each_description="The fact making the claim.",
        min_items=2,
    )
    note: str | None = f.text("An editorial note.", searched=True)
    explanation: Explanation | None = f.part(
        Explanation, "How a source explains the disagreement, where one does."
    )


KINDS: tuple[type[Record], ...] = (
    Source,
    Person,
    Organisation,
    Place,
    Event,
    Measure,
    Quote,
    Statement,
    Conflict,
)
"""Every kind of fact, in the order of a fact file's collections."""

KIND_OF: dict[str, type[Record]] = {kind.COLLECTION: kind for kind in KINDS}
COLLECTIONS: tuple[str, ...] = tuple(KIND_OF)
PARTS: tuple[type[Record], ...] = (Evidence, Role, LifecycleStep, Explanation)
"""Every nested part, each with an export table of its own."""


def fingerprint() -> str:
    """A text that changes whenever a declaration does: every field of every kind and part."""
    return "|".join(
        f"{kind.__name__}:"
        + ",".join(
            f"{f.name}/{f.shape.value}/{f.many}/{f.nullable}/{sorted(f.targets)}"
            f"/{[member.value for member in f.vocab] if f.vocab else ''}"
            for f in kind.FIELDS
        )
        for kind in (*KINDS, *PARTS)
    )


NAME_FIELDS = frozenset(field.name for kind in KINDS for field in kind.FIELDS if field.names)
"""Fields that name a fact; search weighs a hit in them above a hit elsewhere."""
