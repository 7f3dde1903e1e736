"""The export's rows: every fact made into rows of the tables of ``export.tables``, in file order.

The rows are made in Python from the records (``Store.all_facts``), by functions compiled once
from the tables' declarations: one per kind, and one per part and table that holds it, each
with every cell of a row written out (``source()`` shows them), so that a row costs no loop
over the fields and a plain cell no call. Text is handed on as the record holds it, so a NUL, a
control character or markup reaches the database and the CSV files exactly.

The rows are in file order, collection by collection as ``COLLECTIONS`` lists them:

- a kind's table has a row per fact;
- a part's table (a role, a lifecycle step, a piece of evidence) has a row per part, numbered
  1, 2, ... in the order a reader of the file meets them: fact by fact, within a fact field by
  field in the table's order (``field_order``), and each part before the parts it holds;
- a link table has a row per reference in a list, numbered the same way.

A reference that may name several kinds goes in the column of the kind of the fact it names,
which the facts themselves say: a first pass over them maps each id to its collection.
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
from collections.abc import Callable, Iterator, Mapping
from types import CodeType
from typing import TYPE_CHECKING, Any, assert_never

from tradecli.export.tables import (
    TABLES,
    Cell,
    Fill,
    Table,
    field_order,
    in_own_table,
    targets,
)
from tradecli.facts.dates import PartialDate
from tradecli.facts.fields import DAY_BOUNDS, Field, Record, Shape
from tradecli.facts.kinds import KINDS
from tradecli.query.sources import support

if TYPE_CHECKING:
    from tradecli.store import Store

Row = tuple[Cell, ...]

# How many facts' rows are made before they are handed on: enough for large INSERTs, few
# enough that the rows waiting never take much memory.
BATCH = 2000

_TABLE_OF: dict[type[Record], Table] = {
    table.kind: table for table in TABLES if table.field is None
}
_LINK_TABLE_OF: dict[tuple[type[Record], str], Table] = {
    (table.kind, table.field.name): table for table in TABLES if table.field is not None
}


def table_rows(store: Store, *, batch: int = BATCH) -> Iterator[tuple[Table, list[list[Row]]]]:
    """Every table's rows, as tuples in the table's column order, made a batch of facts at a
    time: (table, rows by owner) for each table the next ``batch`` facts give rows to, then
    for the next facts. The rows of a part held by several kinds or parts (evidence) come in
    one list per owner (``Table.owners``), each in file order, where every other owner's column
    is NULL (``in_order`` merges them); any other table's come in one list, in file order. A
    table's rows come in order from one batch to the next."""
    kinds = {item.id: collection for collection, item in store.all_facts()}
    rows = _Rows(kinds)
    add = rows.adders
    for count, (collection, item) in enumerate(store.all_facts(), 1):
        add[collection](item)
        if count % batch == 0:
            yield from rows.take()
    yield from rows.take()


def confirmation_rows(store: Store, *, batch: int = BATCH) -> Iterator[list[Row]]:
    """The rows of ``CONFIRMATIONS``, in file order, a batch at a time: for each fact that cites
    evidence, who confirms it (``query.sources.support``)."""
    found: list[Row] = []
    for collection, item in store.all_facts():
        if "evidence" not in item.BY_NAME:
            continue
        said = support(store, item)
        found.append(
            (
                item.id,
                collection,
                said.independent,
                json.dumps(said.outlets, ensure_ascii=False),
                int(said.official),
                int(said.meets_rule),
            )
        )
        if len(found) == batch:
            yield found
            found = []
    if found:
        yield found


def in_order(rows_by_owner: list[list[Row]]) -> list[Row]:
    """A table's rows from one batch in file order, whatever their owners: by row number."""
    if len(rows_by_owner) == 1:
        return rows_by_owner[0]
    return sorted(itertools.chain.from_iterable(rows_by_owner), key=_number_of)


_number_of = operator.itemgetter(0)


def held_apart(table: Table) -> bool:
    """True for a part's table whose rows ``table_rows`` gives in a list per owner."""
    return len(table.owners) > 1


class _Rows:
    """The row-making functions, compiled for one export, and the rows they have made."""

    def __init__(self, kinds: Mapping[str, str]) -> None:
        scope: dict[str, Any] = {
            "kinds": kinds,
            "_dates": _DateCells(),
            "_json_texts": _json_texts,
        }
        for table in TABLES:
            for name in _lists_of(table):
                scope[name] = []
            if table.numbered:
                scope[_number(table)] = itertools.count(1).__next__
        exec(_code(), scope)
        self._scope = scope
        self.adders = {kind.COLLECTION: scope[_adder(_TABLE_OF[kind])] for kind in KINDS}

    def take(self) -> Iterator[tuple[Table, list[list[Row]]]]:
        """The rows made since the last time, table by table; the functions go on with new
        lists."""
        scope = self._scope
        for table in TABLES:
            names = _lists_of(table)
            found = [scope[name] for name in names]
            if any(found):
                for name in names:
                    scope[name] = []
                yield table, found


DateCells = tuple[str | None, ...]


class _DateCells(dict[PartialDate | None, DateCells]):
    """A date's cells, made once for each date: the date as written, its precision, and the
    days beside it (``DAY_BOUNDS``)."""

    def __missing__(self, date: PartialDate | None) -> DateCells:
        cells = self[date] = date_cells(date)
        return cells


def date_cells(date: PartialDate | None) -> DateCells:
    """A date's cells: as written, its precision, then the days of ``DAY_BOUNDS`` (ISO); all
    None for no date."""
    if date is None:
        return (None,) * (2 + len(DAY_BOUNDS))
    return (str(date), date.precision.value, *(bound.of(date) for bound in DAY_BOUNDS))


# A list of texts as the export writes it, json.dumps(..., ensure_ascii=False).
_json_texts = json.JSONEncoder(ensure_ascii=False).encode


# The compiled functions. ``add_<table>(item)`` adds a fact's row to its kind's table, then the
# rows of its lists; ``add_<table>_<n>(item, owner, index)`` adds a part held by the table's
# n-th owner (``Table.owners``), as item ``index`` of its list. Their rows go to ``rows_<table>``
# (``rows_<table>_<n>`` for a part held apart) and a part's or link's number comes from
# ``number_<table>()``.


def _rows(table: Table, owner: int | None = None) -> str:
    if owner is not None and held_apart(table):
        return f"rows_{table.name}_{owner}"
    return f"rows_{table.name}"


def _lists_of(table: Table) -> list[str]:
    if held_apart(table):
        return [_rows(table, owner) for owner in range(len(table.owners))]
    return [_rows(table)]


def _number(table: Table) -> str:
    return f"number_{table.name}"


def _adder(table: Table, owner: int | None = None) -> str:
    return f"add_{table.name}" if owner is None else f"add_{table.name}_{owner}"


def source() -> str:
    """The Python source of the row-making functions."""
    assert all(table.name.isidentifier() for table in TABLES)
    functions = [_function(table, None) for table in _TABLE_OF.values() if not table.owners]
    functions += [
        _function(table, owner)
        for table in _TABLE_OF.values()
        for owner in range(len(table.owners))
    ]
    return "\n\n".join("\n".join(lines) for lines in functions) + "\n"


@functools.cache
def _code() -> CodeType:
    return compile(source(), "<tradecli.export.rows>", "exec")


def _function(table: Table, owner: int | None) -> list[str]:
    """The function that adds the row of a fact (``owner`` None) or of a part, then the rows of
    its lists."""
    if owner is None:
        lines = [f"def {_adder(table)}(item):", "    v = item.__dict__", "    key = v['id']"]
        head = []
    else:
        lines = [
            f"def {_adder(table, owner)}(item, owner, index):",
            "    v = item.__dict__",
            f"    key = {_number(table)}()",
        ]
        owners = ["owner" if number == owner else "None" for number in range(len(table.owners))]
        head = ["key", *owners, "index"]
    setup, cells = _cells(table, lambda field: f"v[{field.name!r}]", "c", "    ")
    lines += setup
    lines.append(f"    {_rows(table, owner)}.append(({', '.join([*head, *cells])},))")
    return lines + _lists(table.kind)


def _lists(kind: type[Record]) -> list[str]:
    """The lines that add the rows of a fact's or a part's lists, field by field: each part's
    row and its own lists' rows, or a link row per reference."""
    lines = []
    for field in field_order(kind):
        if in_own_table(field):
            continue
        value = f"v[{field.name!r}]"
        if field.shape is Shape.PART:
            assert field.part is not None
            held = _TABLE_OF[field.part]
            add = _adder(held, held.owners.index(kind))
            if field.many:
                lines += [
                    f"    for index, part in enumerate({value}):",
                    f"        {add}(part, key, index)",
                ]
            else:
                lines += [
                    f"    part = {value}",
                    "    if part is not None:",
                    f"        {add}(part, key, 0)",
                ]
            continue
        link = _LINK_TABLE_OF[kind, field.name]
        setup, cells = _cells(link, lambda _field: "target", "t", "        ")
        lines.append(f"    for index, target in enumerate({value}):")
        lines += setup
        row = ", ".join([f"{_number(link)}()", "key", "index", *cells])
        lines.append(f"        {_rows(link)}.append(({row},))")
    return lines


def _cells(
    table: Table, value_of: Callable[[Field], str], tag: str, indent: str
) -> tuple[list[str], list[str]]:
    """The statements that read what a row's cells need, and the cells' expressions, in column
    order; ``value_of`` gives the expression of a field's value."""
    setup: list[str] = []
    cells: list[str] = []
    for number, (field, fill) in enumerate(table.cells):
        value, name = value_of(field), f"{tag}{number}"
        match fill:
            case Fill.PLAIN:
                cells.append(value)
            case Fill.WORD:  # a word's spelling is its value: _value_ is read without a call
                if field.nullable:
                    setup.append(f"{indent}{name} = {value}")
                    cells.append(f"(None if {name} is None else {name}._value_)")
                else:
                    cells.append(f"{value}._value_")
            case Fill.REAL:
                setup.append(f"{indent}{name} = {value}")
                cells.append(f"(None if {name} is None else float({name}))")
            case Fill.DATE:
                setup.append(f"{indent}{name} = _dates[{value}]")
                cells += [f"{name}[{place}]" for place in range(4)]
            case Fill.TEXTS:
                setup.append(f"{indent}{name} = {value}")
                cells.append(f"(_json_texts({name}) if {name} else '[]')")
            case Fill.KINDS:
                others = targets(field)[1:]
                setup.append(f"{indent}{name} = {value}")
                setup.append(f"{indent}{name}_kind = kinds.get({name})")
                cells.append(f"(None if {name}_kind in {tuple(others)!r} else {name})")
                cells += [f"({name} if {name}_kind == {other!r} else None)" for other in others]
            case _:
                assert_never(fill)
    return setup, cells
