"""Alembic migrations for the labdocs database: every change to the tables is a reviewed revision here."""
