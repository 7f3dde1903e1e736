"""Renderers and listings, tested without the command line."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tradecli.present import lists as listings
from tradecli.present import measures as measures_listing
from tradecli.present.listing import Column, Detail, Line, Listing, Section, Table, flat
from tradecli.query import events, measures, names
from tradecli.query import search as searching
from tradecli.render import Format, renderer
from tradecli.render.table import plan, shorten
from tradecli.store import Store, load
from tradecli.words import search_terms

MINI = Path(__file__).parent / "fixtures" / "mini.json"
HOSTILE = "\x1b[31mred\x1b[0m [bold]markup[/bold] \u202eevil | pipe\tand a tab"
LONG = " ".join(f"word{index}" for index in range(60))
ADDRESS = "https://example.org/" + "a-very-long-path-segment-" * 6


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def store() -> Store:
    """The small fact file, loaded and validated."""
    return load(MINI)


def sample(columns: int = 3) -> Listing:
    """A listing with a list cell, an empty cell, hostile text and a long text."""
    names = tuple(
        Column(f"COL{index}", flexible=index >= 3, narrowest=10) for index in range(columns)
    )
    row: tuple[Any, ...] = ("first", ["a", "b"], None, HOSTILE, LONG)[:columns]
    row += ("x",) * (columns - len(row))
    detail = Detail(
        "First",
        "first · sample",
        [("text", [HOSTILE]), ("long", [LONG])],
        [Section("sources", [Line("An outlet, 2026-01-16"), Line(ADDRESS, url=ADDRESS)])],
        "first",
        "sample",
    )
    table = Table(("id", "rate_percent", "text"), [("first", 100.0, HOSTILE)])
    return Listing(
        names, [row], [{"id": "first", "text": HOSTILE}], table, [detail], ("thing", "things")
    )


def render(fmt: Format, listing: Listing, stream: io.StringIO | None = None) -> str:
    """What a renderer writes for a listing."""
    out = stream if stream is not None else io.StringIO()
    renderer(fmt)(listing, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", list(Format))
def test_every_format_has_a_renderer(fmt: Format) -> None:
    """Each Format member renders a listing, writing something, and counts one item."""
    stream = io.StringIO()
    assert renderer(fmt)(sample(), stream) == 1
    assert stream.getvalue().strip()


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("whole", [False, True])
def test_no_renderer_lets_control_characters_through(
    fmt: Format, terminal: bool, whole: bool
) -> None:
    """Escape, bidi and tab characters from a fact never reach the output raw, drawn for a
    terminal or not, as lines or in full."""
    listing = sample(5)
    if whole:
        listing = dataclasses.replace(listing, whole=True)
    output = render(fmt, listing, Terminal() if terminal else io.StringIO())
    assert "\x1b" not in output
    assert "\u202e" not in output
    for line in output.splitlines():
        assert line == line.rstrip(), f"trailing whitespace: {line!r}"


def test_flat_joins_lists() -> None:
    """Lists become '; '-joined text and None an empty string."""
    assert flat(["a", "b"]) == "a; b"
    assert flat(None) == ""
    assert flat("x") == "x"


def test_json_is_the_records() -> None:
    """JSON output parses back to the records, with escapes for control characters, and is
    what json.dumps writes for them."""
    listing = sample()
    output = render(Format.JSON, listing)
    assert json.loads(output) == listing.records
    assert "\\u001b" in output
    several = Listing(listing.columns, [], [{"a": 1, "b": [1, 2]}, {"c": {"d": None}}])
    assert render(Format.JSON, several) == json.dumps(several.records, indent=2) + "\n"


def test_json_of_nothing_is_an_empty_array() -> None:
    """An empty result is '[]'."""
    assert json.loads(render(Format.JSON, Listing((Column("A"),), [], []))) == []


def test_json_of_one_item_is_that_object() -> None:
    """The answer of one item (show) is the object itself, as json.dumps writes it."""
    one = dataclasses.replace(sample(), records=[{"id": "first", "list": [1, {"a": None}]}])
    assert render(Format.JSON, dataclasses.replace(one, single=True)) == (
        json.dumps(one.records[0], indent=2) + "\n"  # type: ignore[index]
    )
    assert json.loads(render(Format.JSON, one)) == one.records


@pytest.mark.parametrize("records", [[], [{"id": "a", "n": [1, 2]}, {"id": "b", "x": {"y": None}}]])
def test_json_of_a_listing_with_a_total_says_how_many_there_are(
    records: list[dict[str, Any]],
) -> None:
    """A listing that may be cut (search --limit) is an object with the total, the limit and
    the items, whether or not it was cut: what json.dumps writes for that object."""
    listing = Listing((Column("A"),), [], records, total=5, limit=2)
    expected = {"total": 5, "limit": 2, "items": records}
    assert render(Format.JSON, listing) == json.dumps(expected, indent=2) + "\n"
    every = dataclasses.replace(listing, total=len(records), limit=None)
    assert json.loads(render(Format.JSON, every))["limit"] is None


def test_jsonl_is_a_record_a_line() -> None:
    """JSON Lines: one record a line, each what json.dumps writes for it, terminal-safe, with no
    line break inside a record whatever its text holds; nothing at all for no records."""
    records = [{"id": "a", "text": HOSTILE + "\n\u2028\u0085next"}, {"id": "b", "n": [1.5]}]
    listing = Listing((Column("A"),), [], records, total=9, limit=2)
    output = render(Format.JSONL, listing)
    lines = output.split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == records
    assert lines[1] == json.dumps(records[1])
    for raw in ("\x1b", "\u2028", "\u0085"):
        assert raw not in output
    assert output.splitlines() == lines[:-1]
    assert render(Format.JSONL, Listing((Column("A"),), [], [])) == ""


def test_csv_is_the_table_with_numbers_as_numbers() -> None:
    """CSV writes the listing's table: field names, 100 for 100.0, text made visible."""
    parsed = list(csv.reader(io.StringIO(render(Format.CSV, sample(4)))))
    assert parsed[0] == ["id", "rate_percent", "text"]
    assert parsed[1][:2] == ["first", "100"]
    assert "\\x1b[31mred" in parsed[1][2]
    assert len(parsed) == 2


def test_csv_without_a_table_uses_the_lines() -> None:
    """A listing with no spreadsheet table gives its lines, headers in lower case."""
    listing = Listing((Column("FROM"), Column("TO")), [("a", ["b", "c"])], [])
    assert render(Format.CSV, listing) == "from,to\na,b; c\n"


def test_csv_of_nothing_is_the_header() -> None:
    """An empty CSV still names its columns."""
    assert render(Format.CSV, Listing((Column("A"),), [], [], Table(("a", "b"), []))) == "a,b\n"


def test_markdown_escapes_pipes() -> None:
    """A pipe in a cell does not split the cell."""
    lines = render(Format.MARKDOWN, sample(4)).splitlines()
    assert lines[0] == "| Col0 | Col1 | Col2 | Col3 |"
    assert lines[1] == "|---|---|---|---|"
    assert "evil \\| pipe" in lines[2]
    assert lines[2].count(" | ") == 3
    assert len(lines) == 3


def test_piped_lines_are_tab_separated_whole_and_unpadded() -> None:
    """Off a terminal: one line per row, cells between tabs, nothing shortened, no header."""
    output = render(Format.TABLE, sample(5))
    (line,) = output.splitlines()
    cells = line.split("\t")
    assert cells[:3] == ["first", "a; b", ""]
    assert "[bold]markup[/bold]" in cells[3]
    assert "\\x09and a tab" in cells[3], "a tab in a fact is shown, so it adds no cell"
    assert cells[4] == LONG


def drawn(listing: Listing, width: int, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lines a terminal this wide shows for a listing."""
    monkeypatch.setenv("COLUMNS", str(width))
    stream = Terminal()
    renderer(Format.TABLE)(listing, stream)
    return stream.getvalue().splitlines()


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
def test_the_terminal_table_fits_and_cuts_no_word(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal: a header, a line per row within the width, free text shortened after a
    whole word with an ellipsis; ids whole; a count after."""
    lines = drawn(sample(5), width, monkeypatch)
    assert lines[0].split()[:2] == ["COL0", "COL1"]
    assert lines[1].startswith("first")
    assert all(cell_len(line) <= width for line in lines[:2])
    words = LONG.split()
    for token in lines[1].replace("…", " ").split():
        if token.startswith("word"):
            assert token in words, f"a cut word: {token}"
    assert "1 thing" in lines


def test_plan_leaves_out_columns_by_priority_and_keeps_tokens_whole() -> None:
    """The kept columns (priority 0) stay; the least needed go first, then the ids go beneath
    their rows, then priority 1; kept free text is narrowed (to wrap) only when nothing else
    can go."""
    columns = (
        Column("ID"),
        Column("TITLE", flexible=True, narrowest=10),
        Column("WHEN", priority=1),
        Column("NOTES", priority=2, flexible=True),
    )
    cells = [["an-id", "a title of some length", "2026-01-16", "notes " * 10]]
    assert plan(columns, cells, 200) == ([5, 22, 10, 60], False)
    assert plan(columns, cells, 80) == ([5, 22, 10, 37], False)
    assert plan(columns, cells, 60) == ([5, 22, 10, None], False)
    assert plan(columns, cells, 40) == ([None, 22, 10, None], True)
    assert plan(columns, cells, 20) == ([None, 20, None, None], True)
    assert plan(columns, cells, 10) == ([None, 10, None, None], True)


def test_shorten_keeps_whole_words_from_the_start() -> None:
    """Text is cut after a word, at its end, never in its middle."""
    title = "China's 100% anti-discrimination tariff on Canadian canola oil"
    assert shorten(title, 30, "…") == "China's 100%…"
    assert shorten(title, 80, "…") == title
    assert shorten("unbreakable-" * 5, 10, "…") == "unbreakab…"


def test_details_on_a_terminal_keep_addresses_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fact in full: its labels, sections under headings, and an address on one line."""
    lines = drawn(dataclasses.replace(sample(), whole=True), 40, monkeypatch)
    assert lines[0] == "First"
    assert f"  {ADDRESS}" in lines
    assert "Sources" in lines
    assert all(cell_len(line) <= 40 for line in lines if ADDRESS not in line)


def test_piped_details_are_label_value_lines() -> None:
    """Off a terminal, each line of a fact in full is 'label: value', sections included."""
    listing = dataclasses.replace(sample(), whole=True)
    lines = render(Format.TABLE, listing).splitlines()
    assert lines[:3] == ["name: First", "id: first", "kind: sample"]
    assert f"sources: {ADDRESS}" in lines
    assert f"long: {LONG}" in lines


def test_table_has_no_escape_codes_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal with NO_COLOR set, highlights add no escape codes; without it they do."""
    listing = Listing(
        (Column("NAME", flexible=True),),
        [("Canola seed",)],
        [{}],
        terms=tuple(search_terms("canola")),
    )
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("NO_COLOR", "1")
    quiet = Terminal()
    renderer(Format.TABLE)(listing, quiet)
    assert "\x1b" not in quiet.getvalue()
    monkeypatch.delenv("NO_COLOR")
    styled = Terminal()
    renderer(Format.TABLE)(listing, styled)
    assert "\x1b[7" in styled.getvalue() or "\x1b[1;7" in styled.getvalue()


def test_tariff_listing_never_invents_a_rate(store: Store) -> None:
    """An investigation shows 'no rate' (it has none), never an invented one."""
    found = measures.tariffs(store, product="canola seed")
    listing = measures_listing.tariff_listing(store, found.items, date(2026, 1, 20), newest=True)
    names = listing.names
    by_id = {row[0]: dict(zip(names, row, strict=True)) for row in listing.rows}
    assert by_id["canola-investigation"]["RATE"] == "no rate"
    assert by_id["canola-seed-duty"]["RATE"] == "75.8%"


def test_records_have_the_documented_shape(store: Store) -> None:
    """Each record has id, kind, fields, evidence, the sources it cites with dates, and who
    confirms it."""
    found = measures.tariffs(store, imposer="canada")
    day = date(2026, 1, 20)
    records = list(measures_listing.tariff_listing(store, found.items, day, newest=True).records)
    surtax = next(r for r in records if r["id"] == "canada-ev-surtax")
    assert set(surtax) == {"id", "kind", "fields", "evidence", "sources", "confirmation", "as_of"}
    assert surtax["kind"] == "tariffs"
    assert surtax["fields"]["rate_percent"] == 100
    assert surtax["fields"]["announced"] == "2024-08-26"
    assert {s["id"] for s in surtax["sources"]} == {"article", "nrf-surtax", "ap-ev-deal"}
    assert set(surtax["sources"][0]) == {
        *("id", "title", "outlet", "carried_by", "publisher", "published", "date", "url"),
        *("published_earliest", "published_latest"),
    }
    assert surtax["fields"]["announced_earliest"] == surtax["fields"]["announced_latest"]


def test_detail_listing_shows_evidence_and_links(store: Store) -> None:
    """A fact in full has its set fields by label, its evidence by outlet and the facts linked
    both ways, with their dates."""
    listing = listings.detail_listing(store, "meeting-xi")
    (full,) = listing.details or []
    fields = dict(full.fields)
    assert fields["date"] == ["2026-01-16"]
    (supersedes,) = fields["supersedes"]
    assert supersedes.startswith("Carney to meet President Xi Jinping")
    sections = {section.heading: [line.text for line in section.lines] for section in full.sections}
    assert any("Associated Press" in line for line in sections["evidence"])
    (record,) = listing.records
    directions = {(link["direction"], link["id"]) for link in record["links"]}
    assert ("to", "meeting-xi-scheduled") in directions
    assert ("to", "xi-jinping") in directions


def test_month_dates_are_printed_at_their_precision(store: Store) -> None:
    """A month-only date prints as YYYY-MM in every listing that shows it."""
    meetings = listings.meeting_listing(store, events.meetings(store))
    dates = {row[0]: row[1] for row in meetings.rows}
    assert dates["meeting-executives"] == "2026-01"
    timeline = listings.timeline_listing(store, events.timeline(store))
    assert {"date": "2017-12"}.items() <= next(
        r for r in timeline.records if r["id"] == "trudeau-visit-2017"
    ).items()


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_search_results_never_break_an_id(
    store: Store, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At any width each hit's row starts with its number whole, the number ``show`` reads
    back as that fact: a search is how facts are found."""
    total, hits = searching.search_best(store, "canola", limit=0)
    listing = listings.search_listing(store, hits, search_terms("canola"), total=total, limit=None)
    lines = drawn(listing, width, monkeypatch)
    assert hits
    header = lines[0].split()
    assert "#" in header
    at = header.index("#")
    rows = [line for line in lines[1 : lines.index("")] if not line.startswith(" ")]
    assert len(rows) == len(hits)  # a row's wrapped lines are indented
    for hit, line in zip(hits, rows, strict=True):
        number = line.split()[at]
        assert names.fact(store, number)[1].id == hit.fact.id
    assert all(cell_len(line) <= width for line in lines)


def test_wide_characters_take_two_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chinese text counts two cells a character: columns line up, no line is too wide, and a
    title too long for its column wraps rather than being cut."""
    rows = [
        ("a-id", "中华人民共和国商务部 关于 加拿大 油菜籽 反倾销 调查 的 最终 裁定"),
        ("b", "short"),
    ]
    listing = Listing((Column("ID"), Column("TITLE", flexible=True, narrowest=10)), rows, [{}, {}])
    lines = drawn(listing, 40, monkeypatch)
    table = lines[:3]
    assert all(cell_len(line) <= 40 for line in lines)
    header, wide = table[:2]
    narrow = next(line for line in lines if "short" in line)
    offset = cell_len(header[: header.index("TITLE")])
    assert cell_len(wide[: wide.index("中")]) == offset
    assert cell_len(narrow[: narrow.index("short")]) == offset
    shown = "".join(line.split("a-id")[0].strip() for line in lines[1 : lines.index(narrow)])
    assert "".join(rows[0][1].split()) in "".join(shown.split())  # every character, wrapped


def test_a_terminal_without_utf8_gets_ascii_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal that cannot write UTF-8 our marks are ASCII and other text is escaped,
    so the columns still line up."""
    import codecs

    class Latin(Terminal):
        encoding = "ascii"

    assert codecs.lookup(Latin().encoding).name == "ascii"
    rows = [("a-id", "Carney → Xi … «Québec»", "x")]
    listing = Listing((Column("ID"), Column("WHAT"), Column("Z")), rows, [{}])
    monkeypatch.setenv("COLUMNS", "80")
    stream = Latin()
    renderer(Format.TABLE)(listing, stream)
    output = stream.getvalue()
    assert output.isascii()
    assert "Carney -> Xi ... \\xabQu\\xe9bec\\xbb" in output
