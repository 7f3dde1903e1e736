"""Draw the README's pictures, docs/images/*.svg, with tradecli itself from the bundled data.

    python scripts/images.py            # draw every picture again into docs/images/
    python scripts/images.py --check    # exit 1 naming each picture the program no longer draws
    python scripts/images.py --out DIR  # draw them into DIR

A command's picture is what ``tradecli COMMAND --export-svg`` saves, run at a fixed width in a
clean environment (colour on, no cache, data/facts.json). browse.svg is Textual's screenshot of
``tradecli browse`` at 120x40, run headless, after the keys a reader presses to reach the fact it
shows (counted from the data, so a fact added before it moves no key). The same program, data
and Textual release draw the same bytes: the ids in an SVG are a checksum of what it draws.
tests/test_images.py runs ``--check``, so a picture that no longer matches the program fails.

It needs tradecli importable (installed, or ``src`` on ``PYTHONPATH``), and for browse.svg the
Textual release the test extra pins (pyproject.toml), since a screen's drawing moves between
releases.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
DATA = ROOT / "data" / "facts.json"


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture of a command: its file name, the command's arguments, the terminal's width."""

    name: str
    args: tuple[str, ...]
    width: int = 120


PICTURES = (
    Picture("tariffs.svg", ("tariffs",)),
    Picture("meetings.svg", ("meetings",)),
    # A record is made as wide as its longest address, which stands whole on its line.
    Picture("show.svg", ("show", "china-adt-canola-meal"), 100),
    Picture(
        "timeline.svg", ("timeline", "--since", "2026-01", "--until", "2026-01", "--long"), 100
    ),
)

# browse.svg: the tariffs listed, this one in full, the cursor on its first source.
BROWSE = "browse.svg"
BROWSE_SIZE = (120, 40)
BROWSE_KIND = "tariffs"
BROWSE_FACT = "china-canola-seed-duty"

NAMES = (*(picture.name for picture in PICTURES), BROWSE)


def environment(width: int) -> dict[str, str]:
    """A clean environment for a drawing: nothing of the caller's terminal, colour, or data."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "TERM": "xterm-256color",
        "COLUMNS": str(width),
        "LINES": "40",
    }


def draw_command(picture: Picture, folder: Path) -> None:
    """Save the command's picture in ``folder`` with ``tradecli ... --export-svg``."""
    path = folder / picture.name
    args = ["--no-cache", "--data", str(DATA), *picture.args, "--export-svg", str(path)]
    done = subprocess.run(
        [sys.executable, "-m", "tradecli", *args],
        env=environment(picture.width),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"tradecli {' '.join(args)}: exit {done.returncode}\n{done.stderr}")


async def _screenshot() -> str:
    """tradecli browse after a reader's keys: the kind listed, the fact in full."""
    from tradecli.browse.app import BrowseApp
    from tradecli.browse.model import Browser
    from tradecli.facts.kinds import COLLECTIONS
    from tradecli.store import load

    browser = Browser(load(DATA, cache=False))
    counts = browser.counts()
    first = next(c for c in COLLECTIONS if counts.get(c))  # the kind highlighted at the start
    kind = COLLECTIONS.index(BROWSE_KIND) - COLLECTIONS.index(first)
    row = browser.kind_list(BROWSE_KIND).ids.index(BROWSE_FACT)
    app = BrowseApp(browser, delay=0)
    async with app.run_test(size=BROWSE_SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * kind, "enter", *["down"] * row, "enter")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        return app.export_screenshot()


def draw_browse(folder: Path) -> None:
    """Save browse.svg in ``folder``."""
    for name in [name for name in os.environ if name.startswith("TEXTUAL")] + ["NO_COLOR"]:
        os.environ.pop(name, None)  # colour on, Textual's defaults
    (folder / BROWSE).write_text(asyncio.run(_screenshot()), encoding="utf-8")


def draw(folder: Path) -> None:
    """Draw every picture into ``folder``."""
    for picture in PICTURES:
        draw_command(picture, folder)
    draw_browse(folder)


def differing(folder: Path) -> list[str]:
    """The pictures of ``folder`` that differ from docs/images/ (or are missing from either)."""
    return [
        name
        for name in NAMES
        if not (IMAGES / name).is_file()
        or (IMAGES / name).read_bytes() != (folder / name).read_bytes()
    ]


def main(argv: list[str] | None = None) -> int:
    """Draw the pictures; with --check, say which no longer match and exit 1."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare with docs/images/")
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder to draw into")
    options = parser.parse_args(argv)
    if not options.check:
        options.out.mkdir(parents=True, exist_ok=True)
        draw(options.out)
        print(f"{len(NAMES)} pictures drawn in {options.out}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        draw(Path(scratch))
        stale = differing(Path(scratch))
    for name in stale:
        print(f"docs/images/{name} is not what the program draws now", file=sys.stderr)
    if stale:
        print(
            "draw them again with 'python scripts/images.py', look at them, and commit them",
            file=sys.stderr,
        )
        return 1
    print(f"{len(NAMES)} pictures match the program", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
