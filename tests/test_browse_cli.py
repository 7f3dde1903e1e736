"""``tradecli browse`` as a command: its options, its refusal without a terminal, a real run on
a pseudo-terminal (keys in, the fact's id out, the terminal restored), and that no other command
loads Textual."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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

_SCRIPT = shutil.which("tradecli", path=str(Path(sys.executable).parent))
INSTALLED = [_SCRIPT] if _SCRIPT else [sys.executable, "-m", "tradecli"]
"""The installed ``tradecli`` command beside the interpreter, as a user starts it."""


class Terminal:
    """``tradecli`` on a pseudo-terminal: stdin and stderr (where Textual draws) are the
    terminal, stdout a pipe, as in ``$(tradecli browse --print)``."""

    def __init__(
        self, *args: str, data: Path = BUNDLED, code: str | None = None, **env: str
    ) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.before = termios.tcgetattr(self.master)
        env = {**env_without_tradecli(), "TERM": "xterm-256color", **env}
        for name in ("NO_COLOR", "COLUMNS", "LINES"):  # the terminal's own size and colours
            env.pop(name, None)
        self.started = time.monotonic()
        run = INSTALLED if code is None else [sys.executable, "-c", code]
        self.process = subprocess.Popen(
            [*run, "--data", str(data), *args],
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

    def finish(self, seconds: float = 60) -> tuple[int, str]:
        """Wait for the end, reading what is drawn meanwhile (a terminal nobody reads would
        block the program's last writes): the exit code and what was printed on stdout."""
        end = time.monotonic() + seconds
        while self.process.poll() is None and time.monotonic() < end:
            self.read(0.05)
        stdout, _ = self.process.communicate(timeout=10)
        self.read(0.3)
        return self.process.returncode, stdout.decode()

    def settings(self) -> list[Any]:
        """The terminal's line settings (echo, canonical input and the rest)."""
        return termios.tcgetattr(self.master)


Start = Callable[..., Terminal]


@pytest.fixture
def terminal_run() -> Iterator[Start]:
    """Start tradecli on a pseudo-terminal; whatever a test leaves running is ended after it."""
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("pseudo-terminals are POSIX")
    started: list[Terminal] = []

    def start(*args: str, data: Path = BUNDLED, code: str | None = None, **env: str) -> Terminal:
        started.append(Terminal(*args, data=data, code=code, **env))
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


# How it ends: the terminal as it was, whatever ends it.

PRIVATE_MODE = re.compile(rb"\x1b\[\?([0-9;]+)([hl])")
READY = "Sources · article-carney-beijing".encode()
"""Drawn once the first fact is shown: every key now acts on what it shows."""
RESTORED = {"1049": "l", "25": "h", "1000": "l", "1003": "l", "1006": "l", "1015": "l"}
"""Main screen, cursor shown, mouse reports off: the modes q leaves."""


def modes(drawn: bytes) -> dict[str, str]:
    """Each private mode the program set or reset (``ESC [ ? n h`` or ``l``), as it left it."""
    left: dict[str, str] = {}
    for numbers, state in PRIVATE_MODE.findall(drawn):
        for number in numbers.split(b";"):
            left[number.decode()] = state.decode()
    return left


def run_and_end(terminal_run: Start, end: Callable[[Terminal], None]) -> tuple[int, str, Terminal]:
    """Start browse --print, wait until the list is drawn, end it with ``end``."""
    term = terminal_run("browse", "--print")
    term.wait_for(READY)
    end(term)
    code, stdout = term.finish()
    return code, stdout, term


@pytest.fixture(scope="module")
def left_by_q() -> dict[str, str]:
    """The modes a clean exit (q) leaves, from a run of its own."""
    term = Terminal("browse", "--print")
    try:
        term.wait_for(READY)
        term.type("q")
        code, stdout = term.finish()
    finally:
        if term.process.poll() is None:
            term.process.kill()
        os.close(term.master)
    assert (code, stdout) == (0, "article-carney-beijing\n")
    left = modes(term.drawn)
    assert left.items() >= RESTORED.items()
    return left


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_ends_it_with_the_terminal_restored(
    terminal_run: Start, left_by_q: dict[str, str], name: str, code: int
) -> None:
    """kill -TERM, -HUP or -INT: the terminal is left as q leaves it (main screen, cursor
    shown, mouse reports off, echo and line input back), exit 128 + the signal's number, and
    nothing on stdout, --print or not."""
    ended, stdout, term = run_and_end(
        terminal_run, lambda term: term.process.send_signal(getattr(signal, name))
    )
    assert ended == code
    assert stdout == ""
    assert modes(term.drawn) == left_by_q
    assert term.settings() == term.before
    assert b"Traceback" not in term.drawn


def test_ctrl_c_quits_with_130(terminal_run: Start, left_by_q: dict[str, str]) -> None:
    """Ctrl+C leaves at once, as the README says: exit 130, nothing printed, the terminal
    restored; it never answers "press Ctrl+Q to quit"."""
    ended, stdout, term = run_and_end(terminal_run, lambda term: term.type("\x03"))
    assert ended == 130
    assert stdout == ""
    assert modes(term.drawn) == left_by_q
    assert term.settings() == term.before
    assert b"to quit" not in term.drawn


def test_a_hang_up_with_the_terminal_gone_still_ends_it(terminal_run: Start) -> None:
    """The terminal closed, then SIGHUP: browse ends (129) rather than waiting to draw on a
    terminal nobody reads."""
    term = terminal_run("browse")
    term.wait_for(READY)
    os.close(term.master)
    term.process.send_signal(signal.SIGHUP)
    term.process.communicate(timeout=60)
    assert term.process.returncode == 129
    term.master = os.open(os.devnull, os.O_RDONLY)  # for the fixture to close


FAILING = """
import sys
from tradecli.browse.model import Browser

def page(self, fact_id, **_):
    secret_local = "hunter2-local-value"
    assert secret_local
    raise RuntimeError("boom")

Browser.page = page
from tradecli.cli import main
sys.argv = ["tradecli", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("debug", ["", "1"])
def test_a_failure_while_browsing_is_reported_without_local_variables(
    terminal_run: Start, debug: str
) -> None:
    """A bug while browsing: the terminal restored, exit 4, and one line, or with
    TRADECLI_DEBUG=1 the traceback as every command shows it, never Textual's with every
    local variable in it."""
    term = terminal_run("browse", code=FAILING, TRADECLI_DEBUG=debug)
    code, stdout = term.finish()
    assert code == 4
    assert stdout == ""
    assert modes(term.drawn).items() >= RESTORED.items()
    after = term.drawn[term.drawn.rfind(b"\x1b[?1049l") :].decode("utf-8", "replace")
    assert "RuntimeError: boom" in after
    assert "hunter2" not in term.drawn.decode("utf-8", "replace")
    assert ("Traceback (most recent call last)" in after) == bool(debug)
    assert "TRADECLI_DEBUG=1" in after or debug
