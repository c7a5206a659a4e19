"""Plan files: one SQLite file per plan, opened safely.

Opening never modifies a file that is not a plan (random bytes, an empty file, another
SQLite database, a read-only file): it is inspected read-only first. An older plan is
copied to a backup beside it before Alembic migrates it; a plan from a newer app is refused.
Connections run in WAL mode with foreign keys on; writes take the lock up front
(``BEGIN IMMEDIATE``) and wait for each other, so two windows or a CLI never corrupt a plan.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, insert, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import ConnectionPoolEntry

from smarketing_desktop import __version__
from smarketing_desktop.errors import (
    ConcurrentEditError,
    NotAPlanError,
    PlanBusyError,
    PlanFileError,
    PlanReadOnlyError,
    PlanTooNewError,
)
from smarketing_desktop.store.models import PlanInfo
from smarketing_desktop.store.umask import document_mode

log = logging.getLogger("smarketing.store")

PLAN_FORMAT = "smarketing-plan"
PLAN_SUFFIX = ".smplan"
SQLITE_HEADER = b"SQLite format 3\x00"
# How long a write waits for another window or command before giving up (milliseconds).
BUSY_TIMEOUT_MS = 10_000
_MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in _script().walk_revisions()}


@dataclass(frozen=True, slots=True)
class PlanFileState:
    """What a read-only look at a plan file found."""

    revision: str
    name: str

    @property
    def needs_migration(self) -> bool:
        return self.revision != head_revision()


def _describe(path: Path) -> str:
    return f"“{path}”"


def inspect_plan_file(path: Path) -> PlanFileState:
    """Check, without writing anything, that ``path`` is a plan this app can open.

    Raises:
        NotAPlanError: missing, empty, not SQLite, damaged, or another SQLite database.
        PlanTooNewError: written by a newer version of the app.
    """
    where = _describe(path)
    if not path.exists():
        raise NotAPlanError(f"There is no plan at {where}.")
    if not path.is_file():
        raise NotAPlanError(f"{where} is a folder, not a plan file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise NotAPlanError(f"{where} cannot be read: {error.strerror}.") from error
    if not header:
        raise NotAPlanError(f"{where} is an empty file, not a Smarketing plan.")
    if header != SQLITE_HEADER:
        raise NotAPlanError(f"{where} is not a Smarketing plan (it is not an SQLite database).")
    # Without a WAL file there is nothing uncheckpointed to read, and "immutable" keeps
    # SQLite from creating -wal/-shm files beside a file that may not be ours at all.
    has_wal = Path(f"{path}-wal").exists()
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)  # noqa: TID251 - the one read-only inspection
    except sqlite3.Error as error:
        raise NotAPlanError(f"{where} cannot be opened as a plan: {error}.") from error
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "plan_info" not in tables or "alembic_version" not in tables:
            raise NotAPlanError(
                f"{where} is an SQLite database, but not a Smarketing plan; it was left unchanged."
            )
        info = dict(conn.execute("SELECT key, value FROM plan_info").fetchall())
        revisions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as error:
        raise NotAPlanError(
            f"{where} is damaged or not a Smarketing plan ({error}); it was left unchanged."
        ) from error
    finally:
        conn.close()
    if info.get("format") != PLAN_FORMAT or len(revisions) != 1:
        raise NotAPlanError(
            f"{where} is an SQLite database, but not a Smarketing plan; it was left unchanged."
        )
    revision = revisions[0]
    if revision not in known_revisions():
        made_by = info.get("app_version", "a newer version")
        raise PlanTooNewError(
            f"{where} was saved by Smarketing Desktop {made_by}, which is newer than this "
            f"version ({__version__}). Update the app to open it; the file was left unchanged."
        )
    return PlanFileState(revision=revision, name=info.get("name", path.stem))


def _check_writable(path: Path) -> None:
    where = _describe(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    # Root ignores permission bits; a file nobody may write is still meant as read-only.
    if not os.access(path, os.W_OK) or not mode & 0o222:
        raise PlanReadOnlyError(
            f"{where} is read-only. Make it writable, or copy it to a folder you can write "
            "to, and open the copy; the file was left unchanged."
        )
    if not os.access(path.parent, os.W_OK):
        raise PlanReadOnlyError(
            f"The folder of {where} is read-only; the plan needs to keep its journal beside "
            "it. Copy the plan to a writable folder and open the copy."
        )


def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself, so writes can take the lock early.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _on_begin(connection: Any) -> None:
    write = connection.get_execution_options().get("plan_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args={"timeout": 10})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Plan:
    """An open plan file: hands out short read and write sessions.

    Every write is its own transaction, committed when the ``with`` block ends: there is
    no unsaved state to lose if the app or the machine dies.
    """

    def __init__(self, path: Path, *, backup: Path | None = None) -> None:
        self.path = path
        self.backup = backup
        self.engine = _engine(path)
        self._write_engine = self.engine.execution_options(plan_write=True)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only snapshot of the plan."""
        with _translate_errors(self.path), Session(self.engine) as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction that holds the write lock; committed at the end of the block."""
        with _translate_errors(self.path), Session(self._write_engine) as session, session.begin():
            # Take the lock now (BEGIN IMMEDIATE), not at the first flush: whatever this
            # transaction reads stays true until it commits.
            session.connection()
            yield session

    @property
    def name(self) -> str:
        with self.read() as session:
            info = session.get(PlanInfo, "name")
            return info.value if info else self.path.stem

    def set_name(self, name: str) -> None:
        with self.write() as session:
            session.merge(PlanInfo(key="name", value=name))

    def copy_to(self, destination: Path) -> None:
        """Write a consistent copy of the plan to ``destination`` (atomically)."""
        destination = destination.expanduser().absolute()
        _atomic_sqlite_copy(self._raw_backup, destination)

    def _raw_backup(self, target: sqlite3.Connection) -> None:
        raw = self.engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            source.backup(target)
        finally:
            raw.close()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Plan:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Plan({str(self.path)!r})"


@contextlib.contextmanager
def _translate_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except StaleDataError as error:
        raise ConcurrentEditError(
            "This was changed in another window or by another command in the meantime; "
            "reload and try again."
        ) from error
    except OperationalError as error:
        text = str(error.orig).lower()
        if "locked" in text or "busy" in text:
            raise PlanBusyError(
                f"The plan {_describe(path)} is busy with another window or command; "
                "try again in a moment."
            ) from error
        if "readonly" in text or "read-only" in text:
            raise PlanReadOnlyError(f"The plan {_describe(path)} cannot be written.") from error
        if "disk" in text and "full" in text:
            raise PlanFileError("The disk is full; the last change was not saved.") from error
        raise


def _atomic_sqlite_copy(fill: Any, destination: Path) -> None:
    """Create ``destination`` as an SQLite file filled by ``fill(conn)``, all or nothing."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)  # noqa: TID251 - a new file, not yet a plan
        try:
            fill(conn)
            conn.commit()
        finally:
            conn.close()
        # mkstemp makes private files; a plan is a document, so it gets the usual rights.
        tmp.chmod(document_mode())
        os.replace(tmp, destination)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _upgrade(connection: Any) -> None:
    command.upgrade(_alembic_config(connection), "head")


def create_plan(path: Path, *, name: str | None = None) -> Plan:
    """Create a new, empty plan file at ``path`` (which must not exist yet).

    The file is built under a temporary name and renamed into place, so a failure never
    leaves a half-made plan behind.
    """
    path = path.expanduser().absolute()
    if path.exists():
        raise PlanFileError(f"{_describe(path)} already exists; choose another name.")

    def fill(conn: sqlite3.Connection) -> None:
        engine = create_engine("sqlite://", creator=lambda: conn)
        with engine.begin() as connection:
            _upgrade(connection)
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            connection.execute(
                insert(PlanInfo),
                [
                    {"key": "format", "value": PLAN_FORMAT},
                    {"key": "name", "value": name or path.stem},
                    {"key": "created_at", "value": now},
                    {"key": "app_version", "value": __version__},
                ],
            )

    try:
        _atomic_sqlite_copy(fill, path)
    except OSError as error:
        raise PlanFileError(
            f"Cannot create the plan {_describe(path)}: {error.strerror}."
        ) from error
    log.info("created plan %s", path)
    return Plan(path)


def open_plan(path: Path, *, create: bool = False) -> Plan:
    """Open the plan at ``path``, migrating an older one after backing it up.

    Args:
        path: the plan file.
        create: make a new empty plan when nothing exists at ``path``.
    """
    path = path.expanduser().absolute()
    if create and not path.exists():
        return create_plan(path)
    state = inspect_plan_file(path)
    _check_writable(path)
    backup: Path | None = None
    if state.needs_migration:
        backup = _backup_before_migration(path, state.revision)
        plan = Plan(path, backup=backup)
        try:
            with plan.engine.begin() as connection:
                _upgrade(connection)
                connection.execute(
                    update(PlanInfo).where(PlanInfo.key == "app_version").values(value=__version__)
                )
        except Exception:
            plan.close()
            raise
        log.info("migrated %s from %s; backup at %s", path, state.revision, backup)
        return plan
    return Plan(path)


def _backup_before_migration(path: Path, revision: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix or PLAN_SUFFIX}")

    def fill(conn: sqlite3.Connection) -> None:
        source = sqlite3.connect(path)  # noqa: TID251 - backup API reads WAL content too
        try:
            source.backup(conn)
        finally:
            source.close()

    _atomic_sqlite_copy(fill, backup)
    return backup
