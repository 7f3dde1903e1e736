"""Domain exceptions and the exit codes they map to at the command-line edge."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of every tradecli command."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    BAD_DATA = 3
    INTERNAL = 4
    HUNG_UP = 129
    INTERRUPTED = 130
    TERMINATED = 143


class Stopped(BaseException):
    """The run was stopped from outside (Ctrl-C, SIGINT, SIGTERM, SIGHUP) once it had put things
    back as they were: it ends quietly, with ``code`` (128 + the signal's number). Not an error,
    as KeyboardInterrupt is not: ``except Exception`` lets it through."""

    def __init__(self, code: ExitCode) -> None:
        super().__init__(code.name.lower().replace("_", " "))
        self.code = code


class TradecliError(Exception):
    """Base of every error that tradecli reports to the user without a traceback."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a fact file: where it is, what is wrong, what is expected."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def render(self, file: str) -> str:
        """Format as ``file:line:col: path: message`` for the user."""
        where = file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        location = f" {self.path}:" if self.path else ""
        return f"{where}:{location} {self.message}"


class DataError(TradecliError):
    """The fact file cannot be read, parsed or validated."""

    exit_code = ExitCode.BAD_DATA

    def __init__(self, file: str, problems: list[Problem], *, hint: str | None = None) -> None:
        self.file = file
        self.problems = problems
        lines = [problem.render(file) for problem in problems]
        super().__init__("\n".join(lines), hint=hint)


class NotFoundError(TradecliError):
    """A name or id the user asked for matches nothing."""

    exit_code = ExitCode.NOT_FOUND


class AmbiguousError(TradecliError):
    """A name the user gave matches more than one entity."""

    exit_code = ExitCode.NOT_FOUND


class UsageError(TradecliError):
    """An argument or option has a value tradecli cannot use."""

    exit_code = ExitCode.USAGE
