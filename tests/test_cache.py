"""The index kept in the cache: never stale, rebuilt when broken, safe with many builders,
optional; without it the same index is built in memory."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED
from tradecli.cli import app
from tradecli.store import cache as folder
from tradecli.store import load
from tradecli.words import search_terms


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "tradecli"


@pytest.fixture
def facts_file(tmp_path: Path) -> Path:
    """A copy of the bundled fact file that a test may change."""
    path = tmp_path / "facts.json"
    path.write_bytes(BUNDLED.read_bytes())
    return path


def indexes(cache: Path) -> list[Path]:
    """The built index files in the cache directory."""
    return sorted(cache.glob("index-*.sqlite")) if cache.is_dir() else []


def test_first_load_builds_the_index_and_the_second_uses_it(cache: Path, facts_file: Path) -> None:
    """A valid file gets one index; loading again answers from it, the same facts."""
    first = load(facts_file)
    assert [first.index_file] == indexes(cache)
    before = indexes(cache)[0].stat().st_ino
    second = load(facts_file)
    assert second.index_file == first.index_file
    assert indexes(cache)[0].stat().st_ino == before, "opened, not built again"
    assert second.by_id["mark-carney"][1].name == "Mark Carney"
    assert [i.to_json() for _c, i in second.all_facts()] == [
        i.to_json() for _c, i in first.all_facts()
    ]


def test_without_a_cache_the_index_is_built_in_memory(cache: Path, facts_file: Path) -> None:
    """--no-cache answers from an index in memory, the same facts, and writes nothing."""
    kept = load(facts_file)
    in_memory = load(facts_file, cache=False)
    assert in_memory.index_file is None
    assert [i.to_json() for _c, i in in_memory.all_facts()] == [
        i.to_json() for _c, i in kept.all_facts()
    ]
    assert len(indexes(cache)) == 1


def test_a_changed_file_is_never_answered_from_the_old_index(
    cache: Path, facts_file: Path, runner: CliRunner
) -> None:
    """After an edit, search finds the new text and not the old, and the file gets its own index."""
    load(facts_file)
    data = json.loads(facts_file.read_text(encoding="utf-8"))
    data["people"][0]["name"] = "Marcus Zanzibar"
    facts_file.write_text(json.dumps(data), encoding="utf-8")
    found = runner.invoke(app, ["--data", str(facts_file), "search", "zanzibar", "-f", "json"])
    assert found.exit_code == 0, found.stderr
    assert [hit["id"] for hit in json.loads(found.stdout)["items"]] == ["mark-carney"]
    shown = runner.invoke(app, ["--data", str(facts_file), "show", "mark-carney", "-f", "json"])
    assert json.loads(shown.stdout)["fields"]["name"] == "Marcus Zanzibar"
    assert len(indexes(cache)) == 2


def test_a_corrupt_index_is_rebuilt_silently(cache: Path, facts_file: Path) -> None:
    """Garbage in the index file: the load still works and a good index replaces it."""
    load(facts_file)
    [built] = indexes(cache)
    built.write_bytes(b"this is not a database" * 100)
    store = load(facts_file)
    assert store.by_id["mark-carney"][1].name == "Mark Carney"
    [rebuilt] = indexes(cache)
    assert rebuilt.read_bytes()[:16] == b"SQLite format 3\x00"
    assert store.index_file == rebuilt


def test_two_builders_at_once_leave_one_good_index(cache: Path, facts_file: Path) -> None:
    """Concurrent loads each write a temporary file and rename it; the result is complete."""
    errors: list[BaseException] = []

    def build() -> None:
        try:
            load(facts_file)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(indexes(cache)) == 1
    assert not list(cache.glob(".index-*")), "no temporary file is left behind"
    total, hits = load(facts_file).search(search_terms("canola"), 0)
    assert total == len(hits) > 0


def test_an_unwritable_cache_directory_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, facts_file: Path, runner: CliRunner
) -> None:
    """With the cache path taken by a plain file, tradecli works and writes nothing."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    result = runner.invoke(app, ["--data", str(facts_file), "search", "canola", "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    assert "canola" in result.stdout
    assert blocker.read_text(encoding="utf-8") == "x"


def test_no_cache_neither_reads_nor_writes(
    cache: Path, facts_file: Path, runner: CliRunner
) -> None:
    """--no-cache leaves the cache directory untouched."""
    result = runner.invoke(app, ["--data", str(facts_file), "--no-cache", "tariffs", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert indexes(cache) == []


def test_validate_always_checks_the_file(cache: Path, facts_file: Path, runner: CliRunner) -> None:
    """validate never trusts an index: a file with an index is still read and checked."""
    load(facts_file)
    assert indexes(cache)
    result = runner.invoke(app, ["validate", str(facts_file)])
    assert result.exit_code == 0
    assert "valid" in result.stdout
    data = json.loads(facts_file.read_text(encoding="utf-8"))
    data["people"][0]["country"] = "atlantis"
    facts_file.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(facts_file)])
    assert result.exit_code == 3
    assert "atlantis" in result.stderr


@pytest.mark.parametrize("words", ["canola", "li qiang", "electric vehicles", "zzzz"])
def test_search_from_the_kept_index_and_in_memory_is_the_same(
    cache: Path, facts_file: Path, runner: CliRunner, words: str
) -> None:
    """The kept index and the one built in memory give the same hits in the same order."""
    args = ["--data", str(facts_file), "search", words, "--limit", "0", "-f", "json"]
    in_memory = runner.invoke(app, ["--no-cache", *args])
    load(facts_file)
    assert indexes(cache)
    kept = runner.invoke(app, args)
    assert kept.exit_code == in_memory.exit_code == 0
    assert kept.stdout == in_memory.stdout


def test_index_lives_in_the_xdg_cache_directory(
    cache: Path, facts_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without XDG_CACHE_HOME the index goes to ~/.cache/tradecli."""
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(cache.parent.parent / "home"))
    assert folder.cache_dir() == Path(os.environ["HOME"]) / ".cache" / "tradecli"
    assert load(facts_file).index_file in indexes(Path(os.environ["HOME"]) / ".cache" / "tradecli")


def test_building_an_index_prunes_unused_ones(cache: Path, facts_file: Path) -> None:
    """Indexes unopened for KEEP_DAYS and day-old temporary files go; recent ones stay."""
    cache.mkdir(parents=True, exist_ok=True)
    month = folder.KEEP_DAYS * 86_400
    stale = cache / ("index-" + "a" * 40 + ".sqlite")
    recent = cache / ("index-" + "b" * 40 + ".sqlite")
    crashed = cache / ".index-crashed.tmp"
    building = cache / ".index-building.tmp"
    other = cache / "notes.txt"
    for path in (stale, recent, crashed, building, other):
        path.write_bytes(b"x")
    now = time.time()
    os.utime(stale, (now - month - 60, now - month - 60))
    os.utime(recent, (now - month + 3600, now - month + 3600))
    os.utime(crashed, (now - 2 * 86_400, now - 2 * 86_400))
    os.utime(other, (now - 10 * month, now - 10 * month))
    load(facts_file)
    [built] = [path for path in indexes(cache) if path not in (stale, recent)]
    assert not stale.exists()
    assert not crashed.exists()
    assert [path.exists() for path in (recent, building, other)] == [True, True, True]
    assert built.exists()


def test_opening_an_index_marks_it_used(cache: Path, facts_file: Path) -> None:
    """A run that opens an index renews it, so pruning keeps the indexes in use."""
    load(facts_file)
    [built] = indexes(cache)
    long_ago = time.time() - 2 * folder.KEEP_DAYS * 86_400
    os.utime(built, (long_ago, long_ago))
    assert load(facts_file).index_file == built
    assert time.time() - built.stat().st_mtime < 3600


def test_collections_in_another_order_keep_file_order(
    tmp_path: Path, cache: Path, runner: CliRunner
) -> None:
    """Collections written in reverse, top-level fields last: each collection's facts keep
    their order, and the answers are those of the file in its usual order."""
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    reordered = tmp_path / "reordered.json"
    reordered.write_text(json.dumps({name: data[name] for name in reversed(list(data))}))
    usual = load(BUNDLED, cache=False)
    assert [(c, i.id) for c, i in load(reordered).all_facts()] == [
        (c, i.id) for c, i in usual.all_facts()
    ]
    for args in (["search", "canola trade", "--limit", "0"], ["timeline"], ["sources"]):
        got = runner.invoke(app, ["--data", str(reordered), *args, "-f", "json"])
        want = runner.invoke(app, ["--data", str(BUNDLED), "--no-cache", *args, "-f", "json"])
        assert got.exit_code == want.exit_code == 0
        assert got.stdout == want.stdout, args


@pytest.mark.parametrize("cache_used", [True, False], ids=["cache", "no-cache"])
def test_a_broken_file_leaves_no_index(tmp_path: Path, cache: Path, cache_used: bool) -> None:
    """An invalid file is refused with its problems, and nothing is written to the cache."""
    from tradecli.errors import DataError

    path = tmp_path / "facts.json"
    text = BUNDLED.read_text(encoding="utf-8")
    path.write_text(text.replace('"id": "canada"', '"id": "mark-carney"', 1), encoding="utf-8")
    with pytest.raises(DataError) as refused:
        load(path, cache=cache_used)
    assert "mark-carney" in refused.value.message
    assert not cache.exists() or list(cache.iterdir()) == []


def test_an_index_that_cannot_be_written_is_built_in_memory(
    cache: Path, facts_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite failing to write the kept index (a full disk, say) is no error: the index is
    built in memory, the answers are the same, and no file is left behind."""
    import sqlite3

    from tradecli.store import build as index

    real = index.fill_derived
    calls = {"n": 0}

    def failing_once(connection: sqlite3.Connection, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise sqlite3.OperationalError("database or disk is full")
        real(connection, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "fill_derived", failing_once)
    loaded = load(facts_file)
    assert loaded.index_file is None
    assert loaded.by_id["mark-carney"][1].name == "Mark Carney"
    assert list(cache.glob("*")) == []


def test_words_after_a_nul_are_found(tmp_path: Path, cache: Path, runner: CliRunner) -> None:
    """A text holding a NUL is indexed whole: a word after it is found, kept or in memory."""
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["statements"][0]["text"] = "before\u0000zanzibarite after"
    data["people"][0]["aliases"].append("x\u0000quokkaman")
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for flags in ([], ["--no-cache"], []):
        for word, fact_id in (
            ("zanzibarite", data["statements"][0]["id"]),
            ("quokkaman", "mark-carney"),
        ):
            found = runner.invoke(app, ["--data", str(path), *flags, "search", word, "-f", "json"])
            assert found.exit_code == 0, found.stderr
            assert [hit["id"] for hit in json.loads(found.stdout)["items"]] == [fact_id]


def test_an_index_in_memory_derives_what_a_question_first_needs(facts_file: Path) -> None:
    """In memory, listing a collection reads the facts alone; the first question of references,
    names, days, the timeline or words writes what the index derives, once; the answers are
    those of a kept index."""
    kept = load(facts_file)
    in_memory = load(facts_file, cache=False)
    index = in_memory._backing.index
    assert [t.id for t in in_memory.items("tariffs")] == [t.id for t in kept.items("tariffs")]
    assert index._derive is not None, "nothing derived for a collection"
    assert in_memory.referrers("mark-carney") == kept.referrers("mark-carney")
    assert index._derive is None, "derived on the first question that needs it"
    terms = search_terms("canola")
    assert in_memory.search(terms, 0) == kept.search(terms, 0)
