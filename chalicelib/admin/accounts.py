"""Accounts and their sessions in the admin table: who may edit which markets, signed in where."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chalicelib.admin import keys
from chalicelib.kernel.markets import MARKETS

ADMIN, EDITOR = "admin", "editor"
ROLES = (ADMIN, EDITOR)
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[a-z0-9.-]{1,190}\.[a-z]{2,24}$")


def normal_email(email: str) -> str:
    """An address as accounts are keyed: trimmed and lower case."""
    return (email or "").strip().lower()


def valid_email(email: str) -> bool:
    """Whether a normalised address looks like one."""
    return bool(EMAIL.match(email))


@dataclass(frozen=True)
class Account:
    """A person who signs in: an admin (every market) or an editor of some markets."""

    email: str
    role: str
    markets: tuple[str, ...] = ()
    password: str = ""
    disabled: bool = False
    created_at: int = 0
    updated_at: int = 0
    # Sessions started before this instant are void (a new password, a disable).
    sessions_after: int = 0

    def may_edit(self, market: str) -> bool:
        """Whether this person drafts and publishes in a market."""
        if self.disabled:
            return False
        return self.role == ADMIN or market in self.markets

    def may_edit_all(self, codes: list[str] | tuple[str, ...]) -> bool:
        """Whether this person may edit every one of these markets (a language's)."""
        return bool(codes) and all(self.may_edit(code) for code in codes)

    @property
    def is_admin(self) -> bool:
        """Whether this person manages accounts and reads the audit log."""
        return self.role == ADMIN and not self.disabled


@dataclass(frozen=True)
class Session:
    """A signed-in browser, kept on the server and known by the hash of its cookie."""

    digest: str
    email: str
    created_at: int
    seen_at: int
    address: str = ""
    agent: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _account(item: dict[str, Any]) -> Account:
    return Account(
        email=item["SK"],
        role=item["role"],
        markets=tuple(item.get("markets") or ()),
        password=item.get("password", ""),
        disabled=bool(item.get("disabled")),
        created_at=int(item.get("created_at", 0)),
        updated_at=int(item.get("updated_at", 0)),
        sessions_after=int(item.get("sessions_after", 0)),
    )


def _session(item: dict[str, Any]) -> Session:
    return Session(
        digest=item["PK"].removeprefix("SESSION#"),
        email=item["account"],
        created_at=int(item["created_at"]),
        seen_at=int(item["seen_at"]),
        address=item.get("address", ""),
        agent=item.get("agent", ""),
    )


class AccountExists(ValueError):
    """An account with this address is already there."""


class AccountRepository:
    """Reads and writes accounts and sessions; one request per call except where said."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def get(self, email: str) -> Account | None:
        """The account of an address, or None."""
        item = self.table.get_item(Key=keys.account(email), ConsistentRead=True).get("Item")
        return _account(item) if item else None

    def all(self) -> list[Account]:
        """Every account, by address."""
        found: list[Account] = []
        arguments: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": keys.ACCOUNTS_PK},
        }
        while True:
            page = self.table.query(**arguments)
            found += [_account(item) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return found
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def create(self, account: Account) -> None:
        """Store a new account; AccountExists when the address is taken."""
        unknown = [code for code in account.markets if code not in MARKETS]
        if account.role not in ROLES or unknown:
            raise ValueError(f"bad role or markets: {account.role} {unknown}")
        try:
            self.table.put_item(
                Item={
                    **keys.account(account.email),
                    "role": account.role,
                    "markets": list(account.markets),
                    "password": account.password,
                    "disabled": account.disabled,
                    "created_at": account.created_at,
                    "updated_at": account.updated_at,
                },
                ConditionExpression="attribute_not_exists(PK)",
            )
        except self.table.meta.client.exceptions.ConditionalCheckFailedException:
            raise AccountExists(account.email) from None

    def update(self, email: str, now: int, **changes: Any) -> None:
        """Change an existing account's role, markets, password or disabled flag."""
        names = {f"#{k}": k for k in changes}
        values = {f":{k}": list(v) if isinstance(v, tuple) else v for k, v in changes.items()}
        setters = ", ".join(f"#{k} = :{k}" for k in changes)
        self.table.update_item(
            Key=keys.account(email),
            UpdateExpression=f"SET {setters}, updated_at = :now",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={**values, ":now": now},
        )

    def start_session(self, session: Session, expires_at: int) -> None:
        """Store a new session (its id's hash), to be removed by TTL at its absolute end."""
        self.table.put_item(
            Item={
                **keys.session(session.digest),
                "account": session.email,
                "created_at": session.created_at,
                "seen_at": session.seen_at,
                "address": session.address[:64],
                "agent": session.agent[:200],
                keys.TTL_ATTRIBUTE: expires_at,
            },
            ConditionExpression="attribute_not_exists(PK)",
        )

    def session(self, digest: str) -> Session | None:
        """The session with this id hash, or None."""
        item = self.table.get_item(Key=keys.session(digest), ConsistentRead=True).get("Item")
        return _session(item) if item else None

    def touch(self, digest: str, now: int) -> bool:
        """Record activity, so that the idle timeout counts from now; False if it has ended."""
        try:
            self.table.update_item(
                Key=keys.session(digest),
                UpdateExpression="SET seen_at = :now",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={":now": now},
            )
        except self.table.meta.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def end_session(self, digest: str) -> None:
        """Forget a session on the server: its cookie opens nothing from now on."""
        self.table.delete_item(Key=keys.session(digest))

    def sessions_of(self, email: str) -> list[Session]:
        """A person's sessions, newest first (one Query on the by-account index)."""
        found: list[Session] = []
        arguments: dict[str, Any] = {
            "IndexName": keys.ACCOUNT_INDEX,
            "KeyConditionExpression": "account = :email",
            "ExpressionAttributeValues": {":email": email},
        }
        while True:
            page = self.table.query(**arguments)
            found += [_session(item) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                break
            arguments["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return sorted(found, key=lambda s: s.created_at, reverse=True)

    def end_sessions_of(self, email: str) -> int:
        """End every session of a person; how many there were."""
        sessions = self.sessions_of(email)
        with self.table.batch_writer() as batch:
            for session in sessions:
                batch.delete_item(Key=keys.session(session.digest))
        return len(sessions)
