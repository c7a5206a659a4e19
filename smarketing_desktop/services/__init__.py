"""Use cases: one function per thing a user does, one transaction each.

The GUI's undo commands and the CLI both call these, so they share one code path.
"""
