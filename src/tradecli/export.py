"""Export every fact to a SQLite database or to a folder of CSV files, one table per kind.

Layout. One table per kind of fact (``sources``, ``people``, ``organisations``, ``places``,
``events``, ``tariffs``, ``quotes``, ``statements``, ``conflicts``), keyed by the fact's id, and one
link table per list of sub-records or references: ``person_roles``, ``lifecycle_steps``,
``event_participants``, ``tariff_responds_to``, ``statement_subjects``, ``conflict_claims`` and
``evidence``. A link table row has an integer ``id`` (1, 2, ... in file order) and a ``list_index``:
its 0-based place in the fact file's list, as in a JSON path such as ``tariffs[3].lifecycle[1]``.
The CSV export writes the same tables, rows and columns, one ``<table>.csv`` each.

Column names. A column keeps the fact file's field name. In a link table, ``<kind>_id`` names the
fact the row belongs to (``event_id``, ``tariff_id``); a name without ``_id`` is a fact the row
refers to (``responds_to``, ``source``).

References that may point to several kinds. ``imposed_by`` may name a place or an organisation,
``claimed_by`` a person, an organisation or a place, and so on (tradecli.checks says which). Such
a field becomes one nullable column per kind it may point to, each a real FOREIGN KEY to that
kind's table: ``imposed_by_place`` and ``imposed_by_organisation``, with the id in the column of
its kind and NULL in the others, and a CHECK that at most one (for a list item: exactly one) is
set. We chose this over a single text column plus a "kind" column, which no foreign key can
check, and over a table of every fact id, which would make datasette link every reference to that
table instead of the person or place itself. Read a reference whatever its kind with
``coalesce(imposed_by_place, imposed_by_organisation)``.

Values. Dates are text exactly as in the fact file ("2018", "2018-12", "2018-12-03") with a
``<field>_precision`` column (year, month or day), so a month is never padded to a day. Lists of
plain text (aliases, topics, products, affected, about) are JSON arrays in text columns, which
datasette and sqlite-utils display as lists and SQLite's ``json_each`` can unpack. Enumerations
are their fact-file spelling, rates and figures are REAL, and text is stored exactly as written:
it is data here, not terminal output. In CSV an empty cell is NULL (no text in a fact file is
empty).

Search. Every table with free text has a full-text index ``<table>_fts`` (FTS5, Porter stemming,
accents ignored) made the way ``sqlite-utils enable-fts --create-triggers`` makes it: an
external-content table with ``content="<table>"`` whose rows share the table's rowid, kept in
step by triggers ``<table>_ai``, ``_ad`` and ``_au``. datasette and ``sqlite-utils search`` find
it by that name. A fact table's rowid is not its id; if VACUUM renumbers rowids, rebuild an index
with ``INSERT INTO people_fts(people_fts) VALUES('rebuild')``, or export again.

Safety. Nothing is written in place: the database (or each CSV file) is written to a temporary
file in the same directory and moved into place only when complete, so a failure leaves no
partial file and the previous file, if any, untouched. An existing file is replaced only with
``force``. The database is written with ``PRAGMA foreign_keys=ON``, and every table documents its
columns in SQL comments (``sqlite3 facts.db .schema``, or datasette's table page). ``PRAGMA
user_version`` holds EXPORT_VERSION, the version of this layout.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecli.dates import PartialDate, Precision
from tradecli.errors import UsageError
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
from tradecli.records import Evidence, FactFile
from tradecli.refs import REFERENCE_KINDS

if TYPE_CHECKING:
    from tradecli.store import Store

Cell = str | int | float | None

# Stamped into PRAGMA user_version; raise it when a table or column changes meaning.
EXPORT_VERSION = 1

SINGULAR: dict[str, str] = {
    "sources": "source",
    "people": "person",
    "organisations": "organisation",
    "places": "place",
    "events": "event",
    "tariffs": "tariff",
    "quotes": "quote",
    "statements": "statement",
    "conflicts": "conflict",
}

# The kinds whose facts carry evidence, in file order; an evidence row belongs to one of them
# or to a lifecycle step.
EVIDENCED: tuple[str, ...] = tuple(c for c in COLLECTIONS if c not in ("sources", "conflicts"))


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an exported table."""

    name: str
    sql_type: str
    doc: str
    not_null: bool = False
    primary_key: bool = False
    references: str | None = None
    choices: tuple[str, ...] = ()

    def definition(self) -> str:
        """The column's definition in CREATE TABLE."""
        parts = [_quote(self.name), self.sql_type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        if self.not_null or self.primary_key:
            parts.append("NOT NULL")
        if self.references is not None:
            parts.append(f'REFERENCES {_quote(self.references)}("id")')
        if self.choices:
            allowed = ", ".join(_literal(choice) for choice in self.choices)
            parts.append(f"CHECK ({_quote(self.name)} IN ({allowed}))")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Table:
    """An exported table: its columns, its constraints and the columns of its search index."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    search: tuple[str, ...] = ()
    constraints: tuple[tuple[str, str], ...] = ()
    numbered: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)

    def create_sql(self) -> str:
        """CREATE TABLE with a comment on the table and on every column."""
        items = [(column.definition(), column.doc) for column in self.columns]
        items += list(self.constraints)
        lines = [f"CREATE TABLE {_quote(self.name)} (", f"  -- {self.doc}"]
        for index, (definition, doc) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"  {definition}{comma} -- {doc}")
        lines.append(")")
        return "\n".join(lines)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


# Column builders: each returns the column(s) for one field of the fact file.


def _id() -> Column:
    return Column("id", "TEXT", "The fact's id, unique across the whole file.", primary_key=True)


def _number() -> Column:
    return Column("id", "INTEGER", "Row number, 1, 2, ... in file order.", primary_key=True)


def _text(name: str, doc: str, *, required: bool = False) -> Column:
    return Column(name, "TEXT", doc, not_null=required)


def _choice(name: str, enum: type[Enum], doc: str, *, required: bool = True) -> Column:
    return Column(name, "TEXT", doc, not_null=required, choices=_values(enum))


def _real(name: str, doc: str) -> Column:
    return Column(name, "REAL", doc)


def _list(name: str, doc: str) -> Column:
    return Column(name, "TEXT", f"{doc} A JSON array of text; [] when none.", not_null=True)


def _index() -> Column:
    return Column("list_index", "INTEGER", "0-based place in the fact file's list.", not_null=True)


def _ref(name: str, table: str, doc: str, *, required: bool = False) -> Column:
    return Column(name, "TEXT", doc, not_null=required, references=table)


def _owner(table: str) -> Column:
    return _ref(
        f"{SINGULAR[table]}_id", table, f"The {SINGULAR[table]} this row belongs to.", required=True
    )


def _date(name: str, doc: str) -> tuple[Column, Column]:
    return (
        _text(name, f"{doc} As in the fact file: YYYY, YYYY-MM or YYYY-MM-DD."),
        _choice(
            f"{name}_precision",
            Precision,
            f"How much of {name} is known: year, month or day.",
            required=False,
        ),
    )


def targets(field: str) -> tuple[str, ...]:
    """The tables a reference field may point to, in file order."""
    allowed = REFERENCE_KINDS[field]
    return tuple(collection for collection in COLLECTIONS if collection in allowed)


def _alternative_names(field: str, prefix: str | None = None) -> list[str]:
    """The columns of a several-kind reference: ``<prefix or field>_<kind>``, one per kind."""
    return [f"{prefix or field}_{SINGULAR[table]}" for table in targets(field)]


def _alternatives(field: str, doc: str, *, prefix: str | None = None) -> tuple[Column, ...]:
    """One nullable foreign-key column per kind a reference field may point to."""
    return tuple(
        _ref(name, table, f"{doc} Set when one of the {table}, else NULL.")
        for name, table in zip(_alternative_names(field, prefix), targets(field), strict=True)
    )


def _one_of(names: Iterable[str], *, exactly: bool) -> str:
    total = " + ".join(f"({_quote(name)} IS NOT NULL)" for name in names)
    return f"CHECK ({total} {'=' if exactly else '<='} 1)"


def _fact_columns() -> tuple[Column, ...]:
    return (
        _choice("certainty", Certainty, "How the sources qualify the fact."),
        *_alternatives("claimed_by", "Who makes the claim, where a source names them."),
        _text("notes", "Editorial notes."),
    )


def _fact_constraints() -> tuple[tuple[str, str], ...]:
    names = _alternative_names("claimed_by")
    return ((_one_of(names, exactly=False), "A claim has at most one claimant."),)


def _build_tables() -> tuple[Table, ...]:
    facts = _fact_columns()
    fact_checks = _fact_constraints()
    return (
        Table(
            "sources",
            "Documents that facts cite.",
            (
                _id(),
                _text("title", "The document's title.", required=True),
                _text("outlet", "Who published it."),
                *_date("published", "When it was published."),
                _text("url", "Where to read it."),
                _choice("kind", SourceKind, "What kind of document it is."),
                _text("notes", "Editorial notes."),
            ),
            search=("title", "outlet", "notes"),
        ),
        Table(
            "people",
            "People named in the sources.",
            (
                _id(),
                _text("name", "The person's name.", required=True),
                _list("aliases", "Other names the sources use."),
                _ref("country", "places", "The person's country."),
                *facts,
            ),
            search=("name", "aliases", "notes"),
            constraints=fact_checks,
        ),
        Table(
            "organisations",
            "Companies, state bodies and other organisations named in the sources.",
            (
                _id(),
                _text("name", "The organisation's name.", required=True),
                _list("aliases", "Other names the sources use."),
                _choice("kind", OrganisationKind, "What kind of body it is."),
                _text("sector", "What it does."),
                _choice("ownership", Ownership, "Who owns it.", required=False),
                _ref("country", "places", "Where it is based."),
                _text("description", "A short description."),
                *facts,
            ),
            search=("name", "aliases", "sector", "description", "notes"),
            constraints=fact_checks,
        ),
        Table(
            "places",
            "Countries, provinces, cities and buildings named in the sources.",
            (
                _id(),
                _text("name", "The place's name.", required=True),
                _list("aliases", "Other names the sources use."),
                _choice("kind", PlaceKind, "What kind of place it is."),
                _ref("within", "places", "The place this one lies in."),
                *facts,
            ),
            search=("name", "aliases", "notes"),
            constraints=fact_checks,
        ),
        Table(
            "events",
            "The visit, its meetings and background events; participants in event_participants.",
            (
                _id(),
                _choice("category", EventCategory, "visit, meeting or background."),
                _text("title", "What happened.", required=True),
                _text("summary", "A short summary."),
                *_date("date", "When it happened or began."),
                *_date("end_date", "When it ended."),
                _choice("weekday", Weekday, "The weekday a source gives.", required=False),
                _ref("place", "places", "Where it happened."),
                _list("topics", "What was discussed."),
                _choice("status", EventStatus, "held, scheduled or cancelled."),
                _text("outcome", "What came of it."),
                _ref("part_of", "events", "The event this one belongs to."),
                *_alternatives("supersedes", "An earlier fact this one replaces."),
                *facts,
            ),
            search=("title", "summary", "topics", "outcome", "notes"),
            constraints=(
                (
                    _one_of(_alternative_names("supersedes"), exactly=False),
                    "An event supersedes at most one fact.",
                ),
                *fact_checks,
            ),
        ),
        Table(
            "tariffs",
            "Tariffs and other trade measures; dated changes in lifecycle_steps.",
            (
                _id(),
                _text("title", "What the measure is.", required=True),
                _choice("kind", MeasureKind, "What kind of measure it is."),
                *_alternatives("imposed_by", "Who imposes the measure."),
                *_alternatives("target", "Whom the measure is aimed at."),
                _list("products", "The products it applies to."),
                _real("rate_percent", "The rate in percent; NULL where no source gives one."),
                _text("rate_basis", "What the rate is charged on."),
                _text("purpose", "Why it was imposed, as a source says."),
                _list("affected", "Regions or industries affected."),
                _choice("status", MeasureStatus, "Where the measure stands."),
                *_date("announced", "When it was announced."),
                *_date("in_force", "When it came into force."),
                *_date("ends", "When it ends."),
                *facts,
            ),
            search=("title", "products", "rate_basis", "purpose", "affected", "notes"),
            constraints=(
                (
                    _one_of(_alternative_names("imposed_by"), exactly=True),
                    "A measure has one imposer.",
                ),
                (_one_of(_alternative_names("target"), exactly=True), "A measure has one target."),
                *fact_checks,
            ),
        ),
        Table(
            "quotes",
            "Words a speaker said or wrote, verbatim.",
            (
                _id(),
                *_alternatives("speaker", "Who spoke.", prefix="speaker"),
                _text("speaker_description", "Who spoke, where no entity can be named."),
                _text("text", "The words, verbatim.", required=True),
                *_date("date", "When they were said."),
                _text("occasion", "Where or when they were said."),
                _ref("event", "events", "The event they were said at."),
                _choice("channel", Channel, "How the words reached the public."),
                _text("platform", "The platform, for a post."),
                _text("attribution", "Who reports the words."),
                _list("about", "What the words are about."),
                *facts,
            ),
            search=(
                "speaker_description",
                "text",
                "occasion",
                "platform",
                "attribution",
                "about",
                "notes",
            ),
            constraints=(
                (
                    _one_of(_alternative_names("speaker"), exactly=False),
                    "A quote has at most one speaker.",
                ),
                *fact_checks,
            ),
        ),
        Table(
            "statements",
            "Figures, rankings, goals and other claims; what they are about in statement_subjects.",
            (
                _id(),
                _choice("kind", StatementKind, "What the statement asserts."),
                _text("text", "The claim, in our own words.", required=True),
                _real("value", "The figure, where it is one."),
                _text("unit", "The figure's unit."),
                *_date("date", "When the claim holds or was made."),
                *facts,
            ),
            search=("text", "unit", "notes"),
            constraints=fact_checks,
        ),
        Table(
            "conflicts",
            "Facts whose sources disagree; the facts in conflict_claims.",
            (
                _id(),
                _text("topic", "What the sources disagree about.", required=True),
                _text("note", "An editorial note."),
            ),
            search=("topic", "note"),
        ),
        Table(
            "person_roles",
            "Positions people hold, as a source states them.",
            (
                _number(),
                _owner("people"),
                _index(),
                _text("title", "The position.", required=True),
                _ref("organisation", "organisations", "The organisation it is held in."),
                _ref("country", "places", "The country it is held in."),
                _text("rank", "A rank the source states."),
            ),
            # Not "rank": FTS5 reserves that column name, and an external-content index must use
            # the table's own names.
            search=("title",),
            constraints=(('UNIQUE ("person_id", "list_index")', "One row per list item."),),
            numbered=True,
        ),
        Table(
            "lifecycle_steps",
            "Dated changes in a measure's status, each with its own evidence.",
            (
                _number(),
                _owner("tariffs"),
                _index(),
                _choice("status", MeasureStatus, "The status the measure reached."),
                *_date("date", "When."),
                _real("rate_percent", "The rate from this step on, where a source gives one."),
                _text("note", "An editorial note."),
                _choice("certainty", Certainty, "How the sources qualify the step."),
            ),
            search=("note",),
            constraints=(('UNIQUE ("tariff_id", "list_index")', "One row per list item."),),
            numbered=True,
        ),
        Table(
            "event_participants",
            "Who took part in an event.",
            (
                _number(),
                _owner("events"),
                _index(),
                *_alternatives("participants", "The participant.", prefix="participant"),
            ),
            constraints=(
                (
                    _one_of(_alternative_names("participants", "participant"), exactly=True),
                    "Each row names one participant.",
                ),
                ('UNIQUE ("event_id", "list_index")', "One row per list item."),
            ),
            numbered=True,
        ),
        Table(
            "tariff_responds_to",
            "Measures a measure responds to.",
            (
                _number(),
                _owner("tariffs"),
                _index(),
                _ref("responds_to", "tariffs", "The measure it responds to.", required=True),
            ),
            constraints=(('UNIQUE ("tariff_id", "list_index")', "One row per list item."),),
            numbered=True,
        ),
        Table(
            "statement_subjects",
            "The facts a statement is about.",
            (
                _number(),
                _owner("statements"),
                _index(),
                *_alternatives("subjects", "The subject.", prefix="subject"),
            ),
            constraints=(
                (
                    _one_of(_alternative_names("subjects", "subject"), exactly=True),
                    "Each row names one subject.",
                ),
                ('UNIQUE ("statement_id", "list_index")', "One row per list item."),
            ),
            numbered=True,
        ),
        Table(
            "conflict_claims",
            "The facts that disagree, one row per claim.",
            (
                _number(),
                _owner("conflicts"),
                _index(),
                *_alternatives("claims", "The fact making the claim.", prefix="claim"),
            ),
            constraints=(
                (
                    _one_of(_alternative_names("claims", "claim"), exactly=True),
                    "Each row names one claim.",
                ),
                ('UNIQUE ("conflict_id", "list_index")', "One row per list item."),
            ),
            numbered=True,
        ),
        Table(
            "evidence",
            "Where each fact comes from: a source, with a verbatim excerpt or a paraphrase.",
            (
                _number(),
                *(
                    _ref(
                        f"{SINGULAR[table]}_id",
                        table,
                        f"The {SINGULAR[table]} this is evidence for.",
                    )
                    for table in EVIDENCED
                ),
                Column(
                    "lifecycle_step_id",
                    "INTEGER",
                    "The lifecycle step this is evidence for.",
                    references="lifecycle_steps",
                ),
                _index(),
                _ref("source", "sources", "The source.", required=True),
                _text("excerpt", "The source's own words, verbatim."),
                _text("paraphrase", "What the source says, in our own words."),
            ),
            search=("excerpt", "paraphrase"),
            constraints=(
                (
                    _one_of(
                        [*(f"{SINGULAR[t]}_id" for t in EVIDENCED), "lifecycle_step_id"],
                        exactly=True,
                    ),
                    "Each row is evidence for one fact or step.",
                ),
                (
                    'CHECK (("excerpt" IS NULL) <> ("paraphrase" IS NULL))',
                    "Either an excerpt or a paraphrase.",
                ),
            ),
            numbered=True,
        ),
    )


TABLES: tuple[Table, ...] = _build_tables()
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


# Rows: the fact file flattened into the tables above.


def _date_cells(name: str, value: PartialDate | None) -> dict[str, Cell]:
    if value is None:
        return {name: None, f"{name}_precision": None}
    return {name: str(value), f"{name}_precision": value.precision.value}


def _json_list(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def _enum(value: Enum | None) -> str | None:
    return None if value is None else str(value.value)


def _real_cell(value: float | None) -> float | None:
    # Keep one type per column: 100 and 100.0 read back the same from SQLite and from CSV.
    return None if value is None else float(value)


class _Rows:
    """Collects the rows of every table as dicts, numbering the rows of link tables."""

    def __init__(self, store: Store) -> None:
        self.kinds = {fact_id: collection for fact_id, (collection, _) in store.by_id.items()}
        self.tables: dict[str, list[dict[str, Cell]]] = {table.name: [] for table in TABLES}

    def add(self, table: str, row: dict[str, Cell]) -> int:
        """Append a row; return its number in a numbered table."""
        rows = self.tables[table]
        number = len(rows) + 1
        if TABLES_BY_NAME[table].numbered:
            row = {"id": number, **row}
        rows.append(row)
        return number

    def alternatives(
        self, field: str, ref: str | None, *, prefix: str | None = None
    ) -> dict[str, Cell]:
        """The cells of a several-kind reference: the id in the column of its kind."""
        names = _alternative_names(field, prefix)
        cells: dict[str, Cell] = dict.fromkeys(names)
        if ref is not None:
            kind = self.kinds.get(ref)
            if kind not in targets(field):
                raise ValueError(f"{field} refers to {ref!r}, which is not one of {targets(field)}")
            cells[names[targets(field).index(kind)]] = ref
        return cells

    def fact(self, item: Any) -> dict[str, Cell]:
        """The columns every fact shares."""
        return {
            "certainty": _enum(item.certainty),
            **self.alternatives("claimed_by", item.claimed_by),
            "notes": item.notes,
        }

    def evidence(self, owner: str, owner_id: str | int, items: Sequence[Evidence]) -> None:
        """One evidence row per piece of evidence, belonging to ``owner``."""
        owners: dict[str, Cell] = {f"{SINGULAR[t]}_id": None for t in EVIDENCED}
        owners["lifecycle_step_id"] = None
        owners[owner] = owner_id
        for index, piece in enumerate(items):
            self.add(
                "evidence",
                {
                    **owners,
                    "list_index": index,
                    "source": piece.source,
                    "excerpt": piece.excerpt,
                    "paraphrase": piece.paraphrase,
                },
            )


def table_rows(store: Store) -> dict[str, list[tuple[Cell, ...]]]:
    """Every table's rows, in file order, as tuples in the table's column order."""
    facts: FactFile = store.facts
    rows = _Rows(store)
    for source in facts.sources:
        rows.add(
            "sources",
            {
                "id": source.id,
                "title": source.title,
                "outlet": source.outlet,
                **_date_cells("published", source.published),
                "url": source.url,
                "kind": _enum(source.kind),
                "notes": source.notes,
            },
        )
    for person in facts.people:
        rows.add(
            "people",
            {
                "id": person.id,
                "name": person.name,
                "aliases": _json_list(person.aliases),
                "country": person.country,
                **rows.fact(person),
            },
        )
        for index, role in enumerate(person.roles):
            rows.add(
                "person_roles",
                {
                    "person_id": person.id,
                    "list_index": index,
                    "title": role.title,
                    "organisation": role.organisation,
                    "country": role.country,
                    "rank": role.rank,
                },
            )
        rows.evidence("person_id", person.id, person.evidence)
    for organisation in facts.organisations:
        rows.add(
            "organisations",
            {
                "id": organisation.id,
                "name": organisation.name,
                "aliases": _json_list(organisation.aliases),
                "kind": _enum(organisation.kind),
                "sector": organisation.sector,
                "ownership": _enum(organisation.ownership),
                "country": organisation.country,
                "description": organisation.description,
                **rows.fact(organisation),
            },
        )
        rows.evidence("organisation_id", organisation.id, organisation.evidence)
    for place in facts.places:
        rows.add(
            "places",
            {
                "id": place.id,
                "name": place.name,
                "aliases": _json_list(place.aliases),
                "kind": _enum(place.kind),
                "within": place.within,
                **rows.fact(place),
            },
        )
        rows.evidence("place_id", place.id, place.evidence)
    for event in facts.events:
        rows.add(
            "events",
            {
                "id": event.id,
                "category": _enum(event.category),
                "title": event.title,
                "summary": event.summary,
                **_date_cells("date", event.date),
                **_date_cells("end_date", event.end_date),
                "weekday": _enum(event.weekday),
                "place": event.place,
                "topics": _json_list(event.topics),
                "status": _enum(event.status),
                "outcome": event.outcome,
                "part_of": event.part_of,
                **rows.alternatives("supersedes", event.supersedes),
                **rows.fact(event),
            },
        )
        for index, participant in enumerate(event.participants):
            rows.add(
                "event_participants",
                {
                    "event_id": event.id,
                    "list_index": index,
                    **rows.alternatives("participants", participant, prefix="participant"),
                },
            )
        rows.evidence("event_id", event.id, event.evidence)
    for measure in facts.tariffs:
        rows.add(
            "tariffs",
            {
                "id": measure.id,
                "title": measure.title,
                "kind": _enum(measure.kind),
                **rows.alternatives("imposed_by", measure.imposed_by),
                **rows.alternatives("target", measure.target),
                "products": _json_list(measure.products),
                "rate_percent": _real_cell(measure.rate_percent),
                "rate_basis": measure.rate_basis,
                "purpose": measure.purpose,
                "affected": _json_list(measure.affected),
                "status": _enum(measure.status),
                **_date_cells("announced", measure.announced),
                **_date_cells("in_force", measure.in_force),
                **_date_cells("ends", measure.ends),
                **rows.fact(measure),
            },
        )
        for index, response in enumerate(measure.responds_to):
            rows.add(
                "tariff_responds_to",
                {"tariff_id": measure.id, "list_index": index, "responds_to": response},
            )
        for index, step in enumerate(measure.lifecycle):
            step_id = rows.add(
                "lifecycle_steps",
                {
                    "tariff_id": measure.id,
                    "list_index": index,
                    "status": _enum(step.status),
                    **_date_cells("date", step.date),
                    "rate_percent": _real_cell(step.rate_percent),
                    "note": step.note,
                    "certainty": _enum(step.certainty),
                },
            )
            rows.evidence("lifecycle_step_id", step_id, step.evidence)
        rows.evidence("tariff_id", measure.id, measure.evidence)
    for quote in facts.quotes:
        rows.add(
            "quotes",
            {
                "id": quote.id,
                **rows.alternatives("speaker", quote.speaker),
                "speaker_description": quote.speaker_description,
                "text": quote.text,
                **_date_cells("date", quote.date),
                "occasion": quote.occasion,
                "event": quote.event,
                "channel": _enum(quote.channel),
                "platform": quote.platform,
                "attribution": quote.attribution,
                "about": _json_list(quote.about),
                **rows.fact(quote),
            },
        )
        rows.evidence("quote_id", quote.id, quote.evidence)
    for statement in facts.statements:
        rows.add(
            "statements",
            {
                "id": statement.id,
                "kind": _enum(statement.kind),
                "text": statement.text,
                "value": _real_cell(statement.value),
                "unit": statement.unit,
                **_date_cells("date", statement.date),
                **rows.fact(statement),
            },
        )
        for index, subject in enumerate(statement.subjects):
            rows.add(
                "statement_subjects",
                {
                    "statement_id": statement.id,
                    "list_index": index,
                    **rows.alternatives("subjects", subject, prefix="subject"),
                },
            )
        rows.evidence("statement_id", statement.id, statement.evidence)
    for conflict in facts.conflicts:
        rows.add("conflicts", {"id": conflict.id, "topic": conflict.topic, "note": conflict.note})
        for index, claim in enumerate(conflict.claims):
            rows.add(
                "conflict_claims",
                {
                    "conflict_id": conflict.id,
                    "list_index": index,
                    **rows.alternatives("claims", claim, prefix="claim"),
                },
            )
    return {
        table.name: [_ordered(table, row) for row in rows.tables[table.name]] for table in TABLES
    }


def _ordered(table: Table, row: dict[str, Cell]) -> tuple[Cell, ...]:
    """The row's cells in column order; a missing or unknown column is a bug, not a NULL."""
    if set(row) != set(table.column_names):
        missing = sorted(set(table.column_names) - set(row))
        extra = sorted(set(row) - set(table.column_names))
        raise ValueError(f"{table.name} row: missing columns {missing}, unknown columns {extra}")
    return tuple(row[name] for name in table.column_names)


# SQLite


def create_search_index(connection: sqlite3.Connection, table: Table) -> None:
    """Add ``<table>_fts`` and its triggers, as ``sqlite-utils enable-fts --create-triggers``."""
    name, fts = _quote(table.name), _quote(table.name + "_fts")
    columns = ", ".join(_quote(column) for column in table.search)
    old = ", ".join(f"old.{_quote(column)}" for column in table.search)
    new = ", ".join(f"new.{_quote(column)}" for column in table.search)
    # content="<table>" in double quotes, last: the spelling datasette and sqlite-utils look for.
    connection.execute(
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {columns},\n"
        f"    tokenize='porter unicode61 remove_diacritics 2',\n    content={name}\n)"
    )
    connection.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
    insert = f"INSERT INTO {fts} (rowid, {columns}) VALUES (new.rowid, {new});"
    delete = f"INSERT INTO {fts} ({fts}, rowid, {columns}) VALUES ('delete', old.rowid, {old});"
    for suffix, when, body in (
        ("_ai", "AFTER INSERT", insert),
        ("_ad", "AFTER DELETE", delete),
        ("_au", "AFTER UPDATE", f"{delete}\n  {insert}"),
    ):
        trigger = _quote(table.name + suffix)
        connection.execute(f"CREATE TRIGGER {trigger} {when} ON {name} BEGIN\n  {body}\nEND")


def _fill_database(connection: sqlite3.Connection, rows: dict[str, list[tuple[Cell, ...]]]) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("BEGIN")
    # Rows reference rows of later tables (and of their own); check every key at COMMIT instead.
    connection.execute("PRAGMA defer_foreign_keys = ON")
    for table in TABLES:
        connection.execute(table.create_sql())
    for table in TABLES:
        marks = ", ".join("?" for _ in table.columns)
        names = ", ".join(_quote(name) for name in table.column_names)
        connection.executemany(
            f"INSERT INTO {_quote(table.name)} ({names}) VALUES ({marks})", rows[table.name]
        )
    for table in TABLES:
        if table.search:
            create_search_index(connection, table)
    connection.execute(f"PRAGMA user_version = {EXPORT_VERSION}")
    connection.execute("COMMIT")


_SQLITE_WRITE_ERRORS = frozenset(
    {
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_READONLY,
    }
)


def write_sqlite(store: Store, path: Path, *, force: bool) -> dict[str, int]:
    """Write every fact to a new SQLite database at ``path``; return the rows per table."""
    _check_target(store, path, force=force)
    if not path.parent.is_dir():
        raise UsageError(
            f"cannot write {path}: directory {path.parent} does not exist",
            hint="create it first, or choose another path",
        )
    rows = table_rows(store)
    try:
        with (
            _staged(path, force=force) as temporary,
            contextlib.closing(sqlite3.connect(temporary, isolation_level=None)) as connection,
        ):
            _fill_database(connection, rows)
    except sqlite3.Error as error:
        # A full disk or an unwritable file is the user's to fix; anything else is a bug.
        if error.sqlite_errorcode & 0xFF in _SQLITE_WRITE_ERRORS:
            raise UsageError(f"cannot write {path}: {error}") from None
        raise
    return {name: len(table) for name, table in rows.items()}


# CSV


def csv_name(table: Table) -> str:
    """The file name of a table's CSV file."""
    return f"{table.name}.csv"


def _write_csv_file(path: Path, table: Table, rows: list[tuple[Cell, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(rows)


def write_csv(store: Store, directory: Path, *, force: bool) -> dict[str, int]:
    """Write one CSV file per table into ``directory``, creating it; return the rows per table."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(
            f"{directory} is not a directory", hint="give a directory for the CSV files"
        )
    paths = [directory / csv_name(table) for table in TABLES]
    for target in paths:
        _check_target(store, target, force=force)
    rows = table_rows(store)
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create {directory}: {error.strerror or error}") from None
    try:
        with contextlib.ExitStack() as stack:
            # Every file is complete before the first one is moved into place.
            staged = [stack.enter_context(_staged(target, force=force)) for target in paths]
            for table, temporary, path in zip(TABLES, staged, paths, strict=True):
                try:
                    _write_csv_file(temporary, table, rows[table.name])
                except OSError as error:
                    raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    return {name: len(table) for name, table in rows.items()}


# Writing files safely


def _check_target(store: Store, path: Path, *, force: bool) -> None:
    """Refuse a path that is a directory, the fact file itself, or (without force) a file."""
    if path.is_dir():
        raise UsageError(f"{path} is a directory", hint="give the path of a file to write")
    if path.exists() and path.resolve() == Path(store.path).resolve():
        raise UsageError(
            f"{path} is the fact file being exported", hint="choose another output path"
        )
    if not force and (path.exists() or path.is_symlink()):
        raise UsageError(f"{path} already exists; not overwritten", hint=_FORCE_HINT)


_FORCE_HINT = "pass --force to overwrite it"


def _new_file_mode(path: Path) -> int:
    """The mode an overwritten file keeps, or what the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def _staged(path: Path, *, force: bool) -> Iterator[Path]:
    """A temporary file beside ``path``, moved onto it on success and removed on failure."""
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            temporary.chmod(_new_file_mode(path))
            _publish(temporary, path, force=force)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _publish(temporary: Path, path: Path, *, force: bool) -> None:
    """Move a finished file into place; without force, never replace a file that appeared since."""
    if force:
        temporary.replace(path)
        return
    try:
        # A hard link fails if the name exists, where a rename would silently replace it.
        os.link(temporary, path)
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwritten", hint=_FORCE_HINT) from None
    except OSError:
        # No hard links on this file system: check, then rename (a narrow race remains).
        if path.exists():
            raise UsageError(f"{path} already exists; not overwritten", hint=_FORCE_HINT) from None
        temporary.replace(path)
