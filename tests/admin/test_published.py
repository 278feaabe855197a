"""Published wording on shoppers' pages: read once per window, never per page, safely."""

from __future__ import annotations

import pytest

from chalicelib.i18n.provider import ShippedTranslations
from chalicelib.i18n.published import Overridden, PublishedOverrides
from chalicelib.kernel.markets import MARKETS
from tests.admin.conftest import admin_client
from tests.conftest import body

HEADLINE = "Best deals right now"


class TableCalls:
    """DynamoDB calls on one table, through botocore's event hooks."""

    def __init__(self, table) -> None:
        self.name = table.name
        self.calls: list[str] = []
        self._events = table.meta.client.meta.events
        self._events.register("before-parameter-build.dynamodb", self._count)

    def _count(self, model, params, **_):
        if params.get("TableName") == self.name:
            self.calls.append(model.name)

    def close(self) -> None:
        self._events.unregister("before-parameter-build.dynamodb", self._count)


def publish_directly(table, market: str, messages: dict, version: int = 1) -> None:
    table.put_item(Item={"PK": "PUBLISHED", "SK": market, "version": version, "messages": messages})


def test_a_warm_function_reads_overrides_twice_a_minute_whatever_the_traffic(
    shop_table, admin_table, clock
):
    publish_directly(admin_table, "fr-be", {HEADLINE: ["Affaires du jour"]})
    overrides = TableCalls(admin_table)
    catalog = TableCalls(shop_table)
    with admin_client(shop_table, admin_table, clock) as http:
        codes = list(MARKETS)
        for second in range(60):  # one page a second, every market in turn
            code = codes[second % len(codes)]
            catalog.calls.clear()
            assert http.http.get(f"/{code}/").status_code == 200
            assert len(catalog.calls) == 1  # a shopper's page: still one DynamoDB request
            clock.advance(1)
        reads = http.services.published.reads
    overrides.close()
    catalog.close()
    assert reads == 2 and overrides.calls == ["Query", "Query"]


def test_a_publish_is_live_within_the_window_and_only_in_its_market(shop_table, admin_table, clock):
    with admin_client(shop_table, admin_table, clock) as http:
        assert "Affaires du jour" not in body(http.http.get("/fr-be/"))
        publish_directly(admin_table, "fr-be", {HEADLINE: ["Affaires du jour"]})
        clock.advance(29)
        assert "Affaires du jour" not in body(http.http.get("/fr-be/"))  # within the window
        clock.advance(1)
        assert "Affaires du jour" in body(http.http.get("/fr-be/"))
        assert "Affaires du jour" not in body(http.http.get("/fr-fr/"))


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "Affaires <img src=x onerror=alert(1)>", ""]
)
def test_an_override_with_markup_its_source_lacks_is_never_rendered(
    shop_table, admin_table, clock, text
):
    publish_directly(admin_table, "fr-be", {HEADLINE: [text]})
    with admin_client(shop_table, admin_table, clock) as http:
        page = body(http.http.get("/fr-be/"))
    assert "alert(1)" not in page
    assert "Les meilleures offres du moment" in page  # the catalog's text instead


def test_pages_keep_their_wording_when_the_overrides_cannot_be_read(
    shop_table, moto_dynamodb, clock, capsys
):
    missing = moto_dynamodb.Table("no-such-admin-table")
    with admin_client(shop_table, missing, clock) as http:
        response = http.http.get("/fr-be/")
        assert response.status_code == 200
        assert "Les meilleures offres du moment" in body(response)
        assert http.services.published.reads == 1
        clock.advance(5)
        http.http.get("/fr-be/")
        assert http.services.published.reads == 1  # no retry storm
        clock.advance(6)
        http.http.get("/fr-be/")
        assert http.services.published.reads == 2
    assert "published wording unavailable" in capsys.readouterr().out


def test_plural_overrides_follow_the_market_plural_rule(admin_table):
    key = "%(n)s model"
    publish_directly(
        admin_table, "sk-sk", {key: ["%(n)s model A", "%(n)s modely B", "%(n)s modelov C"]}
    )
    provider = Overridden(ShippedTranslations(), PublishedOverrides(lambda: admin_table, 30))
    translations = provider.for_market(MARKETS["sk-sk"])
    assert translations.ngettext(key, "%(n)s models", 1).endswith("A")
    assert translations.ngettext(key, "%(n)s models", 3).endswith("B")
    assert translations.ngettext(key, "%(n)s models", 7).endswith("C")
    other = provider.for_market(MARKETS["fr-fr"])
    assert not other.ngettext(key, "%(n)s models", 3).endswith("B")


def test_catalog_pages_stay_public_and_cacheable_for_a_signed_in_editor(editor, http):
    page = editor.get("/fr-be/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("public") and "ETag" in page.headers
    assert "Set-Cookie" not in page.headers
    admin_page = editor.get("/admin/")
    assert admin_page.headers["Cache-Control"] == "private, no-store"
