"""An option of a list that carries what it stands for, and the list it was shown in.

A message about an option (chosen, highlighted) is handled after the keys pressed before it: by
then the list may show another page. A ``Choice`` names its value itself, never a position, and
says which list it belongs to, so a message about a list no longer shown is dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

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
