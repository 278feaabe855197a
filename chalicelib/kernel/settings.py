"""What a process is configured with, read from the environment each time it is asked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.kernel import stages


@dataclass(frozen=True)
class Settings:
    """The environment of one request: stage, table, endpoints and public address."""

    stage: stages.Stage
    table_name: str
    dynamodb_endpoint: str | None
    public_base_url: str
    served_markets: frozenset[str]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``env`` (``os.environ`` by default), read at call time."""
        env = os.environ if env is None else env
        stage = stages.get(env.get("STAGE") or "dev")
        return cls(
            stage=stage,
            table_name=env.get("TABLE_NAME") or stage.table,
            dynamodb_endpoint=env.get("DYNAMODB_ENDPOINT_URL") or None,
            public_base_url=env.get("PUBLIC_BASE_URL", ""),
            served_markets=frozenset(stage.markets),
        )

    @property
    def public_origin(self) -> str | None:
        """Scheme and host of PUBLIC_BASE_URL, or None when pages are served as requested."""
        public = urlsplit(self.public_base_url)
        return f"{public.scheme}://{public.netloc}" if public.netloc else None

    @property
    def public_prefix(self) -> str | None:
        """The path PUBLIC_BASE_URL puts before every page, or None without one."""
        public = urlsplit(self.public_base_url)
        return public.path.rstrip("/") if public.netloc else None
