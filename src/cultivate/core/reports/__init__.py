"""One Report object per community, rendered as JSON, in a terminal and as an HTML file."""

from .report import SCHEMA_VERSION, Report, build_report

__all__ = ["SCHEMA_VERSION", "Report", "build_report"]
