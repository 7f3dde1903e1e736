"""The full-screen browser: kinds, the list of one kind, the fact shown, and what it refers to.

Moving in the list shows each fact; Enter goes to its sources and linked facts, where Enter
opens one; Back returns along the way taken, as in a web browser. Every key is declared once in
``keys.KEYS``, from which the bindings, the footer, the help screen and the command palette come.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tradecli.browse.choice import Choice, Choices
from tradecli.browse.keys import (
    ABOUT,
    KEYS,
    LEAVING,
    MAIN_SCREEN_ONLY,
    MOVING,
    PANES,
    SIGNALS,
)
from tradecli.browse.model import LABELS, Browser, Page, Reference
from tradecli.browse.screens import (
    MODAL_CSS,
    SMALLEST,
    AskScreen,
    HelpScreen,
    SearchScreen,
)
from tradecli.browse.table import FactTable
from tradecli.browse.view import Lines, heading, kind_prompt, page_view, plain, reference_prompt
from tradecli.errors import ExitCode, Stopped
from tradecli.facts.kinds import COLLECTIONS
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType

SEARCH_LIMIT = 50
KINDS_WIDTH = 24


@dataclass(frozen=True, slots=True)
class Visit:
    """A fact shown, and the fact it was opened from (a source then shows what it says of it),
    or the kind whose list it was shown from, under the list's cursor."""

    fact_id: str
    came_from: str | None = None
    listed_in: str | None = None


def titled(widget: Widget, title: str, subtitle: str | None = None) -> None:
    """Set a pane's border title: as Text, since Textual reads a str as markup."""
    widget.border_title = plain(title)
    widget.border_subtitle = plain(subtitle) if subtitle else None


class BrowseApp(App[str | None]):
    """``tradecli browse``: the result is the id of the fact shown when it ends."""

    TITLE = "tradecli browse"
    CSS = (
        MODAL_CSS
        + f"""
    #main {{ height: 1fr; min-width: {SMALLEST.width}; min-height: {SMALLEST.height - 2}; }}
    #kinds {{ width: {KINDS_WIDTH}; height: 1fr; }}
    #right {{ width: 1fr; min-width: {SMALLEST.width - KINDS_WIDTH}; }}
    #too-small {{ display: none; height: 1fr; }}
    App.-too-small {{
        & > * > * {{ display: none; }}  /* what every screen holds, dialogs and palette too */
        #too-small {{ display: block; }}
    }}
"""
        + """
    #list { height: 30%; min-height: 6; border: tall $border-blurred; }
    #list:focus { border: tall $border; }
    #detail { height: 1fr; border: tall $border-blurred; padding: 0 1; }
    #detail:focus { border: tall $border; }
    #references { height: auto; max-height: 28%; }
    #kinds, #list, #detail, #references {
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        &:focus { border-title-color: $text; border-title-style: bold; }
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key.keys, key.action, key.title, show=key.footer, priority=key.anywhere)
        for key in KEYS
    ]

    def __init__(self, browser: Browser, *, delay: float = 0.15) -> None:
        super().__init__()
        self.browser = browser
        self.delay = delay
        self.current: Visit | None = None
        self.history: list[Visit] = []
        self.page: Page | None = None
        self.collection: str | None = None
        self.lines: Lines | None = None
        self.counts: dict[str, int] = {}
        self.failure: BaseException | None = None
        self.stopped: ExitCode | None = None
        self._kept_focus: list[tuple[Screen[Any], Widget | None]] = []
        self._pending: dict[str, tuple[Timer, Callable[[], None]]] = {}

    # Layout

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")
        yield Header(icon="≡")
        with Horizontal(id="main"):
            yield Choices(id="kinds")
            with Vertical(id="right"):
                yield FactTable(id="list")
                with VerticalScroll(id="detail"):
                    yield Static(id="page")
                yield Choices(id="references")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Below the smallest size the panes are drawn in, say so instead, in the space there
        is; the panes keep their smallest size out of sight, and come back as they were."""
        small = width < SMALLEST.width or height < SMALLEST.height
        was_small = self.has_class("-too-small")
        if small and not was_small:
            # Hidden, the focused widgets lose their focus: keep it for their return.
            self._kept_focus = [(screen, screen.focused) for screen in self.screen_stack]
        self.set_class(small, "-too-small")
        if was_small and not small:
            for screen, widget in self._kept_focus:
                if widget is not None and widget.is_attached and widget.screen is screen:
                    screen.set_focus(widget, scroll_visible=False)
            self._kept_focus = []
        if small:
            self.query_one("#too-small", Static).update(
                Text(
                    f"The window is too small ({width}x{height}): make the window larger, "
                    f"at least {SMALLEST.width}x{SMALLEST.height}. Until then keys wait, "
                    "but q leaves."
                )
            )

    async def on_event(self, event: events.Event) -> None:
        # While the window is too small, nothing is shown to act on: a key moving in a list
        # out of sight would find no lines laid out. Only the keys that leave act.
        if (
            isinstance(event, events.Key)
            and self.has_class("-too-small")
            and event.key not in LEAVING
        ):
            return
        await super().on_event(event)

    def on_mount(self) -> None:
        self._fit(*self.size)
        self.sub_title = visible(self.browser.scope())
        titled(self.query_one("#kinds"), "Kinds")
        titled(self.query_one("#detail"), "Fact")
        titled(self.query_one("#references"), "Sources and linked facts", "Enter opens")
        self.show_counts()
        kinds = self.query_one("#kinds", OptionList)
        first = next((c for c in COLLECTIONS if self.counts.get(c)), COLLECTIONS[0])
        with kinds.prevent(OptionList.OptionHighlighted):
            kinds.highlighted = COLLECTIONS.index(first)
        kinds.focus()
        self._loading(first)
        # The screen first, then the list: a kind of a large file takes a moment to list.
        self.call_after_refresh(self.show_kind, first)

    def show_counts(self) -> None:
        """Show each kind with its count."""
        self.counts = self.browser.counts()
        kinds = self.query_one("#kinds", OptionList)
        highlighted = kinds.highlighted
        kinds.set_options(
            Option(kind_prompt(LABELS[c], self.counts.get(c, 0)), id=c) for c in COLLECTIONS
        )
        if highlighted is not None:
            with kinds.prevent(OptionList.OptionHighlighted):
                kinds.highlighted = highlighted

    # Kinds and the list

    @on(OptionList.OptionHighlighted, "#kinds")
    def _kind_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        collection = event.option.id
        if collection is not None and collection != self.collection:
            self._loading(collection)
            self._soon("kind", lambda: self.show_kind(collection))

    @on(OptionList.OptionSelected, "#kinds")
    def _kind_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._cancel("kind")
            self.show_kind(event.option.id)
            self.query_one("#list").focus()

    def _loading(self, collection: str) -> None:
        titled(self.query_one("#list"), f"{LABELS[collection]} · …")

    def show_kind(self, collection: str, *, refresh: bool = False) -> None:
        """List the facts of a kind (again, with ``refresh``, after the day or filter changed)."""
        if collection == self.collection and not refresh:
            return
        table = self.query_one("#list", FactTable)
        at = table.cursor if refresh and collection == self.collection else 0
        self.collection = collection
        self.lines = Lines(self.browser.kind_list(collection))
        kinds = self.lines.kinds
        singular, plural = kinds.noun
        count = len(self.lines)
        subtitle = " · ".join(kinds.footer) or None
        titled(table, f"{LABELS[collection]} · {count:,} {singular if count == 1 else plural}")
        table.border_subtitle = plain(subtitle) if subtitle else None
        if count:
            table.show(self.lines, at=at)
        else:
            table.show(self.lines)
            self._show_nothing(f"No {collection} here.")

    @on(FactTable.Highlighted, "#list")
    def _row_highlighted(self, event: FactTable.Highlighted) -> None:
        if event.lines is not self.lines:
            return  # a line of a list shown before this one
        fact_id = event.fact_id
        if self.current is None or self.current.fact_id != fact_id:
            visit = Visit(fact_id, listed_in=self.collection)
            self._soon("page", lambda: self.go_to(visit))
        else:
            self._cancel("page")

    @on(FactTable.Chosen, "#list")
    def _row_chosen(self, event: FactTable.Chosen) -> None:
        if event.lines is not self.lines:
            return
        self._now("page")
        references = self.query_one("#references", OptionList)
        if self.page is not None and self.page.references:
            references.focus()
        else:
            self.query_one("#detail").focus()

    # The page and its references

    def go_to(self, visit: Visit) -> None:
        """Show a fact, the one shown before kept for Back, whichever pane led here; only
        the cursor moving through one list keeps none of the lines it passed."""
        self._keep(visit)
        self.show_page(visit)

    def _keep(self, visit: Visit | None) -> None:
        """Keep the fact shown for Back, as ``visit`` (None: nothing) replaces it."""
        current = self.current
        if current is None:
            return
        if visit is not None:
            if visit.fact_id == current.fact_id:
                return
            if visit.listed_in is not None and visit.listed_in == current.listed_in:
                return  # the cursor moving on through one list
        self.history.append(current)

    def show_page(self, visit: Visit) -> None:
        """Show a fact in full, with its sources and linked facts to open."""
        self._cancel("page")
        self.current = visit
        page = self.page = self.browser.page(visit.fact_id, came_from=visit.came_from)
        self.query_one("#page", Static).update(page_view(page.detail))
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)
        titled(self.query_one("#detail"), f"{LABELS[page.collection]} · {page.fact_id}")
        lines: list[tuple[RenderableType, Reference | None]] = []
        last = None
        for reference in page.references:
            if reference.heading != last:
                last = reference.heading
                lines.append((heading("Sources" if last == "sources" else "Linked"), None))
            lines.append((reference_prompt(reference), reference))
        if not lines:
            lines.append((Text("No sources or linked facts."), None))
        references = self.query_one("#references", OptionList)
        references.set_options(Choice(prompt, reference, among=page) for prompt, reference in lines)
        references.highlighted = next((i for i, (_, r) in enumerate(lines) if r), None)

    def _show_nothing(self, message: str) -> None:
        self._keep(None)
        self.current = self.page = None
        self.query_one("#page", Static).update(Text(message))
        self.query_one("#references", OptionList).clear_options()

    @on(OptionList.OptionSelected, "#references")
    def _reference_chosen(self, event: OptionList.OptionSelected) -> None:
        option = event.option
        # None for a page no longer shown: keys pressed at once (Enter, then b) went on.
        reference = option.value_in(self.page) if isinstance(option, Choice) else None
        if isinstance(reference, Reference):
            self.open(reference.target)

    def open(self, fact_id: str) -> None:
        """Open a fact from the one shown: Back returns to it."""
        self._now("page")
        came_from = self.current.fact_id if self.current is not None else None
        self.go_to(Visit(fact_id, came_from))
        self._place_cursor(fact_id)

    def _place_cursor(self, fact_id: str) -> None:
        """Put the list's cursor on a fact, when the list holds it."""
        if self.lines is None:
            return
        try:
            index = self.lines.ids.index(fact_id)
        except ValueError:
            return
        self.query_one("#list", FactTable).place(index)

    # Actions (KEYS)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a dialog is open, its keys are its own.
        return action not in MAIN_SCREEN_ONLY or not isinstance(self.screen, ModalScreen)

    def action_go_back(self) -> None:
        """Go back to the fact shown before."""
        self._now("page")
        shown = self.browser.store.by_id
        while self.history and self.history[-1].fact_id not in shown:
            self.history.pop()  # a fact the source filter now leaves out
        if not self.history:
            self.notify("Nothing to go back to.", markup=False)
            return
        visit = self.history.pop()
        self.show_page(visit)
        self._place_cursor(visit.fact_id)

    def action_focus_next(self) -> None:
        """Tab: the next of the panes of the fact shown."""
        self._cycle(1)

    def action_focus_previous(self) -> None:
        """Shift+Tab: the previous of the panes of the fact shown."""
        self._cycle(-1)

    def _cycle(self, step: int) -> None:
        """Go round the list, the fact and its references; the kinds, where a move lists
        another kind, are up a level (Esc), never a Tab away. A dialog's Tab is its own."""
        if isinstance(self.screen, ModalScreen):
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        focused = self.focused.id if self.focused is not None else None
        if focused in PANES:
            chosen = PANES[(PANES.index(focused) + step) % len(PANES)]
        else:
            chosen = PANES[0] if step > 0 else PANES[-1]
        self.query_one(f"#{chosen}").focus()

    def action_leave(self) -> None:
        """Go up a level: from the fact or its references to the list, from the list to the
        kinds."""
        focused = self.focused.id if self.focused is not None else None
        up = {"references": "list", "detail": "list", "list": "kinds"}.get(focused or "")
        if up is not None:
            self.query_one(f"#{up}").focus()

    def action_search(self) -> None:
        """Search every fact as you type."""

        def opened(fact_id: str | None) -> None:
            if fact_id is not None:
                self.open(fact_id)
                self.query_one("#references").focus()

        search = self.browser.search
        self.push_screen(
            SearchScreen(lambda text: search(text, limit=SEARCH_LIMIT), delay=self.delay),
            opened,
        )

    def action_as_of(self) -> None:
        """Ask for the day measures show their state for."""

        def check(text: str) -> str | None:
            note = self.browser.set_day(text)
            self._rescope()
            if note is not None:
                self.notify(visible(note.removeprefix("note: ")), markup=False)
            return None

        shown = str(self.browser.chosen_day) if self.browser.chosen_day else ""
        self.push_screen(
            AskScreen(
                "As of",
                "Show each measure as it stood on a day (YYYY-MM-DD or today); empty for the "
                f"newest source's date ({self.browser.newest or 'none'}).",
                value=shown,
                placeholder="YYYY-MM-DD",
                check=check,
            )
        )

    def action_source(self) -> None:
        """Ask for the source whose facts alone are shown."""

        def check(text: str) -> str | None:
            self.browser.filter_sources(text)
            self._rescope()
            return None

        self.push_screen(
            AskScreen(
                "Source",
                "Only what one source supports: a source id, or an outlet's name, start or "
                "initials (ap, canadian press); empty for every source.",
                value=self.browser.source or "",
                placeholder="ID or outlet",
                check=check,
            )
        )

    def _rescope(self) -> None:
        """Show the list, the counts and the fact again for a new day or source filter."""
        self._now("page")
        self.sub_title = visible(self.browser.scope())
        self.show_counts()
        if self.collection is not None:
            self.show_kind(self.collection, refresh=True)
        if self.current is not None and self.current.fact_id in self.browser.store.by_id:
            self.show_page(self.current)

    def action_cite(self) -> None:
        """Copy the citation of the fact shown."""
        self._now("page")
        if self.current is None:
            self.notify("No fact is shown.", markup=False)
            return
        lines = [visible(line) for line in self.browser.citation(self.current.fact_id)]
        if not lines:
            self.notify(f"{visible(self.current.fact_id)} cites no source.", markup=False)
            return
        text = "\n".join(lines)
        self.copy_to_clipboard(text)
        self.notify(text, title="Citation copied", markup=False, timeout=10)

    def action_help(self) -> None:
        """Show what each key does."""
        keys = [(key.shown, key.help) for key in KEYS] + list(MOVING)
        self.push_screen(HelpScreen(keys, about=ABOUT))

    async def action_quit(self) -> None:
        """Leave, with the id of the fact shown as the result."""
        self.exit(self.selected())

    def action_interrupt(self) -> None:
        """Leave at once, with no result: Ctrl+C."""
        self.stop(ExitCode.INTERRUPTED)

    def stop(self, code: ExitCode) -> None:
        """End as q does, the terminal put back, but with no result and ``code``: Ctrl+C or
        a signal."""
        self.stopped = code
        self.exit(None, return_code=int(code))

    def selected(self) -> str | None:
        """The fact shown; in the list, the one under the cursor, even if keys pressed at
        once have moved it faster than the fact shown could follow."""
        table = self.query_one("#list", FactTable)
        if self.focused is table and table.lines is not None and table.count:
            return table.lines.ids[table.cursor]
        return self.current.fact_id if self.current is not None else None

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: every action of ``KEYS``, then Textual's own."""
        for key in KEYS:
            yield SystemCommand(key.title, f"{key.help} ({key.shown})", self._runs(key.action))
        yield from super().get_system_commands(screen)

    def _runs(self, action: str) -> Callable[[], Any]:
        return lambda: self.run_action(action)

    # Timing and failures

    def _soon(self, name: str, callback: Callable[[], None]) -> None:
        """Run ``callback`` once keys stop for a moment (at once when ``delay`` is 0): held
        down, an arrow key moves the cursor at the keyboard's pace, and the fact under it is
        shown where it stops."""
        self._cancel(name)
        if self.delay <= 0:
            callback()
            return

        def run() -> None:
            self._pending.pop(name, None)
            callback()

        self._pending[name] = (self.set_timer(self.delay, run), callback)

    def _cancel(self, name: str) -> None:
        pending = self._pending.pop(name, None)
        if pending is not None:
            pending[0].stop()

    def _now(self, name: str) -> None:
        """Run at once what ``_soon`` is waiting to run, if anything."""
        pending = self._pending.pop(name, None)
        if pending is not None:
            pending[0].stop()
            pending[1]()

    def _handle_exception(self, error: Exception) -> None:
        """End on an unexpected error as every command does: the caller reports it
        (``failure``) in one line, or with TRADECLI_DEBUG=1 as a traceback without local
        variables; never with Textual's, which shows every local variable."""
        self.failure = error
        super()._handle_exception(error)
        self._exit_renderables.clear()


def run(browser: Browser) -> str | None:
    """Run the browser on the terminal; the id of the fact shown when it ends.

    A domain error met while browsing (a file that changed and no longer reads) ends it and is
    raised here, as is any other error, for the command line to report. Ctrl+C and the
    ``SIGNALS`` end it as q does, the terminal put back as it was, and raise ``Stopped``.
    """
    app = BrowseApp(browser)

    async def session() -> str | None:
        loop = asyncio.get_running_loop()
        handled = []
        for name, code in SIGNALS.items():
            number = getattr(signal, name, None)
            if number is not None:
                with contextlib.suppress(NotImplementedError):  # no such signals on Windows
                    loop.add_signal_handler(number, app.stop, code)
                    handled.append(number)
        try:
            return await app.run_async()
        finally:
            for number in handled:
                loop.remove_signal_handler(number)

    with _stdout_on_the_terminal():
        result = asyncio.run(session())
    if app.failure is not None:
        raise app.failure
    if app.stopped is not None:
        raise Stopped(app.stopped)
    return result


@contextlib.contextmanager
def _stdout_on_the_terminal() -> Iterator[None]:
    """With stdout piped (``$(tradecli browse --print)``), lend it the terminal while the
    screen is up: Textual draws on stderr but takes the screen's size from stdout, and would
    otherwise draw 80x25 whatever the terminal's size, and not follow it when it changes."""
    if sys.stdout.isatty() or not sys.stderr.isatty():
        yield
        return
    sys.stdout.flush()
    kept = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(kept, 1)
        os.close(kept)


__all__ = ["KEYS", "BrowseApp", "run"]
