"""Options: the ones every listing command shares, declared once, and option values checked.

``listing`` adds ``--source``, ``--certainty``, ``--confirmed``, ``--single-source``,
``--long``, ``--export-svg``, ``--export-html`` and ``--format`` to a command; their values land
in ``Settings``. The helpers below turn option
text into dates, windows and words, with messages that name the option, and complete names for
the shell.
"""

# No ``from __future__ import annotations``: Typer reads the annotations of the callbacks and
# completion functions below on every run, and written plainly they are objects already; as
# strings, Typer would compile each one, twice (about 60 compiles, 2 ms, for a listing).

import functools
import inspect
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from tradecli.cli.context import Settings, settings
from tradecli.errors import UsageError
from tradecli.facts.vocab import Certainty
from tradecli.render import Format
from tradecli.textsafe import visible

if TYPE_CHECKING:
    from tradecli.facts.dates import PartialDate
    from tradecli.facts.vocab import EventStatus, Vocab
    from tradecli.query.dates import DateWindow


# Completion: never let an error reach the shell, nor a fact's text act in it.


def _shown(text: str) -> str:
    """A completion or its description as one line of visible text: a name from the file can
    neither add a completion of its own (a newline) nor send the terminal a control code."""
    return visible(text)


def _root_store(ctx: typer.Context) -> Any:
    """The store named by --data (or the default), for completion, where no command has run."""
    data = ctx.find_root().params.get("data")
    return Settings(data=data if isinstance(data, str) else None).store()


def complete_entities(collections: tuple[str, ...]) -> Callable[..., list[tuple[str, str]]]:
    """A completion of entity names and ids from the given collections."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        try:
            from tradecli.query.names import completions

            found = completions(_root_store(ctx), incomplete, collections=collections)
            return [(_shown(value), _shown(name)) for value, name in found]
        except Exception:  # completion must never break the shell
            return []

    return complete


def complete_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Fact ids that start with what is typed so far, then entities' names (an ID argument
    takes an entity's name too), each with what it names."""
    try:
        from tradecli.present.words import name_of
        from tradecli.query.names import completions

        store = _root_store(ctx)
        found = {
            fact_id: name_of(item)
            for fact_id, (_collection, item) in store.by_id.items()
            if fact_id.startswith(incomplete)
        }
        for value, name in completions(store, incomplete):
            found.setdefault(value, name)
        return [(_shown(value), _shown(name)) for value, name in found.items()]
    except Exception:  # completion must never break the shell
        return []


def complete_words(vocab: type["Vocab"]) -> Callable[..., list[tuple[str, str]]]:
    """A completion of the words of a vocabulary, for an option that takes several with
    commas: the last word is completed, after the ones already given, which are not offered
    again."""

    def complete(incomplete: str) -> list[tuple[str, str]]:
        given, _comma, typed = incomplete.rpartition(",")
        head = given + "," if _comma else ""
        taken = {word.strip().lower() for word in given.split(",")}
        return [
            (head + word.value, word.label)
            for word in vocab
            if word.value.startswith(typed.lower()) and word.value not in taken
        ]

    return complete


def complete_sources(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Source ids that start with what is typed so far, with their titles."""
    try:
        return [
            (_shown(source.id), _shown(source.title))
            for source in _root_store(ctx).items("sources")
            if source.id.startswith(incomplete)
        ]
    except Exception:  # completion must never break the shell
        return []


# The options of every listing command.


def _set_source(ctx: typer.Context, value: str | None) -> None:
    if value is not None:
        settings(ctx).source = value


def _set_certainty(ctx: typer.Context, value: str | None) -> None:
    if value is not None:
        settings(ctx).certainty = frozenset(vocab_words(value, Certainty, option="--certainty"))


def _set_confirmed(ctx: typer.Context, value: bool) -> None:
    if value:
        _set_sourcing(ctx, "confirmed", "--confirmed")


def _set_single_source(ctx: typer.Context, value: bool) -> None:
    if value:
        _set_sourcing(ctx, "single", "--single-source")


def _set_sourcing(ctx: typer.Context, wanted: str, flag: str) -> None:
    chosen = settings(ctx)
    if chosen.sourcing not in (None, wanted):
        raise typer.BadParameter(
            "--confirmed and --single-source exclude each other; give one", param_hint=flag
        )
    chosen.sourcing = wanted


def _set_long(ctx: typer.Context, value: bool) -> None:
    if value:
        settings(ctx).long = True


def _set_format(ctx: typer.Context, value: Format) -> Format:
    settings(ctx).fmt = value
    return value


def _set_export_svg(ctx: typer.Context, value: Path | None) -> None:
    if value is not None:
        settings(ctx).export_svg = value
        settings(ctx).export_title = ctx.command_path


def _set_export_html(ctx: typer.Context, value: Path | None) -> None:
    if value is not None:
        settings(ctx).export_html = value
        settings(ctx).export_title = ctx.command_path


def name_option(flag: str, help: str, kinds: tuple[str, ...]) -> Any:
    """An option that names an entity of these collections, completed from their names."""
    return typer.Option(flag, metavar="NAME", help=help, autocompletion=complete_entities(kinds))


def name_argument(help: str, kinds: tuple[str, ...]) -> Any:
    """An argument that names an entity of these collections, completed from their names."""
    return typer.Argument(help=help, show_default=False, autocompletion=complete_entities(kinds))


def id_argument(help: str) -> Any:
    """An argument that takes a fact's id (or an entity's name), completed from the ids."""
    return typer.Argument(metavar="ID", help=help, autocompletion=complete_ids)


def words_option(flag: str, what: str, vocab: type["Vocab"]) -> Any:
    """An option that takes words of a vocabulary, its help naming them, completed from them."""
    return typer.Option(
        flag, metavar="WORDS", help=words_help(what, vocab), autocompletion=complete_words(vocab)
    )


def text_option(flag: str, metavar: str, help: str, *, words: type["Vocab"] | None = None) -> Any:
    """An option that takes text; one word of ``words``, when given, completed from them."""
    if words is None:
        return typer.Option(flag, metavar=metavar, help=help)
    return typer.Option(flag, metavar=metavar, help=help, autocompletion=complete_words(words))


def words_help(what: str, vocab: type["Vocab"]) -> str:
    """The help of an option that takes words of a vocabulary, from the vocabulary itself."""
    return f"Only {what}: {', '.join(word.value for word in vocab)}; several with commas."


_MACHINE_FORMATS = [fmt.value for fmt in Format if fmt is not Format.TABLE]
_FOR_PROGRAMS = ", ".join(_MACHINE_FORMATS[:-1]) + " or " + _MACHINE_FORMATS[-1]


def _export_help(what: str) -> str:
    return (
        f"Also save what the table shows as {what} at PATH (an existing file is "
        "replaced). Table format only."
    )


SourceOption = Annotated[
    str | None,
    typer.Option(
        "--source",
        metavar="ID|OUTLET",
        help=(
            "Only facts whose evidence cites this source: a source id, or an outlet's name, its "
            "start or its initials ('ap', 'Associated Press'); see 'tradecli sources'."
        ),
        callback=_set_source,
        expose_value=False,
        autocompletion=complete_sources,
    ),
]
CertaintyOption = Annotated[
    str | None,
    typer.Option(
        "--certainty",
        metavar="WORDS",
        help=words_help("facts held with this certainty", Certainty),
        callback=_set_certainty,
        expose_value=False,
        autocompletion=complete_words(Certainty),
    ),
]
ConfirmedOption = Annotated[
    bool,
    typer.Option(
        "--confirmed",
        help=(
            "Only facts that meet the sourcing rule: an official source, or two independent "
            "outlets (a wire story and its reprints count once)."
        ),
        callback=_set_confirmed,
        expose_value=False,
    ),
]
SingleSourceOption = Annotated[
    bool,
    typer.Option(
        "--single-source",
        help="Only facts resting on one outlet, however many papers carried its story.",
        callback=_set_single_source,
        expose_value=False,
    ),
]
LongOption = Annotated[
    bool,
    typer.Option(
        "--long",
        "-l",
        help="Every item in full, as 'tradecli show' gives one, instead of a line each.",
        callback=_set_long,
        expose_value=False,
    ),
]
ExportSvgOption = Annotated[
    Path | None,
    typer.Option(
        "--export-svg",
        metavar="PATH",
        help=_export_help("an SVG image"),
        callback=_set_export_svg,
        expose_value=False,
        show_default=False,
    ),
]
ExportHtmlOption = Annotated[
    Path | None,
    typer.Option(
        "--export-html",
        metavar="PATH",
        help=_export_help("an HTML page"),
        callback=_set_export_html,
        expose_value=False,
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help=f"Output format: table for people; {_FOR_PROGRAMS} for other programs.",
        callback=_set_format,
        expose_value=False,
    ),
]

# Every listing's options, in the order its --help lists them: (parameter, annotation, default).
_SHARED: tuple[tuple[str, Any, Any], ...] = (
    ("source", SourceOption, None),
    ("certainty", CertaintyOption, None),
    ("confirmed", ConfirmedOption, False),
    ("single_source", SingleSourceOption, False),
    ("long", LongOption, False),
    ("export_svg", ExportSvgOption, None),
    ("export_html", ExportHtmlOption, None),
    ("fmt", FormatOption, Format.TABLE),
)

Command = TypeVar("Command", bound=Callable[..., Any])
"""A command function, as the decorators that declare commands take and return it."""


def listing(command: Command) -> Command:
    """Give a listing command the shared options, after its own; their values go to Settings."""
    return typing.cast(Command, _Listing(command))


class _Listing:
    """A listing command as Typer reads it: the command's own parameters, then the shared ones.

    Typer reads a command's parameters from its signature, which this one works out when first
    asked: a run evaluates only its own command's annotations. Each shared option keeps its
    value to itself (``expose_value=False``; its callback puts it in Settings), so the command
    is not given their defaults.
    """

    def __init__(self, command: Callable[..., Any]) -> None:
        functools.update_wrapper(self, command)
        self.command = command

    @functools.cached_property
    def __signature__(self) -> inspect.Signature:
        own = inspect.signature(self.command, eval_str=True)
        shared = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default
            )
            for name, kind, default in _SHARED
        ]
        return own.replace(parameters=[*own.parameters.values(), *shared])

    def __call__(self, *args: Any, **values: Any) -> Any:
        for name, _kind, _default in _SHARED:
            values.pop(name, None)
        return self.command(*args, **values)


# Options that several commands take.

Since = Annotated[
    str | None,
    typer.Option("--since", metavar="DATE", help="Only what is dated on or after this date."),
]
Until = Annotated[
    str | None,
    typer.Option("--until", metavar="DATE", help="Only what is dated on or before this date."),
]


def side_option(what: str) -> Any:
    """``--side PLACE``: only what is said or held by someone speaking for that country."""
    return typer.Option(
        "--side",
        metavar="COUNTRY",
        help=f"Only {what} speaking for this country (e.g. china, canada): their own country, "
        "or that of the body they hold a post in, as the sources give it. Those whose side the "
        "sources do not give are left out, and a note names them.",
        autocompletion=complete_entities(("places",)),
        show_default=False,
    )


# Option values


def parse_date(text: str, *, option: str) -> "PartialDate":
    """Parse a date option as YYYY, YYYY-MM or YYYY-MM-DD; raise UsageError otherwise."""
    from tradecli.query import dates

    return dates.parse_date(text, what=option)


def date_window(
    *, on: str | None = None, since: str | None = None, until: str | None = None
) -> "DateWindow | None":
    """The window that --date, or --since and --until, ask for; None when none is given."""
    from tradecli.query.dates import DateWindow

    if on is not None and (since is not None or until is not None):
        raise UsageError("--date cannot be combined with --since or --until; use one or the other")
    if on is not None:
        return DateWindow.of_day(parse_date(on, option="--date"))
    first = parse_date(since, option="--since") if since is not None else None
    last = parse_date(until, option="--until") if until is not None else None
    if first is None and last is None:
        return None
    if first is not None and last is not None and last.last_day() < first.first_day():
        raise UsageError(f"--until {last} is before --since {first}")
    return DateWindow.between(first, last)


V = TypeVar("V", bound="Vocab")


def vocab_words(text: str, vocab: type[V], *, option: str) -> list[V]:
    """The words of a vocabulary an option names, comma-separated, as written in the fact file
    or as read ("in force", "in_force", "In Force"); raise UsageError naming the choices."""
    found: list[V] = []
    for word in text.split(","):
        key = "_".join(word.strip().lower().replace("-", " ").split())
        try:
            found.append(vocab(key))
        except ValueError:
            allowed = [member.value for member in vocab]
            raise UsageError(
                f"{option} {word.strip()!r} is not one of: {', '.join(allowed)}",
                hint=f"several can be given with commas, e.g. {option} {','.join(allowed[:2])}",
            ) from None
    return found


def event_status(text: str) -> "EventStatus":
    """The event status a --status option names, in any case; raise UsageError otherwise."""
    from tradecli.facts.vocab import EventStatus

    try:
        return EventStatus(text.strip().lower())
    except ValueError:
        allowed = ", ".join(status.value for status in EventStatus)
        raise UsageError(f"--status {text!r} is not a status; use one of {allowed}") from None


def filters(ctx: typer.Context, /, **given: object) -> str:
    """The filters a command was given, as options, its own (``given``) and the ones every
    listing shares: ``--by china --product canola --certainty claimed``."""
    shown = [
        f"--{name.rstrip('_').replace('_', '-')} {_shown(str(value))}"
        for name, value in given.items()
        if value is not None and value is not False
    ]
    chosen = settings(ctx)
    if chosen.source is not None:
        shown.append(f"--source {_shown(chosen.source)}")
    if chosen.certainty:
        shown.append(f"--certainty {','.join(sorted(word.value for word in chosen.certainty))}")
    if chosen.sourcing is not None:
        shown.append("--confirmed" if chosen.sourcing == "confirmed" else "--single-source")
    return " ".join(shown)


def nothing(ctx: typer.Context, what: str, /, **given: object) -> str:
    """What an empty listing says, in the words of the options given: "no meetings match
    --certainty alleged", or "no meetings in the store" when none was given."""
    asked = filters(ctx, **given)
    return f"no {what} match {asked}" if asked else f"no {what} in the store"
