"""The tradecli command line: parse arguments, call a query, hand the result to a renderer."""

from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from tradecli import __version__
from tradecli.cli_export import export_app
from tradecli.errors import DataError, ExitCode, NotFoundError, TradecliError, UsageError
from tradecli.params import seed, seed_subcommand
from tradecli.render import Format
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from rich.console import RenderableType

    from tradecli.render import Listing
    from tradecli.render.table import Recording
    from tradecli.store import Store

DEBUG_ENV = "TRADECLI_DEBUG"

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too); 1 a name or id not found; 2 usage error; "
    "3 a fact file that cannot be read or is invalid; 4 internal error; 130 interrupted."
)


def report(message: str) -> None:
    """Write a message for people to stderr, with control characters made visible."""
    try:
        sys.stderr.write(visible(message, keep_newlines=True) + "\n")
        sys.stderr.flush()
    except BrokenPipeError:
        pass  # nobody reads stderr any more; the exit code still tells what happened


def fail(error: TradecliError) -> NoReturn:
    """Report a domain error and exit with its documented code."""
    report(f"tradecli: {error.message}" if not isinstance(error, DataError) else error.message)
    if error.hint:
        report(f"hint: {error.hint}")
    raise typer.Exit(int(error.exit_code))


class _Group(TyperGroup):
    """Maps domain errors raised by any command to one message and a documented exit code.

    When the reader of stdout goes away (``tradecli tariffs | head -1``), the rest of the output
    is dropped and tradecli exits 0, quietly, as Click would otherwise exit 1.

    Option values are checked by tradecli.params, which spares each run Typer's pydantic import.
    """

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:  # --help written to a closed pipe
            _silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        seed(self, ctx)
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and command is not None:
            seed_subcommand(ctx, name, command)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TradecliError as error:
            fail(error)
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(int(ExitCode.OK)) from None
        except SystemExit as error:
            # Rich's Console ends a broken pipe with SystemExit(1); end it like any other: 0.
            if isinstance(error.__context__, BrokenPipeError):
                raise typer.Exit(int(ExitCode.OK)) from None
            raise


@dataclass
class Settings:
    """Global options, shared with every command through ``ctx.obj``."""

    data: str | None = None
    cache: bool = True
    source: str | None = None
    export_svg: Path | None = None
    export_html: Path | None = None
    export_title: str = "tradecli"
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The fact store, loaded once on first use, restricted to ``--source`` when given."""
        if self._store is None:
            from tradecli.store import load, resolve_path

            self._store = load(resolve_path(self.data), cache=self.cache)
            if self.source is not None:
                from tradecli.query import restrict_to_source

                self._store = restrict_to_source(self._store, self.source)
        return self._store


app = typer.Typer(
    cls=_Group,
    name="tradecli",
    help=(
        "Explore the facts of Canada-China trade relations around Mark Carney's January 2026 "
        "visit to Beijing, with the source of every fact.\n\n"
        "Examples:\n\n"
        "  tradecli tariffs\n\n"
        "  tradecli meetings --date 2026-01-15\n\n"
        "  tradecli quote carney\n\n"
        "  tradecli --data my-facts.json validate"
    ),
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tradecli {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            metavar="PATH",
            help="Fact file to use instead of the bundled one (also $TRADECLI_DATA).",
            show_default=False,
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help=(
                "Neither read nor write the search index kept in the cache directory "
                "($XDG_CACHE_HOME/tradecli); validate and load the file every time."
            ),
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    ctx.obj = Settings(data=data, cache=not no_cache)


def settings(ctx: typer.Context) -> Settings:
    """The global settings of this invocation."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


@app.command(epilog=EXIT_CODES_HELP)
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Fact file to check; default: --data, $TRADECLI_DATA, or the bundled file.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check a fact file and list every problem in it.

    Valid: exit 0 and a one-line summary. Invalid: exit 3 and one line per problem, naming the
    file, the line, the JSON path, what is wrong and what is expected.

    Examples:

      tradecli validate

      tradecli validate my-facts.json
    """
    from tradecli.store import load, resolve_path

    target = path if path is not None else resolve_path(settings(ctx).data)
    store = load(target, hint=False, cache=False)  # validate always checks, never trusts a cache
    from tradecli.query import summary_counts

    counts = summary_counts(store)
    parts = ", ".join(f"{count} {name}" for name, count in counts.items())
    typer.echo(visible(f"{target}: valid: {parts}"))
    conflicts = store.facts.conflicts
    for conflict in conflicts:
        claims = ", ".join(conflict.claims)
        report(f"known conflict {conflict.id}: {conflict.topic} ({claims})")


@app.command(epilog=EXIT_CODES_HELP)
def schema() -> None:
    """Print the JSON Schema of the fact file.

    Editors use it to check and complete a fact file; data/facts.json names it with "$schema".

    Example:

      tradecli schema > facts.schema.json
    """
    import json

    from tradecli.schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


# Query commands


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format: table for people; json, csv or markdown for other programs.",
    ),
]


def _root_store(ctx: typer.Context) -> Store:
    """The store named by --data (or the default), for completion, where no command has run."""
    data = ctx.find_root().params.get("data")
    return Settings(data=data if isinstance(data, str) else None).store()


def _complete_entities(collections: tuple[str, ...]) -> Any:
    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        try:
            from tradecli.names import completions

            return completions(_root_store(ctx), incomplete, collections=collections)
        except Exception:  # completion must never break the shell
            return []

    return complete


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Fact ids that start with what is typed so far."""
    try:
        return [fact_id for fact_id in _root_store(ctx).by_id if fact_id.startswith(incomplete)]
    except Exception:  # completion must never break the shell
        return []


_complete_people = _complete_entities(("people",))
_complete_organisations = _complete_entities(("organisations",))
_complete_actors = _complete_entities(("people", "organisations"))
_complete_jurisdictions = _complete_entities(("places", "organisations"))


def _complete_sources(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Source ids that start with what is typed so far, with their titles."""
    try:
        return [
            (source.id, source.title)
            for source in _root_store(ctx).facts.sources
            if source.id.startswith(incomplete)
        ]
    except Exception:  # completion must never break the shell
        return []


def _set_source(ctx: typer.Context, value: str | None) -> None:
    if value is not None:
        settings(ctx).source = value


SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        metavar="ID",
        help="Only facts whose evidence cites this source (see 'tradecli sources').",
        callback=_set_source,
        expose_value=False,
        autocompletion=_complete_sources,
    ),
]


def _set_export(ctx: typer.Context, param: typer.CallbackParam, value: Path | None) -> None:
    if value is None:
        return
    found = settings(ctx)
    if "--export-svg" in param.opts:
        found.export_svg = value
    else:
        found.export_html = value
    found.export_title = ctx.command_path


ExportSvgOption = Annotated[
    Path | None,
    typer.Option(
        "--export-svg",
        metavar="PATH",
        help=(
            "Also save what the table shows as an SVG image at PATH (an existing file is "
            "replaced). Table format only."
        ),
        callback=_set_export,
        expose_value=False,
        show_default=False,
    ),
]
ExportHtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--export-html",
        metavar="PATH",
        help=(
            "Also save what the table shows as an HTML page at PATH (an existing file is "
            "replaced). Table format only."
        ),
        callback=_set_export,
        expose_value=False,
        show_default=False,
    ),
]


def _same_file(one: Path, other: Path) -> bool:
    try:
        if one.exists() and other.exists():
            return one.samefile(other)
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop, or a path too odd to resolve
        return False


def _recording(found: Settings, fmt: Format) -> Recording | None:
    """The files --export-svg and --export-html name, checked; None when neither is given."""
    given = [
        (option, path)
        for option, path in (
            ("--export-svg", found.export_svg),
            ("--export-html", found.export_html),
        )
        if path is not None
    ]
    if not given:
        return None
    if fmt is not Format.TABLE:
        raise UsageError(
            f"{given[0][0]} saves what the table shows; it cannot be used with "
            f"--format {fmt.value}",
            hint=f"leave out --format, or save the {fmt.value} output with '> FILE'",
        )
    from tradecli.store import resolve_path

    fact_file = resolve_path(found.data)
    for option, path in given:
        if path.is_dir():
            raise UsageError(f"{option} {path} is a folder; give the path of a file to write")
        if not path.parent.is_dir():
            raise UsageError(
                f"{option} {path}: the folder {path.parent} does not exist",
                hint="create the folder first, or choose a path in a folder that exists",
            )
        if _same_file(path, fact_file):
            raise UsageError(
                f"{option} {path} is the fact file being read; choose another path to write"
            )
    if len(given) == 2 and _same_file(given[0][1], given[1][1]):
        raise UsageError(f"--export-svg and --export-html both name {given[0][1]}; give two paths")
    from tradecli.render.table import Recording

    return Recording(svg=found.export_svg, html=found.export_html, title=found.export_title)


def _emit(
    ctx: typer.Context,
    listing: Listing,
    fmt: Format,
    *,
    empty: str,
    notes: list[str] | None = None,
    view: RenderableType | None = None,
) -> None:
    """Report notes, write the listing to stdout in ``fmt``, and say on stderr if it is empty.

    In table format a ``view``, when given, is drawn instead of the listing's table; with
    --export-svg or --export-html the same drawing is also saved to those files.
    """
    from tradecli.render import renderer

    recording = _recording(settings(ctx), fmt)
    for note in notes or []:
        report(note)
    if fmt is Format.TABLE and (view is not None or recording is not None):
        from tradecli.render import table

        drawing = view if view is not None and listing.rows else listing
        table.show(drawing, sys.stdout, recording=recording)
    else:
        renderer(fmt)(listing, sys.stdout)
    if not listing.rows:
        report(empty)


def _filters(**given: object) -> str:
    shown = [
        f"--{name.rstrip('_').replace('_', '-')} {value}"
        for name, value in given.items()
        if value is not None
    ]
    return " ".join(shown) if shown else "no filter"


@app.command(epilog=EXIT_CODES_HELP)
def tariffs(
    ctx: typer.Context,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Only measures imposed by this country or body (or a body within it).",
            autocompletion=_complete_jurisdictions,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="Only measures aimed at this country or body.",
            autocompletion=_complete_jurisdictions,
        ),
    ] = None,
    product: Annotated[
        str | None,
        typer.Option("--product", help="Only measures on a product containing this text."),
    ] = None,
    min_rate: Annotated[
        float | None,
        typer.Option(
            "--min-rate", min=0, help="Only measures with a rate of at least this percent."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help=(
                "Show each measure as it stood on this day: status, rate, and changes that "
                "were only expected (never shown as confirmed unless a source confirms them)."
            ),
        ),
    ] = None,
    chain: Annotated[
        bool,
        typer.Option(
            "--chain",
            help=(
                "Show how the measures answer each other, following responds_to: a tree from "
                "each measure that responds to none of those listed, with the measures that "
                "respond to it beneath. A measure answering several appears under each; a "
                "repeat is marked and not expanded again. With -f json: nested objects {id, "
                "title, rate_percent, status, announced, in_force, responds_to, cut, "
                "responses}, where cut is null, repeat, cycle or continued. With -f csv or "
                "markdown: one row per link (from, from title, to, to title), 'to' responding "
                "to 'from'; a measure answering none of those listed has an empty 'from'."
            ),
        ),
    ] = False,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List tariffs and other trade measures: who imposes them on whom, on what, at what rate, why.

    A rate a source does not give is shown as "not given", never guessed.

    Examples:

      tradecli tariffs --by china --product canola

      tradecli tariffs --min-rate 50 -f csv

      tradecli tariffs --as-of 2026-03-02

      tradecli tariffs --chain --product canola
    """
    from tradecli import names, query
    from tradecli.render.rows import as_of_listing, tariff_listing

    if chain and as_of is not None:
        raise UsageError("--chain cannot be combined with --as-of; use one or the other")
    store = settings(ctx).store()
    places = ("places", "organisations")
    imposer = names.resolve(store, by, collections=places).id if by is not None else None
    target = names.resolve(store, on, collections=places).id if on is not None else None
    found = query.tariffs(store, imposer=imposer, target=target, product=product, min_rate=min_rate)
    empty = f"no measures match {_filters(by=by, on=on, product=product, min_rate=min_rate)}"
    if chain:
        from tradecli.chains import response_chains
        from tradecli.render.views import chain_listing, chain_view

        chains = response_chains(found.items)
        view = chain_view(store, chains, found.items) if fmt is Format.TABLE else None
        _emit(
            ctx, chain_listing(chains, found.items), fmt, empty=empty, notes=found.notes, view=view
        )
        return
    if as_of is None:
        _emit(ctx, tariff_listing(store, found), fmt, empty=empty, notes=found.notes)
        return
    day = query.parse_date(as_of, option="--as-of")
    if day.day is None:
        raise UsageError(
            f"--as-of {as_of!r} is not a day", hint="give a day as YYYY-MM-DD, e.g. 2026-03-02"
        )
    states = query.tariffs_as_of(store, found, day.first_day())
    listing = as_of_listing(store, states, day.first_day())
    _emit(ctx, listing, fmt, empty=f"no measures in place on {day}", notes=states.notes)


@app.command(epilog=EXIT_CODES_HELP)
def meetings(
    ctx: typer.Context,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="DATE",
            help="Only meetings on this date: YYYY, YYYY-MM or YYYY-MM-DD.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only meetings on or after this date."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Only meetings on or before this date."),
    ] = None,
    with_: Annotated[
        str | None,
        typer.Option(
            "--with",
            metavar="NAME",
            help="Only meetings with this person or organisation.",
            autocompletion=_complete_actors,
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="Only meetings with this status: held, scheduled or cancelled."
        ),
    ] = None,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List meetings: date, participants, place, status and topics.

    A meeting known only to the month is matched by a window holding the whole month; a narrower
    window does not match it, and a note on stderr says so.

    Examples:

      tradecli meetings --date 2026-01-15

      tradecli meetings --with "li qiang" --status held
    """
    from tradecli import names, query
    from tradecli.render.rows import meeting_listing

    window = query.date_window(on=on, since=since, until=until)
    store = settings(ctx).store()
    who = names.resolve(store, with_, collections=names.ACTORS).id if with_ is not None else None
    wanted = query.event_status(status) if status is not None else None
    found = query.meetings(store, window=window, participant=who, status=wanted)
    empty = "no meetings match " + _filters(
        date=on, since=since, until=until, with_=with_, status=status
    )
    _emit(ctx, meeting_listing(store, found), fmt, empty=empty, notes=found.notes)


@app.command(epilog=EXIT_CODES_HELP)
def quote(
    ctx: typer.Context,
    speaker: Annotated[
        str | None,
        typer.Argument(
            help=(
                "Only quotes by this person or organisation (any name, surname or id), or by a "
                "speaker a source only describes (words of that description, e.g. readout)."
            ),
            show_default=False,
            autocompletion=_complete_actors,
        ),
    ] = None,
    about: Annotated[
        str | None,
        typer.Option("--about", help="Only quotes whose subject or words hold these words."),
    ] = None,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List quotes with their date, occasion and attribution.

    SPEAKER is a person or organisation, or words of how a source describes an unnamed speaker
    (e.g. "readout").

    Examples:

      tradecli quote carney

      tradecli quote readout

      tradecli quote --about agriculture -f json
    """
    from tradecli import names, query
    from tradecli.render.rows import quote_listing

    store = settings(ctx).store()
    who = described = None
    if speaker is not None:
        try:
            who = names.resolve(store, speaker, collections=names.ACTORS).id
        except NotFoundError:
            # A speaker no entity names, such as "readout": quotes described that way.
            if not query.quotes(store, described=speaker).items:
                raise
            described = speaker
    found = query.quotes(store, speaker=who, described=described, about=about)
    empty = f"no quotes by {speaker}" if speaker is not None else "no quotes"
    if about is not None:
        empty += f" about {about!r}"
    _emit(ctx, quote_listing(store, found), fmt, empty=empty)


def _entities(ctx: typer.Context, collection: str, name: str | None, fmt: Format) -> None:
    from tradecli import names
    from tradecli.render.rows import detail_listing, entity_listing

    store = settings(ctx).store()
    if name is None:
        _emit(
            ctx,
            entity_listing(store, collection, store.items(collection)),
            fmt,
            empty=f"no {collection}",
        )
        return
    entity = names.resolve(store, name, collections=(collection,))
    _emit(ctx, detail_listing(store, entity.id), fmt, empty="")


@app.command(epilog=EXIT_CODES_HELP)
def people(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="A person to show in full, with every fact linked to them.",
            show_default=False,
            autocompletion=_complete_people,
        ),
    ] = None,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List the people named in the facts, or show one with everything linked to them.

    Examples:

      tradecli people

      tradecli people "li qiang"
    """
    _entities(ctx, "people", name, fmt)


@app.command(epilog=EXIT_CODES_HELP)
def companies(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            help="A company or body to show in full, with every fact linked to it.",
            show_default=False,
            autocompletion=_complete_organisations,
        ),
    ] = None,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List the companies and state bodies named in the facts, or show one in full.

    Examples:

      tradecli companies

      tradecli companies catl
    """
    _entities(ctx, "organisations", name, fmt)


@app.command(epilog=EXIT_CODES_HELP)
def timeline(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only what happened on or after this date."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Only what happened on or before this date."),
    ] = None,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List every dated event and step of a trade measure, earliest first.

    The table is a timeline by year and month, with a heading for each day of the visit's
    months. An entry known only to the month or the year is drawn as a span of all of it
    (e.g. "2018-12 (whole month)"); the ids in brackets are its sources. JSON, CSV and Markdown
    give one row per entry.

    Examples:

      tradecli timeline

      tradecli timeline --since 2024 --until 2025-06

      tradecli timeline --since 2026 --export-svg timeline.svg
    """
    from tradecli import query
    from tradecli.render.rows import timeline_listing

    window = query.date_window(since=since, until=until)
    store = settings(ctx).store()
    found = query.timeline(store, window=window)
    empty = f"nothing dated matches {_filters(since=since, until=until)}"
    view = None
    if fmt is Format.TABLE:
        from tradecli.render.views import timeline_view

        view = timeline_view(store, found)
    _emit(ctx, timeline_listing(found), fmt, empty=empty, notes=found.notes, view=view)


@app.command(epilog=EXIT_CODES_HELP)
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to look for, in any case or accent.")],
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=0, help="Show at most this many matches; 0 for all."),
    ] = 20,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Search every fact and entity for words; best matches first, matched words highlighted.

    Facts holding more of the words come first, then those with more hits; a hit in a name,
    alias, title or id counts three times. A word matches its beginning: "tariff" finds "tariffs".

    Examples:

      tradecli search canola

      tradecli search "electric vehicles" -f json

      tradecli search canola --limit 0 -f csv
    """
    from tradecli import query
    from tradecli.render.rows import search_listing

    store = settings(ctx).store()
    total, hits = query.search_best(store, text, limit=limit)
    notes = []
    if len(hits) < total:
        notes.append(f"note: showing the best {len(hits)} of {total} matches; --limit 0 shows all")
    listing = search_listing(store, hits, query.search_terms(text))
    _emit(ctx, listing, fmt, empty=f"nothing matches {text!r}", notes=notes)


@app.command(epilog=EXIT_CODES_HELP)
def show(
    ctx: typer.Context,
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The id of a fact, or the name of an entity.",
            autocompletion=_complete_ids,
        ),
    ],
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Show one fact or entity in full: every field, its evidence and sources, and linked facts.

    Examples:

      tradecli show canada-ev-surtax

      tradecli show carney -f json
    """
    from tradecli import names
    from tradecli.render.rows import detail_listing

    store = settings(ctx).store()
    _collection, item = names.fact(store, fact_id)
    _emit(ctx, detail_listing(store, item.id), fmt, empty="")


@app.command(epilog=EXIT_CODES_HELP)
def sources(
    ctx: typer.Context,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List the sources, and how many facts cite each.

    Examples:

      tradecli sources

      tradecli sources -f csv > sources.csv
    """
    from tradecli import query
    from tradecli.render.rows import source_listing

    store = settings(ctx).store()
    _emit(ctx, source_listing(store, query.source_citations(store)), fmt, empty="no sources")


@app.command(epilog=EXIT_CODES_HELP)
def summary(
    ctx: typer.Context,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Show the visit at a glance: who, where, when, the measures and figures, and fact counts.

    Examples:

      tradecli summary

      tradecli summary -f markdown
    """
    from tradecli import query
    from tradecli.render.rows import summary_listing

    store = settings(ctx).store()
    _emit(ctx, summary_listing(store, query.summary(store)), fmt, empty="no facts")


@app.command(epilog=EXIT_CODES_HELP)
def conflicts(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            help="Only conflicts whose topic holds these words (e.g. canola).", show_default=False
        ),
    ] = None,
    _source: SourceOption = None,
    _export_svg: ExportSvgOption = None,
    _export_html: ExportHtmlOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Show where sources disagree: each claim side by side, with the sources that make it.

    The store keeps every claim with its own source rather than choosing one.

    Examples:

      tradecli conflicts

      tradecli conflicts canola -f json
    """
    from tradecli import query
    from tradecli.render.rows import conflict_listing

    store = settings(ctx).store()
    views = query.conflicts(store, topic=topic)
    empty = f"no conflicts about {topic!r}" if topic else "no known conflicts"
    _emit(ctx, conflict_listing(store, views), fmt, empty=empty)


app.add_typer(export_app, name="export")


# Global options that take a value, so the word after them is not a command's name.
_GLOBAL_VALUE_OPTIONS = frozenset({"--data"})
_GLOBAL_FLAGS = frozenset({"--no-cache"})


def app_for(args: list[str]) -> typer.Typer:
    """The app, with only the command that ``args`` run when they plainly name one.

    Typer builds every command's options before it parses anything; a run needs only its own
    command's. Anything else (no command, a word that names none, --help or --version before the
    command, shell completion) gets the whole app, so its help, errors and suggestions are the
    same.
    """
    if "_TRADECLI_COMPLETE" in os.environ:
        return app
    words = iter(args)
    for word in words:
        if word in _GLOBAL_VALUE_OPTIONS:
            next(words, None)
        elif word in _GLOBAL_FLAGS or word.split("=", 1)[0] in _GLOBAL_VALUE_OPTIONS:
            continue
        elif word.startswith("-"):
            return app
        else:
            return _only(word)
    return app


def _only(name: str) -> typer.Typer:
    """The app with one command or command group, or the whole app if none has this name."""
    from typer.main import get_command_name

    commands = [
        info
        for info in app.registered_commands
        if (info.name or get_command_name(getattr(info.callback, "__name__", ""))) == name
    ]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def main() -> None:
    """Console-script entry point: run the app; no traceback reaches the user.

    Ctrl-C exits 130 and a closed pipe 0, both quietly. Any other unexpected exception is one line
    on stderr and exit 4; with TRADECLI_DEBUG=1 the traceback (never local variables) is shown.
    """
    import codecs
    import io

    for stream in (sys.stdout, sys.stderr):
        # Redirected output is UTF-8 whatever the locale, so a Chinese name cannot crash a
        # Windows console's cp1252 pipe; a terminal keeps its encoding and shows an escape.
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            if stream.isatty():
                stream.reconfigure(errors="backslashreplace")
            else:
                stream.reconfigure(encoding="utf-8")
    try:
        app_for(sys.argv[1:])(prog_name="tradecli")
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(int(ExitCode.OK))
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            import traceback

            report("".join(traceback.format_exception(error)).rstrip("\n"))
        else:
            detail = visible(str(error))
            if len(detail) > 120:
                detail = detail[:117] + "..."
            report(
                f"tradecli: internal error ({type(error).__name__}: {detail}); "
                f"run again with {DEBUG_ENV}=1 to see the traceback, and please report it"
            )
        sys.exit(int(ExitCode.INTERNAL))
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()


def _silence_stdout() -> None:
    """After the reader of a pipe has gone, send remaining output nowhere instead of failing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is no file descriptor, e.g. a test runner's buffer
        sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115
