"""What the activity app tells the apps above it, without importing them."""

from django.dispatch import Signal

activity_recorded = Signal()
"""Sent with `community_id` each time an activity is recorded or moved, inside the writer's
transaction; communities moves the community's content version on it."""
