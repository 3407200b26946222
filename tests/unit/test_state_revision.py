"""Opening a state store checks its revision without Alembic, and still migrates a store that is
behind: the fast path never skips a migration."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from comptoir.state import StateStore
from comptoir.state.store import MIGRATIONS, latest_revision


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _schema(connection: Connection) -> dict[str, list[str]]:
    """Every table and its columns."""
    found = inspect(connection)
    return {table: sorted(c["name"] for c in found.get_columns(table)) for table in found.get_table_names()}


def test_the_latest_revision_is_alembics_head() -> None:
    assert latest_revision() == ScriptDirectory.from_config(_config()).get_current_head()


def test_a_store_behind_the_latest_revision_is_migrated_when_opened(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    store = StateStore.open(url)
    assert store.revision() == latest_revision()
    previous = ScriptDirectory.from_config(_config()).get_revision(latest_revision()).down_revision
    assert isinstance(previous, str)
    config = _config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        before = _schema(connection)
        command.downgrade(config, previous)
        after = _schema(connection)
    store.close()
    assert store.revision() == previous
    assert after != before, "the downgrade changed the schema"

    reopened = StateStore.open(url)
    try:
        assert reopened.revision() == latest_revision()
        with reopened.engine.connect() as connection:
            assert _schema(connection) == before
    finally:
        reopened.close()
