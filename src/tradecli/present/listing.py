"""A listing: what a command shows, as named columns and cells for people and records for JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradecli.words import Term

Cell = str | list[str] | None


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows to show: named columns and cells for tables, CSV and Markdown; records for JSON.

    A list cell is one line per item in a table, and items joined with "; " in CSV and Markdown.
    ``terms`` are normalised search words that a table highlights.
    """

    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    records: list[dict[str, Any]]
    terms: tuple[Term, ...] = ()


def flat(cell: Cell) -> str:
    """A cell as one line of text: list items joined with "; ", nothing as an empty string."""
    if cell is None:
        return ""
    if isinstance(cell, list):
        return "; ".join(cell)
    return cell
