"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every sign-in token, actor token and
testing token method, asserting what comes back and a documented error for each; each
ticket is redeemed through the local extension, and the impersonation session's token
carries `act`.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python tickets.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import httpx

from harness import API_URL, SECRET_KEY, TAG, api_error, call, claims_of, clerk, email, finish, local, text

state = {}


@call("setup: users.create")
def _():
    state["user"] = clerk.users.create(email_address=[email("ticket")])
    return state["user"].id


@call("sign_in_tokens.create")
def _():
    token = clerk.sign_in_tokens.create(request={"user_id": state["user"].id, "expires_in_seconds": 600})
    assert token.id.startswith("sit_")
    assert token.user_id == state["user"].id
    assert text(token.status) == "pending"
    assert token.url.endswith(f"/__clerk/v1/tickets/accept?ticket={token.token}")
    claims = claims_of(token.token)
    assert claims["exp"] - claims["iat"] == 600
    state["sign_in"] = token
    api_error(
        lambda: clerk.sign_in_tokens.create(request={"user_id": "user_nope"}),
        404,
        "resource_not_found",
    )
    return token.id


@call("local: tickets/redeem (sign-in token)")
def _():
    redemption = local("POST", "tickets/redeem", {"ticket": state["sign_in"].token})
    assert redemption["user_id"] == state["user"].id
    session = clerk.sessions.get(session_id=redemption["session_id"])
    assert text(session.status) == "active"
    again = httpx.post(
        f"{API_URL}/v1/_local/tickets/redeem",
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
        json={"ticket": state["sign_in"].token},
    )
    assert again.status_code == 400 and again.json()["errors"][0]["code"] == "ticket_invalid"
    return redemption["session_id"]


@call("sign_in_tokens.revoke")
def _():
    api_error(
        lambda: clerk.sign_in_tokens.revoke(sign_in_token_id=state["sign_in"].id),
        400,
        "sign_in_token_not_pending",
    )
    pending = clerk.sign_in_tokens.create(request={"user_id": state["user"].id})
    revoked = clerk.sign_in_tokens.revoke(sign_in_token_id=pending.id)
    assert text(revoked.status) == "revoked"
    api_error(lambda: clerk.sign_in_tokens.revoke(sign_in_token_id="sit_nope"), 404, "resource_not_found")
    return revoked.id


@call("actor_tokens.create")
def _():
    token = clerk.actor_tokens.create(
        request={
            "user_id": state["user"].id,
            "actor": {"sub": "user_support"},
            "session_max_duration_in_seconds": 900,
        }
    )
    assert token.id.startswith("act_")
    assert text(token.status) == "pending"
    state["actor"] = token
    api_error(
        lambda: clerk.actor_tokens.create(request={"user_id": "user_nope", "actor": {"sub": "x"}}),
        400,
        "resource_not_found",
    )
    return token.id


@call("local: tickets/redeem (actor token), act in the session token")
def _():
    redemption = local("POST", "tickets/redeem", {"ticket": state["actor"].token})
    assert redemption["actor"]["sub"] == "user_support"
    jwt = clerk.sessions.create_token(session_id=redemption["session_id"]).jwt
    assert claims_of(jwt)["act"]["sub"] == "user_support"
    return redemption["session_id"]


@call("actor_tokens.revoke")
def _():
    api_error(
        lambda: clerk.actor_tokens.revoke(actor_token_id=state["actor"].id),
        400,
        "actor_token_not_pending",
    )
    pending = clerk.actor_tokens.create(request={"user_id": state["user"].id, "actor": {"sub": "user_support"}})
    revoked = clerk.actor_tokens.revoke(actor_token_id=pending.id)
    assert text(revoked.status) == "revoked"
    api_error(lambda: clerk.actor_tokens.revoke(actor_token_id="act_nope"), 404, "resource_not_found")
    return revoked.id


@call("testing_tokens.create")
def _():
    token = clerk.testing_tokens.create()
    assert token.token and token.expires_at > 0
    assert local("POST", "testing_tokens/verify", {"token": token.token})["valid"] is True
    return str(token.expires_at)



# Instance invitations.


@call("invitations.create")
def _():
    invitation = clerk.invitations.create(
        request={
            "email_address": email("invited"),
            "public_metadata": {"plan": "pro"},
            "redirect_url": "https://app.example.com/welcome",
            "expires_in_days": 7,
            "template_slug": "invitation",
        }
    )
    assert invitation.id.startswith("inv_")
    assert text(invitation.status) == "pending"
    assert "__clerk_ticket=" in invitation.url
    state["invitation"] = invitation
    api_error(lambda: clerk.invitations.create(request={"email_address": email("invited")}), 400, "duplicate_record")
    api_error(
        lambda: clerk.invitations.create(request={"email_address": email("ticket")}), 422, "form_identifier_exists"
    )
    state["second"] = clerk.invitations.create(
        request={"email_address": email("invited"), "ignore_existing": True, "notify": False}
    )
    return invitation.id


@call("invitations.bulk_create")
def _():
    created = clerk.invitations.bulk_create(
        request=[{"email_address": email("bulk1")}, {"email_address": email("bulk2")}]
    )
    assert len(created) == 2
    state["bulk"] = created
    api_error(
        lambda: clerk.invitations.bulk_create(request=[{"email_address": "not-an-email"}]),
        422,
        "form_param_format_invalid",
    )
    return " ".join(i.id for i in created)


@call("invitations.list(status, query, order_by, limit, offset)")
def _():
    pending = clerk.invitations.list(status="pending", query=TAG, limit=10)
    assert len(pending) == 4, len(pending)
    found = clerk.invitations.list(query=email("bulk1"))
    assert [i.id for i in found] == [state["bulk"][0].id]
    ordered = clerk.invitations.list(query=TAG, order_by="email_address", limit=1, offset=1)
    assert ordered[0].email_address == email("bulk2")
    return f"{len(pending)} pending"


@call("invitations.revoke")
def _():
    revoked = clerk.invitations.revoke(invitation_id=state["second"].id)
    assert text(revoked.status) == "revoked"
    api_error(lambda: clerk.invitations.revoke(invitation_id=state["second"].id), 400, "invitation_not_pending")
    api_error(lambda: clerk.invitations.revoke(invitation_id="inv_nope"), 404, "resource_not_found")
    return revoked.id


@call("local: tickets/redeem (invitation), a new user")
def _():
    ticket = state["invitation"].url.split("__clerk_ticket=")[1].split("&")[0]
    redemption = local("POST", "tickets/redeem", {"ticket": ticket})
    assert redemption["ticket_type"] == "invitation"
    user = clerk.users.get(user_id=redemption["user_id"])
    assert user.public_metadata == {"plan": "pro"}
    accepted = clerk.invitations.list(status="accepted", query=TAG)
    assert [i.id for i in accepted] == [state["invitation"].id]
    return user.id


finish()
