"""Fitting from raw exports: the only part of core that reads exports to teach the analytics.

The analytics read Activities only (machine-checked); models they apply are fitted here, from
the connectors' output, and shipped as files (`make model`).
"""
