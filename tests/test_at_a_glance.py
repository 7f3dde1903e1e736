"""Answers at a glance: what changed, what is still open, the one-screen summary, and the
questions that cross kinds (--side, --certainty without words), run as a user runs them.

Expected values are read from data/facts.json (a measure's steps, a statement's due date, a
person's country), not from tradecli's own output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import pytest

from conftest import BUNDLED, env_without_tradecli
from test_overview import on_terminal

RAW: dict[str, Any] = json.loads(BUNDLED.read_text(encoding="utf-8"))
BY_ID = {item["id"]: item for items in RAW.values() if isinstance(items, list) for item in items}


def tradecli(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed program, piped, on the bundled data."""
    return subprocess.run(
        [sys.executable, "-m", "tradecli", *args],
        capture_output=True,
        text=True,
        env=env_without_tradecli(),
        timeout=120,
        check=False,
    )


def records(*args: str) -> list[dict[str, Any]]:
    done = tradecli(*args, "-f", "json")
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


def _steps(measure_id: str) -> list[dict[str, Any]]:
    return list(BY_ID[measure_id].get("lifecycle", []))


# --- changes ------------------------------------------------------------------------------


def test_changes_in_a_window_give_each_step_with_before_and_after() -> None:
    """Every state-setting step dated inside the window is a change, with the state before and
    after and the step's own sources; none outside the window."""
    start, end = date(2026, 3, 1), date(2026, 3, 1)
    found = records("changes", "--since", str(start), "--until", str(end))
    wanted = {
        measure["id"]
        for measure in RAW["tariffs"]
        for step in measure.get("lifecycle", [])
        if step.get("date") == str(start)
        and step.get("certainty", "stated") != "expected"
        and step["status"] != "threatened"
    }
    assert wanted, "the data has steps on 2026-03-01"
    assert {change["id"] for change in found} == wanted
    for change in found:
        assert change["date"] == str(start)
        assert change["before"]["date"] == "2026-02-28"
        assert change["before"] != change["after"]
        step_sources = {e["source"] for e in (change["step"] or {}).get("evidence", [])}
        assert {source["id"] for source in change["sources"]} == step_sources


def test_a_known_end_is_a_change_to_not_known() -> None:
    """A step that holds to a known day changes, the day after, to a state the store does not
    know: the suspension of canola meal to its end date."""
    ends = [step for step in _steps("china-adt-canola-meal") if step.get("until")]
    assert ends
    after = date.fromisoformat(ends[0]["until"]) + timedelta(days=1)
    found = records("changes", "--since", str(after), "--until", str(after))
    meal = [change for change in found if change["id"] == "china-adt-canola-meal"]
    assert meal
    assert meal[0]["ended"] is True
    assert meal[0]["after"]["status"] is None
    assert meal[0]["before"]["status"] == ends[0]["status"]


def test_changes_take_months_and_today_and_refuse_a_reversed_window() -> None:
    """--since 2026-03 means its first day, --until 2026-03 its last; today is a word; an
    --until before --since is a usage error (exit 2) in the options' words."""
    month = records("changes", "--since", "2026-03", "--until", "2026-03")
    assert month
    assert all(change["date"].startswith("2026-03") for change in month)
    assert tradecli("changes", "--since", "today").returncode == 0
    wrong = tradecli("changes", "--since", "2026-04", "--until", "2026-03")
    assert wrong.returncode == 2
    assert "--until 2026-03 is before --since 2026-04" in wrong.stderr


# --- open -----------------------------------------------------------------------------------


def test_open_lists_what_no_source_settles() -> None:
    """Every expectation and open question, the scheduled events not superseded, and the
    states ending after the newest source; past-due ones say no source reports the outcome."""
    found = records("open")
    ids = {item["id"] for item in found}
    expectations = {s["id"] for s in RAW["statements"] if s["kind"] in ("expectation", "question")}
    assert expectations <= ids
    superseded = {e["supersedes"] for e in RAW["events"] if e.get("supersedes")}
    scheduled = {
        e["id"] for e in RAW["events"] if e["status"] == "scheduled" and e["id"] not in superseded
    }
    assert scheduled <= ids
    assert "china-adt-canola-meal" in ids  # suspended to a known day
    for item in found:
        if item["past_due"] and item["kind"] == "expectation":
            assert "no source reports the outcome" in item["state"]
        statement = BY_ID[item["id"]]
        if item["kind"] in ("expectation", "question") and item["step"] is None:
            assert item["due"] == statement.get("due")
            assert item["held_by"] == statement.get("claimed_by")


# --- summary -------------------------------------------------------------------------------


def test_the_summary_fits_one_screen_and_long_gives_everything() -> None:
    """At 120 columns the summary takes at most 40 lines, with what is open and each dispute's
    sides; --long gives every conflict's topic."""
    short = on_terminal(["summary"], 120)
    lines = short.splitlines()
    assert len(lines) <= 40, short
    assert "Still open" in short
    assert "Disputed" in short
    assert "tradecli open" in short
    long = on_terminal(["summary", "--long"], 120)
    for conflict in RAW["conflicts"]:
        assert " ".join(conflict["topic"].split()[:4]) in " ".join(long.split())


# --- across kinds -------------------------------------------------------------------------


def test_side_keeps_the_speakers_of_a_country_and_names_the_unknown() -> None:
    """quote --side canada: quotes by people whose country (or whose body's) is Canada; the
    quotes whose speaker has no country in the file are named on stderr, not guessed."""
    done = tradecli("quote", "--side", "canada", "-f", "json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    canadians = {p["id"] for p in RAW["people"] if p.get("country") == "canada"}
    assert found
    for quote in found:
        speaker = quote["fields"]["speaker"]
        person = BY_ID[speaker]
        bodies = {
            BY_ID[r["organisation"]].get("country")
            for r in person.get("roles", [])
            if r.get("organisation")
        }
        assert speaker in canadians or "canada" in bodies
    unnamed = [q["id"] for q in RAW["quotes"] if not q.get("speaker")]
    for quote_id in unnamed:
        assert quote_id in done.stderr
    people = records("people", "--side", "china")
    assert {p["id"] for p in people} == {
        p["id"] for p in RAW["people"] if p.get("country") == "china"
    }


def test_certainty_without_words_lists_claims_across_kinds() -> None:
    """search --certainty claimed,alleged with no words: every fact so held, of every kind."""
    done = tradecli("search", "--certainty", "claimed,alleged", "--limit", "0", "-f", "json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["items"]  # a search's JSON: {total, limit, items}
    wanted = {
        item["id"]
        for name, items in RAW.items()
        if name not in ("sources", "people", "organisations", "places", "conflicts")
        and isinstance(items, list)
        for item in items
        if item.get("certainty") in ("claimed", "alleged")
    }
    assert wanted
    assert {item["id"] for item in found} == wanted
    bare = tradecli("search")
    assert bare.returncode == 2
    assert "--certainty" in bare.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["quote", "--channel", "x"], "e.g. --channel in_person,social_media"),
        (["tariffs", "--status", "claimed"], "e.g. --status announced,in_force"),
        (["meetings", "--certainty", "alleged"], "no meetings match --certainty alleged"),
    ],
)
def test_messages_speak_in_the_options_own_words(args: list[str], said: str) -> None:
    """A hint or an empty listing names the option given, never another's words."""
    done = tradecli(*args)
    assert said in done.stderr
    assert "no filter" not in done.stderr


def test_a_day_of_meetings_holds_its_ceremony() -> None:
    """meetings --date 2026-01-15 includes the signing ceremony, marked as one."""
    found = records("meetings", "--date", "2026-01-15")
    ceremonies = [
        e["id"]
        for e in RAW["events"]
        if e["category"] == "ceremony" and e.get("date") == "2026-01-15"
    ]
    assert ceremonies
    assert set(ceremonies) <= {item["id"] for item in found}
    assert "(ceremony)" in tradecli("meetings", "--date", "2026-01-15").stdout


def test_a_country_holding_a_statement_is_on_its_own_side() -> None:
    """statements --side china keeps what China itself holds (a place as holder), and what its
    people and bodies hold."""
    held = {s["id"] for s in RAW["statements"] if s.get("claimed_by") == "china"}
    assert held, "the data has statements China holds"
    found = {item["id"] for item in records("statements", "--side", "china")}
    assert held <= found
