"""The store: a validated fact file as records by id, opened from its search index when it has one.

``load`` reads a file (``tradecli.load``): a file whose very bytes validated before is opened
from its search index without validating it again; any other is validated, and indexed when
valid.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradecli.errors import DataError

if TYPE_CHECKING:
    from tradecli.facts.factfile import FactFile
    from tradecli.load.index import Index

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
    """A validated fact file, as records, indexed by id.

    A store opened from a search index loads each collection when a command first needs it, and
    until then looks single facts up in the index.
    """

    def __init__(
        self,
        path: Path,
        facts: FactFile | None = None,
        *,
        index: Index | None = None,
        validated: bool | None = None,
    ) -> None:
        if facts is None and index is None:
            raise ValueError("a store needs its facts or the index to load them from")
        self.path = path
        self.index = index
        self._facts = facts
        self._from_index = facts is None
        self._validated = not self._from_index if validated is None else validated
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

            assert self.index is not None
            self._facts = FactFile(load=self.index.collection)
        return self._facts

    @property
    def by_id(self) -> dict[str, tuple[str, Any]]:
        """(collection, fact) by id; from the index, one fact at a time, until all are loaded."""
        if self._by_id is None:
            if self._from_index and self.index is not None:
                if self._lookups is None:
                    self._lookups = _IndexedIds(self, self.index)
                return self._lookups  # type: ignore[return-value]
            self._by_id = {item.id: (collection, item) for collection, item in self.all_facts()}
        return self._by_id

    def items(self, collection: str) -> list[Any]:
        """Every fact of one collection, in file order."""
        return list(getattr(self.facts, collection))

    def all_facts(self) -> Iterator[tuple[str, Any]]:
        """Every fact with the name of its collection, in file order."""
        return self.facts.all_facts()


class _IndexedIds(Mapping[str, tuple[str, Any]]):
    """Facts by id, read one at a time from the index; anything needing them all loads them."""

    def __init__(self, store: Store, index: Index) -> None:
        self._store = store
        self._index = index
        self._seen: dict[str, tuple[str, Any]] = {}

    def __getitem__(self, fact_id: str) -> tuple[str, Any]:
        found = self._seen.get(fact_id)
        if found is None:
            found = self._index.fact(fact_id)
            if found is None:
                raise KeyError(fact_id)
            self._seen[fact_id] = found
        return found

    def __contains__(self, fact_id: object) -> bool:
        return isinstance(fact_id, str) and (
            fact_id in self._seen or self._index.fact(fact_id) is not None
        )

    def __iter__(self) -> Iterator[str]:
        for _collection, item in self._store.all_facts():
            yield item.id

    def __len__(self) -> int:
        return self._index.count()


def load(path: Path, *, hint: bool = True, cache: bool = True) -> Store:
    """Read, validate and index a fact file; raise DataError listing every problem.

    With ``cache``, a file that validated before is opened from its search index (see
    ``tradecli.load.index``) without validating it again, and a newly valid file gets an index.
    """
    from tradecli.load import index
    from tradecli.load.read import read_bytes

    name = str(path)
    raw = read_bytes(path)
    key = index.content_key(raw) if cache else None
    built = index.open_index(key) if key is not None else None
    if built is not None:
        return Store(path, index=built)  # these very bytes validated before
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
                return Store(path, index=opened, validated=True)
        if writer is not None:
            writer.discard()  # without an index the records are gone: validate() starts again
        facts, problems = validate(name, text)  # to say what is wrong, and where
    if problems or facts is None:
        problems.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
        advice = f"fix these, then run 'tradecli validate {name}'" if hint else None
        raise DataError(name, problems, hint=advice)
    del text
    store = Store(path, facts)
    if key is not None and index.build_index(key, facts.all_facts(), total=len(store.by_id)):
        store.index = index.open_index(key)
    return store
