"""Find entities and facts by what people type: a name, alias, surname or id, in any case or accent.

Rule: a name that equals an entity's id, name or alias (after ``normalise_name``) picks that entity;
otherwise every entity with the typed words as a run of whole words in one of its names is a
candidate ("carney", "li qiang", "contemporary amperex"). One candidate is a match; several are
ambiguous; none is not found, with close spellings suggested (difflib).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from tradecli.errors import AmbiguousError, NotFoundError, UsageError
from tradecli.facts.kinds import ACTORS, ENTITIES, KIND_OF, Fact
from tradecli.store import Store
from tradecli.words import normalise_name

T = TypeVar("T", bound=Fact)

__all__ = ["ACTORS", "completions", "fact", "resolve"]


def entity_names(entity: Any) -> list[str]:
    """Every name an entity answers to: its id, name and aliases."""
    return [entity.id, entity.name, *entity.aliases]


def entities(store: Store, *, collections: Iterable[str] = ENTITIES) -> list[Any]:
    """Every entity of the given collections, in file order."""
    return [item for collection in collections for item in store.items(collection)]


def _contains_run(words: list[str], run: list[str]) -> bool:
    size = len(run)
    return any(words[start : start + size] == run for start in range(len(words) - size + 1))


def _describe(entity: Any) -> str:
    return f"{entity.name} ({entity.id})"


def _what(collections: tuple[str, ...]) -> str:
    return " or ".join(KIND_OF[collection].SINGULAR for collection in collections)


# A miss suggests close spellings among the names (or ids) that sort next to what was typed: in
# a store of up to this many, every one of them; in a larger one, the nearest few, so that a
# typo costs the same at any size.
SUGGEST_FROM_ALL = 2000
_NEIGHBOURS = 25
_LISTED = 10  # candidates named when a name is ambiguous


def _neighbours(count: int) -> int:
    """How many names (or ids) on either side of what was typed to compare it with: all of them
    (-1, as SQL's LIMIT reads it) in a small store."""
    return -1 if count <= SUGGEST_FROM_ALL else _NEIGHBOURS


def resolve(store: Store, name: str, *, collections: Iterable[str] = ENTITIES) -> Any:
    """The one entity that ``name`` names; raise NotFoundError or AmbiguousError otherwise."""
    kinds = tuple(collections)
    named = handle(store, name)
    if named is not None and named[0] in kinds:
        return named[1]
    wanted = normalise_name(name)
    if not wanted:
        raise UsageError(f"{name!r} is not a name; give a name, alias, surname or id")
    exact = store.named(wanted, kinds)
    if len(exact) == 1:
        return exact[0]
    run = wanted.split()
    candidates = exact or [
        e
        for e in store.names_holding(wanted, kinds)
        if any(_contains_run(normalise_name(n).split(), run) for n in entity_names(e))
    ]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        listed = ", ".join(_describe(e) for e in candidates[:_LISTED])
        if len(candidates) > _LISTED:
            listed += f" and {len(candidates) - _LISTED} more"
        raise AmbiguousError(
            f"{name!r} matches {len(candidates)} entries: {listed}",
            hint="give more of the name, or the id",
        )
    raise NotFoundError(f"no {_what(kinds)} matches {name!r}", hint=_suggest(store, wanted, kinds))


def _suggest(store: Store, wanted: str, kinds: tuple[str, ...]) -> str | None:
    """A 'did you mean' hint naming entities whose names or name words are spelled closely:
    among the names that sort next to what was typed and to each of its words."""
    probes = list(dict.fromkeys([wanted, *wanted.split()]))
    counts = store.counts()
    near = store.names_near(probes, _neighbours(sum(counts[kind] for kind in ENTITIES)))
    # Each name and name word stands for the first entity in file order that has it.
    keys: dict[str, Any] = {}
    for entity in (entity for collection, entity in near if collection in kinds):
        for key in map(normalise_name, entity_names(entity)):
            keys.setdefault(key, entity)
            for word in key.split():
                keys.setdefault(word, entity)
    import difflib  # only for a suggestion

    close = difflib.get_close_matches(wanted, list(keys), n=8, cutoff=0.6)
    found: list[Any] = []
    for key in close:
        if keys[key] not in found:
            found.append(keys[key])
    if not found:
        return None
    return "did you mean " + ", ".join(_describe(e) for e in found[:5]) + "?"


def handle(store: Store, text: str) -> tuple[str, Any] | None:
    """(collection, fact) that ``text`` names by its id or by its number (the "#" a terminal
    table shows), or None."""
    wanted = text.strip()
    found = store.by_id.get(wanted)
    if found is None and re.fullmatch("[0-9]{1,18}", wanted):
        found = store.by_number(int(wanted))
    return found


def fact(store: Store, fact_id: str) -> tuple[str, Any]:
    """The fact with this id or number, or the entity this name names; raise NotFoundError
    otherwise."""
    found = handle(store, fact_id)
    if found is not None:
        return found
    try:
        entity = resolve(store, fact_id)
    except NotFoundError:
        wanted = fact_id.strip()
        each = _neighbours(len(store.by_id))
        import difflib  # only for a suggestion

        close = difflib.get_close_matches(wanted, store.ids_near(wanted, each), n=5, cutoff=0.6)
        hint = (
            "did you mean " + ", ".join(close) + "?" if close else "find ids with 'tradecli search'"
        )
        raise NotFoundError(
            f"no fact or entity has the id or name {fact_id!r}", hint=hint
        ) from None
    return store.by_id[entity.id]


def completions(
    store: Store, incomplete: str, *, collections: Iterable[str] = ENTITIES
) -> list[tuple[str, str]]:
    """(word to put on the command line, entity name) for what is typed so far.

    A shell keeps only completions that start with what was typed, so an entity whose id starts
    with it is offered by id, and one with a name word that starts with it (ignoring case and
    accents) by that word, completed from the typed letters: "car" gives "carney".
    """
    typed = normalise_name(incomplete)
    found: dict[str, str] = {}
    for entity in entities(store, collections=collections):
        if entity.id.startswith(incomplete):
            found.setdefault(entity.id, entity.name)
        if not typed or " " in typed:
            continue
        for name in entity_names(entity):
            for word in normalise_name(name).split():
                if word.startswith(typed) and word != typed:
                    found.setdefault(incomplete + word[len(typed) :], entity.name)
    return list(found.items())


def side(store: Store, actor_id: str | None) -> str | None:
    """The country an actor speaks for: a country itself, an actor's own country, or else the
    one country of the organisations it holds roles in, as the sources state them; None when
    the file does not say."""
    found = store.by_id.get(actor_id) if actor_id else None
    if found is None:
        return None
    collection, actor = found
    if collection == "places":  # a country speaks for itself
        return str(actor.id)
    if getattr(actor, "country", None):
        return str(actor.country)
    countries = {
        side(store, role.organisation)
        for role in getattr(actor, "roles", ())
        if role.organisation and role.organisation != actor_id
    } - {None}
    return countries.pop() if len(countries) == 1 else None


def country(store: Store, name: str, *, option: str = "--side") -> str:
    """The id of the place a --side option names (any name or alias: china, "Canada")."""
    try:
        return str(resolve(store, name, collections=("places",)).id)
    except NotFoundError as missing:
        raise NotFoundError(
            f"{option} {name!r} names no place in the store", hint=missing.hint
        ) from None


def on_side(
    store: Store,
    items: list[T],
    actor: Callable[[T], str | None],
    place: str,
    what: tuple[str, str],
) -> tuple[list[T], list[str]]:
    """The items whose actor (``actor(item)``, an id or None) speaks for ``place``, and a note
    naming those left out because the file does not say whose side their actor is on.
    ``what`` names the items and their actors: ("quotes", "their speakers")."""
    kept: list[T] = []
    unknown: list[str] = []
    for item in items:
        found = side(store, actor(item))
        if found == place:
            kept.append(item)
        elif found is None:
            unknown.append(item.id)
    notes = []
    if unknown:
        listed = ", ".join(unknown[:_LISTED]) + (" …" if len(unknown) > _LISTED else "")
        notes.append(
            f"{len(unknown)} {what[0]} left out: the sources give no country for {what[1]} "
            f"({listed})"
        )
    return kept, notes
