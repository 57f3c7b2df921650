"""The database schema, brought up to date by Alembic migrations (service/migrations) on start."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The schema as it was before migrations existed: a database made then is stamped with it, then upgraded.
BASELINE = "0001"
# Any number, the same in every process: PostgreSQL holds it while one process upgrades, so two starting
# together (the server and a worker) cannot both create the same table.
LOCK_KEY = 0x1AB_D0C5


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(engine: Engine) -> None:
    """Apply any migrations this database has not had (nothing to do, and one query, when it is current)."""
    with engine.connect() as connection:
        if current_revision(connection) == head_revision():
            return
    with sqlite_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        # Whoever waited for the lock finds the work done: upgrade reads the revision again and does nothing.
        if current_revision(connection) is None and inspect(connection).has_table("organisations"):
            command.stamp(alembic_config(connection), BASELINE)  # made by create_all, before migrations
        command.upgrade(alembic_config(connection), "head")


@contextmanager
def sqlite_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file, an exclusive lock on a file beside it while one process upgrades; else nothing.

    SQLite's own locks do not span Alembic's steps (pysqlite does not begin a transaction before DDL).
    """
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    with open(f"{path}.migrating", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield  # the lock goes with the file's closing
