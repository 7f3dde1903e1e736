"""The index: every fact of a validated file in SQLite, with what queries look facts up by.

Every answer comes from an index: the one kept in the cache folder when it can be used, else the
same index built in memory. It is built from the records of a file that validated cleanly:

- ``facts``: each fact's JSON, by id, in file order (collections in the order of ``COLLECTIONS``),
  with a CRC-32 of the JSON;
- ``refs``: every reference a fact makes, as ``facts.refs.references`` finds it, in order;
- ``names``: each entity's id, name and aliases, normalised as ``words.normalise_name`` does;
- ``days``: the days an event's dates or a source's publication can mean;
- ``timeline``: every dated happening (an event, a measure's step), in timeline order;
- ``facts_fts``: a full-text index (FTS5) of each fact's names and other text, normalised as names
  are, which search ranks with bm25.

Every row of ``facts``, ``refs``, ``names``, ``days``, ``timeline`` and ``meta`` carries a CRC-32
of its values, checked whenever it is read: a damaged row that is read never becomes part of an
answer. It raises ``UnreadableIndexError``, as any error of SQLite's does; the store then
rebuilds the index from the file and asks again.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Record, Shape
from tradecli.facts.kinds import COLLECTIONS, ENTITIES, KIND_OF, Measure
from tradecli.facts.refs import references
from tradecli.words import normalise_name

FORMAT = 7


class UnreadableIndexError(Exception):
    """The index cannot be read, or a row of it does not check out: trust it no more."""


def crc(*values: object) -> int:
    """The CRC-32 a row keeps of its values."""
    return zlib.crc32("\x1f".join(map(str, values)).encode())


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
    if collection == "sources" and item.published is not None:
        return item.published.first_day().isoformat(), item.published.last_day().isoformat()
    return None


# Building

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


def fill(
    connection: sqlite3.Connection,
    facts: Sequence[Fact],
    *,
    key: str,
    progress: Progress = silent,
) -> None:
    """Write the index of these facts (collection, record, JSON; each collection's in file
    order, the collections in the order of ``COLLECTIONS``) into an empty database."""
    connection.executescript(_TABLES)
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _INSERTS}
    counts = dict.fromkeys(COLLECTIONS, 0)
    with progress(len(facts)) as advance:
        for rowid, (collection, item, text) in enumerate(facts, start=1):
            counts[collection] += 1
            rows["facts"].append((rowid, item.id, collection, text, zlib.crc32(text.encode())))
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
    connection.executescript(_INDEXES)
    meta = {"key": key, "format": str(FORMAT), "counts": json.dumps(counts)}
    connection.executemany(
        "INSERT INTO meta VALUES (?, ?, ?)",
        [(name, value, crc(name, value)) for name, value in meta.items()],
    )
    connection.commit()


def _write(connection: sqlite3.Connection, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    for table, waiting in rows.items():
        connection.executemany(_INSERTS[table], waiting)
        waiting.clear()


# Reading


class Index:
    """An index, open: every question a query asks of it, each answer checked as it is read.

    ``scope`` (where a method takes one) is the name of a temporary table of the rowids a
    restricted store keeps (``keep``), or None for every fact.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self._db = connection
        self.path = path
        meta = {
            name: value for name, value, kept in self._rows("SELECT * FROM meta")
            if crc(name, value) == kept
        }  # fmt: skip
        try:
            self.key: str = meta["key"]
            self.counts: dict[str, int] = json.loads(meta["counts"])
        except (KeyError, ValueError) as error:
            raise UnreadableIndexError(f"the index describes itself wrongly: {error!r}") from None
        if meta.get("format") != str(FORMAT) or set(self.counts) != set(COLLECTIONS):
            raise UnreadableIndexError("an index of another format")
        self._scopes: dict[frozenset[str], str] = {}

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _rows(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, tuple(parameters)).fetchall()
        except sqlite3.Error as error:
            raise UnreadableIndexError(str(error)) from None

    @staticmethod
    def _checked(row: Sequence[Any]) -> Sequence[Any]:
        """A derived row's values, once they match the CRC that ends the row."""
        *values, kept = row
        if crc(*values) != kept:
            raise UnreadableIndexError("a row of the index does not match its checksum")
        return values

    @staticmethod
    def _record(collection: str, text: Any, kept: Any) -> Any:
        if type(text) is not str or crc(text) != kept:
            raise UnreadableIndexError("a fact does not match its checksum")
        try:
            return KIND_OF[collection].from_json(json.loads(text))
        except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as error:
            raise UnreadableIndexError(f"a fact cannot be read: {error!r}") from None

    def _facts(self, where: str, parameters: Iterable[Any] = ()) -> list[tuple[str, Any, int]]:
        """(collection, record, rowid) of the facts ``where`` selects, in file order."""
        rows = self._rows(
            f"SELECT collection, json, crc, rowid FROM facts WHERE {where} ORDER BY rowid",
            parameters,
        )
        return [(c, self._record(c, text, kept), rowid) for c, text, kept, rowid in rows]

    def _chunked(self, column: str, keys: list[Any]) -> list[tuple[str, Any, int]]:
        found = []
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            found += self._facts(f"{column} IN ({', '.join('?' * len(chunk))})", chunk)
        return found

    def fact(self, fact_id: str) -> tuple[str, Any] | None:
        """The collection and record of one fact, or None."""
        found = self._facts("id = ?", (fact_id,))
        return (found[0][0], found[0][1]) if found else None

    def facts_by_id(self, ids: list[str]) -> dict[str, tuple[str, Any]]:
        """(collection, record) of each fact by id; an id the index lacks is left out."""
        return {item.id: (c, item) for c, item, _rowid in self._chunked("id", ids)}

    def facts_by_rowid(self, rowids: list[int]) -> dict[int, tuple[str, Any]]:
        """(collection, record) of each fact by rowid; all of them must be there."""
        found = {rowid: (c, item) for c, item, rowid in self._chunked("rowid", rowids)}
        if len(found) != len(set(rowids)):
            raise UnreadableIndexError("a fact the index names is missing")
        return found

    def ids(self) -> list[str]:
        """Every fact's id, in file order."""
        return [str(row[0]) for row in self._rows("SELECT id FROM facts ORDER BY rowid")]

    @staticmethod
    def _within(scope: str | None, rowid: str = "rowid") -> str:
        return f" AND {rowid} IN (SELECT rowid FROM temp.{scope})" if scope else ""

    def keep(self, ids: frozenset[str]) -> str:
        """The temporary table of the rowids of these facts (made once): a restricted store's
        scope."""
        name = self._scopes.get(ids)
        if name is None:
            name = f"scope_{len(self._scopes)}"
            try:
                self._db.execute(f"CREATE TEMP TABLE {name} (rowid INTEGER PRIMARY KEY)")
                listed = sorted(ids)
                for start in range(0, len(listed), 900):
                    chunk = listed[start : start + 900]
                    marks = ", ".join("?" * len(chunk))
                    self._db.execute(
                        f"INSERT INTO temp.{name} SELECT rowid FROM facts WHERE id IN ({marks})",
                        chunk,
                    )
            except sqlite3.Error as error:
                raise UnreadableIndexError(str(error)) from None
            self._scopes[ids] = name
        return name

    def collection(self, name: str, scope: str | None) -> list[Any]:
        """The records of one collection, in file order; every one if unrestricted."""
        found = [
            item for _c, item, _r in self._facts("collection = ?" + self._within(scope), [name])
        ]
        if scope is None and len(found) != self.counts[name]:
            raise UnreadableIndexError(
                f"the index holds {len(found)} {name}, not {self.counts[name]}"
            )
        return found

    def where(
        self, collection: str, field: str, values: Iterable[str], scope: str | None
    ) -> list[Any]:
        """The records of a collection whose ``field`` is one of ``values`` (words or ids, as
        the file writes them), in file order; each checked against the answer."""
        wanted = sorted(set(values))
        marks = ", ".join("?" * len(wanted))
        where = f"collection = ? AND json_extract(json, ?) IN ({marks})" + self._within(scope)
        found = [item for _c, item, _r in self._facts(where, [collection, f"$.{field}", *wanted])]
        if any(item.to_json()[field] not in wanted for item in found):
            raise UnreadableIndexError("a fact does not hold what the index says")
        return found

    def counted(self, scope: str | None) -> dict[str, int]:
        """How many facts of each collection there are."""
        if scope is None:
            return dict(self.counts)
        rows = self._rows(
            f"SELECT collection, count(*) FROM facts WHERE 1 {self._within(scope)} GROUP BY 1"
        )
        found = dict.fromkeys(COLLECTIONS, 0)
        found.update({str(collection): int(count) for collection, count in rows})
        return found

    def referrers(self, fact_id: str, scope: str | None) -> list[tuple[str, Any, str]]:
        """(collection, record, field) of every fact that refers to ``fact_id``, in file order."""
        rows = [
            self._checked(row)
            for row in self._rows(
                "SELECT rowid, field, target, crc FROM refs WHERE target = ?"
                + self._within(scope)
                + " ORDER BY rowid, ordinal",
                (fact_id,),
            )
        ]
        found = self.facts_by_rowid([row[0] for row in rows])
        return [(*found[rowid], field) for rowid, field, target in rows if target == fact_id]

    def citations(self, scope: str | None) -> dict[str, int]:
        """How many facts cite each source (in their evidence, or a part's), by source id."""
        rows = self._rows(
            "SELECT rowid, field, target, crc FROM refs WHERE field = 'source'"
            + self._within(scope)
        )
        citing: dict[str, set[int]] = {}
        for rowid, _field, target in map(self._checked, rows):
            citing.setdefault(target, set()).add(rowid)
        return {source: len(facts) for source, facts in citing.items()}

    def named(self, key: str, collections: Sequence[str], scope: str | None) -> list[Any]:
        """Entities of the collections whose id, name or an alias normalises to ``key``."""
        rows = self._rows(
            "SELECT rowid, key, crc FROM names WHERE key = ?" + self._within(scope), (key,)
        )
        return self._entities([row[0] for row in map(self._checked, rows)], collections)

    def names_holding(self, words: str, collections: Sequence[str], scope: str | None) -> list[Any]:
        """Entities of the collections with a name that may hold ``words`` as a run of whole
        words (a superset, which the caller narrows), in file order."""
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._rows(
            "SELECT rowid, key, crc FROM names WHERE ' ' || key || ' ' LIKE ? ESCAPE '\\'"
            + self._within(scope),
            (f"% {escaped} %",),
        )
        return self._entities([row[0] for row in map(self._checked, rows)], collections)

    def _entities(self, rowids: list[int], collections: Sequence[str]) -> list[Any]:
        found = self.facts_by_rowid(rowids)
        return [found[rowid][1] for rowid in sorted(found) if found[rowid][0] in collections]

    def names_near(self, probes: Sequence[str], each: int, scope: str | None) -> list[Any]:
        """The entities with one of the ``each`` names sorting before each probe or the ``each``
        from it on, in file order: close spellings to suggest, found without reading every name."""
        within = self._within(scope)
        rows = []
        for probe in probes:
            rows += self._rows(
                f"SELECT rowid, key, crc FROM names WHERE key < ?{within}"
                " ORDER BY key DESC, rowid DESC LIMIT ?",
                (probe, each),
            )
            rows += self._rows(
                f"SELECT rowid, key, crc FROM names WHERE key >= ?{within}"
                " ORDER BY key, rowid LIMIT ?",
                (probe, each),
            )
        found = self.facts_by_rowid([self._checked(row)[0] for row in rows])
        return [found[rowid] for rowid in sorted(found)]

    def ids_near(self, probe: str, each: int) -> list[str]:
        """The ids of the ``each`` facts sorting before ``probe`` and the ``each`` from it on."""
        rows = [
            *self._rows(
                "SELECT id FROM facts WHERE id < ? ORDER BY id DESC LIMIT ?", (probe, each)
            ),
            *self._rows("SELECT id FROM facts WHERE id >= ? ORDER BY id LIMIT ?", (probe, each)),
        ]
        found = self.facts_by_id([str(row[0]) for row in rows])  # each checked, as any fact
        return [str(row[0]) for row in rows if str(row[0]) in found]

    def days(
        self, collection: str, start: date | None, end: date | None, scope: str | None
    ) -> list[Any]:
        """Facts of ``collection`` (events, sources) whose days may meet the window's, in file
        order: a window filter's candidates (``query.dates`` decides which fit)."""
        low, high = (start or date.min).isoformat(), (end or date.max).isoformat()
        rows = self._rows(
            "SELECT rowid, collection, first_day, last_day, crc FROM days"
            " WHERE collection = ? AND first_day <= ? AND last_day >= ?" + self._within(scope),
            (collection, high, low),
        )
        chosen = [row[0] for row in map(self._checked, rows)]
        found = self.facts_by_rowid(chosen)
        return [found[rowid][1] for rowid in sorted(chosen)]

    def newest(self, scope: str | None) -> Any:
        """The source published last (counted from the first day its date can mean; the first
        in file order among equals), or None."""
        rows = self._rows(
            "SELECT rowid, collection, first_day, last_day, crc FROM days"
            " WHERE collection = 'sources'" + self._within(scope)
            + " ORDER BY first_day DESC, rowid LIMIT 1"
        )  # fmt: skip
        if not rows:
            return None
        rowid = self._checked(rows[0])[0]
        return self.facts_by_rowid([rowid])[rowid][1]

    def timeline(
        self, start: date | None, end: date | None, ranks: Sequence[int], scope: str | None
    ) -> Iterator[tuple[int, int]]:
        """(rowid, seq) of each timeline entry that may meet the window, in timeline order,
        each row checked as it is read."""
        low, high = (start or date.min).isoformat(), (end or date.max).isoformat()
        marks = ", ".join("?" * len(ranks))
        try:
            cursor = self._db.execute(
                "SELECT first, last, reach, rank, fact_id, seq, rowid_of, crc FROM timeline"
                f" WHERE first <= ? AND reach >= ? AND rank IN ({marks})"
                + self._within(scope, "rowid_of")
                + " ORDER BY first, last, rank, fact_id, seq",
                (high, low, *ranks),
            )
            while rows := cursor.fetchmany(500):
                for row in rows:
                    *key, rowid, kept = row
                    if crc(rowid, *key) != kept:
                        raise UnreadableIndexError("a timeline entry does not match its checksum")
                    yield int(rowid), int(key[5])
        except sqlite3.Error as error:
            raise UnreadableIndexError(str(error)) from None

    def search(
        self, query: str, limit: int, scope: str | None
    ) -> tuple[int, list[tuple[int, float]]]:
        """How many facts match an FTS5 query, and the best ``limit`` (0: all) by bm25 (a hit
        in a name counting three times one elsewhere), as (rowid, score), best first."""
        where = "facts_fts MATCH ?" + self._within(scope)
        ((total,),) = self._rows(f"SELECT count(*) FROM facts_fts WHERE {where}", (query,))
        rows = self._rows(
            f"SELECT rowid, rank FROM facts_fts WHERE {where} ORDER BY rank, rowid LIMIT ?",
            (query, limit if 0 < limit < 2**63 else -1),
        )
        return int(total), [(int(rowid), -float(rank)) for rowid, rank in rows]


def open_index(path: Path) -> Index:
    """Open a built index read-only; raise UnreadableIndexError if it cannot be read, or is
    shorter than its header says (cut short by a full disk or a partial copy)."""
    if not _whole(path):
        raise UnreadableIndexError("the index is cut short")
    try:
        connection = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
    except sqlite3.Error as error:
        raise UnreadableIndexError(str(error)) from None
    try:
        return Index(connection, path)
    except BaseException:
        connection.close()
        raise


def _whole(path: Path) -> bool:
    """Whether a database file is as long as its header says."""
    try:
        with path.open("rb") as stream:
            header = stream.read(100)
            size = os.fstat(stream.fileno()).st_size
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    pages = int.from_bytes(header[28:32], "big")
    return pages * (65536 if page_size == 1 else page_size) == size


def build(
    facts: Sequence[Fact], key: str, directory: Path | None, progress: Progress = silent
) -> Index:
    """Build the index of these facts in ``directory`` (written to a temporary file, synced and
    renamed into place), or in memory when there is no folder or writing there fails."""
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
                fill(connection, facts, key=key, progress=progress)
            _sync(temporary)
            temporary.replace(target)
            with contextlib.suppress(OSError):  # the rename, on disk where the system allows
                _sync(directory)
            prune(directory, keep=target)
            return open_index(target)
        except (OSError, sqlite3.Error, UnreadableIndexError):
            pass  # a full disk, say: the index is built in memory instead
        finally:
            remove(temporary)  # gone once renamed; else never left behind
    connection = sqlite3.connect(":memory:")
    fill(connection, facts, key=key, progress=progress)
    connection.isolation_level = None  # from now on read, a statement at a time
    return Index(connection, None)


def _sync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk: a power cut cannot leave it half written
    once renamed."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
