"""Storage: SQLAlchemy models, plan files and their migrations."""
