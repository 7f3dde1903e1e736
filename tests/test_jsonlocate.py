"""Line and column of an offset, as a message names them: the same whatever text came before."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tradecli.load.jsonlocate import line_column


def counted(text: str, position: int) -> tuple[int, int]:
    """The line and column by counting, as a reader would."""
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


@given(st.text(alphabet="ab\n\r", max_size=60), st.text(alphabet="xy\n", max_size=20))
def test_line_column_counts_lines_and_columns(text: str, other: str) -> None:
    """Every offset of a text, asked in turn with another text between: lines and columns from 1."""
    for position in range(len(text) + 1):
        assert line_column(text, position) == counted(text, position)
        assert line_column(other, min(position, len(other))) == counted(
            other, min(position, len(other))
        )
