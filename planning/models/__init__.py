"""Models of the planning app, one module per area."""

from .territory import Ambito, Comune, Popolazione

__all__ = ["Ambito", "Comune", "Popolazione"]
