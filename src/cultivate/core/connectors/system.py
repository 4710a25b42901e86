"""System accounts: robots and platform users that act in an export but are nobody's colleague.

They are left out of the activities (so they count as no member and no contributor) and listed
in the report with how many of their acts were left out (`ReadStats.system_accounts`).
"""

from __future__ import annotations

import re

__all__ = ["is_system_address", "stack_exchange_system_name"]

_ROBOT_ADDRESS = re.compile(
    r"^(?:mailer-daemon|postmaster|listserv|majordomo|mailman|noreply|no-reply|do-not-reply|"
    r"donotreply|bounces?|notifications?|automailer|autoreply)(?:[-+.][^@]*)?@"
    r"|^[^@]*[-+](?:bounces?|request|owner|noreply|no-reply)(?:\+[^@]*)?@",
    re.IGNORECASE,
)


def is_system_address(address: str) -> bool:
    """Whether a mail address is a list robot or a bounce address, not a person."""
    return bool(_ROBOT_ADDRESS.search(address.strip()))


def stack_exchange_system_name(user: int) -> str:
    """Name a Stack Exchange system account (negative ids) for the report."""
    if user == -1:
        return "Community (Stack Exchange's system user -1)"
    return f"Stack Exchange system user {user}"
