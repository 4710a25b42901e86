"""The real community data, as the connector tests find it."""

from tests.core.connectors.conftest import data_dir

__all__ = ["data_dir"]
