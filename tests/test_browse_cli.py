"""``tradecli browse`` as a command: its options, its refusal without a terminal, a real run on
a pseudo-terminal (keys in, the fact's id out, the terminal restored), and that no other command
loads Textual."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, ROOT, env_without_tradecli
from tradecli.browse.app import KEYS
from tradecli.cli import app

DOWN, ENTER, BACKSPACE = "\x1b[B", "\r", "\x7f"


def test_browse_refuses_to_run_without_a_terminal(runner: CliRunner) -> None:
    """Piped, browse says it needs a terminal (exit 2) and writes nothing to stdout."""
    result = runner.invoke(app, ["browse"], prog_name="tradecli")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "browse needs a terminal" in result.stderr


def test_a_malformed_as_of_day_is_a_usage_error(runner: CliRunner) -> None:
    """--as-of takes a day, as tariffs --as-of does."""
    result = runner.invoke(app, ["browse", "--as-of", "2026-13"], prog_name="tradecli")
    assert result.exit_code == 2
    assert "--as-of '2026-13'" in result.stderr


def test_help_names_the_keys_and_the_shared_options(runner: CliRunner) -> None:
    """--help lists --as-of, --print and the --source and --certainty every listing takes,
    and none of the output options that a full-screen program has no use for."""
    result = runner.invoke(app, ["browse", "--help"], prog_name="tradecli")
    assert result.exit_code == 0
    for option in ("--as-of", "--print", "--source", "--certainty"):
        assert option in result.stdout
    for option in ("--format", "--long", "--export-svg"):
        assert option not in result.stdout
    assert "/ search" in result.stdout


def test_the_readme_names_every_key() -> None:
    """The README's Browse section has a row for every key of the browser."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Browse\n", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    for key in KEYS:
        assert any(
            row.startswith(f"| {key.shown} ") or row.startswith(f"| {key.shown},") for row in rows
        ), key.shown
    assert "docs/images/browse.svg" in section
    assert (ROOT / "docs" / "images" / "browse.svg").is_file()


@pytest.mark.parametrize(
    "args", [["tariffs"], ["search", "canola"], ["show", "meeting-xi"], ["--help"]]
)
def test_other_commands_never_import_textual(args: list[str]) -> None:
    """Textual is imported by browse alone: the other commands start as fast as before."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tradecli", *args],
        capture_output=True,
        text=True,
        env=env_without_tradecli(),
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = [line for line in result.stderr.splitlines() if "textual" in line.lower()]
    assert imported == []


# A real run on a pseudo-terminal of 120 columns and 40 rows.


class Terminal:
    """``tradecli`` on a pseudo-terminal: stdin and stderr (where Textual draws) are the
    terminal, stdout a pipe, as in ``$(tradecli browse --print)``."""

    def __init__(self, *args: str, data: Path = BUNDLED) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**env_without_tradecli(), "TERM": "xterm-256color"}
        for name in ("NO_COLOR", "COLUMNS", "LINES"):  # the terminal's own size and colours
            env.pop(name, None)
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tradecli", "--data", str(data), *args],
            stdin=slave,
            stderr=slave,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.drawn = b""

    def read(self, seconds: float) -> None:
        """Read what is drawn for a while."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program ended and closed the terminal
                return
            if not chunk:
                return
            self.drawn += chunk

    def wait_for(self, text: bytes, seconds: float = 20) -> float:
        """Read until ``text`` is drawn; how long it took since the start."""
        end = time.monotonic() + seconds
        while text not in self.drawn and time.monotonic() < end:
            self.read(0.05)
        assert text in self.drawn, self.drawn[-2000:]
        return time.monotonic() - self.started

    def type(self, *keys: str) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            self.read(0.08)

    def finish(self) -> tuple[int, str]:
        """Wait for the end: the exit code and what was printed on stdout."""
        stdout, _ = self.process.communicate(timeout=30)
        self.read(0.3)
        return self.process.returncode, stdout.decode()


Start = Callable[..., Terminal]


@pytest.fixture
def terminal_run() -> Iterator[Start]:
    """Start tradecli on a pseudo-terminal; whatever a test leaves running is ended after it."""
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("pseudo-terminals are POSIX")
    started: list[Terminal] = []

    def start(*args: str, data: Path = BUNDLED) -> Terminal:
        started.append(Terminal(*args, data=data))
        return started[-1]

    yield start
    for term in started:
        if term.process.poll() is None:
            term.process.kill()
            term.process.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(term.master)


def test_done_when_on_a_real_terminal(terminal_run: Start) -> None:
    """In a 120x40 terminal, with the keyboard alone: to the canola seed measure, to one of
    its sources and what it says, back; q leaves with exit 0, the fact's id on stdout and the
    terminal restored (main screen back, cursor shown, mouse reports off)."""
    term = terminal_run("browse", "--print")
    term.wait_for(b"Kinds")
    term.type(*[DOWN] * 5, ENTER)
    term.wait_for(b"18 measures")
    term.type(*[DOWN] * 9)
    term.wait_for(b"china-canola-seed-duty")
    term.type(ENTER, DOWN, ENTER)
    term.wait_for(b"What it says of China's anti-dumping duty")
    term.type(BACKSPACE)
    term.read(0.5)
    term.type("q")
    code, stdout = term.finish()
    assert code == 0
    assert stdout == "china-canola-seed-duty\n"
    tail = term.drawn[-300:]
    assert b"\x1b[?1049l" in tail  # the alternate screen left
    assert b"\x1b[?25h" in tail  # the cursor shown again
    assert b"\x1b[?1000l" in term.drawn  # mouse reports turned off


def test_an_unknown_source_ends_before_the_screen_opens(terminal_run: Start) -> None:
    """--source that names nothing is reported as everywhere, exit 1, no screen drawn."""
    term = terminal_run("browse", "--source", "no-such-outlet")
    code, stdout = term.finish()
    assert code == 1
    assert stdout == ""
    assert b"no source or outlet matches 'no-such-outlet'" in term.drawn
    assert b"\x1b[?1049h" not in term.drawn
