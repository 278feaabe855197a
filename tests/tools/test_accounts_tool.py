"""`tools/accounts.py`: accounts on any stage from the command line, checked like the pages."""

from __future__ import annotations

import io

import pytest

from chalicelib.admin.accounts import AccountRepository, Session
from chalicelib.admin.passwords import verify
from tools import accounts as tool


@pytest.fixture
def table(moto_dynamodb):
    return tool.admin_table("dev", None, create=True)


def test_the_first_admin_is_created_with_a_generated_password(table, capsys):
    assert tool.main(["create", "--stage", "dev", "--email", "Lea@Example.com", "--role",
                      "admin", "--generate", "--create-table"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    password = out.split("password: ")[1].strip()
    account = AccountRepository(table).get("lea@example.com")
    assert account.role == "admin" and verify(password, account.password)
    assert password not in str(table.scan()["Items"])  # only its hash is stored


def test_a_piped_password_is_checked_and_an_editor_needs_markets(table, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert tool.main(["create", "--stage", "dev", "--email", "e@example.com"]) == 1
    assert "no_markets" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    args = ["create", "--stage", "dev", "--email", "e@example.com", "--markets", "fr-be"]
    assert tool.main(args) == 1 and "password_short" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough sentence\n"))
    assert tool.main(args) == 0
    assert AccountRepository(table).get("e@example.com").markets == ("fr-be",)


def test_disabling_from_the_command_line_ends_every_session(table, capsys):
    tool.main(["create", "--stage", "dev", "--email", "x@example.com", "--markets", "nl-be",
               "--generate"])  # fmt: skip
    repository = AccountRepository(table)
    for digest in ("a" * 64, "b" * 64):
        repository.start_session(Session(digest, "x@example.com", 1, 1), 10**10)
    assert tool.main(["disable", "--stage", "dev", "--email", "x@example.com"]) == 0
    assert "2 sessions ended" in capsys.readouterr().out
    assert repository.sessions_of("x@example.com") == []
    assert repository.get("x@example.com").disabled
    assert tool.main(["list", "--stage", "dev"]) == 0
    assert "x@example.com\teditor\tnl-be\tdisabled" in capsys.readouterr().out
