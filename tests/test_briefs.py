"""Every line of the briefs is captured by the store, with the sources the line names.

``tests/fixtures/brief-coverage.json`` maps each bullet of each brief (and each row of a brief's
sources table) to the facts that capture it; for the corrections, with what was fixed or decided;
where an entry has ``values``, the key values those facts hold (a field path, dotted through
parts and list positions, to its JSON value). The test holds the map to the briefs (no line left
out, none invented) and to the store (every fact named exists, cites every source the line names
in brackets, and holds the values the entry gives).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from conftest import BUNDLED, ROOT, SHARED
from tradecli.facts.refs import references
from tradecli.store import load

BRIEFS = SHARED / "briefs"
MAP = ROOT / "tests" / "fixtures" / "brief-coverage.json"
# Lines whose named sources no single fact can cite: they record rival claims, each kept with its
# own source (the conflict of the visit's dates; Ottawa's expectation, reported by two outlets and
# set against a third's figure).
RIVALS = {
    "beyond-the-article.md": {
        "Ottawa expects China to cut its duties on Canadian",
        "A pre-trip report says the Prime Minister's Office",
    },
    "since-april.md": {"**C5, joint venture:** Joly's condition of a major"},
}
# Every brief the map covers; the corrections briefs' entries each say what was done.
BRIEF_NAMES = [
    "after-the-visit.md",
    "beyond-the-article.md",
    "corrections.md",
    "corrections-2.md",
    "since-april.md",
]
CORRECTIONS = {"corrections.md", "corrections-2.md"}
_BULLET = re.compile(r"^\s*- (.*)$")


def brief(name: str) -> str:
    """The text of a brief, or a skip with the reason where ../shared/ is absent."""
    path = BRIEFS / name
    if not path.is_file():
        pytest.skip(f"{path} not found; the coverage tests need ../shared/")
    return path.read_text(encoding="utf-8")


def bullets(name: str) -> list[str]:
    """The bullet lines of a brief, without their dash."""
    return [m.group(1) for line in brief(name).splitlines() if (m := _BULLET.match(line))]


def table_sources(name: str) -> list[str]:
    """The ids in the first column of a brief's sources table."""
    return re.findall(r"^\| ([a-z0-9][a-z0-9._-]*) \|", brief(name), re.M)


def named_sources(line: str) -> set[str]:
    """The source ids a line names in square brackets, e.g. [a, b] or [a; the order: b]."""
    found: set[str] = set()
    for match in re.finditer(r"\[([^\]]+)\]", line):
        for part in re.split(r"[,;]", match.group(1)):
            word = part.strip().split(":")[-1].strip()
            if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", word):
                found.add(word)
    return found


@pytest.fixture(scope="module")
def coverage() -> dict[str, list[dict[str, Any]]]:
    return json.loads(MAP.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def cited() -> dict[str, set[str]]:
    """The sources each fact cites (in its evidence, steps and parts), by id; sources cite
    themselves."""
    store = load(BUNDLED)
    found: dict[str, set[str]] = {}
    for collection, item in store.all_facts():
        own = {target for field, target in references(type(item), item) if field == "source"}
        found[item.id] = own | ({item.id} if collection == "sources" else set())
    return found


@pytest.mark.parametrize("brief", BRIEF_NAMES)
def test_every_line_of_the_brief_is_in_the_map(
    brief: str, coverage: dict[str, list[dict[str, Any]]]
) -> None:
    """Each bullet, in order, has an entry; the map names no line the brief lacks."""
    lines = bullets(brief)
    entries = [entry for entry in coverage[brief] if entry["line"] not in table_sources(brief)]
    assert [entry["line"] for entry in entries] == [line[:50] for line in lines]
    if brief in CORRECTIONS:
        assert all(entry["note"].strip() for entry in entries), "each finding says what was done"


@pytest.mark.parametrize(("brief", "count"), [("after-the-visit.md", 23), ("since-april.md", 14)])
def test_every_source_of_the_brief_is_in_the_store(
    brief: str, count: int, coverage: dict[str, list[dict[str, Any]]], cited: dict[str, set[str]]
) -> None:
    """Each row of the sources table is a source of the store."""
    sources = table_sources(brief)
    assert len(sources) == count
    assert set(sources) <= set(cited)
    mapped = {entry["line"] for entry in coverage[brief]}
    assert set(sources) <= mapped


@pytest.mark.parametrize(
    "brief", ["after-the-visit.md", "beyond-the-article.md", "corrections-2.md", "since-april.md"]
)
def test_every_line_is_captured_by_facts_citing_its_sources(
    brief: str, coverage: dict[str, list[dict[str, Any]]], cited: dict[str, set[str]]
) -> None:
    """The facts of an entry exist, and together (each, unless the line holds rival claims)
    cite every source the line names."""
    full = {line[:50]: line for line in bullets(brief)}
    for entry in coverage[brief]:
        assert entry["facts"], entry["line"]
        for fact_id in entry["facts"]:
            assert fact_id in cited, f"{entry['line']}: no fact {fact_id!r}"
        line = full.get(entry["line"], "")
        wanted = named_sources(line)
        if entry["line"] in RIVALS.get(brief, set()):
            together = set().union(*(cited[f] for f in entry["facts"]))
            assert wanted <= together, (entry["line"], wanted - together)
            continue
        for fact_id in entry["facts"]:
            assert wanted <= cited[fact_id], (entry["line"], fact_id, wanted - cited[fact_id])


def value_at(record: Any, path: str) -> Any:
    """The JSON value at a dotted path in a fact: ``lifecycle.-1.until`` is the last step's
    until date, as the fact file writes it."""
    value: Any = record.to_json()
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


@pytest.mark.parametrize("brief", BRIEF_NAMES)
def test_the_facts_of_each_line_hold_its_key_values(
    brief: str, coverage: dict[str, list[dict[str, Any]]]
) -> None:
    """Where an entry names key values (a rate, a date, a due date and its holder), its facts
    hold them."""
    store = load(BUNDLED)
    for entry in coverage[brief]:
        for fact_id, values in entry.get("values", {}).items():
            assert fact_id in entry["facts"] or fact_id in store.by_id, (entry["line"], fact_id)
            record = store.by_id[fact_id][1]
            for path, wanted in values.items():
                assert value_at(record, path) == wanted, (entry["line"], fact_id, path)


def test_value_at_walks_parts_and_positions() -> None:
    """A path reads a field, a part's field and a list position counted from either end."""
    store = load(BUNDLED)
    aquatic = store.by_id["china-adt-aquatic"][1]
    assert value_at(aquatic, "rate_percent") == 25
    assert value_at(aquatic, "lifecycle.0.status") == "announced"
    assert value_at(aquatic, "lifecycle.-1.until") == "2026-12-31"


def test_named_sources_reads_the_briefs_brackets() -> None:
    """The bracket reader finds ids in the forms the briefs use, and nothing else."""
    assert named_sources("x [a-b, c] y") == {"a-b", "c"}
    assert named_sources("[global-canola-beef; the order and the beef: cp-canola-beef]") == {
        "global-canola-beef",
        "cp-canola-beef",
    }
    assert named_sources('a **verbatim**: "text" [menafn-trump-threat].') == {"menafn-trump-threat"}
    assert named_sources("no brackets") == set()
