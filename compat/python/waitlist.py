"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every waitlist method of the client
(list, create, bulk_create, invite, reject, delete), asserting what comes back and a
documented error for each.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python waitlist.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

from harness import TAG, api_error, call, clerk, email, finish, text

state = {}


@call("waitlist_entries.create")
def _():
    entry = clerk.waitlist_entries.create(request={"email_address": email("ada"), "notify": False})
    assert entry.id.startswith("wle_")
    assert entry.email_address == email("ada")
    assert text(entry.status) == "pending"
    again = clerk.waitlist_entries.create(request={"email_address": email("ada")})
    assert again.id == entry.id, "an address already waiting answers its entry"
    state["ada"] = entry
    return api_error(
        lambda: clerk.waitlist_entries.create(request={"email_address": "not an address"}),
        422,
        "form_param_format_invalid",
    )


@call("waitlist_entries.bulk_create")
def _():
    entries = clerk.waitlist_entries.bulk_create(
        request=[
            {"email_address": email("bob"), "notify": False},
            {"email_address": email("cy")},
        ]
    )
    assert [e.email_address for e in entries] == [email("bob"), email("cy")]
    state["bob"], state["cy"] = entries
    return api_error(
        lambda: clerk.waitlist_entries.bulk_create(
            request=[{"email_address": email("d")}, {"email_address": email("d")}]
        ),
        422,
        "duplicate_record",
    )


@call("waitlist_entries.list")
def _():
    page = clerk.waitlist_entries.list(query=TAG, order_by="+email_address", limit=2)
    assert page.total_count == 3, page
    assert [e.id for e in page.data] == [state["ada"].id, state["bob"].id]
    pending = clerk.waitlist_entries.list(query=TAG, status="pending")
    assert pending.total_count == 3
    return f"{page.total_count} entries"


@call("waitlist_entries.invite")
def _():
    invited = clerk.waitlist_entries.invite(waitlist_entry_id=state["bob"].id)
    assert text(invited.status) == "invited"
    api_error(
        lambda: clerk.waitlist_entries.invite(waitlist_entry_id=state["bob"].id),
        409,
        "duplicate_record",
    )
    again = clerk.waitlist_entries.invite(waitlist_entry_id=state["bob"].id, ignore_existing=True)
    assert text(again.status) == "invited"
    return api_error(
        lambda: clerk.waitlist_entries.invite(waitlist_entry_id="wle_missing"),
        404,
        "resource_not_found",
    )


@call("waitlist_entries.reject")
def _():
    rejected = clerk.waitlist_entries.reject(waitlist_entry_id=state["cy"].id)
    assert text(rejected.status) == "rejected"
    return api_error(
        lambda: clerk.waitlist_entries.reject(waitlist_entry_id="wle_missing"),
        404,
        "resource_not_found",
    )


@call("waitlist_entries.delete")
def _():
    deleted = clerk.waitlist_entries.delete(waitlist_entry_id=state["ada"].id)
    assert deleted.id == state["ada"].id and deleted.deleted
    api_error(
        lambda: clerk.waitlist_entries.delete(waitlist_entry_id=state["cy"].id),
        409,
        "waitlist_entry_not_pending",
    )
    return api_error(
        lambda: clerk.waitlist_entries.delete(waitlist_entry_id=state["ada"].id),
        404,
        "resource_not_found",
    )


finish()
