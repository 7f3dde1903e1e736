"""Writes that can't destroy: an export with --force and a table image replace only a regular
file, staged beside it and renamed into place; a named pipe, a device or a folder is refused with
exit 2, and so is every path that cannot be written, each with one clear message.

Cases that would block forever on a named pipe if the refusal broke run in a subprocess with a
timeout; /dev/null itself is only ever given to the check, never to a write.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import tradecli
from conftest import env_without_tradecli
from tradecli import files
from tradecli.cli import app
from tradecli.errors import UsageError

SOURCE = {"id": "src", "title": "A source", "publisher": "news", "kind": "news_report"}
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="named pipes and devices")


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A small valid fact file."""
    path = tmp_path / "facts.json"
    person = {
        "id": "mark-carney",
        "name": "Mark Carney",
        "evidence": [{"source": "src", "paraphrase": "Prime Minister of Canada."}],
    }
    data = {"format_version": 1, "sources": [SOURCE], "people": [person]}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _env() -> dict[str, str]:
    env = env_without_tradecli()
    env["PYTHONPATH"] = str(Path(tradecli.__file__).resolve().parents[1])
    return env


def tradecli_run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m tradecli ARGS``, stopped after 60 s (a write into a FIFO would block)."""
    return subprocess.run(
        [sys.executable, "-m", "tradecli", *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
    )


def invoke(runner: CliRunner, *args: str) -> Any:
    """Run tradecli in-process; nothing but a clean exit may end it."""
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def irregular(kind: str, where: Path) -> Path:
    """A path that is not a regular file: a FIFO, a link to /dev/null, or a folder."""
    path = where / f"target-{kind.replace(' ', '-').replace('/', '')}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link to /dev/null":
        path.symlink_to(os.devnull)
    else:
        path.mkdir()
    return path


KINDS = ["fifo", "link to /dev/null", "folder"]
WORDS = {
    "fifo": "named pipe",
    "link to /dev/null": "character device",
    "folder": "directory",
}


# --- The check itself -------------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("force", [True, False])
def test_dev_null_is_not_a_target(facts: Path, force: bool) -> None:
    """/dev/null (a device) is refused, with --force too: a rename would replace it."""
    with pytest.raises(UsageError, match="character device, not a regular file"):
        files.check_target(facts, Path(os.devnull), force=force)


@POSIX
def test_not_regular_names_what_is_there(tmp_path: Path) -> None:
    """not_regular says what a path is when it is no regular file, and None otherwise."""
    assert files.not_regular(tmp_path / "missing") is None
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert files.not_regular(tmp_path / "file") is None
    assert files.not_regular(tmp_path / "file" / "under") is None
    assert files.not_regular(tmp_path) == "a directory"
    assert files.not_regular(Path(os.devnull)) == "a character device"
    for kind in KINDS:
        assert WORDS[kind] in (files.not_regular(irregular(kind, tmp_path)) or "")
    with pytest.raises(UsageError, match="cannot write"):
        files.not_regular(tmp_path / ("x" * 300))


# --- Exports with --force ---------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("kind", KINDS)
def test_export_sqlite_force_refuses_what_is_not_a_file(
    facts: Path, tmp_path: Path, kind: str
) -> None:
    """`export sqlite PATH --force` onto a FIFO, /dev/null or a folder: exit 2, left as it was."""
    target = irregular(kind, tmp_path)
    done = tradecli_run("--data", str(facts), "export", "sqlite", str(target), "--force")
    assert done.returncode == 2, done.stderr
    assert WORDS[kind] in done.stderr
    assert str(target) in done.stderr
    assert "Traceback" not in done.stderr
    assert files.not_regular(target) is not None, "the target was replaced"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["facts.json", target.name])


@POSIX
@pytest.mark.parametrize("kind", KINDS)
def test_export_csv_force_refuses_what_is_not_a_file(
    facts: Path, tmp_path: Path, kind: str
) -> None:
    """`export csv DIR --force` where DIR/people.csv is a FIFO, /dev/null or a folder: exit 2,
    nothing written, the thing left as it was."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = irregular(kind, folder).rename(folder / "people.csv")
    done = tradecli_run("--data", str(facts), "export", "csv", str(folder), "--force")
    assert done.returncode == 2, done.stderr
    assert WORDS[kind] in done.stderr
    assert "people.csv" in done.stderr
    assert [p.name for p in folder.iterdir()] == ["people.csv"]
    assert files.not_regular(target) is not None


def test_export_force_still_replaces_a_regular_file(
    runner: CliRunner, facts: Path, tmp_path: Path
) -> None:
    """A regular file is what --force is for: it is replaced, by a complete database."""
    target = tmp_path / "facts.db"
    target.write_text("old", encoding="utf-8")
    result = invoke(runner, "--data", str(facts), "export", "sqlite", str(target), "--force")
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"SQLite format 3")


# --- --export-svg and --export-html -----------------------------------------------------------


@POSIX
@pytest.mark.parametrize("option", ["--export-svg", "--export-html"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_table_image_refuses_what_is_not_a_file(
    facts: Path, tmp_path: Path, option: str, kind: str
) -> None:
    """An image onto a FIFO (today it blocks), /dev/null or a folder: exit 2, nothing drawn."""
    target = irregular(kind, tmp_path)
    done = tradecli_run("--data", str(facts), "people", option, str(target))
    assert done.returncode == 2, done.stderr
    assert option in done.stderr
    assert str(target) in done.stderr
    assert WORDS[kind] in done.stderr or "folder" in done.stderr
    assert done.stdout == ""
    assert files.not_regular(target) is not None


@pytest.mark.parametrize(
    "where",
    ["missing folder", "under a file", "name too long", "inside /proc"],
)
def test_every_unwritable_image_path_is_a_usage_error(
    runner: CliRunner, facts: Path, tmp_path: Path, where: str
) -> None:
    """A missing folder, a path under a file, a name too long, a folder no one can write to:
    exit 2 (never 4) with one message naming the path."""
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    target = {
        "missing folder": tmp_path / "no-such-folder" / "out.svg",
        "under a file": tmp_path / "a-file" / "out.svg",
        "name too long": tmp_path / ("x" * 300 + ".svg"),
        "inside /proc": Path("/proc/tradecli-out.svg"),
    }[where]
    if where == "inside /proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    result = invoke(runner, "--data", str(facts), "people", "--export-svg", str(target))
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert str(target)[:60] in result.stderr
    assert "internal error" not in result.stderr
    if where == "under a file":
        assert "is a file, not a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "facts.json"]


def test_a_read_only_folder_is_a_usage_error(
    runner: CliRunner, facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that refuses new files (as a read-only one does; root can write anywhere, so
    the refusal is simulated): exit 2 naming the path, nothing left behind."""
    import tempfile

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    target = tmp_path / "out.svg"
    result = invoke(runner, "--data", str(facts), "people", "--export-svg", str(target))
    assert result.exit_code == 2
    assert f"cannot write {target}: Permission denied" in result.stderr
    assert not target.exists()


def test_a_failed_image_write_leaves_the_old_file_whole(
    runner: CliRunner, facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills halfway through the image: exit 2, the old file untouched (the image
    is staged beside it), and no temporary file left."""
    target = tmp_path / "out.svg"
    target.write_text("the old image", encoding="utf-8")
    real_write_text = Path.write_text

    def half_then_full(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        real_write_text(self, data[: len(data) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half_then_full)
    result = invoke(runner, "--data", str(facts), "people", "--export-svg", str(target))
    monkeypatch.undo()
    assert result.exit_code == 2
    assert f"cannot write {target}: No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "the old image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.json", "out.svg"]


def test_both_images_are_complete_before_either_is_moved(
    runner: CliRunner, facts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the second image cannot be written, the first is not put in place either."""
    svg, page = tmp_path / "out.svg", tmp_path / "out.html"
    real_write_text = Path.write_text

    def html_fails(self: Path, data: str, *args: Any, **kwargs: Any) -> int:
        if data.lstrip().lower().startswith("<!doctype html"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_text(self, data, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", html_fails)
    args = ["--data", str(facts), "people", "--export-svg", str(svg), "--export-html", str(page)]
    result = invoke(runner, *args)
    monkeypatch.undo()
    assert result.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.json"]
