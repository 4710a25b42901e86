"""Language features over imported messages: what kind of contribution a message is."""

from .classifier import Classification, Kind, classify

__all__ = ["Classification", "Kind", "classify"]
