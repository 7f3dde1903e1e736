"""Rendering: a listing of rows, written to a stream in one of the output formats.

Each format has its own module (table, json, jsonl, csv, markdown) with ``render(listing, stream)``,
which returns how many items it wrote.
Nothing here imports Rich, so the command line starts fast.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TextIO, assert_never

from tradecli.present.listing import Listing


class Format(StrEnum):
    """The output formats of every query command."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MARKDOWN = "markdown"


Renderer = Callable[[Listing, TextIO], int]
"""Writes a listing to a stream and returns how many items it wrote."""


def renderer(fmt: Format) -> Renderer:
    """The function that writes a listing in ``fmt``."""
    match fmt:
        case Format.TABLE:
            from tradecli.render import table

            return table.render
        case Format.JSON:
            from tradecli.render import json

            return json.render
        case Format.JSONL:
            from tradecli.render import jsonl

            return jsonl.render
        case Format.CSV:
            from tradecli.render import csv

            return csv.render
        case Format.MARKDOWN:
            from tradecli.render import markdown

            return markdown.render
        case _:
            assert_never(fmt)
