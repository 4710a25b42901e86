"""What sharing tells the apps above it, without importing them.

Both are sent inside the writer's transaction, so what a receiver writes lands with the act
or not at all (celebrations posts its milestones on them).
"""

from django.dispatch import Signal

question_asked = Signal()
"""Sent with `question` and `at` once a question, its tags and its activity are written."""

answer_accepted = Signal()
"""Sent with `answer` and `at` once an answer is the question's accepted one."""
