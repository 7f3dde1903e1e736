"""A search index of a validated fact file, kept in the user's cache directory.

The index is a SQLite database named after a hash of the fact file's bytes (and of tradecli's
version, the index format and the declarations), so it can never answer for a file that has
changed: a changed file has another name. It is built only from a file that validated cleanly,
written to a temporary file, synced to disk and renamed into place, and skipped, with tradecli
still working, when the cache directory cannot be used.

It can never answer differently from the file. On opening, what is cheap to check is checked:
the file's length against its SQLite header (a truncated index is refused), the key, the format
and the number of facts. Every fact's JSON carries a CRC-32 that is checked when it is read, and
a whole collection must have as many facts as the index says. Any failure to read it raises
``UnreadableIndexError``; the store then answers from the file and builds the index again.

Only an index, and a cache folder, owned by the current user and writable by no one else is
read (as ssh and pip do); a relative ``$XDG_CACHE_HOME`` is ignored, as the XDG specification
says.

Tables: ``facts`` (each fact's JSON by id, in file order), ``facts_fts`` (a contentless FTS5
index of each fact's name fields and other text, normalised as ``words.normalise_name`` does, so
that it finds what the full scan finds), ``refs`` (every reference, for "what links here"),
``names`` (entities by normalised name) and ``spans`` (the days each event can mean).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import stat
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from tradecli import __version__
from tradecli.facts.fields import Shape
from tradecli.facts.kinds import COLLECTIONS, ENTITIES, KIND_OF, KINDS, PARTS, fingerprint
from tradecli.words import Term, normalise_name

FORMAT = 6
KEEP_DAYS = 30  # an index no run has opened for this long is removed when another is built
_PROGRESS_MIN_FACTS = 20_000


class UnreadableIndexError(Exception):
    """The index cannot be read, or what it holds does not check out: trust it no more."""


def cache_dir() -> Path | None:
    """``$XDG_CACHE_HOME/tradecli``, else ``~/.cache/tradecli``; None with no home to put it in.

    A relative ``$XDG_CACHE_HOME`` is ignored, as the XDG Base Directory specification says.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not Path(base).is_absolute():
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError, OSError):  # no home directory
            return None
    return Path(base) / "tradecli"


def private_dir(*, create: bool) -> Path | None:
    """The cache directory if it is ours alone: owned by this user, writable by no one else.

    With ``create``, a missing one is made (readable by this user only). None when it cannot be
    used: not ours, writable by others, not a directory, or out of reach.
    """
    directory = cache_dir()
    if directory is None:
        return None
    try:
        if create and not directory.exists():
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        return directory if _ours(directory.stat(), directory=True) else None
    except (OSError, ValueError):  # too long, no permission, a NUL in the path, ...
        return None


def _ours(info: os.stat_result, *, directory: bool) -> bool:
    kind_fits = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    owner = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return kind_fits and owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def content_key(raw: bytes) -> str:
    """A key that changes whenever the file's bytes, tradecli's version, the index format or
    the declarations of the facts change (an index of records of another shape is never read)."""
    import hashlib  # only a run that reads the file needs it (a warm run knows its key)

    digest = hashlib.sha256(raw)
    digest.update(f"\0tradecli {__version__} index {FORMAT} {fingerprint()}".encode())
    return digest.hexdigest()


def index_path(key: str, directory: Path | None = None) -> Path | None:
    """Where the index for a content key lives, in the private cache directory."""
    directory = directory or private_dir(create=False)
    return directory / f"index-{key[:40]}.sqlite" if directory is not None else None


def _read_only(path: Path) -> str:
    """The URI that opens a database read-only (a connection opened with ``uri=True``)."""
    return f"{path.absolute().as_uri()}?mode=ro"


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


class Candidate(NamedTuple):
    """A fact that holds every search term, scored as ``query.search`` scores a full scan."""

    rowid: int
    terms_matched: int
    score: int


_NAME_WEIGHT = 3
_BEYOND = "\U0010ffff"  # sorts after any character a normalised word can continue with


class Index:
    """A read-only view of one built index whose first checks passed."""

    def __init__(self, connection: sqlite3.Connection, path: Path, meta: dict[str, Any]) -> None:
        self._db = connection
        self.path = path
        self._counts: dict[str, int] = meta["counts"]
        self.counts: dict[str, int] = dict(self._counts)
        self._dated_events = int(meta["dated_events"])
        self._timeline_entries = int(meta["timeline_entries"])
        self.newest_source_id: str | None = str(meta["newest_source"]) or None
        self.key_of: str = str(meta["key"])
        self._fts_crc = int(meta["fts_crc"])
        self._fts_checked = False
        self._names_checked = False

    def _rows(self, sql: str, parameters: Iterable[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, tuple(parameters)).fetchall()
        except (sqlite3.Error, UnicodeDecodeError, ValueError, OverflowError) as error:
            raise UnreadableIndexError(str(error)) from None

    @staticmethod
    def _record(collection: Any, text: Any, crc: Any) -> Any:
        data = Index._json(text, crc)
        try:
            return KIND_OF[collection].from_json(data)
        except (KeyError, ValueError, TypeError, AttributeError, RecursionError) as error:
            raise UnreadableIndexError(f"a fact cannot be read: {error!r}") from None

    @staticmethod
    def _json(text: Any, crc: Any) -> Any:
        if type(text) is not str or _crc(text) != crc:
            raise UnreadableIndexError("a fact does not match its checksum")
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise UnreadableIndexError(f"a fact cannot be read: {error!r}") from None
        if type(data) is not dict:
            raise UnreadableIndexError("a fact is not a JSON object")
        return data

    def fact(self, fact_id: str) -> tuple[str, Any] | None:
        """The collection and record of one fact, or None."""
        rows = self._rows("SELECT collection, json, crc FROM facts WHERE id = ?", (fact_id,))
        if not rows:
            return None
        collection, text, crc = rows[0]
        return str(collection), self._record(collection, text, crc)

    def _facts_where(self, column: str, keys: list[Any]) -> Iterator[tuple[Any, tuple[str, Any]]]:
        """(key, (collection, record)) of the facts whose ``column`` is one of ``keys``, read
        900 keys a statement."""
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT {column}, collection, json, crc FROM facts WHERE {column} IN ({marks})"
            for key, collection, text, crc in self._rows(sql, chunk):
                yield key, (str(collection), self._record(collection, text, crc))

    def facts_by_id(self, ids: list[str]) -> dict[str, tuple[str, Any]]:
        """The collection and record of each fact by id, some thousand a statement; an id the
        index does not hold is left out."""
        return {str(key): found for key, found in self._facts_where("id", ids)}

    def facts(self, rowids: list[int]) -> dict[int, tuple[str, Any]]:
        """The collection and record of each fact by rowid (some thousand a statement)."""
        found = {int(key): fact for key, fact in self._facts_where("rowid", rowids)}
        if len(found) != len(set(rowids)):
            raise UnreadableIndexError("a fact the index names is missing")
        return found

    def collection(self, name: str) -> list[Any]:
        """The records of one collection, in file order; as many as the index says it holds."""
        return [self._record(name, text, crc) for text, crc in self._collection_rows(name)]

    def _collection_rows(self, name: str) -> list[Any]:
        rows = self._rows(
            "SELECT json, crc FROM facts WHERE collection = ? ORDER BY rowid", (name,)
        )
        if len(rows) != self._counts.get(name, 0):
            raise UnreadableIndexError(
                f"the index holds {len(rows)} {name}, not {self._counts[name]}"
            )
        return rows

    def where(self, name: str, field: str, values: Iterable[str]) -> list[Any]:
        """The records of one collection whose ``field`` (a word of a vocabulary, say) is one of
        ``values``, in file order; only those are read into records.

        Every fact of the collection is still checked: there are as many as the index says, and
        each one's JSON matches its checksum, so a damaged fact cannot drop out unnoticed.
        """
        wanted = set(values)
        rows = self._rows(
            "SELECT json, crc, json_extract(json, ?) FROM facts WHERE collection = ?"
            " ORDER BY rowid",
            (f"$.{field}", name),
        )
        if len(rows) != self._counts.get(name, 0):
            raise UnreadableIndexError(
                f"the index holds {len(rows)} {name}, not {self._counts[name]}"
            )
        kept = []
        for text, crc, value in rows:
            if value in wanted:
                kept.append(self._record(name, text, crc))
            elif type(text) is not str or _crc(text) != crc:
                raise UnreadableIndexError("a fact does not match its checksum")
        return kept

    def attach(self, connection: sqlite3.Connection, schema: str) -> str:
        """Attach this index, read-only, to another connection as ``schema``, for SQL that reads
        every fact's JSON; return that table's name, ``schema.facts`` (rowid, id, collection,
        json), once it is checked as ``collection`` checks its facts. ``connection`` must have
        been opened with ``uri=True`` (``Store.connect_with_json``), for the index to be
        opened read-only.

        The file attached is checked through ``connection`` itself: its key and counts are this
        index's, and every fact's JSON matches its checksum, as many as the index says. Any
        failure detaches it and raises ``UnreadableIndexError``.
        """
        try:
            connection.execute(f"ATTACH DATABASE ? AS {schema}", (_read_only(self.path),))
        except sqlite3.Error as error:
            raise UnreadableIndexError(str(error)) from None
        try:
            self._check_attached(connection, schema)
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute(f"DETACH DATABASE {schema}")
            raise
        return f"{schema}.facts"

    def _check_attached(self, connection: sqlite3.Connection, schema: str) -> None:
        found = dict.fromkeys(self._counts, 0)
        try:
            meta = dict(connection.execute(f"SELECT name, value FROM {schema}.meta").fetchall())
            if meta.get("key") != self.key_of or json.loads(meta["counts"]) != self._counts:
                raise UnreadableIndexError("the index attached is not the one opened")
            # As bytes, which the checksums are of: no text is decoded, and one at a time.
            rows = connection.execute(
                f"SELECT collection, CAST(json AS BLOB), crc FROM {schema}.facts"
            )
            for collection, raw, crc in rows:
                if type(raw) is not bytes or zlib.crc32(raw) != crc or collection not in found:
                    raise UnreadableIndexError("a fact does not match its checksum")
                found[collection] += 1
        except (sqlite3.Error, ValueError, KeyError) as error:
            raise UnreadableIndexError(str(error)) from None
        if found != self._counts:
            raise UnreadableIndexError(f"the index holds {found}, not {self._counts}")

    def count(self) -> int:
        """How many facts the index holds."""
        return sum(self._counts.values())

    def ids(self) -> list[str]:
        """Every fact's id, in file order."""
        return [str(row[0]) for row in self._rows("SELECT id FROM facts ORDER BY rowid")]

    def search(self, terms: list[Term]) -> list[Candidate]:
        """Every fact holding every term, scored exactly as a scan scores, best first.

        Each occurrence of a term (a word or its plural, a prefix, or a phrase's words in a row)
        counts once, three times in a name field; equal scores keep the order of the file.
        """
        if not self._fts_checked:
            if _fts_crc(self._db) != self._fts_crc:
                raise UnreadableIndexError("the full-text index does not check out")
            self._fts_checked = True
        scores: dict[int, int] | None = None
        for term in terms:
            counts = self._term_counts(term)
            if scores is None:
                scores = counts
            else:
                scores = {
                    doc: score + counts[doc] for doc, score in scores.items() if doc in counts
                }
        ranked = sorted((scores or {}).items(), key=lambda item: (-item[1], item[0]))
        return [Candidate(rowid, len(terms), score) for rowid, score in ranked]

    def _instances(self, term: Term, index: int, columns: str) -> list[Any]:
        """The tokens the ``index``-th word of a term matches: (doc, col, ...) rows."""
        forms = term.forms(index)
        if forms:
            marks = ", ".join("?" * len(forms))
            return self._rows(f"SELECT {columns} FROM facts_vocab WHERE term IN ({marks})", forms)
        word = term.words[index]
        return self._rows(
            f"SELECT {columns} FROM facts_vocab WHERE term >= ? AND term < ?",
            (word, word + _BEYOND),
        )

    def _term_counts(self, term: Term) -> dict[int, int]:
        """Weighted occurrences of one term, by fact rowid."""
        found: dict[int, int] = {}
        if len(term.words) == 1:
            for doc, col in self._instances(term, 0, "doc, col"):
                found[int(doc)] = found.get(int(doc), 0) + (_NAME_WEIGHT if col == "names" else 1)
            return found
        places: list[set[tuple[int, str, int]]] = [
            {
                (int(doc), str(col), int(offset))
                for doc, col, offset in self._instances(term, i, "doc, col, offset")
            }
            for i in range(len(term.words))
        ]
        for doc, col, offset in places[0]:
            if all((doc, col, offset + i) in places[i] for i in range(1, len(places))):
                found[doc] = found.get(doc, 0) + (_NAME_WEIGHT if col == "names" else 1)
        return found

    def _tally(self, table: str, column: str, key: str, found: list[tuple[Any, ...]]) -> None:
        """Check rows looked up by ``key`` against the tally the index keeps of them: how many
        there are of each kind, and the sum of their rowids. A row damaged or lost fails it."""
        seen: dict[Any, list[int]] = {}
        for kind, rowid in found:
            entry = seen.setdefault(kind, [0, 0])
            entry[0] += 1
            entry[1] += int(rowid)
        kept = self._rows(f"SELECT kind, n, total FROM {table} WHERE {column} = ?", (key,))
        if {kind: [int(n), int(total)] for kind, n, total in kept} != seen:
            raise UnreadableIndexError(f"the {table} of {key!r} do not check out")

    def referrers(self, fact_id: str) -> list[tuple[str, Any, str]]:
        """(collection, record, field) of every fact that refers to ``fact_id``, in file order."""
        rows = self._rows(
            "SELECT f.collection, f.json, f.crc, r.field, r.rowid FROM refs r JOIN facts f"
            " ON f.rowid = r.rowid WHERE r.target = ? ORDER BY r.rowid, r.ordinal",
            (fact_id,),
        )
        self._tally("ref_tally", "target", fact_id, [(row[3], row[4]) for row in rows])
        return [
            (str(collection), self._record(collection, text, crc), str(field))
            for collection, text, crc, field, _rowid in rows
        ]

    def cited_counts(self) -> dict[str, int]:
        """How many facts cite each source, by source id; every reference is checked."""
        rows = self._rows(
            "SELECT target, field, count(*), sum(rowid), count(DISTINCT rowid) FROM refs"
            " GROUP BY target, field"
        )
        kept = self._rows("SELECT target, kind, n, total FROM ref_tally")
        live = {(t, f): (int(n), int(total)) for t, f, n, total, _cited in rows}
        if live != {(t, k): (int(n), int(total)) for t, k, n, total in kept}:
            raise UnreadableIndexError("the references do not check out")
        return {str(t): int(cited) for t, f, _n, _total, cited in rows if f == "source"}

    def named(self, key: str, collections: Iterable[str]) -> list[tuple[str, Any]]:
        """Entities of the collections whose id, name or an alias normalises to ``key``."""
        rows = self._rows(
            "SELECT n.rowid, f.collection, f.json, f.crc FROM names n JOIN facts f"
            " ON f.rowid = n.rowid WHERE n.key = ? ORDER BY n.rowid",
            (key,),
        )
        self._tally("name_tally", "key", key, [("name", row[0]) for row in rows])
        wanted = set(collections)
        found = {
            int(rowid): (str(c), self._record(c, text, crc))
            for rowid, c, text, crc in rows
            if c in wanted
        }
        return list(found.values())

    def _check_names(self) -> None:
        """Check every name against the tally the index keeps (in SQL, once a run): a name
        damaged or lost cannot drop out of a look-up that reads the whole table."""
        if self._names_checked:
            return
        live = "SELECT key, count(*) AS n, sum(rowid) AS total FROM names GROUP BY key"
        tallied, keys, agreeing = self._rows(
            "SELECT (SELECT count(*) FROM name_tally), (SELECT count(DISTINCT key) FROM names),"
            f" (SELECT count(*) FROM ({live}) AS live JOIN name_tally AS kept USING (key)"
            "  WHERE live.n = kept.n AND live.total = kept.total AND kept.kind = 'name')"
        )[0]
        differ = not tallied == keys == agreeing
        if differ:
            raise UnreadableIndexError("the names do not check out")
        self._names_checked = True

    def names_holding(self, words: str, collections: Iterable[str]) -> list[tuple[str, Any]]:
        """Entities of the collections with a name (id, name or alias, normalised) that may hold
        ``words`` as a run of whole words, in file order: a superset the caller narrows."""
        self._check_names()
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"% {escaped} %"
        rows = self._rows(
            "SELECT DISTINCT rowid FROM names WHERE ' ' || key || ' ' LIKE ? ESCAPE '\\'"
            " ORDER BY rowid",
            (pattern,),
        )
        found = self.facts([int(row[0]) for row in rows])
        wanted = set(collections)
        return [found[rowid] for rowid in sorted(found) if found[rowid][0] in wanted]

    def names_near(self, probe: str, each: int) -> list[tuple[str, str, Any]]:
        """(name, collection, entity) of the ``each`` names sorting before ``probe`` and the
        ``each`` from it on: close spellings to suggest, found without reading every name.
        Each name found is checked against its tally."""
        rows = [
            *self._rows(
                "SELECT key, rowid FROM names WHERE key < ? ORDER BY key DESC, rowid DESC LIMIT ?",
                (probe, each),
            ),
            *self._rows(
                "SELECT key, rowid FROM names WHERE key >= ? ORDER BY key, rowid LIMIT ?",
                (probe, each),
            ),
        ]
        for key in {key for key, _rowid in rows}:
            every = self._rows("SELECT rowid FROM names WHERE key = ?", (key,))
            self._tally("name_tally", "key", key, [("name", row[0]) for row in every])
        found = self.facts([int(rowid) for _key, rowid in rows])
        return [(str(key), *found[int(rowid)]) for key, rowid in rows]

    def ids_near(self, probe: str, each: int) -> list[str]:
        """The ids of the ``each`` facts sorting before ``probe`` and the ``each`` from it on."""
        rows = [
            *self._rows(
                "SELECT rowid FROM facts WHERE id < ? ORDER BY id DESC LIMIT ?", (probe, each)
            ),
            *self._rows("SELECT rowid FROM facts WHERE id >= ? ORDER BY id LIMIT ?", (probe, each)),
        ]
        found = self.facts([int(row[0]) for row in rows])  # each checked against its checksum
        return [found[int(row[0])][1].id for row in rows]

    def events_within(self, start: date | None, end: date | None) -> list[Any]:
        """Events whose possible days meet the window's, in file order (a window filter's
        candidates: ``query.dates`` decides which fit). Every event's days are checked."""
        rows = self._rows("SELECT rowid, first_day, last_day, crc FROM spans ORDER BY rowid")
        if len(rows) != self._dated_events:
            raise UnreadableIndexError("the events' days do not check out")
        low, high = (start or date.min).isoformat(), (end or date.max).isoformat()
        chosen = []
        for rowid, first, last, crc in rows:
            if type(first) is not str or type(last) is not str:
                raise UnreadableIndexError("an event's days cannot be read")
            if _crc(f"{rowid}|{first}|{last}") != crc:
                raise UnreadableIndexError("an event's days do not match their checksum")
            if first <= high and last >= low:
                chosen.append(int(rowid))
        found = self.facts(chosen)
        return [found[rowid][1] for rowid in chosen]

    def timeline(
        self, start: date | None, end: date | None, collections: tuple[str, ...]
    ) -> Iterator[tuple[int, int]]:
        """(rowid, seq) of each timeline entry that may meet the window, in timeline order.

        Checked as it is read: the table holds as many entries as the index says, each row
        matches its checksum, and the rows come in order. A failure raises
        ``UnreadableIndexError`` part-way; what came before it was sound.
        """
        (total,) = self._rows("SELECT count(*) FROM timeline")[0]
        if total != self._timeline_entries:
            raise UnreadableIndexError("the timeline does not check out")
        low, high = (start or date.min).isoformat(), (end or date.max).isoformat()
        ranks = [_RANK[name] for name in collections]
        marks = ", ".join("?" * len(ranks))
        try:
            cursor = self._db.execute(
                "SELECT first, last, reach, rank, fact_id, seq, rowid_of, crc FROM timeline"
                f" WHERE first <= ? AND reach >= ? AND rank IN ({marks})"
                " ORDER BY first, last, rank, fact_id, seq",
                (high, low, *ranks),
            )
            previous: tuple[Any, ...] | None = None
            while rows := cursor.fetchmany(500):
                for first, last, reach, rank, fact_id, seq, rowid, crc in rows:
                    key = (first, last, reach, rank, fact_id, seq)
                    if _timeline_crc(rowid, key) != crc:
                        raise UnreadableIndexError("a timeline entry does not match its checksum")
                    order = (first, last, rank, fact_id, seq)
                    if previous is not None and order < previous:
                        raise UnreadableIndexError("the timeline is out of order")
                    previous = order
                    yield int(rowid), int(seq)
        except (sqlite3.Error, TypeError, ValueError) as error:
            raise UnreadableIndexError(str(error)) from None

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def _header_fits(path: Path, size: int) -> bool:
    """True when the file is as long as its SQLite header says: a truncated file is not."""
    with path.open("rb") as stream:
        header = stream.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter, valid_for = header[24:28], header[92:96]
    return counter != valid_for or pages == 0 or pages * page_size == size


def open_index(key: str) -> Index | None:
    """The built index for this key, or None when there is none, or it is not ours or sound.

    A corrupt index of ours is removed, so that the next build replaces it.
    """
    path = index_path(key)
    if path is None:
        return None
    try:
        info = path.stat()
    except OSError:
        return None
    if not _ours(info, directory=False):
        return None  # not ours to read, nor to remove
    try:
        if not _header_fits(path, info.st_size):
            raise UnreadableIndexError("truncated")
        connection = sqlite3.connect(_read_only(path), uri=True)
        try:
            meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
            checked = str(_meta_crc(meta)) == meta.get("meta_crc")
            counts = json.loads(meta.get("counts", "{}"))
            meta = {**meta, "counts": counts}
            total = connection.execute("SELECT count(*) FROM facts").fetchone()[0]
        except BaseException:
            connection.close()
            raise
        if (
            not checked
            or meta.get("key") != key
            or meta.get("format") != str(FORMAT)
            or not isinstance(counts, dict)
            or total != sum(counts.values())
            or not str(meta.get("dated_events", "")).isdigit()
            or not str(meta.get("timeline_entries", "")).isdigit()
            or not isinstance(meta.get("newest_source"), str)
            or not str(meta.get("fts_crc", "")).isdigit()
        ):
            connection.close()
            raise UnreadableIndexError("an index for another file, or incomplete")
    except (sqlite3.Error, OSError, ValueError, TypeError, UnreadableIndexError):
        discard_index(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: prune() keeps it
    return Index(connection, path, meta)


_META = ("key", "format", "counts", "dated_events", "timeline_entries", "newest_source", "fts_crc")


def _meta_crc(meta: dict[str, Any]) -> int:
    """A CRC-32 of what the index says of itself: its key, counts, newest source and the rest."""
    return _crc("\0".join(str(meta.get(name)) for name in _META))


def _fts_crc(connection: sqlite3.Connection) -> int:
    """A CRC-32 of the full-text index's own tables, in their order: what search reads."""
    crc = 0
    for (block,) in connection.execute("SELECT block FROM facts_fts_data ORDER BY id"):
        crc = zlib.crc32(block if isinstance(block, bytes) else repr(block).encode(), crc)
    for row in connection.execute("SELECT * FROM facts_fts_idx ORDER BY segid, term"):
        crc = zlib.crc32(repr(tuple(row)).encode(), crc)
    return crc


def discard_index(path: Path) -> None:
    """Remove an index of ours that cannot be trusted: the next run builds it again."""
    with contextlib.suppress(OSError):
        path.unlink()


def prune(*, keep: Path, now: float | None = None) -> None:
    """Remove indexes no run has opened for KEEP_DAYS, and temporary files left by a crash.

    An index is named after its file's content, so one for a file since edited, or made by
    another version of tradecli, is never opened again; without pruning they would pile up.
    Opening an index marks it used. A process still reading one it removes keeps reading: the
    file goes once it is closed.
    """
    now = time.time() if now is None else now
    try:
        candidates = list(keep.parent.iterdir())
    except OSError:
        return
    for path in candidates:
        if path == keep:
            continue
        if path.name.startswith("index-") and path.suffix == ".sqlite":
            older_than = KEEP_DAYS * 86_400
        elif path.name.startswith(".index-") and path.suffix == ".tmp":
            older_than = 86_400  # a build takes seconds: a day-old one was abandoned
        else:
            continue
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > older_than:
                path.unlink()


# What the index keeps of each collection's facts, from the declarations.
_NAME_FIELDS = {
    collection: tuple(field.name for field in kind.FIELDS if field.names)
    for collection, kind in KIND_OF.items()
}
_ALL_NAME_FIELDS = sorted({name for names in _NAME_FIELDS.values() for name in names})
_REF_FIELDS = sorted(
    {field.name for kind in (*KINDS, *PARTS) for field in kind.FIELDS if field.shape is Shape.REF}
)
_OTHER_FIELDS = {
    field.name for kind in (*KINDS, *PARTS) for field in kind.FIELDS if field.shape is not Shape.REF
}
# SQLite finds references in each fact's JSON by field name: that needs no name to be a
# reference in one kind and something else in another.
assert not set(_REF_FIELDS) & _OTHER_FIELDS, set(_REF_FIELDS) & _OTHER_FIELDS


def _name_texts(collection: str, values: dict[str, Any]) -> list[str]:
    """The texts of a fact's name fields: each a text, a list of them, or None."""
    found: list[str] = []
    for name in _NAME_FIELDS[collection]:
        value = values.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            found.append(value)
        else:
            found.extend(value)
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def _body(collection: str, text: str) -> str | None:
    """The normalised other text of a fact, or None where SQLite can find it in the JSON alone.

    ASCII text tokenises in SQLite as ``words.normalise_name`` splits it; other text is
    normalised here first, so that full-width letters, ligatures, "ß" or a final sigma are
    found as the full scan finds them.
    """
    if text.isascii():
        return None
    data = json.loads(text)
    kept = (value for key, value in data.items() if key not in _ALL_NAME_FIELDS)
    return _BETWEEN.join(normalise_name(part) for part in _strings(list(kept)))


# Between two texts of a column: a token no normalised search word can be (a private-use
# character, which normalisation drops but the tokenizer keeps), so no phrase spans two texts.
_BETWEEN = "\n\ue000\n"

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def fact_text(item: Any) -> str:
    """A fact's JSON as the index stores it: compact, text not escaped."""
    return _ENCODER.encode(item.to_json())


_BATCH = 5000
_ROWID_BLOCK = 1 << 32

TimelineKey = tuple[str, str, str, int, str, int]
"""Where a dated happening sorts: (first day, last day of its date, last day it reaches,
collection rank, fact id, which step or date field of the fact)."""

Row = tuple[int, str, str, str, int, str, str | None, tuple[str, str] | None, list[TimelineKey]]

_RANK = {name: rank for rank, name in enumerate(COLLECTIONS)}


def _measure_dates() -> tuple[Any, ...]:
    return KIND_OF["tariffs"].fields_of(Shape.DATE)


def timeline_keys(collection: str, item: Any) -> list[TimelineKey]:
    """The timeline entries of a fact, each as it sorts: an event's date, a measure's dated
    lifecycle steps or, with none, its date fields (``seq`` is the step's or field's place)."""
    if collection == "events":
        when = item.date
        if when is None:
            return []
        reach = (item.end_date or when).last_day().isoformat()
        first, last = when.first_day().isoformat(), when.last_day().isoformat()
        return [(first, last, reach, _RANK[collection], item.id, 0)]
    if collection != "tariffs":
        return []
    found: list[TimelineKey] = []
    if item.lifecycle:
        for seq, step in enumerate(item.lifecycle):
            if step.date is not None:
                first, last = step.date.first_day().isoformat(), step.date.last_day().isoformat()
                found.append((first, last, last, _RANK[collection], item.id, seq))
        return found
    for seq, field in enumerate(_measure_dates()):
        when = getattr(item, field.name)
        if when is not None:
            first, last = when.first_day().isoformat(), when.last_day().isoformat()
            found.append((first, last, last, _RANK[collection], item.id, seq))
    return found


def _timeline_crc(rowid: int, key: TimelineKey) -> int:
    return _crc(f"{rowid}|{'|'.join(map(str, key))}")


class IndexWriter:
    """A new index, written fact by fact to a temporary file; ``finish`` puts it in place.

    SQLite writes on a thread of its own, which runs while Python prepares the next facts: it
    holds no lock on the interpreter while it indexes words. A failure to write (a full disk,
    say) is not an error: ``finish`` then says False.
    """

    def __init__(self, key: str, temporary: Path, target: Path, *, total: int) -> None:
        import queue
        import threading

        self._key = key
        self._temporary = temporary
        self._target = target
        self._rows: list[Row] = []
        # Rowids keep facts in file order; each collection numbers its facts from a block of its
        # own, so the collections may come in any order.
        self._rowids = {name: _ROWID_BLOCK * rank for rank, name in enumerate(COLLECTIONS)}
        self._counts = dict.fromkeys(COLLECTIONS, 0)
        self._dated_events = 0
        self._timeline_entries = 0
        self._newest: tuple[date, str] | None = None
        self._stack = contextlib.ExitStack()
        self._advance = self._stack.enter_context(_progress(total))
        # A few batches at most wait for the writer, so memory stays flat if it falls behind.
        self._batches: queue.Queue[list[Row] | None] = queue.Queue(maxsize=4)
        self._complete = True
        self._written = False
        self._thread: threading.Thread | None = threading.Thread(
            target=self._write, name="tradecli-index", daemon=True
        )
        # The writer needs the interpreter lock briefly for each statement, while this thread
        # holds it to validate facts: by default it would wait up to 5 ms each time. A shorter
        # switch interval while the index is written hands the lock over sooner.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(_SWITCH_INTERVAL)
        self._thread.start()

    @property
    def key(self) -> str:
        """The content key of the file being indexed."""
        return self._key

    @classmethod
    def create(cls, key: str, *, total: int) -> IndexWriter | None:
        """A writer for this key's index, or None when the cache directory cannot be used."""
        directory = private_dir(create=True)
        target = index_path(key, directory)
        if directory is None or target is None:
            return None
        try:
            import tempfile  # only a first run builds an index

            handle, temporary = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=directory)
        except (OSError, ValueError):
            return None
        os.close(handle)
        return cls(key, Path(temporary), target, total=total)

    def add(self, collection: str, item: Any, text: str | None = None) -> None:
        """Add the next fact of a collection; ``text`` is its compact JSON, if the caller has it.

        A collection's facts must come in file order; the collections may come in any order.
        """
        if text is None:
            text = fact_text(item)
        values = item.__dict__
        names = _BETWEEN.join(map(normalise_name, _name_texts(collection, values)))
        rowid = self._rowids[collection] = self._rowids[collection] + 1
        self._counts[collection] += 1
        span = None
        if collection == "events" and values["date"] is not None:
            first, last = values["date"], values["end_date"] or values["date"]
            span = first.first_day().isoformat(), last.last_day().isoformat()
            self._dated_events += 1
        if collection == "sources" and values["published"] is not None:
            day = values["published"].first_day()  # as query.sources.newest_source rules
            if self._newest is None or day > self._newest[0]:
                self._newest = (day, item.id)
        timeline = timeline_keys(collection, item)
        self._timeline_entries += len(timeline)
        self._rows.append(
            (
                rowid,
                item.id,
                collection,
                text,
                _crc(text),
                names,
                _body(collection, text),
                span,
                timeline,
            )
        )
        if len(self._rows) >= _BATCH:
            self._send()

    def finish(self) -> bool:
        """Complete the index, sync it to disk and move it into place; False if it could not."""
        self._send()
        self._end()
        if not self._written:
            self.discard()
            return False
        try:
            self._temporary.replace(self._target)
            _sync_directory(self._target.parent)
        except OSError:
            self.discard()
            return False
        prune(keep=self._target)
        return True

    def discard(self) -> None:
        """Stop writing and remove the temporary file."""
        self._rows = []
        self._complete = False
        self._end()
        with contextlib.suppress(OSError):
            self._temporary.unlink()

    def _send(self) -> None:
        if self._rows and self._thread is not None:
            self._batches.put(self._rows)
            self._advance(len(self._rows))
        self._rows = []

    def _end(self) -> None:
        if self._thread is not None:
            self._batches.put(None)
            self._thread.join()
            self._thread = None
            sys.setswitchinterval(self._switch_interval)
        self._stack.close()

    def _write(self) -> None:
        """The writer thread: create the tables, insert each batch, then index and commit."""
        ended = False
        try:
            with contextlib.closing(sqlite3.connect(self._temporary)) as connection:
                _create_tables(connection)
                while (rows := self._batches.get()) is not None:
                    _insert(connection, rows)
                ended = True
                if self._complete:
                    _create_indexes(connection)
                    connection.commit()
                    meta = [
                        ("key", self._key),
                        ("format", str(FORMAT)),
                        ("counts", json.dumps(self._counts)),
                        ("dated_events", str(self._dated_events)),
                        ("timeline_entries", str(self._timeline_entries)),
                        ("newest_source", self._newest[1] if self._newest else ""),
                        ("fts_crc", str(_fts_crc(connection))),
                    ]
                    meta.append(("meta_crc", str(_meta_crc(dict(meta)))))
                    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta)
                    connection.commit()
            if self._complete:
                _sync_file(self._temporary)
                self._written = True
        except (OSError, sqlite3.Error):
            while not ended and self._batches.get() is not None:
                pass  # take what is still sent, so that the sender never waits for ever


def _sync_file(path: Path) -> None:
    """Flush a file to disk, so that a power cut cannot leave it half written once renamed."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_directory(path: Path) -> None:
    """Flush a directory's entries (the rename) to disk, where the system allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _create_tables(connection: sqlite3.Connection) -> None:
    connection.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE facts (
            rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, collection TEXT NOT NULL,
            json TEXT NOT NULL, crc INTEGER NOT NULL
        );
        CREATE TABLE names (key TEXT NOT NULL, rowid INTEGER NOT NULL);
        CREATE TABLE spans (
            rowid INTEGER PRIMARY KEY, first_day TEXT NOT NULL, last_day TEXT NOT NULL,
            crc INTEGER NOT NULL
        );
        CREATE TABLE timeline (
            first TEXT NOT NULL, last TEXT NOT NULL, reach TEXT NOT NULL, rank INTEGER NOT NULL,
            fact_id TEXT NOT NULL, seq INTEGER NOT NULL, rowid_of INTEGER NOT NULL,
            crc INTEGER NOT NULL
        );
        CREATE VIRTUAL TABLE facts_fts USING fts5(
            names, body, content = '',
            tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
        );
        CREATE VIRTUAL TABLE facts_vocab USING fts5vocab(facts_fts, 'instance');
        """
    )


def _quoted(names: Iterable[str]) -> str:
    return ", ".join("'" + name.replace("'", "''") + "'" for name in names)


def _create_indexes(connection: sqlite3.Connection) -> None:
    """Index the facts by id and by collection, once they are all in: faster than row by row;
    then find every reference and every event's days in the facts' JSON.

    The full-text table is contentless: it keeps only the index of words (search needs only the
    rowids it matches and how often), not a second copy of every text.
    """
    connection.executescript(
        f"""
        CREATE UNIQUE INDEX facts_by_id ON facts (id);
        CREATE INDEX facts_by_collection ON facts (collection, rowid);
        CREATE INDEX names_by_key ON names (key);
        CREATE INDEX timeline_in_order ON timeline (first, last, rank, fact_id, seq);
        CREATE TABLE refs AS
            SELECT f.rowid AS rowid, t.id AS ordinal, t.value AS target,
                CASE WHEN typeof(t.key) = 'integer'
                    THEN trim(replace(t.path, rtrim(t.path, replace(t.path, '.', '')), ''), '"')
                    ELSE t.key END AS field
            FROM facts f, json_tree(f.json) t
            WHERE t.type = 'text' AND (
                (typeof(t.key) = 'text' AND t.key IN ({_quoted(_REF_FIELDS)}))
                OR (typeof(t.key) = 'integer'
                    AND trim(replace(t.path, rtrim(t.path, replace(t.path, '.', '')), ''), '"')
                        IN ({_quoted(_REF_FIELDS)})));
        CREATE INDEX refs_by_target ON refs (target, rowid);
        CREATE TABLE ref_tally AS
            SELECT target, field AS kind, count(*) AS n, sum(rowid) AS total FROM refs
            GROUP BY target, field;
        CREATE INDEX ref_tally_by_target ON ref_tally (target);
        CREATE TABLE name_tally AS
            SELECT key, 'name' AS kind, count(*) AS n, sum(rowid) AS total FROM names
            GROUP BY key;
        CREATE INDEX name_tally_by_key ON name_tally (key);
        """
    )


def _insert(connection: sqlite3.Connection, rows: list[Row]) -> None:
    """Insert rows a few thousand to a statement: one step each, taking the interpreter lock
    once, where ``executemany`` would take it back after every row (and wait for it).

    SQLite finds the strings of each ASCII fact's JSON for the "body" column itself
    (``json_tree``), on the writer's thread; other facts come with their body normalised.
    """
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[start : start + _ROWS_PER_STATEMENT]
        connection.execute(
            _values_sql("INSERT INTO facts VALUES", "(?, ?, ?, ?, ?)", len(chunk)),
            [value for row in chunk for value in row[:5]],
        )
        connection.execute(
            _values_sql("INSERT INTO facts_fts (rowid, names, body) VALUES", _FTS_ROW, len(chunk)),
            [value for row in chunk for value in (row[0], row[5], row[6], row[3])],
        )
        entities = [
            (key, row[0]) for row in chunk if row[2] in ENTITIES for key in row[5].split(_BETWEEN)
        ]
        _insert_many(connection, "names", entities)
        spans = [
            (row[0], *span, _crc(f"{row[0]}|{span[0]}|{span[1]}"))
            for row in chunk
            if (span := row[7]) is not None
        ]
        _insert_many(connection, "spans", spans)
        timeline = [(*key, row[0], _timeline_crc(row[0], key)) for row in chunk for key in row[8]]
        _insert_many(connection, "timeline", timeline)


def _insert_many(connection: sqlite3.Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert rows of one table, as many to a statement as SQLite takes parameters: on the
    writer's thread, ``executemany`` would wait for the interpreter lock after every row."""
    if not rows:
        return
    width = len(rows[0])
    mark = "(" + ", ".join("?" * width) + ")"
    step = _PARAMETERS // width
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        connection.execute(
            _values_sql(f"INSERT INTO {table} VALUES", mark, len(chunk)),
            [value for row in chunk for value in row],
        )


# The body is every string value of the JSON but the top-level name fields, in document order
# (the order does not matter): the texts a full scan counts once, where names count three times.
_FTS_ROW = (
    "(?, ?, coalesce(?, (SELECT group_concat(value, char(10, 57344, 10)) FROM json_tree(?)"
    f" WHERE type = 'text' AND NOT (path = '$' AND key IN ({_quoted(_ALL_NAME_FIELDS)}))"
    f" AND path NOT IN ({_quoted('$.' + name for name in _ALL_NAME_FIELDS)}))))"
)
_ROWS_PER_STATEMENT = 1500  # 7,500 parameters, well under SQLite's limit of 32,766
_PARAMETERS = 8000  # at most, in one statement of _insert_many
_SWITCH_INTERVAL = 0.0005  # seconds; Python's default is 0.005


@functools.lru_cache(maxsize=32)
def _values_sql(insert: str, row: str, rows: int) -> str:
    return f"{insert} {', '.join([row] * rows)}"


def build_index(key: str, facts: Iterator[tuple[str, Any]], *, total: int) -> bool:
    """Write the index for this key from validated facts; False when the cache cannot be used."""
    writer = IndexWriter.create(key, total=total)
    if writer is None:
        return False
    try:
        for collection, item in facts:
            writer.add(collection, item)
    except BaseException:
        writer.discard()
        raise
    return writer.finish()


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A progress bar on stderr for large files when stderr is a terminal; silent otherwise."""
    if total < _PROGRESS_MIN_FACTS or not sys.stderr.isatty():
        yield lambda count: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("indexing facts (once per file)", total=total)
        yield lambda count: progress.advance(task, count)
