"""What accounts announce for other apps to act on."""

from django.dispatch import Signal

password_changed = Signal()
"""Sent with `user=` after the person's password was set and saved (passwords.py)."""
