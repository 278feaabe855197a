"""End to end through HTTP: a marketer changes, previews, publishes and restores wording."""

from __future__ import annotations

import re

import pytest

from tests.admin.conftest import Browser
from tests.conftest import body

HEADLINE = "Best deals right now"
FR_BE = "Les bonnes affaires de décembre"


def revision_of(page: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', page).group(1)


def save(person: Browser, market: str, msgid: str, text: str, target: str | None = None, **more):
    page = person.get(
        f"/admin/{market}/messages/edit", msgid=msgid, **({"target": target} if target else {})
    )
    assert page.status_code == 200, body(page)
    fields = {"msgid": msgid, "revision": revision_of(body(page)), "target": target or market}
    fields.update(text=text, action="save", **more)
    return person.post(f"/admin/{market}/messages/edit", fields)


def live(http, path: str) -> str:
    response = http.http.get(path)
    assert response.status_code == 200
    return body(response)


def test_the_belgian_editor_changes_previews_publishes_and_restores(editor, http, clock):
    listed = editor.get("/admin/fr-be/messages", q="MEILLEURES offres")
    assert listed.status_code == 200 and HEADLINE in body(listed)  # found by its translation
    assert live(http, "/fr-be/").count(FR_BE) == 0

    saved = save(editor, "fr-be", HEADLINE, FR_BE)
    assert saved.status_code == 303
    assert "saved=save" in saved.headers["Location"]
    drafted = editor.get("/admin/fr-be/messages", q=HEADLINE, status="draft")
    assert HEADLINE in body(drafted) and FR_BE in body(drafted)

    preview = editor.get("/admin/fr-be/preview", path="/fr-be/")
    assert preview.status_code == 200
    assert FR_BE in body(preview)
    assert preview.headers["Cache-Control"] == "private, no-store"
    assert 'content="noindex' in body(preview)
    assert 'role="status"' in body(preview)  # the banner
    assert FR_BE not in live(http, "/fr-be/")  # nobody else sees the draft

    pending = editor.get("/admin/fr-be/publish")
    assert FR_BE in body(pending)
    published = editor.post("/admin/fr-be/publish", {})
    assert published.status_code == 303
    assert published.headers["Location"].endswith("/admin/fr-be/history?published=1")

    clock.advance(30)  # the function's refresh window
    assert FR_BE in live(http, "/fr-be/")
    assert FR_BE not in live(http, "/fr-fr/")  # the same language, another market
    assert FR_BE not in live(http, "/nl-be/")

    history = editor.get("/admin/fr-be/history")
    assert 'id="release-1"' in body(history) and FR_BE in body(history)
    restored = editor.post("/admin/fr-be/history", {"version": "0"})
    assert restored.status_code == 303 and "restored=2" in restored.headers["Location"]
    clock.advance(30)
    assert FR_BE not in live(http, "/fr-be/")
    assert editor.post("/admin/fr-be/history", {"version": "1"}).status_code == 303
    clock.advance(30)
    assert FR_BE in live(http, "/fr-be/")


def test_an_admin_changes_every_french_market_at_once(admin, http, clock):
    text = "Nos meilleures affaires"
    assert save(admin, "fr-be", HEADLINE, text, target="fr").status_code == 303
    assert admin.post("/admin/fr-be/publish", {}).status_code == 303
    clock.advance(30)
    assert text in live(http, "/fr-be/") and text in live(http, "/fr-fr/")
    assert text not in live(http, "/nl-be/") and text not in live(http, "/de-de/")
    history = body(admin.get("/admin/fr-fr/history"))
    assert "fr-be" in history  # published from the Belgian pages, a release of France too
    # The market's own override wins over its language's.
    assert save(admin, "fr-be", HEADLINE, "Rien que pour la Belgique").status_code == 303
    admin.post("/admin/fr-be/publish", {})
    clock.advance(30)
    assert "Rien que pour la Belgique" in live(http, "/fr-be/")
    assert text in live(http, "/fr-fr/")


def test_an_editor_cannot_change_a_language_beyond_their_markets(editor):
    page = editor.get("/admin/fr-be/messages/edit", msgid=HEADLINE, target="fr")
    assert page.status_code == 403


def test_two_people_saving_from_the_same_version_get_a_conflict_and_lose_nothing(http, accounts):
    first, second = Browser(http), Browser(http)
    first.sign_in("editor@example.com")
    second.sign_in("admin@example.com")
    theirs = first.get("/admin/fr-be/messages/edit", msgid=HEADLINE)
    mine = second.get("/admin/fr-be/messages/edit", msgid=HEADLINE)
    started = revision_of(body(theirs))
    assert started == revision_of(body(mine))
    fields = {"msgid": HEADLINE, "revision": started, "target": "fr-be", "action": "save"}
    lea = {**fields, "text": "Texte de Léa"}
    ok = first.post("/admin/fr-be/messages/edit", lea, csrf=first.csrf(body(theirs)))
    assert ok.status_code == 303
    max_ = {**fields, "text": "Texte de Max"}
    clash = second.post("/admin/fr-be/messages/edit", max_, csrf=second.csrf(body(mine)))
    assert clash.status_code == 409
    page = body(clash)
    assert "Texte de Léa" in page and "Texte de Max" in page  # both texts, nothing lost
    # Saving again from the page of the conflict replaces theirs, knowingly.
    again = second.post("/admin/fr-be/messages/edit", {**max_, "revision": revision_of(page)})
    assert again.status_code == 303
    assert "Texte de Max" in body(second.get("/admin/fr-be/publish"))


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Dès %(price)s", "placeholder"),
        ("<b>Bonnes</b> affaires", "markup"),
        ("<script>alert(1)</script>", "markup"),
        ("x" * 80, "characters"),
        ("   ", "empty"),
    ],
)
def test_bad_text_is_refused_beside_the_field_and_nothing_is_saved(
    editor, admin_table, text, wanted
):
    refused = save(editor, "fr-be", HEADLINE, text)
    assert refused.status_code == 422
    page = body(refused)
    assert re.search(r'<p class="error" id="err_text">[^<]*' + wanted, page, re.I), page[-1500:]
    assert 'aria-invalid="true"' in page
    item = admin_table.get_item(Key={"PK": "TARGET#fr-be", "SK": "OVERRIDES"}).get("Item")
    assert not item or HEADLINE not in item["drafts"]
