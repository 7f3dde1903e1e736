"""Overview first: each listing is an entry per item on a terminal, plain lines when piped.

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
ORDER = [item["id"] for name, items in RAW.items() if isinstance(items, list) for item in items]
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
def test_a_listing_is_an_entry_per_item_within_the_width(
    drawn: dict[tuple[str, int], str], args: list[str], width: int
) -> None:
    """A header, then an entry per item (a line, and more where its kept text wraps: only the
    first starts at the margin), no line wider than the terminal, no trailing space, a count;
    every id shown is whole (a real id of the file), and so is every number."""
    lines = drawn[(" ".join(args), width)].splitlines()
    count_line = next(line for line in lines if re.fullmatch(r"\d+ [a-z ]+", line))
    count = int(count_line.split()[0])
    table = lines[: lines.index("")]
    assert table[0] == table[0].upper(), "the header is the column names"
    starts = [line for line in table[1:] if not line.startswith(" ")]
    assert len(starts) == count, "an entry per item, each starting at the margin"
    for line in lines:
        assert line == line.rstrip(), f"trailing space: {line!r}"
    for line in table:
        assert cell_len(line) <= width, line
    for line in table[1:]:
        for word in line.split():
            if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", word) and word not in IDS:
                assert not any(known.startswith(word) for known in IDS), f"a cut id: {word}"
    if table[0].startswith("#"):
        numbers = [int(line.split()[0]) for line in starts]
        assert all(1 <= number <= len(ORDER) for number in numbers), numbers


def entries(drawn: str, column: str) -> list[str]:
    """The text of one column in each entry of a drawn table, its wrapped lines joined with
    spaces (a line may also have been broken after a hyphen)."""
    lines = drawn.splitlines()
    table = lines[: lines.index("")]
    starts = [match.start() for match in re.finditer(r"(?:^|(?<=  ))\S", table[0])]
    begin = table[0].index(column)
    end = next((start for start in starts if start > begin), None)
    found: list[str] = []
    for line in table[1:]:
        piece = line[begin:end].strip()
        if not line.startswith(" "):
            found.append(piece)
        elif piece:
            found[-1] += " " + piece
    return found


def squeezed(text: str) -> str:
    """Text without its spaces: the same whatever the lines it was wrapped on."""
    return "".join(text.split())


@pytest.mark.parametrize("width", WIDTHS)
def test_each_measure_keeps_its_whole_name(drawn: dict[tuple[str, int], str], width: int) -> None:
    """Each measure's entry holds its whole name, wrapped and never cut, in file order."""
    titles = entries(drawn[("tariffs", width)], "MEASURE")
    assert [squeezed(t) for t in titles] == [squeezed(m["title"]) for m in RAW["tariffs"]]


def test_quotes_keep_who_when_and_the_words(drawn: dict[tuple[str, int], str]) -> None:
    """quote carney at 80 columns: who, when and each whole quote, each entry led by its
    number."""
    text = drawn[("quote carney", 80)]
    mine = [q for q in RAW["quotes"] if q.get("speaker") == "mark-carney"]
    quotes = entries(text, "QUOTE")
    assert [squeezed(q) for q in quotes] == [squeezed(f"“{q['text']}”") for q in mine]
    assert entries(text, "SPEAKER") == ["Mark Carney"] * len(mine)
    lines = text.splitlines()
    starts = [line for line in lines[1 : lines.index("")] if line[:1].isdigit()]
    for line, quote in zip(starts, mine, strict=True):
        assert quote["date"] in line, line


def test_the_line_counts_at_120_columns(drawn: dict[tuple[str, int], str]) -> None:
    """At 120 columns tariffs and meetings fit a 45-line screen, no measure over three lines; a
    meeting with six participants, named whole, and a quote, kept whole, may take more."""
    for args, longest in (("tariffs", 3), ("meetings", 6), ("quote carney", 8)):
        lines = drawn[(args, 120)].splitlines()
        assert len(lines) <= 45, f"{args}: {len(lines)} lines"
        table = lines[: lines.index("")]
        run = 0
        for line in table[1:]:
            run = run + 1 if line.startswith(" ") else 1
            assert run <= longest, f"{args}: an entry of more than {longest} lines"


@pytest.mark.parametrize("args", LISTINGS, ids=[" ".join(a) for a in LISTINGS])
def test_piped_a_listing_is_plain_lines(args: list[str]) -> None:
    """Piped: no header, no box drawing, no padding, no trailing space, one line per item
    (as many as the JSON has records), the first cell an id or a date."""
    output = piped(args)
    records = piped([*args, "-f", "jsonl"]).splitlines()
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
