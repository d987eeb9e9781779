"""Shared by the report tests: the slug of the Magentino plan (the `piano` fixture is in tests/conftest.py)."""

PIANO_SLUG = "magentino-2025-2027"
