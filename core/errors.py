"""The error of a file refused as a whole, with every reason (the imports of the portal raise a subclass)."""

from __future__ import annotations


class FileImportError(Exception):
    """A file that cannot be imported, as a whole: ``errors`` are the Italian messages of every problem found
    (naming its place: sheet, row, cell); the error's text is them, one a line."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))
