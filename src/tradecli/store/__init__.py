"""The store: a validated fact file as records by id, opened from its search index when it has one.

``load`` reads a file (``tradecli.load``): a file whose very bytes validated before is opened
from its search index without validating it again; any other is validated, and indexed when
valid.
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tradecli.errors import DataError
from tradecli.load.index import UnreadableIndexError

if TYPE_CHECKING:
    import sqlite3

    from tradecli.facts.factfile import FactFile
    from tradecli.load.index import Candidate, Index
    from tradecli.words import Term

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


class Store:
    """A validated fact file, as records, indexed by id, with the lookups queries need.

    A store opened from a search index loads each collection when a command first needs it, and
    until then looks facts up in the index: by id, by name, by date, by reference, by words.
    Should the index fail (``UnreadableIndexError``), the store reads the file again, answers
    from it, and builds the index anew for the next run: no answer depends on a damaged index.
    """

    def __init__(
        self,
        path: Path,
        facts: FactFile | None = None,
        *,
        index: Index | None = None,
        validated: bool | None = None,
        key: str | None = None,
    ) -> None:
        if facts is None and index is None:
            raise ValueError("a store needs its facts or the index to load them from")
        self.path = path
        self.index = index
        self.key = key
        self._facts = facts
        self._validated = facts is not None if validated is None else validated
        self._by_id: dict[str, tuple[str, Any]] | None = None
        self._lookups: _IndexedIds | None = None

    @property
    def validated(self) -> bool:
        """True if this process validated the file; False if it was opened from an earlier index."""
        return self._validated

    @property
    def facts(self) -> FactFile:
        """The whole fact file; from the index, each collection is read on first use."""
        if self._facts is None:
            from tradecli.facts.factfile import FactFile

            self._facts = FactFile(load=self._collection)
        return self._facts

    def _collection(self, name: str) -> list[Any]:
        if self.index is not None:
            try:
                return self.index.collection(name)
            except UnreadableIndexError:
                self._fail_over()
        return list(getattr(self.facts, name))

    def _fail_over(self) -> None:
        """Stop trusting the index: read the file, answer from it, and build the index anew."""
        from tradecli.load.index import build_index, discard_index

        broken, self.index = self.index, None
        if broken is not None:
            broken.close()
            discard_index(broken.path)
        fresh = load(self.path, cache=False)
        self._facts, self._by_id, self._lookups = fresh.facts, None, None
        if self.key is not None:  # the key of the very bytes just read: rebuild under it
            build_index(self.key, self._facts.all_facts(), total=len(self.by_id))

    def distrust_index(self) -> None:
        """Answer from the file from now on: something the index said did not check out."""
        if self.index is not None:
            self._fail_over()

    def _from_index(self, ask: Callable[[Index], T]) -> T | None:
        """What the index answers, or None without one (after failing over from a bad one)."""
        if self.index is None:
            return None
        try:
            return ask(self.index)
        except UnreadableIndexError:
            self._fail_over()
            return None

    @property
    def by_id(self) -> dict[str, tuple[str, Any]]:
        """(collection, fact) by id; from the index, one fact at a time, until all are loaded."""
        if self._by_id is None:
            if self.index is not None and (self._facts is None or self._facts.lazy()):
                if self._lookups is None:
                    self._lookups = _IndexedIds(self)
                return self._lookups  # type: ignore[return-value]
            self._by_id = {item.id: (collection, item) for collection, item in self.all_facts()}
        return self._by_id

    def many(self, ids: list[str]) -> list[tuple[str, Any]]:
        """(collection, fact) of each id, in the order given, as ``by_id`` gives them; from the
        index, read some thousand at a time rather than one by one."""
        lookups = self.by_id
        if isinstance(lookups, _IndexedIds):
            lookups.read_ahead(ids)
        return [lookups[fact_id] for fact_id in ids]

    def items(self, collection: str) -> list[Any]:
        """Every fact of one collection, in file order."""
        return list(getattr(self.facts, collection))

    def all_facts(self) -> Iterator[tuple[str, Any]]:
        """Every fact with the name of its collection, in file order."""
        return self.facts.all_facts()

    def connect_with_json(self, path: Path | None, name: str) -> sqlite3.Connection:
        """A connection (autocommit) to the SQLite database at ``path`` (None: a new one in
        memory), on which every fact's
        JSON is the temporary table or view ``name``: (rowid, id, collection, json), rowids in
        file order within a collection, looked up fast by id and by collection.

        It is the index's own table, attached read-only once it checks out (``Index.attach``),
        else a temporary table written from the records.
        """
        import sqlite3

        # With URIs, for the index to be attached read-only.
        where = ":memory:" if path is None else path.absolute().as_uri()
        connection = sqlite3.connect(where, uri=True, isolation_level=None)
        try:
            self._share_json(connection, name)
        except BaseException:
            connection.close()
            raise
        return connection

    def _share_json(self, connection: sqlite3.Connection, name: str) -> None:
        table = self._from_index(lambda index: index.attach(connection, f"{name}_index"))
        if table is not None:
            connection.execute(
                f"CREATE TEMP VIEW {name} AS SELECT rowid AS rowid, id, collection, json"
                f" FROM {table}"
            )
            return
        from tradecli.load.index import fact_text

        connection.execute(
            f"CREATE TEMP TABLE {name} (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL,"
            " collection TEXT NOT NULL, json TEXT NOT NULL)"
        )
        connection.executemany(
            f"INSERT INTO temp.{name} (id, collection, json) VALUES (?, ?, ?)",
            ((item.id, collection, fact_text(item)) for collection, item in self.all_facts()),
        )
        # With the collection, so that looking up the kind of the fact an id names reads the
        # index alone.
        connection.execute(f"CREATE INDEX temp.{name}_by_id ON {name} (id, collection)")
        connection.execute(f"CREATE INDEX temp.{name}_by_collection ON {name} (collection, rowid)")

    def referrers(self, fact_id: str) -> list[tuple[str, Any, str]]:
        """(collection, fact, field) of every fact that refers to ``fact_id``, in file order."""
        found = self._from_index(lambda index: index.referrers(fact_id))
        if found is not None:
            return found
        from tradecli.facts.refs import references

        return [
            (collection, item, field)
            for collection, item in self.all_facts()
            for field, target in references(type(item), item)
            if target == fact_id
        ]

    def cited_counts(self) -> dict[str, int]:
        """How many facts cite each source (in their evidence, or a part's), by source id."""
        found = self._from_index(lambda index: index.cited_counts())
        if found is not None:
            return found
        from tradecli.facts.refs import references

        counts: dict[str, int] = {}
        for _collection, item in self.all_facts():
            for source in {t for f, t in references(type(item), item) if f == "source"}:
                counts[source] = counts.get(source, 0) + 1
        return counts

    def named(self, key: str, collections: tuple[str, ...]) -> list[Any] | None:
        """Entities whose id, name or an alias normalises to ``key``, from the index; None
        without one (the caller then scans)."""
        found = self._from_index(lambda index: index.named(key, collections))
        return None if found is None else [item for _collection, item in found]

    def names_holding(self, words: str, collections: tuple[str, ...]) -> list[Any] | None:
        """Entities with a name that may hold ``words`` as a run of whole words (a superset),
        from the index; None without one (the caller then scans)."""
        found = self._from_index(lambda index: index.names_holding(words, collections))
        return None if found is None else [item for _collection, item in found]

    def names_near(self, probe: str, each: int) -> list[tuple[str, str, Any]]:
        """(name, collection, entity) of the ``each`` entity names (id, name or alias,
        normalised) sorting before ``probe`` and the ``each`` from it on; names that sort alike
        in file order, as the index keeps them."""
        found = self._from_index(lambda index: index.names_near(probe, each))
        if found is not None:
            return found
        from tradecli.facts.kinds import COLLECTIONS, ENTITIES
        from tradecli.words import normalise_name

        names = sorted(
            (normalise_name(text), COLLECTIONS.index(collection), position, collection, item)
            for collection in ENTITIES
            for position, item in enumerate(getattr(self.facts, collection))
            for text in (item.id, item.name, *item.aliases)
        )
        at = bisect.bisect_left(names, (probe,))
        near = [*reversed(names[max(0, at - each) : at]), *names[at : at + each]]
        return [(key, collection, item) for key, _rank, _at, collection, item in near]

    def ids_near(self, probe: str, each: int) -> list[str]:
        """The ids of the ``each`` facts sorting before ``probe`` and the ``each`` from it on."""
        found = self._from_index(lambda index: index.ids_near(probe, each))
        if found is not None:
            return found
        ids = sorted(self.by_id)
        at = bisect.bisect_left(ids, probe)
        return [*reversed(ids[max(0, at - each) : at]), *ids[at : at + each]]

    def events_within(self, start: date | None, end: date | None) -> list[Any]:
        """Events whose possible days may meet the window's, in file order (a superset)."""
        found = self._from_index(lambda index: index.events_within(start, end))
        return list(self.facts.events) if found is None else found

    def search(self, terms: list[Term]) -> list[Candidate] | None:
        """Every fact holding a term, scored, from the index; None without one."""
        return self._from_index(lambda index: index.search(terms))

    def where(self, collection: str, field: str, values: set[str]) -> list[Any]:
        """Facts of a collection whose ``field`` holds one of ``values`` (as the file writes it),
        in file order; from the index, only those are read."""
        if self._facts is None or self._facts.lazy():
            found = self._from_index(lambda index: index.where(collection, field, values))
            if found is not None:
                return found
        return [
            item for item in getattr(self.facts, collection) if item.to_json().get(field) in values
        ]

    def newest_source_id(self) -> str | bool | None:
        """The id of the source published last, as the index keeps it: None where the file has
        no dated source, False without an index (the caller then looks)."""
        found = self._from_index(lambda index: (index.newest_source_id,))
        return False if found is None else found[0]

    def counts(self) -> dict[str, int]:
        """How many facts of each collection the store holds (from the index, where it has one)."""
        found = self._from_index(lambda index: dict(index.counts))
        if found is not None:
            return found
        from tradecli.facts.kinds import COLLECTIONS

        return {name: len(getattr(self.facts, name)) for name in COLLECTIONS}

    def timeline(
        self,
        start: date | None,
        end: date | None,
        collections: tuple[str, ...] = ("events", "tariffs"),
    ) -> Iterator[tuple[str, Any, int]]:
        """(collection, fact, seq) of every timeline entry that may meet the window, in order.

        From the index, facts are read a few hundred at a time as the entries are taken, so an
        answer starts at once and memory stays flat. Should the index fail part-way, the rest
        comes from the file, in the same order, from where the index stopped.
        """
        from tradecli.load.index import timeline_keys

        given = 0
        if self.index is not None:
            try:
                entries = self.index.timeline(start, end, collections)
                while batch := list(itertools.islice(entries, 500)):
                    found = self.index.facts(list({rowid: None for rowid, _seq in batch}))
                    for rowid, seq in batch:
                        collection, fact = found[rowid]
                        yield collection, fact, seq
                        given += 1
                return
            except UnreadableIndexError:
                self._fail_over()
        low, high = (start or date.min).isoformat(), (end or date.max).isoformat()
        keyed = [
            (key, collection, item)
            for collection in collections
            for item in getattr(self.facts, collection)
            for key in timeline_keys(collection, item)
            if key[0] <= high and key[2] >= low
        ]
        keyed.sort(
            key=lambda entry: (entry[0][0], entry[0][1], entry[0][3], entry[0][4], entry[0][5])
        )
        for key, collection, item in keyed[given:]:
            yield collection, item, key[5]

    def rows(self, rowids: list[int]) -> dict[int, tuple[str, Any]] | None:
        """Facts by index rowid, from the index; None without one."""
        return self._from_index(lambda index: index.facts(rowids))


class _IndexedIds(Mapping[str, tuple[str, Any]]):
    """Facts by id, read one at a time from the index; anything needing them all loads them.

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
            store = self._store
            self._misses += 1
            if self._misses == self.BULK_AFTER:
                for source in store.facts.sources:
                    self._seen.setdefault(source.id, ("sources", source))
                if fact_id in self._seen:
                    return self._seen[fact_id]
            looked_up = store._from_index(lambda index: (index.fact(fact_id),))
            if looked_up is None:  # the index failed: the store now holds the file's facts
                return store.by_id[fact_id]
            found = looked_up[0]
            if found is None:
                raise KeyError(fact_id)
            self._seen[fact_id] = found
        return found

    def read_ahead(self, ids: list[str]) -> None:
        """Read the facts of these ids not yet read, at once (an id it lacks stays unread)."""
        missing = [fact_id for fact_id in dict.fromkeys(ids) if fact_id not in self._seen]
        if missing:
            found = self._store._from_index(lambda index: index.facts_by_id(missing))
            self._seen.update(found or {})

    def __contains__(self, fact_id: object) -> bool:
        if not isinstance(fact_id, str):
            return False
        try:
            self[fact_id]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        for _collection, item in self._store.all_facts():
            yield item.id

    def __len__(self) -> int:
        counted = self._store._from_index(lambda index: index.count())
        return counted if counted is not None else len(self._store.by_id)


def load(path: Path, *, hint: bool = True, cache: bool = True) -> Store:
    """Read, validate and index a fact file; raise DataError listing every problem.

    With ``cache``, a file that validated before is opened from its search index (see
    ``tradecli.load.index``) without validating it again, and a newly valid file gets an index.
    """
    from tradecli.load import index, known
    from tradecli.load.read import read_bytes

    name = str(path)
    before = None
    if cache:
        # A file whose status is the one kept with its key is the file that key was made of.
        key = known.known_key(path)
        built = index.open_index(key) if key is not None else None
        if built is not None:
            return Store(path, index=built, key=None)
        before = known.status_of(path)
    raw = read_bytes(path)
    key = index.content_key(raw) if cache else None
    built = index.open_index(key) if key is not None else None
    if built is not None:
        known.remember_key(path, before, built.key_of)
        return Store(path, index=built, key=key)  # these very bytes validated before
    from tradecli.load.read import decode
    from tradecli.load.validate import collector_paused, read_valid, validate

    text = decode(name, raw)
    del raw
    with collector_paused():
        writer = None
        if key is not None:
            writer = index.IndexWriter.create(key, total=text.count('"id"'))  # about one a fact
        try:
            valid, kept = read_valid(text, writer)
        except BaseException:
            if writer is not None:
                writer.discard()
            raise
        if valid and kept is not None:
            return Store(path, kept)
        if valid and writer is not None and writer.finish():
            opened = index.open_index(writer.key)
            if opened is not None:
                known.remember_key(path, before, opened.key_of)
                return Store(path, index=opened, validated=True, key=key)
        if writer is not None:
            writer.discard()  # without an index the records are gone: validate() starts again
        facts, problems = validate(name, text)  # to say what is wrong, and where
    if problems or facts is None:
        problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        advice = f"fix these, then run 'tradecli validate {name}'" if hint else None
        raise DataError(name, problems, hint=advice)
    del text
    store = Store(path, facts, key=key)
    if key is not None and index.build_index(key, facts.all_facts(), total=len(store.by_id)):
        store.index = index.open_index(key)
        if store.index is not None:
            known.remember_key(path, before, store.index.key_of)
    return store
