"""The index, written: what it derives from each fact, and how it is built from the facts.

It is built from the facts of a file that validated cleanly, in the cache folder (written to a
temporary file, synced and renamed into place) or in memory; ``store.index`` reads it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Record, Shape
from tradecli.facts.kinds import COLLECTIONS, ENTITIES, KIND_OF, Measure
from tradecli.facts.refs import references
from tradecli.store.index import FORMAT, Index, UnreadableIndexError, crc, open_index
from tradecli.words import normalise_name

# What the index derives from each fact: its texts, names, days and timeline entries.

_ADD = {  # how one value of a field that holds text, a date or a word is added to ``out``
    Shape.TEXT: "out.append({})",
    Shape.ID: "out.append({})",
    Shape.REF: "out.append({})",
    Shape.DATE: "out.append(str({}))",
    Shape.VOCAB: "out.append({}.value)",
    Shape.PART: "_walk_{name}({}.__dict__, out)",
}


_WALKERS: dict[tuple[type[Record], frozenset[str]], Callable[..., None]] = {}


def _walker(kind: type[Record], skip: frozenset[str] = frozenset()) -> Callable[..., None]:
    """A function that adds the texts of a record's values, field by field, to a list: its
    lines written out from the kind's declaration, as ``fields._compile_reader`` does (a loop
    over the fields for each of 100,000 facts was most of the time of indexing them)."""
    known = _WALKERS.get((kind, skip))
    if known is not None:
        return known
    lines = ["def walk(values, out):"]
    scope: dict[str, Any] = {}
    for field in kind.FIELDS:
        if field.shape not in _ADD or field.name in skip:
            continue
        add = _ADD[field.shape].replace("{name}", field.name)
        if field.part is not None:
            scope[f"_walk_{field.name}"] = _walker(field.part)
        lines.append(f"    value = values[{field.name!r}]")
        if field.many:
            lines.append(f"    for item in value: {add.format('item')}")
        else:
            lines.append(f"    if value is not None: {add.format('value')}")
    exec("\n".join([*lines, "    return"]), scope)
    made: Callable[..., None] = scope["walk"]
    _WALKERS[kind, skip] = made
    return made


def texts(record: Any) -> list[str]:
    """Every text of a fact, in the order of its fields, as its JSON writes them (dates and
    words too): what search finds it by."""
    found: list[str] = []
    _walker(type(record))(record.__dict__, found)
    return found


def _columns(collection: str, record: Any) -> tuple[str, str]:
    """A fact's full-text columns: the texts of the fields that name it, then every other."""
    kind, values = type(record), record.__dict__
    names: list[str] = []
    other: list[str] = []
    _walker(kind, frozenset(_OTHER[collection]))(values, names)
    _walker(kind, frozenset(_NAMED[collection]))(values, other)
    return _column(names), _column(other)


_NAMED = {
    collection: frozenset(field.name for field in kind.FIELDS if field.names)
    for collection, kind in KIND_OF.items()
}
_OTHER = {
    collection: frozenset(field.name for field in kind.FIELDS if not field.names)
    for collection, kind in KIND_OF.items()
}

# Between two texts of a column: a token no normalised word can be (a private-use character,
# which normalisation drops but the tokenizer keeps), so that no phrase spans two texts.
_BETWEEN = "\n\ue000\n"


def _column(parts: list[str]) -> str:
    """Texts as the full-text table indexes them. ASCII text is handed over as written: the
    tokenizer splits and folds it exactly as ``words.normalise_name`` does (letters, digits
    and '_' make words, case aside); other text is normalised first."""
    if all(map(str.isascii, parts)):
        return _BETWEEN.join(parts)
    return _BETWEEN.join([part if part.isascii() else normalise_name(part) for part in parts])


def entity_names(entity: Any) -> list[str]:
    """Every name an entity answers to, normalised: its id, name and aliases."""
    return list(dict.fromkeys(normalise_name(t) for t in (entity.id, entity.name, *entity.aliases)))


TimelineKey = tuple[str, str, str, int, str, int]
"""Where a dated happening sorts: (first day, last day of its date, last day it reaches,
collection rank, fact id, which step or date field of the fact)."""

_RANK = {name: rank for rank, name in enumerate(COLLECTIONS)}
MEASURE_DATES = Measure.fields_of(Shape.DATE)


@functools.lru_cache(maxsize=8192)
def _span(when: PartialDate) -> tuple[str, str]:
    """The first and last day a date can mean, as ISO text."""
    return when.first_day().isoformat(), when.last_day().isoformat()


def timeline_keys(collection: str, item: Any) -> list[TimelineKey]:
    """The timeline entries of a fact, each as it sorts: an event's date, a measure's dated
    lifecycle steps or, with none, its date fields (``seq`` is the step's or field's place)."""
    rank = _RANK[collection]
    if collection == "events":
        when = item.date
        if when is None:
            return []
        first, last = _span(when)
        return [(first, last, _span(item.end_date or when)[1], rank, item.id, 0)]
    if collection != "tariffs":
        return []
    if item.lifecycle:
        dated = [(seq, step.date) for seq, step in enumerate(item.lifecycle)]
    else:
        dated = [(seq, getattr(item, field.name)) for seq, field in enumerate(MEASURE_DATES)]
    found: list[TimelineKey] = []
    for seq, when in dated:
        if when is not None:
            first, last = _span(when)
            found.append((first, last, last, rank, item.id, seq))
    return found


def _days(collection: str, item: Any) -> tuple[str, str] | None:
    """The days an event's dates, or a source's publication, can mean."""
    if collection == "events" and item.date is not None:
        return item.date.first_day().isoformat(), (
            item.end_date or item.date
        ).last_day().isoformat()
    if collection == "sources" and item.as_of is not None:
        return _span(item.as_of)
    return None


# Writing

_TABLES = """
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL, crc INTEGER NOT NULL);
    CREATE TABLE facts (
        rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, collection TEXT NOT NULL,
        json TEXT NOT NULL, crc INTEGER NOT NULL
    );
    CREATE TABLE refs (
        rowid INTEGER NOT NULL, ordinal INTEGER NOT NULL, field TEXT NOT NULL,
        target TEXT NOT NULL, crc INTEGER NOT NULL
    );
    CREATE TABLE names (key TEXT NOT NULL, rowid INTEGER NOT NULL, crc INTEGER NOT NULL);
    CREATE TABLE days (
        rowid INTEGER PRIMARY KEY, collection TEXT NOT NULL, first_day TEXT NOT NULL,
        last_day TEXT NOT NULL, crc INTEGER NOT NULL
    );
    CREATE TABLE timeline (
        first TEXT NOT NULL, last TEXT NOT NULL, reach TEXT NOT NULL, rank INTEGER NOT NULL,
        fact_id TEXT NOT NULL, seq INTEGER NOT NULL, rowid_of INTEGER NOT NULL,
        crc INTEGER NOT NULL
    );
    CREATE VIRTUAL TABLE facts_fts USING fts5(
        names, body, content = '', tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
    );
    INSERT INTO facts_fts (facts_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0)');
"""
_INDEXES = """
    CREATE UNIQUE INDEX facts_by_id ON facts (id);
    CREATE INDEX facts_by_collection ON facts (collection, rowid);
"""
_DERIVED_INDEXES = """
    CREATE INDEX refs_by_target ON refs (target, rowid);
    CREATE INDEX names_by_key ON names (key);
    CREATE INDEX days_by_collection ON days (collection, first_day);
    CREATE INDEX timeline_in_order ON timeline (first, last, rank, fact_id, seq);
"""
_INSERTS = {
    "facts": "INSERT INTO facts VALUES (?, ?, ?, ?, ?)",
    "facts_fts": "INSERT INTO facts_fts (rowid, names, body) VALUES (?, ?, ?)",
    "refs": "INSERT INTO refs VALUES (?, ?, ?, ?, ?)",
    "names": "INSERT INTO names VALUES (?, ?, ?)",
    "days": "INSERT INTO days VALUES (?, ?, ?, ?, ?)",
    "timeline": "INSERT INTO timeline VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
}
_BATCH = 2000


Progress = Callable[[int], contextlib.AbstractContextManager[Callable[[int], None]]]
"""Shows how far a build is: given the number of facts, a context in which each call adds
facts done (``cli.context.indexing``)."""


@contextlib.contextmanager
def silent(total: int) -> Iterator[Callable[[int], None]]:
    """No progress shown."""
    yield lambda count: None


Fact = tuple[str, Any, str]
"""A fact to index: its collection, its record and its JSON (``load.validate.Fact``)."""


def fill_facts(connection: sqlite3.Connection, facts: Sequence[Fact], *, key: str) -> None:
    """Create the index's tables in an empty database and write every fact's JSON (collection,
    record, JSON; each collection's in file order, the collections in the order of
    ``COLLECTIONS``) and what the index says of itself."""
    connection.executescript(_TABLES)
    counts = dict.fromkeys(COLLECTIONS, 0)
    rows = []
    for rowid, (collection, item, text) in enumerate(facts, start=1):
        counts[collection] += 1
        rows.append((rowid, item.id, collection, text, zlib.crc32(text.encode())))
    connection.executemany(_INSERTS["facts"], rows)
    connection.executescript(_INDEXES)
    meta = {"key": key, "format": str(FORMAT), "counts": json.dumps(counts)}
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?, ?)",
        [(name, value, crc(name, value)) for name, value in meta.items()],
    )
    connection.commit()


def fill_derived(
    connection: sqlite3.Connection, facts: Sequence[Fact], progress: Progress = silent
) -> None:
    """Write what the index derives from the facts ``fill_facts`` wrote: their words,
    references, names, days and timeline entries."""
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _INSERTS}
    connection.execute("BEGIN")  # one transaction, whether or not the connection commits each
    with progress(len(facts)) as advance:
        for rowid, (collection, item, _text) in enumerate(facts, start=1):
            rows["facts_fts"].append((rowid, *_columns(collection, item)))
            for ordinal, (field, target) in enumerate(references(type(item), item)):
                kept = zlib.crc32(f"{rowid}\x1f{field}\x1f{target}".encode())  # crc(...)
                rows["refs"].append((rowid, ordinal, field, target, kept))
            if collection in ENTITIES:
                for name in entity_names(item):
                    rows["names"].append((name, rowid, crc(rowid, name)))
            days = _days(collection, item)
            if days is not None:
                rows["days"].append((rowid, collection, *days, crc(rowid, collection, *days)))
            for entry in timeline_keys(collection, item):
                rows["timeline"].append((*entry, rowid, crc(rowid, *entry)))
            if not rowid % _BATCH:
                _write(connection, rows)
                advance(_BATCH)
        _write(connection, rows)
    connection.executescript(_DERIVED_INDEXES)
    connection.commit()


def _write(connection: sqlite3.Connection, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    for table, waiting in rows.items():
        connection.executemany(_INSERTS[table], waiting)
        waiting.clear()


def build(
    facts: Sequence[Fact], key: str, directory: Path | None, progress: Progress = silent
) -> Index:
    """Build the index of these facts in ``directory`` (written to a temporary file, synced and
    renamed into place), or in memory when there is no folder or writing there fails. Either
    keeps the records it was built from: a run that built it reads them without parsing."""
    if directory is not None:
        from tradecli.store.cache import index_path, prune, remove

        target = index_path(key, directory)
        try:
            import tempfile  # only a build needs it

            handle, name = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=directory)
            os.close(handle)
        except OSError:
            return build(facts, key, None, progress)
        temporary = Path(name)
        try:
            with contextlib.closing(sqlite3.connect(temporary)) as connection:
                connection.execute("PRAGMA journal_mode = OFF")
                connection.execute("PRAGMA synchronous = OFF")
                fill_facts(connection, facts, key=key)
                fill_derived(connection, facts, progress)
            _sync(temporary)
            temporary.replace(target)
            with contextlib.suppress(OSError):  # the rename, on disk where the system allows
                _sync(directory)
            prune(directory, keep=target)
            return open_index(target, held=_held(facts))
        except (OSError, sqlite3.Error, UnreadableIndexError):
            pass  # a full disk, say: the index is built in memory instead
        finally:
            remove(temporary)  # gone once renamed; else never left behind
    # In memory, for this run alone: what is derived is written when a question first needs it.
    connection = sqlite3.connect(":memory:")
    fill_facts(connection, facts, key=key)
    connection.isolation_level = None  # from now on, a statement at a time
    return Index(
        connection,
        None,
        held=_held(facts),
        derive=lambda: fill_derived(connection, facts, progress),
    )


def _held(facts: Sequence[Fact]) -> dict[str, list[Any]]:
    """The records of the facts, by collection, as an index built from them keeps them."""
    held: dict[str, list[Any]] = {collection: [] for collection in COLLECTIONS}
    for collection, item, _text in facts:
        held[collection].append(item)
    return held


def _sync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk: a power cut cannot leave it half written
    once renamed."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
