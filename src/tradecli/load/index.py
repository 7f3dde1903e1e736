"""A search index of a validated fact file, kept in the user's cache directory.

The index is a SQLite database named after a hash of the fact file's bytes (and of tradecli's
version), so it can never answer for a file that has changed: a changed file has another name.
It is built only from a file that validated cleanly, written to a temporary file and renamed into
place (two processes building at once each rename a complete file), rebuilt when missing or
unreadable, and skipped, with tradecli still working, when the cache directory is not writable.

It holds every fact's JSON by id, for looking up a few facts without loading the file, and an FTS5
full-text index whose "names" column (ids, names, aliases, titles, topics) weighs three times the
"body" column (every other text).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tradecli import __version__
from tradecli.facts.kinds import COLLECTIONS, KIND_OF

FORMAT = 4
KEEP_DAYS = 30  # an index no run has opened for this long is removed when another is built
_PROGRESS_MIN_FACTS = 20_000


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/tradecli``, or ``~/.cache/tradecli``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tradecli"


def content_key(raw: bytes) -> str:
    """A key that changes whenever the file's bytes, tradecli's version or the format change."""
    digest = hashlib.sha256(raw)
    digest.update(f"\0tradecli {__version__} index {FORMAT}".encode())
    return digest.hexdigest()


def index_path(key: str) -> Path:
    """Where the index for a content key lives."""
    return cache_dir() / f"index-{key[:40]}.sqlite"


class Index:
    """A read-only view of one built index."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def fact(self, fact_id: str) -> tuple[str, Any] | None:
        """The collection and record of one fact, or None."""
        row = self._db.execute(
            "SELECT collection, json FROM facts WHERE id = ?", (fact_id,)
        ).fetchone()
        if row is None:
            return None
        collection = str(row[0])
        return collection, KIND_OF[collection].from_json(json.loads(row[1]))

    def collection(self, name: str) -> list[Any]:
        """The records of one collection, in file order."""
        record = KIND_OF[name]
        rows = self._db.execute(
            "SELECT json FROM facts WHERE collection = ? ORDER BY rowid", (name,)
        )
        return [record.from_json(json.loads(row[0])) for row in rows]

    def count(self) -> int:
        """How many facts the index holds."""
        return int(self._db.execute("SELECT count(*) FROM facts").fetchone()[0])

    def search(self, terms: list[str], *, limit: int | None) -> tuple[int, list[str]]:
        """How many facts hold any of the terms (as word prefixes), and the ids of the best.

        The ids come in file order, so that equal hits keep the order of the file.
        """
        query = " OR ".join(f'"{term}"*' for term in terms)
        total = int(
            self._db.execute(
                "SELECT count(*) FROM facts_fts WHERE facts_fts MATCH ?", (query,)
            ).fetchone()[0]
        )
        sql = (
            "SELECT facts.id, facts.rowid FROM facts_fts"
            " JOIN facts ON facts.rowid = facts_fts.rowid"
            " WHERE facts_fts MATCH ? ORDER BY bm25(facts_fts, 3.0, 1.0), facts.rowid"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = sorted(self._db.execute(sql, (query,)), key=lambda row: int(row[1]))
        return total, [str(row[0]) for row in rows]

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def open_index(key: str) -> Index | None:
    """The built index for this key, or None when there is none or it is unreadable."""
    path = index_path(key)
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = connection.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
        if row is None or row[0] != key:
            raise sqlite3.DatabaseError("index for another file")
    except sqlite3.Error:
        with contextlib.suppress(OSError):
            path.unlink()  # corrupt or foreign: the next run rebuilds it
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: prune() keeps it
    return Index(connection)


def prune(*, keep: Path, now: float | None = None) -> None:
    """Remove indexes no run has opened for KEEP_DAYS, and temporary files left by a crash.

    An index is named after its file's content, so one for a file since edited, or made by
    another version of tradecli, is never opened again; without pruning they would pile up.
    Opening an index marks it used. A process still reading one it removes keeps reading: the
    file goes once it is closed.
    """
    now = time.time() if now is None else now
    try:
        candidates = list(cache_dir().iterdir())
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


# The fields that name a fact of each collection.
_NAME_FIELDS = {
    collection: tuple(field.name for field in kind.FIELDS if field.names)
    for collection, kind in KIND_OF.items()
}


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


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_BATCH = 5000
_ROWID_BLOCK = 1 << 32


Row = tuple[int, str, str, str, str]


class IndexWriter:
    """A new index, written fact by fact to a temporary file; ``finish`` puts it in place.

    SQLite writes on a thread of its own, which runs while Python prepares the next facts: it
    holds no lock on the interpreter while it indexes words. A failure to write (a full disk,
    say) is not an error: ``finish`` then says False.
    """

    def __init__(self, key: str, temporary: Path, *, total: int) -> None:
        import queue
        import threading

        self._key = key
        self._temporary = temporary
        self._rows: list[Row] = []
        # Rowids keep facts in file order; each collection numbers its facts from a block of its
        # own, so the collections may come in any order.
        self._rowids = {name: _ROWID_BLOCK * rank for rank, name in enumerate(COLLECTIONS)}
        self._stack = contextlib.ExitStack()
        self._advance = self._stack.enter_context(_progress(total))
        # A few batches at most wait for the writer, so memory stays flat if it falls behind.
        self._batches: queue.Queue[list[Row] | None] = queue.Queue(maxsize=4)
        self._complete = True
        self._written = False
        self._thread: threading.Thread | None = threading.Thread(
            target=self._write, name="tradecli-index", daemon=True
        )
        self._thread.start()

    @property
    def key(self) -> str:
        """The content key of the file being indexed."""
        return self._key

    @classmethod
    def create(cls, key: str, *, total: int) -> IndexWriter | None:
        """A writer for this key's index, or None when the cache directory cannot be written."""
        directory = cache_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
            import tempfile  # only a first run builds an index

            handle, temporary = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=directory)
        except OSError:
            return None
        os.close(handle)
        return cls(key, Path(temporary), total=total)

    def add(self, collection: str, item: Any, text: str | None = None) -> None:
        """Add the next fact of a collection; ``text`` is its compact JSON, if the caller has it.

        A collection's facts must come in file order; the collections may come in any order.
        """
        if text is None:
            text = _ENCODER.encode(item.to_json())
        values = item.__dict__
        names = "\n".join(_name_texts(collection, values))
        rowid = self._rowids[collection] = self._rowids[collection] + 1
        self._rows.append((rowid, item.id, collection, text, names))
        if len(self._rows) >= _BATCH:
            self._send()

    def finish(self) -> bool:
        """Complete the index and move it into place; False if it could not be written."""
        self._send()
        self._end()
        if not self._written:
            self.discard()
            return False
        try:
            self._temporary.replace(index_path(self._key))
        except OSError:
            self.discard()
            return False
        prune(keep=index_path(self._key))
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
                    connection.execute("INSERT INTO meta VALUES ('key', ?)", (self._key,))
                    connection.commit()
                    self._written = True
        except (OSError, sqlite3.Error):
            while not ended and self._batches.get() is not None:
                pass  # take what is still sent, so that the sender never waits for ever


def _create_tables(connection: sqlite3.Connection) -> None:
    connection.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE facts (
            rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, collection TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE facts_fts USING fts5(
            names, body, content = '', tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )


def _create_indexes(connection: sqlite3.Connection) -> None:
    """Index the facts by id and by collection, once they are all in: faster than row by row.

    The full-text table is contentless: it keeps only the index of words (search needs only the
    rowids it matches), not a second copy of every text, which takes a quarter less time to
    write and a third less disk.
    """
    connection.execute("CREATE UNIQUE INDEX facts_by_id ON facts (id)")
    connection.execute("CREATE INDEX facts_by_collection ON facts (collection, rowid)")


def _insert(connection: sqlite3.Connection, rows: list[Row]) -> None:
    """Insert rows a few thousand to a statement: one step each, taking the interpreter lock
    once, where ``executemany`` would take it back after every row (and wait for it).

    SQLite finds the strings of each fact's JSON for the "body" column itself (``json_tree``),
    on the writer's thread.
    """
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        chunk = rows[start : start + _ROWS_PER_STATEMENT]
        connection.execute(
            _values_sql("INSERT INTO facts VALUES", "(?, ?, ?, ?)", len(chunk)),
            [value for row in chunk for value in row[:4]],
        )
        connection.execute(
            _values_sql("INSERT INTO facts_fts (rowid, names, body) VALUES", _FTS_ROW, len(chunk)),
            [value for row in chunk for value in (row[0], row[4], row[3])],
        )


# The body is every string value of the JSON, in document order (the order does not matter).
_FTS_ROW = "(?, ?, (SELECT group_concat(value, char(10)) FROM json_tree(?) WHERE type = 'text'))"
_ROWS_PER_STATEMENT = 2000  # 8,000 parameters, well under SQLite's limit of 32,766


@functools.lru_cache(maxsize=8)
def _values_sql(insert: str, row: str, rows: int) -> str:
    return f"{insert} {', '.join([row] * rows)}"


def build_index(key: str, facts: Iterator[tuple[str, Any]], *, total: int) -> bool:
    """Write the index for this key from validated facts; False when the cache cannot be written."""
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
