"""What a process is configured with, read from the environment each time it is asked."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from chalicelib.kernel import stages

# Which routes a function serves: the shoppers' pages, the marketing editor, or both (dev).
FUNCTIONS = ("all", "storefront", "admin")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_LOG_LEVEL = "INFO"
# Where absolute links point when neither PUBLIC_BASE_URL nor the stage names an address:
# `make run`'s own. Never a request's Host or X-Forwarded-* headers, which anyone can set.
LOCAL_BASE_URL = "http://127.0.0.1:8000"
TRADEIN_KEY_ALIAS = "alias/storefront-tradein"


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
    # Where product pictures are served (the CDN's /media/*); empty: PUBLIC_BASE_URL + /media.
    media_base_url: str = ""
    # What keys pagination cursors (CURSOR_SIGNING_SECRET); empty: a key derived per stage.
    cursor_secret: str = ""
    # The KMS key (id, ARN or alias) that seals trade-in sellers' details (TRADEIN_KMS_KEY);
    # empty: alias/storefront-tradein, the key infra/tradein-key.yaml makes in each region.
    tradein_key: str = ""
    kms_endpoint: str | None = None  # KMS_ENDPOINT_URL: make run's local stand-in

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
            media=env.get("MEDIA_BASE_URL") or "",
            cursor=env.get("CURSOR_SIGNING_SECRET") or "",
            tradein_key=env.get("TRADEIN_KMS_KEY") or "",
            kms=env.get("KMS_ENDPOINT_URL") or "",
        )

    @functools.cached_property
    def public_origin(self) -> str:
        """Scheme and host of absolute links: PUBLIC_BASE_URL, else the stage's, else local."""
        for url in (self.public_base_url, self.stage.public_url, LOCAL_BASE_URL):
            public = urlsplit(url)
            if public.scheme in ("http", "https") and public.netloc:
                return f"{public.scheme}://{public.netloc}"
        raise AssertionError("LOCAL_BASE_URL is an http URL")

    @functools.cached_property
    def cursor_key(self) -> bytes:
        """The HMAC key of pagination cursors (docs/decisions.md, "Cursors are signed")."""
        secret = self.cursor_secret
        if not secret or secret.startswith("{{resolve:"):  # not resolved by CloudFormation
            secret = f"derived:{self.stage.name}:{self.table_name}"
        return hashlib.sha256(b"storefront cursors\n" + secret.encode()).digest()

    @functools.cached_property
    def public_prefix(self) -> str | None:
        """The path PUBLIC_BASE_URL puts before every page, or None without one."""
        public = urlsplit(self.public_base_url)
        return public.path.rstrip("/") if public.netloc else None

    @functools.cached_property
    def media_url(self) -> str:
        """The base of picture addresses: MEDIA_BASE_URL, else PUBLIC_BASE_URL's /media."""
        return (self.media_base_url or f"{self.public_base_url.rstrip('/')}/media").rstrip("/")


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
    media: str = "",
    cursor: str = "",
    tradein_key: str = "",
    kms: str = "",
) -> Settings:
    stage = stages.get(stage_name)
    if function not in FUNCTIONS:
        raise ValueError(f"FUNCTION must be one of {', '.join(FUNCTIONS)}, not {function!r}")
    address = urlsplit(media)
    if media and not (
        media.startswith("/") or address.scheme in ("http", "https") and address.netloc
    ):
        raise ValueError(f"MEDIA_BASE_URL must be an http(s) URL or a path, not {media!r}")
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
        media_base_url=media,
        cursor_secret=cursor,
        tradein_key=tradein_key or TRADEIN_KEY_ALIAS,
        kms_endpoint=kms or None,
    )


def log_level(env: Mapping[str, str] | None = None) -> str:
    """LOG_LEVEL from ``env`` (``os.environ`` by default); INFO when unset or not a level."""
    env = os.environ if env is None else env
    level = (env.get("LOG_LEVEL") or "").strip().upper()
    return level if level in LOG_LEVELS else DEFAULT_LOG_LEVEL
