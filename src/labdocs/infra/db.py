"""The app's database: one SQLAlchemy engine and a session per app context."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

EXTENSION = "labdocs.db"
log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    """Declarative base for every labdocs table."""

    # Named constraints, so a migration can later alter or drop them by name on every backend.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


class Database:
    """An engine and its session factory, built from one URL."""

    def __init__(self, url: str, pool: Mapping[str, int] | None = None) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_options(url, pool or {}))
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", tune_sqlite)

    def upgrade(self) -> None:
        """Bring the tables up to date with the migrations (idempotent, safe from several processes)."""
        from labdocs.infra.migrate import upgrade_database

        upgrade_database(self.engine)

    def is_reachable(self) -> bool:
        """Whether the database answers now (a pooled connection, checked on the way out of the pool)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def after_fork(self) -> None:
        """Drop pooled connections inherited from a parent process without closing the parent's."""
        self.engine.dispose(close=False)


def engine_options(url: str, pool: Mapping[str, int]) -> dict[str, Any]:
    """Pool settings per backend: SQLite is shared by the web thread and the embedded worker."""
    if url.startswith("sqlite"):
        return {"connect_args": {"check_same_thread": False, "timeout": 15}}
    return {"pool_pre_ping": True, "pool_size": pool.get("size", 10), "max_overflow": pool.get("overflow", 20),
            "pool_timeout": pool.get("timeout", 5)}


def tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers proceed while the worker writes; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def init_db(app: Flask) -> None:
    """Attach the database to the app and close each context's session at teardown."""
    config = app.config
    database = Database(config["DATABASE_URL"], {"size": config["DATABASE_POOL_SIZE"], "timeout":
                                                 config["DATABASE_POOL_TIMEOUT"],
                                                 "overflow": config["DATABASE_MAX_OVERFLOW"]})
    app.extensions[EXTENSION] = database
    if app.config["UPGRADE_DATABASE"]:
        database.upgrade()
    app.teardown_appcontext(close_session)


def database(app: Flask | None = None) -> Database:
    """The Database attached to this (or the current) app."""
    return (app or current_app).extensions[EXTENSION]


def session() -> Session:
    """The session for the current app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Return the context's connection to the pool.

    At teardown the response is already decided (and any commit done): a database that went away meanwhile is
    logged, never turned into a 500 for a request that succeeded.
    """
    db_session = g.pop("db_session", None)
    if db_session is None:
        return
    try:
        db_session.close()
    except Exception:
        log.warning("closing a database session at teardown failed", exc_info=True)
        with contextlib.suppress(Exception):
            db_session.invalidate()


def release_connection() -> None:
    """End the context's transaction so its connection goes back to the pool (before a long wait)."""
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()


def engine() -> Engine:
    """The current app's engine."""
    return database().engine
