"""Every storefront page type in every market, in Chromium at 360, 390 and 1280 px.

A page fails when it scrolls sideways (the document, or any element, wider than the
viewport outside a scroll container of its own), cuts text off inside a box that clips it,
has a control smaller than a thumb can hit, breaks Japanese lines where Japanese sites never
do, or when the browser reports a console error, a script error or a failed request. One browser
page per market and width is reused for every page type, so the whole walk is quick; a
failing page leaves a full-page screenshot in build/screenshots/ for a person to look at.

The page types and the addresses that show them at their hardest are in tests/page_types.py
(shared with the HTML validity and accessibility tests): add new page types there.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from chalicelib.kernel.markets import MARKETS
from tests.conftest import ROOT, stage_client
from tests.page_types import PAGE_TYPES, PageType, Targets, market_targets

WIDTHS = (360, 390, 1280)
SHOTS = ROOT / "build" / "screenshots"
ORIGIN = "https://shop.example"
# Where product pictures may live when the app itself does not answer /media/… (in
# production S3 behind the CDN serves them); the first directory holding the file wins.
MEDIA_DIRS = (ROOT / "build" / "media",)

OVERFLOW = """() => {
  const vw = window.innerWidth, found = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const text = el => (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  if (document.documentElement.scrollWidth > vw)
    found.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  const scroller = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') return a;
    return null;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || getComputedStyle(el).visibility === 'hidden') continue;
    const style = getComputedStyle(el);
    if (['hidden', 'clip'].includes(style.overflowX) && el.clientWidth > 1
        && el.scrollWidth > el.clientWidth + 1)
      found.push(`${name(el)} cuts its content off ("${text(el)}")`);
    if (r.left >= -1 && r.right <= vw + 1) continue;
    const box = scroller(el);
    if (box) {
      const b = box.getBoundingClientRect();
      if (b.left >= -1 && b.right <= vw + 1) continue;  // it scrolls inside a box that fits
    }
    found.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}px ("${text(el)}")`);
  }
  return [...new Set(found)].slice(0, 8);
}"""


# Every control a thumb must hit is at least 24 px each way (WCAG 2.2 target size), except
# a link inside a sentence, which the text around it sizes.
SMALL_TARGETS = """() => {
  const inSentence = el => getComputedStyle(el).display === 'inline'
    && el.parentElement.innerText.trim().length > el.innerText.trim().length;
  return [...document.querySelectorAll('a[href], button, summary, input, select, textarea')]
    .filter(el => {
      const r = el.getBoundingClientRect();
      return r.width && r.height && (r.width < 24 || r.height < 24) && !inSentence(el);
    })
    .map(el => {
      const r = el.getBoundingClientRect(), label = (el.innerText || el.name || '').trim();
      return `${el.tagName.toLowerCase()} "${label.slice(0, 30)}" is `
        + `${Math.round(r.width)}x${Math.round(r.height)}px`;
    })
    .slice(0, 8);
}"""

# Japanese lines break between phrases, as Japanese sites set them: never inside a word such
# as スマートフォン, and never before a small kana, a prolonged sound mark or closing punctuation.
JAPANESE_BREAKS = """() => {
  const small = new Set([..."ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    + "ー・、。，．）」』】〕！？"]);
  const words = ["スマートフォン", "スマートウォッチ", "ノートパソコン",
    "ヘッドホン", "タブレット"];
  const found = [], range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const text = node.data;
    if (!/[\u3040-\u30ff]/.test(text)) continue;
    const top = [...text].map((_, i) => {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      return box && box.width ? Math.round(box.top) : null;
    });
    const starts = i => top[i] !== null && top[i - 1] !== null && top[i] > top[i - 1] + 2;
    for (let i = 1; i < text.length; i++) {
      if (!starts(i)) continue;
      const around = text.slice(Math.max(0, i - 8), i) + '|' + text.slice(i, i + 8);
      if (small.has(text[i])) found.push(`a line starts with ${text[i]}: ${around}`);
      for (const word of words) {
        const at = text.lastIndexOf(word, i - 1);
        if (at >= 0 && at < i && i < at + word.length) found.push(`${word} is split: ${around}`);
      }
    }
  }
  return [...new Set(found)].slice(0, 8);
}"""


@pytest.fixture(scope="module")
def targets(shop_table, shop_catalog) -> dict[str, Targets]:
    return market_targets(shop_table, shop_catalog)


Answer = tuple[int, dict[str, str], bytes]


def media_from_files(path: str) -> Answer | None:
    """A /media/… file from the pictures' directories, when the app does not serve it."""
    relative = Path(path.removeprefix("/media/"))
    if not path.startswith("/media/") or ".." in relative.parts:
        return None
    for directory in MEDIA_DIRS:
        file = directory / relative
        if file.is_file():
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return 200, {"Content-Type": kind}, file.read_bytes()
    return None


class Shop:
    """Answers the browser from the app's test client; 404s fall through to the fallbacks.

    The shop only reads, and its pages are cacheable by path (as the CDN caches them), so
    each address is asked of the app once and its answer reused at every width.
    """

    def __init__(self, client, fallbacks=(media_from_files,)) -> None:
        self.client = client
        self.fallbacks = fallbacks
        self.answers: dict[tuple[str, str], Answer] = {}

    def answer(self, path: str, language: str) -> Answer:
        """The app's answer to a GET, else the first fallback's when the app has none."""
        response = self.client.http.get(path, headers={"Accept-Language": language})
        if response.status_code == 404:
            for fallback in self.fallbacks:
                found = fallback(urlsplit(path).path)
                if found:
                    return found
        headers = {k: v for k, v in response.headers.items() if isinstance(v, str)}
        return response.status_code, headers, response.body

    def serve(self, route) -> None:
        url = urlsplit(route.request.url)
        if url.netloc != urlsplit(ORIGIN).netloc or route.request.method != "GET":
            return route.abort()
        path = url.path + (f"?{url.query}" if url.query else "")
        key = path, route.request.headers.get("accept-language", "")
        if key not in self.answers:
            self.answers[key] = self.answer(*key)
        status, headers, content = self.answers[key]
        return route.fulfill(status=status, headers=headers, body=content)


@pytest.fixture(scope="module")
def shop(shop_table):
    with stage_client(shop_table) as client:
        yield Shop(client)


class Visit:
    """One browser page of a market at one width, noting every error it reports."""

    def __init__(self, browser, shop: Shop, code: str, width: int) -> None:
        self.page = browser.new_page(
            viewport={"width": width, "height": 800}, locale=MARKETS[code].html_lang
        )
        self.errors: list[str] = []
        self.document = ""
        self.page.route("**/*", shop.serve)
        self.page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))
        self.page.on("console", self._console)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        # Chromium logs the document's own error status, which some page types must answer.
        if message.type == "error" and message.location.get("url") != self.document:
            self.errors.append(f"console: {message.text}")

    def _failed(self, request) -> None:
        # A request the browser itself cancels when the next page opens is no failure.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.url != self.document and response.status >= 400:
            self.errors.append(f"{response.status}: {response.url}")

    def problems(self, kind: PageType, path: str) -> list[str]:
        """What is wrong with this page as a shopper would see it."""
        self.errors.clear()
        self.document = ORIGIN + path
        response = self.page.goto(self.document)
        found = [] if response.status == kind.status else [f"status {response.status}"]
        if self.page.evaluate("document.documentElement.lang").startswith("ja"):
            found += self.page.evaluate(JAPANESE_BREAKS)
        found += self.page.evaluate(OVERFLOW) + self.page.evaluate(SMALL_TARGETS)
        return found + self.errors


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("code", MARKETS)
def test_no_page_scrolls_sideways_or_reports_an_error(browser, shop, targets, code, width):
    visit = Visit(browser, shop, code, width)
    failures = {}
    try:
        for kind in PAGE_TYPES:
            path = kind.path(targets[code])
            problems = visit.problems(kind, path)
            if problems:
                failures[f"{kind.name} {path}"] = problems
                SHOTS.mkdir(parents=True, exist_ok=True)
                shot = SHOTS / f"layout-{kind.name}-{code}-{width}.png"
                visit.page.screenshot(path=str(shot), full_page=True)
    finally:
        visit.page.close()
    assert not failures, "\n".join(
        f"{page}: {'; '.join(problems)}" for page, problems in failures.items()
    )
