"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every block-list and redirect URL
method of the client, asserting what comes back and a documented error for each, and a
blocked identifier refused on user creation.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python lists.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

from harness import TAG, api_error, call, clerk, finish, text

state = {}
SPAM_DOMAIN = f"{TAG}-spam.example"


@call("blocklist_identifiers.create")
def _():
    item = clerk.blocklist_identifiers.create(request={"identifier": f"*@{SPAM_DOMAIN}"})
    assert item.id.startswith("blid_"), item.id
    assert item.identifier == SPAM_DOMAIN
    assert text(item.identifier_type) == "email_address"
    assert item.instance_id and item.created_at and item.updated_at
    state["blocked"] = item
    api_error(
        lambda: clerk.blocklist_identifiers.create(request={"identifier": SPAM_DOMAIN}),
        400,
        "duplicate_record",
    )
    return api_error(
        lambda: clerk.blocklist_identifiers.create(request={"identifier": "not an identifier"}),
        422,
        "form_param_format_invalid",
    )


@call("blocklist_identifiers.list")
def _():
    listed = clerk.blocklist_identifiers.list()
    assert listed.total_count >= 1
    assert any(item.id == state["blocked"].id for item in listed.data)
    return f"{listed.total_count} total"


@call("users.create (blocked identifier)")
def _():
    clerk.instance_settings.update_restrictions(request={"blocklist": True})
    try:
        return api_error(
            lambda: clerk.users.create(email_address=[f"bot@{SPAM_DOMAIN}"]),
            403,
            "not_allowed_access",
        )
    finally:
        clerk.instance_settings.update_restrictions(request={"blocklist": False})


@call("blocklist_identifiers.delete")
def _():
    deleted = clerk.blocklist_identifiers.delete(identifier_id=state["blocked"].id)
    assert deleted.id == state["blocked"].id and deleted.deleted
    return api_error(
        lambda: clerk.blocklist_identifiers.delete(identifier_id=state["blocked"].id),
        404,
        "resource_not_found",
    )


@call("redirect_urls.create")
def _():
    url = clerk.redirect_urls.create(request={"url": f"{TAG}-app://oauth-callback"})
    assert url.id.startswith("ru_"), url.id
    assert url.url == f"{TAG}-app://oauth-callback"
    assert url.created_at and url.updated_at
    state["url"] = url
    api_error(
        lambda: clerk.redirect_urls.create(request={"url": f"{TAG}-app://oauth-callback"}),
        400,
        "duplicate_record",
    )
    return api_error(
        lambda: clerk.redirect_urls.create(request={"url": "javascript://alert(1)"}),
        422,
        "form_param_format_invalid",
    )


@call("redirect_urls.list")
def _():
    listed = clerk.redirect_urls.list(limit=10, offset=0)
    assert any(url.id == state["url"].id for url in listed)
    return f"{len(listed)} listed"


@call("redirect_urls.get")
def _():
    url = clerk.redirect_urls.get(id=state["url"].id)
    assert url.url == state["url"].url
    return api_error(lambda: clerk.redirect_urls.get(id="ru_missing"), 404, "resource_not_found")


@call("redirect_urls.delete")
def _():
    deleted = clerk.redirect_urls.delete(id=state["url"].id)
    assert deleted.id == state["url"].id and deleted.deleted
    return api_error(lambda: clerk.redirect_urls.delete(id=state["url"].id), 404, "resource_not_found")


finish()
