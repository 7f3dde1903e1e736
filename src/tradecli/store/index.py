"""The index, read: every question a query asks of a built index, each answer checked.

The index (``store.build`` writes it) holds, in SQLite:

- ``facts``: each fact's JSON, by id, in file order (collections in the order of ``COLLECTIONS``),
  with a CRC-32 of the JSON;
- ``refs``: every reference a fact makes, as ``facts.refs.references`` finds it, in order;
- ``names``: each entity's id, name and aliases, normalised as ``words.normalise_name`` does;
- ``days``: the days an event's dates or a source's publication can mean;
- ``timeline``: every dated happening (an event, a measure's step), in timeline order;
- ``facts_fts``: a full-text index (FTS5) of each fact's names and other text, which search
  ranks with bm25.

Every row of ``facts``, ``refs``, ``names``, ``days``, ``timeline`` and ``meta`` carries a CRC-32
of its values, checked whenever it is read: a damaged row that is read never becomes part of an
answer. It raises ``UnreadableIndexError``, as any error of SQLite's does; the store then
rebuilds the index from the file and asks again.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tradecli.facts.kinds import COLLECTIONS, KIND_OF

FORMAT = 7


class UnreadableIndexError(Exception):
    """The index cannot be read, or a row of it does not check out: trust it no more."""


def crc(*values: object) -> int:
    """The CRC-32 a row keeps of its values."""
    return zlib.crc32("\x1f".join(map(str, values)).encode())


class Index:
    """An index, open: every question a query asks of it, each answer checked as it is read.

    ``scope`` (where a method takes one) is the name of a temporary table of the rowids a
    restricted store keeps (``keep``), or None for every fact.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path | None,
        *,
        held: dict[str, list[Any]] | None = None,
        derive: Callable[[], None] | None = None,
    ) -> None:
        self._db = connection
        self.path = path
        self._held = held
        self._derive = derive
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

    def _derived(self) -> None:
        """Make sure what the index derives from the facts is there: an index built in memory
        writes it when a question first needs it."""
        if self._derive is not None:
            derive, self._derive = self._derive, None
            try:
                derive()
            except sqlite3.Error as error:
                raise UnreadableIndexError(str(error)) from None

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

    def numbers(self, ids: list[str]) -> dict[str, int]:
        """Each fact's number, its place in the file counting from 1 (its rowid), by id; an id
        the index lacks is left out."""
        found: dict[str, int] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ", ".join("?" * len(chunk))
            found.update(
                (str(fact_id), int(rowid))
                for fact_id, rowid in self._rows(
                    f"SELECT id, rowid FROM facts WHERE id IN ({marks})", chunk
                )
            )
        return found

    def by_number(self, number: int) -> tuple[str, Any] | None:
        """The collection and record of the fact with this number, or None."""
        found = self._facts("rowid = ?", (number,))
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
        """The records of one collection, in file order; every one if unrestricted (those the
        index was built from, where this run built it)."""
        if scope is None and self._held is not None:
            return list(self._held[name])
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

    def with_open_steps(self, scope: str | None) -> list[Any]:
        """The measures with a lifecycle step that ends on a known day or is only expected, in
        file order: the measures whose state may still be open."""
        where = (
            "collection = 'tariffs' AND EXISTS (SELECT 1 FROM json_each(facts.json, '$.lifecycle') "
            "WHERE json_extract(value, '$.until') IS NOT NULL "
            "OR json_extract(value, '$.certainty') = 'expected')" + self._within(scope)
        )
        found = [item for _c, item, _r in self._facts(where, [])]
        if any(
            not any(s.until is not None or s.certainty.value == "expected" for s in m.lifecycle)
            for m in found
        ):
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
        self._derived()
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

    def citations(self, scope: str | None) -> dict[str, set[int]]:
        """The facts that cite each source (in their evidence, or a part's), by source id: each
        a set of the facts' rows, which tell one fact from another."""
        self._derived()
        # Every reference is read and checked, not only those whose field is "source": a
        # damaged field would otherwise take a citation out of the count unnoticed.
        rows = self._rows(
            "SELECT rowid, field, target, crc FROM refs WHERE 1" + self._within(scope)
        )
        citing: dict[str, set[int]] = {}
        for rowid, field, target in map(self._checked, rows):
            if field == "source":
                citing.setdefault(target, set()).add(rowid)
        return citing

    def named(self, key: str, collections: Sequence[str], scope: str | None) -> list[Any]:
        """Entities of the collections whose id, name or an alias normalises to ``key``."""
        self._derived()
        rows = self._rows(
            "SELECT rowid, key, crc FROM names WHERE key = ?" + self._within(scope), (key,)
        )
        return self._entities([row[0] for row in map(self._checked, rows)], collections)

    def names_holding(self, words: str, collections: Sequence[str], scope: str | None) -> list[Any]:
        """Entities of the collections with a name that may hold ``words`` as a run of whole
        words (a superset, which the caller narrows), in file order."""
        self._derived()
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
        self._derived()
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
        self._derived()
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
        self._derived()
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
        self._derived()
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
        self._derived()
        where = "facts_fts MATCH ?" + self._within(scope)
        ((total,),) = self._rows(f"SELECT count(*) FROM facts_fts WHERE {where}", (query,))
        rows = self._rows(
            f"SELECT rowid, rank FROM facts_fts WHERE {where} ORDER BY rank, rowid LIMIT ?",
            (query, limit if 0 < limit < 2**63 else -1),
        )
        return int(total), [(int(rowid), -float(rank)) for rowid, rank in rows]


def open_index(path: Path, *, held: dict[str, list[Any]] | None = None) -> Index:
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
        return Index(connection, path, held=held)
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
