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
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tradecli import __version__
from tradecli.kinds import NAME_FIELDS
from tradecli.records import RECORD_TYPES

FORMAT = 3
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
        return collection, RECORD_TYPES[collection].from_json(json.loads(row[1]))

    def collection(self, name: str) -> list[Any]:
        """The records of one collection, in file order."""
        record = RECORD_TYPES[name]
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
    return Index(connection)


def _strings(value: Any) -> list[str]:
    """Every string inside a dumped fact, in no particular order."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def build_index(key: str, facts: Iterator[tuple[str, Any]], *, total: int) -> bool:
    """Write the index for this key from validated facts; False when the cache cannot be written."""
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a first run builds an index

        handle, temporary = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=directory)
    except OSError:
        return False
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            _fill(connection, key, facts, total=total)
        finally:
            connection.close()
        Path(temporary).replace(index_path(key))
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        return False
    return True


def _fill(
    connection: sqlite3.Connection, key: str, facts: Iterator[tuple[str, Any]], *, total: int
) -> None:
    connection.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE facts (
            rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, collection TEXT NOT NULL,
            json TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE facts_fts USING fts5(
            names, body, tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )
    with _progress(total) as advance:
        rows = []
        for number, (collection, item) in enumerate(facts, start=1):
            data = item.to_json()
            names = [text for name in NAME_FIELDS for text in _strings(data.get(name))]
            body = _strings(data)
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            rows.append((number, item.id, collection, text, names, body))
            if len(rows) >= 5000:
                _insert(connection, rows)
                advance(len(rows))
                rows = []
        _insert(connection, rows)
        advance(len(rows))
    connection.execute("CREATE INDEX facts_by_collection ON facts (collection, rowid)")
    connection.execute("INSERT INTO meta VALUES ('key', ?)", (key,))
    connection.commit()


def _insert(connection: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> None:
    connection.executemany(
        "INSERT INTO facts VALUES (?, ?, ?, ?)", [(r[0], r[1], r[2], r[3]) for r in rows]
    )
    connection.executemany(
        "INSERT INTO facts_fts (rowid, names, body) VALUES (?, ?, ?)",
        [(r[0], "\n".join(r[4]), "\n".join(r[5])) for r in rows],
    )


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
