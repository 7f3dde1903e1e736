"""The browser's lists of options: what each option stands for, and keys that find no lines.

A message about an option (chosen, highlighted) is handled after the keys pressed before it: by
then the list may show another page. A ``Choice`` names its value itself, never a position, and
says which list it belongs to, so a message about a list no longer shown is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual.widgets import OptionList
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from rich.console import RenderableType

T = TypeVar("T")


class Choice(Option, Generic[T]):
    """An option standing for ``value`` (None: a heading, shown but not chosen), in the list
    made for ``among``."""

    def __init__(self, prompt: RenderableType, value: T | None, *, among: object) -> None:
        super().__init__(prompt, disabled=value is None)
        self.value = value
        self.among = among

    def value_in(self, among: object) -> T | None:
        """The value, if this option belongs to the list made for ``among``; else None."""
        return self.value if self.among is among else None


class Choices(OptionList):
    """An option list whose page keys wait until it has lines to page through.

    Textual lays a list's lines out only once it has room on screen. A page key reaching it
    before then (the window just grown back from too small, options just set, keys pressed at
    once) would look up a line that is not there (Textual's ``KeyError``); it does nothing.
    """

    # Textual leaves these two unannotated.
    def action_page_up(self) -> None:
        if self.scrollable_content_region:
            super().action_page_up()  # type: ignore[no-untyped-call]

    def action_page_down(self) -> None:
        if self.scrollable_content_region:
            super().action_page_down()  # type: ignore[no-untyped-call]
