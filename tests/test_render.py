"""Renderers and listings, tested without the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text

from conftest import assert_drawn_alike
from tradecli import words as wording
from tradecli.present import rows as listings
from tradecli.present.listing import Listing, flat
from tradecli.query import events, measures
from tradecli.query import search as searching
from tradecli.render import Format, renderer
from tradecli.render.table import cell_text
from tradecli.store import Store, load
from tradecli.words import search_terms

MINI = Path(__file__).parent / "fixtures" / "mini.json"
HOSTILE = "\x1b[31mred\x1b[0m [bold]markup[/bold] \u202eevil | pipe"
LONG = " ".join(f"word{index}" for index in range(60))


@pytest.fixture(scope="module")
def store() -> Store:
    """The small fact file, loaded and validated."""
    return load(MINI)


def sample(columns: int = 3) -> Listing:
    """A listing with a list cell, an empty cell and hostile text."""
    names = tuple(f"col{index}" for index in range(columns))
    row: tuple[Any, ...] = ("first", ["a", "b"], None, HOSTILE, LONG)[:columns]
    row += ("x",) * (columns - len(row))
    return Listing(names, [row], [{"id": "first", "text": HOSTILE}])


def render(fmt: Format, listing: Listing) -> str:
    """What a renderer writes for a listing."""
    stream = io.StringIO()
    renderer(fmt)(listing, stream)
    return stream.getvalue()


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_renderer(fmt: Format) -> None:
    """Each Format member renders a listing, writing something."""
    assert render(fmt, sample()).strip()


@pytest.mark.parametrize("fmt", list(Format))
def test_no_renderer_lets_control_characters_through(fmt: Format) -> None:
    """Escape and bidi characters from a fact never reach the output raw."""
    output = render(fmt, sample(4))
    assert "\x1b" not in output
    assert "\u202e" not in output


def test_flat_joins_lists() -> None:
    """Lists become '; '-joined text and None an empty string."""
    assert flat(["a", "b"]) == "a; b"
    assert flat(None) == ""
    assert flat("x") == "x"


def test_json_is_the_records() -> None:
    """JSON output parses back to the records, with escapes for control characters."""
    listing = sample()
    output = render(Format.JSON, listing)
    assert json.loads(output) == listing.records
    assert "\\u001b" in output


def test_json_of_nothing_is_an_empty_array() -> None:
    """An empty result is '[]'."""
    assert json.loads(render(Format.JSON, Listing(("a",), [], []))) == []


def test_csv_carries_the_rows_flattened() -> None:
    """CSV has a header and one row per listing row, lists joined with '; '."""
    listing = sample(4)
    parsed = list(csv.reader(io.StringIO(render(Format.CSV, listing))))
    assert parsed[0] == list(listing.columns)
    assert parsed[1][:3] == ["first", "a; b", ""]
    assert "\\x1b[31mred" in parsed[1][3]
    assert len(parsed) == 2


def test_csv_of_nothing_is_the_header() -> None:
    """An empty CSV still names its columns."""
    assert render(Format.CSV, Listing(("a", "b"), [], [])) == "a,b\n"


def test_markdown_escapes_pipes() -> None:
    """A pipe in a cell does not split the cell."""
    lines = render(Format.MARKDOWN, sample(4)).splitlines()
    assert lines[0] == "| col0 | col1 | col2 | col3 |"
    assert lines[1] == "|---|---|---|---|"
    assert "evil \\| pipe" in lines[2]
    assert lines[2].count(" | ") == 3
    assert len(lines) == 3


def test_table_prints_markup_literally_and_cuts_nothing() -> None:
    """Square brackets are text, not markup; long text wraps within 80 columns, nothing lost."""
    output = render(Format.TABLE, sample(5))
    assert "[bold]markup[/bold]" in output
    assert all(len(line) <= 80 for line in output.splitlines())
    assert "…" not in output
    words = output.split()
    assert all(f"word{index}" in words for index in range(60))


def test_wide_listings_become_one_table_per_row() -> None:
    """Up to five columns is a grid with a header; more is a field/value table per row."""
    grid = render(Format.TABLE, sample(5))
    assert grid.splitlines()[1].split()[:2] == ["col0", "col1"]
    wide = render(Format.TABLE, sample(7))
    field_lines = [line for line in wide.splitlines() if "col6" in line]
    assert field_lines
    assert "x" in field_lines[0]
    assert "col2" not in wide  # the empty cell is left out


def test_table_has_no_escape_codes_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a terminal with NO_COLOR set, highlights add no escape codes; without it they do."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    listing = Listing(("name",), [("Canola seed",)], [{}], tuple(search_terms("canola")))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("NO_COLOR", "1")
    quiet = Terminal()
    renderer(Format.TABLE)(listing, quiet)
    assert "\x1b" not in quiet.getvalue()
    monkeypatch.delenv("NO_COLOR")
    styled = Terminal()
    renderer(Format.TABLE)(listing, styled)
    assert "\x1b[" in styled.getvalue()


def test_highlight_spans_cover_matched_words() -> None:
    """Every word a search term matches is styled, accents ignored; others are not."""
    text = cell_text("Tariffs on Québec canola; tar", terms=tuple(search_terms("tariff quebec")))
    styled = {text.plain[span.start : span.end] for span in text.spans}
    assert styled == {"Tariffs", "Québec"}


def test_tariff_listing_never_invents_a_rate(store: Store) -> None:
    """A measure without a rate shows 'not given'; dates keep their precision."""
    found = measures.tariffs(store, product="canola seed")
    listing = listings.tariff_listing(store, found)
    by_id = {row[0]: dict(zip(listing.columns, row, strict=True)) for row in listing.rows}
    assert by_id["canola-investigation"]["rate"] == "not given"
    assert by_id["canola-investigation"]["dates"] == ["announced 2024-09"]
    assert by_id["canola-seed-duty"]["rate"] == "75.8%"


def test_records_have_the_documented_shape(store: Store) -> None:
    """Each record has id, kind, fields, evidence and the sources it cites."""
    found = measures.tariffs(store, imposer="canada")
    records = listings.tariff_listing(store, found).records
    surtax = next(r for r in records if r["id"] == "canada-ev-surtax")
    assert set(surtax) == {"id", "kind", "fields", "evidence", "sources"}
    assert surtax["kind"] == "tariffs"
    assert surtax["fields"]["rate_percent"] == 100
    assert surtax["fields"]["announced"] == "2024-08-26"
    assert {s["id"] for s in surtax["sources"]} == {"article", "nrf-surtax", "ap-ev-deal"}
    assert set(surtax["sources"][0]) == {"id", "title", "outlet", "url"}


def test_detail_listing_shows_evidence_and_links(store: Store) -> None:
    """A fact in full has every set field, its evidence and the facts linked both ways."""
    listing = listings.detail_listing(store, "meeting-xi")
    fields = {row[0]: row[1] for row in listing.rows}
    assert fields["date"] == "2026-01-16"
    assert fields["supersedes"] == "meeting-xi-scheduled"
    assert any("ap-ev-deal" in line for line in fields["evidence"] or [])
    record = listing.records[0]
    directions = {(link["direction"], link["id"]) for link in record["links"]}
    assert ("to", "meeting-xi-scheduled") in directions
    assert ("to", "xi-jinping") in directions


def test_month_dates_are_printed_at_their_precision(store: Store) -> None:
    """A month-only date prints as YYYY-MM in every listing that shows it."""
    meetings = listings.meeting_listing(store, events.meetings(store))
    dates = {row[0]: row[1] for row in meetings.rows}
    assert dates["meeting-executives"] == "2026-01"
    timeline = listings.timeline_listing(events.timeline(store))
    assert {"date": "2017-12"}.items() <= next(
        r for r in timeline.records if r["id"] == "trudeau-visit-2017"
    ).items()


CARD_TEXTS = [
    ("id", "canada-ev-surtax"),
    ("title", "A title long enough to wrap at most widths, with words of every length"),
    ("quote", '"From energy to agriculture" \u6731\u9555\u57fa [bold]not markup[/bold]'),
    ("url", "https://example.org/" + "a-very-long-path-segment-" * 6),
    ("lines", "first line\nsecond line\n\nafter a blank line"),
    ("x", "short"),
]


@pytest.mark.parametrize("width", [16, 24, 30, 40, 57, 80, 101, 160])
@pytest.mark.parametrize("color", [False, True])
def test_a_card_draws_what_rich_draws(width: int, color: bool) -> None:
    """Card, the fast path, gives the text of the Rich Table it replaces, at any width."""
    from tradecli.render.table import Card, card_table, card_widths

    rows = [
        (Text(name), cell_text(value, terms=search_terms("wrap energy")))
        for name, value in CARD_TEXTS
    ]
    widths = card_widths(rows, width)
    if widths is None:
        assert width < 2 * max(len(name) for name, _v in CARD_TEXTS) + 7
        return
    assert_drawn_alike(Card(rows, widths), card_table(rows), width=width, color=color)


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_search_results_never_break_an_id(store: Store, width: int) -> None:
    """At any width every id shows whole: a grid when ids fit beside the text, else cards."""
    from rich.console import Console

    from tradecli.render.table import draw

    hits = searching.search(store, "canola") or searching.search(store, "carney")
    listing = listings.search_listing(store, hits, wording.search_terms("canola carney"))
    console = Console(file=io.StringIO(), width=width, color_system=None)
    draw(listing, console)
    drawn: str = console.file.getvalue()  # type: ignore[attr-defined]
    words = set(drawn.split())
    assert hits
    assert all(hit.fact.id in words for hit in hits)
    grid = any(line.split()[:2] == ["score", "id"] for line in drawn.splitlines())
    if width in (40, 160):
        assert grid == (width == 160), "a grid where ids fit beside the text, else cards"
