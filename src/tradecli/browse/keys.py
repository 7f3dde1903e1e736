"""The browser's keys, declared once: the bindings, the footer, the help screen and the command
palette all come from ``KEYS``; and the signals that end it as q does."""

from __future__ import annotations

from dataclasses import dataclass

from tradecli.errors import ExitCode


@dataclass(frozen=True, slots=True)
class Key:
    """A key of the browser: its binding, how the footer and help name it, and what it does;
    ``anywhere``: in the dialogs too, before any widget's own use of the key; ``leaves``: it
    ends the browser, so it acts even while the window is too small to show anything."""

    keys: str
    action: str
    title: str
    help: str
    shown: str
    footer: bool = True
    anywhere: bool = False
    leaves: bool = False


KEYS = (
    Key("slash", "search", "Search", "Search every fact as you type; Enter opens a hit", "/"),
    Key(
        "backspace,alt+left,b",
        "go_back",
        "Back",
        "Go back to the fact shown before, along the way taken",
        "Backspace, Alt+←, b",
    ),
    Key("a", "as_of", "As of", "Set the day measures show their state for", "a"),
    Key("s", "source", "Source", "Keep only what one source or outlet supports, or all", "s"),
    Key("c", "cite", "Cite", "Copy the citation of the fact shown, as tradecli cite gives it", "c"),
    Key(
        "escape",
        "leave",
        "Up",
        "Go up a level: to the list, then to the kinds",
        "Esc",
        footer=False,
    ),
    Key("question_mark", "help", "Help", "Show the keys and what they do", "?"),
    Key(
        "q",
        "quit",
        "Quit",
        "Leave; with --print, print the id of the fact shown",
        "q",
        leaves=True,
    ),
    Key(
        "ctrl+c",
        "interrupt",
        "Interrupt",
        "Leave at once, from anywhere, printing nothing (exit 130)",
        "Ctrl+C",
        footer=False,
        anywhere=True,
        leaves=True,
    ),
)
PANES = ("list", "detail", "references")
"""The panes of the fact shown, in Tab's order."""
LEAVING = frozenset(name.strip() for key in KEYS if key.leaves for name in key.keys.split(","))
MAIN_SCREEN_ONLY = frozenset(key.action for key in KEYS if not key.anywhere)
SIGNALS = {
    "SIGHUP": ExitCode.HUNG_UP,
    "SIGINT": ExitCode.INTERRUPTED,
    "SIGTERM": ExitCode.TERMINATED,
}
"""The signals that end the browser as q does, the terminal put back, with their exit codes."""
MOVING = (
    ("↑ ↓ PgUp PgDn Home End", "Move in a list"),
    ("Enter", "Kinds: list that kind. List: its sources and links. Sources and links: open one"),
    ("Tab, Shift+Tab", "Go round the list, the fact and its references; Esc: up to the kinds"),
    ("Mouse", "Click to choose, click again (or double-click) to open; the wheel scrolls"),
    ("Ctrl+P", "The command palette: every action by name"),
)
ABOUT = (
    "tradecli browse shows the facts a kind at a time; the fact under the cursor in full, as "
    "tradecli show gives it; and below it, its sources and the facts linked to it, to open."
)
