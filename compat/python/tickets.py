"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every sign-in token, actor token and
testing token method, asserting what comes back and a documented error for each; each
ticket is redeemed through the local extension, and the impersonation session's token
carries `act`.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python tickets.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import httpx

from harness import API_URL, SECRET_KEY, api_error, call, claims_of, clerk, email, finish, local, text

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
    assert f"__clerk_ticket={token.token}" in token.url
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


finish()
