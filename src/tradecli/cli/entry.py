"""Run a command line through the Typer app (``tradecli.cli.root``); no traceback ever.

The app is imported inside ``main``'s error handling, so that even a failure or a Ctrl-C while
it loads ends as documented: one line and an exit code.
"""

from __future__ import annotations

import os
import sys

from tradecli.cli.context import DEBUG_ENV, report, silence_stdout
from tradecli.errors import ExitCode, Stopped
from tradecli.textsafe import visible


def main() -> None:
    """Console-script entry point: run the command line; no traceback reaches the user.

    Ctrl-C exits 130 and a closed pipe 0, both quietly; a run stopped by a signal it handles
    (``Stopped``: browse puts the terminal back first) exits 128 + the signal's number, quietly
    too. Any other unexpected exception is one line on stderr and exit 4; with TRADECLI_DEBUG=1
    the traceback (never local variables) is shown.
    A closed stdout or stderr (``>&-``, ``2>&-``) is /dev/null for the run: the output or the
    messages go nowhere, and the exit code is what it would have been.
    """
    import codecs
    import io

    _open_closed_streams()
    for stream in (sys.stdout, sys.stderr):
        # Redirected output is UTF-8 whatever the locale, so a Chinese name cannot crash a
        # Windows console's cp1252 pipe; a terminal keeps its encoding and shows an escape.
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            if stream.isatty():
                stream.reconfigure(errors="backslashreplace")
            else:
                stream.reconfigure(encoding="utf-8")
    try:
        from tradecli.cli.root import app_for

        app_for(sys.argv[1:])(prog_name="tradecli")
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except Stopped as stopped:
        sys.exit(int(stopped.code))
    except BrokenPipeError:
        silence_stdout()
        sys.exit(int(ExitCode.OK))
    except Exception as error:
        if os.environ.get(DEBUG_ENV):
            import traceback

            report(*"".join(traceback.format_exception(error)).rstrip("\n").split("\n"))
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
            silence_stdout()


def _open_closed_streams() -> None:
    """Give a closed stdin, stdout or stderr /dev/null, so that every write has somewhere to go.

    Without it Python has no ``sys.stdout`` at all, and the next file tradecli opens (the fact
    file, the index) would take the stream's number, where a stray write would land.
    """
    for number, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(number)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
            if opened != number:
                os.dup2(opened, number)
                os.close(opened)
            if getattr(sys, name) is None:
                setattr(sys, name, open(number, mode, encoding="utf-8", closefd=False))  # noqa: SIM115
