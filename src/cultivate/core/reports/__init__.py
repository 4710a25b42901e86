"""One Report object per community, rendered as JSON, in the terminal and as a self-contained HTML file."""

from .report import SCHEMA_VERSION, Report, build_report

__all__ = ["SCHEMA_VERSION", "Report", "build_report"]
