"""A bounded run of `make fuzz` (tools/fuzz.py): the same checks on 500 requests, every run."""

from chalicelib.catalog.repository import CatalogRepository
from chalicelib.kernel.markets import MARKETS
from tools import fuzz


def test_500_malformed_requests_get_clean_pages(client, shop_table):
    repo = CatalogRepository(shop_table)
    cursors = [repo.listing(code, "smartphones", page_size=1).next_cursor for code in MARKETS]
    report = fuzz.run(client.http, 500, seed=2024, cursors=cursors)
    assert report.problems == [], report.summary()
    assert sum(report.statuses.values()) == 500
    assert not [status for status in report.statuses if status >= 500]
    # The draw reaches every kind of answer: pages, redirects, 400s, 404s and 405s.
    assert {200, 301, 400, 404, 405} <= set(report.statuses), report.statuses


def test_the_checks_catch_what_they_are_for():
    class Answer:
        def __init__(self, status, headers, text):
            self.status_code, self.headers, self.body = status, headers, text.encode()

    good = {"Content-Type": "text/html; charset=utf-8", **dict.fromkeys(fuzz.SECURITY_HEADERS, "x")}
    page = '<html lang="fr-FR">ok'
    assert fuzz.problems_of("GET", "/fr-fr/x", Answer(404, good, page)) == []
    bad = [
        Answer(502, good, page),
        Answer(403, {"Content-Type": "application/json"}, '{"message": "Missing"}'),
        Answer(404, {"Content-Type": "text/html; charset=utf-8"}, page),
        Answer(400, good, page + "a\x00b"),
        Answer(400, good, page + "a\u202eb"),
        Answer(200, good, page + "https://evil.example/"),
        Answer(404, good, '<html lang="en-US">'),
        Answer(400, good, page + "x" * 300_000),
    ]
    for answer in bad:
        assert fuzz.problems_of("GET", "/fr-fr/x", answer), answer.body[:60]
