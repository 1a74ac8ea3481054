"""The store's Alembic environment; `env.py` runs the revisions in `versions/`."""
