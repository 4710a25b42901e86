"""Framework-free heart of Cultivate: Activity contract, analytics, connectors, reports.

Nothing here imports Django or the apps; an import-linter contract checks it on every test run.
"""
