"""Framework-free heart of Cultivate: the Activity contract, analytics, connectors, language, reports.

Nothing here imports Django or the apps; an import-linter contract checks it on every test run.
"""
