"""service/migrate.py and service/migrations: the migrations build exactly the tables the models describe,
bring an older database forward without losing its rows, undo cleanly, and are safe to run from two
processes at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine, insert, inspect, text

from labdocs.cli import main
from labdocs.infra import models
from labdocs.infra.db import Base
from labdocs.infra.migrate import BASELINE, alembic_config, current_revision, head_revision, upgrade_database

from .conftest import BACKENDS, ROOT

pytestmark = pytest.mark.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    engine = create_engine(empty_database_url)
    yield engine
    engine.dispose()


def schema_differences(engine: Engine) -> list[object]:
    """What the database lacks or has beyond the models, as Alembic's autogenerate sees it."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def migrate(engine: Engine, target: str, down: bool = False) -> None:
    with engine.begin() as connection:
        (command.downgrade if down else command.upgrade)(alembic_config(connection), target)


def revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision(connection)


def test_an_empty_database_is_brought_to_exactly_the_models(engine: Engine) -> None:
    upgrade_database(engine)
    assert revision(engine) == head_revision()
    assert schema_differences(engine) == []


def test_a_database_from_before_migrations_is_stamped_and_brought_forward(engine: Engine) -> None:
    migrate(engine, BASELINE)
    with engine.begin() as connection:  # as create_all left it: the baseline tables, no version, some rows
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(insert(models.Organisation).values(id="o1", name="Rochdale Borough Council",
                                                              created_at=models.utcnow()))
    assert not inspect(engine).has_table("sign_in_failures")
    upgrade_database(engine)
    assert revision(engine) == head_revision()
    assert inspect(engine).has_table("sign_in_failures")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM organisations")).scalars().all() == [
            "Rochdale Borough Council"]


def test_every_migration_can_be_undone_and_done_again(engine: Engine) -> None:
    upgrade_database(engine)
    migrate(engine, "base", down=True)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_database(engine)
    assert schema_differences(engine) == []


@pytest.mark.slow
def test_processes_starting_together_upgrade_once(engine: Engine, empty_database_url: str) -> None:
    """The web server and workers may start at the same moment on a new database."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LABDOCS_DATABASE_URL": empty_database_url}
    processes = [subprocess.Popen([sys.executable, "-m", "labdocs.cli", "db", "upgrade"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(3)]
    outputs = [process.communicate(timeout=60)[0].decode() for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    assert revision(engine) == head_revision() and schema_differences(engine) == []


def test_db_upgrade_command_says_where_the_database_is(empty_database_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABDOCS_DATABASE_URL", empty_database_url)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert result.output == f"The database is at revision {head_revision()}.\n"


def test_projects_from_before_the_completed_answers_keep_their_bid_and_have_none(engine: Engine) -> None:
    """0009 adds each project's answers to "Have you completed this section?": an older project has none yet."""
    migrate(engine, "0008")
    with engine.begin() as connection:
        connection.execute(insert(models.Organisation).values(id="o1", name="Rochdale Borough Council",
                                                              created_at=models.utcnow()))
        connection.execute(text("INSERT INTO projects (id, org_id, title, bid, drafts, created_at, updated_at) "
                                "VALUES ('p1', 'o1', 'Brave governance', '{\"title\": \"Brave governance\"}', '{}', "
                                ":now, :now)"), {"now": models.utcnow()})
    migrate(engine, "0009")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT title, bid, completed FROM projects")).one()
    assert row.title == "Brave governance" and "Brave governance" in str(row.bid) and row.completed is None
    migrate(engine, "0008", down=True)
    assert "completed" not in {column["name"] for column in inspect(engine).get_columns("projects")}
