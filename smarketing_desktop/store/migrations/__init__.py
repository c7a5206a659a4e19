"""Alembic migrations of the plan schema (Alembic owns the schema from the first version)."""
