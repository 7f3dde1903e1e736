"""What a careful editor would flag in a valid fact file: not errors, but facts a reader cannot
weigh as they stand. ``tradecli validate`` prints them as warnings and still exits 0.

- a reprint whose original outlet is unknown: a source ``carried_by`` a paper, with no
  ``outlet`` (whose story it carries), so that its confirmation cannot be counted;
- a fact whose only support is a blog or aggregator;
- an expectation with a due date and no holder (``claimed_by``): by its date, nobody can be
  said to have expected it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradecli.facts.kinds import KIND_OF
from tradecli.facts.refs import walk_refs
from tradecli.facts.vocab import Certainty, PublisherKind, StatementKind

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from tradecli.load.checks import Finding


def review(records: Mapping[str, list[Any]]) -> list[Finding]:
    """Every warning about the records of a valid file, each at its JSON path, in file order."""
    return [*_reprints(records["sources"]), *_blog_only(records), *_expectations(records)]


def _reprints(sources: list[Any]) -> Iterator[Finding]:
    for index, source in enumerate(sources):
        if source.carried_by and not source.outlet:
            yield (
                ("sources", index),
                f"{source.id} is carried by {source.carried_by}, but whose story it carries is "
                "unknown: set outlet to the outlet that first published it",
            )


def _blog_only(records: Mapping[str, list[Any]]) -> Iterator[Finding]:
    blogs = {
        source.id: source.outlet or source.title
        for source in records["sources"]
        if source.publisher is PublisherKind.BLOG
    }
    for collection, items in records.items():
        kind = KIND_OF[collection]
        if "evidence" not in kind.BY_NAME:
            continue
        for index, item in enumerate(items):
            cited = {
                target for field, target, _path in walk_refs(kind, item) if field.name == "source"
            }
            if cited and cited <= blogs.keys():
                names = "; ".join(sorted({blogs[source] for source in cited}))
                yield (
                    (collection, index),
                    f"{item.id} rests only on a blog or aggregator ({names}): add a source that "
                    "reported it first-hand",
                )


def _expectations(records: Mapping[str, list[Any]]) -> Iterator[Finding]:
    for index, statement in enumerate(records["statements"]):
        expects = statement.kind is StatementKind.EXPECTATION
        if (expects or statement.certainty is Certainty.EXPECTED) and (
            statement.due is not None and statement.claimed_by is None
        ):
            yield (
                ("statements", index),
                f"{statement.id} is an expectation due {statement.due} that names no one who "
                "holds it: set claimed_by",
            )
