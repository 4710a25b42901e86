"""Readers of other platforms' exports (Stack Exchange, Slack, mailing lists, Discourse, CSV).

Each yields batches of Activities, streaming; see docs/connectors.md for the verb mapping.
"""

from .base import BATCH_SIZE, Batches, Person, ReadStats, SourceError, batched
from .detect import PEOPLE, READERS, detect_and_read, detect_source
from .discourse import people_discourse, read_discourse
from .mailbox import people_mbox, people_pipermail, read_mbox, read_pipermail
from .slack import read_slack, read_slack_people
from .stackexchange import people_stackexchange, read_stackexchange
from .tabular import people_csv, people_jsonl, read_csv, read_jsonl, write_csv, write_jsonl

__all__ = ["BATCH_SIZE", "Batches", "Person", "SourceError", "batched"]
__all__ += ["people_discourse", "people_stackexchange", "read_discourse", "read_stackexchange"]
__all__ += ["ReadStats", "read_mbox", "read_pipermail", "read_slack", "read_slack_people"]
__all__ += [
    "PEOPLE",
    "READERS",
    "detect_and_read",
    "detect_source",
    "people_mbox",
    "people_pipermail",
]
__all__ += ["people_csv", "people_jsonl", "read_csv", "read_jsonl", "write_csv", "write_jsonl"]
