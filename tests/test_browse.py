"""``tradecli browse`` driven headless, as a user would drive it: keys, clicks, dialogs.

Each test runs the app with Textual's ``run_test`` at 120x40 and presses keys with ``Pilot``;
the assertions read the app's state and the text on the screen. ``delay=0`` answers at once
what waits for keys to stop in use (a kind's list, search as you type).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from conftest import BUNDLED
from test_hostile import HOSTILE, MARKUP, RAW_CONTROL, hostile_data, write_json
from tradecli.browse.app import KEYS, BrowseApp
from tradecli.browse.choice import Choice
from tradecli.browse.model import LABELS, Browser, Reference
from tradecli.browse.table import FactTable
from tradecli.facts.kinds import COLLECTIONS
from tradecli.present import cite
from tradecli.query.links import cited_sources
from tradecli.query.search import search_best
from tradecli.store import Store, load

SIZE = (120, 40)
TARIFFS = COLLECTIONS.index("tariffs")


def drive(
    store: Store,
    scenario: Callable[[Pilot[Any], BrowseApp], Awaitable[None]],
    **browser: Any,
) -> BrowseApp:
    """Run the browser on ``store`` headless at 120x40 through ``scenario``; return the app."""
    app = BrowseApp(Browser(store, **browser), delay=0)

    async def run() -> None:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await pilot.pause()
            await scenario(pilot, app)

    asyncio.run(run())
    return app


def screen_text(app: BrowseApp) -> str:
    """The text on the screen, a line per row, as the terminal would show it."""
    strips = app.screen._compositor.render_strips()  # the drawn screen (no public API)
    return "\n".join(strip.text for strip in strips)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t", "backspace": "\x7f"}
CHARACTERS.update({"slash": "/", "question_mark": "?", "space": " ", "minus": "-"})
"""The character a terminal sends for a key that has one, by Textual's name of the key."""


async def at_once(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys as a terminal delivers a burst: each queued before the app handles any, so
    what one key starts (a page shown, an option chosen) is handled after the others."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else CHARACTERS.get(key))
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


async def to_kind(pilot: Pilot[Any], app: BrowseApp, collection: str) -> None:
    """From the kinds pane, choose a kind with the arrow keys and Enter."""
    kinds = app.query_one("#kinds", OptionList)
    steps = COLLECTIONS.index(collection) - (kinds.highlighted or 0)
    await press(pilot, *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")


async def to_row(pilot: Pilot[Any], app: BrowseApp, fact_id: str) -> None:
    """In the list, move the cursor to a fact with the arrow keys."""
    assert app.lines is not None
    steps = app.lines.ids.index(fact_id) - app.query_one("#list", FactTable).cursor
    await press(pilot, *(["down"] * steps))


def references_of(app: BrowseApp) -> list[Reference | None]:
    """What each line of the references pane opens (None for a heading)."""
    options = app.query_one("#references", OptionList).options
    return [option.value if isinstance(option, Choice) else None for option in options]


async def to_reference(pilot: Pilot[Any], app: BrowseApp, target: str) -> None:
    """In the references pane, move to the first reference to ``target`` and open it."""
    references = app.query_one("#references", OptionList)
    assert app.focused is references
    wanted = next(i for i, ref in enumerate(references_of(app)) if ref and ref.target == target)
    while references.highlighted != wanted:
        await press(pilot, "down" if (references.highlighted or 0) < wanted else "up")
    await press(pilot, "enter")


def test_it_opens_on_the_kinds_with_their_counts(store: Store) -> None:
    """Every kind is listed with its count; the first kind's facts are listed, the first in
    full, and the kinds pane has the focus."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        text = screen_text(app)
        for collection in COLLECTIONS:
            count = len(store.items(collection))
            assert re.search(rf"{LABELS[collection]} +{count}\b", text), collection
        assert app.focused is app.query_one("#kinds")
        assert app.collection == "sources"
        assert app.current is not None
        assert app.current.fact_id == store.items("sources")[0].id
        assert store.items("sources")[0].title in text

    drive(store, scenario)


def test_choosing_a_kind_lists_its_facts_a_line_each(store: Store) -> None:
    """Enter on a kind lists its facts in file order, as its command lists them, and moves to
    the list; the cursor's fact is shown in full."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        table = app.query_one("#list", FactTable)
        assert app.focused is table
        assert app.lines is not None
        assert app.lines.ids == [measure.id for measure in store.items("tariffs")]
        text = screen_text(app)
        assert "Tariffs · 18 measures" in text
        assert "status on 2026-06-30, the newest source's date" in text
        assert "MEASURE" in text
        assert "RATE" in text
        assert "STATUS" in text
        await to_row(pilot, app, "china-canola-seed-duty")
        assert app.current is not None
        assert app.current.fact_id == "china-canola-seed-duty"
        text = screen_text(app)
        assert re.search(r"China's anti-dumping duty on .*5\.9% +in force", text)
        assert "china-canola-seed-duty · measure · anti-dumping duty" in text

    drive(store, scenario)


def test_moving_through_the_kinds_lists_each(store: Store) -> None:
    """The arrow keys in the kinds pane list each kind in turn, without Enter."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        for collection in COLLECTIONS[1:]:
            await press(pilot, "down")
            assert app.collection == collection
            assert app.lines is not None
            assert len(app.lines) == len(store.items(collection))
        assert app.focused is app.query_one("#kinds")

    drive(store, scenario)


@pytest.mark.slow
def test_from_the_start_to_the_canola_seed_measure_its_source_and_back(store: Store) -> None:
    """Done when: keyboard only, from the start to the canola seed measure, to one of its
    sources and what that source says of it, back, and out with the fact's id."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        await to_row(pilot, app, "china-canola-seed-duty")
        before = list(app.history)  # the first fact of each kind passed on the way
        await press(pilot, "enter")  # to its sources and linked facts
        assert app.focused is app.query_one("#references")
        text = screen_text(app)
        assert "Sources" in text
        assert "Farms.com, 2025: Trade with China" in text
        await to_reference(pilot, app, "cp-moe-reaction")
        assert app.current is not None
        assert app.current.fact_id == "cp-moe-reaction"
        text = screen_text(app)
        assert "What it says of China's anti-dumping duty on Canadian canola seed" in text
        assert "China's duty on Canadian canola seed from August 2025 was 76 per cent" in text
        assert "https://lethbridgeherald.com/news/national-news/2026/01/16/saskatchewans" in text
        await press(pilot, "backspace")
        assert app.current.fact_id == "china-canola-seed-duty"
        assert app.history == before
        await press(pilot, "q")

    app = drive(store, scenario)
    assert app.return_value == "china-canola-seed-duty"
    assert app.return_code == 0


def test_the_article_claim_leads_to_the_articles_excerpt(store: Store) -> None:
    """The measure the primary article reports opens the article, which begins with the
    article's own words about it; Alt+Left comes back."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        await to_row(pilot, app, "china-canola-tariff-claim")
        await press(pilot, "enter")
        await to_reference(pilot, app, "article-carney-beijing")
        assert "What it says of China's 100% tariff on canola exports" in screen_text(app)
        assert app.page is not None
        said = app.page.detail.sections[0]
        assert said.heading.startswith("what it says of China's 100% tariff on canola exports")
        excerpt = "Notably, China maintains a 100% tariff on canola exports from Saskatchewan"
        assert any(excerpt in line.text for line in said.lines)
        await press(pilot, "alt+left")
        assert app.current is not None
        assert app.current.fact_id == "china-canola-tariff-claim"

    drive(store, scenario)


@pytest.mark.slow
def test_links_are_followed_and_back_retraces_them(store: Store) -> None:
    """Following linked facts builds a history; each Back (b, Backspace) returns one step,
    the list's cursor with it where the list holds the fact; with nothing left, a note."""

    notes: list[str] = []

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        app.notify = lambda message, **_: notes.append(message)  # type: ignore[method-assign]
        await to_kind(pilot, app, "tariffs")
        await to_row(pilot, app, "china-adt-canola-oil")
        await press(pilot, "enter")
        await to_reference(pilot, app, "china-anti-discrimination-investigation")
        await to_reference(pilot, app, "canada-ev-surtax")
        assert app.current is not None
        assert app.current.fact_id == "canada-ev-surtax"
        assert [visit.fact_id for visit in app.history][-2:] == [
            "china-adt-canola-oil",
            "china-anti-discrimination-investigation",
        ]
        app.history[:-2] = []  # the first fact of each kind passed on the way to the tariffs
        table = app.query_one("#list", FactTable)
        assert app.lines is not None
        assert table.cursor == app.lines.ids.index("canada-ev-surtax")
        await press(pilot, "b")
        assert app.current.fact_id == "china-anti-discrimination-investigation"
        assert table.cursor == app.lines.ids.index("china-anti-discrimination-investigation")
        await press(pilot, "backspace")
        assert app.current.fact_id == "china-adt-canola-oil"
        await press(pilot, "b")
        assert notes == ["Nothing to go back to."]

    drive(store, scenario)


def test_enter_and_back_at_once_drop_the_choice_of_the_page_left(store: Store) -> None:
    """Enter on a reference and b in one burst: b goes back first, and the choice made on the
    page it left is dropped, never looked up in the shorter list of the page now shown."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "people")
        await to_row(pilot, app, "li-qiang")
        await press(pilot, "enter", "enter")
        assert app.current is not None
        opened = app.current.fact_id
        before = app.history[:-1]
        assert app.history[-1].fact_id == "li-qiang"
        assert len(references_of(app)) > len(app.browser.page("li-qiang").references) + 2
        await press(pilot, *["down"] * 30)
        await at_once(pilot, "enter", "b")
        assert app.current.fact_id == "li-qiang"
        assert app.history == before
        assert opened != "li-qiang"

    app = drive(store, scenario)
    assert app.failure is None


def test_a_line_of_a_list_no_longer_shown_is_dropped(store: Store) -> None:
    """A move or a choice announced for one kind's list and handled once another kind is
    listed names a line of the old list: it is dropped, and the fact shown stays."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "statements")
        table = app.query_one("#list", FactTable)
        statements = app.lines
        assert statements is not None
        await press(pilot, "escape", "down")
        assert app.collection == "conflicts"
        assert app.current is not None
        shown = app.current.fact_id
        table.post_message(FactTable.Highlighted(table, statements, len(statements) - 1))
        table.post_message(FactTable.Chosen(table, statements, len(statements) - 1))
        await pilot.pause()
        assert app.current.fact_id == shown
        assert app.focused is app.query_one("#kinds")

    drive(store, scenario)


def test_back_returns_to_the_fact_read_whichever_pane_led_away(store: Store) -> None:
    """Tab goes round the fact's panes and never to the kinds, so it wipes nothing; a kind
    listed from the kinds pane (Esc, then a move) shows another fact, and Back returns to the
    fact that was being read, then along the way taken. The cursor moving through one list
    leaves no trace."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "people")
        app.history.clear()
        await to_row(pilot, app, "li-qiang")
        assert app.history == []  # moving through the list
        await press(pilot, "enter", "enter")
        assert app.current is not None
        read = app.current.fact_id
        assert read != "li-qiang"
        for _ in range(7):
            await press(pilot, "tab")
            assert app.focused is not app.query_one("#kinds")
            assert app.current.fact_id == read
        await press(pilot, "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert app.focused is not app.query_one("#kinds")
        await press(pilot, "tab")
        while app.focused is not app.query_one("#list"):
            await press(pilot, "tab")
        await press(pilot, "escape", "down")
        assert app.collection == "organisations"
        assert app.current.fact_id != read
        await press(pilot, "b")
        assert app.current.fact_id == read
        await press(pilot, "b")
        assert app.current.fact_id == "li-qiang"

    drive(store, scenario)


def test_escape_goes_to_the_pane_on_the_left_and_tab_to_the_next(store: Store) -> None:
    """Esc: references → list → kinds; Tab goes forward through the panes."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        await press(pilot, "enter")
        assert app.focused is app.query_one("#references")
        await press(pilot, "escape")
        assert app.focused is app.query_one("#list")
        await press(pilot, "escape")
        assert app.focused is app.query_one("#kinds")
        await press(pilot, "tab")
        assert app.focused is app.query_one("#list")
        await press(pilot, "tab")
        assert app.focused is app.query_one("#detail")

    drive(store, scenario)


def test_search_as_you_type_and_open_a_hit(store: Store) -> None:
    """/ opens the search; hits follow what is typed, best first, as tradecli search ranks
    them; Enter opens the best, and Back returns to the fact shown before."""

    _total, [best] = search_best(store, "canola seed", limit=1)

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        before = app.current
        await press(pilot, "slash")
        assert isinstance(app.focused, Input)
        await press(pilot, *"canola seed")
        text = screen_text(app)
        assert "matches." in text
        assert best.fact.id in text
        await press(pilot, "enter")
        assert app.current is not None
        assert app.current.fact_id == best.fact.id
        assert app.focused is app.query_one("#references")
        await press(pilot, "backspace")
        assert app.current == before

    drive(store, scenario)


def test_search_hits_can_be_chosen_from_the_list(store: Store) -> None:
    """↓ goes from the words to the hits, Enter opens the one chosen; Esc closes the search."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await press(pilot, "slash", *"xi jinping")
        hits = app.screen.query_one("#hits", OptionList)
        found = app.screen.found  # type: ignore[attr-defined]
        assert len(found) > 1
        await press(pilot, "down", "down", "enter")
        assert app.current is not None
        assert app.current.fact_id == found[1].fact_id
        assert hits.highlighted == 1
        await press(pilot, "slash", "x", "escape")
        assert app.current.fact_id == found[1].fact_id

    drive(store, scenario)


def test_a_page_key_pressed_before_the_hits_are_drawn_does_nothing(store: Store) -> None:
    """Words, Tab and PgDn at once: the hits are listed but not yet drawn when PgDn reaches
    them (Textual raised KeyError: 0, found by 10,000 keys on 100,000 facts); it does nothing,
    and once drawn PgDn pages through them."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await press(pilot, "slash")
        await at_once(pilot, *"xi", "tab", "pagedown", "pageup")
        hits = app.screen.query_one("#hits", OptionList)
        assert app.focused is hits
        assert hits.option_count > 1
        assert hits.highlighted == 0
        await press(pilot, "pagedown")
        assert hits.highlighted is not None
        assert hits.highlighted > 0

    app = drive(store, scenario)
    assert app.failure is None


def test_search_says_when_there_are_no_words_or_no_hits(store: Store) -> None:
    """Punctuation alone has no words to look for; unknown words match nothing."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await press(pilot, "slash", *"!!")
        assert "has no words to look for" in screen_text(app)
        await press(pilot, "backspace", "backspace", *"zzqqxx")
        assert "Nothing matches." in screen_text(app)
        await press(pilot, "enter")  # nothing to open: the search stays
        assert isinstance(app.focused, Input)

    drive(store, scenario)


@pytest.mark.slow
def test_the_as_of_day_sets_the_state_of_measures(store: Store) -> None:
    """a asks for a day; measures then show their state on it, in the list and in full; an
    empty answer goes back to the newest source's date; a wrong one is explained."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        await to_row(pilot, app, "china-canola-seed-duty")
        await press(pilot, "a", *"2025-13-01", "enter")
        assert "'2025-13-01'" in screen_text(app)  # the dialog stays, saying what is wrong
        await press(pilot, "ctrl+u", *"2025-09-01", "enter")
        assert app.browser.chosen_day is not None
        assert str(app.browser.chosen_day) == "2025-09-01"
        text = screen_text(app)
        assert "as of 2025-09-01 · all sources" in text
        assert re.search(r"canola seed +75\.8% +in force", text)
        assert "on 2025-09-01" in text
        assert "status on 2025-09-01" in text
        assert app.current is not None
        assert app.current.fact_id == "china-canola-seed-duty"
        await press(pilot, "a", "ctrl+u", "enter")
        assert app.browser.chosen_day is None
        assert "as of 2026-06-30 (newest source)" in screen_text(app)

    drive(store, scenario)


def test_a_day_after_the_sources_end_is_noted(store: Store) -> None:
    """A day after the newest source says that later changes are unknown."""
    notes: list[str] = []

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        app.notify = lambda message, **_: notes.append(message)  # type: ignore[method-assign]
        await press(pilot, "a", *"2027-01-01", "enter")

    drive(store, scenario)
    assert len(notes) == 1
    assert "later changes are unknown" in notes[0]


@pytest.mark.slow
def test_the_source_filter_keeps_what_one_source_supports(store: Store) -> None:
    """s asks for a source or an outlet: kinds, counts and lists keep only what it supports,
    as --source does; an empty answer shows everything again; an unknown one is explained."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        await press(pilot, "s", *"no-such-outlet", "enter")
        assert "no source or outlet matches 'no-such-outlet'" in screen_text(app)
        await press(pilot, "ctrl+u", *"cp-moe-reaction", "enter")
        assert app.browser.source == "cp-moe-reaction"
        assert app.lines is not None
        assert app.lines.ids == ["china-canola-seed-duty"]
        assert app.counts is not None
        assert app.counts["tariffs"] == 1
        text = screen_text(app)
        assert "source: cp-moe-reaction" in text
        assert "Tariffs · 1 measure" in text
        await press(pilot, "s", "ctrl+u", "enter")
        assert app.browser.source is None
        assert len(app.lines) == len(store.items("tariffs"))

    drive(store, scenario)


def test_the_source_option_starts_filtered(store: Store) -> None:
    """--source applies from the start, and the day is its newest source's, as in tariffs."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        assert app.counts is not None
        assert app.counts["tariffs"] == 1
        assert "as of 2026-01-16 (newest source) · source: cp-moe-reaction" in screen_text(app)

    drive(store, scenario, source="cp-moe-reaction")


def test_c_copies_the_citation_and_shows_it(store: Store) -> None:
    """c copies the fact's sources cited a line each, as tradecli cite gives them, to the
    clipboard, and shows the same lines in a notification, never read as markup."""
    shown: list[tuple[str, dict[str, Any]]] = []

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        app.notify = lambda message, **given: shown.append((message, given))  # type: ignore[method-assign]
        await to_kind(pilot, app, "tariffs")
        await to_row(pilot, app, "china-canola-seed-duty")
        await press(pilot, "c")

    app = drive(store, scenario)
    item = store.by_id["china-canola-seed-duty"][1]
    expected = "\n".join(cite.line(source) for source in cited_sources(store, item))
    assert app.clipboard == expected
    assert shown == [(expected, {"title": "Citation copied", "markup": False, "timeout": 10})]


def test_q_quits_with_the_fact_shown(store: Store) -> None:
    """q ends with exit code 0 and the id of the fact under the cursor as the result."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "people")
        await press(pilot, "down", "q")

    app = drive(store, scenario)
    assert app.return_code == 0
    assert app.return_value == store.items("people")[1].id


def test_help_lists_every_key(store: Store) -> None:
    """? shows every key and what it does; Esc closes it."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await press(pilot, "question_mark")
        text = screen_text(app)
        for key in KEYS:
            assert key.help in text, key.action
        assert "Ctrl+P" in text
        await press(pilot, "escape")
        assert app.focused is app.query_one("#kinds")

    drive(store, scenario)


def test_the_footer_shows_the_keys(store: Store) -> None:
    """The footer names the keys of the browser."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        footer = screen_text(app).splitlines()[-1]
        for key in KEYS:
            if key.footer:
                assert key.title in footer, key.title

    drive(store, scenario)


def test_the_command_palette_offers_every_action(store: Store) -> None:
    """Ctrl+P lists every action by name, and running one from there does it."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for key in KEYS:
            assert key.title in titles
        await press(pilot, "ctrl+p", *"Help")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert "Show the keys and what they do" in screen_text(app)

    drive(store, scenario)


def test_the_mouse_chooses_and_opens(store: Store) -> None:
    """A click on a kind lists it; a click on a line shows it, a second click opens its
    references; a click on a reference opens it."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await pilot.click("#kinds", offset=(3, 1 + TARIFFS))
        await pilot.pause()
        assert app.collection == "tariffs"
        table = app.query_one("#list", FactTable)
        await pilot.click("#list", offset=(5, 1 + 1 + 2))  # border, header, the third line
        await pilot.pause()
        assert table.cursor == 2
        assert app.current is not None
        assert app.current.fact_id == store.items("tariffs")[2].id
        await pilot.click("#list", offset=(5, 1 + 1 + 2))
        await pilot.pause()
        assert app.focused is app.query_one("#references")
        first = next(i for i, ref in enumerate(references_of(app)) if ref is not None)
        target = references_of(app)[first]
        assert target is not None
        await pilot.click("#references", offset=(3, 1 + first))
        await pilot.pause()
        assert app.current.fact_id == target.target

    drive(store, scenario)


def test_the_list_moves_by_pages_and_to_either_end(store: Store) -> None:
    """PgDn, PgUp, End and Home move the cursor, the list scrolling to keep it in sight."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "statements")
        table = app.query_one("#list", FactTable)
        await press(pilot, "end")
        assert table.cursor == len(store.items("statements")) - 1
        assert store.items("statements")[-1].id == app.current.fact_id  # type: ignore[union-attr]
        assert store.items("statements")[-1].text[:40] in screen_text(app)
        await press(pilot, "home", "pagedown")
        assert table.cursor > 1
        await press(pilot, "pageup")
        assert table.cursor == 0

    drive(store, scenario)


def test_no_color_is_respected(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR set, Textual draws the screen in greys alone."""
    monkeypatch.setenv("NO_COLOR", "1")
    colours: set[tuple[int, int, int]] = set()

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        for strip in app.screen._compositor.render_strips():
            for segment in strip:
                style = segment.style
                for colour in (style.color, style.bgcolor) if style is not None else ():
                    if colour is not None:
                        red, green, blue = colour.get_truecolor()
                        colours.add((red, green, blue))

    app = drive(store, scenario)
    assert app.no_color
    assert len(colours) > 1
    assert all(red == green == blue for red, green, blue in colours), colours


# The hostile corpus: fact text that is markup or control codes, through every widget.


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The bundled facts with hostile text appended to every free-text field."""
    path = write_json(tmp_path_factory.mktemp("hostile") / "facts.json", hostile_data())
    return load(path, cache=False)


def _assert_safe(text: str) -> None:
    assert not RAW_CONTROL.search(text), repr(RAW_CONTROL.search(text))
    assert "\\x1b[2J" in text  # control codes shown as escapes
    assert "[bold]x[/]" in text  # markup shown as written


@pytest.mark.slow
def test_hostile_text_is_shown_literally_in_every_pane(hostile_store: Store) -> None:
    """Lists, pages, references, search hits and notifications show markup as written and
    control characters as escapes, for every kind."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        for collection in COLLECTIONS:
            await to_kind(pilot, app, collection)
            await press(pilot, "escape")  # back to the kinds, the list stays
            text = screen_text(app)
            assert "zqhostile" in text, collection
            assert not RAW_CONTROL.search(text), collection
            for markup in ("[bold]x[/]", "[/]", "[@click=app.quit]q[/]"):
                # every pane's text shortened at its width; the detail shows it whole
                assert markup in text, (collection, markup)
        await to_kind(pilot, app, "tariffs")
        await press(pilot, "enter")
        _assert_safe(screen_text(app))
        await press(pilot, "slash", *"zqhostile")
        _assert_safe(screen_text(app))
        await press(pilot, "enter", "c")
        await pilot.pause(0.2)
        _assert_safe(screen_text(app))  # the citation's notification too
        assert app.clipboard is not None
        assert not RAW_CONTROL.search(app.clipboard)

    app = drive(hostile_store, scenario)
    assert app.failure is None


def test_markup_in_the_data_triggers_no_action(hostile_store: Store) -> None:
    """A click on "[@click=app.quit]q[/]" shown in a page does nothing: it is text."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await to_kind(pilot, app, "tariffs")
        lines = screen_text(app).splitlines()
        row, column = next(
            (y, line.index("[@click=app.quit]q[/]"))
            for y, line in enumerate(lines)
            if "[@click=app.quit]q[/]" in line and y > 12
        )
        await pilot.click(offset=(column + len("[@click=app.quit]"), row))
        await pilot.pause()
        assert app.is_running
        assert app.return_value is None

    drive(hostile_store, scenario)


def test_hostile_names_in_kinds_titles_and_dialogs(hostile_store: Store) -> None:
    """Border titles, the header and the dialogs' echo of a source filter stay literal."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await press(pilot, "s", *"[red]qq[/]", "enter")
        text = screen_text(app)
        assert "no source or outlet matches '[red]qq[/]'" in text

    drive(hostile_store, scenario)


@pytest.mark.parametrize("debug", ["", "1"])
def test_an_unexpected_error_ends_the_app_without_a_traceback(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, debug: str
) -> None:
    """A bug while browsing ends the app; the error is kept for the command line to report
    in one line (exit 4), or with TRADECLI_DEBUG=1 as a traceback without local variables:
    Textual prints no traceback of its own, debug or not."""
    monkeypatch.setenv("TRADECLI_DEBUG", debug)

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("boom")

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        app.browser.page = broken  # type: ignore[method-assign]
        await pilot.press("down")
        await pilot.pause()

    app = BrowseApp(Browser(store), delay=0)

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await scenario(pilot, app)

    with pytest.raises(RuntimeError, match="boom"):  # run_test re-raises it for tests
        asyncio.run(run())
    assert isinstance(app.failure, RuntimeError)
    assert app._exit_renderables == []
    assert "Traceback" not in capsys.readouterr().err


def test_hostile_bundle_exists() -> None:
    """The hostile corpus these tests use holds markup and control codes."""
    assert all(markup in HOSTILE for markup in MARKUP)
    assert Path(BUNDLED).is_file()


def test_addresses_in_narrow_panes_wrap_at_separators_each_line_linking_the_whole(
    store: Store,
) -> None:
    """At 60 columns a source's address in the references breaks after its separators, never
    mid-word, and every line of it links to the whole address."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        app.open("china-canola-seed-duty")
        await pilot.pause()
        references = app.query_one("#references", OptionList)
        url = next(r.url for r in references_of(app) if r is not None and r.url)
        assert url is not None
        drawn = [references.render_line(y) for y in range(references.region.height)]
        pieces = [
            (strip.text.rstrip(), {s.style.link for s in strip if s.style and s.style.link})
            for strip in drawn
        ]
        lines = [text for text, links in pieces if links]
        assert {link for _, links in pieces for link in links} >= {url}
        at = next(i for i, line in enumerate(lines) if url.startswith(line))
        joined = ""
        for line in lines[at:]:
            joined += line
            if joined == url:
                break
            assert line[-1] in "/.-?&=_#", line
        assert joined == url

    app = BrowseApp(Browser(store), delay=0)

    async def run() -> None:
        async with app.run_test(size=(60, 40)) as pilot:
            await pilot.pause()
            await scenario(pilot, app)

    asyncio.run(run())


@pytest.mark.parametrize(
    ("opening", "burst"),
    [
        ("a", ("enter", "enter")),
        ("a", ("enter", "escape")),
        ("s", ("escape", "escape")),
        ("question_mark", ("escape", "escape")),
        ("slash", ("escape", "escape", "escape")),
    ],
)
def test_a_dialog_answered_twice_at_once_closes_once(
    store: Store, opening: str, burst: tuple[str, ...]
) -> None:
    """Found by random keys: Enter, Enter on the as-of dialog popped the browser's own screen
    (ScreenStackError). A dialog closes once; the keys that would close it again are dropped,
    and the browser runs on."""

    async def scenario(pilot: Pilot[Any], app: BrowseApp) -> None:
        await press(pilot, opening)
        dialog = app.screen
        assert dialog is not app.screen_stack[0]
        await at_once(pilot, *burst)
        assert app.screen is app.screen_stack[0]
        assert len(app.screen_stack) == 1
        await press(pilot, "down", "q")

    app = drive(store, scenario)
    assert app.return_code == 0
