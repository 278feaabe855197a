"""No page a shopper opens weighs more than 20 KB of gzipped HTML, in any market."""

from __future__ import annotations

import gzip

import pytest

from chalicelib.catalog.repository import PAGE_SIZE
from chalicelib.kernel.markets import MARKETS
from tests.conftest import stage_client
from tests.page_types import PAGE_TYPES, market_targets

BUDGET = 20 * 1024  # bytes of gzipped HTML, as the CDN compresses it (gzip, level 6)


@pytest.fixture(scope="module")
def weights(shop_table, shop_catalog) -> dict[tuple[str, str], tuple[int, str]]:
    """Gzipped size and body of every page type of every market."""
    targets = market_targets(shop_table, shop_catalog)
    found = {}
    with stage_client(shop_table) as client:
        for code in MARKETS:
            for kind in PAGE_TYPES:
                response = client.http.get(kind.path(targets[code]))
                assert response.status_code == kind.status
                raw = response.body if isinstance(response.body, bytes) else response.body.encode()
                found[code, kind.name] = (len(gzip.compress(raw, 6, mtime=0)), raw.decode())
    return found


@pytest.mark.parametrize("code", list(MARKETS))
def test_every_page_type_stays_under_20_kb_gzipped(weights, code):
    heavy = {kind.name: weights[code, kind.name][0] for kind in PAGE_TYPES}
    assert all(size <= BUDGET for size in heavy.values()), heavy


def test_the_heaviest_card_page_is_measured_full(weights):
    """Search for "apple" fills a page of cards: the most pictures any page holds."""
    for code in MARKETS:
        page = weights[code, "search"][1]
        assert page.count('<a class="card"') == PAGE_SIZE, code
