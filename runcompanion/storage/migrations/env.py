"""Alembic's environment: runs the migrations on the connection that ``Database.open`` hands over.

Called by Alembic on the thread that opens the database. There is no alembic.ini and no URL: the connection
comes in ``config.attributes["connection"]`` (see ``runcompanion.storage.database.alembic_config``), already
in a transaction with foreign keys off, so every pending revision commits or rolls back together.
"""

from alembic import context
from sqlalchemy import Connection

from runcompanion.storage.models import Base, is_journal_search_table


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "RunCompanion migrations run on a connection passed in config.attributes['connection']; "
            "open the database with runcompanion.storage.database.Database.open()"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place: batch mode copies the table instead.
        render_as_batch=True,
        # The journal's FTS5 tables are managed by hand in 0002; autogenerate must not propose dropping them.
        include_name=lambda name, type_, _parent: not (type_ == "table" and is_journal_search_table(str(name))),
        # SQLite does run DDL inside transactions, so a failed upgrade leaves the file as it was.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("RunCompanion migrations do not support offline (--sql) mode")
run_migrations_online()
