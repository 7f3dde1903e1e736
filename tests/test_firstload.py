"""The first load of a file: a quick path for valid files that agrees with the precise one.

``store.load`` parses, validates, checks and indexes a file one fact at a time, and only when
that finds something wrong does it run ``store.validate``, which words every problem. These tests
hold the two paths to the same records, the same index and the same messages.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import tradecli.load.validate as validation
from conftest import BUNDLED, ROOT
from tradecli import store
from tradecli.cli import app
from tradecli.errors import DataError
from tradecli.facts.factfile import FactFile
from tradecli.facts.kinds import COLLECTIONS, NAME_FIELDS
from tradecli.load import index, schema
from tradecli.load.checks import Checker, check
from tradecli.load.validate import validate
from tradecli.words import normalise_name


def precise_facts(path: Path) -> FactFile:
    """The records of a valid file, as the precise path makes them."""
    facts, problems = validate(str(path), path.read_text(encoding="utf-8"))
    assert problems == []
    assert facts is not None
    return facts


def dumps(facts: FactFile) -> list[tuple[str, dict[str, Any]]]:
    """Every fact's collection and JSON dump, in file order."""
    return [(collection, item.to_json()) for collection, item in facts.all_facts()]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated fact file of 1,500 facts (benchmarks/generate.py)."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = tmp_path_factory.mktemp("generated") / "facts.json"
    module.generate(1500, path)
    return path


@pytest.fixture
def never_precise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if load() falls back to the precise path."""

    def fail(name: str, text: str) -> Any:
        raise AssertionError(f"{name} took the precise path")

    monkeypatch.setattr(validation, "validate", fail)


@pytest.mark.parametrize("which", ["bundled", "generated"])
@pytest.mark.parametrize("cache", [True, False])
def test_a_valid_file_takes_the_quick_path_to_the_same_records(
    which: str, cache: bool, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With or without a cache, a valid file never needs validate(); its facts are the same."""
    path = BUNDLED if which == "bundled" else generated
    expected = dumps(precise_facts(path))
    monkeypatch.setattr(validation, "validate", lambda *args: pytest.fail("took the precise path"))
    loaded = store.load(path, cache=cache)
    assert loaded.validated
    assert (loaded.index is not None) == cache
    if cache:
        assert loaded.facts.loaded() == [], "the first load answers from its new index"
    assert dumps(loaded.facts) == expected


def test_quick_records_equal_the_precise_ones_field_by_field(generated: Path) -> None:
    """Records made from validated models hold what from_json of their dump holds, same types."""
    quick = store.load(generated, cache=False).facts
    model = schema.FactFile.model_validate_json(generated.read_bytes())
    precise = FactFile.from_json(model.model_dump(mode="json"))
    for collection in COLLECTIONS:
        for mine, theirs in zip(
            getattr(quick, collection), getattr(precise, collection), strict=True
        ):
            assert mine == theirs
            assert list(mine.__dict__) == list(theirs.__dict__)
            for name, value in mine.__dict__.items():
                assert type(value) is type(theirs.__dict__[name]), (collection, name)


def test_collections_in_another_order_index_in_file_order(
    tmp_path: Path, runner: CliRunner, never_precise: None
) -> None:
    """Collections written in reverse, top-level fields last: same facts, same search order."""
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    reordered = {name: data[name] for name in reversed(list(data))}
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(reordered, indent=1), encoding="utf-8")
    expected = dumps(FactFile.from_json(schema.FactFile.model_validate(data).model_dump()))
    assert dumps(store.load(path).facts) == expected
    args = ["--data", str(path), "search", "canola trade", "--limit", "0", "-f", "json"]
    indexed = runner.invoke(app, args)
    scanned = runner.invoke(app, ["--no-cache", *args])
    assert indexed.exit_code == scanned.exit_code == 0, indexed.stderr
    assert [hit["id"] for hit in json.loads(indexed.stdout)] == [
        hit["id"] for hit in json.loads(scanned.stdout)
    ]


def strings_in(value: Any) -> list[str]:
    """Every string inside a JSON value, keys left out."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in strings_in(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in strings_in(inner)]
    return []


def indexed_words(connection: sqlite3.Connection, schema: str, table: str) -> set[Any]:
    """(word, column, fact id) for every word an FTS5 table indexes."""
    words = f"temp.{table}_words"
    connection.execute(f"CREATE VIRTUAL TABLE {words} USING fts5vocab({schema}, {table}, instance)")
    query = f"SELECT w.term, w.col, f.id FROM {words} AS w JOIN facts AS f ON f.rowid = w.doc"
    return set(connection.execute(query))


def test_the_index_holds_the_words_of_each_record() -> None:
    """The names column indexes exactly the words of each fact's name fields, and the body
    column those of every other string of its dump, each normalised as a scan compares them."""
    loaded = store.load(BUNDLED)
    assert loaded.index is not None
    key = index.content_key(BUNDLED.read_bytes())
    facts = precise_facts(BUNDLED)
    with contextlib.closing(sqlite3.connect(index.index_path(key))) as connection:
        rowids = dict(connection.execute("SELECT id, rowid FROM facts"))
        ids = [row[0] for row in connection.execute("SELECT id FROM facts ORDER BY rowid")]
        assert ids == [item.id for _c, item in facts.all_facts()]
        # The same words, indexed again from the strings each fact's dump holds.
        connection.execute(
            "CREATE VIRTUAL TABLE temp.expected USING fts5(names, body,"
            " tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
        )
        for _collection, item in facts.all_facts():
            data = item.to_json()
            names = [text for name in NAME_FIELDS for text in strings_in(data.get(name))]
            other = {key: value for key, value in data.items() if key not in NAME_FIELDS}
            connection.execute(
                "INSERT INTO temp.expected (rowid, names, body) VALUES (?, ?, ?)",
                (
                    rowids[item.id],
                    "\n\ue000\n".join(map(normalise_name, names)),
                    "\n\ue000\n".join(map(normalise_name, strings_in(other))),
                ),
            )
        built = indexed_words(connection, "main", "facts_fts")
        expected = indexed_words(connection, "temp", "expected")
    assert built == expected
    assert ("carney", "names", "mark-carney") in built


def bundled_text() -> str:
    """The bundled file's text, to break in places."""
    return BUNDLED.read_text(encoding="utf-8")


def _replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


RATE = '"rate_percent": 100'
ID = '"id": "mark-carney"'
BROKEN: dict[str, Any] = {
    "duplicate key in a fact": lambda t: _replace_once(t, ID, f"{ID}, {ID}"),
    "duplicate key in evidence": lambda t: _replace_once(
        t,
        '"source": "article-carney-beijing"',
        '"source": "article-carney-beijing", "source": "article-carney-beijing"',
    ),
    "duplicate top-level key": lambda t: _replace_once(
        t, '"format_version": 1', '"format_version": 1, "format_version": 1'
    ),
    "duplicate collection": lambda t: _replace_once(
        t, '"conflicts": [', '"places": [], "conflicts": ['
    ),
    "NaN": lambda t: _replace_once(t, RATE, '"rate_percent": NaN'),
    "Infinity": lambda t: _replace_once(t, RATE, '"rate_percent": Infinity'),
    "a float too large": lambda t: _replace_once(t, RATE, '"rate_percent": 1e999'),
    # pydantic alone takes this one, the lone surrogate in $schema and a repeated key with the
    # same value: only the JSON rules of parse_json refuse them.
    "a 31-digit integer a float field takes": lambda t: _replace_once(
        t, RATE, '"rate_percent": ' + "1" * 31
    ),
    "lone surrogate in $schema": lambda t: _replace_once(
        t, '"$schema": "facts.schema.json"', '"$schema": "\\ud800"'
    ),
    "lone surrogate in a name": lambda t: _replace_once(
        t, '"name": "Mark Carney"', '"name": "Mark \\udc00Carney"'
    ),
    "trailing comma in a collection": lambda t: _replace_once(
        t, '"conflicts": [', '"conflicts": [{"id": "x"},]'
    ),
    "extra data": lambda t: t + "{}",
    "a second BOM": lambda t: "\ufeff\ufeff" + t,
    "a collection that is an object": lambda t: _replace_once(
        t, '"conflicts": [', '"conflicts": {}, "x": ['
    ),
    "nesting too deep": lambda t: _replace_once(t, RATE, '"rate_percent": ' + "[" * 5000),
    "an unknown top-level field": lambda t: _replace_once(
        t, '"format_version": 1', '"format_version": 1, "formats": 2'
    ),
    "a dangling reference": lambda t: _replace_once(
        t, '"source": "article-carney-beijing"', '"source": "no-such-source"'
    ),
    "a duplicate id": lambda t: _replace_once(t, '"id": "canada"', '"id": "mark-carney"'),
    "a wrong weekday": lambda t: t.replace("Friday, January 16, 2026", "Sunday, January 16, 2026"),
}


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_file_gets_the_precise_message(
    name: str, cache: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Duplicate keys, odd numbers, lone surrogates, bad JSON, failed checks: the same message
    as the precise path alone, and no index."""
    path = tmp_path / "facts.json"
    path.write_text(BROKEN[name](bundled_text()), encoding="utf-8")
    with pytest.raises(DataError) as quick:
        store.load(path, cache=cache)
    monkeypatch.setattr(validation, "read_valid", lambda *args: (False, None))
    with pytest.raises(DataError) as precise:
        store.load(path, cache=cache)
    assert quick.value.message == precise.value.message
    assert list(index.cache_dir().glob("*")) == [], "no index, and no temporary file"


CHECKED: dict[str, Any] = {
    "clean": lambda d: None,
    "duplicate id": lambda d: d["people"].append({**d["people"][0]}),
    "dangling and forward references": lambda d: d["people"][0].__setitem__("country", "nowhere"),
    "own id": lambda d: d["events"][1].__setitem__("part_of", d["events"][1]["id"]),
    "wrong kind": lambda d: d["events"][1].__setitem__("place", "mark-carney"),
    "alias of another": lambda d: d["places"][0]["aliases"].append("Mark Carney"),
    "weekday": lambda d: d["events"][0].__setitem__("weekday", "Sunday"),
    "quote": lambda d: d["quotes"][0].__setitem__("text", "Words never said"),
    "lifecycle order": lambda d: d["tariffs"][0]["lifecycle"].reverse(),
}


@pytest.mark.parametrize("name", list(CHECKED))
def test_the_checker_finds_the_same_in_models_and_records(name: str) -> None:
    """The quick path checks models as they are validated, the precise one records: the same."""
    data = json.loads(bundled_text())
    CHECKED[name](data)
    model = schema.FactFile.model_validate(data)
    facts = FactFile.from_json(model.model_dump(mode="json"))
    expected = check(facts)
    checker = Checker()
    for collection in COLLECTIONS:
        for position, item in enumerate(getattr(model, collection)):
            checker.add(collection, position, item)
    assert checker.finish() == expected
    assert (expected == []) == (name == "clean")


def test_an_index_that_cannot_be_written_leaves_the_records_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite failing on its thread is no error: the store keeps its records, no file is left."""

    def refuse(connection: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(index, "_create_tables", refuse)
    loaded = store.load(BUNDLED)
    assert loaded.index is None
    assert dumps(loaded.facts) == dumps(precise_facts(BUNDLED))
    assert list(index.cache_dir().glob("*")) == []
