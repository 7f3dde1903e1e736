"""A warm run knows its index from the file's status alone, and never misses a change.

The status kept is size, modification and change times (in nanoseconds), inode and device. Each
test changes a file the way an editor, ``touch``, ``cp`` or ``mv`` would, and checks that the
answer is the new file's, from the index or not.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from tradecli.cli import app
from tradecli.load import read
from tradecli.store import _tag
from tradecli.store import cache as known

MINI = ROOT / "tests" / "fixtures" / "mini.json"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "tradecli"


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs a minute from now: every file written by the test has rested since its last change
    (its change time, which no test can set back, is a minute old)."""
    ahead = time.time_ns() + 60 * 1_000_000_000
    monkeypatch.setattr(known.time, "time_ns", lambda: ahead)


def settled(path: Path, content: bytes) -> Path:
    """Write a file and date it a minute back, as a file that has rested since it was saved."""
    path.write_bytes(content)
    past = time.time_ns() - 60 * 1_000_000_000
    os.utime(path, ns=(past, past))
    return path


def title_of(runner: CliRunner, path: Path) -> str:
    """The title of the first measure, as tradecli answers for the file."""
    result = runner.invoke(app, ["--data", str(path), "tariffs", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)[0]["fields"]["title"])


def retitled(content: bytes, title: str) -> bytes:
    """The file with its first measure's title replaced in place, keeping the file's size."""
    data: dict[str, Any] = json.loads(content)
    old = json.dumps(data["tariffs"][0]["title"]).encode()
    new = json.dumps(title).encode()
    assert len(new) == len(old), "the change keeps the size"
    assert old in content
    return content.replace(old, new, 1)


def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every read of a fact file's bytes from now on."""
    seen: list[Path] = []
    original = read.read_bytes

    def counting(path: Path) -> bytes:
        seen.append(path)
        return original(path)

    monkeypatch.setattr(read, "read_bytes", counting)
    return seen


def same_size_title(runner: CliRunner, path: Path) -> str:
    old = title_of(runner, path)
    return ("Z" * len(old))[: len(old)]


def test_a_warm_run_reads_nothing_of_an_unchanged_file(
    runner: CliRunner, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, later: None
) -> None:
    """After one run has hashed a rested file, the next knows its index without reading it."""
    path = settled(tmp_path / "facts.json", MINI.read_bytes())
    first = title_of(runner, path)
    assert list(cache.glob("known-*.json")), "the status is kept beside the index"
    seen = reads(monkeypatch)
    assert title_of(runner, path) == first
    assert seen == []


def test_an_edit_that_keeps_size_and_times_is_noticed(
    runner: CliRunner, tmp_path: Path, cache: Path, later: None
) -> None:
    """Same size, the modification time set back (touch -r): the change time still moved."""
    path = settled(tmp_path / "facts.json", MINI.read_bytes())
    title_of(runner, path)
    before = path.stat()
    title = same_size_title(runner, path)
    path.write_bytes(retitled(MINI.read_bytes(), title))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert path.stat().st_mtime_ns == before.st_mtime_ns
    assert title_of(runner, path) == title


def test_a_file_replaced_by_another_is_noticed(
    runner: CliRunner, tmp_path: Path, cache: Path, later: None
) -> None:
    """mv of another file onto the path, same size and times: another inode, another answer."""
    path = settled(tmp_path / "facts.json", MINI.read_bytes())
    title_of(runner, path)
    before = path.stat()
    title = same_size_title(runner, path)
    other = tmp_path / "other.json"
    other.write_bytes(retitled(MINI.read_bytes(), title))
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    other.replace(path)
    assert title_of(runner, path) == title


def test_edits_within_the_same_second_are_all_noticed(
    runner: CliRunner, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The racy case, on a file system whose clock counts whole seconds (simulated): a file
    saved just now is hashed on every run, so an edit a moment later with the same size and
    the same second on the clock is still seen."""
    whole_seconds(monkeypatch)
    path = tmp_path / "facts.json"
    path.write_bytes(MINI.read_bytes())
    first = title_of(runner, path)
    seen = reads(monkeypatch)
    title = ("Y" * len(first))[: len(first)]
    path.write_bytes(retitled(MINI.read_bytes(), title))
    assert title_of(runner, path) == title
    assert seen, "a file this fresh is read, not trusted by its status"


def test_a_file_touched_back_within_the_second_is_noticed(
    runner: CliRunner, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system whose clock counts whole seconds (simulated): a file copied with its
    old modification time (cp -p), run, then edited in the same second at the same size and
    touched back (touch -r) shows the same size and times. Its change time was fresh when the
    first run hashed it, so no status was kept, and the edit is seen."""
    whole_seconds(monkeypatch)
    path = settled(tmp_path / "facts.json", MINI.read_bytes())  # an old mtime; ctime is now
    before = path.stat()
    first = title_of(runner, path)
    assert not list(cache.glob("known-*.json")), "a status this fresh is not kept"
    title = ("Q" * len(first))[: len(first)]
    path.write_bytes(retitled(MINI.read_bytes(), title))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert title_of(runner, path) == title


def whole_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make kept statuses count times in whole seconds, as some file systems do."""
    exact = known._status
    monkeypatch.setattr(
        known,
        "_status",
        lambda info: [
            value // 1_000_000_000 * 1_000_000_000 if 1 <= i <= 2 else value
            for i, value in enumerate(exact(info))
        ],
    )


def test_a_kept_status_for_another_version_or_path_is_not_used(
    tmp_path: Path, cache: Path, later: None
) -> None:
    """An entry is used only for its own path, with the very status kept, by this version."""
    path = settled(tmp_path / "facts.json", MINI.read_bytes())
    key = "a" * 64
    known.remember_key(path, path.stat(), key, _tag())
    assert known.known_key(path, _tag()) == key
    (entry,) = cache.glob("known-*.json")
    document = json.loads(entry.read_text())
    for change in ({"tag": "0 other"}, {"path": str(tmp_path / "else.json")}):
        entry.write_text(json.dumps({**document, **change}))
        assert known.known_key(path, _tag()) is None
    entry.write_text(json.dumps(document))
    entry.chmod(0o666)
    assert known.known_key(path, _tag()) is None, "an entry others may write is not ours to trust"


def test_nothing_is_kept_for_a_pipe_or_an_unwritable_cache(tmp_path: Path, cache: Path) -> None:
    """Only a regular file has a status worth keeping."""
    fifo = tmp_path / "facts.fifo"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        assert known.status_of(fifo) is None
        assert known.known_key(fifo, _tag()) is None
