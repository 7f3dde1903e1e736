"""The export's tables, columns, comments and constraints, derived from the fact declarations.

Every kind has a table keyed by its id: one column per field (four for a date: the date as
written, its precision, and the first and last days it can mean, by which any tool sorts and
filters it), the kind's own fields first, then the fields every fact shares. A
list of references becomes a link table ``<kind>_<field>`` (``event_participants``), a list of
parts the part's own table (``person_roles``, ``lifecycle_steps``, ``evidence``), numbered in
file order with a ``list_index``. A reference that may name several kinds becomes one nullable
foreign key per kind, with a CHECK that at most one (in a list: exactly one) is set. Each
column's comment is its field's description.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import NamedTuple

from tradecli.facts.dates import Precision
from tradecli.facts.fields import DAY_BOUNDS, ExactlyOne, Field, Record, Shape
from tradecli.facts.kinds import COLLECTIONS, KIND_OF, KINDS, PARTS, Evidence

Cell = str | int | float | None

# Stamped into PRAGMA user_version; raise it when a table or column changes meaning.
EXPORT_VERSION = 4

_DATE_NOTE = "As in the fact file: YYYY, YYYY-MM or YYYY-MM-DD."


class Column(NamedTuple):
    """One column of an exported table."""

    name: str
    sql_type: str
    doc: str
    not_null: bool = False
    primary_key: bool = False
    references: str | None = None
    choices: tuple[str, ...] = ()

    def definition(self) -> str:
        """The column's definition in CREATE TABLE."""
        parts = [quote(self.name), self.sql_type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        if self.not_null or self.primary_key:
            parts.append("NOT NULL")
        if self.references is not None:
            parts.append(f'REFERENCES {quote(self.references)}("id")')
        if self.check is not None:
            parts.append(check_constraint(self.check))
        return " ".join(parts)

    @property
    def check(self) -> str | None:
        """The expression of the column's CHECK, if it has one: its value is one of its choices."""
        if not self.choices:
            return None
        allowed = ", ".join(literal(choice) for choice in self.choices)
        return f"{quote(self.name)} IN ({allowed})"


class Fill(Enum):
    """How one field's value becomes its cells, in the table's column order (``export.rows``
    makes them). Words and dates are as the fact file writes them."""

    PLAIN = "plain"  # the value itself: text, an id, a reference to one kind, NULL
    WORD = "word"  # a vocabulary word, as spelt in the fact file
    REAL = "real"  # a number, always a float: 100 and 100.0 read back the same
    # Four cells: the date as written, its precision, and its first and last days (ISO).
    DATE = "date"
    TEXTS = "texts"  # a list of texts, as a JSON array: json.dumps(..., ensure_ascii=False)
    # A reference that may name several kinds: a cell per kind (``targets``), the id in the
    # column of the kind of the fact it names. An id that names no fact of the other kinds stays
    # in the first kind's column, whose foreign key then fails the export: never all NULL.
    KINDS = "kinds"


class Table(NamedTuple):
    """An exported table: its columns, constraints and search columns, and where rows come from.

    ``kind`` is the kind or part whose records are its rows, or, for a link table, the kind that
    owns the list; ``field`` is that list's field. ``cells`` says, for each field stored in
    the table's own columns (for a link table, the list's field: each of its items), how its
    value fills them. ``owners`` are the kinds and parts that hold a part's or link's rows.
    """

    name: str
    doc: str
    columns: tuple[Column, ...]
    search: tuple[str, ...]
    constraints: tuple[tuple[str, str], ...]
    kind: type[Record]
    field: Field | None
    cells: tuple[tuple[Field, Fill], ...]
    owners: tuple[type[Record], ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)

    @property
    def owner_columns(self) -> tuple[Column, ...]:
        """A part's or link's owner columns, after its row number: one per kind or part that
        holds it (``owners``), in that order."""
        return self.columns[1 : 1 + len(self.owners)]

    @property
    def numbered(self) -> bool:
        """True for a table of parts or links, whose rows are numbered in file order."""
        return bool(self.owners)

    @property
    def checks(self) -> tuple[str, ...]:
        """The expressions of every CHECK of the table, its columns' and its own, in order."""
        own = (column.check for column in self.columns if column.check is not None)
        rules = (sql[len(_CHECK) : -1] for sql, _doc in self.constraints if sql.startswith(_CHECK))
        return (*own, *rules)

    def create_sql(self) -> str:
        """CREATE TABLE with a comment on the table and on every column."""
        return create_sql(self.name, self.doc, self.columns, self.constraints)


def create_sql(
    name: str, doc: str, columns: Iterable[Column], constraints: Iterable[tuple[str, str]] = ()
) -> str:
    """CREATE TABLE with a comment on the table and on every column and constraint."""
    items = [(column.definition(), column.doc) for column in columns]
    items += list(constraints)
    lines = [f"CREATE TABLE {quote(name)} (", f"  -- {doc}"]
    for index, (definition, doc_of) in enumerate(items):
        comma = "," if index < len(items) - 1 else ""
        lines.append(f"  {definition}{comma} -- {doc_of}")
    lines.append(")")
    return "\n".join(lines)


_CHECK = "CHECK ("


def check_constraint(expression: str) -> str:
    """A CHECK constraint of an expression: ``Table.checks`` reads the expression back."""
    return f"{_CHECK}{expression})"


def quote(identifier: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def one_of(names: Iterable[str], *, exactly: bool) -> str:
    """A CHECK that at most (or exactly) one of the columns is set."""
    total = " + ".join(f"({quote(name)} IS NOT NULL)" for name in names)
    return check_constraint(f"{total} {'=' if exactly else '<='} 1")


def targets(field: Field) -> tuple[str, ...]:
    """The collections a reference may name, in file order."""
    return tuple(collection for collection in COLLECTIONS if collection in field.targets)


def _singular(collection: str) -> str:
    return KIND_OF[collection].SINGULAR


def _noun(kind: type[Record]) -> str:
    return kind.SINGULAR.replace("_", " ")


def names_several(field: Field) -> bool:
    """True for a reference that may name facts of several kinds: a column per kind."""
    return field.shape is Shape.REF and len(targets(field)) > 1


def _reference_columns(
    field: Field, name: str, doc: str, *, required: bool
) -> tuple[tuple[Column, ...], Fill, tuple[tuple[str, str], ...]]:
    """The columns of one reference: one foreign key, or one per kind it may name."""
    kinds_in_order = targets(field)
    if not names_several(field):
        return (
            (Column(name, "TEXT", doc, not_null=required, references=kinds_in_order[0]),),
            Fill.PLAIN,
            (),
        )
    columns = tuple(
        Column(
            f"{name}_{_singular(collection)}",
            "TEXT",
            f"{doc} Set when one of the {collection}, else NULL.",
            references=collection,
        )
        for collection in kinds_in_order
    )
    check = one_of([column.name for column in columns], exactly=required)
    what = f"Each row names one {name}." if field.many else _one_doc(field, required=required)
    return columns, Fill.KINDS, ((check, what),)


def _one_doc(field: Field, *, required: bool) -> str:
    return f"{'Exactly' if required else 'At most'} one {field.name} column is set."


def _columns_of(field: Field) -> tuple[tuple[Column, ...], Fill, tuple[tuple[str, str], ...]]:
    """The columns a field stored in its own table fills, how, and their constraints."""
    name, doc, not_null = field.name, field.description, not field.nullable
    if field.shape is Shape.ID:
        return (Column(name, "TEXT", doc, primary_key=True),), Fill.PLAIN, ()
    if field.shape is Shape.REF:
        return _reference_columns(field, name, doc, required=not_null)
    if field.shape is Shape.DATE:
        return date_columns(name, doc), Fill.DATE, ()
    if field.shape is Shape.VOCAB:
        assert field.vocab is not None
        choices = tuple(str(member.value) for member in field.vocab)
        return (Column(name, "TEXT", doc, not_null=not_null, choices=choices),), Fill.WORD, ()
    if field.shape in (Shape.PERCENT, Shape.NUMBER):
        return (Column(name, "REAL", doc),), Fill.REAL, ()
    if field.many:  # a list of texts
        doc = f"{doc} A JSON array of text; [] when none."
        return (Column(name, "TEXT", doc, not_null=True),), Fill.TEXTS, ()
    return (Column(name, "TEXT", doc, not_null=not_null),), Fill.PLAIN, ()


def date_columns(name: str, doc: str) -> tuple[Column, ...]:
    """The four columns of a date: as written, its precision, and the first and last days it
    can mean, which every tool sorts and compares as it would a day."""
    precision = tuple(str(member.value) for member in Precision)
    return (
        Column(name, "TEXT", f"{doc} {_DATE_NOTE}"),
        Column(
            f"{name}_precision",
            "TEXT",
            f"How much of {name} is known: year, month or day.",
            choices=precision,
        ),
        *(Column(bound.name(name), "TEXT", bound.describe(name)) for bound in DAY_BOUNDS),
    )


def in_own_table(field: Field) -> bool:
    """True for a field stored in its kind's own table (not a list of parts or references)."""
    return field.shape is not Shape.PART and not (field.shape is Shape.REF and field.many)


_FIELD_ORDER: dict[type[Record], tuple[Field, ...]] = {}


def field_order(kind: type[Record]) -> tuple[Field, ...]:
    """A kind's fields as the export orders them: id, its own fields, then those it inherits."""
    found = _FIELD_ORDER.get(kind)
    if found is None:
        found = _FIELD_ORDER[kind] = _field_order(kind)
    return found


def _field_order(kind: type[Record]) -> tuple[Field, ...]:
    own = kind.OWN_FIELDS
    fields = (*own, *(field for field in kind.FIELDS if field not in own))
    ids = tuple(field for field in fields if field.shape is Shape.ID)
    return (*ids, *(field for field in fields if field.shape is not Shape.ID))


def _owners(part: type[Record]) -> tuple[type[Record], ...]:
    """The kinds and parts that hold ``part``, kinds first, in file order."""
    return tuple(
        holder for holder in (*KINDS, *PARTS) if any(field.part is part for field in holder.FIELDS)
    )


def _numbering() -> Column:
    return Column("id", "INTEGER", "Row number, 1, 2, ... in file order.", primary_key=True)


def _list_index() -> Column:
    return Column("list_index", "INTEGER", "0-based place in the fact file's list.", not_null=True)


def _owner_columns(
    owners: tuple[type[Record], ...],
) -> tuple[tuple[Column, ...], tuple[tuple[str, str], ...]]:
    columns = tuple(
        Column(
            f"{owner.SINGULAR}_id",
            "INTEGER" if owner in PARTS else "TEXT",
            f"The {_noun(owner)} this row belongs to.",
            not_null=len(owners) == 1,
            references=owner.TABLE,
        )
        for owner in owners
    )
    if len(owners) == 1:
        unique = f"UNIQUE ({quote(columns[0].name)}, {quote('list_index')})"
        return columns, ((unique, "One row per list item."),)
    check = one_of([column.name for column in columns], exactly=True)
    return columns, ((check, "Each row belongs to one fact or part."),)


def _rule_checks(kind: type[Record]) -> tuple[tuple[str, str], ...]:
    """CHECKs for the kind's rules that SQL can state: exactly one of two fields."""
    found = []
    for rule in kind.RULES:
        if isinstance(rule, ExactlyOne) and len(rule.names) == 2:
            first, second = (quote(name) for name in rule.names)
            both = check_constraint(f"({first} IS NULL) <> ({second} IS NULL)")
            found.append((both, f"Exactly one of {rule.names[0]} or {rule.names[1]}."))
    return tuple(found)


def _record_table(kind: type[Record]) -> Table:
    """The table of a kind's records, or of a part's."""
    owners = _owners(kind) if kind in PARTS else ()
    columns: list[Column] = []
    constraints: list[tuple[str, str]] = []
    if owners:
        owner_columns, owner_checks = _owner_columns(owners)
        columns += [_numbering(), *owner_columns, _list_index()]
    cells = []
    for field in field_order(kind):
        if not in_own_table(field):
            continue
        field_columns, fill, checks = _columns_of(field)
        columns += field_columns
        constraints += checks
        cells.append((field, fill))
    if owners:
        constraints += owner_checks
    constraints += _rule_checks(kind)
    search = tuple(
        field.name for field, _fill in cells if field.searched and field.shape is Shape.TEXT
    )
    return Table(
        kind.TABLE,
        (kind.__doc__ or "").strip().splitlines()[0],
        tuple(columns),
        search,
        tuple(constraints),
        kind,
        None,
        tuple(cells),
        owners,
    )


def _link_table(kind: type[Record], field: Field) -> Table:
    """The link table of a list of references: one row per id in the list."""
    owner_columns, owner_checks = _owner_columns((kind,))
    ref_columns, fill, checks = _reference_columns(
        field, field.each, field.each_description, required=True
    )
    return Table(
        f"{kind.SINGULAR}_{field.name}",
        field.description,
        (_numbering(), *owner_columns, _list_index(), *ref_columns),
        (),
        (*checks, *owner_checks),
        kind,
        field,
        ((field, fill),),
        (kind,),
    )


def _build() -> tuple[Table, ...]:
    """Kinds, then the tables of their parts and links, evidence last."""
    parts = [_record_table(part) for part in PARTS]
    links = [
        _link_table(kind, field)
        for kind in KINDS
        for field in field_order(kind)
        if field.shape is Shape.REF and field.many
    ]
    evidence = [table for table in parts if table.kind is Evidence]
    others = [table for table in parts if table.kind is not Evidence]
    return (*(_record_table(kind) for kind in KINDS), *others, *links, *evidence)


TABLES: tuple[Table, ...] = _build()


class Derived(NamedTuple):
    """A table made from what the facts say rather than from their fields: who confirms each
    fact, and the export's own record."""

    name: str
    doc: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order."""
        return tuple(column.name for column in self.columns)

    @property
    def checks(self) -> tuple[str, ...]:
        """The expressions of every CHECK of the table: its columns'."""
        return tuple(column.check for column in self.columns if column.check is not None)

    def create_sql(self) -> str:
        """CREATE TABLE with a comment on the table and on every column."""
        return create_sql(self.name, self.doc, self.columns)


CONFIRMATIONS = "confirmations"
"""The table of who confirms each fact, derived from its evidence (``query.sources.support``)."""

CONFIRMATION_COLUMNS = (
    Column("fact_id", "TEXT", "The fact: an id of any kind's table.", primary_key=True),
    Column(
        "kind",
        "TEXT",
        "The table of the fact.",
        not_null=True,
        choices=tuple(kind.TABLE for kind in KINDS if "evidence" in kind.BY_NAME),
    ),
    Column(
        "independent_outlets",
        "INTEGER",
        "How many independent outlets the fact's sources are: a wire story and the papers "
        "that carried it count once, and so does an outlet quoting another's report.",
        not_null=True,
    ),
    Column("outlets", "TEXT", "Those outlets' names, as a JSON array.", not_null=True),
    Column(
        "official_source",
        "INTEGER",
        "1 if a source is a government or official body, else 0.",
        not_null=True,
    ),
    Column(
        "meets_sourcing_rule",
        "INTEGER",
        "1 if the fact meets the Global Trade Alert's sourcing rule (an official source, or "
        "two independent outlets), else 0.",
        not_null=True,
    ),
)
"""The columns of ``CONFIRMATIONS``: a row per fact that cites evidence."""

CONFIRMATIONS_TABLE = Derived(
    CONFIRMATIONS,
    "Who confirms each fact that cites evidence (derived from the evidence and the sources).",
    CONFIRMATION_COLUMNS,
)

EXPORT_INFO = "export_info"
"""The table of the export's own record: one row."""

EXPORT_INFO_TABLE = Derived(
    EXPORT_INFO,
    "What was exported, from which file, by which tradecli, when: one row.",
    (
        Column(
            "tradecli_version",
            "TEXT",
            "The version of tradecli that wrote the export.",
            not_null=True,
        ),
        Column(
            "export_version",
            "INTEGER",
            "The version of the export's layout, as PRAGMA user_version gives it; it changes "
            "when a table or column changes meaning.",
            not_null=True,
        ),
        Column("fact_file", "TEXT", "The fact file's name, without its folder.", not_null=True),
        Column(
            "fact_file_sha256",
            "TEXT",
            "The SHA-256 of the fact file's bytes, in hex, as sha256sum prints it; NULL where "
            "the fact file is not a regular file (a pipe).",
        ),
        Column(
            "newest_source",
            "TEXT",
            "The source published last: the facts know nothing that came after it. NULL where "
            "no source is dated.",
            references="sources",
        ),
        *date_columns(
            "newest_source_date",
            "The date the sources end: when the newest source was published (where its page "
            "shows no date, the last day it may have been written).",
        ),
        Column(
            "exported_at",
            "TEXT",
            "When the export was written, in UTC: YYYY-MM-DDTHH:MM:SSZ.",
            not_null=True,
        ),
    ),
)

DERIVED: tuple[Derived, ...] = (CONFIRMATIONS_TABLE, EXPORT_INFO_TABLE)
"""The tables made from what the facts say, after the tables of their fields."""

EVERY_TABLE: tuple[Table | Derived, ...] = (*TABLES, *DERIVED)
"""Every exported table, in the order they are made and written."""

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


class Index(NamedTuple):
    """An index on one foreign key column: ``idx_<table>_<column>``, as sqlite-utils names one."""

    table: str
    column: str

    @property
    def name(self) -> str:
        """The index's name."""
        return f"idx_{self.table}_{self.column}"

    def create_sql(self) -> str:
        """CREATE INDEX."""
        return f"CREATE INDEX {quote(self.name)} ON {quote(self.table)} ({quote(self.column)})"


def foreign_key_indexes(name: str, columns: Iterable[Column], *, owner: str | None) -> list[Index]:
    """An index on each foreign key column of a table but ``owner``, the column that already
    leads the table's UNIQUE (owner, list_index) index, which serves the same look-ups."""
    return [
        Index(name, column.name)
        for column in columns
        if column.references is not None and column.name != owner
    ]


def _indexes_of(table: Table) -> list[Index]:
    owner = table.owner_columns[0].name if len(table.owners) == 1 else None
    return foreign_key_indexes(table.name, table.columns, owner=owner)


INDEXES: tuple[Index, ...] = (
    *(index for table in TABLES for index in _indexes_of(table)),
    *(
        index
        for table in DERIVED
        for index in foreign_key_indexes(table.name, table.columns, owner=None)
    ),
)
"""An index on every foreign key column of every table."""
