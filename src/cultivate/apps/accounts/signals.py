"""What accounts announce for other apps to act on."""

from django.dispatch import Signal

password_changed = Signal()
"""Sent with `user=` after the person's password was set and saved (passwords.py)."""

account_closing = Signal()
"""Sent with `user=` inside the transaction that closes the account (people/account_closing.py),
before its personal data is erased: apps that keep something personal of theirs about the person
erase it here, and a failure undoes the closing."""
