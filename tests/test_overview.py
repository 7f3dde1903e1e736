"""Overview first: each listing is a line per item on a terminal, plain lines when piped.

The terminal runs are real: tradecli runs on a pseudo-terminal of 60, 80, 120 and 200 columns
(its size set on the terminal, as a window sets it), and what it writes is read back. What each
line must hold (a measure's name, a meeting's title) is read from data/facts.json.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import BUNDLED, env_without_tradecli

RAW: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))
IDS = {item["id"] for name, items in RAW.items() if isinstance(items, list) for item in items}
WIDTHS = [60, 80, 120, 200]
LISTINGS = [
    ["tariffs"],
    ["meetings"],
    ["quote", "carney"],
    ["people"],
    ["companies"],
    ["timeline"],
    ["search", "canola", "oil"],
    ["sources"],
    ["conflicts"],
    ["statements"],
]
SGR = re.compile("\x1b\\[[0-9;]*m|\x1b\\]8;[^\x1b]*\x1b\\\\")
ADDRESS = re.compile(r"https?://\S+")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def on_terminal(args: list[str], columns: int, *, color: bool = False) -> str:
    """What tradecli writes to a pseudo-terminal this many columns wide (escape codes removed)."""
    env = env_without_tradecli()
    for name in ("COLUMNS", "LINES", "NO_COLOR", "TERM", "_TYPER_FORCE_DISABLE_TERMINAL"):
        env.pop(name, None)
    env["TERM"] = "xterm-256color"
    if not color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "tradecli", *args],
        stdin=follower,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            process.kill()
            raise AssertionError(f"tradecli {' '.join(args)} wrote nothing for 30 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the follower closed: the program ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=30) == 0
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return SGR.sub("", text)


def piped(args: list[str]) -> str:
    """What tradecli writes to a pipe."""
    result = subprocess.run(
        [sys.executable, "-m", "tradecli", *args],
        capture_output=True,
        text=True,
        env=env_without_tradecli(),
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def drawn() -> dict[tuple[str, int], str]:
    """Every listing at every width, drawn once for the module."""
    return {
        (" ".join(args), width): on_terminal(args, width) for args in LISTINGS for width in WIDTHS
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", LISTINGS, ids=[" ".join(a) for a in LISTINGS])
def test_a_listing_is_a_line_per_item_within_the_width(
    drawn: dict[tuple[str, int], str], args: list[str], width: int
) -> None:
    """A header, one line per item no wider than the terminal, no trailing space, a count;
    every id shown is whole (a real id of the file)."""
    lines = drawn[(" ".join(args), width)].splitlines()
    count_line = next(line for line in lines if re.fullmatch(r"\d+ [a-z]+", line))
    count = int(count_line.split()[0])
    table = lines[: lines.index("")]
    assert len(table) == count + 1, "a header and a line per item"
    assert table[0] == table[0].upper(), "the header is the column names"
    for line in lines:
        assert line == line.rstrip(), f"trailing space: {line!r}"
    for line in table:
        assert cell_len(line) <= width, line
    for line in table[1:]:
        for word in line.split():
            if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", word) and word not in IDS:
                assert not any(known.startswith(word) for known in IDS), f"a cut id: {word}"


@pytest.mark.parametrize("width", WIDTHS)
def test_each_measure_line_holds_its_name(drawn: dict[tuple[str, int], str], width: int) -> None:
    """Each line of `tariffs` holds the measure's name: its first and last words at least."""
    lines = drawn[("tariffs", width)].splitlines()[1 : len(RAW["tariffs"]) + 1]
    for measure, line in zip(RAW["tariffs"], lines, strict=True):
        words = measure["title"].split()
        assert words[0] in line, (measure["title"], line)
        assert words[-1] in line or "…" not in line.split(words[0], 1)[1], (measure["title"], line)


def test_the_done_when_line_counts_at_120_columns(drawn: dict[tuple[str, int], str]) -> None:
    """At 120 columns: tariffs in 25 lines, meetings in 15, quote carney in 15."""
    for args, most in (("tariffs", 25), ("meetings", 15), ("quote carney", 15)):
        lines = drawn[(args, 120)].splitlines()
        assert len(lines) <= most, f"{args}: {len(lines)} lines"


@pytest.mark.parametrize("width", [80, 120])
def test_all_the_measures_fit_a_45_line_screen(
    drawn: dict[tuple[str, int], str], width: int
) -> None:
    """The measures, with the count and hints, fit one 45-line screen at 80 and 120 columns."""
    assert len(drawn[("tariffs", width)].splitlines()) <= 45


@pytest.mark.parametrize("args", LISTINGS, ids=[" ".join(a) for a in LISTINGS])
def test_piped_a_listing_is_plain_lines(args: list[str]) -> None:
    """Piped: no header, no box drawing, no padding, no trailing space, one line per item
    (as many as the JSON has records), the first cell an id or a date."""
    output = piped(args)
    records = json.loads(piped([*args, "-f", "json"]))
    lines = output.splitlines()
    assert len(lines) == len(records)
    assert not re.search("[─│┃━┌┐└┘├┤]", output)
    for line in lines:
        assert line == line.rstrip()
        assert "  " not in line.replace("\t", "|"), f"padding: {line!r}"


def test_piped_lines_hold_the_full_text() -> None:
    """Nothing is shortened when piped: each measure's title is whole on its line."""
    lines = piped(["tariffs"]).splitlines()
    for measure, line in zip(RAW["tariffs"], lines, strict=True):
        assert line.split("\t")[:2] == [measure["id"], measure["title"]]


@pytest.mark.parametrize("width", WIDTHS)
def test_show_keeps_every_address_whole_on_a_line_of_its_own(width: int) -> None:
    """Each address of a fact's sources is on one line, whole, nothing else beside it."""
    measure = next(m for m in RAW["tariffs"] if m["id"] == "china-adt-canola-meal")
    cited = {e["source"] for e in measure["evidence"]}
    cited |= {e["source"] for step in measure["lifecycle"] for e in step["evidence"]}
    urls = {s["url"] for s in RAW["sources"] if s["id"] in cited and s.get("url")}
    assert urls
    lines = on_terminal(["show", measure["id"]], width).splitlines()
    assert {line.strip() for line in lines if ADDRESS.search(line)} == urls
    for line in lines:
        assert line == line.rstrip()


def test_show_marks_an_expected_step_as_expected() -> None:
    """In a measure's history an expected step says so; the confirmed one does not."""
    lines = on_terminal(["show", "china-adt-canola-meal"], 200).splitlines()
    history = lines[lines.index("History") + 1 :]
    steps = [line.strip() for line in history[: history.index("")]]
    assert any(step.startswith("2026-03  suspended (expected)") for step in steps), steps
    assert any(step.startswith("2026-03-01  suspended until 2026-12-31:") for step in steps)


def test_an_address_is_a_hyperlink_on_a_colour_terminal() -> None:
    """Where the terminal shows colour, an address is also a terminal hyperlink (OSC 8)."""
    env = env_without_tradecli()
    for name in ("NO_COLOR", "COLUMNS"):
        env.pop(name, None)
    env.update({"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1", "COLUMNS": "100", "TERM": "xterm"})
    output = subprocess.run(
        [sys.executable, "-m", "tradecli", "show", "ap-ev-deal"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    url = next(s["url"] for s in RAW["sources"] if s["id"] == "ap-ev-deal")
    assert f";{url}\x1b\\" in output
