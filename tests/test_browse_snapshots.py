"""Snapshots of ``tradecli browse``'s main screens at 120x40, in colour.

A snapshot is an SVG of the screen, kept in ``__snapshots__``; a change to what a screen shows
fails here until the new picture is looked at and accepted with ``pytest --snapshot-update``.
Drawings move between Textual releases, so the test extra pins Textual (pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tradecli.browse.app import BrowseApp
from tradecli.browse.model import Browser
from tradecli.store import Store

SIZE = (120, 40)
Compare = Callable[..., bool]


@pytest.fixture(autouse=True)
def in_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots in colour: the suite otherwise sets NO_COLOR."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def browser_app(store: Store) -> BrowseApp:
    return BrowseApp(Browser(store), delay=0)


def pressing(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Press keys, then stop the text cursor blinking, which would move the picture."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


def test_start(snap_compare: Compare, store: Store) -> None:
    """The kinds with their counts, the sources, the first in full."""
    assert snap_compare(browser_app(store), terminal_size=SIZE)


def test_a_measure_in_full(snap_compare: Compare, store: Store) -> None:
    """The tariffs listed, the canola seed duty in full, its sources to open."""
    keys = ["down"] * 5 + ["enter"] + ["down"] * 9 + ["enter"]
    assert snap_compare(browser_app(store), run_before=pressing(*keys), terminal_size=SIZE)


def test_a_source_opened_from_a_measure(snap_compare: Compare, store: Store) -> None:
    """The source, beginning with what it says of the measure it was opened from."""
    keys = ["down"] * 5 + ["enter"] + ["down"] * 10 + ["enter", "enter"]
    assert snap_compare(browser_app(store), run_before=pressing(*keys), terminal_size=SIZE)


def test_search(snap_compare: Compare, store: Store) -> None:
    """Search as you type: the best hits for "canola seed"."""
    keys = ["slash", *"canola seed"]
    assert snap_compare(browser_app(store), run_before=pressing(*keys), terminal_size=SIZE)


def test_help(snap_compare: Compare, store: Store) -> None:
    """The help screen: every key."""
    assert snap_compare(
        browser_app(store), run_before=pressing("question_mark"), terminal_size=SIZE
    )


def test_as_of_dialog(snap_compare: Compare, store: Store) -> None:
    """The as-of question, with a wrong answer explained."""
    keys = ["a", *"2026-02-30", "enter"]
    assert snap_compare(browser_app(store), run_before=pressing(*keys), terminal_size=SIZE)
