"""Fuzzed addresses: whatever a client puts in a path or a query, no page is a 5xx or a trace."""

import base64
import json
import random
from urllib.parse import quote

import pytest

from chalicelib.kernel.markets import MARKETS
from tests.conftest import body

WORDS = [
    "",
    "-",
    "🙂",
    "..",
    "%00",
    "%ff",
    "%c0%af",
    "<script>alert(1)</script>",
    "x" * 3000,
    "apple-iphone-13",
    "smartphones",
    "FR-fr",
    "null",
    "0",
    "-1",
    "99999999999999999999999",
    "1e400",
    "a\u202eb",
    "%ED%A0%80",  # a surrogate, as a client could send its bytes
]
PARAMS = ["q", "brand", "grade", "sort", "min", "max", "cursor", "storage", "color", "choose"]
CURSORS = [
    {"k": {"PK": "x", "SK": "y"}, "n": True, "o": 0},
    {"k": {"PK": "x", "SK": "y"}, "n": 10**28, "o": -1},
    {"k": [], "n": None, "o": 0},
    {"k": {"PK": {"S": "x"}}, "n": 1, "o": 1},
]


def _word(rng):
    if rng.random() < 0.15:
        raw = json.dumps(rng.choice(CURSORS)).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return rng.choice(WORDS)


def _path(rng):
    market = rng.choice([*MARKETS, "xx-yy", "FR_fr", "", "fr"])
    segments = [
        market,
        *(
            rng.choice(["l", "p", "search", "sitemap.xml", _word(rng)])
            for _ in range(rng.randint(0, 3))
        ),
    ]
    return "/" + "/".join(quote(s, safe="%") for s in segments)


def _query(rng):
    pairs = [(rng.choice(PARAMS), _word(rng)) for _ in range(rng.randint(0, 4))]
    return "&".join(f"{quote(k)}={quote(v, safe='%')}" for k, v in pairs)


@pytest.mark.parametrize("seed", range(3))
def test_no_fuzzed_address_is_a_server_error(client, seed):
    rng = random.Random(seed)
    for _ in range(200):
        path, query = _path(rng), _query(rng)
        url = f"{path}?{query}" if query else path
        method = rng.choice(["GET", "GET", "HEAD"])
        response = client.http.request(method, url, headers={"Accept-Language": "el-GR"})
        assert response.status_code < 500, (method, url, response.status_code)
        text = body(response)
        assert "Traceback" not in text and '"Code"' not in text, (url, text[:200])
