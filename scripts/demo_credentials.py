"""The demo users' credentials file that load_demo rewrites (.demo-credentials.json), put back as it was after a check.

Shared by the production smoke test (scripts/smoke_production.py) and the load benchmark (bench/load.py), which
import it as a sibling module. Only the standard library.
"""

from __future__ import annotations

from pathlib import Path

CREDENTIALS_FILE = Path(__file__).resolve().parent.parent / ".demo-credentials.json"


class SavedCredentials:
    """The credentials file as it is now; `restore()` puts it back so (readable by its owner only: it holds
    passwords), or removes it if there was none."""

    def __init__(self, path: Path = CREDENTIALS_FILE) -> None:
        self.path = path
        self.content = path.read_bytes() if path.exists() else None

    def restore(self) -> None:
        if self.content is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.write_bytes(self.content)
            self.path.chmod(0o600)
