"""The maturity and health engine: where a community stands, why, and what to do next.

Pure Python and Polars over an Activity frame (see `cultivate.core.activity`); thresholds and
weights are arguments with documented defaults (docs/metrics.md), never settings.
"""

from .engine import Analysis, analyze, health_at
from .frame import FrameError, prepare_frame
from .health import HealthWeights
from .maturity import LevelThresholds

__all__ = [
    "Analysis",
    "FrameError",
    "HealthWeights",
    "LevelThresholds",
    "analyze",
    "health_at",
    "prepare_frame",
]
