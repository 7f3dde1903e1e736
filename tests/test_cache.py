"""The search index cache: never stale, rebuilt when broken, safe with many builders, optional."""

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
from tradecli.load import index
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
    """A valid file gets one index; loading again opens it and looks facts up one at a time."""
    first = load(facts_file)
    assert first.validated
    assert len(indexes(cache)) == 1
    second = load(facts_file)
    assert second.index is not None
    assert not second.validated
    assert second.by_id["mark-carney"][1].name == "Mark Carney"
    assert second.facts.loaded() == [], "one lookup does not load every fact"
    assert [t.id for t in second.facts.tariffs] == [t.id for t in first.facts.tariffs]
    assert second.facts.loaded() == ["tariffs"], "a collection loads on its own"
    assert [i.to_json() for _c, i in second.all_facts()] == [
        i.to_json() for _c, i in first.all_facts()
    ]


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
    assert [hit["id"] for hit in json.loads(found.stdout)] == ["mark-carney"]
    shown = runner.invoke(app, ["--data", str(facts_file), "show", "mark-carney", "-f", "json"])
    assert json.loads(shown.stdout)[0]["fields"]["name"] == "Marcus Zanzibar"
    assert len(indexes(cache)) == 2


def test_a_corrupt_index_is_rebuilt_silently(cache: Path, facts_file: Path) -> None:
    """Garbage in the index file: the load still works and a good index replaces it."""
    load(facts_file)
    [built] = indexes(cache)
    built.write_bytes(b"this is not a database" * 100)
    store = load(facts_file)
    assert store.validated, "fell back to validating the file"
    [rebuilt] = indexes(cache)
    assert index.open_index(index.content_key(facts_file.read_bytes())) is not None
    assert rebuilt.read_bytes()[:16] == b"SQLite format 3\x00"


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
    opened = index.open_index(index.content_key(facts_file.read_bytes()))
    assert opened is not None
    assert opened.search(search_terms("canola")) != []


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
    """validate never trusts an index: it reports the same problems with one built or not."""
    load(facts_file)
    assert indexes(cache)
    result = runner.invoke(app, ["validate", str(facts_file)])
    assert result.exit_code == 0
    assert "valid" in result.stdout


@pytest.mark.parametrize("words", ["canola", "li qiang", "electric vehicles", "zzzz"])
def test_search_through_the_index_matches_search_in_memory(
    cache: Path, facts_file: Path, runner: CliRunner, words: str
) -> None:
    """The cached search gives the same hits in the same order as a full scan."""
    args = ["--data", str(facts_file), "search", words, "--limit", "0", "-f", "json"]
    scanned = runner.invoke(app, ["--no-cache", *args])
    load(facts_file)
    assert indexes(cache)
    indexed = runner.invoke(app, args)
    assert indexed.exit_code == scanned.exit_code == 0
    assert [h["id"] for h in json.loads(indexed.stdout)] == [
        h["id"] for h in json.loads(scanned.stdout)
    ]


def test_index_lives_in_the_xdg_cache_directory(
    cache: Path, facts_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without XDG_CACHE_HOME the index goes to ~/.cache/tradecli."""
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(cache.parent.parent / "home"))
    assert index.cache_dir() == Path(os.environ["HOME"]) / ".cache" / "tradecli"


def test_building_an_index_prunes_unused_ones(cache: Path, facts_file: Path) -> None:
    """Indexes unopened for KEEP_DAYS and day-old temporary files go; recent ones stay."""
    cache.mkdir(parents=True, exist_ok=True)
    month = index.KEEP_DAYS * 86_400
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
    long_ago = time.time() - 2 * index.KEEP_DAYS * 86_400
    os.utime(built, (long_ago, long_ago))
    assert load(facts_file).index is not None
    assert time.time() - built.stat().st_mtime < 3600
