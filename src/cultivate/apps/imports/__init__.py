"""Imports: load another platform's history (Stack Exchange, Slack, mail, Discourse)."""
