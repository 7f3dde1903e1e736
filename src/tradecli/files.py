"""Write a file the user named, safely: staged beside it, moved into place only when complete.

A failure leaves no partial file and the previous file, if any, untouched; an existing file is
replaced only with ``force``, and the fact file being read never. Only a regular file is ever
replaced: a directory, a named pipe (FIFO), a device such as ``/dev/null`` or a socket, even
reached through a symbolic link, is refused with ``--force`` too.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from tradecli.errors import UsageError


def same_file(one: Path, other: Path) -> bool:
    """True if two paths name one file, through links too; False where that cannot be told."""
    try:
        if one.exists() and other.exists():
            return one.samefile(other)
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop, or a path too odd to resolve
        return False


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_regular(path: Path) -> str | None:
    """What ``path`` names if that is not a regular file ("a directory", ...); None if it is one,
    or if nothing is there yet.

    Raise UsageError for a path that cannot even be looked at (too long, a loop of links, a
    folder that cannot be entered).
    """
    try:
        mode = path.stat().st_mode  # through symbolic links: what a write would reach
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        detail = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise UsageError(f"cannot write {path}: {detail}") from None
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def check_target(fact_file: Path, path: Path, *, force: bool) -> None:
    """Refuse a path that is not a regular file, the fact file itself, or (without force) a file."""
    kind = not_regular(path)
    if kind == "a directory":
        raise UsageError(f"{path} is a directory", hint="give the path of a file to write")
    if kind is not None:
        raise _irregular(path, kind)
    if same_file(path, Path(fact_file)):
        raise UsageError(
            f"{path} is the fact file being exported", hint="choose another output path"
        )
    if not force and (path.exists() or path.is_symlink()):
        raise UsageError(f"{path} already exists; not overwritten", hint=_FORCE_HINT)


_FORCE_HINT = "pass --force to overwrite it"


def _irregular(path: Path, kind: str) -> UsageError:
    return UsageError(
        f"{path} is {kind}, not a regular file; not overwritten",
        hint="give the path of a regular file, or of one that does not exist yet",
    )


def _new_file_mode(path: Path) -> int:
    """The mode an overwritten file keeps, or what the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def staged(path: Path, *, force: bool) -> Iterator[Path]:
    """A temporary file beside ``path``, moved onto it on success and removed on failure."""
    import tempfile  # only a run that writes a file needs it

    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            temporary.chmod(_new_file_mode(path))
            _publish(temporary, path, force=force)
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _publish(temporary: Path, path: Path, *, force: bool) -> None:
    """Move a finished file into place; without force, never replace a file that appeared since."""
    if force:
        kind = not_regular(path)  # once more: something else may have come there since the check
        if kind is not None:
            raise _irregular(path, kind)
        temporary.replace(path)
        return
    try:
        # A hard link fails if the name exists, where a rename would silently replace it.
        os.link(temporary, path)
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwritten", hint=_FORCE_HINT) from None
    except OSError:
        # No hard links on this file system: check, then rename (a narrow race remains).
        if path.exists():
            raise UsageError(f"{path} already exists; not overwritten", hint=_FORCE_HINT) from None
        temporary.replace(path)
