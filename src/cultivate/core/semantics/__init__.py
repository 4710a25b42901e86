"""Meaning, offline: sentence embeddings, nearest neighbours and rank fusion (no Django here)."""
