"""Readers of other platforms' exports (Stack Exchange, Slack, mailing lists, Discourse, CSV).

Each yields batches of Activities, streaming; see docs/connectors.md for the verb mapping.
"""

from .base import BATCH_SIZE, Batches, Person, SourceError, batched

__all__ = ["BATCH_SIZE", "Batches", "Person", "SourceError", "batched"]
