"""What ``tradecli browse`` shows, without a screen: kinds, lists, pages, search, the day, the
source filter and citations (``browse.model``), and how they are drawn (``browse.view``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from test_hostile import HOSTILE, RAW_CONTROL, hostile_data, write_json
from tradecli.browse import model
from tradecli.browse.model import Browser
from tradecli.browse.view import (
    SAMPLE,
    Address,
    Lines,
    found_prompt,
    page_view,
    plain,
    reference_prompt,
)
from tradecli.cli import app
from tradecli.errors import NotFoundError, UsageError
from tradecli.facts.kinds import COLLECTIONS, KIND_OF
from tradecli.present.listing import Column
from tradecli.present.lists import detail_listing
from tradecli.query.dates import parse_day
from tradecli.query.search import search_best
from tradecli.store import Store, load
from tradecli.textsafe import visible


def drawn(renderable: Any, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def test_every_kind_lists_its_facts_in_file_order(store: Store) -> None:
    """Each kind's list holds every fact of the kind, once, a row each."""
    browser = Browser(store)
    for collection in COLLECTIONS:
        kinds = browser.kind_list(collection)
        assert sorted(kinds.ids) == sorted(item.id for item in store.items(collection))
        lines = Lines(kinds)
        assert len(lines) == len(store.items(collection))
        assert all(lines.cells(index) for index in range(len(lines)))
    tariffs = browser.kind_list("tariffs")
    assert tariffs.ids == [measure.id for measure in store.items("tariffs")]
    assert tariffs.footer == ("status on 2026-06-30, the newest source's date",)
    assert "EVENT" in [column.name for column in browser.kind_list("events").columns]


def test_counts_are_the_collections_sizes(store: Store) -> None:
    """Each kind's count is its collection's size, as the index counts it."""
    indexed = load(store.path)
    counts = Browser(indexed).counts()
    assert counts == {collection: len(store.items(collection)) for collection in COLLECTIONS}
    filtered = Browser(store, source="cp-moe-reaction").counts()
    assert filtered["tariffs"] == 1
    assert filtered["sources"] == 1


def test_a_long_list_makes_only_the_rows_it_shows() -> None:
    """Rows are made as they are first shown: a list of 100,000 costs its first SAMPLE rows
    (which set the widths) and the lines drawn."""
    made: list[int] = []

    def rows() -> Iterator[tuple[str, str]]:
        for number in range(100_000):
            made.append(number)
            yield (f"id-{number}", f"fact number {number}")

    kinds = model.KindList(
        "statements",
        (Column("ID"), Column("TEXT", flexible=True)),
        rows(),
        [f"id-{number}" for number in range(100_000)],
        ("statement", "statements"),
    )
    lines = Lines(kinds)
    lines.fit(80)
    assert lines.line(3).plain == "fact number 3"  # no ids: a row is opened by choosing it
    assert len(made) == SAMPLE
    lines.line(SAMPLE + 10)
    assert len(made) == SAMPLE + 11


def test_columns_fit_the_width_as_the_tables_do(store: Store) -> None:
    """At 90 columns the least needed columns are left out and named; titles are shortened
    at their end with an ellipsis; no line is wider than the width."""
    lines = Lines(Browser(store).kind_list("tariffs"))
    lines.fit(90)
    assert "SOURCES" in lines.left_out()
    assert lines.header().plain.startswith("MEASURE")  # no ids: a row is opened by choosing it
    shown = [lines.line(index).plain for index in range(len(lines))]
    assert all(len(line) <= 90 for line in shown)
    assert any("…" in line and line.startswith("China's") for line in shown)


def test_a_page_holds_everything_show_gives(store: Store) -> None:
    """Every line of ``show`` is on the page: in its sections, or among its references (the
    sources, with their addresses, and the linked facts), which open the fact they name."""
    browser = Browser(store)
    for fact_id in ("china-canola-seed-duty", "mark-carney", "cp-five-things", "meeting-xi"):
        shown = next(iter(detail_listing(store, fact_id, day=browser.day).details or []))
        page = browser.page(fact_id)
        assert page.detail.fields == shown.fields
        on_page = {line.text for section in page.detail.sections for line in section.lines}
        referred = {ref.text for ref in page.references} | {
            ref.url for ref in page.references if ref.url
        }
        for section in shown.sections:
            for line in section.lines:
                if section.heading == "sources":  # a source named by its title, once
                    assert any((line.url or line.text).startswith(r) for r in referred)
                elif section.heading == "linked":
                    assert line.text in referred
                else:
                    assert line.text in on_page
        assert all(ref.target in store.by_id for ref in page.references)
        headings = [ref.heading for ref in page.references]
        assert headings == sorted(headings, key=["sources", "linked"].index)


def test_a_source_opened_from_a_fact_says_what_it_says_of_it(store: Store) -> None:
    """A source opened from a fact begins with its evidence for that fact (a measure's steps
    too); opened on its own, it does not."""
    browser = Browser(store)
    page = browser.page("farms-com-canola", came_from="china-canola-seed-duty")
    said = page.detail.sections[0]
    assert said.heading == (
        "what it says of China's anti-dumping duty on Canadian canola seed (china-canola-seed-duty)"
    )
    texts = [line.text for line in said.lines]
    assert any(text.startswith("MOFCOM announced on 2025-08-12") for text in texts)
    assert any(text.startswith("2025-08-14  in force at 75.8%") for text in texts)
    plain_page = browser.page("farms-com-canola")
    assert not plain_page.detail.sections[0].heading.startswith("what it says")


def test_parse_day(store: Store) -> None:
    """A day as YYYY-MM-DD or today, as --as-of takes it; else a usage error naming what asked
    for it; the browser's empty answer is the newest source's date."""
    assert parse_day(" 2026-03-02 ") == date(2026, 3, 2)
    with pytest.raises(UsageError, match=r"^--as-of '2026-03' is not a day$"):
        parse_day("2026-03", what="--as-of")
    browser = Browser(store)
    assert browser.set_day("2026-03-02") is None
    assert browser.day == date(2026, 3, 2)
    browser.set_day("")
    assert browser.day == browser.newest
    assert parse_day("Today") == date.today()
    with pytest.raises(UsageError, match="is not a day"):
        parse_day("2026-03")
    with pytest.raises(UsageError):
        parse_day("someday")


def test_the_day_changes_the_state_of_measures(store: Store) -> None:
    """set_day puts measures on the day; the scope says so; an empty answer goes back."""
    browser = Browser(store)
    assert browser.scope() == "as of 2026-06-30 (newest source) · all sources"
    assert browser.set_day("2025-09-01") is None
    assert browser.scope() == "as of 2025-09-01 · all sources"
    fields = dict(browser.page("china-canola-seed-duty").detail.fields)
    assert fields["on 2025-09-01"] == ["in force since 2025-08-14"]
    assert "later changes are unknown" in (browser.set_day("2030-01-01") or "")
    browser.set_day("")
    assert browser.chosen_day is None


def test_the_source_filter_is_the_source_option(store: Store) -> None:
    """filter_sources keeps what --source keeps; an unknown name is NotFoundError; empty
    clears it."""
    browser = Browser(store)
    browser.filter_sources("ap")
    assert browser.scope().endswith("source: ap")
    runner = CliRunner()
    listed = runner.invoke(app, ["tariffs", "--source", "ap", "--as-of", "2026-04-07"])
    ids = [line.split("\t")[0] for line in listed.stdout.splitlines()]
    assert browser.kind_list("tariffs").ids == ids
    with pytest.raises(NotFoundError):
        browser.filter_sources("no-such-outlet")
    browser.filter_sources("")
    assert browser.store is browser.whole


def test_search_finds_what_tradecli_search_finds(store: Store) -> None:
    """Hits in the order and number search_best gives; no words is a usage error."""
    browser = Browser(store)
    total, found = browser.search("canola seed", limit=5)
    expected_total, hits = search_best(store, "canola seed", limit=5)
    assert total == expected_total
    assert [f.fact_id for f in found] == [hit.fact.id for hit in hits]
    assert found[0].kind == KIND_OF[hits[0].collection].NOUN
    with pytest.raises(UsageError):
        browser.search("!!", limit=5)


def test_the_citation_is_what_tradecli_cite_prints(store: Store, runner: CliRunner) -> None:
    """c copies the lines tradecli cite prints."""
    browser = Browser(store)
    for fact_id in ("meeting-xi", "cp-five-things"):
        printed = runner.invoke(app, ["cite", fact_id]).stdout.splitlines()
        assert [visible(line) for line in browser.citation(fact_id)] == printed


def test_drawn_text_is_never_markup_nor_control(tmp_path: Any) -> None:
    """Every way the browser draws fact text keeps markup as written and shows control
    characters as escapes."""
    hostile = load(write_json(tmp_path / "facts.json", hostile_data()), cache=False)
    browser = Browser(hostile)
    assert plain(HOSTILE).plain == visible(HOSTILE)
    for fact_id in ("china-canola-seed-duty", "cp-five-things", "mark-carney"):
        page = browser.page(fact_id)
        text = drawn(page_view(page.detail))
        for reference in page.references:
            text += drawn(reference_prompt(reference))
        assert "[bold]x[/]" in text
        assert "[@click=app.quit]q[/]" in text
        assert "\\x1b[2J" in text
        assert not RAW_CONTROL.search(text)
    _total, found = browser.search("zqhostile", limit=3)
    text = "".join(drawn(found_prompt(hit)) for hit in found)
    assert "[bold]x[/]" in text
    assert not RAW_CONTROL.search(text)
    lines = Lines(browser.kind_list("quotes"))
    lines.fit(2000)
    text = "\n".join(lines.line(index).plain for index in range(len(lines)))
    assert "[bold]x[/]" in text
    assert not RAW_CONTROL.search(text)


URL = "https://lethbridgeherald.com/news/national-news/2026/01/16/saskatchewans-moe-canola?a=1&b=2"


@pytest.mark.parametrize("width", [1, 5, 12, 20, 33, 40, 80, 200])
def test_an_address_wraps_after_its_separators_and_stays_whole(width: int) -> None:
    """An address too long for its pane breaks after a ``/``, ``.``, ``-``, ``?``, ``&`` or
    ``=``, never mid-word unless a word alone is wider than the pane; nothing is lost."""
    lines = Address(URL).lines(width)
    assert "".join(lines) == URL
    assert all(0 < len(line) <= width for line in lines)
    words = {"lethbridgeherald", "national", "saskatchewans", "canola"}
    if width >= max(map(len, words)) + 1:
        assert all(line[-1] in "/.-?&=_#" for line in lines[:-1])
        text = "\n".join(lines)
        assert all(word in text for word in words)


def test_an_address_over_many_lines_is_one_hyperlink_to_the_whole_address() -> None:
    """Each line of a wrapped address links to the whole address, with the one link id that
    tells a terminal the lines are one link."""
    console = Console(file=io.StringIO(), width=24, force_terminal=True, color_system="standard")
    console.print(Address(URL))
    output = console.file.getvalue()  # type: ignore[attr-defined]
    links = re.findall(r"\x1b]8;id=([^;]*);([^\x1b]*)\x1b\\", output)
    assert len(links) >= 4
    assert {target for _id, target in links} == {URL}
    assert len({link_id for link_id, _target in links}) == 1
