"""``tradecli browse`` at any terminal size, from 1x1 up, and through any resize.

Below the smallest size the panes are drawn in (``SMALLEST``), the screen says to make the
window larger, in the space it has; the panes wait out of sight and come back as they were.
Nothing raises at any size, with the browser or any of its dialogs open. Each size from 1x1 to
40x10 is a start of its own (those the issue named in the quick run, the rest with
``pytest -m slow``); the resizes go through every size with each screen open.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from test_browse import screen_text
from tradecli.browse.app import BrowseApp
from tradecli.browse.model import Browser
from tradecli.browse.screens import SMALLEST
from tradecli.store import Store

NAMED = [(20, 5), (24, 6), (25, 5), (20, 5), (15, 5), (10, 3)]
"""Sizes the issue named: started at or resized to, each ended in ValueError."""
QUICK = {(1, 1), (20, 5)}
"""The sizes a plain ``pytest`` starts at; ``pytest -m slow`` starts at every other."""
SIZES = [
    pytest.param(width, height, marks=() if (width, height) in QUICK else pytest.mark.slow)
    for width in range(1, 41)
    for height in range(1, 11)
]
TOO_SMALL = "make the window larger"

Scenario = Callable[[Pilot[Any], BrowseApp], Awaitable[None]]


def run_at(store: Store, size: tuple[int, int], scenario: Scenario) -> BrowseApp:
    """Run the browser headless at a size through ``scenario``; return the app."""
    app = BrowseApp(Browser(store), delay=0)

    async def session() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot, app)

    asyncio.run(session())
    return app


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_started_at_any_size_it_says_to_make_the_window_larger(
    store: Store, width: int, height: int
) -> None:
    """Started at a size too small for the panes: the screen says so in the space it has,
    keys still work, and q leaves with exit 0."""
    assert width < SMALLEST.width or height < SMALLEST.height

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        text = screen_text(app)
        first = text.splitlines()[0].strip()
        assert first
        assert "The window is too small".startswith(first) or first.startswith("The window")
        if width * height >= 150:
            assert TOO_SMALL in " ".join(text.split())
        await pilot.press("down", "enter", "tab", "enter", "b", "escape")
        assert app.is_running
        await pilot.press("q")

    app = run_at(store, (width, height), scenario)
    assert app.failure is None
    assert app.return_code == 0


def test_started_small_resized_small_and_back_it_runs_on(store: Store) -> None:
    """Done when: started at 20x5, resized to 10x3, 25x5, then 120x40: the panes are back as
    they were, keys work, and q leaves with exit 0."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        assert TOO_SMALL in " ".join(screen_text(app).split())
        for size in ((10, 3), (25, 5)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.is_running
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        text = screen_text(app)
        assert TOO_SMALL not in text
        assert "Kinds" in text
        assert app.focused is app.query_one("#kinds")
        await pilot.press("down")
        assert app.collection == "people"
        assert re.search(r"People · \d+ people", screen_text(app))
        await pilot.press("q")

    app = run_at(store, (20, 5), scenario)
    assert app.failure is None
    assert app.return_code == 0


def test_the_smallest_size_shows_every_pane(store: Store) -> None:
    """At SMALLEST the panes are drawn, one row or column less and the screen says to make
    the window larger."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        text = screen_text(app)
        assert TOO_SMALL not in text
        for title in ("Kinds", "Sources", "Enter ope"):
            assert title in text
        for size in ((SMALLEST.width - 1, SMALLEST.height), (SMALLEST.width, SMALLEST.height - 1)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert TOO_SMALL in " ".join(screen_text(app).split())

    run_at(store, (SMALLEST.width, SMALLEST.height), scenario)


OPENING = {
    "the panes": (),
    "a fact's references": ("down", "enter", "enter", "enter"),
    "search": ("slash", "c", "a", "n"),
    "help": ("question_mark",),
    "as of": ("a", "2"),
    "the command palette": ("ctrl+p", "x"),
}


def walk(sizes: list[tuple[int, int]], keys: tuple[str, ...]) -> Scenario:
    """Open a screen with ``keys``, then resize through ``sizes`` and back to 120x40."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await pilot.press(*keys)
        screen = app.screen
        for size in [*sizes, (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.is_running, size
        assert app.screen is screen
        assert TOO_SMALL not in screen_text(app)

    return scenario


@pytest.mark.parametrize(
    "opened",
    [
        opened
        if opened in ("the panes", "search", "the command palette")
        else pytest.param(opened, marks=pytest.mark.slow)
        for opened in OPENING
    ],
)
def test_resized_through_the_named_sizes_with_any_screen_open(store: Store, opened: str) -> None:
    """With the panes, a dialog or the command palette open, resized through the sizes that
    raised, to 1x1, and back: nothing raises and the same screen is shown."""
    sizes = [(25, 5), (1, 1), (SMALLEST.width, SMALLEST.height), (10, 3)]
    if opened == "the panes":
        sizes = [*NAMED, *sizes]
    app = run_at(store, (120, 40), walk(sizes, OPENING[opened]))
    assert app.failure is None


@pytest.mark.slow
@pytest.mark.parametrize("opened", list(OPENING))
def test_resized_through_every_size_with_any_screen_open(store: Store, opened: str) -> None:
    """Every size from 1x1 to the smallest the panes are drawn in, one resize after another."""
    sizes = [
        (width, height)
        for width in range(1, SMALLEST.width + 2)
        for height in range(1, SMALLEST.height + 2)
    ]
    app = run_at(store, (120, 40), walk(sizes, OPENING[opened]))
    assert app.failure is None


def test_keys_wait_while_the_window_is_too_small(store: Store) -> None:
    """Nothing is shown to act on while the window is too small: the keys that move, open or
    go back do nothing (a list out of sight has no lines to page through), and the browser
    comes back as it was; Ctrl+C still leaves."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await pilot.press("down", "enter", "enter")
        assert app.current is not None
        shown, focused, history = app.current, app.focused, list(app.history)
        await pilot.resize_terminal(10, 3)
        await pilot.pause()
        await pilot.press("pagedown", "pageup", "end", "enter", "b", "tab", "slash", "x")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert (app.current, app.focused, app.history) == (shown, focused, history)
        await pilot.resize_terminal(10, 3)
        await pilot.pause()
        await pilot.press("ctrl+c")

    app = run_at(store, (120, 40), scenario)
    assert app.failure is None
    assert app.return_code == 130
