"""Every stream and terminal state ends in a documented exit code: a closed stdout or stderr, a
terminal of no width or a few columns, a terminal that cannot show anything but ASCII, and
search limits larger than any integer SQLite or C can hold.

Real streams need a real process: those cases run ``python -m tradecli`` on a small fact file.
"""

from __future__ import annotations

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
from tradecli.cli import app

SOURCE = {"id": "src", "title": "A source", "publisher": "news", "kind": "news_report"}
PEOPLE = [
    {
        "id": "li-qiang",
        "name": "\u674e\u5f3a",  # Li Qiang, in Chinese characters
        "aliases": ["Li Qiang"],
        "evidence": [{"source": "src", "paraphrase": "Premier Li Qiang of China."}],
    },
    {
        "id": "mark-carney",
        "name": "Mark Carney",
        "evidence": [{"source": "src", "paraphrase": "Prime Minister of Canada (Qu\xe9bec)."}],
    },
]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX streams and terminals")


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """A small valid fact file with a non-ASCII name."""
    path = tmp_path / "facts.json"
    data = {"format_version": 1, "sources": [SOURCE], "people": PEOPLE}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """A fact file that is not JSON."""
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    return path


def _env(**extra: str) -> dict[str, str]:
    env = env_without_tradecli()
    # The tradecli these tests imported, so that a copy of the source tree can be tested too.
    env["PYTHONPATH"] = str(Path(tradecli.__file__).resolve().parents[1])
    env.update(extra)
    return env


def tradecli_with(redirect: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m tradecli ARGS`` under /bin/sh with a redirection such as ``>&-``."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", sys.executable, "-m", "tradecli", *args],
        capture_output=True,
        env=_env(),
        timeout=60,
        check=False,
    )


def quiet(done: subprocess.CompletedProcess[bytes]) -> str:
    """The run's stderr, checked for the noise of an unhandled exception."""
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    return stderr


# --- Closed streams ---------------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize(
    "args",
    [["people"], ["people", "-f", "json"], ["search", "carney", "-f", "csv"], ["validate"]],
    ids=" ".join,
)
def test_a_closed_stdout_ends_quietly_with_exit_0(facts: Path, args: list[str]) -> None:
    """`tradecli ... >&-`: the answer has nowhere to go; exit 0 and nothing on stderr."""
    done = tradecli_with(">&-", "--data", str(facts), *args)
    assert quiet(done) == ""
    assert done.returncode == 0


@POSIX
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["tariffs"], 3),
        (["validate"], 3),
        (["people", "--no-such-option"], 2),
        (["people", "nobody-at-all"], 1),
        (["people"], 0),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_a_closed_stderr_keeps_the_documented_exit_code(
    facts: Path, bad: Path, args: list[str], code: int
) -> None:
    """`tradecli ... 2>&-`: the message has nowhere to go, the exit code still tells (3, not 1)."""
    data = bad if code == 3 else facts
    done = tradecli_with("2>&-", "--data", str(data), *args)
    assert done.returncode == code
    if code == 0:
        assert b"mark-carney" in done.stdout


@POSIX
def test_both_closed(bad: Path, facts: Path) -> None:
    """Closed stdout and stderr together: still exit 3 for a bad file, 0 for a good one."""
    assert tradecli_with(">&- 2>&-", "--data", str(bad), "people").returncode == 3
    assert tradecli_with(">&- 2>&-", "--data", str(facts), "people").returncode == 0


# --- Narrow and non-UTF-8 terminals -----------------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "1", "5", "12"])
@pytest.mark.parametrize(
    "command", [["people"], ["people", "mark-carney"], ["sources"], ["sources", "--stories"]]
)
def test_a_tiny_width_still_prints_the_answer(
    runner: CliRunner, facts: Path, columns: str, command: list[str]
) -> None:
    """COLUMNS=0 or a few columns: the answer is drawn (40 wide), handles whole, nothing empty."""
    env = {"COLUMNS": columns, "TTY_COMPATIBLE": "1"}  # drawn as for a terminal
    result = runner.invoke(app, ["--data", str(facts), *command], env=env)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.strip(), "nothing printed"
    expected = {
        ("people",): ["#  NAME", "李强", "Mark Carney"],  # each by its number in the file
        ("people", "mark-carney"): ["mark-carney", "Mark Carney"],
        ("sources",): ["A source"],  # by outlet: this one names none, and goes by its title
        ("sources", "--stories"): ["#  SOURCE", "A source"],
    }
    for text in expected[tuple(command)]:
        assert text in out, f"{text!r} missing or broken in:\n{out}"
    assert max(len(line) for line in out.splitlines()) <= 40


@POSIX
def test_a_non_utf8_terminal_prints_escapes(facts: Path) -> None:
    """LANG=C and PYTHONIOENCODING=ascii on a terminal: exit 0, ASCII only, names as escapes."""
    import pty

    for args in _TERMINAL:
        code, output = _on_a_terminal(pty, ["--data", str(facts), *args])
        assert code == 0, (args, output)
        text = output.decode("ascii")  # raises on any byte that is not ASCII
        assert "Traceback" not in text
        assert "\\u674e\\u5f3a" in text, text
        assert "li-qiang" in text or args == ["people"]  # a table gives numbers, not ids


_TERMINAL = [["people"], ["people", "li-qiang"], ["people", "-f", "csv"], ["people", "-f", "json"]]


def _on_a_terminal(pty: Any, args: list[str]) -> tuple[int, bytes]:
    """Run tradecli with a pseudo-terminal as stdin, stdout and stderr; its code and output."""
    leader, follower = pty.openpty()
    env = _env(LANG="C", LC_ALL="C", PYTHONIOENCODING="ascii", COLUMNS="100")
    process = subprocess.Popen(
        [sys.executable, "-m", "tradecli", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the process has closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=60), output


# --- Huge limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [str(10**30), str(2**63), str(2**63 - 1), str(2**64)])
@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["index", "no index"])
def test_a_huge_limit_works_or_is_a_usage_error(
    runner: CliRunner, facts: Path, limit: str, cache: list[str]
) -> None:
    """`search --limit` beyond any machine integer: every match, or exit 2; never a traceback."""
    args = ["--data", str(facts), *cache, "search", "carney", "--limit", limit, "-f", "csv"]
    for _run in range(2):  # the second run may answer from the index the first one made
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert result.exit_code in (0, 2), result.stderr
        if result.exit_code == 0:
            assert "mark-carney" in result.stdout
        else:
            assert "--limit" in result.stderr
