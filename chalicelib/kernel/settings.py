"""What a process is configured with, read from the environment each time it is asked."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.kernel import stages

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_LOG_LEVEL = "INFO"


@dataclass(frozen=True)
class Settings:
    """The environment of one request: stage, table, endpoints and public address."""

    stage: stages.Stage
    table_name: str
    dynamodb_endpoint: str | None
    public_base_url: str
    served_markets: frozenset[str]
    templates_auto_reload: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``env`` (``os.environ`` by default), read at call time."""
        env = os.environ if env is None else env
        return _settings(
            env.get("STAGE") or "dev",
            env.get("TABLE_NAME") or "",
            env.get("DYNAMODB_ENDPOINT_URL") or "",
            env.get("PUBLIC_BASE_URL", ""),
            env.get("TEMPLATES_AUTO_RELOAD") == "1",
        )

    @functools.cached_property
    def public_origin(self) -> str | None:
        """Scheme and host of PUBLIC_BASE_URL, or None when pages are served as requested."""
        public = urlsplit(self.public_base_url)
        return f"{public.scheme}://{public.netloc}" if public.netloc else None

    @functools.cached_property
    def public_prefix(self) -> str | None:
        """The path PUBLIC_BASE_URL puts before every page, or None without one."""
        public = urlsplit(self.public_base_url)
        return public.path.rstrip("/") if public.netloc else None


# Every request asks; the same environment gives the same (immutable) settings.
@functools.lru_cache(maxsize=32)
def _settings(
    stage_name: str, table: str, endpoint: str, public_base_url: str, auto_reload: bool
) -> Settings:
    stage = stages.get(stage_name)
    return Settings(
        stage=stage,
        table_name=table or stage.table,
        dynamodb_endpoint=endpoint or None,
        public_base_url=public_base_url,
        served_markets=frozenset(stage.markets),
        templates_auto_reload=auto_reload,
    )


def log_level(env: Mapping[str, str] | None = None) -> str:
    """LOG_LEVEL from ``env`` (``os.environ`` by default); INFO when unset or not a level."""
    env = os.environ if env is None else env
    level = (env.get("LOG_LEVEL") or "").strip().upper()
    return level if level in LOG_LEVELS else DEFAULT_LOG_LEVEL
