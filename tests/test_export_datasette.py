"""What datasette and sqlite-utils get from the SQLite export beyond the facts' tables: the
metadata file, the view of every fact's sources, an index on every foreign key, and the
export's record of itself (export_info)."""

from __future__ import annotations

import copy
import hashlib
import importlib.metadata
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED
from tradecli import __version__, cli, export
from tradecli.errors import DataError, UsageError
from tradecli.export import fact_sources, tables
from tradecli.export.info import fact_file_sha256
from tradecli.export.metadata import NO_LICENCE, label_column
from tradecli.query.sources import newest_source
from tradecli.store import Store, load


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    """The bundled facts exported once with their metadata: the database, the metadata, and
    the UTC times just before and after the export."""
    folder = tmp_path_factory.mktemp("datasette")
    database, metadata = folder / "facts.db", folder / "metadata.json"
    before = _now()
    export.write_sqlite(load(BUNDLED), database, force=False, metadata=metadata)
    return database, metadata, before, _now()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def db(written: tuple[Path, Path, str, str]) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the exported database."""
    connection = sqlite3.connect(f"file:{written[0]}?mode=ro", uri=True)
    yield connection
    connection.close()


@pytest.fixture
def metadata(written: tuple[Path, Path, str, str]) -> dict[str, Any]:
    """The metadata file, as JSON."""
    return json.loads(written[1].read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def fetch(connection: sqlite3.Connection, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Every row of a query."""
    return connection.execute(sql, args).fetchall()


def columns_of(connection: sqlite3.Connection, name: str) -> list[str]:
    """The columns of a table or a view, in order."""
    return [row[1] for row in fetch(connection, f'PRAGMA table_info("{name}")')]


def tables_and_views(connection: sqlite3.Connection) -> dict[str, str]:
    """Every table and view people read, by name: no search index or SQLite's own."""
    return {
        name: kind
        for name, kind in fetch(
            connection, "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')"
        )
        if "_fts" not in name and not name.startswith("sqlite_")
    }


# Indexes


def test_every_foreign_key_leads_an_index(db: sqlite3.Connection) -> None:
    """Each foreign key column is the first column of an index: its own, idx_<table>_<column>,
    or for a link table's owner the UNIQUE (owner, list_index) one."""
    checked = 0
    for name in tables_and_views(db):
        leading: dict[str, list[str]] = {}
        for _seq, index, _unique, _origin, _partial in fetch(db, f'PRAGMA index_list("{name}")'):
            first = fetch(db, f'PRAGMA index_info("{index}")')[0][2]
            leading.setdefault(first, []).append(index)
        for row in fetch(db, f'PRAGMA foreign_key_list("{name}")'):
            column = row[3]
            assert column in leading, f"{name}.{column} has no index"
            own = f"idx_{name}_{column}"
            assert own in leading[column] or any(
                index.startswith("sqlite_autoindex_") for index in leading[column]
            ), (name, column, leading[column])
            checked += 1
    assert checked > 40


def test_indexes_are_named_by_table_and_column(db: sqlite3.Connection) -> None:
    """The indexes of the export are exactly those declared, named as sqlite-utils names them."""
    names = {row[0] for row in fetch(db, "SELECT name FROM sqlite_master WHERE type = 'index'")}
    made = {name for name in names if not name.startswith("sqlite_autoindex_")}
    assert made == {index.name for index in tables.INDEXES}
    for expected in (
        "idx_evidence_source",
        "idx_evidence_tariff_id",
        "idx_evidence_lifecycle_step_id",
        "idx_tariffs_imposed_by_place",
        "idx_event_participants_participant_person",
        "idx_export_info_newest_source",
    ):
        assert expected in made


def test_a_fact_s_evidence_is_found_through_its_index(db: sqlite3.Connection) -> None:
    """Looking up a measure's evidence, or what cites a source, reads an index, not the table."""
    for column, index in (
        ("tariff_id", "idx_evidence_tariff_id"),
        ("source", "idx_evidence_source"),
    ):
        plan = fetch(db, f"EXPLAIN QUERY PLAN SELECT * FROM evidence WHERE {column} = ?", "x")
        assert any(f"USING INDEX {index}" in row[-1] for row in plan), plan


# The view of every fact's sources


def expected_fact_sources(store: Store) -> list[tuple[Any, ...]]:
    """Every fact's sources as the records give them: its own evidence, each lifecycle step's,
    and a conflict explanation's."""
    found: list[tuple[Any, ...]] = []

    def add(fact: Any, collection: str, evidence: list[Any], via: str) -> None:
        for piece in evidence:
            found.append((fact.id, collection, piece.source, via, piece.excerpt, piece.paraphrase))

    for collection, item in store.all_facts():
        if "evidence" in item.BY_NAME:
            add(item, collection, item.evidence, "evidence")
        for number, step in enumerate(getattr(item, "lifecycle", []) or [], 1):
            add(item, collection, step.evidence, f"lifecycle step {number}")
        explanation = getattr(item, "explanation", None)
        if explanation is not None:
            add(item, collection, explanation.evidence, "explanation")
    return found


def test_fact_sources_lists_every_source_direct_and_through_steps(
    db: sqlite3.Connection, store: Store
) -> None:
    """The view has a row per piece of evidence, for the fact it supports, however nested."""
    rows = fetch(db, "SELECT fact_id, kind, source_id, via, excerpt, paraphrase FROM fact_sources")
    assert Counter(rows) == Counter(expected_fact_sources(store))
    vias = {row[3] for row in rows}
    assert {"evidence", "lifecycle step 1", "lifecycle step 2", "explanation"} <= vias
    assert fetch(db, "SELECT count(*) FROM fact_sources") == fetch(
        db, "SELECT count(*) FROM evidence"
    )
    order = [row[0] for row in fetch(db, "SELECT evidence_id FROM fact_sources")]
    assert order == sorted(order)


def test_fact_sources_finds_what_a_join_on_the_owner_misses(db: sqlite3.Connection) -> None:
    """A measure's sources include those only its lifecycle steps cite, which a join of evidence
    on tariff_id (the README's old example) does not find."""
    missed = fetch(
        db,
        "SELECT DISTINCT fact_id, source_id FROM fact_sources WHERE kind = 'tariffs' "
        "EXCEPT SELECT tariff_id, source FROM evidence WHERE tariff_id IS NOT NULL",
    )
    assert missed
    for fact_id, source_id in missed:
        via = fetch(
            db,
            "SELECT via FROM fact_sources WHERE fact_id = ? AND source_id = ?",
            fact_id,
            source_id,
        )
        assert all(row[0].startswith("lifecycle step ") for row in via)


def test_fact_sources_columns_are_documented(db: sqlite3.Connection) -> None:
    """The view's columns are the declared ones, each with a comment in its SQL."""
    assert columns_of(db, fact_sources.FACT_SOURCES) == [c.name for c in fact_sources.COLUMNS]
    ((sql,),) = fetch(db, "SELECT sql FROM sqlite_master WHERE name = 'fact_sources'")
    for column in fact_sources.COLUMNS:
        assert f'"{column.name}"' in sql
        assert column.doc in sql


# export_info


def test_export_info_records_the_export(
    db: sqlite3.Connection, store: Store, written: tuple[Path, Path, str, str]
) -> None:
    """One row: tradecli's version, the layout's, the fact file's name and SHA-256, the newest
    source and its date, and when, in UTC."""
    (row,) = fetch(db, "SELECT * FROM export_info")
    info = dict(zip(tables.EXPORT_INFO_TABLE.column_names, row, strict=True))
    assert columns_of(db, "export_info") == list(tables.EXPORT_INFO_TABLE.column_names)
    newest = newest_source(store)
    assert newest is not None
    assert newest.as_of is not None
    _database, _metadata, before, after = written
    exported_at = info.pop("exported_at")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", exported_at)
    assert before <= exported_at <= after
    assert info == {
        "tradecli_version": __version__,
        "export_version": tables.EXPORT_VERSION,
        "fact_file": "facts.json",
        "fact_file_sha256": hashlib.sha256(BUNDLED.read_bytes()).hexdigest(),
        "newest_source": newest.id,
        "newest_source_date": str(newest.as_of),
        "newest_source_date_precision": newest.as_of.precision.value,
        "newest_source_date_earliest": newest.as_of.first_day().isoformat(),
        "newest_source_date_latest": newest.as_of.last_day().isoformat(),
    }
    assert fetch(db, "PRAGMA user_version") == [(tables.EXPORT_VERSION,)]


def test_export_info_is_in_the_csv_export_too(store: Store, tmp_path: Path) -> None:
    """export_info.csv holds the same record, header first."""
    export.write_csv(store, tmp_path, force=False)
    lines = (tmp_path / "export_info.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == list(tables.EXPORT_INFO_TABLE.column_names)
    (row,) = lines[1:]
    assert hashlib.sha256(BUNDLED.read_bytes()).hexdigest() in row.split(",")


def test_the_hash_of_what_is_not_a_regular_file_is_unknown(tmp_path: Path) -> None:
    """A named pipe is neither waited on nor read: its hash is NULL. A file gone is an error
    naming it."""
    pipe = tmp_path / "facts.json"
    os.mkfifo(pipe)
    assert fact_file_sha256(pipe) is None
    with pytest.raises(DataError, match=r"gone\.json.*SHA-256"):
        fact_file_sha256(tmp_path / "gone.json")


def test_a_store_with_no_dated_source_has_no_newest(tmp_path: Path) -> None:
    """With no dated source, the newest source and its date are NULL and the description says
    the end is unknown."""
    path = tmp_path / "facts.json"
    source = {"id": "src", "title": "A source", "publisher": "news", "kind": "news_report"}
    path.write_text(json.dumps({"format_version": 1, "sources": [source]}), encoding="utf-8")
    export.write_sqlite(load(path), tmp_path / "x.db", force=False, metadata=tmp_path / "m.json")
    connection = sqlite3.connect(tmp_path / "x.db")
    try:
        row = fetch(connection, "SELECT newest_source, newest_source_date FROM export_info")
    finally:
        connection.close()
    assert row == [(None, None)]
    described = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["description"]
    assert "when the sources end is unknown" in described


# Metadata


def test_metadata_has_the_shape_datasette_reads(
    metadata: dict[str, Any], store: Store, written: tuple[Path, Path, str, str]
) -> None:
    """A title, a description with the date the sources end, a licence statement, a source, and
    the database under the name datasette gives it (the file's stem). The fact file states no
    licence, so none is guessed: the metadata says so."""
    newest = newest_source(store)
    assert newest is not None
    assert set(metadata) == {"title", "description", "license", "source", "databases"}
    assert metadata["license"] == NO_LICENCE
    assert "facts.json" in metadata["title"]
    assert f"The sources end on {newest.as_of}" in metadata["description"]
    assert newest.title in metadata["description"]
    assert "description_html" not in json.dumps(metadata)
    assert list(metadata["databases"]) == [written[0].stem]
    database = metadata["databases"]["facts"]
    assert database["description"] == metadata["description"]
    for entry in database["tables"].values():
        assert set(entry) <= {"description", "columns", "label_column"}
        assert entry["description"]
        assert all(isinstance(doc, str) and doc for doc in entry["columns"].values())


def test_every_table_and_column_named_in_the_metadata_exists(
    metadata: dict[str, Any], db: sqlite3.Connection
) -> None:
    """Each table, view, column and label column the metadata describes is in the database, and
    each table and view of the database is described, every column of it."""
    described = metadata["databases"]["facts"]["tables"]
    present = tables_and_views(db)
    assert set(described) == set(present)
    assert present[fact_sources.FACT_SOURCES] == "view"
    for name, entry in described.items():
        columns = columns_of(db, name)
        assert list(entry["columns"]) == columns, name
        if "label_column" in entry:
            assert entry["label_column"] in columns


def test_column_descriptions_come_from_the_declarations(metadata: dict[str, Any]) -> None:
    """A column's description is its field's, as the SQL comment says it."""
    described = metadata["databases"]["facts"]["tables"]
    assert described["sources"]["columns"]["outlet"] == (
        "The outlet whose story it is, by its name alone: for a reprint, the original's."
    )
    assert described["tariffs"]["description"] == tables.TABLES_BY_NAME["tariffs"].doc
    assert "first day published can mean" in described["sources"]["columns"]["published_earliest"]


def test_label_columns_name_each_fact(metadata: dict[str, Any]) -> None:
    """Links to a fact show its title, name, topic or words: quotes, statements and conflicts
    too."""
    described = metadata["databases"]["facts"]["tables"]
    labels = {name: entry.get("label_column") for name, entry in described.items()}
    assert {name: labels[name] for name in (table.name for table in tables.TABLES[:9])} == {
        "sources": "title",
        "people": "name",
        "organisations": "name",
        "places": "name",
        "events": "title",
        "tariffs": "title",
        "quotes": "text",
        "statements": "text",
        "conflicts": "topic",
    }
    assert label_column(tables.TABLES_BY_NAME["evidence"]) is None
    assert label_column(tables.TABLES_BY_NAME["event_participants"]) is None


def test_metadata_keeps_markup_as_text(tmp_path: Path, raw: dict[str, Any]) -> None:
    """A source title holding HTML and quotes reaches the metadata as text, JSON-escaped where
    JSON needs it, and only in fields datasette escapes."""
    data = copy.deepcopy(raw)
    data.pop("$schema", None)
    odd = '<script>alert("x")</script> & {"a": 1}'
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    newest = newest_source(load(path))
    assert newest is not None
    for source in data["sources"]:
        if source["id"] == newest.id:
            source["title"] = odd
    path.write_text(json.dumps(data), encoding="utf-8")
    export.write_sqlite(load(path), tmp_path / "x.db", force=False, metadata=tmp_path / "m.json")
    written = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert f"“{odd}”" in written["description"]
    assert "description_html" not in json.dumps(written)


def test_metadata_refuses_an_existing_file_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    """Without --force an existing metadata file stops the export before the database is
    written; with it, both are replaced."""
    database, described = tmp_path / "facts.db", tmp_path / "metadata.json"
    described.write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"metadata\.json already exists") as caught:
        export.write_sqlite(store, database, force=False, metadata=described)
    assert "--force" in (caught.value.hint or "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metadata.json"]
    assert described.read_text(encoding="utf-8") == "mine\n"
    export.write_sqlite(store, database, force=True, metadata=described)
    assert json.loads(described.read_text(encoding="utf-8"))["databases"].keys() == {"facts"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.db", "metadata.json"]


def test_metadata_refuses_the_database_path_and_a_missing_folder(
    store: Store, tmp_path: Path
) -> None:
    """The metadata cannot be the database itself, nor go in a folder that does not exist."""
    database = tmp_path / "facts.db"
    with pytest.raises(UsageError, match="is the database being written"):
        export.write_sqlite(store, database, force=True, metadata=database)
    with pytest.raises(UsageError, match="does not exist"):
        export.write_sqlite(store, database, force=True, metadata=tmp_path / "no" / "m.json")
    with pytest.raises(UsageError, match="fact file"):
        export.write_sqlite(store, database, force=True, metadata=store.path)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_no_metadata(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while the database is made leaves neither file behind."""

    def broken(connection: sqlite3.Connection, table: tables.Table) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export, "create_search_index", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        export.write_sqlite(store, tmp_path / "f.db", force=False, metadata=tmp_path / "m.json")
    assert list(tmp_path.iterdir()) == []


def test_cli_writes_the_metadata_and_says_how_to_open_it(runner: CliRunner, tmp_path: Path) -> None:
    """--metadata writes the file and names the datasette command; an existing file is exit 2,
    naming it, with nothing written."""
    database, described = tmp_path / "facts.db", tmp_path / "metadata.json"
    args = ["--data", str(BUNDLED), "export", "sqlite", str(database), "--metadata", str(described)]
    first = runner.invoke(cli.app, args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert f"datasette {database} -m {described}" in first.stderr
    assert json.loads(described.read_text(encoding="utf-8"))["title"]
    database.unlink()
    second = runner.invoke(cli.app, args)
    assert second.exit_code == 2
    assert f"{described} already exists" in second.stderr
    assert "Traceback" not in second.stderr
    assert not database.exists()


def test_a_licence_given_is_the_metadata_s(runner: CliRunner, tmp_path: Path) -> None:
    """--licence names the data's licence in the metadata; without --metadata it is exit 2,
    with nothing written."""
    database, described = tmp_path / "facts.db", tmp_path / "metadata.json"
    base = ["--data", str(BUNDLED), "export", "sqlite", str(database)]
    alone = runner.invoke(cli.app, [*base, "--licence", "CC-BY-4.0"])
    assert alone.exit_code == 2
    assert "--metadata" in alone.stderr
    assert list(tmp_path.iterdir()) == []
    done = runner.invoke(cli.app, [*base, "--metadata", str(described), "--licence", "CC-BY-4.0"])
    assert done.exit_code == 0, done.stderr
    assert json.loads(described.read_text(encoding="utf-8"))["license"] == "CC-BY-4.0"


# The tools themselves, where installed (neither is a dependency)


def test_sqlite_utils_sees_the_view_indexes_and_dates(written: tuple[Path, Path, str, str]) -> None:
    """sqlite-utils opens the export, lists the view and the indexes, and filters on a date's
    earliest day as on the date as written."""
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(written[0])
    try:
        assert "fact_sources" in db.view_names()
        assert "idx_evidence_source" in {index.name for index in db["evidence"].indexes}
        assert db["export_info"].count == 1
        in_2026 = list(db["sources"].rows_where("published_earliest >= ?", ["2026-01-01"]))
        like = list(db["sources"].rows_where("published LIKE ?", ["2026%"]))
        assert len(in_2026) == len(like) > 0
    finally:
        db.close()


def test_datasette_shows_the_title_and_the_date_the_sources_end(
    written: tuple[Path, Path, str, str], store: Store
) -> None:
    """Where datasette is installed, it shows the metadata's title and the date the sources end
    (0.x in /-/metadata.json; 1.0, which has no such page, on its index page and in the
    database's JSON), and a quote linked from its evidence is labelled by its words."""
    pytest.importorskip("datasette")
    database, described, _before, _after = written
    newest = newest_source(store)
    assert newest is not None

    def get(url: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "datasette", str(database), "-m", str(described), "--get", url],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return done.stdout

    ends = f"The sources end on {newest.as_of}"
    if importlib.metadata.version("datasette").startswith("0."):
        shown = json.loads(get("/-/metadata.json"))
        assert shown["title"] == "tradecli: facts.json"
        assert ends in shown["description"]
        assert shown["license"] == NO_LICENCE
    else:
        assert "<h1>tradecli: facts.json</h1>" in get("/")
        assert ends in json.loads(get("/facts.json"))["metadata"]["description"]
    assert f"Data license: {NO_LICENCE}" in " ".join(get("/").split())  # in the footer
    evidence = json.loads(get("/facts/evidence.json?_labels=on&quote_id__notblank=1&_size=1"))
    (row,) = evidence["rows"]
    quote = store.by_id[row["quote_id"]["value"]][1]
    assert row["quote_id"]["label"] == quote.text
