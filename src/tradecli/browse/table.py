"""The list of a kind's facts: one line per fact under a header, drawn only where it is seen.

A Line API widget (``ScrollView.render_line``): it draws the lines on the screen and nothing
else, so a list of 100,000 facts opens as fast as one of ten. Textual's ``DataTable`` and
``OptionList`` measure every row first.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tradecli.browse.view import Lines


class FactTable(ScrollView, can_focus=True):
    """A kind's facts, a line each; the cursor's line is the fact shown in the detail."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=True),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"fact-table--cursor", "fact-table--header"}
    DEFAULT_CSS = """
    FactTable {
        overflow-x: hidden;
        & > .fact-table--header { text-style: bold; }
        & > .fact-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .fact-table--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    class _AtLine(Message):
        """Something happened on one line of the table: ``index`` of ``lines``, the list shown
        when it happened, which the table may have replaced by the time this is handled."""

        def __init__(self, table: FactTable, lines: Lines, index: int) -> None:
            super().__init__()
            self.table = table
            self.lines = lines
            self.index = index

        @property
        def fact_id(self) -> str:
            """The fact on that line."""
            return self.lines.ids[self.index]

        @property
        def control(self) -> FactTable:
            """The table, for ``@on`` selectors."""
            return self.table

    class Highlighted(_AtLine):
        """The cursor moved to a fact."""

    class Chosen(_AtLine):
        """A fact was chosen: Enter on it, or a click on the cursor's line."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: Lines | None = None

    def show(self, lines: Lines, *, at: int = 0) -> None:
        """List these lines, the cursor on line ``at``."""
        self.lines = lines
        self.scroll_to(y=0, animate=False, immediate=True)
        self.virtual_size = Size(self.size.width, len(lines) + 1)
        self.set_reactive(FactTable.cursor, min(max(at, 0), max(len(lines) - 1, 0)))
        self._keep_cursor_in_view()
        self.refresh()
        if len(lines):
            self.post_message(self.Highlighted(self, lines, self.cursor))

    def place(self, index: int) -> None:
        """Put the cursor on a line without announcing it (going back to a fact shown before)."""
        self.set_reactive(FactTable.cursor, index)
        self._keep_cursor_in_view()
        self.refresh()

    @property
    def count(self) -> int:
        """How many facts are listed."""
        return len(self.lines) if self.lines is not None else 0

    def validate_cursor(self, cursor: int) -> int:
        return min(max(cursor, 0), max(self.count - 1, 0))

    def watch_cursor(self, cursor: int) -> None:
        self._keep_cursor_in_view()
        self.refresh()
        if self.lines is not None and self.count:
            self.post_message(self.Highlighted(self, self.lines, cursor))

    def _page_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _keep_cursor_in_view(self) -> None:
        top = round(self.scroll_y)
        height = self._page_height()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * self._page_height()

    def action_move_to(self, index: int) -> None:
        self.cursor = index if index >= 0 else self.count - 1

    def action_choose(self) -> None:
        if self.lines is not None and self.count:
            self.post_message(self.Chosen(self, self.lines, self.cursor))

    def _on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.count + 1)
        self._keep_cursor_in_view()

    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if not isinstance(row, int) or self.lines is None or not 0 <= row < self.count:
            return
        if row == self.cursor or event.chain > 1:
            self.cursor = row
            self.post_message(self.Chosen(self, self.lines, row))
        else:
            self.cursor = row

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        lines = self.lines
        if lines is None or not len(lines):
            return Strip.blank(width, base)
        lines.fit(width)
        if y == 0:
            style = self.get_component_rich_style("fact-table--header")
            return self._strip(lines.header(), width, base + style)
        index = round(self.scroll_y) + y - 1
        if index >= len(lines):
            return Strip.blank(width, base)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("fact-table--cursor")
        return self._strip(lines.line(index), width, style).apply_meta({"row": index})

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = [
            Segment(segment.text, style + segment.style if segment.style else style)
            for segment in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, style)
