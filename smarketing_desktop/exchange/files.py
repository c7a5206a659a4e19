"""Writing files atomically: a reader never sees half a file, a failure leaves none."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from smarketing_desktop.errors import UserError
from smarketing_desktop.store.planfile import SQLITE_HEADER
from smarketing_desktop.store.umask import document_mode

# Files SQLite keeps beside a database while it is open or was not closed cleanly.
_COMPANIONS = ("-wal", "-shm", "-journal")


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def database_behind(path: Path) -> Path | None:
    """The plan (or other SQLite database) that ``path`` is, or is a companion file of.

    An export written there would destroy a plan, so writers refuse such a path.
    """
    if _is_database(path):
        return path
    for companion in _COMPANIONS:
        if path.name.endswith(companion) and len(path.name) > len(companion):
            base = path.with_name(path.name[: -len(companion)])
            if _is_database(base):
                return base
    return None


def check_output_path(path: Path) -> Path:
    """``path`` made absolute, once it is checked to be a file an export may write.

    Raises:
        UserError: a folder, a missing folder, or a plan (or its -wal/-shm/-journal file).
    """
    path = path.expanduser().absolute()
    if path.is_dir():
        raise UserError(f"“{path}” is a folder; give a file name to write.")
    if not path.parent.is_dir():
        # Creating folders would hide a typo in the path; the user creates them knowingly.
        raise UserError(f"Cannot write “{path}”: the folder “{path.parent}” does not exist.")
    database = database_behind(path)
    if database is not None:
        raise UserError(
            f"Cannot write “{path}”: it belongs to the plan “{database.name}”, which the "
            "export would destroy. Choose another file."
        )
    return path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces ``path`` only if the block succeeds.

    Raises:
        UserError: see :func:`check_output_path`, or the file cannot be written.
    """
    path = check_output_path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise UserError(f"Cannot write “{path}”: {error.strerror}.") from error
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # Keep the permissions the user gave an existing file (e.g. a shared folder).
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, document_mode())
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise UserError(f"Cannot write “{path}”: {error.strerror}.") from error
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, or a function that writes to the file) to ``path`` atomically."""
    with atomic_output(path) as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            data(handle)
