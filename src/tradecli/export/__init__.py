"""Export every fact to a SQLite database or to a folder of CSV files, one table per kind.

The layout comes from the declarations (``export.tables``): a table per kind keyed by the
fact's id, a table per nested part and per list of references, numbered in file order with a
``list_index`` (its place in the fact file's list, as in ``tariffs[3].lifecycle[1]``), a
table ``confirmations`` of who confirms each fact (``query.sources.support``) and one,
``export_info``, of the export itself (``export.info``). The SQLite export adds an index on
every foreign key column, the view ``fact_sources`` of every fact's sources, those of its
lifecycle steps too (``export.fact_sources``), and, if asked, datasette's metadata in a file of
its own (``export.metadata``).

A reference that may name several kinds is one nullable FOREIGN KEY per kind, so that no key
goes unchecked and datasette links each to the person or place itself: read it whatever its
kind with ``coalesce(imposed_by_place, imposed_by_organisation)``. Dates are text as written,
with a ``<field>_precision`` column, so a month is never padded to a day, and beside them
``<field>_earliest`` and ``<field>_latest``, the first and last days the date can mean (ISO
days), which SQL, pandas and spreadsheets sort and compare as days; lists of text are JSON
arrays; words are their fact-file spelling; text is stored exactly as written (it is data here, not
terminal output). In CSV an empty cell is NULL. The CSV export writes the same tables, rows and
columns, one ``<table>.csv`` each, in UTF-8, every text exactly as the SQLite export holds it:
data tools (pandas, csvkit, sqlite-utils) read what the facts say. For a spreadsheet program
(``spreadsheet=True``, ``--for spreadsheet``) each file starts with a UTF-8 byte order mark, by
which Excel and LibreOffice know the encoding, and text is guarded as OWASP recommends against
formula injection: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage
return or ``'`` gets a leading ``'``, so that a spreadsheet shows it rather than running it.
Numbers are written as numbers and never changed, and neither is text that is a plain negative
number such as ``-5.9`` (``textsafe.spreadsheet_safe``).

Rows. Both exports take their rows from one place, ``export.rows``: made in Python from the
records the store gives (``Store.all_facts``), by functions compiled from the declarations, a
batch of facts at a time. The SQLite export inserts them with multi-row INSERTs, as
sqlite-utils' ``insert_all`` does; the CSV export writes them to the files. Python's ``json`` and
``sqlite3`` keep every character of a text, a NUL included, so text arrives exactly.

Search. Every table with free text has a full-text index ``<table>_fts`` (FTS5, Porter stemming,
accents ignored) made the way ``sqlite-utils enable-fts --create-triggers`` makes it: an
external-content table with ``content="<table>"`` whose rows share the table's rowid, kept in
step by triggers ``<table>_ai``, ``_ad`` and ``_au``. If VACUUM renumbers rowids, rebuild an
index with ``INSERT INTO people_fts(people_fts) VALUES('rebuild')``, or export again.

Safety. Each file is staged beside its target and moved into place only when complete
(``tradecli.files``). Every foreign key and every CHECK is checked once, after the rows are in
(``PRAGMA foreign_key_check``, then a query per table): a row that breaks one fails the export
and leaves nothing behind. SQLite keeps its temporary storage in memory, so the export writes no
file but those staged beside its targets; a full disk is that folder's. Every table documents
its columns in SQL comments (``sqlite3 facts.db .schema``); ``PRAGMA user_version`` holds
EXPORT_VERSION, the version of this layout.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import operator
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tradecli.errors import UsageError
from tradecli.export import fact_sources
from tradecli.export.info import ExportInfo, export_info
from tradecli.export.metadata import datasette_metadata
from tradecli.export.rows import Row, confirmation_rows, held_apart, in_order, table_rows
from tradecli.export.tables import (
    CONFIRMATIONS_TABLE,
    DERIVED,
    EVERY_TABLE,
    EXPORT_INFO_TABLE,
    EXPORT_VERSION,
    INDEXES,
    TABLES,
    Cell,
    Column,
    Derived,
    Table,
    quote,
)
from tradecli.files import check_target, same_file, staged
from tradecli.textsafe import spreadsheet_safe

if TYPE_CHECKING:
    from tradecli.store import Store

__all__ = ["EXPORT_VERSION", "TABLES", "write_csv", "write_sqlite"]


# SQLite


def create_search_index(connection: sqlite3.Connection, table: Table) -> None:
    """Add ``<table>_fts`` and its triggers, as ``sqlite-utils enable-fts --create-triggers``."""
    name, fts = quote(table.name), quote(table.name + "_fts")
    columns = ", ".join(quote(column) for column in table.search)
    old = ", ".join(f"old.{quote(column)}" for column in table.search)
    new = ", ".join(f"new.{quote(column)}" for column in table.search)
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
        trigger = quote(table.name + suffix)
        connection.execute(f"CREATE TRIGGER {trigger} {when} ON {name} BEGIN\n  {body}\nEND")


def _broken_checks(connection: sqlite3.Connection, table: Table | Derived) -> list[tuple[str, int]]:
    """(table, rowid) of a few rows that break one of the table's CHECKs, as SQLite would judge
    them on insert: a CHECK fails when its expression is false, not when it is NULL."""
    if not table.checks:
        return []
    broken = " OR ".join(f"NOT ({expression})" for expression in table.checks)
    sql = f"SELECT rowid FROM {quote(table.name)} WHERE {broken} LIMIT 5"
    return [(table.name, rowid) for (rowid,) in connection.execute(sql)]


def derived_rows(store: Store, info: ExportInfo) -> Iterator[tuple[Derived, list[Row]]]:
    """The rows of the derived tables, a batch at a time: who confirms each fact, then the
    export's own record."""
    for rows in confirmation_rows(store):
        yield CONFIRMATIONS_TABLE, rows
    yield EXPORT_INFO_TABLE, [info.row()]


def _fill_database(
    connection: sqlite3.Connection, store: Store, info: ExportInfo
) -> dict[str, int]:
    """Create every table, fill it with the facts' rows, then add the search indexes, the
    indexes on foreign keys and the view of every fact's sources; return the rows per table."""
    # Every key and every CHECK is checked once, in one pass at the end (PRAGMA
    # foreign_key_check, then a query per table), not row by row as the rows go in: the same
    # checks, where SQLite would otherwise evaluate each CHECK anew for every row inserted.
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("PRAGMA ignore_check_constraints = ON")
    # A file staged beside its path, renamed into place only once complete: it needs no
    # rollback journal of its own (a crash leaves a temporary file, never a half database).
    connection.execute("PRAGMA journal_mode = OFF")
    # Whatever SQLite would keep in temporary files is kept in memory: the export writes no
    # file but the one staged beside its path, so only that folder's disk can be full.
    connection.execute("PRAGMA temp_store = MEMORY")
    connection.execute("BEGIN")
    for table in TABLES:
        connection.execute(table.create_sql())
    counts = dict.fromkeys((table.name for table in EVERY_TABLE), 0)
    inserts = {
        table.name: [
            _Inserts(connection, table.name, table.columns, _left_out(table, owner))
            for owner in (range(len(table.owners)) if held_apart(table) else [None])
        ]
        for table in TABLES
    }
    for table, by_owner in table_rows(store):
        for insert, rows in zip(inserts[table.name], by_owner, strict=True):
            insert.add(rows)
            counts[table.name] += len(rows)
    for insert in itertools.chain.from_iterable(inserts.values()):
        insert.finish()
    derived = {}
    for made in DERIVED:
        connection.execute(made.create_sql())
        derived[made.name] = _Inserts(connection, made.name, made.columns, set())
    for made, rows in derived_rows(store, info):
        derived[made.name].add(rows)
        counts[made.name] += len(rows)
    for insert in derived.values():
        insert.finish()
    for table in TABLES:
        if table.search:
            create_search_index(connection, table)
    # Made once the rows are in, as sqlite-utils' create_index does: faster than kept in step.
    for index in INDEXES:
        connection.execute(index.create_sql())
    connection.execute(fact_sources.create_sql())
    broken = connection.execute("PRAGMA foreign_key_check").fetchmany(5)
    if broken:
        raise sqlite3.IntegrityError(f"FOREIGN KEY constraint failed: {broken}")
    for checked in EVERY_TABLE:
        failing = _broken_checks(connection, checked)
        if failing:
            raise sqlite3.IntegrityError(f"CHECK constraint failed: {failing}")
    connection.execute(f"PRAGMA user_version = {EXPORT_VERSION}")
    connection.execute("COMMIT")
    return counts


# Rows an INSERT statement adds, as sqlite-utils' insert_all writes them (its batch_size).
ROWS_PER_INSERT = 100


def _left_out(table: Table, owner: int | None) -> set[str]:
    """The columns a part held apart by owner (``rows.held_apart``) leaves NULL in the rows of
    one owner: every other owner's column."""
    if owner is None:
        return set()
    return {column.name for number, column in enumerate(table.owner_columns) if number != owner}


class _Inserts:
    """Rows into one table, several in each INSERT statement (as sqlite-utils' ``insert_all``
    adds them), but for the columns ``left_out`` (left NULL: those of a part held apart by
    owner, ``_left_out``). Binding a NULL, from Python's sqlite3, costs more than binding a
    text: half the cost of inserting evidence was theirs."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        name: str,
        columns: tuple[Column, ...],
        left_out: set[str],
    ) -> None:
        kept = [place for place, column in enumerate(columns) if column.name not in left_out]
        names = ", ".join(quote(columns[place].name) for place in kept)
        marks = "(" + ", ".join("?" for _place in kept) + ")"
        limit = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        self._per = max(1, min(ROWS_PER_INSERT, limit // len(kept)))
        head = f"INSERT INTO {quote(name)} ({names}) VALUES "
        self._one = head + marks
        self._many = head + ", ".join([marks] * self._per)
        self._pick = None if not left_out else operator.itemgetter(*kept)
        self._connection = connection
        self._waiting: list[Row] = []

    def add(self, rows: list[Row]) -> None:
        """Insert the rows, but for fewer than a statement's, which wait for the next ones."""
        waiting = self._waiting
        waiting.extend(rows if self._pick is None else map(self._pick, rows))
        per, many, execute = self._per, self._many, self._connection.execute
        whole = len(waiting) - len(waiting) % per
        for start in range(0, whole, per):
            execute(many, tuple(itertools.chain.from_iterable(waiting[start : start + per])))
        del waiting[:whole]

    def finish(self) -> None:
        """Insert the rows still waiting."""
        self._connection.executemany(self._one, self._waiting)
        self._waiting = []


_SQLITE_WRITE_ERRORS = frozenset(
    {
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_READONLY,
    }
)


def write_sqlite(
    store: Store,
    path: Path,
    *,
    force: bool,
    metadata: Path | None = None,
    licence: str | None = None,
) -> dict[str, int]:
    """Write every fact to a new SQLite database at ``path``, and datasette's metadata of it to
    ``metadata`` if given, naming ``licence``; return the rows per table."""
    check_target(store.path, path, force=force)
    targets = [path]
    if metadata is not None:
        check_target(store.path, metadata, force=force)
        if same_file(metadata, path):
            raise UsageError(
                f"{metadata} is the database being written",
                hint="give the metadata another name, such as metadata.json",
            )
        targets.append(metadata)
    for target in targets:
        if not target.parent.is_dir():
            raise UsageError(
                f"cannot write {target}: directory {target.parent} does not exist",
                hint="create it first, or choose another path",
            )
    info = export_info(store)
    try:
        with contextlib.ExitStack() as stack:
            # Both files are staged; the database moves into place first, then the metadata.
            described = (
                None if metadata is None else stack.enter_context(staged(metadata, force=force))
            )
            temporary = stack.enter_context(staged(path, force=force))
            with contextlib.closing(sqlite3.connect(temporary, isolation_level=None)) as connection:
                counts = _fill_database(connection, store, info)
            if metadata is not None and described is not None:
                made = datasette_metadata(info, database=path.stem, licence=licence)
                _write_metadata(described, metadata, made)
            return counts
    except sqlite3.Error as error:
        # A full disk or an unwritable file is the user's to fix; anything else is a bug.
        code = getattr(error, "sqlite_errorcode", 0) & 0xFF
        if code not in _SQLITE_WRITE_ERRORS:
            raise
        # SQLite writes nothing outside the staged file (temp_store is MEMORY), so a full disk
        # is the target folder's.
        folder = path.parent.absolute()
        hint = (
            f"free some space in {folder}, or write elsewhere"
            if code == sqlite3.SQLITE_FULL
            else None
        )
        raise UsageError(f"cannot write {path}: {error}", hint=hint) from None


def _write_metadata(temporary: Path, path: Path, metadata: dict[str, Any]) -> None:
    """Write datasette's metadata as JSON, every character as itself (UTF-8)."""
    text = json.dumps(metadata, indent=2, ensure_ascii=False) + "\n"
    with _writing(path):
        temporary.write_text(text, encoding="utf-8")


# CSV


def csv_name(name: str) -> str:
    """The file name of a table's CSV file."""
    return f"{name}.csv"


class _CsvFile:
    """A table's CSV file being written: its header, then its rows as they come, each text
    guarded from spreadsheet formulas if ``guard``."""

    def __init__(
        self, stream: IO[str], name: str, columns: tuple[Column, ...], *, guard: bool
    ) -> None:
        self.name = name
        self._guard = guard
        self._writer = csv.writer(stream, lineterminator="\n")
        # csv quotes a cell holding the line terminator "\n", not one holding a lone "\r",
        # which readers take for the end of a row: text after it would start a row of its own,
        # even a formula. A row with one is written with every text quoted.
        self._quoting = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
        self._writer.writerow(column.name for column in columns)

    def write(self, rows: list[Row]) -> None:
        """Write rows, each text cell made safe from spreadsheet formulas if guarded."""
        for row in rows:
            cells: Row | list[Cell] = row
            if self._guard:
                cells = [spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row]
            if any(isinstance(cell, str) and "\r" in cell for cell in cells):
                self._quoting.writerow(cells)
            else:
                self._writer.writerow(cells)


def write_csv(
    store: Store, directory: Path, *, force: bool, spreadsheet: bool = False
) -> dict[str, int]:
    """Write one CSV file per table into ``directory``, creating it; return the rows per table.
    For a ``spreadsheet`` program, each file starts with a byte order mark and text is guarded
    from formulas; otherwise every text is written exactly."""
    try:
        taken = directory.exists() and not directory.is_dir()
    except OSError as error:  # a name too long, a folder that cannot be entered
        raise UsageError(f"cannot write {directory}: {error.strerror or error}") from None
    if taken:
        raise UsageError(
            f"{directory} is not a directory", hint="give a directory for the CSV files"
        )
    columns = {table.name: table.columns for table in EVERY_TABLE}
    paths = {name: directory / csv_name(name) for name in columns}
    for target in paths.values():
        check_target(store.path, target, force=force)
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create {directory}: {error.strerror or error}") from None
    info = export_info(store)
    counts = dict.fromkeys(paths, 0)
    try:
        with contextlib.ExitStack() as stack:
            files: dict[str, _CsvFile] = {}
            streams: dict[str, IO[str]] = {}
            for name, path in paths.items():
                temporary = stack.enter_context(staged(path, force=force))
                with _writing(path):
                    # utf-8-sig writes the byte order mark first, then UTF-8.
                    encoding = "utf-8-sig" if spreadsheet else "utf-8"
                    stream = temporary.open("w", encoding=encoding, newline="")
                    stack.callback(_close_quietly, stream)
                    streams[name] = stream
                    files[name] = _CsvFile(stream, name, columns[name], guard=spreadsheet)
            # The rows go to the files as they are made. Every file is written out and closed
            # before the first one is moved into place.
            for table, by_owner in table_rows(store):
                rows = in_order(by_owner)
                with _writing(paths[table.name]):
                    files[table.name].write(rows)
                counts[table.name] += len(rows)
            for derived, rows in derived_rows(store, info):
                with _writing(paths[derived.name]):
                    files[derived.name].write(rows)
                counts[derived.name] += len(rows)
            for name, written in streams.items():
                with _writing(paths[name]):
                    written.close()
    except BaseException:
        if created:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise
    return counts


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Say which file could not be written, and why (a full disk, an I/O error)."""
    try:
        yield
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def _close_quietly(stream: IO[str]) -> None:
    """Close a file given up on: its error is not the one to report."""
    with contextlib.suppress(OSError):
        stream.close()
