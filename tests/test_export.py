"""The SQLite and CSV exports: schema, keys, counts, dates, search, CSV parity and safe writing."""

from __future__ import annotations

import copy
import csv
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED
from tradecli import cli, export
from tradecli.cli import root as cli_root
from tradecli.cli.export import export_app
from tradecli.errors import UsageError
from tradecli.export import tables
from tradecli.export.rows import in_order, table_rows
from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import Record
from tradecli.facts.kinds import COLLECTIONS, KIND_OF, Evidence, LifecycleStep, Role
from tradecli.load import schema
from tradecli.store import Store, _Backing, load
from tradecli.store.build import build, silent

LINK_TABLES = (
    "person_roles",
    "lifecycle_steps",
    "conflict_explanations",
    "event_participants",
    "tariff_responds_to",
    "statement_subjects",
    "conflict_claims",
    "evidence",
)
# Fact-file list fields that become a link table rather than a column.
LINKED_FIELDS = {
    "roles": "person_roles",
    "lifecycle": "lifecycle_steps",
    "participants": "event_participants",
    "responds_to": "tariff_responds_to",
    "subjects": "statement_subjects",
    "claims": "conflict_claims",
    "evidence": "evidence",
    "explanation": "conflict_explanations",
}
# The smallest useful fact file: one source, one place.
SMALL: dict[str, Any] = {
    "format_version": 1,
    "sources": [{"id": "src", "title": "A source", "publisher": "news", "kind": "news_report"}],
    "places": [
        {
            "id": "atlantis",
            "name": "Atlantis",
            "kind": "country",
            "evidence": [{"source": "src", "paraphrase": "Atlantis is a place."}],
        }
    ],
}
CANOLA_TARIFFS = {
    "china-canola-seed-investigation",
    "china-adt-canola-oil",
    "china-adt-canola-meal",
    "china-canola-seed-duty",
    "china-canola-tariff-claim",
}


@pytest.fixture(scope="module")
def database(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled facts exported once to SQLite, for the read-only tests."""
    path = tmp_path_factory.mktemp("sqlite") / "facts.db"
    export.write_sqlite(store, path, force=False)
    return path


@pytest.fixture
def db(database: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the exported database."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    yield connection
    connection.close()


def column_names(connection: sqlite3.Connection, table: str) -> list[str]:
    """The columns of a table, in order."""
    return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]


def fetch(connection: sqlite3.Connection, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Every row of a query."""
    return connection.execute(sql, args).fetchall()


def store_from(tmp_path: Path, data: dict[str, Any]) -> Store:
    """Write a fact file and load it through the checks."""
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load(path)


def unchecked_store(data: dict[str, Any], path: Path, *, write: bool = True) -> Store:
    """A store of facts indexed past the checks beyond types, to make the export fail late; the
    file is written too (an export records its SHA-256), unless ``write`` is False."""
    if write:
        path.write_text(json.dumps(data), encoding="utf-8")
    model = schema.FactFile.model_validate(data)
    facts = [
        (collection, schema.record_of(fact), fact.model_dump_json())
        for collection in COLLECTIONS
        for fact in getattr(model, collection)
    ]
    index = build(facts, "unchecked", None)
    return Store(_Backing(path, index, cache=False, hint=True, progress=silent))


# Schema


def test_one_table_per_kind_and_per_link(db: sqlite3.Connection) -> None:
    """Every kind and link table exists with its documented columns; search indexes beside them."""
    names = {row[0] for row in fetch(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    plain = {name for name in names if "_fts" not in name}
    assert plain == {*COLLECTIONS, *LINK_TABLES, tables.CONFIRMATIONS, tables.EXPORT_INFO}
    for table in tables.TABLES:
        assert column_names(db, table.name) == list(table.column_names)
        if table.search:
            assert f"{table.name}_fts" in names


def test_columns_the_issue_names(db: sqlite3.Connection) -> None:
    """Several-kind references split per kind, dates carry a precision, lists stay whole."""
    tariffs = column_names(db, "tariffs")
    for name in (
        "imposed_by_place",
        "imposed_by_organisation",
        "target_place",
        "target_organisation",
        "products",
        "affected",
        "announced",
        "announced_precision",
        "in_force_precision",
        "ends_precision",
    ):
        assert name in tariffs
    assert {"participant_person", "participant_organisation"} <= set(
        column_names(db, "event_participants")
    )
    assert {"date", "date_precision", "end_date", "end_date_precision", "topics"} <= set(
        column_names(db, "events")
    )
    assert {"person_id", "lifecycle_step_id", "source", "excerpt", "paraphrase"} <= set(
        column_names(db, "evidence")
    )


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_field_of_the_fact_file_is_exported(collection: str) -> None:
    """Each model field is a column, a column per kind or precision, or a link table."""
    assert_exported(KIND_OF[collection], collection)


@pytest.mark.parametrize(
    ("model", "table"),
    [(Role, "person_roles"), (LifecycleStep, "lifecycle_steps"), (Evidence, "evidence")],
)
def test_every_field_of_a_sub_record_is_exported(model: type[Record], table: str) -> None:
    """Roles, lifecycle steps and evidence keep every field in their link table."""
    assert_exported(model, table)


def assert_exported(model: type[Record], table: str) -> None:
    """Each field of a kind is a column, or the stem of columns, or a link table."""
    columns = set(tables.TABLES_BY_NAME[table].column_names)
    for field in (field.name for field in model.FIELDS):
        if field in LINKED_FIELDS:
            assert LINKED_FIELDS[field] in tables.TABLES_BY_NAME
            continue
        assert field in columns or any(column.startswith(f"{field}_") for column in columns), (
            f"{table}: {model.__name__}.{field} has no column"
        )


def test_references_are_foreign_keys(db: sqlite3.Connection) -> None:
    """Every reference column is a declared FOREIGN KEY to the id of the table it names."""
    for table in tables.TABLES:
        declared = {
            (row[3], row[2], row[4])
            for row in fetch(db, f'PRAGMA foreign_key_list("{table.name}")')
        }
        expected = {
            (column.name, column.references, "id")
            for column in table.columns
            if column.references is not None
        }
        assert declared == expected, table.name
    tariff_keys = {row[3]: row[2] for row in fetch(db, "PRAGMA foreign_key_list(tariffs)")}
    assert tariff_keys["imposed_by_place"] == "places"
    assert tariff_keys["imposed_by_organisation"] == "organisations"


def test_foreign_keys_and_integrity_are_clean(db: sqlite3.Connection) -> None:
    """PRAGMA foreign_key_check finds nothing and PRAGMA integrity_check says ok."""
    assert fetch(db, "PRAGMA foreign_key_check") == []
    assert fetch(db, "PRAGMA integrity_check") == [("ok",)]
    assert fetch(db, "PRAGMA user_version") == [(tables.EXPORT_VERSION,)]


def test_foreign_keys_refuse_a_dangling_row(database: Path, tmp_path: Path) -> None:
    """With foreign keys on, a participant who is nobody cannot be added."""
    copy_path = tmp_path / "copy.db"
    shutil.copyfile(database, copy_path)
    connection = sqlite3.connect(copy_path)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "INSERT INTO event_participants (event_id, list_index, participant_person) "
                "VALUES ('carney-visit-2026', 99, 'nobody')"
            )
    finally:
        connection.close()


# Rows


def test_row_counts_match_the_store(
    db: sqlite3.Connection, store: Store, raw: dict[str, Any]
) -> None:
    """One row per fact, and one link row per reference or sub-record in the fact file."""
    for collection in COLLECTIONS:
        assert fetch(db, f"SELECT count(*) FROM {collection}") == [(len(store.items(collection)),)]

    def total(collection: str, field: str) -> int:
        return sum(len(item.get(field, [])) for item in raw.get(collection, []))

    steps = [step for item in raw["tariffs"] for step in item.get("lifecycle", [])]
    expected = {
        "person_roles": total("people", "roles"),
        "lifecycle_steps": len(steps),
        "event_participants": total("events", "participants"),
        "tariff_responds_to": total("tariffs", "responds_to"),
        "statement_subjects": total("statements", "subjects"),
        "conflict_claims": total("conflicts", "claims"),
        "evidence": sum(total(c, "evidence") for c in COLLECTIONS)
        + sum(len(step["evidence"]) for step in steps)
        + sum(len(c["explanation"]["evidence"]) for c in raw["conflicts"] if c.get("explanation")),
    }
    for table, count in expected.items():
        assert count > 0, table
        assert fetch(db, f"SELECT count(*) FROM {table}") == [(count,)], table


def test_write_returns_the_row_counts(store: Store, tmp_path: Path) -> None:
    """The counts write_sqlite and write_csv return are the rows in each table."""
    counts = export.write_sqlite(store, tmp_path / "facts.db", force=False)
    assert list(counts) == [
        *(table.name for table in tables.TABLES),
        tables.CONFIRMATIONS,
        tables.EXPORT_INFO,
    ]
    assert counts[tables.EXPORT_INFO] == 1
    assert export.write_csv(store, tmp_path / "csv", force=False) == counts
    connection = sqlite3.connect(tmp_path / "facts.db")
    try:
        for table, count in counts.items():
            assert fetch(connection, f"SELECT count(*) FROM {table}") == [(count,)]
            with (tmp_path / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
                assert sum(1 for _row in csv.reader(stream)) == count + 1, table
    finally:
        connection.close()


def test_a_month_stays_a_month(db: sqlite3.Connection) -> None:
    """A date known to the month is stored as "2018-12" with precision "month", never a day."""
    rows = fetch(
        db,
        "SELECT date, date_precision, end_date, end_date_precision FROM events WHERE id = ?",
        "two-michaels-arrests-2018",
    )
    assert rows == [("2018-12", "month", None, None)]
    rows = fetch(
        db,
        "SELECT date, date_precision, end_date, end_date_precision FROM events WHERE id = ?",
        "election-interference-allegations",
    )
    assert rows == [("2019", "year", "2021", "year")]


def test_every_date_is_as_in_the_fact_file(db: sqlite3.Connection, raw: dict[str, Any]) -> None:
    """Each stored date is the fact file's text, and its precision column matches it."""
    for table in tables.TABLES:
        for column in table.column_names:
            if not column.endswith("_precision"):
                continue
            field = column.removesuffix("_precision")
            for value, precision in fetch(db, f'SELECT "{field}", "{column}" FROM "{table.name}"'):
                if value is None:
                    assert precision is None
                    continue
                parsed = PartialDate.parse(value)
                assert str(parsed) == value
                assert parsed.precision.value == precision
    published = dict(fetch(db, "SELECT id, published FROM sources"))
    assert published == {source["id"]: source.get("published") for source in raw["sources"]}


def date_fields(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, field) of every date in the export: each column with a ``_precision`` beside it."""
    return [
        (table, column.removesuffix("_precision"))
        for (table,) in fetch(connection, "SELECT name FROM sqlite_master WHERE type = 'table'")
        for column in column_names(connection, table)
        if column.endswith("_precision")
    ]


def test_every_date_has_its_first_and_last_day(db: sqlite3.Connection) -> None:
    """Beside each date, <field>_earliest and <field>_latest are the first and last days it can
    mean, as YYYY-MM-DD; NULL where the date is."""
    fields = date_fields(db)
    assert ("sources", "published") in fields
    assert ("lifecycle_steps", "until") in fields
    seen = set()
    for table, field in fields:
        columns = column_names(db, table)
        assert columns.index(f"{field}_earliest") == columns.index(f"{field}_precision") + 1
        assert columns.index(f"{field}_latest") == columns.index(f"{field}_precision") + 2
        sql = f'SELECT "{field}", "{field}_earliest", "{field}_latest" FROM "{table}"'
        for value, earliest, latest in fetch(db, sql):
            if value is None:
                assert (earliest, latest) == (None, None)
                continue
            parsed = PartialDate.parse(value)
            assert earliest == parsed.first_day().isoformat()
            assert latest == parsed.last_day().isoformat()
            seen.add(parsed.precision.value)
    assert seen == {"year", "month", "day"}


def test_a_month_and_a_year_span_their_days(db: sqlite3.Connection) -> None:
    """2018-12 is 2018-12-01 to 2018-12-31; 2019 is 2019-01-01 to 2019-12-31."""
    rows = fetch(
        db,
        "SELECT date_earliest, date_latest, end_date_earliest, end_date_latest FROM events "
        "WHERE id IN (?, ?) ORDER BY id",
        "election-interference-allegations",
        "two-michaels-arrests-2018",
    )
    assert rows == [
        ("2019-01-01", "2019-12-31", "2021-01-01", "2021-12-31"),
        ("2018-12-01", "2018-12-31", None, None),
    ]


def test_earliest_filters_a_year_as_the_date_as_written_does(db: sqlite3.Connection) -> None:
    """published_earliest >= '2026-01-01' counts every source published in 2026, as many as
    published LIKE '2026%', where SQLite's date() reads '2026' as a day of year -4707."""
    like = fetch(db, "SELECT count(*) FROM sources WHERE published LIKE '2026%'")
    earliest = fetch(db, "SELECT count(*) FROM sources WHERE published_earliest >= '2026-01-01'")
    assert earliest == like
    assert like[0][0] > 0
    # Why the columns exist: date() of a year or a month is not that year.
    wrong = fetch(db, "SELECT count(*) FROM sources WHERE date(published) >= '2026-01-01'")
    assert wrong[0][0] < like[0][0]
    years = {value[:4] for (value,) in fetch(db, "SELECT published FROM sources") if value}
    assert len(years) > 1
    for year in years:
        within = fetch(
            db,
            "SELECT count(*) FROM sources WHERE published_earliest >= ? AND published_latest <= ?",
            f"{year}-01-01",
            f"{year}-12-31",
        )
        like_year = fetch(db, "SELECT count(*) FROM sources WHERE published LIKE ?", f"{year}%")
        assert within == like_year


def test_date_columns_say_how_to_sort_and_filter() -> None:
    """Each date's columns carry a comment: the earliest and latest say what day they hold."""
    sql = tables.TABLES_BY_NAME["sources"].create_sql()
    assert '"published_earliest" TEXT, -- The first day published can mean' in sql
    assert "published_earliest >= '2026-01-01'" in sql
    assert '"published_latest" TEXT, -- The last day published can mean' in sql


def test_pandas_reads_the_earliest_day_as_dates(store: Store, tmp_path: Path) -> None:
    """Where pandas is installed, docs/export.md's idiom gives datetimes for every date of the CSV
    export, whatever its precision (pandas is not a dependency)."""
    pandas = pytest.importorskip("pandas")
    export.write_csv(store, tmp_path, force=False)
    frame = pandas.read_csv(
        tmp_path / "sources.csv", parse_dates=["published_earliest", "published_latest"]
    )
    assert str(frame["published_earliest"].dtype).startswith("datetime64")
    in_2026 = frame[frame["published_earliest"] >= "2026-01-01"]
    assert len(in_2026) == frame["published"].astype(str).str.startswith("2026").sum() > 0


def test_text_lists_are_json_arrays(db: sqlite3.Connection, raw: dict[str, Any]) -> None:
    """products, affected, aliases and topics read back as the fact file's lists."""
    for tariff in raw["tariffs"]:
        products, affected = fetch(
            db, "SELECT products, affected FROM tariffs WHERE id = ?", tariff["id"]
        )[0]
        assert json.loads(products) == tariff["products"]
        assert json.loads(affected) == tariff.get("affected", [])
    for person in raw["people"]:
        (aliases,) = fetch(db, "SELECT aliases FROM people WHERE id = ?", person["id"])[0]
        assert json.loads(aliases) == person.get("aliases", [])


TEXTS = st.lists(st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), max_size=4)


@settings(max_examples=300, deadline=None)
@given(texts=TEXTS)
def test_a_list_of_texts_is_written_as_python_writes_it(texts: list[str]) -> None:
    """A list of texts is exactly json.dumps(..., ensure_ascii=False): separators, escapes,
    order, and a NUL kept whole."""
    data = copy.deepcopy(SMALL)
    data["places"][0]["aliases"] = texts
    store = unchecked_store(data, Path("facts.json"), write=False)  # the facts are given
    made = {table.name: in_order(rows) for table, rows in table_rows(store)}
    (place,) = made["places"]
    cell = place[tables.TABLES_BY_NAME["places"].column_names.index("aliases")]
    assert cell == json.dumps(texts, ensure_ascii=False)


def every_row(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every exported table, in rowid order."""
    connection = sqlite3.connect(path)
    try:
        return {
            table.name: connection.execute(
                f'SELECT * FROM "{table.name}" ORDER BY rowid'
            ).fetchall()
            for table in tables.TABLES
        }
    finally:
        connection.close()


# Text that SQLite's JSON functions, a terminal or a CSV reader could take for something else:
# NULs (at each end too), an escape sequence, Rich markup, a NUL's JSON escape written out, DEL,
# a bidi override, a lone carriage return, a newline and a tab.
ODD = "\x00a\x00b \x1b[31m[bold]red[/bold] \\u0000 \x7f\u202e\r\x1b]52;c;eA==\x07\n\tend\x00"


def test_odd_text_is_exported_exactly(tmp_path: Path, raw: dict[str, Any]) -> None:
    """Text holding NULs, control characters and markup, in a note, a list item, a lifecycle
    step and an evidence excerpt, reaches SQLite and CSV exactly, from the file as from the
    index."""
    data = copy.deepcopy(raw)
    data.pop("$schema", None)
    tariff = data["tariffs"][0]
    tariff["notes"] = ODD
    tariff["products"] = ["canola\x00seed", ODD]
    step = tariff["lifecycle"][0]
    step["note"] = ODD
    evidence = step["evidence"][0]
    evidence.pop("paraphrase", None)
    evidence["excerpt"] = ODD
    expected = {
        "notes": ODD,
        "products": json.dumps(tariff["products"], ensure_ascii=False),
        "note": ODD,
        "excerpt": ODD,
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    find = {
        "tariffs": ("SELECT notes, products FROM tariffs WHERE id = ?", tariff["id"]),
        "lifecycle_steps": (
            "SELECT note FROM lifecycle_steps WHERE tariff_id = ? AND list_index = 0",
            tariff["id"],
        ),
    }
    for run in ("file", "index"):
        opened = load(path, cache=run == "index")
        assert (opened.index_file is not None) == (run == "index")
        export.write_sqlite(opened, tmp_path / f"{run}.db", force=False)
        export.write_csv(opened, tmp_path / f"{run}-csv", force=False)
        connection = sqlite3.connect(tmp_path / f"{run}.db")
        try:
            notes, products = fetch(connection, *find["tariffs"])[0]
            ((note,),) = fetch(connection, *find["lifecycle_steps"])
            ((step_id, excerpt),) = fetch(
                connection,
                "SELECT lifecycle_step_id, excerpt FROM evidence WHERE lifecycle_step_id ="
                " (SELECT id FROM lifecycle_steps WHERE tariff_id = ? AND list_index = 0)"
                " AND list_index = 0",
                tariff["id"],
            )
        finally:
            connection.close()
        found = {"notes": notes, "products": products, "note": note, "excerpt": excerpt}
        assert found == expected, run
        csv_rows = {
            name: read_csv(tmp_path / f"{run}-csv" / f"{name}.csv")
            for name in ("tariffs", "lifecycle_steps", "evidence")
        }
        (tariff_row,) = [row for row in csv_rows["tariffs"] if row["id"] == tariff["id"]]
        (step_row,) = [row for row in csv_rows["lifecycle_steps"] if row["id"] == str(step_id)]
        (evidence_row,) = [
            row
            for row in csv_rows["evidence"]
            if row["lifecycle_step_id"] == str(step_id) and row["list_index"] == "0"
        ]
        found = {
            "notes": tariff_row["notes"],
            "products": tariff_row["products"],
            "note": step_row["note"],
            "excerpt": evidence_row["excerpt"],
        }
        assert found == expected, run
        assert every_row(tmp_path / f"{run}.db") == every_row(tmp_path / "file.db")


def read_csv(path: Path) -> list[dict[str, str]]:
    """Every row of a CSV file, by column name."""
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_several_kind_reference_lands_in_the_column_of_its_kind(
    db: sqlite3.Connection, raw: dict[str, Any]
) -> None:
    """imposed_by is in imposed_by_place or imposed_by_organisation, by the kind of its target."""
    kinds = {item["id"]: c for c in COLLECTIONS for item in raw.get(c, [])}
    for tariff in raw["tariffs"]:
        place, organisation = fetch(
            db,
            "SELECT imposed_by_place, imposed_by_organisation FROM tariffs WHERE id = ?",
            tariff["id"],
        )[0]
        by = tariff["imposed_by"]
        assert (place, organisation) == ((by, None) if kinds[by] == "places" else (None, by))


def test_evidence_belongs_to_one_fact(db: sqlite3.Connection) -> None:
    """Each evidence row has one owner, one source, and an excerpt or a paraphrase."""
    owners = " + ".join(
        f"({name} IS NOT NULL)" for name in column_names(db, "evidence") if name.endswith("_id")
    )
    assert fetch(db, f"SELECT count(*) FROM evidence WHERE {owners} != 1") == [(0,)]
    step_evidence = fetch(
        db,
        "SELECT count(*) FROM evidence JOIN lifecycle_steps "
        "ON evidence.lifecycle_step_id = lifecycle_steps.id",
    )
    assert step_evidence[0][0] > 0


# Search


def _tariff_text(tariff: dict[str, Any]) -> str:
    parts = [tariff["title"], *tariff["products"], *tariff.get("affected", [])]
    parts += [tariff.get(name) or "" for name in ("rate_basis", "purpose", "notes")]
    return " ".join(parts).lower()


def test_search_finds_the_canola_tariffs(db: sqlite3.Connection, raw: dict[str, Any]) -> None:
    """FTS for "canola" finds exactly the tariffs whose text mentions canola."""
    found = {
        row[0]
        for row in fetch(
            db,
            "SELECT id FROM tariffs WHERE rowid IN "
            "(SELECT rowid FROM tariffs_fts WHERE tariffs_fts MATCH ?)",
            "canola",
        )
    }
    expected = {t["id"] for t in raw["tariffs"] if "canola" in _tariff_text(t)}
    assert found == expected
    assert found >= CANOLA_TARIFFS


def test_search_indexes_follow_sqlite_utils_conventions(db: sqlite3.Connection) -> None:
    """Each index is found the way datasette and sqlite-utils look, with the three triggers."""
    for table in tables.TABLES:
        if not table.search:
            continue
        found = fetch(
            db,
            "SELECT name FROM sqlite_master WHERE rootpage = 0 AND sql LIKE ?",
            f'%VIRTUAL TABLE%USING FTS%content="{table.name}"%',
        )
        assert found == [(f"{table.name}_fts",)]
        triggers = {
            row[0]
            for row in fetch(
                db,
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                table.name,
            )
        }
        assert triggers == {f"{table.name}_ai", f"{table.name}_ad", f"{table.name}_au"}


def test_search_index_follows_edits(database: Path, tmp_path: Path) -> None:
    """The triggers keep an index in step when a row changes, as sqlite-utils' do."""
    copy_path = tmp_path / "copy.db"
    shutil.copyfile(database, copy_path)
    connection = sqlite3.connect(copy_path)
    try:
        connection.execute(
            "UPDATE tariffs SET title = 'zanzibar clove levy' WHERE id = 'canada-ev-surtax'"
        )
        hits = fetch(
            connection,
            "SELECT id FROM tariffs WHERE rowid IN "
            "(SELECT rowid FROM tariffs_fts WHERE tariffs_fts MATCH 'zanzibar')",
        )
        assert hits == [("canada-ev-surtax",)]
        assert fetch(connection, "PRAGMA integrity_check") == [("ok",)]
    finally:
        connection.close()


def test_sqlite_utils_opens_and_searches(database: Path) -> None:
    """Where sqlite-utils is installed, it finds the index and searches it (not a dependency)."""
    sqlite_utils = pytest.importorskip("sqlite_utils")
    db = sqlite_utils.Database(database)
    try:
        assert db["tariffs"].detect_fts() == "tariffs_fts"
        assert db["tariffs"].count == len(load(BUNDLED).items("tariffs"))
        found = {row["id"] for row in db["tariffs"].search("canola")}
        assert found >= CANOLA_TARIFFS
    finally:
        db.close()


def test_text_is_stored_as_is(tmp_path: Path, raw: dict[str, Any]) -> None:
    """Untrusted text (escapes, formulas, quotes, newlines) reaches SQLite and CSV unchanged."""
    data = copy.deepcopy(raw)
    data.pop("$schema", None)
    odd = '\x1b[31mred\x1b[0m =HYPERLINK("x") "quoted", comma\nsecond line'
    data["tariffs"][0]["notes"] = odd
    store = store_from(tmp_path, data)
    export.write_sqlite(store, tmp_path / "odd.db", force=False)
    export.write_csv(store, tmp_path / "csv", force=False)
    connection = sqlite3.connect(tmp_path / "odd.db")
    try:
        stored = fetch(
            connection, "SELECT notes FROM tariffs WHERE id = ?", data["tariffs"][0]["id"]
        )
    finally:
        connection.close()
    assert stored == [(odd,)]
    with (tmp_path / "csv" / "tariffs.csv").open(encoding="utf-8", newline="") as stream:
        assert next(csv.DictReader(stream))["notes"] == odd


# CSV


def test_csv_reads_back_to_the_sqlite_rows(
    db: sqlite3.Connection, store: Store, tmp_path: Path
) -> None:
    """Each CSV file has the table's header and its rows; an empty cell is NULL."""
    directory = tmp_path / "out"
    counts = export.write_csv(store, directory, force=False)
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        f"{table.name}.csv" for table in tables.EVERY_TABLE
    )
    for table in tables.TABLES:
        with (directory / f"{table.name}.csv").open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            assert reader.fieldnames == list(table.column_names)
            from_csv = list(reader)
        from_sqlite = [
            {
                name: "" if value is None else str(value)
                for name, value in zip(table.column_names, row, strict=True)
            }
            for row in fetch(db, f'SELECT * FROM "{table.name}" ORDER BY rowid')
        ]
        assert from_csv == from_sqlite, table.name
        assert counts[table.name] == len(from_csv)


def test_csv_creates_a_missing_directory(store: Store, tmp_path: Path) -> None:
    """The target directory, and its parents, are made when missing."""
    directory = tmp_path / "a" / "b"
    export.write_csv(store, directory, force=False)
    assert (directory / "people.csv").is_file()


# Overwriting and failures


def test_sqlite_refuses_an_existing_file(store: Store, tmp_path: Path) -> None:
    """Without force, an existing file is named, --force suggested, and the file left as it was."""
    target = tmp_path / "facts.db"
    target.write_bytes(b"my own notes\x00\x01")
    with pytest.raises(UsageError) as caught:
        export.write_sqlite(store, target, force=False)
    assert str(target) in caught.value.message
    assert caught.value.hint is not None
    assert "--force" in caught.value.hint
    assert target.read_bytes() == b"my own notes\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]


def test_sqlite_overwrites_with_force(store: Store, tmp_path: Path) -> None:
    """With force, an existing file is replaced by a complete database, keeping its mode."""
    target = tmp_path / "facts.db"
    target.write_bytes(b"old")
    target.chmod(0o640)
    export.write_sqlite(store, target, force=True)
    connection = sqlite3.connect(target)
    try:
        assert fetch(connection, "SELECT count(*) FROM people") == [(len(store.items("people")),)]
    finally:
        connection.close()
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]


def test_sqlite_refuses_a_directory_and_a_missing_parent(store: Store, tmp_path: Path) -> None:
    """A directory is not overwritten even with force; a missing parent is not created."""
    with pytest.raises(UsageError, match="is a directory"):
        export.write_sqlite(store, tmp_path, force=True)
    with pytest.raises(UsageError, match="does not exist"):
        export.write_sqlite(store, tmp_path / "nowhere" / "facts.db", force=False)


def test_export_never_overwrites_the_fact_file(tmp_path: Path, raw: dict[str, Any]) -> None:
    """Even with force, the fact file being exported is not a target."""
    data = copy.deepcopy(raw)
    data.pop("$schema", None)
    store = store_from(tmp_path, data)
    before = store.path.read_bytes()
    with pytest.raises(UsageError, match="fact file"):
        export.write_sqlite(store, store.path, force=True)
    assert store.path.read_bytes() == before


def test_sqlite_failure_midway_leaves_no_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the rows are in leaves neither a database nor a temporary file."""

    def broken(connection: sqlite3.Connection, table: tables.Table) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(export, "create_search_index", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        export.write_sqlite(store, tmp_path / "facts.db", force=False)
    assert list(tmp_path.iterdir()) == []

    existing = tmp_path / "facts.db"
    existing.write_bytes(b"previous export")
    with pytest.raises(RuntimeError, match="disk on fire"):
        export.write_sqlite(store, existing, force=True)
    assert existing.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]


def test_sqlite_full_disk_is_a_usage_error(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk names the file and its folder (exit 2 at the CLI) and leaves nothing
    behind."""

    def full(connection: sqlite3.Connection, table: tables.Table) -> None:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = sqlite3.SQLITE_FULL
        raise error

    monkeypatch.setattr(export, "create_search_index", full)
    target = tmp_path / "facts.db"
    with pytest.raises(UsageError, match=r"cannot write .*disk is full") as caught:
        export.write_sqlite(store, target, force=False)
    assert str(tmp_path) in (caught.value.hint or "")
    assert list(tmp_path.iterdir()) == []


def test_sqlite_keeps_its_temporary_storage_in_memory(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite writes no temporary file of its own in $TMPDIR (PRAGMA temp_store = MEMORY): a
    full disk can only be the target's, as the message says."""
    real = export._fill_database
    seen: list[int] = []

    def watched(connection: sqlite3.Connection, store: Store, info: Any) -> dict[str, int]:
        counts = real(connection, store, info)
        seen.append(connection.execute("PRAGMA temp_store").fetchone()[0])
        return counts

    monkeypatch.setattr(export, "_fill_database", watched)
    export.write_sqlite(store, tmp_path / "facts.db", force=False)
    assert seen == [2], "2 is MEMORY"


@pytest.mark.parametrize(
    ("collection", "field", "target"),
    [
        ("events", "place", "atlantis"),
        # claimed_by may name a person, an organisation or a place: naming no such fact, or a
        # source, is never dropped into NULL columns.
        ("statements", "claimed_by", "atlantis"),
        ("statements", "claimed_by", None),  # the first source
        # The same in a list of references to several kinds: a link row each.
        ("statements", "subjects", ["atlantis"]),
        ("conflicts", "claims", ["mark-carney", None]),
    ],
    ids=[
        "no-such-place",
        "no-such-claimant",
        "a-source-as-claimant",
        "no-such-subject",
        "a-source-as-claim",
    ],
)
def test_sqlite_broken_reference_leaves_no_file(
    tmp_path: Path,
    raw: dict[str, Any],
    collection: str,
    field: str,
    target: str | list[str | None] | None,
) -> None:
    """A reference the foreign keys reject fails the whole export; nothing is left behind."""
    data = copy.deepcopy(raw)
    data.pop("$schema", None)
    source = data["sources"][0]["id"]
    if isinstance(target, list):
        data[collection][0][field] = [item or source for item in target]
    else:
        data[collection][0][field] = target or source
    store = unchecked_store(data, tmp_path / "facts.json")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        export.write_sqlite(store, out / "facts.db", force=False)
    assert list(out.iterdir()) == []


def test_sqlite_broken_check_leaves_no_file(tmp_path: Path, raw: dict[str, Any]) -> None:
    """A row a CHECK rejects fails the whole export, though CHECKs are checked once at the end."""
    data = copy.deepcopy(raw)
    data.pop("$schema", None)
    store = unchecked_store(data, tmp_path / "facts.json")
    event = store.items("events")[0]
    both = event.evidence[0].replace(excerpt="Both at once.", paraphrase="Both at once.")
    store.items("events")[0] = event.replace(evidence=[both, *event.evidence[1:]])
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(sqlite3.IntegrityError, match=r"CHECK constraint failed: \[\('evidence'"):
        export.write_sqlite(store, out / "facts.db", force=False)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("table", tables.TABLES, ids=lambda table: table.name)
def test_every_check_of_a_table_is_checked(table: tables.Table) -> None:
    """The CHECKs checked after the inserts are every CHECK in the table's CREATE TABLE."""
    sql = table.create_sql()
    assert sql.count("CHECK (") == len(table.checks)
    for expression in table.checks:
        assert f"CHECK ({expression})" in sql


def test_csv_refuses_an_existing_file_and_writes_nothing(store: Store, tmp_path: Path) -> None:
    """One existing CSV file stops the export before any file is written."""
    (tmp_path / "people.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"people\.csv") as caught:
        export.write_csv(store, tmp_path, force=False)
    assert "--force" in (caught.value.hint or "")
    assert [p.name for p in tmp_path.iterdir()] == ["people.csv"]
    assert (tmp_path / "people.csv").read_text(encoding="utf-8") == "mine\n"

    export.write_csv(store, tmp_path, force=True)
    assert len(list(tmp_path.iterdir())) == len(tables.EVERY_TABLE)
    assert (tmp_path / "people.csv").read_text(encoding="utf-8").startswith("id,name,")


def test_csv_failure_midway_leaves_no_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk full on the third write names that file, and leaves no CSV file and no directory
    it created."""
    real = export._CsvFile.write
    calls: list[str] = []

    def flaky(self: export._CsvFile, rows: list[tuple[tables.Cell, ...]]) -> None:
        calls.append(self.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(self, rows)

    monkeypatch.setattr(export._CsvFile, "write", flaky)
    with pytest.raises(UsageError, match="No space left") as caught:
        export.write_csv(store, tmp_path / "new", force=False)
    assert f"{calls[-1]}.csv: No space left" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_csv_refuses_a_file_as_directory(store: Store, tmp_path: Path) -> None:
    """DIR must be a directory, not a file."""
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a directory"):
        export.write_csv(store, target, force=True)
    assert target.read_text(encoding="utf-8") == "x"


# Command line


def wrapper_app() -> typer.Typer:
    """A root app like tradecli's, with the export sub-app, until the lead registers it."""
    app = typer.Typer(cls=cli_root._Group, rich_markup_mode=None)

    @app.callback()
    def root(
        ctx: typer.Context, data: Annotated[str | None, typer.Option("--data")] = None
    ) -> None:
        ctx.obj = cli.Settings(data=data)

    app.add_typer(export_app, name="export")
    return app


def apps() -> list[typer.Typer]:
    """The wrapper app, and tradecli's own once export is registered there."""
    found = [wrapper_app()]
    if any(group.name == "export" for group in cli.app.registered_groups):
        found.append(cli.app)
    return found


@pytest.fixture(params=apps(), ids=lambda app: "tradecli" if app is cli.app else "wrapper")
def app(request: pytest.FixtureRequest) -> typer.Typer:
    """Each app the export commands can be reached through."""
    return request.param  # type: ignore[no-any-return]


@pytest.mark.parametrize("command", ["sqlite", "csv"])
def test_help_has_an_example(runner: CliRunner, app: typer.Typer, command: str) -> None:
    """Each export command's help shows an example, --force and the exit codes."""
    result = runner.invoke(app, ["export", command, "--help"])
    assert result.exit_code == 0
    assert f"tradecli export {command}" in result.stdout
    assert "--force" in result.stdout
    assert "Exit codes" in result.stdout


def test_cli_sqlite_writes_refuses_and_forces(
    runner: CliRunner, app: typer.Typer, tmp_path: Path
) -> None:
    """Exit 0 and a summary on stderr; then exit 2 naming the file and --force; then --force."""
    target = tmp_path / "facts.db"
    args = ["--data", str(BUNDLED), "export", "sqlite", str(target)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert f"wrote {target}" in first.stderr
    written = target.read_bytes()

    second = runner.invoke(app, args)
    assert second.exit_code == 2
    assert str(target) in second.stderr
    assert "--force" in second.stderr
    assert target.read_bytes() == written

    third = runner.invoke(app, [*args, "--force"])
    assert third.exit_code == 0, third.stderr


def test_cli_csv_uses_the_data_option(runner: CliRunner, app: typer.Typer, tmp_path: Path) -> None:
    """The global --data names the fact file that is exported."""
    fact_file = tmp_path / "facts.json"
    fact_file.write_text(json.dumps(SMALL), encoding="utf-8")
    result = runner.invoke(app, ["--data", str(fact_file), "export", "csv", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "1 places" in result.stderr
    with (tmp_path / "out" / "places.csv").open(encoding="utf-8", newline="") as stream:
        assert [row["id"] for row in csv.DictReader(stream)] == ["atlantis"]
    with (tmp_path / "out" / "people.csv").open(encoding="utf-8", newline="") as stream:
        assert list(csv.DictReader(stream)) == []


def test_cli_reports_bad_data_with_exit_3(
    runner: CliRunner, app: typer.Typer, tmp_path: Path
) -> None:
    """An invalid fact file exits 3 and writes nothing."""
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["--data", str(bad), "export", "sqlite", str(tmp_path / "x.db")])
    assert result.exit_code == 3
    assert not (tmp_path / "x.db").exists()
