"""Chains of trade measures: which measure answers which, following ``responds_to``.

A pure query over a selection of measures. The chains form a forest: its roots are the measures
that respond to nothing in the selection, and beneath each measure are the measures that respond
to it. A measure that responds to several appears under each; only its first appearance lists its
own responses, so repeats stay short and a cycle cannot loop forever.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from tradecli.facts.kinds import Measure

# Deeper chains continue as a chain of their own, so a tree stays readable at 80 columns.
MAX_DEPTH = 12


class Cut(StrEnum):
    """Why a node of a chain does not list the measures that respond to it."""

    REPEAT = "repeat"
    """Shown in full where it first appears (it responds to several measures)."""
    CYCLE = "cycle"
    """Already on this branch: the measures respond to each other in a circle."""
    CONTINUED = "continued"
    """The chain is deeper than MAX_DEPTH; it goes on as a chain of its own."""


@dataclass(frozen=True, slots=True)
class ChainNode:
    """A measure in a chain, with the measures that respond to it."""

    measure: Measure
    responses: tuple[ChainNode, ...] = ()
    cut: Cut | None = None


def links(measures: Sequence[Measure]) -> list[tuple[Measure | None, Measure]]:
    """Every (measure, measure that responds to it) within the selection, in file order.

    A measure that responds to nothing in the selection appears once, as ``(None, measure)``.
    """
    by_id = {measure.id: measure for measure in measures}
    found: list[tuple[Measure | None, Measure]] = []
    for measure in measures:
        answered = [by_id[ref] for ref in dict.fromkeys(measure.responds_to) if ref in by_id]
        if not answered:
            found.append((None, measure))
        found.extend((earlier, measure) for earlier in answered)
    return found


def response_chains(measures: Sequence[Measure]) -> list[ChainNode]:
    """The forest of chains among ``measures``: roots in file order, responses beneath.

    Every measure appears in full exactly once. Measures that only respond to each other in a
    circle have no root; the first of them in file order starts a chain of its own.
    """
    responses: dict[str, list[Measure]] = {measure.id: [] for measure in measures}
    for earlier, later in links(measures):
        if earlier is not None:
            responses[earlier.id].append(later)
    expanded: set[str] = set()

    def build(measure: Measure, branch: frozenset[str]) -> ChainNode:
        if measure.id in branch:
            return ChainNode(measure, cut=Cut.CYCLE)
        if measure.id in expanded:
            return ChainNode(measure, cut=Cut.REPEAT)
        if len(branch) >= MAX_DEPTH:
            return ChainNode(measure, cut=Cut.CONTINUED)
        expanded.add(measure.id)
        inner = branch | {measure.id}
        return ChainNode(measure, tuple(build(later, inner) for later in responses[measure.id]))

    roots = [build(m, frozenset()) for earlier, m in links(measures) if earlier is None]
    for measure in measures:
        if measure.id not in expanded:
            roots.append(build(measure, frozenset()))
    return roots


def from_measure(measures: Sequence[Measure], start: Measure) -> list[Measure]:
    """``start`` and every measure among ``measures`` that answers it, directly or in turn, in
    file order: the chain that ``tariffs --chain --from`` draws."""
    answering: dict[str, list[Measure]] = {}
    for measure in measures:
        for ref in dict.fromkeys(measure.responds_to):
            answering.setdefault(ref, []).append(measure)
    reached = {start.id}
    waiting = [start.id]
    while waiting:
        for later in answering.get(waiting.pop(), []):
            if later.id not in reached:
                reached.add(later.id)
                waiting.append(later.id)
    chosen = [measure for measure in measures if measure.id in reached and measure is not start]
    return [start, *chosen]
