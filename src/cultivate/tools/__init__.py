"""Offline tools run by `make model` and by people labelling data: fitting the shipped models,
evaluating them into docs/metrics.md, drawing messages to label.

They read exports through the connectors and are never imported by the product's code.
"""
