"""A Redis cache that answers "not cached" while Redis is away, so pages still serve.

Cached parts are only ever a shortcut (apps/fragments.py): a miss costs time, never a wrong page.
The first failure is logged, then one line a minute while Redis stays away.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("cultivate.cache")
_LOG_EVERY = 60.0


class TolerantRedisCache(RedisCache):
    """RedisCache whose reads miss and whose writes are skipped when Redis does not answer."""

    _last_logged = 0.0

    def _away(self, error: Exception, operation: str) -> None:
        now = time.monotonic()
        if now - TolerantRedisCache._last_logged >= _LOG_EVERY:
            TolerantRedisCache._last_logged = now
            logger.warning("Redis is away (%s: %s): serving without the cache", operation, error)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as error:
            self._away(error, "get")
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            self._away(error, "get_many")
            return {}

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as error:
            self._away(error, "set")

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            self._away(error, "add")
            return False

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as error:
            self._away(error, "set_many")
            return list(data)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as error:
            self._away(error, "delete")
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._away(error, "incr")
            raise ValueError(f"Key {key!r} not found (Redis away)") from error

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as error:
            self._away(error, "touch")
            return False

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as error:
            self._away(error, "has_key")
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as error:
            self._away(error, "delete_many")

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as error:
            self._away(error, "clear")
