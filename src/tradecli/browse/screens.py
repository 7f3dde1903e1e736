"""The browser's dialogs: search as you type, a question with a checked answer, and help."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, TypeVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from tradecli.browse.choice import Choice, Choices
from tradecli.browse.model import Found
from tradecli.browse.view import found_prompt, plain
from tradecli.errors import TradecliError
from tradecli.render.console import MIN_WIDTH

SMALLEST = Size(MIN_WIDTH, 14)
"""The smallest screen the browser draws its panes in, as wide as every command draws at least.
Below it, the screen says to make the window larger; the panes and dialogs keep this size
where they are out of sight, so that no list is ever laid out too narrow to draw a letter."""

MODAL_CSS = f"""
ModalScreen {{ align: center top; background: $background 60%; }}
ModalScreen > Vertical {{
    width: 90%; max-width: 110; min-width: {SMALLEST.width - 4}; height: auto; max-height: 90%;
    margin-top: 2; padding: 0 1; border: thick $accent; background: $surface;
}}
ModalScreen .message {{ color: $text-muted; margin: 0 1; }}
ModalScreen .problem {{ color: $text-error; margin: 0 1; }}
SearchScreen OptionList {{ height: auto; max-height: 28; }}
"""


def problem_text(error: TradecliError) -> Text:
    """A domain error as the command line words it, with its hint."""
    message = error.message if error.hint is None else f"{error.message}; {error.hint}"
    return plain(message)


T = TypeVar("T")


class Dialog(ModalScreen[T]):
    """A dialog over the browser, dismissed once. Keys pressed at once (Enter, Enter; Enter,
    Esc) may ask again once it is gone or going: Textual would then pop the screen beneath,
    the browser itself, and pass the answer on twice. Those are dropped."""

    _dismissed = False

    def dismiss(self, result: T | None = None) -> AwaitComplete:
        if self._dismissed or self.app.screen is not self:
            return AwaitComplete()  # done at once: nothing to wait for
        self._dismissed = True
        return super().dismiss(result)


class SearchScreen(Dialog[str | None]):
    """Search every fact as you type; Enter opens the best hit, or the one chosen below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", show=True),
        Binding("down", "hits", "Hits", show=False),
    ]

    def __init__(
        self, search: Callable[[str], tuple[int, list[Found]]], *, text: str = "", delay: float
    ) -> None:
        super().__init__()
        self._search = search
        self._text = text
        self._delay = delay
        self._timer: Timer | None = None
        self.found: list[Found] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text("Search every fact")
            yield Input(
                self._text,
                placeholder='words, "a phrase", word* (Enter opens the best; ↓ the list)',
                id="words",
            )
            yield Static(Text("Type words to look for."), id="count", classes="message")
            yield Choices(id="hits")

    def on_mount(self) -> None:
        if self._text:
            self.run_search()

    @on(Input.Changed, "#words")
    def _typed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._delay <= 0:
            self.run_search()
        else:
            self._timer = self.set_timer(self._delay, self.run_search)

    def run_search(self) -> None:
        """Search for what is typed, and list the best hits."""
        text = self.query_one("#words", Input).value
        count = self.query_one("#count", Static)
        hits = self.query_one("#hits", OptionList)
        if not text.strip():
            self.found = []
            hits.clear_options()
            count.update(Text("Type words to look for."))
            return
        try:
            total, self.found = self._search(text)
        except TradecliError as error:
            self.found = []
            hits.clear_options()
            count.update(problem_text(error))
            return
        hits.set_options(
            Choice(found_prompt(found), found, among=self.found) for found in self.found
        )
        if total == 0:
            count.update(Text("Nothing matches."))
        elif total > len(self.found):
            count.update(Text(f"The best {len(self.found)} of {total:,} matches."))
        else:
            count.update(Text(f"{total:,} {'match' if total == 1 else 'matches'}."))
        if self.found:
            hits.highlighted = 0

    @on(Input.Submitted, "#words")
    def _open_best(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self.run_search()
        if self.found:
            self.dismiss(self.found[0].fact_id)

    @on(OptionList.OptionSelected, "#hits")
    def _open_chosen(self, event: OptionList.OptionSelected) -> None:
        option = event.option
        # None for a hit of an earlier search: the words changed since it was chosen.
        found = option.value_in(self.found) if isinstance(option, Choice) else None
        if isinstance(found, Found):
            self.dismiss(found.fact_id)

    def action_hits(self) -> None:
        if self.found:
            self.query_one("#hits", OptionList).focus()


class AskScreen(Dialog[str | None]):
    """A question with one line of answer, checked before the dialog closes.

    ``check`` applies the answer and returns None, or returns what is wrong with it (or raises
    a domain error), which is shown while the dialog stays open.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", show=True),
    ]

    def __init__(
        self,
        title: str,
        question: str,
        *,
        value: str,
        placeholder: str,
        check: Callable[[str], str | None],
    ) -> None:
        super().__init__()
        self._title = title
        self._question = question
        self._value = value
        self._placeholder = placeholder
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Text(self._title)
            yield Static(Text(self._question), classes="message")
            yield Input(plain(self._value).plain, placeholder=self._placeholder, id="answer")
            yield Static(Text(""), id="problem", classes="problem")

    @on(Input.Submitted, "#answer")
    def _answer(self, event: Input.Submitted) -> None:
        problem: Text | None
        try:
            wrong = self._check(event.value)
            problem = plain(wrong) if wrong is not None else None
        except TradecliError as error:
            problem = problem_text(error)
        if problem is not None:
            self.query_one("#problem", Static).update(problem)
            return
        self.dismiss(event.value)


class HelpScreen(Dialog[None]):
    """What each key does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss(None)", "Close", show=True),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]], *, about: str) -> None:
        super().__init__()
        self._keys = keys
        self._about = about

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        for keys, what in self._keys:
            table.add_row(Text(keys), Text(what))
        with Vertical() as box:
            box.border_title = Text("Keys")
            yield Static(Text(self._about + "\n"), classes="message")
            yield Static(table, id="keys")
