"""What applied when: a measure's state on a given day, for each kind of lifecycle step.

The measures here are made for each rule, so that the rules are tested apart from the data;
tests/test_since_the_visit.py holds the bundled store to what its sources say.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import as_record
from tradecli.facts.kinds import Measure, Source
from tradecli.facts.vocab import MeasureStatus
from tradecli.load import schema
from tradecli.query.lifecycle import MeasureState, state_on

SOURCES = {
    "early": as_record(
        schema.MODELS[Source](
            id="early",
            title="An early report",
            published="2025-01-10",
            kind="news_report",
            publisher="news",
        )
    ),
    "late": as_record(
        schema.MODELS[Source](
            id="late",
            title="A late report",
            published="2026-02-01",
            kind="news_report",
            publisher="news",
        )
    ),
}


def step(
    status: str,
    when: str,
    *,
    certainty: str = "stated",
    rate: float | None = None,
    until: str | None = None,
    products: list[str] | None = None,
    source: str = "early",
) -> dict[str, Any]:
    """A lifecycle step as a fact file writes it."""
    return {
        "status": status,
        "date": when,
        "until": until,
        "products": products or [],
        "rate_percent": rate,
        "certainty": certainty,
        "evidence": [{"source": source, "paraphrase": "a test step"}],
    }


def measure(*steps: dict[str, Any], status: str = "in_force", **fields: Any) -> Measure:
    """A measure with these steps, validated by the derived model."""
    data = {
        "id": "m",
        "title": "A test measure",
        "kind": "tariff",
        "imposed_by": "china",
        "target": "canada",
        "products": ["peas", "lobsters", "crabs"],
        "status": status,
        "lifecycle": list(steps),
        "evidence": [{"source": "early", "paraphrase": "a test measure"}],
        **fields,
    }
    record: Measure = as_record(schema.MODELS[Measure].model_validate(data))
    return record


def on(item: Measure, day: date) -> MeasureState:
    state = state_on(item, day, SOURCES)
    assert state is not None, day
    return state


def test_confirmed_steps_set_the_state_day_by_day() -> None:
    """Announced, then in force at its rate; nothing before the announcement."""
    tariff = measure(step("announced", "2025-02-01", rate=100), step("in_force", "2025-03-20"))
    assert state_on(tariff, date(2025, 1, 31), SOURCES) is None
    assert on(tariff, date(2025, 3, 1)).status is MeasureStatus.ANNOUNCED
    in_force = on(tariff, date(2025, 6, 1))
    assert (in_force.status, in_force.rate_percent) == (MeasureStatus.IN_FORCE, 100.0)
    assert str(in_force.since) == "2025-03-20"


def test_a_new_rate_replaces_the_old_from_its_day() -> None:
    """A final duty in force from a day replaces the deposit's rate from that day, not before."""
    duty = measure(
        step("in_force", "2025-08-14", rate=75.8), step("in_force", "2026-03-01", rate=5.9)
    )
    assert on(duty, date(2026, 2, 28)).rate_percent == 75.8
    after = on(duty, date(2026, 6, 1))
    assert (after.status, after.rate_percent, str(after.since)) == (
        MeasureStatus.IN_FORCE,
        5.9,
        "2026-03-01",
    )


def test_a_suspension_holds_to_its_end_and_nothing_is_known_after() -> None:
    """Suspended until 2026-12-31: suspended on its last day; after it the state is unknown."""
    tariff = measure(
        step("in_force", "2025-03-20", rate=100),
        step("suspended", "2026-03-01", until="2026-12-31"),
    )
    during = on(tariff, date(2026, 12, 31))
    assert (during.status, str(during.until), during.ended) == (
        MeasureStatus.SUSPENDED,
        "2026-12-31",
        None,
    )
    after = on(tariff, date(2027, 1, 15))
    assert after.status is None, "never says the suspension still holds, nor what followed"
    assert str(after.ended) == "2026-12-31"
    assert after.rate_percent is None


def test_a_step_on_some_products_is_shown_beside_the_state() -> None:
    """Lobsters and crabs suspended: the measure stays in force for the rest, the step beside it."""
    tariff = measure(
        step("in_force", "2025-03-20", rate=25),
        step("suspended", "2026-03-01", until="2026-12-31", products=["lobsters", "crabs"]),
    )
    state = on(tariff, date(2026, 6, 1))
    assert (state.status, state.rate_percent) == (MeasureStatus.IN_FORCE, 25.0)
    assert [(s.status, s.products) for s in state.partial] == [
        (MeasureStatus.SUSPENDED, ["lobsters", "crabs"])
    ]
    assert on(tariff, date(2026, 2, 1)).partial == ()


def test_a_later_step_on_the_whole_measure_replaces_a_partial_one() -> None:
    """A lifting of the whole measure after a partial suspension leaves no partial step."""
    tariff = measure(
        step("in_force", "2025-03-20", rate=25),
        step("suspended", "2026-03-01", products=["crabs"]),
        step("lifted", "2026-05-01"),
    )
    state = on(tariff, date(2026, 6, 1))
    assert (state.status, state.partial) == (MeasureStatus.LIFTED, ())


def test_a_threat_is_never_in_force() -> None:
    """A threatened tariff is threatened from its day, and never counted as in force."""
    threat = measure(step("threatened", "2026-01-24", rate=100), status="threatened")
    assert state_on(threat, date(2026, 1, 23), SOURCES) is None
    for day in (date(2026, 1, 24), date(2027, 1, 1)):
        state = on(threat, day)
        assert state.status is MeasureStatus.THREATENED
        assert state.status is not MeasureStatus.IN_FORCE


def test_a_threat_does_not_change_a_measure_in_force() -> None:
    """A threat to raise a tariff in force leaves the tariff as it is."""
    tariff = measure(
        step("in_force", "2025-01-01", rate=10), step("threatened", "2026-01-24", rate=100)
    )
    state = on(tariff, date(2026, 6, 1))
    assert (state.status, state.rate_percent) == (MeasureStatus.IN_FORCE, 10.0)


def test_an_expected_step_shows_as_expected_until_a_step_confirms_it() -> None:
    """Expected from its first report; confirmed by a suspension of the same products; gone then."""
    tariff = measure(
        step("in_force", "2025-03-20", rate=100),
        step("suspended", "2026-03", certainty="expected", source="late"),
        step("suspended", "2026-03-01", until="2026-12-31"),
    )
    assert on(tariff, date(2026, 1, 20)).expected == [], "not yet reported"
    waiting = on(tariff, date(2026, 2, 15))
    assert waiting.status is MeasureStatus.IN_FORCE
    assert [s.status for s in waiting.expected] == [MeasureStatus.SUSPENDED]
    confirmed = on(tariff, date(2026, 4, 1))
    assert (confirmed.status, confirmed.expected) == (MeasureStatus.SUSPENDED, [])


def test_an_expected_step_never_sets_the_rate() -> None:
    """An expected cut to 15% is shown beside the state; the rate stays the confirmed one."""
    duty = measure(
        step("in_force", "2025-08-14", rate=75.8),
        step("changed", "2026-03-01", rate=15, certainty="expected"),
    )
    state = on(duty, date(2026, 6, 1))
    assert (state.status, state.rate_percent) == (MeasureStatus.IN_FORCE, 75.8)
    assert [s.rate_percent for s in state.expected] == [15.0]


def test_step_known_to_the_month_is_not_taken_as_happened_inside_it() -> None:
    """A lifting dated only 2026-04 has not surely happened on 2026-04-10; it has by 2026-05-01."""
    tariff = measure(step("in_force", "2025-03-20"), step("lifted", "2026-04"))
    assert on(tariff, date(2026, 4, 10)).status is MeasureStatus.IN_FORCE
    assert on(tariff, date(2026, 5, 1)).status is MeasureStatus.LIFTED


def test_undated_measure_applies_from_its_first_report() -> None:
    """A measure with no dates is known only from the day its first source was published."""
    claim = measure()
    assert state_on(claim, date(2025, 1, 9), SOURCES) is None
    assert on(claim, date(2025, 1, 10)).basis == "as reported 2025-01-10"


def test_measure_with_dates_but_no_lifecycle_uses_them() -> None:
    """Without lifecycle steps, the announced and in_force fields give the state."""
    surtax = measure(announced="2024-08-26", in_force="2024-10-01")
    assert state_on(surtax, date(2024, 8, 1), SOURCES) is None
    assert on(surtax, date(2024, 9, 1)).status is MeasureStatus.ANNOUNCED
    assert on(surtax, date(2024, 10, 1)).status is MeasureStatus.IN_FORCE


def test_a_report_holds_as_of_its_newest_source() -> None:
    """A measure known only from reports is what they said, as of the newest one: on a later
    day its state names that source (last_said), never as what still holds."""
    reported = measure(
        evidence=[
            {"source": "early", "paraphrase": "first report"},
            {"source": "late", "paraphrase": "second report"},
        ]
    )
    assert on(reported, date(2026, 2, 1)).last_said is None
    later = on(reported, date(2026, 2, 2))
    assert later.status is MeasureStatus.IN_FORCE
    assert later.last_said is not None
    assert later.last_said.id == "late"


def test_a_claimed_step_holds_as_of_its_source() -> None:
    """A claimed step sets the state, as of its source's date; a stated one holds on."""
    claimed = measure(step("in_force", "2025-01-01", certainty="claimed", source="early"))
    assert on(claimed, date(2025, 1, 10)).last_said is None
    assert on(claimed, date(2025, 1, 11)).last_said is SOURCES["early"]
    stated = measure(step("in_force", "2025-01-01", source="early"))
    assert on(stated, date(2027, 1, 1)).last_said is None


def test_a_claimed_measure_with_dates_holds_as_of_its_source() -> None:
    """A claimed measure dated by its fields is, after its source's date, as it was claimed."""
    claimed = measure(in_force="2024-10-01", certainty="claimed")
    assert on(claimed, date(2025, 1, 10)).last_said is None
    assert on(claimed, date(2025, 1, 11)).last_said is SOURCES["early"]
