"""Storage: the SQLite database, its migrations, and repositories that take and return plain records.

Never imports Qt, audio or ui. Nothing outside this package sees an ORM object or a SQLAlchemy session.
Import the modules themselves (``runcompanion.storage.records`` …): this package file stays empty so that
reading a record type does not load SQLAlchemy and Alembic, which the window's first paint must not wait for.
"""
