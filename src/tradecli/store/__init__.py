"""The store: a validated fact file, answered from its index (``store.index``).

``load`` opens a file's index: the one kept in the cache folder for these very bytes
(``store.cache``), else the file is read, validated (``tradecli.load``) and indexed, in the cache
when it can be used and in memory when it cannot (``--no-cache``, a folder that is not the
user's own, a full disk). Every question a query asks is answered by SQL on that index; should
the index fail (a SQLite error, a row that does not match its checksum), it is rebuilt from the
file and the question asked again, so no answer depends on a damaged index.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from tradecli.facts.kinds import COLLECTIONS
from tradecli.store.build import Progress, silent, texts
from tradecli.store.index import Index, UnreadableIndexError
from tradecli.words import Term, words_of

T = TypeVar("T")

DATA_ENV = "TRADECLI_DATA"


def bundled_path() -> Path:
    """The fact file shipped with tradecli: inside the installed package, else the source tree's."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "data" / "facts.json"  # tradecli is always installed as files, not zipped
    if packaged.is_file():
        return packaged
    return package.parents[1] / "data" / "facts.json"


def resolve_path(option: str | None) -> Path:
    """The fact file to use: ``--data``, then ``$TRADECLI_DATA``, then the bundled file."""
    if option:
        return Path(option)
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env)
    return bundled_path()


def _tag() -> str:
    """What an index depends on besides the file's bytes."""
    from tradecli import __version__
    from tradecli.facts.kinds import fingerprint
    from tradecli.store.index import FORMAT

    return f"tradecli {__version__} index {FORMAT} {fingerprint()}"


def _cached(key: str) -> Index | None:
    """The index kept for this key, if it is the user's own and reads; a damaged one is removed."""
    from tradecli.store import cache
    from tradecli.store.index import open_index

    directory = cache.private_dir(create=False)
    if directory is None:
        return None
    path = cache.index_path(key, directory)
    try:
        if not cache.ours(path.stat(), directory=False):
            return None  # not ours to read, nor to remove
    except OSError:
        return None
    try:
        index = open_index(path)
    except UnreadableIndexError:
        cache.remove(path)
        return None
    if index.key != key:
        index.close()
        cache.remove(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: pruning keeps it
    return index


def _open(path: Path, *, cache: bool, hint: bool, progress: Progress) -> Index:
    """The index of the file at ``path``: kept, or built from the file once it validates."""
    from tradecli.load.read import read_bytes
    from tradecli.load.validate import facts_of
    from tradecli.store import cache as folder
    from tradecli.store.build import build

    tag = _tag()
    before = None
    if cache:
        key = folder.known_key(path, tag)
        found = _cached(key) if key is not None else None
        if found is not None:
            return found
        before = folder.status_of(path)
    raw = read_bytes(path)
    key = folder.content_key(raw, tag)
    found = _cached(key) if cache else None
    if found is None:
        facts = facts_of(str(path), raw, hint=hint)
        del raw
        directory = folder.private_dir(create=True) if cache else None
        found = build(facts, key, directory, progress)
    if found.path is not None:
        folder.remember_key(path, before, key, tag)
    return found


class _Backing:
    """The one index a store and its restrictions answer from, rebuilt from the file if it fails."""

    def __init__(
        self, path: Path, index: Index, *, cache: bool, hint: bool, progress: Progress
    ) -> None:
        self.path = path
        self.index = index
        self._cache = cache
        self._hint = hint
        self._progress = progress

    def ask(self, question: Callable[[Index], T]) -> T:
        """What the index answers; asked again of a new index if this one fails."""
        try:
            return question(self.index)
        except UnreadableIndexError:
            self.rebuild()
            return question(self.index)

    def rebuild(self) -> None:
        """Stop trusting the index: remove it, and index the file anew."""
        from tradecli.store.cache import remove

        broken = self.index
        broken.close()
        if broken.path is not None:
            remove(broken.path)
        self.index = _open(self.path, cache=self._cache, hint=self._hint, progress=self._progress)


class Store:
    """A validated fact file, as records, with the look-ups queries need, all answered by its
    index. A restricted store (``restricted``) answers for the facts it keeps, except ``by_id``,
    which names any fact of the file (labels name facts a restriction leaves out)."""

    def __init__(
        self, backing: _Backing, *, keep: frozenset[str] | None = None, whole: Store | None = None
    ) -> None:
        self._backing = backing
        self._keep = keep
        self._items: dict[str, list[Any]] = {}
        self.whole: Store = whole or self
        self.by_id: _FactsById = whole.by_id if whole is not None else _FactsById(self)

    @property
    def path(self) -> Path:
        """The fact file."""
        return self._backing.path

    @property
    def index_file(self) -> Path | None:
        """The kept index the store answers from; None for an index in memory."""
        return self._backing.index.path

    def _ask(self, question: Callable[[Index, str | None], T]) -> T:
        def asked(index: Index) -> T:
            return question(index, None if self._keep is None else index.keep(self._keep))

        return self._backing.ask(asked)

    def restricted(self, ids: set[str]) -> Store:
        """The store holding only the facts of these ids (of those this one holds)."""
        return Store(self._backing, keep=frozenset(ids), whole=self.whole)

    def items(self, collection: str) -> list[Any]:
        """Every fact of one collection, in file order."""
        found = self._items.get(collection)
        if found is None:
            found = self._items[collection] = self._ask(
                lambda index, scope: index.collection(collection, scope)
            )
        return found

    def all_facts(self) -> Iterator[tuple[str, Any]]:
        """Every fact with the name of its collection, in file order."""
        for collection in COLLECTIONS:
            for item in self.items(collection):
                yield collection, item

    def many(self, ids: list[str]) -> list[tuple[str, Any]]:
        """(collection, fact) of each id, in the order given; read some thousand at a time."""
        self.by_id.read_ahead(ids)
        return [self.by_id[fact_id] for fact_id in ids]

    def numbers(self, ids: list[str]) -> dict[str, int]:
        """Each fact's number (its place in the file, from 1), by id: the short handle a
        terminal table shows, which ``by_number`` reads back."""
        return self._backing.ask(lambda index: index.numbers(ids))

    def by_number(self, number: int) -> tuple[str, Any] | None:
        """(collection, fact) of the fact with this number in the file, or None."""
        return self._backing.ask(lambda index: index.by_number(number))

    def counts(self) -> dict[str, int]:
        """How many facts of each collection the store holds."""
        return self._ask(lambda index, scope: index.counted(scope))

    def referrers(self, fact_id: str) -> list[tuple[str, Any, str]]:
        """(collection, fact, field) of every fact that refers to ``fact_id``, in file order."""
        return self._ask(lambda index, scope: index.referrers(fact_id, scope))

    def cited_counts(self) -> dict[str, int]:
        """How many facts cite each source (in their evidence, or a part's), by source id."""
        return {source: len(facts) for source, facts in self.citing().items()}

    def citing(self) -> dict[str, set[int]]:
        """The facts that cite each source, by source id: sets of keys that tell one fact from
        another (their rows in the index), to count the facts several sources share once."""
        return self._ask(lambda index, scope: index.citations(scope))

    def named(self, key: str, collections: tuple[str, ...]) -> list[Any]:
        """Entities whose id, name or an alias normalises to ``key``."""
        return self._ask(lambda index, scope: index.named(key, collections, scope))

    def names_holding(self, words: str, collections: tuple[str, ...]) -> list[Any]:
        """Entities with a name that may hold ``words`` as a run of whole words (a superset)."""
        return self._ask(lambda index, scope: index.names_holding(words, collections, scope))

    def names_near(self, probes: list[str], each: int) -> list[tuple[str, Any]]:
        """(collection, entity) of each entity with one of the ``each`` names (normalised)
        sorting before each probe or the ``each`` from it on, in file order."""
        return self._ask(lambda index, scope: index.names_near(probes, each, scope))

    def ids_near(self, probe: str, each: int) -> list[str]:
        """The ids of the ``each`` facts sorting before ``probe`` and the ``each`` from it on,
        of the whole file."""
        return self._backing.ask(lambda index: index.ids_near(probe, each))

    def events_within(self, start: date | None, end: date | None) -> list[Any]:
        """Events whose days may meet the window's, in file order (a superset)."""
        return self._ask(lambda index, scope: index.days("events", start, end, scope))

    def where(self, collection: str, field: str, values: set[str]) -> list[Any]:
        """Facts of a collection whose ``field`` holds one of ``values`` (as the file writes
        them), in file order."""
        return self._ask(lambda index, scope: index.where(collection, field, values, scope))

    def with_open_steps(self) -> list[Any]:
        """Measures with a step that ends on a known day or is only expected, in file order."""
        return self._ask(lambda index, scope: index.with_open_steps(scope))

    def newest_source(self) -> Any:
        """The source published last, or None: the store knows nothing that came after it.

        A source dated only to the month or year counts from the first day it can mean, the
        latest day it is sure to have been published by.
        """
        return self._ask(lambda index, scope: index.newest(scope))

    def search(self, terms: list[Term], limit: int) -> tuple[int, list[tuple[str, Any, float]]]:
        """How many facts hold every term, and the best ``limit`` (0: all), best first, as
        (collection, fact, score): the index's full-text table selects and ranks them."""
        query = " AND ".join(term.fts_query() for term in terms)

        def ranked(index: Index, scope: str | None) -> tuple[int, list[tuple[str, Any, float]]]:
            total, rows = index.search(query, limit, scope)
            found = index.facts_by_rowid([rowid for rowid, _score in rows])
            for _collection, fact in found.values():
                words = [words_of(text) for text in texts(fact)]
                if not all(any(term.count(each) for each in words) for term in terms):
                    raise UnreadableIndexError("a search hit does not hold what it was found by")
            return total, [(*found[rowid], score) for rowid, score in rows]

        return self._ask(ranked)

    def timeline(
        self,
        start: date | None,
        end: date | None,
        collections: tuple[str, ...] = ("events", "tariffs"),
    ) -> Iterator[tuple[str, Any, int]]:
        """(collection, fact, seq) of every timeline entry that may meet the window, in order.

        Facts are read a few hundred at a time as the entries are taken, so an answer starts at
        once and memory stays flat. Should the index fail part-way, the rest comes from the
        index built anew, from where this one stopped.
        """
        ranks = [COLLECTIONS.index(name) for name in collections]
        given = 0
        for attempt in range(2):
            index = self._backing.index
            try:
                scope = None if self._keep is None else index.keep(self._keep)
                entries = itertools.islice(index.timeline(start, end, ranks, scope), given, None)
                while batch := list(itertools.islice(entries, 500)):
                    found = index.facts_by_rowid(list({rowid: None for rowid, _seq in batch}))
                    for rowid, seq in batch:
                        collection, fact = found[rowid]
                        yield collection, fact, seq
                        given += 1
                return
            except UnreadableIndexError:
                if attempt:
                    raise
                self._backing.rebuild()


class _FactsById(Mapping[str, tuple[str, Any]]):
    """(collection, fact) by id, of the whole file, read from the index as they are asked for.

    An answer that looks up many facts one by one (a timeline naming the sources of each entry)
    has every source read at once after BULK_AFTER look-ups: one query instead of thousands.
    """

    BULK_AFTER = 64

    def __init__(self, store: Store) -> None:
        self._store = store
        self._seen: dict[str, tuple[str, Any]] = {}
        self._misses = 0

    def __getitem__(self, fact_id: str) -> tuple[str, Any]:
        found = self._seen.get(fact_id)
        if found is None:
            self._misses += 1
            if self._misses == self.BULK_AFTER:
                for source in self._store.items("sources"):
                    self._seen.setdefault(source.id, ("sources", source))
                if fact_id in self._seen:
                    return self._seen[fact_id]
            looked_up = self._store._backing.ask(lambda index: index.fact(fact_id))
            if looked_up is None:
                raise KeyError(fact_id)
            found = self._seen[fact_id] = looked_up
        return found

    def read_ahead(self, ids: list[str]) -> None:
        """Read the facts of these ids not yet read, at once (an id it lacks stays unread)."""
        missing = [fact_id for fact_id in dict.fromkeys(ids) if fact_id not in self._seen]
        if missing:
            self._seen.update(self._store._backing.ask(lambda index: index.facts_by_id(missing)))

    def __contains__(self, fact_id: object) -> bool:
        if not isinstance(fact_id, str):
            return False
        try:
            self[fact_id]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._store._backing.ask(lambda index: index.ids()))

    def __len__(self) -> int:
        return sum(self._store._backing.ask(lambda index: index.counts).values())


def load(
    path: Path, *, cache: bool = True, hint: bool = True, progress: Progress = silent
) -> Store:
    """Open a fact file's store; raise DataError listing every problem of an invalid file.

    With ``cache``, a file that validated before is answered from its kept index without
    validating it again, and a newly valid file gets one kept; without, its index is built in
    memory for this run. ``progress`` shows how far a build is.
    """
    index = _open(path, cache=cache, hint=hint, progress=progress)
    return Store(_Backing(path, index, cache=cache, hint=hint, progress=progress))
