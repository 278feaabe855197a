"""What a process is configured with, read from the environment each time it is asked."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.kernel import stages

# Which routes a function serves: the shoppers' pages, the marketing editor, or both (dev).
FUNCTIONS = ("all", "storefront", "admin")
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
    function: str = "all"
    admin_table_name: str = ""
    # Where the admin's signing secret comes from: the value itself (local runs and tests), an
    # SSM SecureString parameter's name, or a Secrets Manager secret's id (deployed stages).
    admin_secret: str = ""
    admin_secret_parameter: str = ""
    admin_secret_id: str = ""

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
            env.get("FUNCTION") or "all",
            env.get("ADMIN_TABLE_NAME") or "",
            env.get("ADMIN_SIGNING_SECRET") or "",
            env.get("ADMIN_SIGNING_SECRET_PARAMETER") or "",
            env.get("ADMIN_SIGNING_SECRET_ID") or "",
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
    stage_name: str,
    table: str,
    endpoint: str,
    public_base_url: str,
    auto_reload: bool,
    function: str,
    admin_table: str,
    *secret_sources: str,
) -> Settings:
    stage = stages.get(stage_name)
    if function not in FUNCTIONS:
        raise ValueError(f"FUNCTION must be one of {', '.join(FUNCTIONS)}, not {function!r}")
    return Settings(
        stage=stage,
        table_name=table or stage.table,
        dynamodb_endpoint=endpoint or None,
        public_base_url=public_base_url,
        served_markets=frozenset(stage.markets),
        templates_auto_reload=auto_reload,
        function=function,
        admin_table_name=admin_table or stage.admin_table,
        admin_secret=secret_sources[0],
        admin_secret_parameter=secret_sources[1],
        admin_secret_id=secret_sources[2],
    )


def log_level(env: Mapping[str, str] | None = None) -> str:
    """LOG_LEVEL from ``env`` (``os.environ`` by default); INFO when unset or not a level."""
    env = os.environ if env is None else env
    level = (env.get("LOG_LEVEL") or "").strip().upper()
    return level if level in LOG_LEVELS else DEFAULT_LOG_LEVEL
