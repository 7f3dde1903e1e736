"""The export's rows: every record flattened into the tables of ``export.tables``, in file order.

A fact's row comes first, then, field by field in the table's order, the rows of its lists: the
link rows of a list of references, and each part's row followed by its own parts' rows (a
lifecycle step, then its evidence).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradecli.export.tables import TABLES, TABLES_BY_NAME, Cell, Table, field_order, in_own_table
from tradecli.facts.fields import Record, Shape

if TYPE_CHECKING:
    from tradecli.store import Store

_TABLE_OF: dict[type[Record], Table] = {
    table.kind: table for table in TABLES if table.field is None
}
_LINK_TABLE_OF = {(table.kind, table.field.name): table for table in TABLES if table.field}


_LISTS_OF: dict[type[Record], tuple[Any, ...]] = {}


def _lists_of(kind: type[Record]) -> tuple[Any, ...]:
    """A kind's fields kept in tables of their own (lists of parts or references), in order."""
    found = _LISTS_OF.get(kind)
    if found is None:
        found = _LISTS_OF[kind] = tuple(f for f in field_order(kind) if not in_own_table(f))
    return found


class _Rows:
    """The rows of every table, collected as a walk through the facts adds them."""

    def __init__(self, kinds: dict[str, str]) -> None:
        self.kinds = kinds
        self.tables: dict[str, list[tuple[Cell, ...]]] = {table.name: [] for table in TABLES}

    def add(
        self,
        kind: type[Record],
        item: Any,
        owner: tuple[type[Record], Cell] | None = None,
        list_index: int = 0,
    ) -> None:
        """Add a record's row, then the rows of its lists."""
        table = _TABLE_OF[kind]
        row: list[Cell] = []
        key: Cell
        if table.numbered:
            key = len(self.tables[table.name]) + 1
            row += [key, *self._owner_cells(table, owner), list_index]
        else:
            key = item.id
        values = item.__dict__
        for field, cells in table.cells:
            row += cells(values[field.name], self.kinds)
        self.tables[table.name].append(tuple(row))
        for field in _lists_of(kind):
            value = values[field.name]
            if field.shape is Shape.PART:
                assert field.part is not None
                for index, part in enumerate(value if field.many else [value]):
                    if part is not None:
                        self.add(field.part, part, (kind, key), index)
            else:
                link = _LINK_TABLE_OF[kind, field.name]
                rows = self.tables[link.name]
                ((_field, cells),) = link.cells
                for index, target in enumerate(value):
                    rows.append((len(rows) + 1, key, index, *cells(target, self.kinds)))

    @staticmethod
    def _owner_cells(table: Table, owner: tuple[type[Record], Cell] | None) -> list[Cell]:
        assert owner is not None
        return [owner[1] if holder is owner[0] else None for holder in table.owners]


def table_rows(store: Store) -> dict[str, list[tuple[Cell, ...]]]:
    """Every table's rows, in file order, as tuples in the table's column order."""
    facts = list(store.all_facts())  # each fact read once, for its kind and then its rows
    kinds = {item.id: collection for collection, item in facts}
    rows = _Rows(kinds)
    for _collection, item in facts:
        rows.add(type(item), item)
    return {name: rows.tables[name] for name in TABLES_BY_NAME}
