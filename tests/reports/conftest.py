"""Shared by the report tests: the slug of the Magentino plan (the `piano` fixture is in tests/conftest.py) and
`only_chapters`, a plan's document reduced to the part a test reads."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from planning.models import PianoDiZona
from reports.piano import document

PIANO_SLUG = "magentino-2025-2027"


@contextmanager
def only_chapters(piano: PianoDiZona, *tipi: str) -> Iterator[None]:
    """While open, the plan's document has only its chapters of the types `tipi` with their data sections (the
    other chapters are deleted, in the caller's transaction, and the other sections are not built): a test of the
    cover, the closing block or one chapter renders a few pages instead of the whole 90-page plan. The
    whole document is rendered by the tests of tests/reports/test_piano_pdf.py (conftest's `demo_plan_pdf`)."""
    piano.capitoli.exclude(tipo__in=tipi).delete()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(document, "BUILDERS", {t: b for t, b in document.BUILDERS.items() if t in tipi})
        yield
