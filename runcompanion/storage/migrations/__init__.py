"""Alembic migrations for the RunCompanion database. ``Database.open`` runs them; there is no alembic.ini."""
