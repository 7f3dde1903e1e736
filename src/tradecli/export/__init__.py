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
``claimed_by`` a person, an organisation or a place, and so on (``tradecli.facts.kinds`` says
which). Such a field becomes one nullable column per kind it may point to, each a real FOREIGN KEY
to that kind's table: ``imposed_by_place`` and ``imposed_by_organisation``, with the id in the
column of its kind and NULL in the others, and a CHECK that at most one (for a list item: exactly
one) is set. We chose this over a single text column plus a "kind" column, which no foreign key can
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
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from tradecli.errors import UsageError
from tradecli.export.rows import table_rows
from tradecli.export.tables import EXPORT_VERSION, TABLES, Cell, Table, quote
from tradecli.files import check_target, staged

if TYPE_CHECKING:
    from tradecli.store import Store

__all__ = ["EXPORT_VERSION", "TABLES", "table_rows", "write_csv", "write_sqlite"]


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


def _fill_database(connection: sqlite3.Connection, rows: dict[str, list[tuple[Cell, ...]]]) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("BEGIN")
    # Rows reference rows of later tables (and of their own); check every key at COMMIT instead.
    connection.execute("PRAGMA defer_foreign_keys = ON")
    for table in TABLES:
        connection.execute(table.create_sql())
    for table in TABLES:
        marks = ", ".join("?" for _ in table.columns)
        names = ", ".join(quote(name) for name in table.column_names)
        connection.executemany(
            f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", rows[table.name]
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
    check_target(store.path, path, force=force)
    if not path.parent.is_dir():
        raise UsageError(
            f"cannot write {path}: directory {path.parent} does not exist",
            hint="create it first, or choose another path",
        )
    rows = table_rows(store)
    try:
        with (
            staged(path, force=force) as temporary,
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
        check_target(store.path, target, force=force)
    rows = table_rows(store)
    created = not directory.exists()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create {directory}: {error.strerror or error}") from None
    try:
        with contextlib.ExitStack() as stack:
            # Every file is complete before the first one is moved into place.
            temporaries = [stack.enter_context(staged(target, force=force)) for target in paths]
            for table, temporary, path in zip(TABLES, temporaries, paths, strict=True):
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
