"""Language features over imported messages: what kind of contribution a message is."""

from .classifier import Classification, Kind, classify_by_rules
from .model import classify

__all__ = ["Classification", "Kind", "classify", "classify_by_rules"]
