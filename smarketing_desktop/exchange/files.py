"""Writing files atomically: a reader never sees half a file, a failure leaves none."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from smarketing_desktop.errors import UserError
from smarketing_desktop.store.umask import document_mode


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces ``path`` only if the block succeeds."""
    path = path.expanduser().absolute()
    if path.is_dir():
        raise UserError(f"“{path}” is a folder; give a file name to write.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
