"""What applied when: a measure's state on a given day, for each kind of lifecycle."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import as_record
from tradecli.facts.dates import PartialDate
from tradecli.facts.kinds import Evidence, LifecycleStep, Measure, Source
from tradecli.facts.vocab import Certainty, MeasureStatus
from tradecli.load import schema
from tradecli.query.lifecycle import state_on
from tradecli.store import Store


@pytest.fixture(scope="module")
def sources(store: Store) -> dict[str, Source]:
    """The bundled sources by id."""
    return {source.id: source for source in store.facts.sources}


def measure(store: Store, fact_id: str) -> Measure:
    """One bundled measure."""
    collection, fact = store.by_id[fact_id]
    assert collection == "tariffs"
    assert isinstance(fact, Measure)
    return fact


def step(
    status: str, when: str, *, certainty: str = "stated", rate: float | None = None
) -> LifecycleStep:
    """A lifecycle step citing the seed article."""
    model = schema.MODELS[LifecycleStep](
        status=MeasureStatus(status),
        date=PartialDate.parse(when),
        rate_percent=rate,
        certainty=Certainty(certainty),
        evidence=[schema.MODELS[Evidence](source="seed-article", paraphrase="test step")],
    )
    record: LifecycleStep = as_record(model)
    return record


def test_confirmed_steps_set_the_state_day_by_day(store: Store, sources: dict[str, Source]) -> None:
    """The EV surtax is announced on 2024-08-26 and in force from 2024-10-01, at 100%."""
    surtax = measure(store, "canada-ev-surtax")
    assert state_on(surtax, date(2024, 8, 25), sources) is None
    announced = state_on(surtax, date(2024, 9, 30), sources)
    assert announced is not None
    assert announced.status is MeasureStatus.ANNOUNCED
    in_force = state_on(surtax, date(2025, 1, 1), sources)
    assert in_force is not None
    assert (in_force.status, in_force.rate_percent) == (MeasureStatus.IN_FORCE, 100.0)


def test_measures_not_yet_announced_do_not_apply(store: Store, sources: dict[str, Source]) -> None:
    """On 2025-01-01 none of China's canola tariffs or duties applied yet."""
    for fact_id in ("china-adt-canola-oil", "china-adt-canola-meal", "china-canola-seed-duty"):
        assert state_on(measure(store, fact_id), date(2025, 1, 1), sources) is None


def test_expected_cut_shows_as_expected_never_as_confirmed(
    store: Store, sources: dict[str, Source]
) -> None:
    """The canola-seed cut agreed on 2026-01-16 shows from then as expected, even once it is due."""
    duty = measure(store, "china-canola-seed-duty")
    before = state_on(duty, date(2026, 1, 15), sources)
    assert before is not None
    assert before.expected == []
    for day in (date(2026, 1, 16), date(2026, 3, 2)):
        state = state_on(duty, day, sources)
        assert state is not None
        assert (state.status, state.rate_percent) == (MeasureStatus.IN_FORCE, 75.8)
        assert [(s.rate_percent, s.certainty) for s in state.expected] == [
            (15.0, Certainty.EXPECTED)
        ]
        assert {e.source for e in state.expected[0].evidence} == {"cp-five-things", "ap-ev-deal"}


def test_a_confirming_step_replaces_the_expectation(
    store: Store, sources: dict[str, Source]
) -> None:
    """Once a source confirms a change, the state follows it and the expectation is gone."""
    duty = measure(store, "china-canola-seed-duty")
    confirmed = duty.replace(lifecycle=[*duty.lifecycle, step("changed", "2026-03-05", rate=15)])
    state = state_on(confirmed, date(2026, 3, 10), sources)
    assert state is not None
    assert (state.status, state.rate_percent, state.expected) == (MeasureStatus.CHANGED, 15.0, [])


def test_step_known_to_the_month_is_not_taken_as_happened_inside_it(
    store: Store, sources: dict[str, Source]
) -> None:
    """A lifting dated only 2026-04 has not surely happened on 2026-04-10; it has by 2026-05-01."""
    meal = measure(store, "china-adt-canola-meal")
    lifted = meal.replace(lifecycle=[*meal.lifecycle[:2], step("lifted", "2026-04")])
    inside = state_on(lifted, date(2026, 4, 10), sources)
    after = state_on(lifted, date(2026, 5, 1), sources)
    assert inside is not None
    assert after is not None
    assert inside.status is MeasureStatus.IN_FORCE
    assert after.status is MeasureStatus.LIFTED


def test_undated_measure_applies_from_its_first_report(
    store: Store, sources: dict[str, Source]
) -> None:
    """The seed's '100% on canola from Saskatchewan' is known only from the article's date."""
    claim = measure(store, "china-canola-tariff-seed-claim")
    assert state_on(claim, date(2026, 1, 14), sources) is None
    state = state_on(claim, date(2026, 1, 15), sources)
    assert state is not None
    assert state.basis == "as reported 2026-01-15"


def test_measure_with_dates_but_no_lifecycle_uses_them(
    store: Store, sources: dict[str, Source]
) -> None:
    """Without lifecycle steps, the announced and in_force fields give the state."""
    surtax = measure(store, "canada-ev-surtax").replace(lifecycle=[])
    announced = state_on(surtax, date(2024, 9, 1), sources)
    in_force = state_on(surtax, date(2024, 10, 1), sources)
    assert announced is not None
    assert in_force is not None
    assert announced.status is MeasureStatus.ANNOUNCED
    assert in_force.status is MeasureStatus.IN_FORCE
    assert state_on(surtax, date(2024, 8, 1), sources) is None
