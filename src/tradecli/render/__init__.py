"""Rendering: a listing of rows, written to a stream in one of the output formats.

Each format has its own module (table, json, csv, markdown) with ``render(listing, stream)``.
Nothing here imports Rich, so the command line starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TextIO, assert_never

Cell = str | list[str] | None


class Format(StrEnum):
    """The output formats of every query command."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


@dataclass(frozen=True, slots=True)
class Listing:
    """Rows to show: named columns and cells for tables, CSV and Markdown; records for JSON.

    A list cell is one line per item in a table, and items joined with "; " in CSV and Markdown.
    ``terms`` are normalised search words that a table highlights.
    """

    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    records: list[dict[str, Any]]
    terms: tuple[str, ...] = ()


Renderer = Callable[[Listing, TextIO], None]


def flat(cell: Cell) -> str:
    """A cell as one line of text: list items joined with "; ", nothing as an empty string."""
    if cell is None:
        return ""
    if isinstance(cell, list):
        return "; ".join(cell)
    return cell


def renderer(fmt: Format) -> Renderer:
    """The function that writes a listing in ``fmt``."""
    match fmt:
        case Format.TABLE:
            from tradecli.render import table

            return table.render
        case Format.JSON:
            from tradecli.render import json

            return json.render
        case Format.CSV:
            from tradecli.render import csv

            return csv.render
        case Format.MARKDOWN:
            from tradecli.render import markdown

            return markdown.render
        case _:
            assert_never(fmt)
